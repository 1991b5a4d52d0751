//! Cases that need a higher committee's written consent (rulebook data): read from the
//! candidate's facts or declared by the branch, recorded with body, document and date by
//! the deciding committee, and the vote or the decision refused without it.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok, assert_rule};
use crate::workflow::{Ready, Roles, act, act_ok, prepare};

async fn special_cases(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app
        .graphql(
            Some(token),
            "query($id: ID!) { candidate(id: $id) { specialCases { case { code consentingBody neededBefore readFromFacts source } consent { id caseCode documentNumber consentedOn consentingBody } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_ok(&body);
    body["data"]["candidate"]["specialCases"].clone()
}

fn decision(on: &str) -> impl Fn(&str) -> Value + '_ {
    move |id| json!({ "candidateId": id, "decisionNumber": "88-QĐ/HU", "signedOn": on })
}

/// Above 60 on the day of the branch vote (Hướng dẫn 01-HD/TW 2021 §1.1): the vote may be
/// held, the decision waits for the written consent of the provincial standing committee,
/// counted from the day of its letter.
async fn over_sixty_waits_for_the_provincial_consent_before_the_decision(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Born 1 May 1964: on 3 June 2024, 60 years and 1 month.
    let id = prepare(
        &app,
        &roles,
        Ready {
            name: "Nông Văn Lão",
            birth: "1964-05-01",
            ..Default::default()
        },
    )
    .await;
    // Before the vote the case is judged on today: the branch sees what the decision will need.
    let cases = special_cases(&app, &roles.branch, &id).await;
    assert_eq!(cases[0]["case"]["code"], "OVER_AGE", "{cases}");
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 8 }),
    )
    .await;
    act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    let cases = special_cases(&app, &roles.district, &id).await;
    assert_eq!(cases[0]["case"]["code"], "OVER_AGE");
    assert_eq!(cases[0]["case"]["neededBefore"], "DECISION");
    assert_eq!(cases[0]["case"]["readFromFacts"], true);
    assert!(cases[0]["case"]["source"].as_str().unwrap().contains("01-HD/TW 2021"));
    assert_eq!(cases[0]["consent"], Value::Null);

    let sign = decision("2024-07-15");
    let refused = act(&app, &roles.district, "signAdmissionDecision", sign(&id)).await;
    assert_rule(&refused, "HIGHER_CONSENT_MISSING");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("Ban thường vụ cấp ủy trực thuộc Trung ương"),
        "{message}"
    );

    // Only the deciding committee records it.
    let consent = |on: &str| json!({ "candidateId": id, "caseCode": "OVER_AGE", "documentNumber": "41-CV/TU", "consentedOn": on });
    assert_error(
        &act(&app, &roles.branch, "recordHigherConsent", consent("2024-07-10")).await,
        "FORBIDDEN",
    );
    // A letter dated the day after the signing does not cover it; one of the same day does.
    act_ok(&app, &roles.district, "recordHigherConsent", consent("2024-07-16")).await;
    assert_rule(
        &act(&app, &roles.district, "signAdmissionDecision", sign(&id)).await,
        "HIGHER_CONSENT_MISSING",
    );
    act_ok(&app, &roles.district, "recordHigherConsent", consent("2024-07-15")).await;
    let c = act_ok(&app, &roles.district, "signAdmissionDecision", sign(&id)).await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");
    let cases = special_cases(&app, &roles.branch, &id).await;
    assert_eq!(cases[0]["consent"]["documentNumber"], "41-CV/TU");
    assert_eq!(
        cases[0]["consent"]["consentingBody"], cases[0]["case"]["consentingBody"],
        "the rulebook's body stands when the input names none"
    );

    // The consent's letter takes a scan like any other paper.
    let consent_id = cases[0]["consent"]["id"].as_str().unwrap().to_string();
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { node(id: $id) { __typename } }",
            json!({ "id": consent_id }),
        )
        .await;
    assert!(body["errors"].is_null() || body["data"]["node"].is_null(), "{body}");
}

/// A case the rulebook gains as data: the administrator defines it, the branch declares
/// it, the vote it must precede waits for the consent.
async fn a_new_case_is_data_not_code(app: TestApp) {
    let roles = Roles::of(&app).await;
    let define = "mutation($i: DefineConsentCaseInput!) { defineConsentCase(input: $i) { consentCase { code neededBefore readFromFacts } } }";
    let case = json!({ "code": "TEST_CASE", "name": "Trường hợp thử", "consentingBody": "Ban Thường vụ Huyện ủy", "neededBefore": "BRANCH_VOTE", "source": "Quy định thử nghiệm", "effectiveFrom": "2020-01-01" });
    assert_error(
        &app.graphql(Some(&roles.district), define, json!({ "i": case })).await,
        "FORBIDDEN",
    );
    let body = app.graphql(Some(&roles.admin), define, json!({ "i": case })).await;
    assert_ok(&body);
    assert_eq!(body["data"]["defineConsentCase"]["consentCase"]["readFromFacts"], false);
    let mut bad = case.clone();
    bad["code"] = json!("lower case");
    let body = app.graphql(Some(&roles.admin), define, json!({ "i": bad })).await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "code");
    let body = app
        .graphql(Some(&roles.branch), "{ consentCases { code } }", json!({}))
        .await;
    let codes: Vec<&str> = body["data"]["consentCases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "LITERACY",
            "OVER_AGE",
            "READMISSION",
            "RELIGIOUS_DIGNITARY",
            "TEST_CASE"
        ]
    );

    let id = prepare(
        &app,
        &roles,
        Ready {
            name: "Lý Thị Đặc",
            ..Default::default()
        },
    )
    .await;
    let declare = |code: &str| json!({ "candidateId": id, "caseCode": code, "note": "thử" });
    assert_rule(
        &act(&app, &roles.branch, "declareSpecialCase", declare("OVER_AGE")).await,
        "CASE_READ_FROM_FACTS",
    );
    let body = act(&app, &roles.branch, "declareSpecialCase", declare("NO_SUCH_CASE")).await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "caseCode");
    act_ok(&app, &roles.branch, "declareSpecialCase", declare("TEST_CASE")).await;
    assert_error(
        &act(&app, &roles.branch, "declareSpecialCase", declare("TEST_CASE")).await,
        "CONFLICT",
    );

    let vote = json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 8 });
    let refused = act(&app, &roles.branch, "recordBranchResolution", vote.clone()).await;
    assert_rule(&refused, "HIGHER_CONSENT_MISSING");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Ban Thường vụ Huyện ủy")
    );
    let consent = json!({ "candidateId": id, "caseCode": "TEST_CASE", "consentingBody": "Ban Thường vụ Huyện ủy Biên Sơn", "documentNumber": "7-CV/HU", "consentedOn": "2024-05-30" });
    act_ok(&app, &roles.district, "recordHigherConsent", consent).await;
    let c = act_ok(&app, &roles.branch, "recordBranchResolution", vote).await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
    let cases = special_cases(&app, &roles.commune, &id).await;
    assert_eq!(cases[0]["consent"]["consentingBody"], "Ban Thường vụ Huyện ủy Biên Sơn");

    // A case defined from a later day is not in force before it.
    let mut later = case.clone();
    later["code"] = json!("LATER_CASE");
    later["effectiveFrom"] = json!("2099-01-01");
    assert_ok(&app.graphql(Some(&roles.admin), define, json!({ "i": later })).await);
    let body = act(&app, &roles.branch, "declareSpecialCase", declare("LATER_CASE")).await;
    assert_error(&body, "BAD_USER_INPUT");
}

db_tests!(
    over_sixty_waits_for_the_provincial_consent_before_the_decision,
    a_new_case_is_data_not_code
);
