//! Who may do what: every workflow mutation × every role × a candidate in and out of the
//! role's scope. The right body passes the authorization gate (whatever the stage then
//! says); another body in scope gets `FORBIDDEN`; a candidate outside the scope is
//! `NOT_FOUND`, exactly as if it did not exist.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok, error_code};
use crate::workflow::{Roles, act, act_ok, awareness_course, official_members, person};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Branch,
    Commune,
    District,
    Province,
    Admin,
}

const EVERYONE: [Who; 5] = [Who::Branch, Who::Commune, Who::District, Who::Province, Who::Admin];

fn token(roles: &Roles, who: Who) -> &str {
    match who {
        Who::Branch => &roles.branch,
        Who::Commune => &roles.commune,
        Who::District => &roles.district,
        Who::Province => &roles.province,
        Who::Admin => &roles.admin,
    }
}

/// Records an input may point at, for one candidate.
struct Refs {
    candidate: String,
    member: String,
    course: String,
    relative: String,
    assignment: String,
    check: String,
    other_branch: String,
}

/// A candidate of `token`'s branch with a relative and a mentor.
async fn candidate_with_refs(
    app: &TestApp,
    branch_token: &str,
    branch_code: &str,
    course: &str,
    other_branch: &str,
) -> Refs {
    let c = act_ok(
        app,
        branch_token,
        "addToSourceList",
        person("Vi Văn Long", "2000-02-02", "2025-01-06"),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_string();
    let members = official_members(app, branch_token, branch_code).await;
    act_ok(
        app,
        branch_token,
        "assignMentor",
        json!({ "candidateId": id, "memberId": members[0], "assignedOn": "2025-01-06" }),
    )
    .await;
    act_ok(
        app,
        branch_token,
        "recordRelative",
        json!({ "candidateId": id, "relation": "FATHER", "fullName": "Vi Văn Hải" }),
    )
    .await;
    act_ok(
        app,
        branch_token,
        "sendBackgroundCheck",
        json!({ "candidateId": id, "verifyingBody": "Đảng ủy xã", "sentOn": "2025-01-06" }),
    )
    .await;
    let body = app
        .graphql(
            Some(branch_token),
            "query($id: ID!) { candidate(id: $id) { relatives { id } mentors { id } backgroundChecks { id } } }",
            json!({ "id": id }),
        )
        .await;
    Refs {
        relative: body["data"]["candidate"]["relatives"][0]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        assignment: body["data"]["candidate"]["mentors"][0]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        check: body["data"]["candidate"]["backgroundChecks"][0]["id"]
            .as_str()
            .unwrap()
            .to_string(),
        member: members[1].clone(),
        course: course.to_string(),
        candidate: id,
        other_branch: other_branch.to_string(),
    }
}

type Input = fn(&Refs) -> Value;

/// Each mutation, the bodies allowed to do it on a candidate at the source-list stage, what
/// an allowed body gets there (`OK`, or the rule the stage or the dossier breaks: past the
/// gate, never an error of access or of the server), and a valid input.
fn mutations() -> Vec<(&'static str, &'static [Who], &'static str, Input)> {
    const BRANCH: &[Who] = &[Who::Branch];
    const COMMUNE: &[Who] = &[Who::Commune];
    const DISTRICT: &[Who] = &[Who::District];
    vec![
        (
            "updateCandidate",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "occupation": "Nông dân" }),
        ),
        (
            "dropFromSourceList",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "on": "2025-02-03", "reason": "Chuyển đi nơi khác" }),
        ),
        (
            "rejectCandidate",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "on": "2025-02-03", "reason": "Chưa đủ tiêu chuẩn" }),
        ),
        (
            "withdrawCandidate",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "on": "2025-02-03", "reason": "Xin rút đơn" }),
        ),
        (
            "assignMentor",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "memberId": r.member, "assignedOn": "2025-02-03" }),
        ),
        (
            "replaceMentor",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "mentorAssignmentId": r.assignment, "newMemberId": r.member, "replacedOn": "2025-02-03", "reason": "Đi công tác" }),
        ),
        (
            "enrolInCourse",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "courseId": r.course, "enrolledOn": "2025-02-03" }),
        ),
        (
            "recordCourseCertificate",
            &[Who::District, Who::Province],
            "NOT_ENROLLED",
            |r| json!({ "candidateId": r.candidate, "courseId": r.course, "certificateNumber": "CN-9", "certificateDate": "2025-02-03" }),
        ),
        (
            "recordDossierDocument",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "formCode": "KND_1", "receivedOn": "2025-02-03" }),
        ),
        (
            "recordRelative",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "relation": "MOTHER", "fullName": "Lò Thị Mai" }),
        ),
        (
            "recordBackgroundVerification",
            BRANCH,
            "OK",
            |r| json!({ "relativeId": r.relative, "outcome": "PASSED", "verifiedOn": "2025-02-03" }),
        ),
        (
            "addIntroduction",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "kind": "MEMBER", "memberId": r.member, "knownSince": "2020-01-01", "introducedOn": "2025-02-03" }),
        ),
        (
            "sendBackgroundCheck",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "verifyingBody": "Đảng ủy xã", "sentOn": "2025-02-03" }),
        ),
        (
            "recordBackgroundReply",
            BRANCH,
            "OK",
            |r| json!({ "checkId": r.check, "repliedOn": "2025-02-03", "finding": "CLEAR" }),
        ),
        (
            "recordVerificationExemption",
            BRANCH,
            "OK",
            |r| json!({ "candidateId": r.candidate, "side": "SPOUSE", "memberRelation": "SPOUSE", "memberName": "Lò Văn Hùng", "memberUnit": "Chi bộ bản", "declarationComplete": true }),
        ),
        (
            "concludeBackgroundVerification",
            COMMUNE,
            "VERIFICATION_INCOMPLETE",
            |r| json!({ "candidateId": r.candidate, "concludedOn": "2025-02-03", "passed": true }),
        ),
        (
            "declareSpecialCase",
            BRANCH,
            "CASE_READ_FROM_FACTS",
            |r| json!({ "candidateId": r.candidate, "caseCode": "OVER_AGE" }),
        ),
        (
            "recordHigherConsent",
            DISTRICT,
            "OK",
            |r| json!({ "candidateId": r.candidate, "caseCode": "OVER_AGE", "documentNumber": "12-CV/TU", "consentedOn": "2025-02-03" }),
        ),
        (
            "recordBranchResolution",
            BRANCH,
            "CERTIFICATE_MISSING",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "votesFor": 9 }),
        ),
        (
            "recordSectionAppraisal",
            &[],
            "OK",
            |r| json!({ "candidateId": r.candidate, "appraisedOn": "2025-02-03", "approved": true }),
        ),
        (
            "recordCommuneResolution",
            COMMUNE,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "committeeMembers": 9, "votesFor": 9 }),
        ),
        (
            "signAdmissionDecision",
            DISTRICT,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "decisionNumber": "1-QĐ", "signedOn": "2025-02-03" }),
        ),
        (
            "recordDecisionReceipt",
            BRANCH,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "receivedOn": "2025-02-03" }),
        ),
        (
            "recordAdmissionCeremony",
            BRANCH,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "heldOn": "2025-02-03" }),
        ),
        (
            "recordRecognitionBranchResolution",
            BRANCH,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "votesFor": 9 }),
        ),
        (
            "recordRecognitionCommuneResolution",
            COMMUNE,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "committeeMembers": 9, "votesFor": 9 }),
        ),
        (
            "signRecognitionDecision",
            DISTRICT,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "decisionNumber": "2-QĐ", "signedOn": "2025-02-03" }),
        ),
        (
            "proposeStrikeOff",
            BRANCH,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "votesFor": 9, "reason": "Vi phạm tư cách" }),
        ),
        (
            "recordStrikeOffCommuneResolution",
            COMMUNE,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "resolvedOn": "2025-02-03", "committeeMembers": 9, "votesFor": 9 }),
        ),
        (
            "strikeOffProbationer",
            DISTRICT,
            "ACT_NOT_ALLOWED_IN_STAGE",
            |r| json!({ "candidateId": r.candidate, "decisionNumber": "3-QĐ", "signedOn": "2025-02-03", "reason": "Vi phạm tư cách" }),
        ),
        (
            "transferCandidate",
            &[Who::Commune, Who::District, Who::Province],
            "OK",
            |r| json!({ "candidateId": r.candidate, "toBranchId": r.other_branch, "transferredOn": "2025-02-03" }),
        ),
    ]
}

async fn every_mutation_by_every_role(app: TestApp) {
    let roles = Roles::of(&app).await;
    let course = awareness_course(&app, &roles, "2025-01-13").await;
    let khuoi_ma = app.unit_id("SL.BS.TL.KM").await;
    // In the scope of every demo account: a candidate of the demo branch.
    let shared = candidate_with_refs(&app, &roles.branch, "SL.BS.TL.NL", &course, &khuoi_ma).await;
    // Outside the branch's and commune's scope (another commune of the district).
    let ban_chang = crate::workflow_access_token(&app, &roles.district, "SL.BS.HB.BC", "bc.secretary").await;
    let hoa_binh_course = course.clone();
    let outside_commune = candidate_with_refs(
        &app,
        &ban_chang,
        "SL.BS.HB.BC",
        &hoa_binh_course,
        &app.unit_id("SL.BS.HB.NP").await,
    )
    .await;
    // Outside the district's scope (a commune directly under the province).
    let ban_moi = crate::workflow_access_token(&app, &roles.province, "SL.PS.BM", "bm.secretary").await;
    let outside_district =
        candidate_with_refs(&app, &ban_moi, "SL.PS.BM", &course, &app.unit_id("SL.PS.LC").await).await;

    for (mutation, allowed, outcome, input) in mutations() {
        for who in EVERYONE {
            // In scope.
            if allowed.contains(&who) {
                // On a fresh candidate, so one allowed act cannot disturb the next check.
                let fresh = candidate_with_refs(&app, &roles.branch, "SL.BS.TL.NL", &course, &khuoi_ma).await;
                let body = act(&app, token(&roles, who), mutation, input(&fresh)).await;
                let got = match body["errors"][0]["extensions"]["code"].as_str() {
                    None => "OK",
                    Some("RULE_VIOLATION") => body["errors"][0]["extensions"]["rule"]
                        .as_str()
                        .unwrap_or("no rule named"),
                    Some(code) => code,
                };
                assert_eq!(got, outcome, "{mutation} by {who:?} should pass the gate: {body}");
                if outcome == "OK" {
                    assert!(
                        body["data"][mutation]["candidate"]["id"].is_string(),
                        "{mutation}: {body}"
                    );
                }
            } else {
                let body = act(&app, token(&roles, who), mutation, input(&shared)).await;
                let expected = if mutation == "recordSectionAppraisal" && who != Who::Admin {
                    "RULE_VIOLATION"
                } else {
                    "FORBIDDEN"
                };
                assert_eq!(error_code(&body), expected, "{mutation} by {who:?} in scope: {body}");
            }
            // Out of scope: exactly like a missing record.
            let outside = match who {
                Who::Branch | Who::Commune => Some(&outside_commune),
                Who::District => Some(&outside_district),
                Who::Province | Who::Admin => None,
            };
            if let Some(outside) = outside {
                let body = act(&app, token(&roles, who), mutation, input(outside)).await;
                assert_eq!(
                    error_code(&body),
                    "NOT_FOUND",
                    "{mutation} by {who:?} out of scope: {body}"
                );
            }
        }
    }

    // Creating a candidate: only for the account's own branch.
    let own = act(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Văn Nam", "2001-01-01", "2025-01-06"),
    )
    .await;
    assert_ok(&own);
    let mut in_other = person("Lò Văn Nam", "2001-01-01", "2025-01-06");
    in_other["branchId"] = json!(app.unit_id("SL.BS.TL.NL").await);
    assert_eq!(
        error_code(&act(&app, &roles.commune, "addToSourceList", in_other.clone()).await),
        "FORBIDDEN"
    );
    in_other["branchId"] = json!(app.unit_id("SL.BS.HB.BC").await);
    assert_eq!(
        error_code(&act(&app, &roles.branch, "addToSourceList", in_other).await),
        "NOT_FOUND"
    );
}

db_tests!(every_mutation_by_every_role);

/// The mutations of the schema whose input names a candidate's version (`expectedVersion`):
/// every act on a candidate, however it names the candidate (`candidateId`, `relativeId`).
fn candidate_mutations_of_the_schema() -> std::collections::BTreeSet<String> {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let document = async_graphql::parser::parse_schema(ketnap::api::sdl()).expect("the SDL parses");
    let types: Vec<_> = document
        .definitions
        .into_iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => Some(t.node),
            _ => None,
        })
        .collect();
    let inputs: std::collections::BTreeSet<String> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::InputObject(i) if i.fields.iter().any(|f| f.node.name.node == "expectedVersion") => {
                Some(t.name.node.to_string())
            }
            _ => None,
        })
        .collect();
    let mutation = types
        .iter()
        .find(|t| t.name.node == "Mutation")
        .expect("the schema has mutations");
    let TypeKind::Object(mutation) = &mutation.kind else {
        panic!("Mutation is an object type");
    };
    mutation
        .fields
        .iter()
        .filter(|f| {
            f.node
                .arguments
                .iter()
                .any(|a| a.node.name.node == "input" && inputs.contains(a.node.ty.node.base.to_string().as_str()))
        })
        .map(|f| f.node.name.node.to_string())
        .collect()
}

/// The table above is every mutation on a candidate, so a new one cannot go unchecked.
#[test]
fn the_table_names_every_mutation_on_a_candidate() {
    let table: std::collections::BTreeSet<String> = mutations().iter().map(|(m, ..)| m.to_string()).collect();
    let schema = candidate_mutations_of_the_schema();
    assert!(schema.len() >= 25, "the schema was not read: {schema:?}");
    assert_eq!(table, schema);
}
