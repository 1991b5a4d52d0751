//! The findings of an attacker's probes, each kept as the test that reproduces it: nested
//! records after a transfer, sign-in payloads without loaders, existence oracles,
//! documents that cost seconds before they are refused, unbounded and unescaped search,
//! and the durability of what is acknowledged.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok};
use crate::workflow::{Ready, Roles, act, act_ok, person, prepare};

const NESTED: &str = "query($id: ID!) { candidate(id: $id) { mentors { member { id fullName birthDate gender ethnicity joinedOn } } \
                      introductions { member { id fullName birthDate } } courseEnrolments { course { id name } } } }";

/// Transferred away from Nà Lầu, a candidate's Nà Lầu mentor and introducers are out of
/// the new branch's sight: `null` in the nested fields, exactly like `member(id)`.
async fn nested_records_of_a_transferred_candidate_stay_in_scope(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    let to = app.unit_id("SL.BS.HB.BC").await;
    act_ok(
        &app,
        &roles.district,
        "transferCandidate",
        json!({ "candidateId": id, "toBranchId": to, "transferredOn": "2024-06-20" }),
    )
    .await;
    let banchang = app.token_for("demo.banchang").await;
    let body = app.graphql(Some(&banchang), NESTED, json!({ "id": id })).await;
    assert_ok(&body);
    let c = &body["data"]["candidate"];
    assert_eq!(c["mentors"][0]["member"], Value::Null, "{body}");
    assert_eq!(c["introductions"][0]["member"], Value::Null, "{body}");
    assert_eq!(c["introductions"][1]["member"], Value::Null, "{body}");
    // Same district: the district's course is still visible below it.
    assert!(c["courseEnrolments"][0]["course"]["id"].is_string(), "{body}");
    // Through the deadlines list too.
    let body = app
        .graphql(
            Some(&banchang),
            "{ deadlines(first: 50) { nodes { candidate { mentors { member { id } } } } } }",
            json!({}),
        )
        .await;
    assert_ok(&body);
    assert!(!body.to_string().contains("\"member\":{"), "{body}");

    // Across districts, the course of Biên Sơn is out of sight as well.
    let far = prepare(
        &app,
        &roles,
        Ready {
            name: "Lò Thị Xa",
            ..Ready::default()
        },
    )
    .await;
    let ward = app.unit_id("SL.TP.MK.TDP1").await;
    act_ok(
        &app,
        &roles.province,
        "transferCandidate",
        json!({ "candidateId": far, "toBranchId": ward, "transferredOn": "2024-06-20" }),
    )
    .await;
    let tdp1 = crate::workflow_access_token(&app, &roles.province, "SL.TP.MK.TDP1", "hostile.tdp1").await;
    let body = app.graphql(Some(&tdp1), NESTED, json!({ "id": far })).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["candidate"]["courseEnrolments"][0]["course"],
        Value::Null,
        "{body}"
    );
}

/// `login` and `refreshSession` answer the account's own unit, though the request that
/// signs in has no account yet.
async fn sign_in_payloads_read_the_new_session(app: TestApp) {
    let login = app
        .graphql(
            None,
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { refreshToken user { orgUnit { id name } } } }",
            json!({ "u": "demo.branch", "p": crate::helpers::DEMO_PASSWORD }),
        )
        .await;
    assert_ok(&login);
    assert_eq!(login["data"]["login"]["user"]["orgUnit"]["name"], "Chi bộ thôn Nà Lầu");
    let refresh = app
        .graphql(
            None,
            "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { user { orgUnit { name } } } }",
            json!({ "t": login["data"]["login"]["refreshToken"] }),
        )
        .await;
    assert_ok(&refresh);
    assert_eq!(
        refresh["data"]["refreshSession"]["user"]["orgUnit"]["name"],
        "Chi bộ thôn Nà Lầu"
    );
}

/// Without an account only the sign-in mutations run; anything else is refused before it
/// is validated, whatever it asks.
async fn anonymous_requests_only_sign_in(app: TestApp) {
    // The parse of a document an account sent is kept for the next request with the same
    // text (`api::parsed`); without an account, that request is refused all the same.
    let token = app.token_for("demo.branch").await;
    for document in ["{ me { id } }", "query { ...F } fragment F on Query { me { id } }"] {
        assert_ok(&app.graphql(Some(&token), document, json!({})).await);
    }
    for document in [
        "{ me { id } }",
        "{ orgUnits { nodes { id } } }",
        "{ node(id: \"T3JnVW5pdDox\") { id } }",
        "mutation { createUser(input: {username: \"x\", displayName: \"x\", password: \"x\"}) { user { id } } }",
        "mutation { logout(input: {refreshToken: \"x\"}) { revoked } createUser(input: {username: \"x\", displayName: \"x\", password: \"x\"}) { user { id } } }",
        "query { ...F } fragment F on Query { me { id } }",
    ] {
        let body = app.graphql(None, document, json!({})).await;
        assert_error(&body, "UNAUTHENTICATED");
    }
    // A refused token says why, so that the client refreshes.
    let body = app.graphql(Some("not-a-token"), "{ me { id } }", json!({})).await;
    assert_error(&body, "UNAUTHENTICATED");
    // Signing out and reading the schema (introspection is on in dev mode) are allowed.
    let body = app
        .graphql(
            None,
            "mutation { logout(input: {refreshToken: \"x\"}) { revoked } }",
            json!({}),
        )
        .await;
    assert_ok(&body);
    let body = app
        .graphql(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_ok(&body);
}

/// Documents built to cost seconds before they are refused are refused by counting, with
/// the limit named; none of them reaches validation.
async fn hostile_documents_are_refused_by_counting(app: TestApp) {
    let token = app.token_for("demo.branch").await;
    let limit = |body: &Value| {
        body["errors"][0]["extensions"]["limit"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // Fragments that fan out to 2^24 fields, in about a kilobyte.
    let mut fan = String::from("query { ...F24 }\nfragment F0 on Query { me { id } }\n");
    for i in 1..=24 {
        fan.push_str(&format!("fragment F{i} on Query {{ ...F{p} ...F{p} }}\n", p = i - 1));
    }
    assert!(fan.len() < 1100);
    for token in [None, Some(token.as_str())] {
        let body = app.graphql(token, &fan, json!({})).await;
        assert_error(&body, "QUERY_LIMIT_EXCEEDED");
        assert_eq!(limit(&body), "EXPANDED_SELECTIONS", "{body}");
    }
    let token = Some(token.as_str());
    let cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    assert_error(&app.graphql(token, cycle, json!({})).await, "QUERY_LIMIT_EXCEEDED");
    let deep = format!("{{ me {} }}", "{ orgUnit ".repeat(200) + &"}".repeat(200));
    assert_eq!(limit(&app.graphql(token, &deep, json!({})).await), "DEPTH");
    let many = format!("{{ {} }}", "a ".repeat(20_000));
    assert_eq!(limit(&app.graphql(token, &many, json!({})).await), "TOKENS");
    let huge = format!("{{ me {{ id }} }} # {}", "x".repeat(70_000));
    assert_eq!(limit(&app.graphql(token, &huge, json!({})).await), "DOCUMENT_SIZE");
    let directives = format!("{{ me {} {{ id }} }}", "@include(if: true) ".repeat(6));
    assert_eq!(limit(&app.graphql(token, &directives, json!({})).await), "DIRECTIVES");
    let variables = json!({ "s": vec![1; 20_000] });
    let body = app.graphql(token, "query($s: [Int!]) { me { id } }", variables).await;
    assert_eq!(limit(&body), "VARIABLES", "{body}");
    // An ordinary document still runs.
    assert_ok(&app.graphql(token, "{ me { id orgUnit { name } } }", json!({})).await);
}

/// Search is bounded and its wildcards match only themselves, on every list.
async fn search_is_bounded_and_literal(app: TestApp) {
    let branch = app.token_for("demo.branch").await;
    act_ok(
        &app,
        &branch,
        "addToSourceList",
        person("Hoàng Thị Mai", "1999-05-10", "2024-03-01"),
    )
    .await;
    let token = app.token_for("demo.district").await;
    for list in ["candidates", "members", "orgUnits"] {
        let query = format!("query($s: String!) {{ {list}(first: 5, filter: {{search: $s}}) {{ totalCount }} }}");
        let body = app
            .graphql(Some(&token), &query, json!({ "s": "x".repeat(50_001) }))
            .await;
        assert_error(&body, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "filter.search", "{body}");
        for wildcard in ["%", "_", "\\"] {
            let body = app.graphql(Some(&token), &query, json!({ "s": wildcard })).await;
            assert_ok(&body);
            assert_eq!(body["data"][list]["totalCount"], 0, "{list} {wildcard:?}: {body}");
        }
        let body = app.graphql(Some(&token), &query, json!({ "s": "a" })).await;
        assert_ok(&body);
        assert!(body["data"][list]["totalCount"].as_u64().unwrap() > 0, "{list}: {body}");
    }
}

/// A citizen ID held outside the branch's sight answers exactly like an unused one; held
/// in the branch it is a conflict; the commune above both lists the pair.
async fn citizen_ids_are_no_oracle(app: TestApp) {
    let roles = Roles::of(&app).await;
    let with_id = |name: &str, citizen: &str| {
        let mut p = person(name, "1999-05-10", "2024-03-01");
        p["citizenId"] = json!(citizen);
        p
    };
    act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        with_id("Hà Thị Một", "001099000001"),
    )
    .await;
    // Khuổi Mạn, a sibling branch of the same commune, cannot tell a held ID from a new one.
    let sibling = crate::workflow_access_token(&app, &roles.commune, "SL.BS.TL.KM", "hostile.km").await;
    let held = act(&app, &sibling, "addToSourceList", with_id("Hà Thị Hai", "001099000001")).await;
    let unused = act(&app, &sibling, "addToSourceList", with_id("Hà Thị Ba", "001099000002")).await;
    assert_ok(&held);
    assert_ok(&unused);
    // Within its own sight it is a conflict.
    let again = act(
        &app,
        &roles.branch,
        "addToSourceList",
        with_id("Hà Thị Bốn", "001099000001"),
    )
    .await;
    assert_error(&again, "CONFLICT");
    // The commune sees both records; neither branch sees the pair.
    let duplicates = "{ possibleDuplicates { totalCount nodes { citizenId candidates { fullName } } } }";
    let body = app.graphql(Some(&roles.commune), duplicates, json!({})).await;
    assert_ok(&body);
    assert_eq!(body["data"]["possibleDuplicates"]["totalCount"], 1, "{body}");
    assert_eq!(
        body["data"]["possibleDuplicates"]["nodes"][0]["citizenId"],
        "001099000001"
    );
    assert_eq!(
        body["data"]["possibleDuplicates"]["nodes"][0]["candidates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for token in [&roles.branch, &sibling] {
        let body = app.graphql(Some(token), duplicates, json!({})).await;
        assert_eq!(body["data"]["possibleDuplicates"]["totalCount"], 0, "{body}");
    }
}

/// A relative of a candidate out of scope and a relative that does not exist answer with
/// the same bytes.
async fn relatives_out_of_scope_answer_like_missing(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { relatives { id } } }",
            json!({ "id": id }),
        )
        .await;
    let relative = body["data"]["candidate"]["relatives"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let missing = crate::scope::encode("Relative", 999_999);
    let banchang = app.token_for("demo.banchang").await;
    let verify = "mutation($i: RecordBackgroundVerificationInput!) { recordBackgroundVerification(input: $i) { candidate { id } } }";
    let answer = |rel: String| {
        let (app, banchang) = (&app, &banchang);
        async move {
            let body = app
                .graphql(
                    Some(banchang),
                    verify,
                    json!({ "i": { "relativeId": rel, "outcome": "PASSED", "verifiedOn": "2024-05-20" } }),
                )
                .await;
            body.to_string()
        }
    };
    let (out_of_scope, missing) = (answer(relative).await, answer(missing).await);
    assert!(out_of_scope.contains("NOT_FOUND"), "{out_of_scope}");
    assert_eq!(out_of_scope, missing);
}

/// The embedded default acknowledges a write only once it is on disk.
async fn sqlite_acknowledges_only_what_is_on_disk(app: TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.db;
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return;
    }
    let row = db
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA synchronous".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    // 2 is FULL.
    assert_eq!(row.try_get_by_index::<i32>(0).unwrap(), 2);
    let row = db
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA journal_mode".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "wal");
}

db_tests!(
    nested_records_of_a_transferred_candidate_stay_in_scope,
    sign_in_payloads_read_the_new_session,
    search_is_bounded_and_literal,
    citizen_ids_are_no_oracle,
    relatives_out_of_scope_answer_like_missing,
    sqlite_acknowledges_only_what_is_on_disk,
    abandoned_acts_leave_nothing_half_done,
);

// Refused before any record is read: the same on every database.
server_tests!(
    anonymous_requests_only_sign_in,
    hostile_documents_are_refused_by_counting
);

/// Acts abandoned by their clients at random points, many at once: each either happened
/// whole (the candidate and its audit event) or not at all, and no connection goes back to
/// the pool inside a transaction.
async fn abandoned_acts_leave_nothing_half_done(app: TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    use std::time::Duration;
    let token = app.token_for("demo.branch").await;
    let query = "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }";
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..25 {
        let mut tasks = Vec::new();
        for k in 0..8 {
            let n = round * 8 + k;
            let body = json!({ "query": query, "variables": { "i": person(&format!("Bỏ Dở {n}"), "1999-05-10", "2024-03-01") } });
            let request = app
                .client
                .post(format!("{}/graphql", app.address))
                .bearer_auth(&token)
                .json(&body);
            // Abandoned after 0 to 30 ms: before, during or after the act's transaction.
            let after = Duration::from_micros(next() % 30_000);
            tasks.push(tokio::spawn(async move {
                let _ = tokio::time::timeout(after, async move { request.send().await?.bytes().await }).await;
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    }
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let count = |sql: &'static str| async move {
        let row = db
            .query_one_raw(Statement::from_string(backend, sql.to_string()))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    if backend == sea_orm::DatabaseBackend::Postgres {
        // Dropped transactions are rolled back as their connections return to the pool.
        let mut stuck = 1;
        for _ in 0..100 {
            stuck = count(
                "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                 AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()",
            )
            .await;
            if stuck == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(stuck, 0, "a connection went back to the pool inside a transaction");
    }
    // Every pooled connection still works: more acts than connections, all complete.
    for n in 0..12 {
        act_ok(
            &app,
            &token,
            "addToSourceList",
            person(&format!("Trọn Vẹn {n}"), "1999-05-10", "2024-03-01"),
        )
        .await;
    }
    // All or nothing: each candidate has its audit event, and each event its candidate.
    let candidates = count("SELECT COUNT(*) AS n FROM candidate WHERE full_name LIKE 'Bỏ Dở %'").await;
    let matched = count(
        "SELECT COUNT(*) AS n FROM candidate c JOIN audit_event e ON e.entity_type = 'Candidate' \
         AND e.entity_id = c.id AND e.act = 'addToSourceList' WHERE c.full_name LIKE 'Bỏ Dở %'",
    )
    .await;
    let orphans = count(
        "SELECT COUNT(*) AS n FROM audit_event e WHERE e.act = 'addToSourceList' \
         AND NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = e.entity_id)",
    )
    .await;
    assert_eq!(candidates, matched);
    assert_eq!(orphans, 0);
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM candidate WHERE full_name LIKE 'Trọn Vẹn %'").await,
        12
    );
}

/// The backend processes of the test's database on PostgreSQL: the pool's connections (the
/// one asking among them).
async fn pooled_backends(app: &TestApp) -> std::collections::BTreeSet<i32> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
        ))
        .await
        .expect("read pg_stat_activity");
    rows.iter()
        .map(|row| row.try_get::<i32>("", "pid").expect("a pid"))
        .collect()
}

/// Reads abandoned by their clients at random points, many at once, close no pooled
/// connection: every backend that served before still serves after, so a client that
/// hangs up mid-request costs no reconnection (a new backend process and its warm-up).
async fn abandoned_reads_keep_their_connections(app: TestApp) {
    use std::time::Duration;
    let token = app.token_for("demo.district").await;
    let query = json!({ "query": "{ candidates(first: 50) { totalCount edges { node { id fullName branch { name parent { name } } } } } }" });
    let read = |app: &TestApp| {
        app.client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .json(&query)
    };
    // Open the pool wide: as many reads at once as it has connections.
    let warm: Vec<_> = (0..16).map(|_| tokio::spawn(read(&app).send())).collect();
    for task in warm {
        assert!(task.await.unwrap().expect("a read").status().is_success());
    }
    let before = pooled_backends(&app).await;
    assert!(before.len() >= 2, "the pool did not open: {before:?}");
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..25 {
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Abandoned after 0 to 20 ms: before, during or after its statements.
                let after = Duration::from_micros(seed % 20_000);
                let request = read(&app);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(after, async move { request.send().await?.bytes().await }).await;
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }
    // What was abandoned has gone back to the pool; every read answers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..16 {
        assert_ok(
            &app.graphql(Some(&token), query["query"].as_str().unwrap(), json!({}))
                .await,
        );
    }
    let after = pooled_backends(&app).await;
    let closed: Vec<_> = before.difference(&after).collect();
    assert!(
        closed.is_empty(),
        "abandoned reads closed pooled connections {closed:?} (before {before:?}, after {after:?})"
    );
}

mod pooled {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn abandoned_reads_keep_their_connections() {
        super::abandoned_reads_keep_their_connections(
            crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await,
        )
        .await
    }
}
