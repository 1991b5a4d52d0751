//! The edge of every rule, over HTTP, with its `rule` code: each case once just inside
//! the limit (accepted) and once just outside (refused).

use serde_json::json;

use crate::helpers::{TestApp, assert_rule};
use crate::workflow::{Ready, Roles, act, act_ok, prepare};

/// The branch vote on a prepared candidate of Nà Lầu, measured against 9 members: its 12
/// official members less three left out by name, each with a reason the rules allow (Quy
/// định 45-QĐ/TW 2011 §16.3a).
async fn branch_vote(app: &TestApp, roles: &Roles, id: &str, on: &str, votes_for: u32) -> serde_json::Value {
    let members = crate::workflow::official_members(app, &roles.branch, "SL.BS.TL.NL").await;
    let left_out = json!([
        { "memberId": members[9], "reason": "ATTACHED_ELSEWHERE" },
        { "memberId": members[10], "reason": "EXEMPTED_AND_ABSENT" },
        { "memberId": members[11], "reason": "SUSPENDED" },
    ]);
    act(
        app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": on, "leftOut": left_out, "votesFor": votes_for }),
    )
    .await
}

async fn expect(body: &serde_json::Value, rule: Option<&str>) {
    match rule {
        None => assert!(body.get("errors").is_none(), "expected success: {body}"),
        Some(rule) => assert_rule(body, rule),
    }
}

async fn age_is_counted_in_months(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Born 15 March 2006: 17 years 11 months on 14 March 2024, 18 years on 15 March 2024.
    for (vote_on, rule) in [("2024-03-14", Some("AGE_BELOW_MINIMUM")), ("2024-03-15", None)] {
        let id = prepare(
            &app,
            &roles,
            Ready {
                birth: "2006-03-15",
                listed_on: "2023-10-02",
                certificate_on: "2023-11-06",
                papers_on: "2024-01-15",
                ..Ready::default()
            },
        )
        .await;
        expect(&branch_vote(&app, &roles, &id, vote_on, 6).await, rule).await;
    }
}

/// Two thirds of the counted official members (Điều lệ Đảng 2011, Điều 4 khoản 3). A vote
/// short of it is on record with its tally and reported up, and the candidate stays listed
/// (Hướng dẫn 01-HD/TW 2021, kept by 06-HD/TW 2025).
async fn two_thirds_of_official_members(app: TestApp) {
    let roles = Roles::of(&app).await;
    const RESOLUTIONS: &str = "query($id: ID!) { candidate(id: $id) { stage branchResolutionOn resolutions { kind approved eligibleVoters votesFor leftOut { reason member { id } } } } }";
    // 9 counted: 6 in favour is exactly two thirds; 5 is one vote short.
    for (votes, approved, stage) in [(5, false, "SOURCE_LIST"), (6, true, "BRANCH_APPROVED")] {
        let id = prepare(&app, &roles, Ready::default()).await;
        let body = branch_vote(&app, &roles, &id, "2024-06-03", votes).await;
        assert_eq!(
            body["data"]["recordBranchResolution"]["candidate"]["stage"], stage,
            "{body}"
        );
        let body = app
            .graphql(Some(&roles.commune), RESOLUTIONS, json!({ "id": id }))
            .await;
        let c = &body["data"]["candidate"];
        assert_eq!(c["resolutions"][0]["approved"], approved, "{body}");
        assert_eq!(c["resolutions"][0]["eligibleVoters"], 9);
        assert_eq!(c["resolutions"][0]["votesFor"], votes);
        let reasons: Vec<&str> = c["resolutions"][0]["leftOut"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["ATTACHED_ELSEWHERE", "EXEMPTED_AND_ABSENT", "SUSPENDED"]);
        if !approved {
            assert_eq!(c["branchResolutionOn"], serde_json::Value::Null);
            // The commune sees it in its summary, and the branch may vote again.
            let summary = app
                .graphql(
                    Some(&roles.commune),
                    "query($u: ID!) { pipelineSummary(unitId: $u) { failedBranchVotes } }",
                    json!({ "u": app.unit_id("SL.BS.TL").await }),
                )
                .await;
            assert_eq!(summary["data"]["pipelineSummary"]["failedBranchVotes"], 1, "{summary}");
            let again = branch_vote(&app, &roles, &id, "2024-06-10", 6).await;
            assert_eq!(
                again["data"]["recordBranchResolution"]["candidate"]["stage"], "BRANCH_APPROVED",
                "{again}"
            );
        }
    }
    // Nobody left out: the registry's 12 official members on the day are the basis (8 is
    // two thirds, 7 is not).
    for (votes, stage) in [(7, "SOURCE_LIST"), (8, "BRANCH_APPROVED")] {
        let id = prepare(&app, &roles, Ready::default()).await;
        let c = act_ok(
            &app,
            &roles.branch,
            "recordBranchResolution",
            json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": votes }),
        )
        .await;
        assert_eq!(c["stage"], stage);
    }
    // Only official members of the branch on the day can be left out, each once, and not all.
    let id = prepare(&app, &roles, Ready::default()).await;
    let members = crate::workflow::official_members(&app, &roles.branch, "SL.BS.TL.NL").await;
    let twice = json!([{ "memberId": members[0], "reason": "SUSPENDED" }, { "memberId": members[0], "reason": "ATTACHED_ELSEWHERE" }]);
    let body = act(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "leftOut": twice, "votesFor": 8 }),
    )
    .await;
    crate::helpers::assert_error(&body, "BAD_USER_INPUT");
    let all: Vec<_> = members
        .iter()
        .map(|m| json!({ "memberId": m, "reason": "SUSPENDED" }))
        .collect();
    let body = act(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "leftOut": all, "votesFor": 0 }),
    )
    .await;
    assert_rule(&body, "VOTE_NOBODY_COUNTED");
    let elsewhere = crate::workflow::official_members(&app, &roles.district, "SL.BS.HB.BC").await;
    let body = act(&app, &roles.branch, "recordBranchResolution", json!({ "candidateId": id, "resolvedOn": "2024-06-03", "leftOut": [{ "memberId": elsewhere[0], "reason": "SUSPENDED" }], "votesFor": 8 })).await;
    crate::helpers::assert_error(&body, "NOT_FOUND");
    // Nothing of the refused attempts is on record.
    let body = app
        .graphql(Some(&roles.commune), RESOLUTIONS, json!({ "id": id }))
        .await;
    assert_eq!(body["data"]["candidate"]["resolutions"], json!([]), "{body}");
}

async fn certificate_is_valid_for_sixty_months(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Issued 10 March 2021, valid 60 months: through 10 March 2026, the corresponding day
    // of the last month (Bộ luật Dân sự 2015, Điều 147–148), expired from the 11th, the same
    // reckoning as papers valid 12 months (below).
    for (vote_on, rule) in [("2026-03-10", None), ("2026-03-11", Some("CERTIFICATE_EXPIRED"))] {
        let id = prepare(
            &app,
            &roles,
            Ready {
                listed_on: "2021-01-04",
                certificate_on: "2021-03-10",
                papers_on: "2025-12-01",
                ..Ready::default()
            },
        )
        .await;
        expect(&branch_vote(&app, &roles, &id, vote_on, 6).await, rule).await;
    }
}

async fn introducers_must_have_known_the_candidate_twelve_months(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Vote on 3 June 2024: known since 3 June 2023 is 12 months; since 4 June 2023 only 11.
    for (known_since, rule) in [("2023-06-04", Some("INTRODUCER_KNOWN_TOO_SHORT")), ("2023-06-03", None)] {
        let id = prepare(
            &app,
            &roles,
            Ready {
                known_since,
                ..Ready::default()
            },
        )
        .await;
        expect(&branch_vote(&app, &roles, &id, "2024-06-03", 6).await, rule).await;
    }
}

/// Quy định 24-QĐ/TW 2021 §3.2.2: an introducer who is transferred, disciplined, dies or
/// otherwise cannot continue is replaced by another official member the branch assigns,
/// who needs no 12 months of acquaintance; the replaced introduction stops counting.
async fn a_replacement_introducer_needs_no_twelve_months(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    let members = crate::workflow::official_members(&app, &roles.branch, "SL.BS.TL.NL").await;
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { introductions { id } } }",
            json!({ "id": id }),
        )
        .await;
    let first = body["data"]["candidate"]["introductions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let replace = |member: &str, reason: Option<&str>| {
        json!({ "candidateId": id, "kind": "MEMBER", "memberId": member, "knownSince": "2024-05-01",
                "introducedOn": "2024-05-20", "replacesIntroductionId": first, "replacementReason": reason })
    };
    let body = act(&app, &roles.branch, "addIntroduction", replace(&members[4], None)).await;
    crate::helpers::assert_error(&body, "BAD_USER_INPUT");
    let c = act_ok(
        &app,
        &roles.branch,
        "addIntroduction",
        replace(&members[4], Some("TRANSFERRED")),
    )
    .await;
    assert_eq!(c["stage"], "SOURCE_LIST");
    let again = act(
        &app,
        &roles.branch,
        "addIntroduction",
        replace(&members[5], Some("DECEASED")),
    )
    .await;
    assert_rule(&again, "INTRODUCTION_NOT_REPLACEABLE");
    // Known for one month only, the replacement counts beside the other introducer.
    expect(&branch_vote(&app, &roles, &id, "2024-06-03", 6).await, None).await;
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { candidate(id: $id) { introductions { replacesId replacementReason } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        body["data"]["candidate"]["introductions"][2],
        json!({ "replacesId": first, "replacementReason": "TRANSFERRED" }),
        "{body}"
    );
    // The same newcomer as a plain introducer would not do: the 12 months apply.
    let id = prepare(
        &app,
        &roles,
        Ready {
            known_since: "2024-05-01",
            ..Ready::default()
        },
    )
    .await;
    expect(
        &branch_vote(&app, &roles, &id, "2024-06-03", 6).await,
        Some("INTRODUCER_KNOWN_TOO_SHORT"),
    )
    .await;
}

async fn papers_older_than_twelve_months_must_be_redone(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Papers of 15 May 2024: fresh on 15 May 2025, stale on 16 May 2025.
    for (vote_on, rule) in [("2025-05-15", None), ("2025-05-16", Some("DOSSIER_STALE"))] {
        let id = prepare(&app, &roles, Ready::default()).await;
        expect(&branch_vote(&app, &roles, &id, vote_on, 6).await, rule).await;
    }
}

/// Up to the commune resolution, with the branch resolution on `branch_on`.
async fn resolved_by_commune(app: &TestApp, roles: &Roles, branch_on: &str, commune_on: &str) -> String {
    let id = prepare(
        app,
        roles,
        Ready {
            listed_on: "2025-03-03",
            certificate_on: "2025-04-07",
            known_since: "2020-01-01",
            papers_on: "2025-10-01",
            ..Ready::default()
        },
    )
    .await;
    act_ok(
        app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": branch_on, "votesFor": 12 }),
    )
    .await;
    act_ok(
        app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": commune_on, "committeeMembers": 7, "votesFor": 7 }),
    )
    .await;
    id
}

async fn decision_within_sixty_working_days_across_lunar_new_year(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Branch resolution on 15 December 2025. Counting the seeded calendar (New Year on
    // 1–2 January, Tết from 16 to 20 February, a make-up Saturday on 10 January), the
    // 60th working day is 17 March 2026 and the 61st is 18 March.
    let id = resolved_by_commune(&app, &roles, "2025-12-15", "2025-12-29").await;
    let c = act_ok(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "1-QĐ/HU", "signedOn": "2026-03-17" }),
    )
    .await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");

    let late = resolved_by_commune(&app, &roles, "2025-12-15", "2025-12-29").await;
    let body = act(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": late, "decisionNumber": "2-QĐ/HU", "signedOn": "2026-03-18" }),
    )
    .await;
    assert_rule(&body, "DECISION_DEADLINE_PASSED");
    // In special cases 30 more working days are allowed, with the reason recorded.
    let c = act_ok(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": late, "decisionNumber": "2-QĐ/HU", "signedOn": "2026-03-18", "extensionReason": "Chờ kết quả thẩm tra bổ sung" }),
    )
    .await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");
}

/// A candidate resolved by the branch on 6 October 2025 and the commune on 20 October, and
/// admitted by a decision signed on `signed_on`.
async fn decided_on(app: &TestApp, roles: &Roles, signed_on: &str) -> String {
    let id = resolved_by_commune(app, roles, "2025-10-06", "2025-10-20").await;
    act_ok(
        app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "9-QĐ/HU", "signedOn": signed_on }),
    )
    .await;
    id
}

async fn ceremony_within_thirty_working_days(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Decision on Monday 3 November 2025: the 30th working day after it is 15 December.
    let ids = [
        decided_on(&app, &roles, "2025-11-03").await,
        decided_on(&app, &roles, "2025-11-03").await,
    ];
    let c = act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ids[0], "heldOn": "2025-12-15" }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    let body = act(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ids[1], "heldOn": "2025-12-16" }),
    )
    .await;
    assert_rule(&body, "CEREMONY_DEADLINE_PASSED");
    let c = act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ids[1], "heldOn": "2025-12-16", "lateWithSuperiorConsent": true }),
    )
    .await;
    assert_eq!(c["joinedOn"], "2025-12-16");
}

/// Quy định 29-QĐ/TW 2016 §4.1 (and 232-QĐ/TW 2025 §4.1): the ceremony is due within 30
/// working days of the day the branch *received* the decision.
async fn ceremony_clock_runs_from_the_receipt_of_the_decision(app: TestApp) {
    let roles = Roles::of(&app).await;
    let ids = [
        decided_on(&app, &roles, "2025-11-03").await,
        decided_on(&app, &roles, "2025-11-03").await,
    ];
    // Received before it was signed: refused.
    let body = act(
        &app,
        &roles.branch,
        "recordDecisionReceipt",
        json!({ "candidateId": ids[0], "receivedOn": "2025-10-31" }),
    )
    .await;
    assert_rule(&body, "DATES_OUT_OF_ORDER");
    // Received a week after the signing: the deadline shown moves a week, from 15 to 22 December.
    for id in &ids {
        let c = act_ok(
            &app,
            &roles.branch,
            "recordDecisionReceipt",
            json!({ "candidateId": id, "receivedOn": "2025-11-10" }),
        )
        .await;
        assert_eq!(c["nextDeadline"], json!({ "kind": "CEREMONY", "dueOn": "2025-12-22" }));
    }
    // Once recorded, the receipt may move earlier, never later.
    let body = act(
        &app,
        &roles.branch,
        "recordDecisionReceipt",
        json!({ "candidateId": ids[1], "receivedOn": "2025-11-12" }),
    )
    .await;
    assert_rule(&body, "DECISION_RECEIPT_ALREADY_RECORDED");
    // The act is judged by the same clock: the 30th working day passes, the 31st does not.
    let c = act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ids[0], "heldOn": "2025-12-22" }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    let body = act(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ids[1], "heldOn": "2025-12-23" }),
    )
    .await;
    assert_rule(&body, "CEREMONY_DEADLINE_PASSED");
}

/// A probationer of Nà Lầu whose branch voted for recognition on `branch_on` and whose
/// grassroots committee on `commune_on`.
async fn recognition_resolved(app: &TestApp, roles: &Roles, branch_on: &str, commune_on: &str) -> String {
    let (id, shown) = recognition_proposed(app, roles, branch_on).await;
    let c = act_ok(
        app,
        &roles.commune,
        "recordRecognitionCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": commune_on, "committeeMembers": 9, "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["nextDeadline"], shown);
    id
}

/// A probationer of Nà Lầu whose branch voted for recognition on `branch_on`, and the
/// deadline then shown.
async fn recognition_proposed(app: &TestApp, roles: &Roles, branch_on: &str) -> (String, serde_json::Value) {
    let id = crate::workflow::admitted_in_2024(app, roles).await;
    crate::workflow::probation_dossier(
        app,
        roles,
        &roles.district,
        &id,
        "2024-10-01",
        "2024-10-04",
        "2025-07-25",
    )
    .await;
    // The decision's clock starts at the branch's resolution, and stays there once the
    // grassroots committee has voted.
    let c = act_ok(
        app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": branch_on, "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["nextDeadline"]["kind"], "RECOGNITION_DECISION");
    (id, c["nextDeadline"].clone())
}

/// Quy định 29-QĐ/TW 2016 §4.3.1: the recognition decision within 30 working days of the
/// branch's recognition resolution (13-KNĐ), not of the grassroots committee's; in special
/// cases up to 30 more, with the reason.
async fn recognition_decision_within_thirty_working_days_of_the_branch_resolution(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Branch vote Monday 20 October 2025: the 30th working day after it is 1 December.
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(recognition_resolved(&app, &roles, "2025-10-20", "2025-11-17").await);
    }
    // The committee votes on the branch's proposal, not before it.
    let (early, _) = recognition_proposed(&app, &roles, "2025-10-20").await;
    let body = act(
        &app,
        &roles.commune,
        "recordRecognitionCommuneResolution",
        json!({ "candidateId": early, "resolvedOn": "2025-10-13", "committeeMembers": 9, "votesFor": 9 }),
    )
    .await;
    assert_rule(&body, "DATES_OUT_OF_ORDER");
    let sign = |id: &String, on: &str| json!({ "candidateId": id, "decisionNumber": "456-QĐ/HU", "signedOn": on });
    let c = act_ok(
        &app,
        &roles.district,
        "signRecognitionDecision",
        sign(&ids[0], "2025-12-01"),
    )
    .await;
    assert_eq!(c["stage"], "OFFICIAL");
    let body = act(
        &app,
        &roles.district,
        "signRecognitionDecision",
        sign(&ids[1], "2025-12-02"),
    )
    .await;
    assert_rule(&body, "DECISION_DEADLINE_PASSED");
    let mut extended = sign(&ids[1], "2025-12-02");
    extended["extensionReason"] = json!("Chờ ý kiến của chi bộ nơi cư trú");
    let c = act_ok(&app, &roles.district, "signRecognitionDecision", extended).await;
    assert_eq!(c["officialOn"], "2025-08-02");
    // The extension ends 30 working days later: Tuesday 13 January 2026 (1 and 2 January are
    // days off, Saturday 10 January is worked in exchange).
    let reason = json!("Chờ ý kiến của chi bộ nơi cư trú");
    let mut last_day = sign(&ids[2], "2026-01-13");
    last_day["extensionReason"] = reason.clone();
    assert_eq!(
        act_ok(&app, &roles.district, "signRecognitionDecision", last_day).await["stage"],
        "OFFICIAL"
    );
    let mut too_late = sign(&ids[3], "2026-01-14");
    too_late["extensionReason"] = reason;
    let body = act(&app, &roles.district, "signRecognitionDecision", too_late).await;
    assert_rule(&body, "DECISION_DEADLINE_PASSED");
}

/// A rulebook version that comes into force in mid-process leaves running clocks alone:
/// for each clock that an act is judged by, the deadline shown before the change is the
/// one the act meets after it, and a clock started after the change runs by the new rule.
async fn a_rule_changed_in_mid_process_leaves_running_clocks_alone(app: TestApp) {
    let roles = Roles::of(&app).await;
    async fn due_of(app: &TestApp, token: &str, id: String) -> serde_json::Value {
        let body = app
            .graphql(
                Some(token),
                "query($id: ID!) { candidate(id: $id) { nextDeadline { kind dueOn } } }",
                json!({ "id": id }),
            )
            .await;
        body["data"]["candidate"]["nextDeadline"].clone()
    }
    let district = roles.district.clone();
    // Clocks started in October 2025, under the rules of then.
    let deciding = resolved_by_commune(&app, &roles, "2025-10-06", "2025-10-20").await;
    let decision_due = due_of(&app, &district, deciding.clone()).await;
    let ceremony = decided_on(&app, &roles, "2025-10-27").await;
    let ceremony_due = due_of(&app, &district, ceremony.clone()).await;
    let recognising = recognition_resolved(&app, &roles, "2025-10-20", "2025-10-27").await;
    let recognition_due = due_of(&app, &district, recognising.clone()).await;
    assert_eq!(
        (&decision_due["kind"], &ceremony_due["kind"], &recognition_due["kind"]),
        (
            &json!("ADMISSION_DECISION"),
            &json!("CEREMONY"),
            &json!("RECOGNITION_DECISION")
        )
    );

    // From 1 November every clock is shorter.
    let version =
        "mutation($i: AddRulebookVersionInput!) { addRulebookVersion(input: $i) { rulebook { effectiveFrom } } }";
    let shorter = json!({ "i": { "effectiveFrom": "2025-11-01", "source": "Thử nghiệm giữa kỳ", "inheritsFrom": "2011-01-19", "decisionWorkingDays": 45,
        "ceremonyWorkingDays": 20, "recognitionDecisionWorkingDays": 20 } });
    crate::helpers::assert_ok(&app.graphql(Some(&roles.admin), version, shorter).await);

    // The deadlines shown do not move, and each act meets the one shown, on its last day.
    assert_eq!(due_of(&app, &district, deciding.clone()).await, decision_due);
    assert_eq!(due_of(&app, &district, ceremony.clone()).await, ceremony_due);
    assert_eq!(due_of(&app, &district, recognising.clone()).await, recognition_due);
    let on = |due: &serde_json::Value| due["dueOn"].as_str().unwrap().to_string();
    let c = act_ok(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": deciding, "decisionNumber": "8-QĐ/HU", "signedOn": on(&decision_due) }),
    )
    .await;
    assert_eq!(c["stage"], "ADMISSION_DECIDED");
    let c = act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": ceremony, "heldOn": on(&ceremony_due) }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    let c = act_ok(
        &app,
        &roles.district,
        "signRecognitionDecision",
        json!({ "candidateId": recognising, "decisionNumber": "9-QĐ/HU", "signedOn": on(&recognition_due) }),
    )
    .await;
    assert_eq!(c["stage"], "OFFICIAL");

    // A clock started after the change runs by the new rule: 45 working days from Monday
    // 3 November 2025 end on Wednesday 7 January 2026 (1 and 2 January are days off).
    let later = resolved_by_commune(&app, &roles, "2025-11-03", "2025-11-10").await;
    assert_eq!(
        due_of(&app, &district, later.clone()).await,
        json!({ "kind": "ADMISSION_DECISION", "dueOn": "2026-01-07" })
    );
    let body = act(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": later, "decisionNumber": "10-QĐ/HU", "signedOn": "2026-01-08" }),
    )
    .await;
    assert_rule(&body, "DECISION_DEADLINE_PASSED");
}

async fn steps_cannot_be_skipped_and_failed_commune_votes_go_up(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    let body = act(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "1", "signedOn": "2024-07-01" }),
    )
    .await;
    assert_rule(&body, "ACT_NOT_ALLOWED_IN_STAGE");
    let body = act(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": id, "heldOn": "2024-07-01" }),
    )
    .await;
    assert_rule(&body, "ACT_NOT_ALLOWED_IN_STAGE");
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 12 }),
    )
    .await;
    // The section appraisal belongs to branches under a section; Nà Lầu has none.
    let body = act(
        &app,
        &roles.commune,
        "recordSectionAppraisal",
        json!({ "candidateId": id, "appraisedOn": "2024-06-10", "approved": true }),
    )
    .await;
    assert_rule(&body, "NO_SUCH_BODY");
    // Four of nine is short of two thirds: recorded and reported upward, not approved.
    let c = act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 4 }),
    )
    .await;
    assert_eq!(c["stage"], "COMMUNE_RESOLVED");
    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { resolutions { kind votesFor eligibleVoters approved } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        body["data"]["candidate"]["resolutions"][1],
        json!({ "kind": "COMMUNE_ADMISSION", "votesFor": 4, "eligibleVoters": 9, "approved": false })
    );
    // The deciding unit rejects, with the reason.
    let c = act_ok(
        &app,
        &roles.district,
        "rejectCandidate",
        json!({ "candidateId": id, "on": "2024-07-01", "reason": "Đảng ủy xã biểu quyết không đạt 2/3" }),
    )
    .await;
    assert_eq!(c["stage"], "REJECTED");
    let body = act(
        &app,
        &roles.branch,
        "assignMentor",
        json!({ "candidateId": id, "memberId": "x", "assignedOn": "2024-07-02" }),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "a malformed member ID is bad input: {body}"
    );
}

/// The probation dossier and the new-member course, ready for the recognition vote of a
/// candidate admitted in 2024 (probation ends 2 August 2025).
async fn ready_for_recognition(app: &TestApp, roles: &Roles) -> String {
    let id = crate::workflow::admitted_in_2024(app, roles).await;
    crate::workflow::probation_dossier(
        app,
        roles,
        &roles.district,
        &id,
        "2024-10-01",
        "2024-10-04",
        "2025-07-25",
    )
    .await;
    id
}

/// A recognition vote short of two thirds is recorded and reported up, and the branch
/// votes again; two thirds to strike off then send the probationer through the same bodies
/// as recognition: the grassroots committee, then the decision (Điều lệ Đảng 2011, Điều 5
/// khoản 3; Quy định 29-QĐ/TW 2016 §4.2 a; Hướng dẫn 01-HD/TW 2021, kept by 06-HD/TW 2025).
async fn a_probationer_is_struck_off_through_the_bodies_of_recognition(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = ready_for_recognition(&app, &roles).await;
    // 12 official members on the day: 7 for is one short of two thirds.
    let c = act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-08-11", "votesFor": 7 }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    // Two thirds are needed to propose striking off too: 7 is short, 8 carries.
    let propose = |votes: u32| json!({ "candidateId": id, "resolvedOn": "2025-08-11", "votesFor": votes, "reason": "Không đủ tư cách đảng viên" });
    let c = act_ok(&app, &roles.branch, "proposeStrikeOff", propose(8)).await;
    assert_eq!(c["stage"], "STRIKE_OFF_PROPOSED");
    // The decision is due on the recognition decision's clock from the branch's resolution:
    // 30 working days from Monday 11 August 2025, over the National Day holiday of 1–2 September.
    assert_eq!(
        c["nextDeadline"],
        json!({ "kind": "STRIKE_OFF_DECISION", "dueOn": "2025-09-24" })
    );
    let strike = json!({ "candidateId": id, "decisionNumber": "5-QĐ/HU", "signedOn": "2025-08-25", "reason": "Không đủ tư cách đảng viên" });
    // The deciding committee waits for the grassroots committee.
    assert_rule(
        &act(&app, &roles.district, "strikeOffProbationer", strike.clone()).await,
        "ACT_NOT_ALLOWED_IN_STAGE",
    );
    let c = act_ok(
        &app,
        &roles.commune,
        "recordStrikeOffCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-08-15", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "STRIKE_OFF_COMMUNE_RESOLVED");
    let c = act_ok(&app, &roles.district, "strikeOffProbationer", strike).await;
    assert_eq!(c["stage"], "STRUCK_OFF");
    assert_eq!(c["member"]["status"], "STRUCK_OFF");
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { candidate(id: $id) { resolutions { kind approved votesFor eligibleVoters note } timeline { act actorRole } } }",
            json!({ "id": id }),
        )
        .await;
    let c = &body["data"]["candidate"];
    let recognition = c["resolutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "BRANCH_RECOGNITION")
        .unwrap();
    assert_eq!(
        (
            &recognition["approved"],
            &recognition["votesFor"],
            &recognition["eligibleVoters"]
        ),
        (&json!(false), &json!(7), &json!(12)),
        "{body}"
    );
    assert_eq!(recognition["note"], "not recognised: 7 of 12 for, at least 8 needed");
    let acts: Vec<&str> = c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["act"].as_str().unwrap())
        .collect();
    assert_eq!(
        acts[acts.len() - 4..],
        [
            "recordRecognitionBranchResolution",
            "proposeStrikeOff",
            "recordStrikeOffCommuneResolution",
            "strikeOffProbationer"
        ]
    );
}

/// Quy định 29-QĐ/TW 2016 §4.2 c (24-QĐ/TW 2021 §4.2.3): after three branch votes without
/// two thirds either to recognise or to strike off, the question goes to the competent
/// committee, which decides either way.
async fn three_failed_votes_send_the_question_to_the_competent_committee(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = ready_for_recognition(&app, &roles).await;
    let recognise = |on: &str| json!({ "candidateId": id, "resolvedOn": on, "votesFor": 7 });
    let c = act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        recognise("2025-08-04"),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY");
    let c = act_ok(
        &app,
        &roles.branch,
        "proposeStrikeOff",
        json!({ "candidateId": id, "resolvedOn": "2025-08-11", "votesFor": 5, "reason": "Chưa đủ tư cách" }),
    )
    .await;
    assert_eq!(c["stage"], "PROBATIONARY", "two fail, one to go");
    let c = act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        recognise("2025-08-18"),
    )
    .await;
    assert_eq!(c["stage"], "RECOGNITION_REFERRED");
    assert_eq!(c["nextDeadline"]["kind"], "RECOGNITION_DECISION");
    // The grassroots committee has no vote left; the deciding committee recognises.
    let vote = json!({ "candidateId": id, "resolvedOn": "2025-08-20", "committeeMembers": 9, "votesFor": 9 });
    assert_rule(
        &act(&app, &roles.commune, "recordRecognitionCommuneResolution", vote).await,
        "ACT_NOT_ALLOWED_IN_STAGE",
    );
    let c = act_ok(
        &app,
        &roles.district,
        "signRecognitionDecision",
        json!({ "candidateId": id, "decisionNumber": "9-QĐ/HU", "signedOn": "2025-08-25" }),
    )
    .await;
    assert_eq!(
        (c["stage"].as_str(), c["officialOn"].as_str()),
        (Some("OFFICIAL"), Some("2025-08-02"))
    );
}

/// Re-admission of a former member (Quy định 294-QĐ/TW 2025 §3.5, as 29-QĐ/TW 2016 and
/// 24-QĐ/TW 2021 §3.5): recognised by citizen ID wherever the registry holds them; never for
/// the reasons §3.5.2 excludes; at least 36 months after leaving; with the provincial
/// standing committee's written consent; once recognised, party age from the first
/// decision less the time outside (§4.5.2).
async fn a_former_member_is_readmitted_only_as_the_rules_allow(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Two former members of Khuổi Mạ, a sibling branch the demo branch cannot see.
    let csv = "full_name,status,citizen_id,decision_date,joined_on,official_on,left_on,left_reason\n\
               Hoàng Văn Bảo,LEFT,001085000111,2008-03-01,2008-03-20,2009-03-20,2021-06-01,EXPELLED\n\
               Hoàng Văn Cừ,LEFT,001085000222,2008-03-01,2008-03-20,2009-03-20,2021-06-01,RESIGNED\n";
    let body = app
        .graphql(
            Some(&roles.district),
            "mutation($i: ImportMembersInput!) { importMembers(input: $i) { importedCount } }",
            json!({ "i": { "branchId": app.unit_id("SL.BS.TL.KM").await, "csv": csv } }),
        )
        .await;
    assert_eq!(body["data"]["importMembers"]["importedCount"], 2, "{body}");
    let list = |citizen_id: &str| {
        let mut p = crate::workflow::person("Hoàng Văn Bảo", "1985-02-02", "2024-03-01");
        p["citizenId"] = json!(citizen_id);
        p
    };
    // Who left by resigning is never re-admitted (§3.5.2).
    let refused = act(&app, &roles.branch, "addToSourceList", list("001085000222")).await;
    assert_rule(&refused, "READMISSION_EXCLUDED");
    let c = act_ok(&app, &roles.branch, "addToSourceList", list("001085000111")).await;
    let id = c["id"].as_str().unwrap().to_string();
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { isReadmission formerMember { fullName } } }",
            json!({ "id": id }),
        )
        .await;
    // Recognised, but the record stays with the branch that holds it.
    assert_eq!(
        body["data"]["candidate"],
        json!({ "isReadmission": true, "formerMember": null }),
        "{body}"
    );
    let body = app
        .graphql(
            Some(&roles.commune),
            "query($id: ID!) { candidate(id: $id) { formerMember { fullName leftOn leftReason } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        body["data"]["candidate"]["formerMember"],
        json!({ "fullName": "Hoàng Văn Bảo", "leftOn": "2021-06-01", "leftReason": "EXPELLED" })
    );
    crate::workflow::complete_dossier(&app, &roles, &id, &Ready::default()).await;
    let vote = |on: &str| json!({ "candidateId": id, "resolvedOn": on, "votesFor": 12 });
    // Left 1 June 2021: the 36 months run through 1 June 2024.
    assert_rule(
        &act(&app, &roles.branch, "recordBranchResolution", vote("2024-06-01")).await,
        "READMISSION_TOO_SOON",
    );
    assert_rule(
        &act(&app, &roles.branch, "recordBranchResolution", vote("2024-06-03")).await,
        "READMISSION_NEEDS_PROVINCIAL_CONSENT",
    );
    // A consent is not the branch's word: a flag saying so is refused.
    let mut flagged = vote("2024-06-03");
    flagged["provincialConsentReadmission"] = json!(true);
    let body = act(&app, &roles.branch, "recordBranchResolution", flagged).await;
    crate::helpers::assert_error(&body, "BAD_USER_INPUT");
    // The provincial standing committee's letter, recorded by the deciding committee; a
    // letter dated after the vote does not count for it.
    let consent = |on: &str| json!({ "candidateId": id, "caseCode": "READMISSION", "documentNumber": "215-CV/TU", "consentedOn": on });
    act_ok(&app, &roles.district, "recordHigherConsent", consent("2024-06-04")).await;
    assert_rule(
        &act(&app, &roles.branch, "recordBranchResolution", vote("2024-06-03")).await,
        "READMISSION_NEEDS_PROVINCIAL_CONSENT",
    );
    act_ok(&app, &roles.district, "recordHigherConsent", consent("2024-06-03")).await;
    let c = act_ok(&app, &roles.branch, "recordBranchResolution", vote("2024-06-03")).await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
    // Through probation to recognition; party age then counts from the first decision
    // (1 March 2008), moved on by the time outside (1 June 2021 to the new decision).
    act_ok(
        &app,
        &roles.commune,
        "recordCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-20", "committeeMembers": 9, "votesFor": 8 }),
    )
    .await;
    let c = act_ok(
        &app,
        &roles.district,
        "signAdmissionDecision",
        json!({ "candidateId": id, "decisionNumber": "77-QĐ/HU", "signedOn": "2024-07-15" }),
    )
    .await;
    assert_eq!(
        c["partyAgeFrom"], "2024-07-15",
        "a probationer's party age is not yet counted"
    );
    act_ok(
        &app,
        &roles.branch,
        "recordAdmissionCeremony",
        json!({ "candidateId": id, "heldOn": "2024-08-02" }),
    )
    .await;
    crate::workflow::probation_dossier(
        &app,
        &roles,
        &roles.district,
        &id,
        "2024-10-01",
        "2024-10-04",
        "2025-07-25",
    )
    .await;
    act_ok(
        &app,
        &roles.branch,
        "recordRecognitionBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-08-04", "votesFor": 12 }),
    )
    .await;
    act_ok(
        &app,
        &roles.commune,
        "recordRecognitionCommuneResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-08-11", "committeeMembers": 9, "votesFor": 9 }),
    )
    .await;
    let c = act_ok(
        &app,
        &roles.district,
        "signRecognitionDecision",
        json!({ "candidateId": id, "decisionNumber": "78-QĐ/HU", "signedOn": "2025-08-20" }),
    )
    .await;
    assert_eq!(c["stage"], "OFFICIAL");
    // 1 March 2008 + (15 July 2024 − 1 June 2021) = 1 March 2008 + 1140 days = 15 April 2011.
    assert_eq!(c["partyAgeFrom"], "2011-04-15");
    assert_eq!(
        c["member"]["partyAgeFrom"], "2011-04-15",
        "the registry counts it the same way"
    );
    // Only once (§3.5.3): listed again anywhere, even where the first record is unseen.
    let ban_chang = app.token_for("demo.banchang").await;
    let twice = act(&app, &ban_chang, "addToSourceList", list("001085000111")).await;
    assert_rule(&twice, "READMISSION_ONLY_ONCE");
}

db_tests!(
    age_is_counted_in_months,
    two_thirds_of_official_members,
    certificate_is_valid_for_sixty_months,
    introducers_must_have_known_the_candidate_twelve_months,
    a_replacement_introducer_needs_no_twelve_months,
    papers_older_than_twelve_months_must_be_redone,
    decision_within_sixty_working_days_across_lunar_new_year,
    ceremony_within_thirty_working_days,
    ceremony_clock_runs_from_the_receipt_of_the_decision,
    recognition_decision_within_thirty_working_days_of_the_branch_resolution,
    a_rule_changed_in_mid_process_leaves_running_clocks_alone,
    steps_cannot_be_skipped_and_failed_commune_votes_go_up,
    a_probationer_is_struck_off_through_the_bodies_of_recognition,
    three_failed_votes_send_the_question_to_the_competent_committee,
    a_former_member_is_readmitted_only_as_the_rules_allow,
);
