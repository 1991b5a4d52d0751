//! Background verification as Hướng dẫn 01-HD/TW 2021 §3.4 lays it down: the candidate and
//! the relatives it names are verified by a verifying body, unless a member among the close
//! relatives exempts their side (§3.4 c); the grassroots committee concludes on every reply,
//! and the branch votes only on a favourable conclusion.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok, assert_rule};
use crate::workflow::{Ready, Roles, act, act_ok, person, prepare};

async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app
        .graphql(
            Some(token),
            "query($id: ID!) { candidate(id: $id) { relatives { id relation } backgroundSubjects { relative { relation } standing } backgroundChecks { id finding } verificationExemptions { side memberRelation } backgroundConclusion { passed concludedOn unit { code } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_ok(&body);
    body["data"]["candidate"].clone()
}

fn standings(c: &Value) -> Vec<(String, String)> {
    c["backgroundSubjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let who = s["relative"]["relation"].as_str().unwrap_or("CANDIDATE").to_string();
            (who, s["standing"].as_str().unwrap().to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Who is verified (§3.4 a), what exempts a side (§3.4 c), replies counted from their day,
/// and a concern concluded only with its reasons.
async fn verification_follows_the_rules_at_its_edges(app: TestApp) {
    let roles = Roles::of(&app).await;
    let b = &roles.branch;
    let c = act_ok(
        &app,
        b,
        "addToSourceList",
        person("Lường Thị Xác", "1997-03-03", "2024-03-01"),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_string();
    for (relation, name) in [("FATHER", "Lường Văn Cha"), ("SPOUSE", "Quàng Văn Chồng")] {
        let relative = json!({ "candidateId": id, "relation": relation, "fullName": name });
        act_ok(&app, b, "recordRelative", relative).await;
    }
    let c = read(&app, b, &id).await;
    assert_eq!(
        standings(&c),
        pairs(&[
            ("CANDIDATE", "NOT_SENT"),
            ("FATHER", "NOT_SENT"),
            ("SPOUSE", "NOT_SENT")
        ])
    );
    let conclude = |on: &str, passed: bool, note: Option<&str>| json!({ "candidateId": id, "concludedOn": on, "passed": passed, "note": note });
    assert_rule(
        &act(
            &app,
            &roles.commune,
            "concludeBackgroundVerification",
            conclude("2024-05-12", true, None),
        )
        .await,
        "VERIFICATION_INCOMPLETE",
    );

    // A sister in the Party exempts the candidate's side, and only with a complete declaration.
    let exemption = |side: &str, complete: bool| json!({ "candidateId": id, "side": side, "memberRelation": "SIBLING", "memberName": "Lường Thị Chị", "memberUnit": "Chi bộ bản Nà Lầu", "cardNumber": "51.012345", "declarationComplete": complete });
    assert_rule(
        &act(&app, b, "recordVerificationExemption", exemption("OWN", false)).await,
        "DECLARATION_INCOMPLETE",
    );
    assert_rule(
        &act(&app, b, "recordVerificationExemption", exemption("SPOUSE", true)).await,
        "EXEMPTION_NOT_IN_RULES",
    );
    act_ok(&app, b, "recordVerificationExemption", exemption("OWN", true)).await;
    let c = read(&app, b, &id).await;
    assert_eq!(
        standings(&c),
        pairs(&[("CANDIDATE", "EXEMPT"), ("FATHER", "EXEMPT"), ("SPOUSE", "NOT_SENT")])
    );

    // The spouse's side is verified where the spouse lives.
    let spouse = c["relatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["relation"] == "SPOUSE")
        .unwrap()["id"]
        .clone();
    let send = json!({ "candidateId": id, "relativeId": spouse, "verifyingBody": "Đảng ủy xã Hòa Bình", "sentOn": "2024-05-01" });
    act_ok(&app, b, "sendBackgroundCheck", send).await;
    let check = read(&app, b, &id).await["backgroundChecks"][0]["id"].clone();
    let reply = |on: &str| json!({ "checkId": check, "repliedOn": on, "finding": "CONCERN", "note": "Cần làm rõ thời gian 2010–2012" });
    assert_rule(
        &act(&app, b, "recordBackgroundReply", reply("2024-04-30")).await,
        "DATES_OUT_OF_ORDER",
    );
    act_ok(&app, b, "recordBackgroundReply", reply("2024-05-10")).await;
    assert_error(
        &act(&app, b, "recordBackgroundReply", reply("2024-05-11")).await,
        "CONFLICT",
    );

    // On the day before the reply it was still awaited; a concern passes only with reasons.
    assert_rule(
        &act(
            &app,
            &roles.commune,
            "concludeBackgroundVerification",
            conclude("2024-05-09", true, Some("x")),
        )
        .await,
        "VERIFICATION_INCOMPLETE",
    );
    assert_rule(
        &act(
            &app,
            &roles.commune,
            "concludeBackgroundVerification",
            conclude("2024-05-12", true, None),
        )
        .await,
        "CONCERN_UNEXPLAINED",
    );
    assert_error(
        &act(
            &app,
            b,
            "concludeBackgroundVerification",
            conclude("2024-05-12", true, Some("Đã làm rõ")),
        )
        .await,
        "FORBIDDEN",
    );
    act_ok(
        &app,
        &roles.commune,
        "concludeBackgroundVerification",
        conclude("2024-05-12", true, Some("Đã làm rõ với Ban Tổ chức Huyện ủy")),
    )
    .await;
    let c = read(&app, &roles.district, &id).await;
    assert_eq!(c["backgroundConclusion"]["passed"], true);
    assert_eq!(c["backgroundConclusion"]["unit"]["code"], "SL.BS.TL");
    assert_eq!(standings(&c)[2], ("SPOUSE".to_string(), "CONCERN".to_string()));

    // A relative of another candidate is not this one's to verify; another branch sees none.
    let other = act_ok(
        &app,
        b,
        "addToSourceList",
        person("Lò Văn Khác", "1998-04-04", "2024-03-01"),
    )
    .await;
    let stray =
        json!({ "candidateId": other["id"], "relativeId": spouse, "verifyingBody": "x", "sentOn": "2024-05-01" });
    assert_error(&act(&app, b, "sendBackgroundCheck", stray).await, "NOT_FOUND");
    let outsider = crate::workflow_access_token(&app, &roles.commune, "SL.BS.TL.KM", "verify.km").await;
    assert_error(
        &act(&app, &outsider, "recordBackgroundReply", reply("2024-05-12")).await,
        "NOT_FOUND",
    );
}

/// The branch votes on the committee's conclusion of the vote's day or before, the latest
/// one counting: the conclusion's own day is enough, the day before is not, and a later
/// unfavourable conclusion stops the vote.
async fn the_vote_reads_the_committee_conclusion(app: TestApp) {
    let roles = Roles::of(&app).await;
    // The workflow's dossier: concluded on 15 May 2024.
    let id = prepare(
        &app,
        &roles,
        Ready {
            name: "Hà Thị Kết Luận",
            ..Default::default()
        },
    )
    .await;
    let vote = |on: &str| json!({ "candidateId": id, "resolvedOn": on, "votesFor": 8 });
    assert_rule(
        &act(&app, &roles.branch, "recordBranchResolution", vote("2024-05-14")).await,
        "BACKGROUND_NOT_CONCLUDED",
    );
    let unfavourable = json!({ "candidateId": id, "concludedOn": "2024-05-20", "passed": false, "note": "Chưa đạt tiêu chuẩn chính trị" });
    act_ok(&app, &roles.commune, "concludeBackgroundVerification", unfavourable).await;
    assert_rule(
        &act(&app, &roles.branch, "recordBranchResolution", vote("2024-06-03")).await,
        "BACKGROUND_VERIFICATION_FAILED",
    );
    let again = json!({ "candidateId": id, "concludedOn": "2024-05-30", "passed": true });
    act_ok(&app, &roles.commune, "concludeBackgroundVerification", again).await;
    let c = act_ok(&app, &roles.branch, "recordBranchResolution", vote("2024-06-03")).await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
}

db_tests!(
    verification_follows_the_rules_at_its_edges,
    the_vote_reads_the_committee_conclusion
);
