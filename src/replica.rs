//! Where reports read. A report scans a subtree's records over months or years; on
//! PostgreSQL it reads through a pool of its own, whose connections plan each statement for
//! its parameters (`plan_cache_mode = force_custom_plan`: a generic plan of "the subtree of
//! a unit" assumes a few units, and a province has thousands), sort in memory
//! (`work_mem`) and cannot write (`default_transaction_read_only`). With
//! `--read-database-url` that pool is on a streaming replica, and reports read it while it
//! is at most `--read-max-lag-secs` behind; a report says where it was read and how old its
//! figures may be. On SQLite reports read the one pool.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use anyhow::Context;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};

use crate::settings::DatabaseSettings;

/// Where one report was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The primary: the figures are current.
    Primary,
    /// The replica, at most this many milliseconds behind the primary when last measured.
    Replica { lag_ms: i64 },
}

/// The report pools: the primary's, and the replica's with its last measured lag.
#[derive(Clone)]
pub struct ReportDatabase {
    primary: DatabaseConnection,
    replica: Option<Replica>,
}

#[derive(Clone)]
struct Replica {
    db: DatabaseConnection,
    /// Milliseconds behind the primary, `-1` when not known (not streaming, or unreachable).
    lag_ms: Arc<AtomicI64>,
    max_lag_ms: i64,
}

/// A lag that stands for "not known": never within the bound.
const UNKNOWN: i64 = -1;

/// How often the replica's lag is measured.
const LAG_EVERY: Duration = Duration::from_secs(1);

/// How far behind the standby is: nothing when it has replayed all it received and is
/// streaming, otherwise the age of the last transaction it replayed; `NULL` when it is not
/// streaming (then how far behind is not known).
const LAG_SQL: &str = "SELECT CASE \
    WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL \
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 \
    ELSE (EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END AS lag_ms";

impl ReportDatabase {
    /// Reports read `primary` itself (SQLite, and tests that need nothing else).
    pub fn same_as(primary: &DatabaseConnection) -> Self {
        ReportDatabase {
            primary: primary.clone(),
            replica: None,
        }
    }

    /// Open the report pools for `settings`; on SQLite, `primary` itself. With a replica,
    /// its lag is measured every second from now on.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn open(settings: &DatabaseSettings, primary: &DatabaseConnection) -> anyhow::Result<Self> {
        if primary.get_database_backend() != DatabaseBackend::Postgres {
            if settings.read_database_url.is_some() {
                anyhow::bail!("a read replica (--read-database-url) needs PostgreSQL");
            }
            return Ok(Self::same_as(primary));
        }
        let own = connect(settings, &settings.database_url).await?;
        let replica = match &settings.read_database_url {
            None => None,
            Some(url) => {
                let replica = Replica {
                    db: connect(settings, url).await?,
                    lag_ms: Arc::new(AtomicI64::new(UNKNOWN)),
                    max_lag_ms: i64::from(settings.read_max_lag_secs) * 1000,
                };
                replica.measure().await;
                tokio::spawn(replica.clone().watch());
                Some(replica)
            }
        };
        Ok(ReportDatabase { primary: own, replica })
    }

    /// Count or log every statement of the report pools (tests), as
    /// `DatabaseConnection::set_metric_callback` does for one pool.
    pub fn set_metric_callback<F>(&mut self, callback: F)
    where
        F: Fn(&sea_orm::metric::Info<'_>) + Send + Sync + Clone + 'static,
    {
        self.primary.set_metric_callback(callback.clone());
        if let Some(replica) = &mut self.replica {
            replica.db.set_metric_callback(callback);
        }
    }

    /// The pool a report reads now, and what that means for its figures.
    pub fn pick(&self) -> (&DatabaseConnection, ReadFrom) {
        match &self.replica {
            Some(replica) => {
                let lag_ms = replica.lag_ms.load(Ordering::Relaxed);
                if (0..=replica.max_lag_ms).contains(&lag_ms) {
                    (&replica.db, ReadFrom::Replica { lag_ms })
                } else {
                    (&self.primary, ReadFrom::Primary)
                }
            }
            None => (&self.primary, ReadFrom::Primary),
        }
    }
}

impl Replica {
    /// Measure the lag once; a replica that does not answer within a second is behind by
    /// an unknown amount (reports then read the primary).
    async fn measure(&self) {
        let asked = self
            .db
            .query_one_raw(Statement::from_string(DatabaseBackend::Postgres, LAG_SQL));
        let lag = tokio::time::timeout(LAG_EVERY, asked)
            .await
            .ok()
            .and_then(Result::ok)
            .flatten()
            .and_then(|row| row.try_get::<Option<i64>>("", "lag_ms").ok().flatten())
            .unwrap_or(UNKNOWN);
        let before = self.lag_ms.swap(lag, Ordering::Relaxed);
        let within = |l: i64| (0..=self.max_lag_ms).contains(&l);
        if within(before) != within(lag) {
            tracing::warn!(
                lag_ms = lag,
                "reports now read the {}",
                if within(lag) { "replica" } else { "primary" }
            );
        }
    }

    /// Measure the lag every second while the server runs.
    async fn watch(self) {
        let mut every = tokio::time::interval(LAG_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            self.measure().await;
        }
    }
}

/// A report pool on `url`: its own connections, each planning every statement for its
/// parameters, sorting in `report_work_mem`, read-only.
#[tracing::instrument(level = "debug", skip_all)]
async fn connect(settings: &DatabaseSettings, url: &str) -> anyhow::Result<DatabaseConnection> {
    let work_mem = settings.report_work_mem.clone();
    let mut options = crate::db::pool_options(url, settings.report_max_connections);
    options.map_sqlx_postgres_opts(move |opts| {
        opts.options([
            ("plan_cache_mode", "force_custom_plan"),
            ("work_mem", work_mem.as_str()),
            ("default_transaction_read_only", "on"),
        ])
    });
    Database::connect(options)
        .await
        .with_context(|| format!("could not open the report database at {}", crate::db::redact_url(url)))
}
