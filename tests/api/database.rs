//! The database connection itself: PostgreSQL over TLS when the URL asks for it.

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
}
