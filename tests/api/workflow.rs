//! The admission workflow over HTTP: the whole path, the edges of every rule, who may do
//! what, concurrency, and the cost of the candidates list.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok, assert_rule};

pub const FIELDS: &str = "id version stage listedOn branchResolutionOn partyAgeFrom joinedOn probationEndsOn officialOn \
                          nextDeadline { kind dueOn } member { status partyAgeFrom joinedOn officialOn }";

/// The input type of each mutation.
fn input_type(mutation: &str) -> String {
    match mutation {
        "dropFromSourceList" | "rejectCandidate" | "withdrawCandidate" => "EndPathInput".into(),
        "recordCommuneResolution" | "recordRecognitionCommuneResolution" | "recordStrikeOffCommuneResolution" => {
            "RecordCommitteeResolutionInput".into()
        }
        "signRecognitionDecision" => "SignDecisionInput".into(),
        other => {
            let mut name = other[..1].to_uppercase();
            name.push_str(&other[1..]);
            name + "Input"
        }
    }
}

/// The demo accounts' tokens.
pub struct Roles {
    pub branch: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub admin: String,
}

impl Roles {
    pub async fn of(app: &TestApp) -> Roles {
        Roles {
            branch: app.token_for("demo.branch").await,
            commune: app.token_for("demo.commune").await,
            district: app.token_for("demo.district").await,
            province: app.token_for("demo.province").await,
            admin: app.token_for("demo.admin").await,
        }
    }
}

/// Run `mutation` with `input`; the raw response.
pub async fn act(app: &TestApp, token: &str, mutation: &str, input: Value) -> Value {
    let query = format!(
        "mutation($i: {}!) {{ {mutation}(input: $i) {{ candidate {{ {FIELDS} }} }} }}",
        input_type(mutation)
    );
    app.graphql(Some(token), &query, json!({ "i": input })).await
}

/// Run `mutation` and expect it to succeed; the candidate after it.
pub async fn act_ok(app: &TestApp, token: &str, mutation: &str, input: Value) -> Value {
    let body = act(app, token, mutation, input).await;
    assert_ok(&body);
    body["data"][mutation]["candidate"].clone()
}

/// Official members of a branch (global IDs), in registry order.
pub async fn official_members(app: &TestApp, token: &str, branch_code: &str) -> Vec<String> {
    let branch = app.unit_id(branch_code).await;
    let body = app
        .graphql(
            Some(token),
            "query($b: ID!) { members(first: 100, filter: {withinId: $b, status: OFFICIAL}) { nodes { id } } }",
            json!({ "b": branch }),
        )
        .await;
    assert_ok(&body);
    body["data"]["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn person(name: &str, birth: &str, listed_on: &str) -> Value {
    json!({
        "listedOn": listed_on, "fullName": name, "gender": "FEMALE", "birthDate": birth, "ethnicity": "TAY",
        "generalEducation": "UPPER_SECONDARY", "professionalLevel": "COLLEGE", "sourceOrganisation": "YOUTH_UNION",
        "occupation": "Giáo viên", "workplace": "Trường THCS Tân Lập"
    })
}

/// A candidate of the demo branch with everything the branch vote needs, by `vote_on`:
/// awareness certificate on `certificate_on`, two introducers who have known the
/// candidate since `known_since`, the application, background and comments, and the
/// relatives verified. Returns the candidate's ID.
pub struct Ready<'a> {
    pub name: &'a str,
    pub birth: &'a str,
    pub listed_on: &'a str,
    pub certificate_on: &'a str,
    pub known_since: &'a str,
    pub papers_on: &'a str,
}

impl Default for Ready<'_> {
    fn default() -> Self {
        Ready {
            name: "Hoàng Thị Mai",
            birth: "1999-05-10",
            listed_on: "2024-03-01",
            certificate_on: "2024-04-05",
            known_since: "2020-01-01",
            papers_on: "2024-05-15",
        }
    }
}

pub async fn awareness_course(app: &TestApp, roles: &Roles, starts: &str) -> String {
    let body = app
        .graphql(
            Some(&roles.district),
            "mutation($i: CreateCourseInput!) { createCourse(input: $i) { course { id } } }",
            json!({ "i": { "kind": "AWARENESS", "name": "Lớp bồi dưỡng nhận thức về Đảng", "startsOn": starts, "endsOn": starts } }),
        )
        .await;
    assert_ok(&body);
    body["data"]["createCourse"]["course"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn prepare(app: &TestApp, roles: &Roles, r: Ready<'_>) -> String {
    let b = &roles.branch;
    let candidate = act_ok(app, b, "addToSourceList", person(r.name, r.birth, r.listed_on)).await;
    let id = candidate["id"].as_str().unwrap().to_string();
    assert_eq!(candidate["stage"], "SOURCE_LIST");
    complete_dossier(app, roles, &id, &r).await;
    id
}

/// Everything the branch vote needs, for a candidate of the demo branch already listed.
pub async fn complete_dossier(app: &TestApp, roles: &Roles, id: &str, r: &Ready<'_>) {
    let b = &roles.branch;
    let members = official_members(app, b, "SL.BS.TL.NL").await;
    act_ok(
        app,
        b,
        "assignMentor",
        json!({ "candidateId": id, "memberId": members[0], "assignedOn": r.listed_on }),
    )
    .await;
    let course = awareness_course(app, roles, r.certificate_on).await;
    act_ok(
        app,
        b,
        "enrolInCourse",
        json!({ "candidateId": id, "courseId": course, "enrolledOn": r.certificate_on }),
    )
    .await;
    let certificate = json!({ "courseId": course, "candidateId": id, "certificateNumber": "CN-001", "certificateDate": r.certificate_on });
    act_ok(app, &roles.district, "recordCourseCertificate", certificate).await;
    for form in ["KND_1", "KND_2", "KND_5"] {
        act_ok(
            app,
            b,
            "recordDossierDocument",
            json!({ "candidateId": id, "formCode": form, "receivedOn": r.papers_on }),
        )
        .await;
    }
    let father = json!({ "candidateId": id, "relation": "FATHER", "fullName": "Hoàng Văn Hải", "verificationOutcome": "PASSED", "verifiedOn": r.papers_on });
    act_ok(app, b, "recordRelative", father).await;
    let mother = json!({ "candidateId": id, "relation": "MOTHER", "fullName": "Nông Thị Lan", "isPartyMember": true, "verificationOutcome": "NOT_REQUIRED" });
    act_ok(app, b, "recordRelative", mother).await;
    // The mother is a member and the declaration complete: the candidate's side needs no
    // verification (Hướng dẫn 01-HD/TW 2021 §3.4 c); the commune concludes.
    let exemption = json!({ "candidateId": id, "side": "OWN", "memberRelation": "MOTHER", "memberName": "Nông Thị Lan", "memberUnit": "Chi bộ thôn Nà Lầu", "declarationComplete": true });
    act_ok(app, b, "recordVerificationExemption", exemption).await;
    let conclusion = json!({ "candidateId": id, "concludedOn": r.papers_on, "passed": true });
    act_ok(app, &roles.commune, "concludeBackgroundVerification", conclusion).await;
    for member in &members[1..3] {
        let intro = json!({ "candidateId": id, "kind": "MEMBER", "memberId": member, "knownSince": r.known_since, "introducedOn": r.papers_on });
        act_ok(app, b, "addIntroduction", intro).await;
    }
}

/// The new-member course (organised by the unit of `organiser`, from `course_on` to the
/// certificate on `certificate_on`) and the probation dossier (10, 11, 12-KNĐ received on
/// `papers_on`) of probationer `id` of the demo branch.
pub async fn probation_dossier(
    app: &TestApp,
    roles: &Roles,
    organiser: &str,
    id: &str,
    course_on: &str,
    certificate_on: &str,
    papers_on: &str,
) {
    let body = app
        .graphql(
            Some(organiser),
            "mutation($i: CreateCourseInput!) { createCourse(input: $i) { course { id } } }",
            json!({ "i": { "kind": "NEW_MEMBER", "name": "Lớp bồi dưỡng đảng viên mới", "startsOn": course_on, "endsOn": certificate_on } }),
        )
        .await;
    assert_ok(&body);
    let course = body["data"]["createCourse"]["course"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    act_ok(
        app,
        &roles.branch,
        "enrolInCourse",
        json!({ "candidateId": id, "courseId": course, "enrolledOn": course_on }),
    )
    .await;
    let certificate = json!({ "courseId": course, "candidateId": id, "certificateNumber": "ĐVM-17", "certificateDate": certificate_on });
    act_ok(app, organiser, "recordCourseCertificate", certificate).await;
    for form in ["KND_10", "KND_11", "KND_12"] {
        let doc = json!({ "candidateId": id, "formCode": form, "receivedOn": papers_on });
        act_ok(app, &roles.branch, "recordDossierDocument", doc).await;
    }
}

/// A candidate of Nà Lầu prepared by default, admitted in 2024: branch vote 3 June, commune
/// vote 20 June, decision 15 July, ceremony 2 August (probation ends 2 August 2025).
pub async fn admitted_in_2024(app: &TestApp, roles: &Roles) -> String {
    let id = prepare(app, roles, Ready::default()).await;
    let steps = [
        (
            &roles.branch,
            "recordBranchResolution",
            json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 8 }),
        ),
        (
            &roles.commune,
            "recordCommuneResolution",
            json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 8 }),
        ),
        (
            &roles.district,
            "signAdmissionDecision",
            json!({ "candidateId": id, "decisionNumber": "123-QĐ/HU", "signedOn": "2024-07-15" }),
        ),
        (
            &roles.branch,
            "recordAdmissionCeremony",
            json!({ "candidateId": id, "heldOn": "2024-08-02" }),
        ),
    ];
    for (token, mutation, input) in steps {
        act_ok(app, token, mutation, input).await;
    }
    id
}

async fn candidate_from_source_list_to_full_membership(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;

    // The branch votes: 10 official members, 7 in favour (at least two thirds).
    let c = act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
    // The decision is due 60 working days after the branch resolution.
    assert_eq!(
        c["nextDeadline"],
        json!({ "kind": "ADMISSION_DECISION", "dueOn": "2024-08-26" })
    );

    let c = act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "COMMUNE_RESOLVED");

    // The district decides: the tree says it decides for Tân Lập commune.
    let c = act_ok(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "123-QĐ/HU", "signedOn": "2024-07-15" }),
    )
    .await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");
    assert_eq!(c["partyAgeFrom"], "2024-07-15");
    assert_eq!(c["nextDeadline"]["kind"], "CEREMONY");

    let c = act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": id, "heldOn": "2024-08-02" }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    assert_eq!(c["joinedOn"], "2024-08-02");
    assert_eq!(c["probationEndsOn"], "2025-08-02");
    assert_eq!(
        c["member"],
        json!({ "status": "PROBATIONARY", "partyAgeFrom": "2024-07-15", "joinedOn": "2024-08-02", "officialOn": null })
    );

    // Probation: the new-member course and the probation dossier.
    probation_dossier(
        &app,
        &roles,
        &roles.district,
        &id,
        "2024-10-01",
        "2024-10-04",
        "2025-07-25",
    )
    .await;
    // Voting before probation ends is refused.
    let early = act(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-08-01", "votesFor": 10 }),
    )
    .await;
    assert_rule(&early, "PROBATION_NOT_ENDED");

    // The branch votes late (the 30 working days after 2 August 2025 ran out on 15 September).
    let c = act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-10-20", "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["stage"], "RECOGNITION_BRANCH_APPROVED");
    let c = act_ok(
        &app,
        &roles.commune,
        "recordRecognitionCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-10-27", "committeeMembers": 9, "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["nextDeadline"]["kind"], "RECOGNITION_DECISION");
    let c = act_ok(
        &app,
        &roles.district,
        "signRecognitionDecision",
        json!({ "candidateId": id, "decisionNumber": "456-QĐ/HU", "signedOn": "2025-11-10" }),
    )
    .await;

    // Three dates kept apart: party age from the decision, joining at the ceremony, official
    // at the end of probation however late the recognition came.
    assert_eq!(c["stage"], "OFFICIAL");
    assert_eq!(c["partyAgeFrom"], "2024-07-15");
    assert_eq!(c["joinedOn"], "2024-08-02");
    assert_eq!(c["officialOn"], "2025-08-02");
    assert_eq!(c["nextDeadline"], Value::Null);
    assert_eq!(
        c["member"],
        json!({ "status": "OFFICIAL", "partyAgeFrom": "2024-07-15", "joinedOn": "2024-08-02", "officialOn": "2025-08-02" })
    );

    // Every act is on the timeline, in order.
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { candidate(id: $id) { timeline { act actorRole } } }",
            json!({ "id": id }),
        )
        .await;
    let acts: Vec<(String, String)> = body["data"]["candidate"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["act"].as_str().unwrap().to_string(),
                e["actorRole"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("addToSourceList", "BRANCH"),
        ("assignMentor", "BRANCH"),
        ("enrolInCourse", "BRANCH"),
        ("recordCourseCertificate", "DISTRICT"),
        ("recordDossierDocument", "BRANCH"),
        ("recordDossierDocument", "BRANCH"),
        ("recordDossierDocument", "BRANCH"),
        ("recordRelative", "BRANCH"),
        ("recordRelative", "BRANCH"),
        ("recordVerificationExemption", "BRANCH"),
        ("concludeBackgroundVerification", "COMMUNE"),
        ("addIntroduction", "BRANCH"),
        ("addIntroduction", "BRANCH"),
        ("recordBranchResolution", "BRANCH"),
        ("recordCommuneResolution", "COMMUNE"),
        ("signAdmissionDecision", "DISTRICT"),
        ("recordAdmissionCeremony", "BRANCH"),
        ("enrolInCourse", "BRANCH"),
        ("recordCourseCertificate", "DISTRICT"),
        ("recordDossierDocument", "BRANCH"),
        ("recordDossierDocument", "BRANCH"),
        ("recordDossierDocument", "BRANCH"),
        // The refused early vote left no trace.
        ("recordRecognitionBranchResolution", "BRANCH"),
        ("recordRecognitionCommuneResolution", "COMMUNE"),
        ("signRecognitionDecision", "DISTRICT"),
    ];
    let acts: Vec<(&str, &str)> = acts.iter().map(|(a, r)| (a.as_str(), r.as_str())).collect();
    assert_eq!(acts, expected);
}

/// Hướng dẫn 31-HD/BTCTW 2025: a commune placed directly under the province becomes the
/// direct superior of the grassroots organisations beneath it, so its village branches are
/// grassroots branches (chi bộ cơ sở) and its standing committee decides. Tân Lập is placed
/// under the province on 1 July 2025 in the middle of a candidate's path: the acts before
/// that day stay with the old bodies, the acts after go to the commune, and the candidate
/// reaches full membership with the commune signing (Điều lệ Đảng 2011, Điều 4 khoản 3).
async fn a_commune_placed_under_the_province_decides_from_that_day(app: TestApp) {
    let roles = Roles::of(&app).await;
    let ready = Ready {
        listed_on: "2025-03-01",
        certificate_on: "2025-04-05",
        papers_on: "2025-05-15",
        ..Ready::default()
    };
    let id = prepare(&app, &roles, ready).await;
    let c = act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-06-03", "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
    // Before the reform the commune is the grassroots level: it votes (8-KNĐ).
    let c = act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-06-20", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "COMMUNE_RESOLVED");
    let moved = app
        .graphql(
            Some(&roles.province),
            "mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { orgUnit { code } } }",
            json!({ "i": { "id": app.unit_id("SL.BS.TL").await, "newParentId": app.unit_id("SL").await, "effectiveOn": "2025-07-01" } }),
        )
        .await;
    assert_ok(&moved);
    // A decision dated before the move was the district's to sign, not the commune's.
    let early = act(
        &app,
        &roles.commune,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "7-QĐ/ĐU", "signedOn": "2025-06-30" }),
    )
    .await;
    crate::helpers::assert_error(&early, "FORBIDDEN");
    // The district no longer sees the commune at all: out of scope looks like not found.
    let district = act(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "123-QĐ/HU", "signedOn": "2025-07-15" }),
    )
    .await;
    crate::helpers::assert_error(&district, "NOT_FOUND");
    let c = act_ok(
        &app,
        &roles.commune,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "7-QĐ/ĐU", "signedOn": "2025-07-15" }),
    )
    .await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");
    act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": id, "heldOn": "2025-08-04" }),
    )
    .await;
    probation_dossier(
        &app,
        &roles,
        &roles.commune,
        &id,
        "2025-10-01",
        "2025-10-04",
        "2026-07-25",
    )
    .await;
    // Now a grassroots branch: its recognition resolution goes straight to the commune,
    // with no committee vote between.
    let c = act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2026-08-10", "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["stage"], "RECOGNITION_COMMUNE_RESOLVED");
    assert_eq!(c["nextDeadline"]["kind"], "RECOGNITION_DECISION");
    let vote = app
        .graphql(
            Some(&roles.commune),
            "mutation($i: RecordCommitteeResolutionInput!) { recordRecognitionCommuneResolution(input: $i) { candidate { stage } } }",
            json!({ "i": { "candidateId": id, "resolvedOn": "2026-08-12", "committeeMembers": 9, "votesFor": 9 } }),
        )
        .await;
    assert_rule(&vote, "NO_SUCH_BODY");
    let c = act_ok(
        &app,
        &roles.commune,
        "signRecognitionDecision",
        json!({ "candidateId": id, "decisionNumber": "19-QĐ/ĐU", "signedOn": "2026-08-20" }),
    )
    .await;
    assert_eq!(c["stage"], "OFFICIAL");
    assert_eq!(c["officialOn"], "2026-08-04");
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { candidate(id: $id) { timeline { act actorRole } } }",
            json!({ "id": id }),
        )
        .await;
    let signed: Vec<&str> = body["data"]["candidate"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["act"].as_str().is_some_and(|a| a.starts_with("sign")))
        .map(|e| e["actorRole"].as_str().unwrap())
        .collect();
    assert_eq!(signed, ["COMMUNE", "COMMUNE"], "{body}");
}

async fn simultaneous_acts_on_one_candidate_one_wins(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 9 }),
    )
    .await;
    let c = act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    let version = c["version"].as_i64().unwrap();

    // Two clerks of the district sign the same decision at the same moment, each having
    // read the same version.
    let input = |number: &str| json!({ "candidateId": id, "expectedVersion": version, "decisionNumber": number, "signedOn": "2024-07-15" });
    let (a, b) = tokio::join!(
        act(&app, &roles.district, "signAdmissionDecision", input("10-QĐ/HU")),
        act(&app, &roles.district, "signAdmissionDecision", input("11-QĐ/HU"))
    );
    let mut outcomes = [a.clone(), b.clone()].map(|body| {
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("OK")
            .to_string()
    });
    outcomes.sort();
    assert_eq!(outcomes, ["CONFLICT".to_string(), "OK".to_string()], "{a}\n{b}");

    // One decision, one audit event, the version moved once.
    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { version decisions { number } timeline { act } } }",
            json!({ "id": id }),
        )
        .await;
    let candidate = &body["data"]["candidate"];
    assert_eq!(candidate["version"].as_i64(), Some(version + 1));
    assert_eq!(candidate["decisions"].as_array().unwrap().len(), 1, "{body}");
    let signed = candidate["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["act"] == "signAdmissionDecision")
        .count();
    assert_eq!(signed, 1);

    // A stale version is refused even when nothing runs at the same time.
    let stale = act(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": id, "expectedVersion": version, "heldOn": "2024-08-01" }),
    )
    .await;
    assert_eq!(stale["errors"][0]["extensions"]["code"], "CONFLICT", "{stale}");
}

const EVERYTHING: &str = "id version fullName gender birthDate ageInMonths ethnicity religion generalEducation professionalLevel \
    politicalTheoryLevel occupation workplace citizenId sourceOrganisation returnedSoldier stage listedOn partyAgeFrom joinedOn \
    officialOn exitedOn nextDeadline { kind dueOn overdue } branch { id name parent { name } } residentialArea { name } \
    mentors { assignedOn member { fullName status branch { name } } } courseEnrolments { certificateDate course { name organiser { name } } } \
    documents { formCode receivedOn } relatives { relation verificationOutcome } introductions { kind member { fullName } } \
    resolutions { kind approved unit { name } } decisions { kind number unit { name } } member { status } timeline { act actorRole }";

pub(crate) async fn candidate_list_costs_the_same_for_10_or_50(
    counting: (TestApp, std::sync::Arc<std::sync::atomic::AtomicUsize>),
) {
    use std::sync::atomic::Ordering;
    let (app, statements) = counting;
    let roles = Roles::of(&app).await;
    // 50 candidates with a mentor, a course and a relative each, so every nested field has data.
    let members = official_members(&app, &roles.branch, "SL.BS.TL.NL").await;
    let course = awareness_course(&app, &roles, "2025-03-03").await;
    for i in 0..50 {
        let c = act_ok(
            &app,
            &roles.branch,
            "addToSourceList",
            person(&format!("Ứng viên {i}"), "2000-01-01", "2025-02-03"),
        )
        .await;
        let id = c["id"].as_str().unwrap();
        act_ok(
            &app,
            &roles.branch,
            "assignMentor",
            json!({ "candidateId": id, "memberId": members[i % 5], "assignedOn": "2025-02-03" }),
        )
        .await;
        act_ok(
            &app,
            &roles.branch,
            "enrolInCourse",
            json!({ "candidateId": id, "courseId": course, "enrolledOn": "2025-03-03" }),
        )
        .await;
        act_ok(
            &app,
            &roles.branch,
            "recordRelative",
            json!({ "candidateId": id, "relation": "FATHER", "fullName": "Người cha" }),
        )
        .await;
    }
    let query = format!("query($n: Int) {{ candidates(first: $n) {{ totalCount nodes {{ {EVERYTHING} }} }} }}");
    let mut counts = Vec::new();
    for first in [10, 50] {
        let before = statements.load(Ordering::SeqCst);
        let body = app.graphql(Some(&roles.branch), &query, json!({ "n": first })).await;
        assert_ok(&body);
        assert_eq!(body["data"]["candidates"]["nodes"].as_array().unwrap().len(), first);
        assert_eq!(
            body["data"]["candidates"]["nodes"][0]["mentors"][0]["member"]["status"],
            "OFFICIAL"
        );
        counts.push(statements.load(Ordering::SeqCst) - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 10 and for 50 candidates: {counts:?}"
    );
    assert!(
        counts[1] <= 20,
        "one statement per kind of record, not per candidate: {counts:?}"
    );
}

counting_tests!(candidate_list_costs_the_same_for_10_or_50);

db_tests!(
    candidate_from_source_list_to_full_membership,
    a_commune_placed_under_the_province_decides_from_that_day,
    simultaneous_acts_on_one_candidate_one_wins
);
