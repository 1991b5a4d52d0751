//! Several instances, one database: nothing one Ketnap process needs is kept in another, so
//! an act through one is read through the other and two acts on one version through two
//! instances cannot both land. And reports routed to a real streaming replica (the pair of
//! `scripts/replica-pair`): read there while it keeps up, from the primary once it falls
//! further behind than the bound, each report saying which.

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok, error_code};
use crate::workflow::{Roles, act_ok, person};

const CANDIDATE: &str = "query($id: ID!) { candidate(id: $id) { id version fullName } }";
const RENAME: &str =
    "mutation($i: UpdateCandidateInput!) { updateCandidate(input: $i) { candidate { version fullName } } }";

async fn instances_are_interchangeable(app: TestApp) {
    let other = app.another_instance().await;
    let roles = Roles::of(&app).await;
    // Written through one instance, read through the other.
    let made = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Thị Hoa", "2001-04-05", "2025-02-03"),
    )
    .await;
    let id = made["id"].as_str().expect("an id").to_string();
    let read = app
        .graphql_at(&other.address, Some(&roles.branch), CANDIDATE, json!({ "id": id }))
        .await;
    assert_ok(&read);
    assert_eq!(read["data"]["candidate"]["fullName"], "Lò Thị Hoa", "{read}");
    let version = read["data"]["candidate"]["version"].as_i64().expect("a version");

    // The same version changed through both instances at once: one lands, the other is
    // refused as a conflict, and both instances then read the one that landed.
    let rename = |address: String, name: &'static str| {
        let (app, token, id) = (&app, roles.branch.clone(), id.clone());
        async move {
            app.graphql_at(
                &address,
                Some(&token),
                RENAME,
                json!({ "i": { "candidateId": id, "expectedVersion": version, "fullName": name } }),
            )
            .await
        }
    };
    let (first, second) = tokio::join!(
        rename(app.address.clone(), "Lò Thị Hoà"),
        rename(other.address.clone(), "Lò Thị Hòa")
    );
    let landed: Vec<&Value> = [&first, &second]
        .into_iter()
        .filter(|b| b.get("errors").is_none())
        .collect();
    assert_eq!(landed.len(), 1, "exactly one lands: {first} {second}");
    let refused = if first.get("errors").is_some() { &first } else { &second };
    assert_eq!(error_code(refused), "CONFLICT", "{refused}");
    let name = landed[0]["data"]["updateCandidate"]["candidate"]["fullName"].clone();
    for address in [&app.address, &other.address] {
        let read = app
            .graphql_at(address, Some(&roles.branch), CANDIDATE, json!({ "id": id }))
            .await;
        assert_eq!(read["data"]["candidate"]["fullName"], name, "{read}");
        assert_eq!(read["data"]["candidate"]["version"], version + 1, "{read}");
    }
}

db_tests!(instances_are_interchangeable);

/// Admissions of the district in 2025, and where the report read them.
const PROGRESS: &str = "query($u: ID!) { admissionProgress(unitId: $u, period: {year: 2025}) { \
    own { admitted } source { database lagMilliseconds } } }";

async fn progress(app: &TestApp, token: &str, district: &str) -> (i64, String, i64) {
    let body = app.graphql(Some(token), PROGRESS, json!({ "u": district })).await;
    assert_ok(&body);
    let report = &body["data"]["admissionProgress"];
    (
        report["own"]["admitted"].as_i64().expect("admitted"),
        report["source"]["database"].as_str().expect("a source").to_string(),
        report["source"]["lagMilliseconds"].as_i64().expect("a lag"),
    )
}

/// Ask until `done` holds of the answer, for at most ten seconds.
async fn until(
    app: &TestApp,
    token: &str,
    district: &str,
    done: impl Fn(&(i64, String, i64)) -> bool,
) -> (i64, String, i64) {
    let mut last = progress(app, token, district).await;
    for _ in 0..100 {
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = progress(app, token, district).await;
    }
    panic!("still {last:?} after ten seconds");
}

/// Members admitted in 2025, imported through the commune.
async fn admit(app: &TestApp, roles: &Roles, names: &[&str]) {
    let rows: Vec<String> = names
        .iter()
        .map(|n| format!("{n},dự bị,Nam,1998-01-01,Tày,2025-03-01,2025-03-02,COLLEGE,YOUTH_UNION,không"))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    crate::reports::import(app, &roles.commune, "SL.BS.TL.KM", &rows).await;
}

async fn reports_read_the_replica_while_it_keeps_up() {
    let (app, on_standby) = TestApp::spawn_with_replica(|s| s.database.read_max_lag_secs = 1).await;
    let roles = Roles::of(&app).await;
    let district = app.unit_id("SL.BS").await;
    let (before, _, _) = until(&app, &roles.district, &district, |r| r.1 == "REPLICA").await;

    // An act on the primary reaches the report once the replica has replayed it.
    admit(&app, &roles, &["Người một", "Người hai"]).await;
    let (admitted, source, lag) = until(&app, &roles.district, &district, |r| r.0 == before + 2).await;
    assert_eq!(source, "REPLICA");
    assert!((0..=1000).contains(&lag), "within the bound: {lag}");

    // The replica stops replaying: once it is further behind than the bound, reports read
    // the primary, which has the newest act; when it replays again, the replica again.
    let standby = Database::connect(&on_standby).await.expect("reach the standby");
    standby
        .execute_unprepared("SELECT pg_wal_replay_pause()")
        .await
        .expect("pause the replay");
    admit(&app, &roles, &["Người ba"]).await;
    let behind = until(&app, &roles.district, &district, |r| r.1 == "PRIMARY").await;
    assert_eq!(behind, (admitted + 1, "PRIMARY".to_string(), 0));
    standby
        .execute_unprepared("SELECT pg_wal_replay_resume()")
        .await
        .expect("resume the replay");
    let caught_up = until(&app, &roles.district, &district, |r| r.1 == "REPLICA").await;
    assert_eq!(caught_up.0, admitted + 1);
    standby.close().await.expect("close");
    assert_read_only(&app).await;
}

/// The pool reports read now cannot write.
async fn assert_read_only(app: &TestApp) {
    let (pool, _) = app.state.reports.pick();
    let refused = pool
        .execute_unprepared("CREATE TABLE report_pool_writes (x int)")
        .await
        .expect_err("a report pool is read-only");
    assert!(refused.to_string().contains("read-only"), "{refused}");
}

/// The CSV download says where it was read too.
async fn csv_reports_say_where_they_were_read() {
    let (app, _) = TestApp::spawn_with_replica(|_| {}).await;
    let roles = Roles::of(&app).await;
    let district = app.unit_id("SL.BS").await;
    let response = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[("unitId", district.as_str()), ("year", "2025")])
        .bearer_auth(&roles.district)
        .send()
        .await
        .expect("download");
    assert!(response.status().is_success(), "{}", response.status());
    let source = response
        .headers()
        .get("ketnap-report-source")
        .and_then(|v| v.to_str().ok())
        .expect("a source header")
        .to_string();
    assert!(source.starts_with("replica; lag-ms="), "{source}");
}

/// Without a replica, reports on PostgreSQL read a pool of their own on the primary, which
/// cannot write either; the report says it read the primary.
async fn reports_read_a_read_only_pool_of_the_primary(app: TestApp) {
    let roles = Roles::of(&app).await;
    let district = app.unit_id("SL.BS").await;
    let (_, source, lag) = progress(&app, &roles.district, &district).await;
    assert_eq!((source.as_str(), lag), ("PRIMARY", 0));
    assert_read_only(&app).await;
}

/// On PostgreSQL only (the names carry `postgres` for the runner's filter).
mod pair {
    mod postgres {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn reports_read_the_replica_while_it_keeps_up() {
            super::super::reports_read_the_replica_while_it_keeps_up().await
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn csv_reports_say_where_they_were_read() {
            super::super::csv_reports_say_where_they_were_read().await
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn reports_read_a_read_only_pool_of_the_primary() {
            super::super::reports_read_a_read_only_pool_of_the_primary(
                crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await,
            )
            .await
        }
    }
}
