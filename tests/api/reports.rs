//! Targets and reports: the published figures, small hand-computed fixtures, scope, the
//! reporting token's reach, the statement count and the CSV downloads.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok};
use crate::workflow::Roles;

const PROGRESS: &str = "query($u: ID!, $p: ReportPeriodInput!) { admissionProgress(unitId: $u, period: $p) {
    period { from to }
    own { admitted target expectedByNow behindTarget ofTarget { numerator denominator t1: text(decimals: 1) t0: text(decimals: 0) r1: text(decimals: 1, rounding: ROUND) value } }
    childrenTargetSum samePeriodLastYear change changePercent { numerator denominator t1: text }
    children { rank unit { code } admitted target behindTarget ofTarget { t0: text(decimals: 0) } } } }";

const BREAKDOWN: &str = "query($u: ID!, $p: ReportPeriodInput!) { newMemberBreakdown(unitId: $u, period: $p) {
    total aged18To30 { numerator denominator t1: text } collegeOrUniversity { numerator denominator t0: text(decimals: 0) }
    ethnicMinorities { numerator denominator } women { numerator } ageBands { key count } professionalLevel { key count share { numerator } } } }";

async fn progress(app: &TestApp, token: &str, unit: &str, period: Value) -> Value {
    let body = app
        .graphql(
            Some(token),
            PROGRESS,
            json!({ "u": app.unit_id(unit).await, "p": period }),
        )
        .await;
    assert_ok(&body);
    body["data"]["admissionProgress"].clone()
}

async fn published_histories_reproduce_the_published_figures(app: TestApp) {
    ketnap::seed::history::seed_published(&app.state.db, ketnap::clock::today())
        .await
        .expect("the histories load");
    let roles = Roles::of(&app).await;

    // A provincial city, 2016-2020: admitted against the year's target, truncated.
    for (year, admitted, target, percent) in [
        (2017, 140, 90, "155.5"),
        (2019, 73, 60, "121.6"),
        (2020, 55, 60, "91.6"),
    ] {
        let p = progress(&app, &roles.province, "SL.TP", json!({ "year": year })).await;
        assert_eq!(p["own"]["admitted"], admitted, "{year}");
        assert_eq!(p["own"]["target"], target, "{year}");
        assert_eq!(p["own"]["ofTarget"]["t1"], percent, "{year}");
    }
    let p = progress(&app, &roles.province, "SL.TP", json!({ "year": 2018 })).await;
    assert_eq!(
        (p["own"]["admitted"].as_i64(), p["own"]["ofTarget"]["t0"].as_str()),
        (Some(91), Some("101"))
    );
    assert_eq!(p["own"]["ofTarget"]["value"], 101.1);
    // Rounded, 2017 would read 155.6: the client chooses.
    let p = progress(&app, &roles.province, "SL.TP", json!({ "year": 2017 })).await;
    assert_eq!(p["own"]["ofTarget"]["r1"], "155.6");
    let range = json!({ "range": { "from": "2016-01-01", "to": "2020-12-31" } });
    let p = progress(&app, &roles.province, "SL.TP", range.clone()).await;
    assert_eq!(p["own"]["admitted"], 467);
    let city = app.unit_id("SL.TP").await;
    let body = app
        .graphql(
            Some(&roles.province),
            "query($u: ID!, $p: ReportPeriodInput!) { trainingSummary(unitId: $u, period: $p) { awareness { courses trained } newMember { courses trained } }
              admissionFunnel(unitId: $u, period: $p) { trained admitted conversion { text } } }",
            json!({ "u": city, "p": range }),
        )
        .await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["trainingSummary"],
        json!({ "awareness": { "courses": 11, "trained": 741 }, "newMember": { "courses": 9, "trained": 521 } })
    );
    assert_eq!(
        body["data"]["admissionFunnel"],
        json!({ "trained": 741, "admitted": 467, "conversion": { "text": "63.0" } })
    );

    // A border district by the end of September 2023.
    let ytd = json!({ "yearToDate": "2023-09-30" });
    let p = progress(&app, &roles.district, "SL.BS", ytd.clone()).await;
    assert_eq!(
        (p["own"]["admitted"].as_i64(), p["own"]["target"].as_i64()),
        (Some(59), Some(60))
    );
    assert_eq!(p["own"]["ofTarget"]["t0"], "98");
    assert_eq!(
        (p["samePeriodLastYear"].as_i64(), p["change"].as_i64()),
        (Some(39), Some(20))
    );
    // 59 against 39 is up 51.2% (the published "50%" is rounded down to a round figure).
    assert_eq!(
        p["changePercent"],
        json!({ "numerator": 20, "denominator": 39, "t1": "51.2" })
    );
    assert_eq!(p["childrenTargetSum"], 55);
    let body = app
        .graphql(
            Some(&roles.district),
            BREAKDOWN,
            json!({ "u": app.unit_id("SL.BS").await, "p": ytd }),
        )
        .await;
    let b = &body["data"]["newMemberBreakdown"];
    assert_eq!(b["total"], 59);
    assert_eq!(
        b["aged18To30"],
        json!({ "numerator": 37, "denominator": 59, "t1": "62.7" })
    );
    assert_eq!(
        b["collegeOrUniversity"],
        json!({ "numerator": 35, "denominator": 59, "t0": "59" })
    );

    // Its commune: 6 in the first half of 2023 = 120% of the year's target; 20 since the start
    // of the 2020-2025 term = 80% of the term's.
    let half = progress(
        &app,
        &roles.district,
        "SL.BS.TL",
        json!({ "range": { "from": "2023-01-01", "to": "2023-06-30" } }),
    )
    .await;
    assert_eq!(
        (
            half["own"]["admitted"].as_i64(),
            half["own"]["target"].as_i64(),
            half["own"]["ofTarget"]["t0"].as_str()
        ),
        (Some(6), Some(5), Some("120"))
    );
    let term = progress(
        &app,
        &roles.commune,
        "SL.BS.TL",
        json!({ "term": { "startYear": 2020, "endYear": 2025, "asOf": "2023-06-30" } }),
    )
    .await;
    assert_eq!(
        (
            term["own"]["admitted"].as_i64(),
            term["own"]["target"].as_i64(),
            term["own"]["ofTarget"]["t0"].as_str()
        ),
        (Some(20), Some(25), Some("80"))
    );

    // Children ranked by share of target: 6/5, 24/22, 26/25, 3/3; none behind.
    let children = p["children"].as_array().unwrap();
    let ranked: Vec<(&str, i64, bool)> = children
        .iter()
        .map(|c| {
            (
                c["unit"]["code"].as_str().unwrap(),
                c["admitted"].as_i64().unwrap(),
                c["behindTarget"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranked,
        [
            ("SL.BS.TL", 6, false),
            ("SL.BS.DT", 24, false),
            ("SL.BS.HB", 26, false),
            ("SL.BS.BHXH", 3, false)
        ],
        "{p}"
    );

    // Residential areas: fewer with no member in 2023 than in 2022.
    let body = app
        .graphql(
            Some(&roles.district),
            "query($u: ID!) { residentialCoverage(unitId: $u, year: 2023) { compareYear current { areas withoutMember withOneOrTwoMembers withoutBranch headNotMember } previous { withoutMember headNotMember } change { withoutMember headNotMember } } }",
            json!({ "u": app.unit_id("SL.BS").await }),
        )
        .await;
    assert_ok(&body);
    let c = &body["data"]["residentialCoverage"];
    assert_eq!(c["compareYear"], 2022);
    assert_eq!(
        c["current"],
        json!({ "areas": 8, "withoutMember": 0, "withOneOrTwoMembers": 2, "withoutBranch": 3, "headNotMember": 2 })
    );
    assert_eq!(c["previous"], json!({ "withoutMember": 2, "headNotMember": 5 }));
    assert_eq!(c["change"], json!({ "withoutMember": -2, "headNotMember": -3 }));

    // Each figure as a share of the areas, rounded or truncated as the reader quotes it:
    // 3 of 8 without a branch is 37.5 %.
    let body = app
        .graphql(
            Some(&roles.district),
            "query($u: ID!) { residentialCoverage(unitId: $u, year: 2023) {
                current { withoutBranchShare { numerator denominator r: text(decimals: 0, rounding: ROUND) t: text(decimals: 0) } headNotMemberShare { text(decimals: 2, rounding: ROUND) } }
                change { withoutBranchShare { numerator } } } }",
            json!({ "u": app.unit_id("SL.BS").await }),
        )
        .await;
    assert_ok(&body);
    let c = &body["data"]["residentialCoverage"];
    assert_eq!(
        c["current"]["withoutBranchShare"],
        json!({ "numerator": 3, "denominator": 8, "r": "38", "t": "37" })
    );
    assert_eq!(c["current"]["headNotMemberShare"]["text"], "25.00");
    assert!(c["change"]["withoutBranchShare"].is_null(), "{body}");
}

const IMPORT: &str = "mutation($i: ImportMembersInput!) { importMembers(input: $i) { importedCount } }";

/// Members joined on known days, into a branch, through the registry import.
pub(crate) async fn import(app: &TestApp, token: &str, branch: &str, rows: &[&str]) {
    let csv = format!(
        "full_name,status,gender,birth_date,ethnicity,decision_date,joined_on,professional_level,source_organisation,returned_soldier\n{}\n",
        rows.join("\n")
    );
    let body = app
        .graphql(
            Some(token),
            IMPORT,
            json!({ "i": { "branchId": app.unit_id(branch).await, "csv": csv } }),
        )
        .await;
    assert_ok(&body);
}

async fn reports_on_a_small_fixture(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Tân Lập: three admissions in 2025 (aged 30, 29 and 31 on joining), one in 2024.
    import(
        &app,
        &roles.commune,
        "SL.BS.TL.NL",
        &[
            "Lò Thị A,dự bị,Nữ,1995-03-01,Thái,2025-02-01,2025-03-01,UNIVERSITY,YOUTH_UNION,không",
            "Vi Văn B,dự bị,Nam,1995-06-02,Nùng,2025-05-10,2025-06-01,COLLEGE,YOUTH_UNION,có",
            "Nguyễn Văn C,dự bị,Nam,1994-01-01,Kinh,2025-07-10,2025-08-01,INTERMEDIATE,WOMENS_UNION,không",
            "Hà Thị D,chính thức,Nữ,1990-01-01,Tày,2024-01-10,2024-02-01,UNIVERSITY,FARMERS_UNION,không",
        ],
    )
    .await;
    // Hòa Bình, beside it: one admission in 2025.
    let hoa_binh = crate::workflow_access_token(&app, &roles.district, "SL.BS.HB", "hb.office").await;
    import(
        &app,
        &hoa_binh,
        "SL.BS.HB.BC",
        &["Bế Văn E,dự bị,Nam,2000-01-01,Tày,2025-04-01,2025-04-20,NONE,YOUTH_UNION,không"],
    )
    .await;
    let set =
        "mutation($i: SetAdmissionTargetInput!) { setAdmissionTarget(input: $i) { admissionTarget { year target } } }";
    // The commune's target is set by the district, not by the commune itself.
    let tan_lap = app.unit_id("SL.BS.TL").await;
    assert_error(
        &app.graphql(
            Some(&roles.commune),
            set,
            json!({ "i": { "unitId": tan_lap, "period": { "year": 2025 }, "target": 4 } }),
        )
        .await,
        "FORBIDDEN",
    );
    assert_ok(
        &app.graphql(
            Some(&roles.district),
            set,
            json!({ "i": { "unitId": tan_lap, "period": { "year": 2025 }, "target": 4 } }),
        )
        .await,
    );

    let p = progress(&app, &roles.commune, "SL.BS.TL", json!({ "year": 2025 })).await;
    assert_eq!(p["own"]["admitted"], 3);
    assert_eq!(p["own"]["ofTarget"]["t1"], "75.0");
    assert_eq!(p["own"]["behindTarget"], true);
    assert_eq!(
        (p["samePeriodLastYear"].as_i64(), p["change"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(p["changePercent"]["t1"], "200.0");
    let branches: Vec<(&str, i64)> = p["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["unit"]["code"].as_str().unwrap(), c["admitted"].as_i64().unwrap()))
        .collect();
    // Ranked by admissions, then by name.
    assert_eq!(branches, [("SL.BS.TL.NL", 3), ("SL.BS.TL.THCS", 0), ("SL.BS.TL.KM", 0)]);
    // The district sees both communes.
    let d = progress(&app, &roles.district, "SL.BS", json!({ "year": 2025 })).await;
    assert_eq!(d["own"]["admitted"], 4);

    let body = app
        .graphql(
            Some(&roles.commune),
            BREAKDOWN,
            json!({ "u": tan_lap, "p": { "year": 2025 } }),
        )
        .await;
    let b = &body["data"]["newMemberBreakdown"];
    assert_eq!(b["total"], 3);
    assert_eq!(
        b["aged18To30"],
        json!({ "numerator": 2, "denominator": 3, "t1": "66.6" })
    );
    assert_eq!(b["ethnicMinorities"], json!({ "numerator": 2, "denominator": 3 }));
    assert_eq!(b["women"]["numerator"], 1);
    assert_eq!(
        b["ageBands"],
        json!([{ "key": "18_30", "count": 2 }, { "key": "31_40", "count": 1 }])
    );
    assert_eq!(b["collegeOrUniversity"]["numerator"], 2);

    // The pipeline and the funnel on a candidate of the branch.
    let id = crate::workflow::prepare(
        &app,
        &roles,
        crate::workflow::Ready {
            listed_on: "2025-09-01",
            certificate_on: "2025-09-15",
            papers_on: "2025-10-01",
            ..Default::default()
        },
    )
    .await;
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($u: ID!) { pipelineSummary(unitId: $u, asOf: \"2025-11-01\", withinDays: 365) { byStage { stage count } withoutMentor certificatesExpiring dossiersGoingStale overdueDeadlines }
              admissionFunnel(unitId: $u, period: {year: 2025}) { trained admitted trainedThenAdmitted } }",
            json!({ "u": tan_lap }),
        )
        .await;
    assert_ok(&body);
    let pipeline = &body["data"]["pipelineSummary"];
    let source_list = pipeline["byStage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "SOURCE_LIST")
        .unwrap()["count"]
        .clone();
    assert_eq!(source_list, 1);
    assert_eq!(pipeline["withoutMentor"], 0);
    // Papers of 1 October 2025 go stale within the year; the certificate does not expire in it.
    assert_eq!(
        (
            pipeline["dossiersGoingStale"].as_i64(),
            pipeline["certificatesExpiring"].as_i64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        body["data"]["admissionFunnel"],
        json!({ "trained": 1, "admitted": 3, "trainedThenAdmitted": 0 })
    );
    let _ = id;
}

/// A candidate of Nà Lầu (Tân Lập) carried to probation in 2024 (awareness certificate
/// 5 April, ceremony 2 August), then transferred to Bản Chang (Hòa Bình) on 16 September.
/// Returns the candidate's ID.
pub(crate) async fn admit_then_transfer(app: &TestApp, roles: &Roles) -> String {
    use crate::workflow::{act_ok, admitted_in_2024};
    let id = admitted_in_2024(app, roles).await;
    act_ok(
        app,
        &roles.district,
        "transferCandidate",
        json!({ "candidateId": id, "toBranchId": app.unit_id("SL.BS.HB.BC").await, "transferredOn": "2024-09-16" }),
    )
    .await;
    id
}

/// A probationer transferred to another commune's branch: the admission and the training stay
/// with the branch that held the ceremony and sent the candidate to the course, while the
/// registry follows the person.
async fn an_admission_stays_with_the_branch_that_admitted(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = admit_then_transfer(&app, &roles).await;

    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { member { id status branch { code } admittedIn { code } } } }",
            json!({ "id": id }),
        )
        .await;
    let mut found = body["data"]["candidate"]["member"].clone();
    let member = found["id"].take();
    found.as_object_mut().unwrap().remove("id");
    assert_eq!(
        found,
        json!({ "status": "PROBATIONARY", "branch": { "code": "SL.BS.HB.BC" }, "admittedIn": { "code": "SL.BS.TL.NL" } })
    );
    // The commune the member left cannot see where the member went, but still counts its admission.
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { member(id: $id) { id } }",
            json!({ "id": member }),
        )
        .await;
    assert_eq!(body["data"]["member"], Value::Null, "{body}");

    let d = progress(&app, &roles.district, "SL.BS", json!({ "year": 2024 })).await;
    assert_eq!(d["own"]["admitted"], 1);
    let communes: Vec<(&str, i64)> = d["children"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["admitted"].as_i64() != Some(0))
        .map(|c| (c["unit"]["code"].as_str().unwrap(), c["admitted"].as_i64().unwrap()))
        .collect();
    assert_eq!(communes, [("SL.BS.TL", 1)]);
    for (unit, admitted) in [("SL.BS.TL", 1), ("SL.BS.HB", 0)] {
        let body = app
            .graphql(
                Some(&roles.district),
                BREAKDOWN,
                json!({ "u": app.unit_id(unit).await, "p": { "year": 2024 } }),
            )
            .await;
        assert_eq!(body["data"]["newMemberBreakdown"]["total"], admitted, "{unit}: {body}");
    }
    // The awareness course trained the candidate for Tân Lập too.
    for (unit, funnel) in [
        (
            "SL.BS.TL",
            json!({ "trained": 1, "admitted": 1, "trainedThenAdmitted": 1 }),
        ),
        (
            "SL.BS.HB",
            json!({ "trained": 0, "admitted": 0, "trainedThenAdmitted": 0 }),
        ),
    ] {
        let body = app
            .graphql(
                Some(&roles.district),
                "query($u: ID!) { admissionFunnel(unitId: $u, period: {year: 2024}) { trained admitted trainedThenAdmitted } }",
                json!({ "u": app.unit_id(unit).await }),
            )
            .await;
        assert_eq!(body["data"]["admissionFunnel"], funnel, "{unit}: {body}");
    }
}

async fn a_commune_never_sees_a_siblings_numbers(app: TestApp) {
    let roles = Roles::of(&app).await;
    let sibling = app.unit_id("SL.BS.HB").await;
    let body = app
        .graphql(
            Some(&roles.commune),
            PROGRESS,
            json!({ "u": sibling, "p": { "year": 2025 } }),
        )
        .await;
    assert_error(&body, "NOT_FOUND");
    let csv = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[("unitId", sibling.as_str()), ("year", "2025")])
        .bearer_auth(&roles.commune)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 404);
    // Nor a district the numbers of the province beside it.
    let city = app.unit_id("SL.TP").await;
    assert_error(
        &app.graphql(
            Some(&roles.district),
            BREAKDOWN,
            json!({ "u": city, "p": { "year": 2025 } }),
        )
        .await,
        "NOT_FOUND",
    );
}

/// A reporting account of the district with an API token.
pub async fn reporter(app: &TestApp, roles: &Roles) -> (String, String) {
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id role } } }";
    let input = json!({ "username": "dashboard.bienson", "displayName": "Dashboard Huyện ủy", "password": "a long random password", "kind": "REPORTER", "orgUnitId": app.unit_id("SL.BS").await });
    let body = app.graphql(Some(&roles.admin), create, json!({ "i": input })).await;
    assert_ok(&body);
    let account = body["data"]["createUser"]["user"]["id"].as_str().unwrap().to_string();
    let issue = "mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token apiToken { id prefix } } }";
    let body = app
        .graphql(
            Some(&roles.district),
            issue,
            json!({ "i": { "accountId": account, "name": "Dashboard" } }),
        )
        .await;
    assert_ok(&body);
    let token = body["data"]["issueApiToken"]["token"].as_str().unwrap().to_string();
    assert!(token.starts_with(body["data"]["issueApiToken"]["apiToken"]["prefix"].as_str().unwrap()));
    (
        token,
        body["data"]["issueApiToken"]["apiToken"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

/// Field names that carry a person's data.
const PERSONAL: &[&str] = &[
    "fullName",
    "birthDate",
    "ageInMonths",
    "citizenId",
    "occupation",
    "workplace",
    "username",
    "displayName",
    "exitReason",
    "before",
    "after",
];

const INTROSPECT: &str = "{ __schema { queryType { fields { name args { name type { ...T } } type { ...T } } } types { name kind inputFields { name type { ...T } } enumValues { name } fields { name args { name type { ...T } } type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

fn named(t: &Value) -> (&str, &str) {
    let mut t = t;
    while t["ofType"].is_object() {
        t = &t["ofType"];
    }
    (t["kind"].as_str().unwrap_or(""), t["name"].as_str().unwrap_or(""))
}

fn required(t: &Value) -> bool {
    t["kind"] == "NON_NULL"
}

/// The global ID to try for an ID argument of a root field: one of the right type.
fn id_for(field: &str, arg: &str, unit: &str) -> String {
    let typename = match (field, arg) {
        ("candidate", _) => "Candidate",
        ("member", _) => "Member",
        ("course", _) => "Course",
        ("residentialAreaStatuses", _) => "ResidentialArea",
        ("apiTokens", _) => "User",
        _ => return unit.to_string(),
    };
    ketnap::graphql::relay::global_id(typename, 1).to_string()
}

/// A literal for an argument of type `t`, with IDs of the unit `unit`.
fn literal(schema: &[Value], t: &Value, name: &str, unit: &str) -> String {
    let list = t["kind"] == "LIST" || t["ofType"]["kind"] == "LIST";
    let (kind, type_name) = named(t);
    let one = match (kind, type_name) {
        ("SCALAR", "ID") => format!("\"{unit}\""),
        ("SCALAR", "Int") => {
            if name.contains("ear") {
                "2023".into()
            } else {
                "5".into()
            }
        }
        ("SCALAR", "Boolean") => "false".into(),
        ("SCALAR", "Date") => "\"2023-09-30\"".into(),
        ("SCALAR", _) => "\"x\"".into(),
        ("ENUM", _) => schema.iter().find(|s| s["name"] == type_name).unwrap()["enumValues"][0]["name"]
            .as_str()
            .unwrap()
            .to_string(),
        ("INPUT_OBJECT", _) => {
            let input = schema.iter().find(|s| s["name"] == type_name).unwrap();
            let fields = input["inputFields"].as_array().unwrap();
            // A one-of input takes one field: the first.
            let chosen: Vec<&Value> = if type_name.ends_with("PeriodInput") && !type_name.starts_with("Term") {
                fields.iter().take(1).collect()
            } else {
                fields.iter().filter(|f| required(&f["type"])).collect()
            };
            let parts: Vec<String> = chosen
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        f["name"].as_str().unwrap(),
                        literal(schema, &f["type"], f["name"].as_str().unwrap(), unit)
                    )
                })
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        _ => "null".into(),
    };
    if list { format!("[{one}]") } else { one }
}

/// Required arguments, and `first: 1` on lists, so that the walk stays within the limits.
fn arguments(schema: &[Value], field: &Value, unit: &str) -> Vec<String> {
    field["args"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| {
            let name = a["name"].as_str().unwrap();
            if required(&a["type"]) {
                Some(format!("{name}: {}", literal(schema, &a["type"], name, unit)))
            } else {
                (name == "first").then(|| "first: 1".to_string())
            }
        })
        .collect()
}

/// A selection of every field of `type_name` down to `depth`, with required arguments filled.
fn selection(schema: &[Value], type_name: &str, depth: usize, unit: &str) -> String {
    let ty = schema.iter().find(|s| s["name"] == type_name).unwrap();
    if ty["kind"] == "INTERFACE" || ty["kind"] == "UNION" {
        return "__typename".into();
    }
    let mut parts = vec!["__typename".to_string()];
    for field in ty["fields"].as_array().into_iter().flatten() {
        let (kind, inner) = named(&field["type"]);
        let args = arguments(schema, field, unit);
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let name = field["name"].as_str().unwrap();
        match kind {
            "OBJECT" | "INTERFACE" if depth > 0 => parts.push(format!(
                "{name}{args} {{ {} }}",
                selection(schema, inner, depth - 1, unit)
            )),
            "OBJECT" | "INTERFACE" => {}
            _ => parts.push(format!("{name}{args}")),
        }
    }
    parts.join(" ")
}

/// Every path to a non-null value whose field name is personal.
fn personal_values(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if PERSONAL.contains(&key.as_str()) && !v.is_null() {
                    found.push(format!("{path}.{key}"));
                }
                personal_values(v, &format!("{path}.{key}"), found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| personal_values(v, path, found)),
        _ => {}
    }
}

async fn a_reporting_token_reaches_aggregates_only(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Some people in the district, so that a leak would show.
    crate::workflow::prepare(&app, &roles, crate::workflow::Ready::default()).await;
    import(
        &app,
        &roles.commune,
        "SL.BS.TL.NL",
        &["Lò Thị A,dự bị,Nữ,1995-03-01,Thái,2023-02-01,2023-03-01,UNIVERSITY,YOUTH_UNION,không"],
    )
    .await;
    let (token, token_id) = reporter(&app, &roles).await;
    let district = app.unit_id("SL.BS").await;

    let schema = app.graphql(Some(&roles.admin), INTROSPECT, json!({})).await;
    assert_ok(&schema);
    let types = schema["data"]["__schema"]["types"].as_array().unwrap().clone();
    let roots = schema["data"]["__schema"]["queryType"]["fields"]
        .as_array()
        .unwrap()
        .clone();
    let reports = [
        "admissionProgress",
        "newMemberBreakdown",
        "admissionFunnel",
        "trainingSummary",
        "pipelineSummary",
        "residentialCoverage",
    ];
    let mut walked = 0;
    for root in &roots {
        let name = root["name"].as_str().unwrap();
        let args: Vec<String> = arguments(&types, root, &district)
            .into_iter()
            .map(|a| match a.split_once(": \"") {
                Some((arg, _))
                    if named(
                        &root["args"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|x| x["name"] == arg)
                            .unwrap()["type"],
                    )
                    .1 == "ID" =>
                {
                    format!("{arg}: \"{}\"", id_for(name, arg, &district))
                }
                _ => a,
            })
            .collect();
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let (kind, inner) = named(&root["type"]);
        let query = if matches!(kind, "OBJECT" | "INTERFACE") {
            format!("{{ {name}{args} {{ {} }} }}", selection(&types, inner, 4, &district))
        } else {
            format!("{{ {name}{args} }}")
        };
        let body = app.graphql(Some(&token), &query, json!({})).await;
        let mut leaks = Vec::new();
        personal_values(&body["data"], "", &mut leaks);
        assert!(
            leaks.is_empty(),
            "{name} leaks {} personal values to a reporting token, e.g. {:?}",
            leaks.len(),
            &leaks[..leaks.len().min(5)]
        );
        let shown: String = body.to_string().chars().take(600).collect();
        if reports.contains(&name) {
            assert!(
                body["data"][name].is_object(),
                "the report {name} answers a reporting token: {shown}"
            );
        } else {
            let codes: Vec<&str> = body["errors"]
                .as_array()
                .map(|e| e.iter().filter_map(|x| x["extensions"]["code"].as_str()).collect())
                .unwrap_or_default();
            assert!(
                codes.contains(&"FORBIDDEN") || codes.contains(&"NOT_FOUND"),
                "{name} must refuse a reporting token: {shown}"
            );
        }
        walked += 1;
    }
    assert!(walked >= 20, "walked {walked} root fields");
    // Mutations are closed too.
    let body = crate::workflow::act(
        &app,
        &token,
        "addToSourceList",
        crate::workflow::person("X", "2000-01-01", "2025-01-06"),
    )
    .await;
    assert_error(&body, "FORBIDDEN");
    // The token covers its subtree only.
    let city = app.unit_id("SL.TP").await;
    assert_error(
        &app.graphql(Some(&token), PROGRESS, json!({ "u": city, "p": { "year": 2023 } }))
            .await,
        "NOT_FOUND",
    );
    // Revoked, it stops working at once.
    let revoke = "mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { apiToken { revokedAt } } }";
    assert_ok(
        &app.graphql(Some(&roles.district), revoke, json!({ "i": { "id": token_id } }))
            .await,
    );
    assert_error(
        &app.graphql(Some(&token), PROGRESS, json!({ "u": district, "p": { "year": 2023 } }))
            .await,
        "UNAUTHENTICATED",
    );
}

async fn reports_download_as_csv_for_spreadsheets(app: TestApp) {
    ketnap::seed::history::seed_published(&app.state.db, ketnap::clock::today())
        .await
        .expect("the histories load");
    let roles = Roles::of(&app).await;
    let (token, _) = reporter(&app, &roles).await;
    let district = app.unit_id("SL.BS").await;
    let response = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[("unitId", district.as_str()), ("asOf", "2023-09-30"), ("decimals", "0")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("admission-progress-SL.BS")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark first");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("rank,unit_code,unit_name,period,admitted,target_basis,target,percent_of_target")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(",SL.BS,Đảng bộ huyện Biên Sơn,2023-01-01 – 2023-09-30,59,ASSIGNED,60,98,"),
        "{text}"
    );
    for report in ["new-member-breakdown", "admission-funnel", "training-summary"] {
        let response = app
            .client
            .get(format!("{}/reports/{report}.csv", app.address))
            .query(&[("unitId", district.as_str()), ("year", "2023")])
            .bearer_auth(&roles.district)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{report}");
    }
    let coverage = app
        .client
        .get(format!("{}/reports/residential-coverage.csv", app.address))
        .query(&[("unitId", district.as_str()), ("year", "2023")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(coverage.contains("without_member,2,0,-2"), "{coverage}");
    let pipeline = app
        .client
        .get(format!("{}/reports/pipeline-summary.csv", app.address))
        .query(&[("unitId", district.as_str())])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(pipeline.status().as_u16(), 200);
    // Without a token, or with a period that makes no sense, a coded error.
    let anonymous = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[("unitId", district.as_str()), ("year", "2023")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let muddled = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[("unitId", district.as_str()), ("year", "2023"), ("from", "2023-01-01")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(muddled.status().as_u16(), 400);
}

const EVERY_REPORT: &str = "query($u: ID!) {
    admissionProgress(unitId: $u, period: {year: 2025}) { own { admitted ofTarget { text } } samePeriodLastYear children { unit { name } admitted } }
    newMemberBreakdown(unitId: $u, period: {year: 2025}) { total aged18To30 { text } ageBands { key count } ethnicity { key count } professionalLevel { key count } }
    admissionFunnel(unitId: $u, period: {year: 2025}) { trained admitted trainedThenAdmitted }
    trainingSummary(unitId: $u, period: {year: 2025}) { awareness { courses trained } newMember { courses trained } }
    pipelineSummary(unitId: $u, asOf: \"2025-12-31\") { byStage { stage count } overdueDeadlines withoutMentor certificatesExpiring dossiersGoingStale }
    residentialCoverage(unitId: $u, year: 2025) { current { areas withoutMember } change { withoutMember } } }";

pub(crate) async fn every_report_costs_the_same_for_few_or_many(
    counting: (TestApp, std::sync::Arc<std::sync::atomic::AtomicUsize>),
) {
    use std::sync::atomic::Ordering;
    let (app, statements) = counting;
    let roles = Roles::of(&app).await;
    let district = app.unit_id("SL.BS").await;
    let mut counts = Vec::new();
    for round in 0..2 {
        // Round 0: a few members; round 1: a hundred more, and candidates.
        let n = if round == 0 { 3 } else { 100 };
        let rows: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "Người {round}-{i},dự bị,Nam,1998-01-01,Tày,2025-03-01,2025-03-{:02},COLLEGE,YOUTH_UNION,không",
                    2 + i % 27
                )
            })
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        import(&app, &roles.commune, "SL.BS.TL.KM", &rows).await;
        for i in 0..(round * 10) {
            crate::workflow::act_ok(
                &app,
                &roles.branch,
                "addToSourceList",
                crate::workflow::person(&format!("Ứng viên {i}"), "2000-01-01", "2025-02-03"),
            )
            .await;
        }
        let before = statements.load(Ordering::SeqCst);
        let body = app
            .graphql(Some(&roles.district), EVERY_REPORT, json!({ "u": district }))
            .await;
        assert_ok(&body);
        counts.push(statements.load(Ordering::SeqCst) - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for the six reports, with few and with many records: {counts:?}"
    );
    // 30 for the six reports, and one to read the mergers and splits on record once per
    // request (a merged unit's reports take in its predecessors' records).
    assert!(counts[1] <= 31, "{counts:?}");
}

counting_tests!(every_report_costs_the_same_for_few_or_many);

/// A reporting account reading one branch over one month meets cells of one person: they
/// are withheld (with what would reveal them), in GraphQL and CSV alike; staff see all.
async fn small_cells_are_withheld_from_reporting_accounts(app: TestApp) {
    let roles = Roles::of(&app).await;
    // March 2025 in Nà Lầu: one woman of the Thái, four Kinh men.
    import(
        &app,
        &roles.commune,
        "SL.BS.TL.NL",
        &[
            "Lò Thị A,dự bị,Nữ,1995-03-01,Thái,2025-02-01,2025-03-03,UNIVERSITY,YOUTH_UNION,không",
            "Hà Văn B,dự bị,Nam,1990-03-01,Kinh,2025-02-01,2025-03-04,UNIVERSITY,YOUTH_UNION,không",
            "Hà Văn C,dự bị,Nam,1990-03-01,Kinh,2025-02-01,2025-03-05,UNIVERSITY,YOUTH_UNION,không",
            "Hà Văn D,dự bị,Nam,1990-03-01,Kinh,2025-02-01,2025-03-06,UNIVERSITY,YOUTH_UNION,không",
            "Hà Văn E,dự bị,Nam,1990-03-01,Kinh,2025-02-01,2025-03-07,UNIVERSITY,YOUTH_UNION,không",
        ],
    )
    .await;
    let (token, _) = reporter(&app, &roles).await;
    let branch = app.unit_id("SL.BS.TL.NL").await;
    let query = "query($u: ID!, $p: ReportPeriodInput!) { newMemberBreakdown(unitId: $u, period: $p) {
        total suppressed minimumCellSize women { numerator } ethnicMinorities { numerator }
        gender { key count share { numerator } suppressed } ethnicity { key count suppressed } } }";
    let march = json!({ "range": { "from": "2025-03-01", "to": "2025-03-31" } });
    let vars = json!({ "u": branch, "p": march });

    // Staff see every count.
    let body = app.graphql(Some(&roles.district), query, vars.clone()).await;
    assert_ok(&body);
    let b = &body["data"]["newMemberBreakdown"];
    assert_eq!(
        (b["total"].as_i64(), b["suppressed"].as_bool()),
        (Some(5), Some(false)),
        "{body}"
    );
    assert_eq!(b["women"]["numerator"], 1);
    assert!(b["minimumCellSize"].is_null());

    // The reporting account (minimum 3): the one woman and the one Thái are withheld,
    // and the cell beside each that would reveal it (total minus the rest) as well.
    let body = app.graphql(Some(&token), query, vars.clone()).await;
    assert_ok(&body);
    let b = &body["data"]["newMemberBreakdown"];
    assert_eq!(
        (b["total"].as_i64(), b["suppressed"].as_bool()),
        (Some(5), Some(true)),
        "{body}"
    );
    assert_eq!(b["minimumCellSize"], 3);
    assert!(b["women"].is_null(), "{body}");
    assert!(b["ethnicMinorities"].is_null(), "{body}");
    for dimension in ["gender", "ethnicity"] {
        for cell in b[dimension].as_array().unwrap() {
            assert!(
                cell["count"].is_null() && cell["suppressed"] == true,
                "{dimension}: {body}"
            );
        }
    }
    // No figure of the answer is below the minimum.
    fn small(v: &Value) -> bool {
        match v {
            Value::Number(n) => n.as_i64().is_some_and(|n| n > 0 && n < 3),
            Value::Array(items) => items.iter().any(small),
            Value::Object(map) => map.iter().any(|(k, v)| k != "minimumCellSize" && small(v)),
            _ => false,
        }
    }
    assert!(!small(b), "{body}");

    // One admission: even the total is withheld.
    let one = json!({ "u": branch, "p": { "range": { "from": "2025-03-03", "to": "2025-03-03" } } });
    let body = app.graphql(Some(&token), query, one).await;
    assert_ok(&body);
    let b = &body["data"]["newMemberBreakdown"];
    assert!(b["total"].is_null(), "{body}");
    // Every value is listed, withheld alike, so which ones occur says nothing either.
    let keys: Vec<&str> = b["gender"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["FEMALE", "MALE", "UNKNOWN"], "{body}");
    assert!(b["ethnicity"].as_array().unwrap().len() > 50, "{body}");
    assert!(
        b["gender"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["suppressed"] == true && c["count"].is_null())
    );

    // The CSV withholds the same cells.
    let csv = app
        .client
        .get(format!(
            "{}/reports/new-member-breakdown.csv?unitId={branch}&from=2025-03-01&to=2025-03-31",
            app.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    let text = csv.text().await.unwrap();
    let gender: Vec<&str> = text.lines().filter(|l| l.starts_with("GENDER,")).collect();
    assert!(!gender.is_empty(), "{text}");
    for line in gender {
        assert!(line.ends_with(",5,,true"), "{line}\n{text}");
    }
}

/// Admissions imported into a branch's registry, joined on each of `days`.
async fn imported_admissions(app: &TestApp, token: &str, branch: &str, days: &[&str]) {
    let mut csv = String::from("full_name,status,ethnicity,decision_date,joined_on\n");
    for (i, day) in days.iter().enumerate() {
        csv.push_str(&format!("Thành viên {branch} {i},dự bị,Tày,{day},{day}\n"));
    }
    let body = app
        .graphql(
            Some(token),
            "mutation($i: ImportMembersInput!) { importMembers(input: $i) { importedCount } }",
            json!({ "i": { "branchId": app.unit_id(branch).await, "csv": csv } }),
        )
        .await;
    assert_ok(&body);
}

async fn admitted(app: &TestApp, token: &str, unit: &str, period: Value) -> i64 {
    progress(app, token, unit, period).await["own"]["admitted"]
        .as_i64()
        .unwrap()
}

/// Two targets for one unit and period: the one the superior assigned and the one of the
/// unit's own congress or annual resolution. Reports quote the same admissions against
/// either (published: 105 admissions are 131 % of the 80 assigned and 117 % of the 90
/// resolved); scaled down here: 21 against 16 and 18.
async fn admissions_are_reported_against_either_target(app: TestApp) {
    let roles = Roles::of(&app).await;
    let days: Vec<String> = (1..=21).map(|d| format!("2021-03-{d:02}")).collect();
    let days: Vec<&str> = days.iter().map(String::as_str).collect();
    imported_admissions(&app, &roles.district, "SL.BS.TL.NL", &days).await;
    let set =
        "mutation($i: SetAdmissionTargetInput!) { setAdmissionTarget(input: $i) { admissionTarget { target basis } } }";
    let tan_lap = app.unit_id("SL.BS.TL").await;
    let target = |n: u32, basis: &str| json!({ "i": { "unitId": tan_lap, "period": { "year": 2021 }, "target": n, "basis": basis } });
    let body = app.graphql(Some(&roles.district), set, target(16, "ASSIGNED")).await;
    assert_eq!(
        body["data"]["setAdmissionTarget"]["admissionTarget"],
        json!({ "target": 16, "basis": "ASSIGNED" })
    );
    // The commune records its own resolution's target; it cannot assign itself one.
    assert_error(
        &app.graphql(Some(&roles.commune), set, target(1, "ASSIGNED")).await,
        "FORBIDDEN",
    );
    let body = app
        .graphql(Some(&roles.commune), set, target(18, "OWN_RESOLUTION"))
        .await;
    assert_ok(&body);
    // Both are kept: one does not replace the other.
    let query = "query($u: ID!, $b: TargetBasis!) { admissionProgress(unitId: $u, period: {year: 2021}, targetBasis: $b) {
        targetBasis own { admitted target ofTarget { t0: text(decimals: 0) r0: text(decimals: 0, rounding: ROUND) t2: text(decimals: 2) } } } }";
    let read = |basis: &'static str| {
        let (app, token, unit) = (&app, &roles.commune, &tan_lap);
        async move {
            let body = app.graphql(Some(token), query, json!({ "u": unit, "b": basis })).await;
            assert_ok(&body);
            body["data"]["admissionProgress"].clone()
        }
    };
    let assigned = read("ASSIGNED").await;
    assert_eq!(
        assigned,
        json!({ "targetBasis": "ASSIGNED", "own": { "admitted": 21, "target": 16, "ofTarget": { "t0": "131", "r0": "131", "t2": "131.25" } } })
    );
    let own = read("OWN_RESOLUTION").await;
    assert_eq!(
        own,
        json!({ "targetBasis": "OWN_RESOLUTION", "own": { "admitted": 21, "target": 18, "ofTarget": { "t0": "116", "r0": "117", "t2": "116.66" } } })
    );
    // The default is the assigned target, and the CSV says which it used.
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($u: ID!) { admissionProgress(unitId: $u, period: {year: 2021}) { targetBasis own { target } } }",
            json!({ "u": tan_lap }),
        )
        .await;
    assert_eq!(
        body["data"]["admissionProgress"],
        json!({ "targetBasis": "ASSIGNED", "own": { "target": 16 } })
    );
    let csv = app
        .client
        .get(format!("{}/reports/admission-progress.csv", app.address))
        .query(&[
            ("unitId", tan_lap.as_str()),
            ("year", "2021"),
            ("targetBasis", "OWN_RESOLUTION"),
        ])
        .bearer_auth(&roles.commune)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first_row = csv.lines().nth(1).unwrap_or_default().to_string();
    assert!(first_row.contains(",21,OWN_RESOLUTION,18,"), "{csv}");
}

/// Three communes merged into one in mid-2025 (the 2025 mergers of commune-level units,
/// Hướng dẫn 31-HD/BTCTW 2025): the merged commune's report for the 2020–2025 term adds up
/// its predecessors' records from before the merger and its own after; each predecessor's
/// own report for 2024 is unchanged by the merger, and so is the district's.
async fn a_merged_commune_reports_what_its_predecessors_held(app: TestApp) {
    let roles = Roles::of(&app).await;
    let d = &roles.district;
    imported_admissions(&app, d, "SL.BS.TL.NL", &["2023-05-02", "2024-04-01"]).await;
    imported_admissions(&app, d, "SL.BS.HB.BC", &["2024-06-03", "2025-08-01"]).await;
    imported_admissions(&app, d, "SL.BS.DT.CQ.UB", &["2022-03-01"]).await;
    let communes = ["SL.BS.TL", "SL.BS.HB", "SL.BS.DT"];
    let term = json!({ "term": { "startYear": 2020, "endYear": 2025 } });
    let year = json!({ "year": 2024 });
    let mut term_before = 0;
    let mut year_before = Vec::new();
    for c in communes {
        term_before += admitted(&app, d, c, term.clone()).await;
        year_before.push(admitted(&app, d, c, year.clone()).await);
    }
    let district_term = admitted(&app, d, "SL.BS", term.clone()).await;

    let create = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }";
    let body = app
        .graphql(
            Some(d),
            create,
            json!({ "i": { "parentId": app.unit_id("SL.BS").await, "kind": "COMMUNE", "code": "SL.BS.TN", "name": "Đảng bộ xã Tân Nguyên", "activeFrom": "2025-06-01" } }),
        )
        .await;
    assert_ok(&body);
    let mut predecessors = Vec::new();
    for c in communes {
        predecessors.push(app.unit_id(c).await);
    }
    let merge = "mutation($i: MergeOrgUnitsInput!) { mergeOrgUnits(input: $i) { orgUnit { code successions { kind effectiveOn predecessor { code closedOn } } } } }";
    let body = app
        .graphql(
            Some(d),
            merge,
            json!({ "i": { "predecessorIds": predecessors, "successorId": app.unit_id("SL.BS.TN").await, "effectiveOn": "2025-06-01" } }),
        )
        .await;
    assert_ok(&body);
    let successions = &body["data"]["mergeOrgUnits"]["orgUnit"]["successions"];
    assert_eq!(successions.as_array().unwrap().len(), 3, "{body}");
    assert_eq!(successions[0]["predecessor"]["closedOn"], "2025-06-01");
    // The branches and villages now belong to the merged commune; the old ones are closed.
    let body = app
        .graphql(
            Some(d),
            "query($id: ID!) { orgUnit(id: $id) { parent { code } } }",
            json!({ "id": app.unit_id("SL.BS.TL.NL").await }),
        )
        .await;
    assert_eq!(body["data"]["orgUnit"]["parent"]["code"], "SL.BS.TN", "{body}");

    assert_eq!(admitted(&app, d, "SL.BS.TN", term.clone()).await, term_before);
    assert_eq!(
        admitted(&app, d, "SL.BS.TN", year.clone()).await,
        year_before.iter().sum::<i64>()
    );
    for (c, before) in communes.iter().zip(&year_before) {
        assert_eq!(admitted(&app, d, c, year.clone()).await, *before, "{c} in 2024");
    }
    assert_eq!(admitted(&app, d, "SL.BS", term.clone()).await, district_term);
    // Merging across kinds is refused.
    let body = app
        .graphql(
            Some(d),
            merge,
            json!({ "i": { "predecessorIds": [app.unit_id("SL.BS.BHXH").await], "successorId": app.unit_id("SL.BS.TN").await, "effectiveOn": "2025-07-01" } }),
        )
        .await;
    crate::helpers::assert_rule(&body, "ORG_SUCCESSION_KIND_MISMATCH");
}

/// A commune split in two: each successor's earlier reports take in the records of the
/// branches it received, and only those; the split commune's own history is unchanged.
async fn a_split_commune_hands_each_part_its_own_history(app: TestApp) {
    let roles = Roles::of(&app).await;
    let d = &roles.district;
    imported_admissions(&app, d, "SL.BS.HB.BC", &["2024-03-01", "2024-05-01"]).await;
    imported_admissions(&app, d, "SL.BS.HB.NP", &["2024-04-01"]).await;
    let year = json!({ "year": 2024 });
    let (bc, np, hb) = (
        admitted(&app, d, "SL.BS.HB.BC", year.clone()).await,
        admitted(&app, d, "SL.BS.HB.NP", year.clone()).await,
        admitted(&app, d, "SL.BS.HB", year.clone()).await,
    );
    assert_eq!(bc + np, hb);
    let create = "mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }";
    for code in ["SL.BS.HB1", "SL.BS.HB2"] {
        let input = json!({ "i": { "parentId": app.unit_id("SL.BS").await, "kind": "COMMUNE", "code": code, "name": code, "activeFrom": "2025-06-01" } });
        assert_ok(&app.graphql(Some(d), create, input).await);
    }
    let areas = app
        .graphql(
            Some(d),
            "query($id: ID!) { orgUnit(id: $id) { residentialAreas { nodes { id code } } } }",
            json!({ "id": app.unit_id("SL.BS.HB").await }),
        )
        .await;
    let area = |code: &str| {
        areas["data"]["orgUnit"]["residentialAreas"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap()["id"]
            .clone()
    };
    let split = "mutation($i: SplitOrgUnitInput!) { splitOrgUnit(input: $i) { orgUnit { closedOn } } }";
    let parts = json!([
        { "successorId": app.unit_id("SL.BS.HB1").await, "childIds": [app.unit_id("SL.BS.HB.BC").await], "areaIds": [area("BC"), area("PL")] },
        { "successorId": app.unit_id("SL.BS.HB2").await, "childIds": [app.unit_id("SL.BS.HB.NP").await], "areaIds": [area("NP")] },
    ]);
    // Everything goes somewhere: leaving a village behind is refused.
    let short = json!([parts[0].clone(), { "successorId": parts[1]["successorId"], "childIds": parts[1]["childIds"] }]);
    let body = app
        .graphql(
            Some(d),
            split,
            json!({ "i": { "id": app.unit_id("SL.BS.HB").await, "parts": short, "effectiveOn": "2025-06-01" } }),
        )
        .await;
    crate::helpers::assert_error(&body, "BAD_USER_INPUT");
    let body = app
        .graphql(
            Some(d),
            split,
            json!({ "i": { "id": app.unit_id("SL.BS.HB").await, "parts": parts, "effectiveOn": "2025-06-01" } }),
        )
        .await;
    assert_ok(&body);
    assert_eq!(body["data"]["splitOrgUnit"]["orgUnit"]["closedOn"], "2025-06-01");
    assert_eq!(admitted(&app, d, "SL.BS.HB1", year.clone()).await, bc);
    assert_eq!(admitted(&app, d, "SL.BS.HB2", year.clone()).await, np);
    assert_eq!(admitted(&app, d, "SL.BS.HB", year.clone()).await, hb);
}

db_tests!(
    small_cells_are_withheld_from_reporting_accounts,
    a_merged_commune_reports_what_its_predecessors_held,
    admissions_are_reported_against_either_target,
    a_split_commune_hands_each_part_its_own_history,
    published_histories_reproduce_the_published_figures,
    reports_on_a_small_fixture,
    a_commune_never_sees_a_siblings_numbers,
    an_admission_stays_with_the_branch_that_admitted,
    a_reporting_token_reaches_aggregates_only,
    reports_download_as_csv_for_spreadsheets,
);
