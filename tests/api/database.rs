//! The database connection itself: PostgreSQL over TLS when the URL asks for it, and
//! transactions that leave no connection behind inside them however they are cut off.

mod postgres {
    use sea_orm::{ConnectionTrait, Statement};

    use crate::helpers::{Backend, DEMO_PASSWORD, TestApp, assert_ok};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sslmode_require_encrypts_the_connection() {
        let app = TestApp::spawn_with(Backend::Postgres, |settings| {
            settings.database.database_url.push_str("?sslmode=require");
        })
        .await;
        let db = &app.state.db;
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()".to_string(),
            ))
            .await
            .expect("read the connection's TLS state")
            .expect("one row");
        assert!(
            row.try_get::<bool>("", "ssl").expect("a flag"),
            "the connection is not encrypted"
        );
        assert_ok(&app.login("demo.branch", DEMO_PASSWORD).await);
    }

    /// `verify-full` checks the server's certificate: this server's is self-signed and not
    /// trusted here, so start-up fails, and says why. (The database named does not exist:
    /// were the certificate accepted, nothing could be written anywhere.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sslmode_verify_full_refuses_an_untrusted_certificate() {
        let url = format!(
            "{}?sslmode=verify-full",
            crate::helpers::postgres_url_for("ketnap_no_such_database")
        );
        let mut settings = ketnap::settings::Settings::new(url);
        settings.port = 0;
        let error = match ketnap::startup::Application::build(settings).await {
            Ok(_) => panic!("an untrusted certificate was accepted"),
            Err(error) => format!("{error:#}"),
        };
        assert!(error.contains("could not open the database"), "{error}");
        assert!(error.contains("certificate"), "{error}");
    }

    /// Thousands of write transactions cut off at random points of their `BEGIN`, their
    /// statement or their commit (a timeout of 0 to 400 µs, the span of a round trip on
    /// loopback): afterwards no session of the database is inside a transaction, every
    /// pooled connection answers outside one, and each cut-off insert either committed
    /// whole or left nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn transactions_cut_off_anywhere_leave_clean_connections() {
        use std::time::Duration;
        let app = TestApp::spawn(Backend::Postgres).await;
        let db = app.state.db.clone();
        let backend = db.get_database_backend();
        let sql = |s: &str| Statement::from_string(backend, s.to_string());
        db.execute_raw(sql("CREATE TABLE cut_off (id INT PRIMARY KEY, twin INT NOT NULL)"))
            .await
            .expect("a scratch table");
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut tasks = Vec::new();
        for n in 0..2000i64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let after = Duration::from_micros(seed % 400);
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let work = async {
                    let txn = ketnap::db::begin_write(&db).await?;
                    // Two rows per transaction: both or neither must be there.
                    txn.execute_raw(Statement::from_string(
                        backend,
                        format!("INSERT INTO cut_off VALUES ({}, {n}), ({}, {n})", 2 * n, 2 * n + 1),
                    ))
                    .await?;
                    txn.commit().await
                };
                let _ = tokio::time::timeout(after, work).await;
            }));
            if tasks.len() == 16 {
                for t in tasks.drain(..) {
                    t.await.unwrap();
                }
            }
        }
        for t in tasks {
            t.await.unwrap();
        }
        // Dropped transactions are rolled back as their connections return to the pool.
        let stuck_sql = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                         AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()";
        let mut stuck = -1;
        for _ in 0..100 {
            let row = db.query_one_raw(sql(stuck_sql)).await.unwrap().unwrap();
            stuck = row.try_get::<i64>("", "n").unwrap();
            if stuck == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(stuck, 0, "a connection went back to the pool inside a transaction");
        // Every pooled connection is outside a transaction block: there a savepoint is
        // refused, inside one it would be taken.
        let checks: Vec<_> = (0..20)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { db.execute_unprepared("SAVEPOINT probe").await.is_err() })
            })
            .collect();
        for c in checks {
            assert!(c.await.unwrap(), "a pooled connection is inside a transaction");
        }
        // All or nothing.
        let row = db
            .query_one_raw(sql(
                "SELECT COUNT(*) AS n FROM (SELECT twin FROM cut_off GROUP BY twin HAVING COUNT(*) <> 2) t",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get::<i64>("", "n").unwrap(),
            0,
            "a transaction was half written"
        );
        let row = db
            .query_one_raw(sql("SELECT COUNT(*) AS n FROM cut_off"))
            .await
            .unwrap()
            .unwrap();
        let committed = row.try_get::<i64>("", "n").unwrap();
        eprintln!("{} of 2000 cut-off transactions committed", committed / 2);
    }
}
