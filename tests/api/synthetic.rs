//! The synthetic data (`ketnap seed synthetic`) at a tiny scale of the same shape: the tree
//! and the people it promises, every stage present with its dates in order, the same rows
//! for the same seed, and an account that sees exactly its district over HTTP.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use ketnap::seed::synthetic::{self, Generated, SYNTHETIC_PASSWORD, Shape};

use crate::helpers::{TestApp, assert_ok};

/// Remove what the test template holds beyond what the migrations seed, so the synthetic
/// data goes into an empty database as the command requires.
async fn empty(db: &DatabaseConnection) {
    for table in [
        "audit_event",
        "refresh_token",
        "api_token",
        "login_attempt",
        "member",
        "residential_area",
        "app_user",
        "org_unit_closure",
        "org_unit",
    ] {
        db.execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .unwrap_or_else(|e| panic!("empty {table}: {e}"));
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect("count")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

/// A digest of every candidate's and member's generated facts, to compare two runs.
async fn digest(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, branch_id, full_name, stage, listed_on, ceremony_on FROM candidate ORDER BY id".to_string(),
        ))
        .await
        .expect("read candidates");
    rows.iter()
        .map(|r| {
            let id: i32 = r.try_get("", "id").expect("id");
            let branch: i32 = r.try_get("", "branch_id").expect("branch");
            let name: String = r.try_get("", "full_name").expect("name");
            let stage: String = r.try_get("", "stage").expect("stage");
            format!("{id} {branch} {name} {stage}")
        })
        .collect()
}

async fn synthetic_data_is_what_it_promises(app: TestApp) {
    let db = &app.state.db;
    empty(db).await;
    let today = ketnap::clock::today();
    let made = synthetic::seed(db, &app.state.auth.passwords, Shape::TINY, 7, today)
        .await
        .expect("seed");
    // 1 province, 5 districts, 10 communes, 25 branches.
    assert_eq!(
        made,
        Generated {
            units: 41,
            candidates: 400,
            members: 300,
            audit_events: 700
        }
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM org_unit").await, 41);
    assert_eq!(count(db, "SELECT COUNT(*) FROM residential_area").await, 20);
    // Every unit under itself and each of its ancestors: 5 districts under 1, 10 communes
    // under 2, 25 branches under 3.
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM org_unit_closure").await,
        41 + 5 + 2 * 10 + 3 * 25
    );
    // Every stage of a tree without sections.
    assert_eq!(
        count(db, "SELECT COUNT(DISTINCT stage) FROM candidate").await,
        14,
        "every stage but SECTION_APPRAISED"
    );
    // Each path's dates in order, and none after today.
    let disordered = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM candidate WHERE branch_resolution_on < listed_on \
             OR decision_signed_on < branch_resolution_on OR ceremony_on < decision_received_on \
             OR recognition_branch_on < probation_ends_on OR recognition_commune_on < recognition_branch_on \
             OR listed_on > '{today}' OR ceremony_on > '{today}' OR recognition_commune_on > '{today}'"
        ),
    )
    .await;
    assert_eq!(disordered, 0);
    // The open clocks were computed.
    assert!(count(db, "SELECT COUNT(*) FROM candidate WHERE next_due_on IS NOT NULL").await > 50);

    // The district account sees its district's 100 candidates, nested units and all.
    let login = app.login("synthetic-district", SYNTHETIC_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("a token")
        .to_string();
    let q1 = "query { candidates(first: 50) { totalCount edges { node { id branch { name parent { name } } } } } }";
    let body = app.graphql(Some(&token), q1, json!({})).await;
    assert_ok(&body);
    assert_eq!(body["data"]["candidates"]["totalCount"], 100, "{body}");
    let edges = body["data"]["candidates"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 50);
    assert!(
        edges.iter().all(|e| e["node"]["branch"]["parent"]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Đảng bộ xã"))),
        "{body}"
    );
    let body = app
        .graphql(Some(&token), "{ me { orgUnit { id code } } }", json!({}))
        .await;
    assert_eq!(body["data"]["me"]["orgUnit"]["code"], "T01H05", "{body}");
    let district = body["data"]["me"]["orgUnit"]["id"]
        .as_str()
        .expect("the district")
        .to_string();
    let report = "query($u: ID!) { pipelineSummary(unitId: $u) { byStage { stage count } } }";
    let body = app.graphql(Some(&token), report, json!({ "u": district })).await;
    assert_ok(&body);
    let by_stage = body["data"]["pipelineSummary"]["byStage"].as_array().expect("by stage");
    let open: i64 = by_stage.iter().map(|s| s["count"].as_i64().unwrap_or(0)).sum();
    assert!(open > 0 && open <= 100, "{body}");

    // The same seed gives the same rows; another seed does not.
    let first = digest(db).await;
    empty_all(db).await;
    synthetic::seed(db, &app.state.auth.passwords, Shape::TINY, 7, today)
        .await
        .expect("again");
    assert_eq!(digest(db).await, first, "the same seed, the same rows");
    empty_all(db).await;
    synthetic::seed(db, &app.state.auth.passwords, Shape::TINY, 8, today)
        .await
        .expect("another seed");
    assert_ne!(digest(db).await, first, "another seed, other rows");
    // Synthetic data goes only into an empty database.
    let again = synthetic::seed(db, &app.state.auth.passwords, Shape::TINY, 8, today).await;
    assert!(again.is_err(), "seeded twice into one database");
}

/// After the reform (the national shape) the communes sit under their province from
/// 1 July 2025 and the districts are closed; the province sees every candidate.
async fn synthetic_reform_moves_the_communes(app: TestApp) {
    let db = &app.state.db;
    empty(db).await;
    let shape = Shape {
        reform: true,
        ..Shape::TINY
    };
    synthetic::seed(db, &app.state.auth.passwords, shape, 7, ketnap::clock::today())
        .await
        .expect("seed");
    // Districts under the province; communes under their district until the reform and
    // under the province twice (as grandchild until it, as child from it); branches under
    // their commune, and the same three links above it.
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM org_unit_closure").await,
        41 + 5 + 3 * 10 + 4 * 25
    );
    let open = "SELECT COUNT(*) FROM org_unit_closure WHERE valid_to IS NULL AND depth > 0";
    assert_eq!(count(db, open).await, 5 + 10 + 2 * 25);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM org_unit WHERE closed_on IS NOT NULL").await,
        5
    );
    let login = app.login("synthetic-province", SYNTHETIC_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("a token")
        .to_string();
    let q1 = "query { candidates(first: 5) { totalCount edges { node { branch { parent { parent { kind } } } } } } }";
    let body = app.graphql(Some(&token), q1, json!({})).await;
    assert_ok(&body);
    assert_eq!(body["data"]["candidates"]["totalCount"], 400, "{body}");
    assert_eq!(
        body["data"]["candidates"]["edges"][0]["node"]["branch"]["parent"]["parent"]["kind"], "PROVINCE",
        "{body}"
    );
}

/// Everything the synthetic seed wrote.
async fn empty_all(db: &DatabaseConnection) {
    for table in ["admission_target", "course", "candidate"] {
        db.execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .expect("empty");
    }
    empty(db).await;
}

/// Q1 of the benchmark (a district's candidates with their branch and its parent, and the
/// total) is two statements, the page with its units and the count, at any page size; and
/// what it answers is what the tables hold.
async fn q1_is_two_statements_at_any_page_size(counting: (TestApp, Arc<AtomicUsize>)) {
    let (app, statements) = counting;
    let db = &app.state.db;
    seed_tiny(&app, 7).await;
    let login = app.login("synthetic-district", SYNTHETIC_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("a token")
        .to_string();
    // Each candidate's branch and the branch's parent, as the tables say.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT c.id, b.name, p.name FROM candidate c JOIN org_unit b ON b.id = c.branch_id \
             JOIN org_unit p ON p.id = b.parent_id"
                .to_string(),
        ))
        .await
        .expect("read the candidates");
    let expected: HashMap<i32, (String, String)> = rows
        .iter()
        .map(|r| {
            let id: i32 = r.try_get_by_index(0).expect("id");
            (
                id,
                (
                    r.try_get_by_index(1).expect("branch"),
                    r.try_get_by_index(2).expect("parent"),
                ),
            )
        })
        .collect();
    let q1 = "query($n: Int) { candidates(first: $n) { totalCount edges { node { id fullName branch { name parent { name } } } } } }";
    let mut counts = Vec::new();
    for first in [10, 100] {
        let before = statements.load(Ordering::SeqCst);
        let body = app.graphql(Some(&token), q1, json!({ "n": first })).await;
        counts.push(statements.load(Ordering::SeqCst) - before);
        assert_ok(&body);
        assert_eq!(body["data"]["candidates"]["totalCount"], 100, "{body}");
        let edges = body["data"]["candidates"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), first);
        for edge in edges {
            let node = &edge["node"];
            let id = ketnap::graphql::relay::parse_global_id(&node["id"].as_str().expect("an id").into())
                .expect("a global id")
                .1;
            let (branch, parent) = &expected[&id];
            assert_eq!(node["branch"]["name"], branch.as_str(), "{node}");
            assert_eq!(node["branch"]["parent"]["name"], parent.as_str(), "{node}");
        }
    }
    assert_eq!(
        counts[0], counts[1],
        "statements at first: 10 and first: 100: {counts:?}"
    );
    assert!(counts[1] <= 2, "the page with its units, and the count: {counts:?}");

    // A branch's account sees its branch, not the commune above it: the parent is `null`.
    let login = app.login("synthetic-branch", SYNTHETIC_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("a token")
        .to_string();
    let body = app.graphql(Some(&token), q1, json!({ "n": 10 })).await;
    assert_ok(&body);
    let edges = body["data"]["candidates"]["edges"].as_array().expect("edges");
    assert!(!edges.is_empty(), "{body}");
    for edge in edges {
        let node = &edge["node"];
        let id = ketnap::graphql::relay::parse_global_id(&node["id"].as_str().expect("an id").into())
            .expect("a global id")
            .1;
        assert_eq!(node["branch"]["name"], expected[&id].0.as_str(), "{node}");
        assert_eq!(node["branch"]["parent"], Value::Null, "{node}");
    }
}

/// An empty database filled with the tiny synthetic shape for `seed`, as of today.
pub(crate) async fn seed_tiny(app: &TestApp, seed: u64) {
    empty(&app.state.db).await;
    synthetic::seed(
        &app.state.db,
        &app.state.auth.passwords,
        Shape::TINY,
        seed,
        ketnap::clock::today(),
    )
    .await
    .expect("seed");
}

/// Every candidate in id order with its branch and the branch's parent, as a list reads them
/// (`access::with_units`); an error as its debug text, which names the cause.
async fn with_their_units(
    db: &DatabaseConnection,
) -> Result<(Vec<entity::candidate::Model>, ketnap::access::UnitsRead), String> {
    use sea_orm::{EntityTrait, QueryOrder};
    ketnap::access::with_units(
        db,
        ketnap::access::Scope::All,
        entity::candidate::Entity::find().order_by_asc(entity::candidate::Column::Id),
        entity::candidate::Column::BranchId,
        ketnap::access::UnitsAhead::UnitAndParent,
        ketnap::columns::Layout::default(),
    )
    .await
    .map_err(|e| format!("{e:?}"))
}

/// A list's own reader of rows (`columns::ListRow`, by position) gives what sea-orm's derived
/// reader gives, for rows with their nullable columns empty and for one with every one
/// filled, and for the units joined beside them.
async fn a_list_reads_its_rows_as_sea_orm_does(app: TestApp) {
    use entity::candidate;
    use sea_orm::{EntityTrait, QueryOrder, QueryTrait};
    let db = &app.state.db;
    seed_tiny(&app, 7).await;
    db.execute_unprepared(
        "UPDATE candidate SET occupation = 'Giáo viên', workplace = 'Trường tiểu học', \
         citizen_id = '001090000001', exit_reason = 'chuyển đi', branch_resolution_on = '2024-01-02', \
         decision_signed_on = '2024-01-03', decision_received_on = '2024-01-04', ceremony_on = '2024-01-05', \
         probation_ends_on = '2025-01-05', recognition_commune_on = '2025-01-06', \
         recognition_branch_on = '2025-01-07', official_on = '2025-01-08', exited_on = '2025-01-09', \
         next_due_on = '2025-01-10', residential_area_id = (SELECT MIN(id) FROM residential_area), \
         readmission_of_member_id = (SELECT MIN(id) FROM member) \
         WHERE id = (SELECT MIN(id) FROM candidate)",
    )
    .await
    .expect("fill one candidate's nullable columns");
    let query = candidate::Entity::find().order_by_asc(candidate::Column::Id);
    let derived = query.clone().all(db).await.expect("read as sea-orm reads");
    let rows = db.query_all(&query.into_query()).await.expect("read the rows");
    let listed: Vec<candidate::Model> = ketnap::columns::read_page(&rows).expect("read as a list reads");
    assert_eq!(listed.len(), 400);
    assert!(derived[0].occupation.is_some() && derived[0].readmission_of_member_id.is_some());
    assert!(derived.iter().any(|c| c.ceremony_on.is_none()));
    assert_eq!(listed, derived);
    // The units joined into a page (`U_`, `P_`) read as sea-orm reads them too, a closed
    // one among them.
    db.execute_unprepared(
        "UPDATE org_unit SET closed_on = '2025-06-30' \
         WHERE id = (SELECT MAX(branch_id) FROM candidate)",
    )
    .await
    .expect("close one branch");
    let (joined, units) = with_their_units(db).await.expect("read a page with its units");
    assert_eq!(joined, derived);
    let all_units: HashMap<i32, entity::org_unit::Model> = entity::org_unit::Entity::find()
        .all(db)
        .await
        .expect("read the units")
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let branches: std::collections::HashSet<i32> = derived.iter().map(|c| c.branch_id).collect();
    assert!(
        units.len() > branches.len(),
        "branches and their parents: {}",
        units.len()
    );
    assert!(
        units
            .iter()
            .any(|(_, u)| u.as_ref().is_some_and(|u| u.closed_on.is_some()))
    );
    for (id, unit) in &units {
        assert_eq!(unit.as_ref(), all_units.get(id), "unit {id}");
    }
}

/// An unknown stored code read by a list, in the page's own rows or in a unit joined beside
/// them, is the same error the derived reader gives: the code, the column and the row.
async fn a_list_names_the_row_of_an_unknown_code(app: TestApp) {
    use entity::candidate;
    use sea_orm::{EntityTrait, QueryOrder, QueryTrait};
    let db = &app.state.db;
    seed_tiny(&app, 3).await;
    let page = || candidate::Entity::find().order_by_asc(candidate::Column::Id);
    let read = || async {
        with_their_units(db)
            .await
            .map(|_| ())
            .expect_err("an unknown code is an error")
    };
    let candidates = page().all(db).await.expect("candidates");
    let last = candidates.last().expect("a candidate");
    let (candidate_id, branch_id) = (last.id, last.branch_id);
    db.execute_unprepared(&format!(
        "UPDATE candidate SET gender = 'ZZZ' WHERE id = {candidate_id}"
    ))
    .await
    .expect("store an unknown gender");
    let error = read().await;
    let expected = format!("unknown Gender code \"ZZZ\" in column gender of the row with id {candidate_id}");
    assert!(error.contains(&expected), "{error}");
    let rows = db.query_all(&page().into_query()).await.expect("rows");
    let error = ketnap::columns::read_page::<candidate::Model>(&rows)
        .expect_err("unknown gender")
        .to_string();
    assert!(error.ends_with(&expected), "{error}");
    db.execute_unprepared(&format!(
        "UPDATE candidate SET gender = '{}' WHERE id = {candidate_id}",
        last.gender.as_str()
    ))
    .await
    .expect("mend it");
    db.execute_unprepared(&format!("UPDATE org_unit SET kind = 'ZZZ' WHERE id = {branch_id}"))
        .await
        .expect("store an unknown kind");
    let error = read().await;
    let expected = format!("unknown OrgKind code \"ZZZ\" in column U_kind of the row with id {branch_id}");
    assert!(error.contains(&expected), "{error}");
}

db_tests!(
    synthetic_data_is_what_it_promises,
    synthetic_reform_moves_the_communes,
    a_list_reads_its_rows_as_sea_orm_does,
    a_list_names_the_row_of_an_unknown_code
);

counting_tests!(q1_is_two_statements_at_any_page_size);
