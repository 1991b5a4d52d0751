//! The organisation tree: who sees what, and how the tree may change.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok, assert_rule};

const UNITS: &str = "{ orgUnits(first: 100) { totalCount nodes { code } } }";
const UNIT: &str = "query($id: ID!) { orgUnit(id: $id) { code name parent { code } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on OrgUnit { code } } }";
const CREATE: &str =
    "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id code kind parent { code } } } }";
const MOVE: &str = "mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { orgUnit { code parent { code } } } }";

fn codes(body: &Value) -> BTreeSet<String> {
    body["data"]["orgUnits"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no units in {body}"))
        .iter()
        .map(|n| n["code"].as_str().unwrap().to_string())
        .collect()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

const TAN_LAP: &[&str] = &["SL.BS.TL", "SL.BS.TL.NL", "SL.BS.TL.KM", "SL.BS.TL.THCS"];
const BIEN_SON: &[&str] = &[
    "SL.BS",
    "SL.BS.TL",
    "SL.BS.TL.NL",
    "SL.BS.TL.KM",
    "SL.BS.TL.THCS",
    "SL.BS.HB",
    "SL.BS.HB.BC",
    "SL.BS.HB.NP",
    "SL.BS.DT",
    "SL.BS.DT.CQ",
    "SL.BS.DT.CQ.UB",
    "SL.BS.DT.CQ.CA",
    "SL.BS.DT.DT1",
    "SL.BS.BHXH",
];

async fn each_role_sees_its_subtree_and_nothing_else(app: TestApp) {
    let all_units = 24;
    let expectations: [(&str, Option<BTreeSet<String>>, usize); 5] = [
        ("demo.branch", Some(set(&["SL.BS.TL.NL"])), 1),
        ("demo.commune", Some(set(TAN_LAP)), TAN_LAP.len()),
        ("demo.district", Some(set(BIEN_SON)), BIEN_SON.len()),
        ("demo.province", None, all_units),
        ("demo.admin", None, all_units),
    ];
    for (user, expected, total) in expectations {
        let token = app.token_for(user).await;
        let body = app.graphql(Some(&token), UNITS, json!({})).await;
        assert_ok(&body);
        assert_eq!(body["data"]["orgUnits"]["totalCount"], total, "{user}: {body}");
        if let Some(expected) = expected {
            assert_eq!(codes(&body), expected, "{user}");
        }
    }
}

async fn out_of_scope_answers_like_missing(app: TestApp) {
    let branch = app.token_for("demo.branch").await;
    let commune = app.token_for("demo.commune").await;
    let own = app.unit_id("SL.BS.TL.NL").await;
    let sibling = app.unit_id("SL.BS.TL.KM").await;
    let parent = app.unit_id("SL.BS.TL").await;
    let cousin = app.unit_id("SL.BS.HB.BC").await;
    let missing = ketnap::graphql::relay::global_id("OrgUnit", 999_999).to_string();

    let body = app.graphql(Some(&branch), UNIT, json!({ "id": own })).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["orgUnit"]["parent"],
        Value::Null,
        "the parent is above the branch: {body}"
    );

    let not_found = app.graphql(Some(&branch), UNIT, json!({ "id": missing })).await;
    assert_error(&not_found, "NOT_FOUND");
    for (who, token, id) in [
        ("branch", &branch, &sibling),
        ("branch", &branch, &parent),
        ("commune", &commune, &cousin),
    ] {
        for query in [UNIT, NODE] {
            let body = app.graphql(Some(token), query, json!({ "id": id })).await;
            assert_error(&body, "NOT_FOUND");
            let field = if query == UNIT { "orgUnit" } else { "node" };
            assert_eq!(body["data"][field], Value::Null, "{who}: {body}");
        }
    }
    // Same message for missing and out of scope: nothing to tell them apart.
    let hidden = app.graphql(Some(&branch), UNIT, json!({ "id": sibling })).await;
    assert_eq!(hidden["errors"][0]["message"], not_found["errors"][0]["message"]);
    // Filters cannot reach outside the scope either.
    let body = app
        .graphql(
            Some(&commune),
            "query($w: ID!) { orgUnits(filter: {withinId: $w}) { totalCount } }",
            json!({ "w": app.unit_id("SL.BS").await }),
        )
        .await;
    assert_eq!(body["data"]["orgUnits"]["totalCount"], TAN_LAP.len(), "{body}");
    // node() resolves in-scope records.
    let body = app.graphql(Some(&commune), NODE, json!({ "id": sibling })).await;
    assert_eq!(body["data"]["node"]["code"], "SL.BS.TL.KM", "{body}");
}

async fn deciding_unit_is_computed_from_the_tree(app: TestApp) {
    let province = app.token_for("demo.province").await;
    let query = "query($id: ID!) { orgUnit(id: $id) { grassrootsUnit { code } decidingUnit { code } } }";
    let mut cases = vec![
        (
            "SL.BS.TL.NL",
            json!({ "grassrootsUnit": { "code": "SL.BS.TL" }, "decidingUnit": { "code": "SL.BS" } }),
        ),
        (
            "SL.BS.DT.CQ.UB",
            json!({ "grassrootsUnit": { "code": "SL.BS.DT" }, "decidingUnit": { "code": "SL.BS" } }),
        ),
        (
            "SL.BS.BHXH",
            json!({ "grassrootsUnit": { "code": "SL.BS.BHXH" }, "decidingUnit": { "code": "SL.BS" } }),
        ),
        (
            "SL.PS.BM",
            json!({ "grassrootsUnit": { "code": "SL.PS" }, "decidingUnit": { "code": "SL" } }),
        ),
        ("SL.BS", json!({ "grassrootsUnit": null, "decidingUnit": null })),
    ];
    for (code, expected) in cases.drain(..) {
        let body = app
            .graphql(Some(&province), query, json!({ "id": app.unit_id(code).await }))
            .await;
        assert_eq!(body["data"]["orgUnit"], expected, "{code}: {body}");
    }
    // Delegated authority: the commune decides for itself.
    let district = app.token_for("demo.district").await;
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let body = app
        .graphql(Some(&district), "mutation($id: ID!) { setAdmissionAuthorityDelegation(input: {id: $id, delegated: true}) { orgUnit { delegatedAdmissionAuthority } } }", json!({ "id": tan_lap }))
        .await;
    assert_eq!(
        body["data"]["setAdmissionAuthorityDelegation"]["orgUnit"]["delegatedAdmissionAuthority"], true,
        "{body}"
    );
    let body = app
        .graphql(
            Some(&province),
            query,
            json!({ "id": app.unit_id("SL.BS.TL.KM").await }),
        )
        .await;
    assert_eq!(body["data"]["orgUnit"]["decidingUnit"]["code"], "SL.BS.TL", "{body}");
    // A commune cannot grant itself authority, and a branch under a commune holds none.
    let commune = app.token_for("demo.commune").await;
    let set_own = app
        .graphql(Some(&commune), "mutation($id: ID!) { setAdmissionAuthorityDelegation(input: {id: $id, delegated: false}) { orgUnit { code } } }", json!({ "id": tan_lap }))
        .await;
    assert_error(&set_own, "FORBIDDEN");
    let branch_id = app.unit_id("SL.BS.TL.NL").await;
    let body = app
        .graphql(Some(&district), "mutation($id: ID!) { setAdmissionAuthorityDelegation(input: {id: $id, delegated: true}) { orgUnit { code } } }", json!({ "id": branch_id }))
        .await;
    assert_rule(&body, "ORG_NOT_GRASSROOTS");
}

async fn units_are_created_within_scope_and_kind_order(app: TestApp) {
    let commune = app.token_for("demo.commune").await;
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let input = json!({ "parentId": tan_lap, "kind": "BRANCH", "code": "sl.bs.tl.bg", "name": "  Chi bộ thôn  Bản Giới ", "activeFrom": "2026-01-01" });
    let body = app.graphql(Some(&commune), CREATE, json!({ "i": input })).await;
    assert_ok(&body);
    let created = &body["data"]["createOrgUnit"]["orgUnit"];
    assert_eq!(created["code"], "SL.BS.TL.BG");
    assert_eq!(created["parent"]["code"], "SL.BS.TL");
    let body = app.graphql(Some(&commune), UNITS, json!({})).await;
    assert!(codes(&body).contains("SL.BS.TL.BG"));

    // The same code twice conflicts.
    assert_error(
        &app.graphql(Some(&commune), CREATE, json!({ "i": input })).await,
        "CONFLICT",
    );
    // A branch cannot hold a branch; a district cannot sit under a commune.
    let nl = app.unit_id("SL.BS.TL.NL").await;
    let body = app
        .graphql(
            Some(&commune),
            CREATE,
            json!({ "i": { "parentId": nl, "kind": "BRANCH", "code": "X1", "name": "X" } }),
        )
        .await;
    assert_rule(&body, "ORG_PARENT_KIND_NOT_ALLOWED");
    let body = app
        .graphql(
            Some(&commune),
            CREATE,
            json!({ "i": { "parentId": tan_lap, "kind": "DISTRICT", "code": "X2", "name": "X" } }),
        )
        .await;
    assert_rule(&body, "ORG_PARENT_KIND_NOT_ALLOWED");
    // A parent outside the actor's subtree answers like a missing one.
    let hoa_binh = app.unit_id("SL.BS.HB").await;
    let body = app
        .graphql(
            Some(&commune),
            CREATE,
            json!({ "i": { "parentId": hoa_binh, "kind": "BRANCH", "code": "X3", "name": "X" } }),
        )
        .await;
    assert_error(&body, "NOT_FOUND");
    // Only an administrator creates a root.
    let body = app
        .graphql(
            Some(&commune),
            CREATE,
            json!({ "i": { "kind": "PROVINCE", "code": "X4", "name": "X" } }),
        )
        .await;
    assert_error(&body, "FORBIDDEN");
    // Malformed input names its field.
    let body = app
        .graphql(
            Some(&commune),
            CREATE,
            json!({ "i": { "parentId": tan_lap, "kind": "BRANCH", "code": "bad code!", "name": "X" } }),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "code");
}

async fn moves_refuse_cycles_wrong_kinds_and_out_of_scope_parents(app: TestApp) {
    let district = app.token_for("demo.district").await;
    let dong_tam = app.unit_id("SL.BS.DT").await;
    let section = app.unit_id("SL.BS.DT.CQ").await;
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let phuc_son = app.unit_id("SL.PS").await;

    let body = app
        .graphql(
            Some(&district),
            MOVE,
            json!({ "i": { "id": dong_tam, "newParentId": section } }),
        )
        .await;
    assert_rule(&body, "ORG_TREE_CYCLE");
    let body = app
        .graphql(
            Some(&district),
            MOVE,
            json!({ "i": { "id": dong_tam, "newParentId": dong_tam } }),
        )
        .await;
    assert_rule(&body, "ORG_TREE_CYCLE");
    let body = app
        .graphql(
            Some(&district),
            MOVE,
            json!({ "i": { "id": section, "newParentId": app.unit_id("SL.BS").await } }),
        )
        .await;
    assert_rule(&body, "ORG_PARENT_KIND_NOT_ALLOWED");
    let body = app
        .graphql(
            Some(&district),
            MOVE,
            json!({ "i": { "id": tan_lap, "newParentId": app.unit_id("SL.TP").await } }),
        )
        .await;
    assert_error(&body, "NOT_FOUND");
    // A commune's own staff cannot move it.
    let commune = app.token_for("demo.commune").await;
    let body = app
        .graphql(
            Some(&commune),
            MOVE,
            json!({ "i": { "id": tan_lap, "newParentId": tan_lap } }),
        )
        .await;
    assert_error(&body, "FORBIDDEN");

    // The province moves the post-2025 commune under the district: the district now sees
    // it and decides for it.
    let province = app.token_for("demo.province").await;
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": phuc_son, "newParentId": app.unit_id("SL.BS").await, "effectiveOn": "2026-01-01" } }),
        )
        .await;
    assert_ok(&body);
    assert_eq!(body["data"]["moveOrgUnit"]["orgUnit"]["parent"]["code"], "SL.BS");
    let body = app.graphql(Some(&district), UNITS, json!({})).await;
    let seen = codes(&body);
    assert!(seen.contains("SL.PS") && seen.contains("SL.PS.BM"), "{seen:?}");
    let body = app
        .graphql(
            Some(&district),
            "query($id: ID!) { orgUnit(id: $id) { decidingUnit { code } } }",
            json!({ "id": phuc_son }),
        )
        .await;
    assert_eq!(body["data"]["orgUnit"]["decidingUnit"]["code"], "SL.BS", "{body}");
    // Moving again before the last move took effect is refused.
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": phuc_son, "newParentId": app.unit_id("SL").await, "effectiveOn": "2025-12-31" } }),
        )
        .await;
    assert_rule(&body, "ORG_MOVE_BEFORE_LAST_CHANGE");
}

async fn closing_renaming_and_the_audit_trail(app: TestApp) {
    let district = app.token_for("demo.district").await;
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let close = "mutation($i: CloseOrgUnitInput!) { closeOrgUnit(input: $i) { orgUnit { code closedOn } } }";
    let body = app
        .graphql(
            Some(&district),
            close,
            json!({ "i": { "id": tan_lap, "closedOn": "2026-06-30" } }),
        )
        .await;
    assert_rule(&body, "ORG_UNIT_HAS_OPEN_CHILDREN");
    let km = app.unit_id("SL.BS.TL.KM").await;
    let body = app
        .graphql(
            Some(&district),
            close,
            json!({ "i": { "id": km, "closedOn": "2026-06-30" } }),
        )
        .await;
    assert_eq!(
        body["data"]["closeOrgUnit"]["orgUnit"]["closedOn"], "2026-06-30",
        "{body}"
    );
    let open = app
        .graphql(Some(&district), "{ orgUnits(first: 100) { totalCount } }", json!({}))
        .await;
    assert_eq!(open["data"]["orgUnits"]["totalCount"], BIEN_SON.len() - 1);

    let rename = "mutation($i: RenameOrgUnitInput!) { renameOrgUnit(input: $i) { orgUnit { name } } }";
    let body = app
        .graphql(
            Some(&district),
            rename,
            json!({ "i": { "id": tan_lap, "name": "Đảng bộ xã Tân Lập Mới" } }),
        )
        .await;
    assert_eq!(
        body["data"]["renameOrgUnit"]["orgUnit"]["name"], "Đảng bộ xã Tân Lập Mới",
        "{body}"
    );
    // Search ignores diacritics and case.
    let body = app
        .graphql(
            Some(&district),
            "{ orgUnits(filter: {search: \"TAN LAP moi\"}) { nodes { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&body), set(&["SL.BS.TL"]));

    // Each act left one audit event, written with the change.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let events = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Act.is_in(["closeOrgUnit", "renameOrgUnit"]))
        .order_by_asc(entity::audit_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    let acts: Vec<_> = events.iter().map(|e| (e.act.as_str(), e.actor_role.as_str())).collect();
    assert_eq!(acts, [("closeOrgUnit", "DISTRICT"), ("renameOrgUnit", "DISTRICT")]);
    assert_eq!(events[1].before.as_ref().unwrap()["name"], "Đảng bộ xã Tân Lập");
    assert_eq!(events[1].after.as_ref().unwrap()["name"], "Đảng bộ xã Tân Lập Mới");
}

async fn pages_are_bounded_and_chain(app: TestApp) {
    let province = app.token_for("demo.province").await;
    let page = "query($after: String) { orgUnits(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } }";
    let mut seen = BTreeSet::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let body = app.graphql(Some(&province), page, json!({ "after": after })).await;
        assert_ok(&body);
        seen.extend(codes(&body));
        pages += 1;
        let info = &body["data"]["orgUnits"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!((pages, seen.len()), (3, 24));
    for first in [0, 101] {
        let body = app
            .graphql(
                Some(&province),
                "query($f: Int) { orgUnits(first: $f) { totalCount } }",
                json!({ "f": first }),
            )
            .await;
        assert_error(&body, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "first");
    }
    let body = app
        .graphql(
            Some(&province),
            "{ orgUnits(after: \"bm90LWEtY3Vyc29y\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT");
}

db_tests!(
    each_role_sees_its_subtree_and_nothing_else,
    out_of_scope_answers_like_missing,
    deciding_unit_is_computed_from_the_tree,
    units_are_created_within_scope_and_kind_order,
    moves_refuse_cycles_wrong_kinds_and_out_of_scope_parents,
    closing_renaming_and_the_audit_trail,
    pages_are_bounded_and_chain,
);
