//! Opening the database (SQLite embedded by default, PostgreSQL in production), applying
//! migrations, and starting write transactions the same way on both.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::settings::{DatabaseSettings, SqliteDurability};

/// Open a pool on the configured database. SQLite files are created when missing and run
/// in WAL mode with foreign keys enforced and a busy timeout, so concurrent writers queue
/// instead of failing; a commit is acknowledged once it is on disk (`synchronous=FULL`)
/// unless the settings relax it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let synchronous = match settings.sqlite_synchronous {
        SqliteDurability::Full => SqliteSynchronous::Full,
        SqliteDurability::Normal => SqliteSynchronous::Normal,
    };
    let mut options = pool_options(&settings.database_url, settings.database_max_connections);
    options.map_sqlx_sqlite_opts(move |opts| {
        opts.create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
    });
    Database::connect(options)
        .await
        .with_context(|| format!("could not open the database at {}", redact_url(&settings.database_url)))
}

/// A pool of at most `max` connections on `url`, as every pool of the server has it: one
/// connection kept open, ten seconds to get one, a connection pinged only when it has sat
/// idle (not before every statement: one round trip more per statement otherwise).
pub(crate) fn pool_options(url: &str, max: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false);
    options
}

/// Apply every pending migration; the names of those applied.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let pending: Vec<String> = Migrator::get_pending_migrations(db)
        .await
        .context("could not read the migrations already applied")?
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    Migrator::up(db, None)
        .await
        .context("could not apply database migrations")?;
    Ok(pending)
}

/// Begin a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout rather than one of them
/// failing when it upgrades from reading to writing.
///
/// `BEGIN` runs in a task of its own, so that a request abandoned while it is under way
/// (client gone, timeout, shutdown) cannot leave the connection inside a transaction its
/// driver does not know about: the driver counts the transaction only once the server has
/// answered, and a connection whose `BEGIN` was cut off mid-flight would go back to the
/// pool inside it, for the next request's statements to join. Once begun, a transaction
/// dropped at any later await point is rolled back before its connection is reused.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite_transaction_mode = match db.get_database_backend() {
        DatabaseBackend::Sqlite => Some(SqliteTransactionMode::Immediate),
        _ => None,
    };
    let db = db.clone();
    tokio::spawn(async move {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode,
            ..Default::default()
        })
        .await
    })
    .await
    .map_err(|e| DbErr::Custom(format!("the task beginning a transaction failed: {e}")))?
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &credentials[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Copy a live SQLite database to `output`, a file that must not exist yet: `VACUUM INTO`
/// writes the database as one read transaction sees it, so the copy is consistent however
/// many writes run meanwhile, and compact. Writers are not blocked (WAL). PostgreSQL has
/// `pg_dump` for this, which the README shows.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn backup(db: &DatabaseConnection, output: &std::path::Path) -> anyhow::Result<()> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        anyhow::bail!("ketnap backup copies SQLite databases; for PostgreSQL use pg_dump (see the README, Operations)");
    }
    if output.exists() {
        anyhow::bail!("{} exists already; the backup goes to a new file", output.display());
    }
    let path = output
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", output.display()))?;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [path.into()],
    ))
    .await
    .with_context(|| format!("could not write the backup to {}", output.display()))?;
    // The copy holds personal data: readable by the server's user only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(output, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("could not restrict {}", output.display()))?;
    }
    Ok(())
}

/// Refuse a SQLite URL whose file does not exist (connecting would create it empty).
pub fn require_existing_sqlite(url: &str) -> anyhow::Result<()> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(':') {
        anyhow::bail!("{} is not a database file", redact_url(url));
    }
    if !std::path::Path::new(path).exists() {
        anyhow::bail!("there is no database at {path}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_backup_needs_an_existing_database_file() {
        assert!(super::require_existing_sqlite("sqlite:///no/such/ketnap.sqlite?mode=rwc").is_err());
        assert!(super::require_existing_sqlite("sqlite::memory:").is_err());
        let here = std::env::temp_dir().join(format!("ketnap-exists-{}.sqlite", std::process::id()));
        std::fs::write(&here, b"").unwrap();
        assert!(super::require_existing_sqlite(&format!("sqlite://{}?mode=rwc", here.display())).is_ok());
        std::fs::remove_file(&here).unwrap();
        assert!(
            super::require_existing_sqlite("postgres://u@h/db").is_ok(),
            "not SQLite's to check"
        );
    }

    use super::redact_url;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/k"),
            "postgres://app:***@db:5432/k"
        );
        assert_eq!(redact_url("postgres://app@db/k"), "postgres://app@db/k");
        assert_eq!(
            redact_url("sqlite://ketnap.sqlite?mode=rwc"),
            "sqlite://ketnap.sqlite?mode=rwc"
        );
    }
}
