//! `ketnap backup`: a copy of a live SQLite database taken while acts are written is
//! consistent (every act with its audit event, every reference whole) and restores: a
//! server started on the copy answers from it.

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::helpers::TestApp;
use crate::workflow::person;

async fn one_number(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn a_backup_under_load_restores_consistent(app: TestApp) {
    let branch = app.token_for("demo.branch").await;
    let dir = std::env::temp_dir().join(format!("ketnap-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("copy.sqlite");
    let _ = std::fs::remove_file(&output);

    // Acts keep coming while the copy is taken.
    let writer = {
        let (client, address, branch) = (app.client.clone(), app.address.clone(), branch.clone());
        tokio::spawn(async move {
            let query = "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }";
            for i in 0..40 {
                let body: serde_json::Value = client
                    .post(format!("{address}/graphql"))
                    .bearer_auth(&branch)
                    .json(&json!({ "query": query, "variables": { "i": person(&format!("Lò Thị Sao {i}"), "1999-04-04", "2024-03-01") } }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert!(body.get("errors").is_none(), "{body}");
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    ketnap::db::backup(&app.state.db, &output).await.expect("the backup");
    writer.await.unwrap();
    assert!(
        ketnap::db::backup(&app.state.db, &output).await.is_err(),
        "an existing file is not overwritten"
    );

    let url = format!("sqlite://{}?mode=rw", output.display());
    let copy = Database::connect(&url).await.unwrap();
    let integrity = copy
        .query_one_raw(Statement::from_string(
            copy.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(integrity.try_get_by_index::<String>(0).unwrap(), "ok");
    assert_eq!(
        one_number(&copy, "SELECT COUNT(*) FROM pragma_foreign_key_check").await,
        0,
        "every reference is whole"
    );
    let taken = one_number(
        &copy,
        "SELECT COUNT(*) FROM candidate WHERE full_name LIKE 'Lò Thị Sao %'",
    )
    .await;
    assert!((1..40).contains(&taken), "the copy was taken mid-load: {taken} of 40");
    // An act and its audit event land together, in the copy as in the database.
    assert_eq!(
        one_number(
            &copy,
            "SELECT COUNT(*) FROM candidate c WHERE c.full_name LIKE 'Lò Thị Sao %' AND NOT EXISTS \
             (SELECT 1 FROM audit_event e WHERE e.entity_type = 'Candidate' AND e.entity_id = c.id AND e.act = 'addToSourceList')"
        )
        .await,
        0
    );
    assert_eq!(
        one_number(
            &copy,
            "SELECT COUNT(*) FROM audit_event e WHERE e.act = 'addToSourceList' AND NOT EXISTS \
             (SELECT 1 FROM candidate c WHERE c.id = e.entity_id)"
        )
        .await,
        0
    );
    copy.close().await.unwrap();

    // Restored: a server on the copy serves what the copy holds.
    let mut settings = (*app.state.settings).clone();
    settings.database.database_url = url;
    settings.port = 0;
    let restored = ketnap::startup::Application::build(settings).await.unwrap();
    let address = format!("http://127.0.0.1:{}", restored.port());
    let server = tokio::spawn(restored.run_until_stopped(std::future::pending::<()>()));
    let token = app.token_for("demo.branch").await;
    let body = app
        .graphql_at(
            &address,
            Some(&token),
            "{ candidates(first: 1, filter: {search: \"Sao\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["candidates"]["totalCount"], taken, "{body}");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

mod postgres {
    use super::*;

    /// PostgreSQL is copied with pg_dump; the command says so.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn is_copied_with_pg_dump() {
        let app = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        let err = ketnap::db::backup(&app.state.db, std::path::Path::new("/tmp/never.sqlite"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
    }
}

server_tests!(a_backup_under_load_restores_consistent);
