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
    let all_units = 27;
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

/// Who decides is computed from the tree as it stood on the day asked about (Điều lệ Đảng
/// 2011, Điều 4 khoản 3: the direct superior of the grassroots organisation, or the
/// organisation itself when delegated; Hướng dẫn 31-HD/BTCTW 2025: a commune placed under
/// the province is the direct superior of the grassroots organisations beneath it).
async fn deciding_unit_is_computed_from_the_tree(app: TestApp) {
    let province = app.token_for("demo.province").await;
    let query =
        "query($id: ID!) { orgUnit(id: $id) { grassrootsUnit { code } decidingUnit { code } holdsSuperiorAuthority } }";
    let cases = [
        // A pre-2025 commune under its district.
        (
            "SL.BS.TL.NL",
            json!({ "grassrootsUnit": { "code": "SL.BS.TL" }, "decidingUnit": { "code": "SL.BS" }, "holdsSuperiorAuthority": false }),
        ),
        (
            "SL.BS.DT.CQ.UB",
            json!({ "grassrootsUnit": { "code": "SL.BS.DT" }, "decidingUnit": { "code": "SL.BS" }, "holdsSuperiorAuthority": false }),
        ),
        // A grassroots branch directly under a district.
        (
            "SL.BS.BHXH",
            json!({ "grassrootsUnit": { "code": "SL.BS.BHXH" }, "decidingUnit": { "code": "SL.BS" }, "holdsSuperiorAuthority": false }),
        ),
        // A post-2025 commune under the province decides for its branches…
        (
            "SL.PS.BM",
            json!({ "grassrootsUnit": { "code": "SL.PS.BM" }, "decidingUnit": { "code": "SL.PS" }, "holdsSuperiorAuthority": false }),
        ),
        // …and for the grassroots committees under it, and their branches.
        (
            "SL.PS.THPT",
            json!({ "grassrootsUnit": { "code": "SL.PS.THPT" }, "decidingUnit": { "code": "SL.PS" }, "holdsSuperiorAuthority": false }),
        ),
        (
            "SL.PS.THPT.GV",
            json!({ "grassrootsUnit": { "code": "SL.PS.THPT" }, "decidingUnit": { "code": "SL.PS" }, "holdsSuperiorAuthority": false }),
        ),
        (
            "SL.PS",
            json!({ "grassrootsUnit": null, "decidingUnit": null, "holdsSuperiorAuthority": true }),
        ),
        (
            "SL.BS.TL",
            json!({ "grassrootsUnit": { "code": "SL.BS.TL" }, "decidingUnit": { "code": "SL.BS" }, "holdsSuperiorAuthority": false }),
        ),
        (
            "SL.BS",
            json!({ "grassrootsUnit": null, "decidingUnit": null, "holdsSuperiorAuthority": true }),
        ),
    ];
    for (code, expected) in cases {
        let body = app
            .graphql(Some(&province), query, json!({ "id": app.unit_id(code).await }))
            .await;
        assert_eq!(body["data"]["orgUnit"], expected, "{code}: {body}");
    }
    // The school's committee may have a section; the commune above it may not.
    let create = |parent: &str, code: &str| json!({ "i": { "parentId": parent, "kind": "SECTION", "code": code, "name": "Đảng bộ bộ phận", "activeFrom": "2026-01-01" } });
    let thpt = app.unit_id("SL.PS.THPT").await;
    let phuc_son = app.unit_id("SL.PS").await;
    assert_ok(
        &app.graphql(Some(&province), CREATE, create(&thpt, "SL.PS.THPT.BP"))
            .await,
    );
    let refused = app
        .graphql(Some(&province), CREATE, create(&phuc_son, "SL.PS.BP"))
        .await;
    assert_rule(&refused, "ORG_PARENT_KIND_NOT_ALLOWED");
    // A grassroots committee may sit under the new commune, never under an old one.
    let grassroots = |parent: &str, code: &str| json!({ "i": { "parentId": parent, "kind": "GRASSROOTS", "code": code, "name": "Đảng bộ cơ sở", "activeFrom": "2026-01-01" } });
    assert_ok(
        &app.graphql(Some(&province), CREATE, grassroots(&phuc_son, "SL.PS.YT"))
            .await,
    );
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let refused = app
        .graphql(Some(&province), CREATE, grassroots(&tan_lap, "SL.BS.TL.X"))
        .await;
    assert_rule(&refused, "ORG_PARENT_KIND_NOT_ALLOWED");
}

/// Delegation is dated: a decider is the one in force on the day, and withdrawing it
/// re-routes only what follows.
async fn delegation_is_dated(app: TestApp) {
    let province = app.token_for("demo.province").await;
    let district = app.token_for("demo.district").await;
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let km = app.unit_id("SL.BS.TL.KM").await;
    let decider_on = |day: &'static str| {
        let (app, province, km) = (&app, &province, &km);
        async move {
            let body = app
                .graphql(
                    Some(province),
                    "query($id: ID!, $on: Date) { orgUnit(id: $id) { decidingUnit(on: $on) { code } } }",
                    json!({ "id": km, "on": day }),
                )
                .await;
            body["data"]["orgUnit"]["decidingUnit"]["code"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    const DELEGATE: &str = "mutation($i: DelegateAdmissionAuthorityInput!) { delegateAdmissionAuthority(input: $i) { orgUnit { delegatedAdmissionAuthority admissionDelegations { grantedOn decisionNumber withdrawnOn } } } }";
    const WITHDRAW: &str = "mutation($i: WithdrawAdmissionAuthorityInput!) { withdrawAdmissionAuthority(input: $i) { orgUnit { delegatedAdmissionAuthority(on: \"2026-05-31\") admissionDelegations { grantedOn withdrawnOn } } } }";
    let body = app
        .graphql(
            Some(&district),
            DELEGATE,
            json!({ "i": { "id": tan_lap, "grantedOn": "2026-03-01", "decisionNumber": "15-QĐ/HU" } }),
        )
        .await;
    assert_eq!(
        body["data"]["delegateAdmissionAuthority"]["orgUnit"],
        json!({ "delegatedAdmissionAuthority": true, "admissionDelegations": [{ "grantedOn": "2026-03-01", "decisionNumber": "15-QĐ/HU", "withdrawnOn": null }] }),
        "{body}"
    );
    assert_eq!(decider_on("2026-02-28").await, "SL.BS");
    assert_eq!(decider_on("2026-03-01").await, "SL.BS.TL");
    let again = app
        .graphql(
            Some(&district),
            DELEGATE,
            json!({ "i": { "id": tan_lap, "grantedOn": "2026-04-01" } }),
        )
        .await;
    assert_rule(&again, "DELEGATION_ALREADY_IN_FORCE");
    let early = app
        .graphql(
            Some(&district),
            WITHDRAW,
            json!({ "i": { "id": tan_lap, "withdrawnOn": "2026-03-01" } }),
        )
        .await;
    assert_rule(&early, "DELEGATION_WITHDRAWN_BEFORE_GRANTED");
    let body = app
        .graphql(
            Some(&district),
            WITHDRAW,
            json!({ "i": { "id": tan_lap, "withdrawnOn": "2026-06-01" } }),
        )
        .await;
    assert_eq!(
        body["data"]["withdrawAdmissionAuthority"]["orgUnit"],
        json!({ "delegatedAdmissionAuthority": true, "admissionDelegations": [{ "grantedOn": "2026-03-01", "withdrawnOn": "2026-06-01" }] }),
        "{body}"
    );
    // Before the withdrawal the commune still decided; from that day the district again.
    assert_eq!(decider_on("2026-05-31").await, "SL.BS.TL");
    assert_eq!(decider_on("2026-06-01").await, "SL.BS");
    assert_eq!(decider_on("2026-11-30").await, "SL.BS");
    let none = app
        .graphql(
            Some(&district),
            WITHDRAW,
            json!({ "i": { "id": tan_lap, "withdrawnOn": "2026-07-01" } }),
        )
        .await;
    assert_rule(&none, "DELEGATION_NOT_IN_FORCE");
    let overlapping = app
        .graphql(
            Some(&district),
            DELEGATE,
            json!({ "i": { "id": tan_lap, "grantedOn": "2026-05-01" } }),
        )
        .await;
    assert_rule(&overlapping, "DELEGATION_OVERLAPS");
    let future = app
        .graphql(
            Some(&district),
            DELEGATE,
            json!({ "i": { "id": tan_lap, "grantedOn": "2099-01-01" } }),
        )
        .await;
    assert_rule(&future, "DATE_IN_FUTURE");
    // A commune cannot grant itself authority; only grassroots organisations hold it.
    let commune = app.token_for("demo.commune").await;
    let own = app
        .graphql(Some(&commune), DELEGATE, json!({ "i": { "id": tan_lap } }))
        .await;
    assert_error(&own, "FORBIDDEN");
    for code in ["SL.BS.TL.NL", "SL.PS"] {
        let body = app
            .graphql(
                Some(&province),
                DELEGATE,
                json!({ "i": { "id": app.unit_id(code).await } }),
            )
            .await;
        assert_rule(&body, "ORG_NOT_GRASSROOTS");
    }
    // A grassroots branch of the new commune may be delegated.
    let ban_moi = app.unit_id("SL.PS.BM").await;
    assert_ok(
        &app.graphql(
            Some(&province),
            DELEGATE,
            json!({ "i": { "id": ban_moi, "grantedOn": "2026-02-01" } }),
        )
        .await,
    );
}

/// A commune moved under the province on the reform date: for earlier days its district
/// decided and the commune was the grassroots level; from that day the commune decides
/// and its branches are grassroots branches.
async fn a_unit_moved_across_the_reform_keeps_its_old_decider_for_earlier_days(app: TestApp) {
    let province = app.token_for("demo.province").await;
    let hoa_binh = app.unit_id("SL.BS.HB").await;
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": hoa_binh, "newParentId": app.unit_id("SL").await, "effectiveOn": "2025-07-01" } }),
        )
        .await;
    assert_ok(&body);
    let query = "query($id: ID!, $on: Date) { orgUnit(id: $id) { grassrootsUnit(on: $on) { code } decidingUnit(on: $on) { code } } }";
    let ban_chang = app.unit_id("SL.BS.HB.BC").await;
    for (on, expected) in [
        (
            "2025-06-30",
            json!({ "grassrootsUnit": { "code": "SL.BS.HB" }, "decidingUnit": { "code": "SL.BS" } }),
        ),
        (
            "2025-07-01",
            json!({ "grassrootsUnit": { "code": "SL.BS.HB.BC" }, "decidingUnit": { "code": "SL.BS.HB" } }),
        ),
    ] {
        let body = app
            .graphql(Some(&province), query, json!({ "id": ban_chang, "on": on }))
            .await;
        assert_eq!(body["data"]["orgUnit"], expected, "{on}: {body}");
    }
    let body = app
        .graphql(
            Some(&province),
            "query($id: ID!) { orgUnit(id: $id) { before: holdsSuperiorAuthority(on: \"2025-06-30\") after: holdsSuperiorAuthority(on: \"2025-07-01\") } }",
            json!({ "id": hoa_binh }),
        )
        .await;
    assert_eq!(
        body["data"]["orgUnit"],
        json!({ "before": false, "after": true }),
        "{body}"
    );
}

/// A candidate's residential area lies in the branch's commune, in both shapes of the tree:
/// since 2025 a village branch of a commune under the province is its own grassroots
/// organisation, but its people still live in the commune's villages.
async fn a_candidates_area_is_in_the_branchs_commune_in_both_shapes(app: TestApp) {
    let areas = "query($id: ID!) { orgUnit(id: $id) { residentialAreas(first: 10) { nodes { id code } } } }";
    let province = app.token_for("demo.province").await;
    let area = |commune: &'static str, code: &'static str| {
        let (app, province) = (&app, &province);
        async move {
            let body = app
                .graphql(Some(province), areas, json!({ "id": app.unit_id(commune).await }))
                .await;
            body["data"]["orgUnit"]["residentialAreas"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["code"] == code)
                .unwrap_or_else(|| panic!("no area {code} in {body}"))["id"]
                .clone()
        }
    };
    let add =
        "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { residentialArea { code } } } }";
    let person = |area: Value, name: &str| {
        json!({ "i": { "listedOn": "2026-09-01", "fullName": name, "gender": "MALE", "birthDate": "2000-01-01", "ethnicity": "HMONG",
            "generalEducation": "UPPER_SECONDARY", "professionalLevel": "NONE", "sourceOrganisation": "YOUTH_UNION", "residentialAreaId": area } })
    };
    for (user, commune, code, elsewhere) in [
        ("demo.banmoi", "SL.PS", "BM", ("SL.BS.TL", "NL")),
        ("demo.branch", "SL.BS.TL", "NL", ("SL.PS", "BM")),
    ] {
        let token = app.token_for(user).await;
        let body = app
            .graphql(Some(&token), add, person(area(commune, code).await, "Giàng A Dế"))
            .await;
        assert_eq!(
            body["data"]["addToSourceList"]["candidate"]["residentialArea"]["code"], code,
            "{user}: {body}"
        );
        let other = area(elsewhere.0, elsewhere.1).await;
        let body = app.graphql(Some(&token), add, person(other, "Giàng A Tủa")).await;
        assert_error(&body, "BAD_USER_INPUT");
    }
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

    // The post-2025 commune cannot go back under a district while a grassroots committee
    // sits under it: that committee would then sit under a grassroots organisation.
    let province = app.token_for("demo.province").await;
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": phuc_son, "newParentId": app.unit_id("SL.BS").await, "effectiveOn": "2026-01-01" } }),
        )
        .await;
    assert_rule(&body, "ORG_PARENT_KIND_NOT_ALLOWED");
    // Nor can a commune with a section be placed under the province.
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": dong_tam, "newParentId": app.unit_id("SL").await, "effectiveOn": "2026-01-01" } }),
        )
        .await;
    assert_rule(&body, "ORG_PARENT_KIND_NOT_ALLOWED");
    // Nor a delegated commune: under the province it would no longer be grassroots.
    let delegate =
        "mutation($i: DelegateAdmissionAuthorityInput!) { delegateAdmissionAuthority(input: $i) { orgUnit { code } } }";
    let withdraw =
        "mutation($i: WithdrawAdmissionAuthorityInput!) { withdrawAdmissionAuthority(input: $i) { orgUnit { code } } }";
    assert_ok(
        &app.graphql(
            Some(&district),
            delegate,
            json!({ "i": { "id": tan_lap, "grantedOn": "2025-01-01" } }),
        )
        .await,
    );
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": tan_lap, "newParentId": app.unit_id("SL").await, "effectiveOn": "2026-01-01" } }),
        )
        .await;
    assert_rule(&body, "ORG_NOT_GRASSROOTS");
    assert_ok(
        &app.graphql(
            Some(&district),
            withdraw,
            json!({ "i": { "id": tan_lap, "withdrawnOn": "2025-12-01" } }),
        )
        .await,
    );
    // A commune without one can: the district no longer sees it, and it decides for its
    // branches.
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": tan_lap, "newParentId": app.unit_id("SL").await, "effectiveOn": "2026-01-01" } }),
        )
        .await;
    assert_ok(&body);
    assert_eq!(body["data"]["moveOrgUnit"]["orgUnit"]["parent"]["code"], "SL");
    let body = app.graphql(Some(&district), UNITS, json!({})).await;
    let seen = codes(&body);
    assert!(!seen.contains("SL.BS.TL") && !seen.contains("SL.BS.TL.NL"), "{seen:?}");
    let body = app
        .graphql(
            Some(&province),
            "query($id: ID!) { orgUnit(id: $id) { decidingUnit { code } } }",
            json!({ "id": app.unit_id("SL.BS.TL.NL").await }),
        )
        .await;
    assert_eq!(body["data"]["orgUnit"]["decidingUnit"]["code"], "SL.BS.TL", "{body}");
    // Moving again before the last move took effect is refused.
    let body = app
        .graphql(
            Some(&province),
            MOVE,
            json!({ "i": { "id": tan_lap, "newParentId": app.unit_id("SL.BS").await, "effectiveOn": "2025-12-31" } }),
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
    assert_eq!((pages, seen.len()), (3, 27));
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
    delegation_is_dated,
    a_candidates_area_is_in_the_branchs_commune_in_both_shapes,
    a_unit_moved_across_the_reform_keeps_its_old_decider_for_earlier_days,
    units_are_created_within_scope_and_kind_order,
    moves_refuse_cycles_wrong_kinds_and_out_of_scope_parents,
    closing_renaming_and_the_audit_trail,
    pages_are_bounded_and_chain,
);
