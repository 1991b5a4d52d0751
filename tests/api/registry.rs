//! Around the path: the member registry and its CSV import, search, deadlines, the
//! rulebook and calendar as data, transfers, sections, and the ways out.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok, assert_rule};
use crate::workflow::{Ready, Roles, act, act_ok, person, prepare};

const IMPORT: &str = "mutation($i: ImportMembersInput!) { importMembers(input: $i) { importedCount members { fullName status ethnicity partyAgeFrom joinedOn officialOn } } }";

async fn member_import_is_all_or_nothing(app: TestApp) {
    let roles = Roles::of(&app).await;
    let branch = app.unit_id("SL.BS.TL.KM").await;
    let count = "query($b: ID!) { members(filter: {withinId: $b}) { totalCount } }";
    let before =
        app.graphql(Some(&roles.commune), count, json!({ "b": branch })).await["data"]["members"]["totalCount"].clone();

    let bad = "full_name,status,birth_date,ethnicity,decision_date,joined_on\n\
               Nguyễn Văn An,chính thức,12/05/1970,Tày,2000-01-10,2000-02-01\n\
               ,OFFICIAL,1970-05-12,Kinh,,\n\
               Trần Văn Cường,dự bị,1990-13-01,Martian,2026-01-05,\n";
    let body = app
        .graphql(
            Some(&roles.commune),
            IMPORT,
            json!({ "i": { "branchId": branch, "csv": bad } }),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "csv");
    let problems: Vec<(u64, String)> = body["errors"][0]["extensions"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap().to_string()))
        .collect();
    let expected = [(3, "full_name"), (4, "birth_date"), (4, "ethnicity")].map(|(r, c)| (r, c.to_string()));
    assert_eq!(problems, expected, "{body}");
    let after =
        app.graphql(Some(&roles.commune), count, json!({ "b": branch })).await["data"]["members"]["totalCount"].clone();
    assert_eq!(before, after, "nothing was imported");

    let good = "full_name,status,ethnicity,decision_date,joined_on,official_on\n\
                Nguyễn Văn An,chính thức,Tày,2000-01-10,2000-02-01,2001-02-01\n\
                Lò Thị Bình,dự bị,Thái,2026-01-05,2026-02-01,\n";
    let body = app
        .graphql(
            Some(&roles.commune),
            IMPORT,
            json!({ "i": { "branchId": branch, "csv": good } }),
        )
        .await;
    assert_ok(&body);
    assert_eq!(body["data"]["importMembers"]["importedCount"], 2);
    assert_eq!(
        body["data"]["importMembers"]["members"][0],
        json!({ "fullName": "Nguyễn Văn An", "status": "OFFICIAL", "ethnicity": "TAY", "partyAgeFrom": "2000-01-10", "joinedOn": "2000-02-01", "officialOn": "2001-02-01" })
    );
    // A branch cannot import into another branch.
    let body = app
        .graphql(
            Some(&roles.branch),
            IMPORT,
            json!({ "i": { "branchId": branch, "csv": good } }),
        )
        .await;
    assert_error(&body, "NOT_FOUND");
}

async fn names_are_found_without_diacritics(app: TestApp) {
    let roles = Roles::of(&app).await;
    act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Nguyễn Văn An", "2000-01-01", "2025-01-06"),
    )
    .await;
    act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Nguyễn Văn Anh", "2000-01-01", "2025-01-06"),
    )
    .await;
    act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Đặng Thị Ân", "2000-01-01", "2025-01-06"),
    )
    .await;
    let search = "query($s: String!) { candidates(filter: {search: $s}) { nodes { fullName } } }";
    let names = |body: Value| -> Vec<String> {
        body["data"]["candidates"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["fullName"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(
            app.graphql(Some(&roles.branch), search, json!({ "s": "nguyen van an" }))
                .await
        ),
        ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    );
    assert_eq!(
        names(
            app.graphql(Some(&roles.branch), search, json!({ "s": "DANG THI" }))
                .await
        ),
        ["Đặng Thị Ân"]
    );
    // The same search from a commune beside it finds nothing.
    let hoa_binh = crate::workflow_access_token(&app, &roles.district, "SL.BS.HB", "hb.office").await;
    assert_eq!(
        names(
            app.graphql(Some(&hoa_binh), search, json!({ "s": "nguyen van an" }))
                .await
        ),
        Vec::<String>::new()
    );
    // Citizen ids are unique.
    let mut first = person("Hà Văn Giang", "2000-01-01", "2025-01-06");
    first["citizenId"] = json!("001200012345");
    act_ok(&app, &roles.branch, "addToSourceList", first.clone()).await;
    assert_error(&act(&app, &roles.branch, "addToSourceList", first).await, "CONFLICT");
}

async fn deadlines_list_overdue_and_upcoming_steps(app: TestApp) {
    let roles = Roles::of(&app).await;
    // Two candidates voted on by the branch: one long ago (decision overdue), one recently.
    let old = prepare(&app, &roles, Ready::default()).await;
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": old, "resolvedOn": "2024-06-03", "votesFor": 12 }),
    )
    .await;
    let recent = prepare(
        &app,
        &roles,
        Ready {
            listed_on: "2025-09-01",
            certificate_on: "2025-09-15",
            papers_on: "2025-10-01",
            ..Ready::default()
        },
    )
    .await;
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": recent, "resolvedOn": "2025-11-03", "votesFor": 12 }),
    )
    .await;

    let query = "query($f: DeadlineFilterInput) { deadlines(filter: $f) { totalCount nodes { kind dueOn overdue(asOf: \"2026-01-15\") candidate { id fullName } } } }";
    let body = app
        .graphql(Some(&roles.district), query, json!({ "f": { "asOf": "2026-01-15" } }))
        .await;
    assert_ok(&body);
    let nodes = body["data"]["deadlines"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2, "{body}");
    assert_eq!(nodes[0]["candidate"]["id"], old.as_str());
    assert_eq!(
        (
            nodes[0]["kind"].as_str(),
            nodes[0]["dueOn"].as_str(),
            nodes[0]["overdue"].as_bool()
        ),
        (Some("ADMISSION_DECISION"), Some("2024-08-26"), Some(true))
    );
    // 60 working days from 3 November 2025, past the New Year days off (1-2 January) and
    // the make-up Saturday (10 January), before Tết: 27 January 2026.
    assert_eq!(
        (nodes[1]["dueOn"].as_str(), nodes[1]["overdue"].as_bool()),
        (Some("2026-01-27"), Some(false))
    );
    let overdue = app
        .graphql(
            Some(&roles.district),
            query,
            json!({ "f": { "asOf": "2026-01-15", "overdueOnly": true } }),
        )
        .await;
    assert_eq!(overdue["data"]["deadlines"]["totalCount"], 1);
    // A commune beside it sees none of them.
    let hoa_binh = crate::workflow_access_token(&app, &roles.district, "SL.BS.HB", "hb.office").await;
    let none = app.graphql(Some(&hoa_binh), query, json!({ "f": {} })).await;
    assert_eq!(none["data"]["deadlines"]["totalCount"], 0);

    // The administrator adds a holiday: the deadline moves by one working day.
    let add = "mutation($i: AddPublicHolidayInput!) { addPublicHoliday(input: $i) { publicHoliday { date name } } }";
    assert_ok(
        &app.graphql(
            Some(&roles.admin),
            add,
            json!({ "i": { "date": "2026-01-16", "name": "Ngày nghỉ đặc biệt" } }),
        )
        .await,
    );
    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { nextDeadline { dueOn } } }",
            json!({ "id": recent }),
        )
        .await;
    assert_eq!(body["data"]["candidate"]["nextDeadline"]["dueOn"], "2026-01-28");
    assert_error(
        &app.graphql(
            Some(&roles.district),
            add,
            json!({ "i": { "date": "2026-01-19", "name": "x" } }),
        )
        .await,
        "FORBIDDEN",
    );
    // A new rulebook version in force when the clock started moves the deadline too.
    let version =
        "mutation($i: AddRulebookVersionInput!) { addRulebookVersion(input: $i) { rulebook { decisionWorkingDays } } }";
    let input = json!({ "i": { "effectiveFrom": "2025-06-01", "source": "Thử nghiệm", "inheritsFrom": "2011-01-19", "decisionWorkingDays": 61 } });
    assert_ok(&app.graphql(Some(&roles.admin), version, input).await);
    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { nextDeadline { dueOn } } }",
            json!({ "id": recent }),
        )
        .await;
    assert_eq!(body["data"]["candidate"]["nextDeadline"]["dueOn"], "2026-01-29");
}

async fn acts_are_judged_by_the_rulebook_of_their_date(app: TestApp) {
    let roles = Roles::of(&app).await;
    let add = "mutation($i: AddRulebookVersionInput!) { addRulebookVersion(input: $i) { rulebook { effectiveFrom minAgeMonths branchVoteShare { numerator denominator } } } }";
    let input = json!({ "effectiveFrom": "2025-01-01", "source": "Quy định thử nghiệm", "inheritsFrom": "2011-01-19", "branchVoteShare": { "numerator": 3, "denominator": 4 } });
    assert_error(
        &app.graphql(Some(&roles.district), add, json!({ "i": input })).await,
        "FORBIDDEN",
    );
    let body = app.graphql(Some(&roles.admin), add, json!({ "i": input })).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["addRulebookVersion"]["rulebook"]["minAgeMonths"], 216,
        "unchanged values are carried over"
    );

    let read = "query($on: Date) { rulebook(on: $on) { effectiveFrom branchVoteShare { numerator denominator } } }";
    let old = app
        .graphql(Some(&roles.branch), read, json!({ "on": "2024-12-31" }))
        .await;
    assert_eq!(
        old["data"]["rulebook"]["branchVoteShare"],
        json!({ "numerator": 2, "denominator": 3 })
    );

    // 8 of the 12 official members passes under two thirds (a vote dated 2024) but not
    // under three quarters (2025).
    let id = prepare(&app, &roles, Ready::default()).await;
    let c = act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-12-31", "votesFor": 8 }),
    )
    .await;
    assert_eq!(c["stage"], "BRANCH_APPROVED");
    let id = prepare(
        &app,
        &roles,
        Ready {
            papers_on: "2024-12-01",
            ..Ready::default()
        },
    )
    .await;
    let body = act(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2025-01-02", "votesFor": 8 }),
    )
    .await;
    // Short of three quarters: on record, not refused; the candidate stays listed.
    assert_eq!(
        body["data"]["recordBranchResolution"]["candidate"]["stage"], "SOURCE_LIST",
        "{body}"
    );
    // Nonsense is refused with the field named.
    let bad = app
        .graphql(
            Some(&roles.admin),
            add,
            json!({ "i": { "effectiveFrom": "2027-01-01", "source": "x", "inheritsFrom": "2011-01-19", "minAgeMonths": 900 } }),
        )
        .await;
    assert_error(&bad, "BAD_USER_INPUT");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "minAgeMonths");
    // A version states every value or names the one it inherits from; it never takes
    // values silently (here the 2025 version in force on its date).
    let partial = app
        .graphql(
            Some(&roles.admin),
            add,
            json!({ "i": { "effectiveFrom": "2026-01-01", "source": "x", "decisionWorkingDays": 50 } }),
        )
        .await;
    assert_error(&partial, "BAD_USER_INPUT");
    assert!(
        partial["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("missing: minAgeMonths, maxAgeMonths"),
        "{partial}"
    );
    let unknown = app
        .graphql(
            Some(&roles.admin),
            add,
            json!({ "i": { "effectiveFrom": "2026-01-01", "source": "x", "inheritsFrom": "2020-01-01" } }),
        )
        .await;
    assert_rule(&unknown, "RULEBOOK_VERSION_NOT_FOUND");
    // Named, it inherits from that version and says so, even where a later one is in force.
    let body = app
        .graphql(
            Some(&roles.admin),
            "mutation($i: AddRulebookVersionInput!) { addRulebookVersion(input: $i) { rulebook { inheritsFrom branchVoteShare { numerator denominator } decisionWorkingDays } } }",
            json!({ "i": { "effectiveFrom": "2026-01-01", "source": "x", "inheritsFrom": "2011-01-19", "decisionWorkingDays": 50 } }),
        )
        .await;
    assert_eq!(
        body["data"]["addRulebookVersion"]["rulebook"],
        json!({ "inheritsFrom": "2011-01-19", "branchVoteShare": { "numerator": 2, "denominator": 3 }, "decisionWorkingDays": 50 }),
        "{body}"
    );
}

async fn transfers_move_the_dossier_and_sections_appraise(app: TestApp) {
    let roles = Roles::of(&app).await;
    let id = prepare(&app, &roles, Ready::default()).await;
    let to = app.unit_id("SL.BS.TL.KM").await;
    let body = act(
        &app,
        &roles.branch,
        "transferCandidate",
        json!({ "candidateId": id, "toBranchId": to, "transferredOn": "2024-05-20" }),
    )
    .await;
    assert_error(&body, "FORBIDDEN");
    let c = act_ok(
        &app,
        &roles.commune,
        "transferCandidate",
        json!({ "candidateId": id, "toBranchId": to, "transferredOn": "2024-05-20" }),
    )
    .await;
    assert_eq!(c["stage"], "SOURCE_LIST");
    // The old branch no longer sees the candidate; the dossier went along.
    assert_error(
        &app.graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await,
        "NOT_FOUND",
    );
    let body = app
        .graphql(Some(&roles.commune), "query($id: ID!) { candidate(id: $id) { branch { code } documents { formCode } introductions { kind } mentors { endedOn } } }", json!({ "id": id }))
        .await;
    let c = &body["data"]["candidate"];
    assert_eq!(c["branch"]["code"], "SL.BS.TL.KM");
    assert_eq!(c["documents"].as_array().unwrap().len(), 3);
    assert_eq!(c["introductions"].as_array().unwrap().len(), 2);
    assert_eq!(
        c["mentors"][0]["endedOn"], "2024-05-20",
        "the old branch's mentoring ends"
    );

    // A branch under a section: the section committee appraises between branch and commune.
    let ub = crate::workflow_access_token(&app, &roles.district, "SL.BS.DT.CQ.UB", "ub.secretary").await;
    let section = crate::workflow_access_token(&app, &roles.district, "SL.BS.DT.CQ", "cq.committee").await;
    let dong_tam = crate::workflow_access_token(&app, &roles.district, "SL.BS.DT", "dt.office").await;
    let c = act_ok(
        &app,
        &ub,
        "addToSourceList",
        person("Bế Văn Sơn", "1998-08-08", "2024-03-01"),
    )
    .await;
    let sid = c["id"].as_str().unwrap().to_string();
    let members = crate::workflow::official_members(&app, &ub, "SL.BS.DT.CQ.UB").await;
    let course = crate::workflow::awareness_course(&app, &roles, "2024-04-05").await;
    act_ok(
        &app,
        &ub,
        "enrolInCourse",
        json!({ "candidateId": sid, "courseId": course, "enrolledOn": "2024-04-05" }),
    )
    .await;
    act_ok(
        &app,
        &roles.district,
        "recordCourseCertificate",
        json!({ "candidateId": sid, "courseId": course, "certificateNumber": "CN-2", "certificateDate": "2024-04-05" }),
    )
    .await;
    for form in ["KND_1", "KND_2", "KND_5"] {
        act_ok(
            &app,
            &ub,
            "recordDossierDocument",
            json!({ "candidateId": sid, "formCode": form, "receivedOn": "2024-05-15" }),
        )
        .await;
    }
    act_ok(
        &app,
        &ub,
        "recordRelative",
        json!({ "candidateId": sid, "relation": "FATHER", "fullName": "Bế Văn Hải" }),
    )
    .await;
    // The candidate and the father verified where they live; the grassroots committee
    // (Đồng Tâm, above the section) concludes.
    let read = "query($id: ID!) { candidate(id: $id) { relatives { id } backgroundChecks { id } } }";
    let body = app.graphql(Some(&ub), read, json!({ "id": sid })).await;
    let father = body["data"]["candidate"]["relatives"][0]["id"].clone();
    for relative in [Value::Null, father] {
        let check = json!({ "candidateId": sid, "relativeId": relative, "verifyingBody": "Đảng ủy xã Đồng Tâm", "sentOn": "2024-05-01" });
        act_ok(&app, &ub, "sendBackgroundCheck", check).await;
    }
    let body = app.graphql(Some(&ub), read, json!({ "id": sid })).await;
    for check in body["data"]["candidate"]["backgroundChecks"].as_array().unwrap() {
        let reply = json!({ "checkId": check["id"], "repliedOn": "2024-05-10", "finding": "CLEAR" });
        act_ok(&app, &ub, "recordBackgroundReply", reply).await;
    }
    let conclusion = json!({ "candidateId": sid, "concludedOn": "2024-05-15", "passed": true });
    assert_error(
        &act(&app, &section, "concludeBackgroundVerification", conclusion.clone()).await,
        "FORBIDDEN",
    );
    act_ok(&app, &dong_tam, "concludeBackgroundVerification", conclusion).await;
    for member in &members[..2] {
        act_ok(&app, &ub, "addIntroduction", json!({ "candidateId": sid, "kind": "MEMBER", "memberId": member, "knownSince": "2020-01-01", "introducedOn": "2024-05-15" })).await;
    }
    act_ok(
        &app,
        &ub,
        "recordBranchResolution",
        json!({ "candidateId": sid, "resolvedOn": "2024-06-03", "votesFor": members.len() }),
    )
    .await;
    assert_rule(
        &act(
            &app,
            &dong_tam,
            "recordCommuneResolution",
            json!({ "candidateId": sid, "resolvedOn": "2024-06-10", "committeeMembers": 9, "votesFor": 9 }),
        )
        .await,
        "ACT_NOT_ALLOWED_IN_STAGE",
    );
    assert_error(
        &act(
            &app,
            &dong_tam,
            "recordSectionAppraisal",
            json!({ "candidateId": sid, "appraisedOn": "2024-06-07", "approved": true }),
        )
        .await,
        "FORBIDDEN",
    );
    let c = act_ok(
        &app,
        &section,
        "recordSectionAppraisal",
        json!({ "candidateId": sid, "appraisedOn": "2024-06-07", "approved": true }),
    )
    .await;
    assert_eq!(c["stage"], "SECTION_APPRAISED");
    let c = act_ok(
        &app,
        &dong_tam,
        "recordCommuneResolution",
        json!({ "candidateId": sid, "resolvedOn": "2024-06-10", "committeeMembers": 9, "votesFor": 9 }),
    )
    .await;
    assert_eq!(c["stage"], "COMMUNE_RESOLVED");
}

async fn exits_are_recorded_with_their_reason(app: TestApp) {
    let roles = Roles::of(&app).await;
    let a = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lương Văn Nam", "2000-01-01", "2025-01-06"),
    )
    .await;
    let c = act_ok(
        &app,
        &roles.branch,
        "dropFromSourceList",
        json!({ "candidateId": a["id"], "on": "2025-03-03", "reason": "Chuyển công tác" }),
    )
    .await;
    assert_eq!(c["stage"], "DROPPED");
    let b = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Triệu Thị Mai", "2000-01-01", "2025-01-06"),
    )
    .await;
    let c = act_ok(
        &app,
        &roles.branch,
        "withdrawCandidate",
        json!({ "candidateId": b["id"], "on": "2025-03-03", "reason": "Xin rút đơn" }),
    )
    .await;
    assert_eq!(c["stage"], "WITHDRAWN");
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { exitedOn exitReason } }",
            json!({ "id": b["id"] }),
        )
        .await;
    assert_eq!(
        body["data"]["candidate"],
        json!({ "exitedOn": "2025-03-03", "exitReason": "Xin rút đơn" })
    );
    // A future date is refused.
    let c = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Hà Văn Long", "2000-01-01", "2025-01-06"),
    )
    .await;
    assert_rule(
        &act(
            &app,
            &roles.branch,
            "dropFromSourceList",
            json!({ "candidateId": c["id"], "on": "2099-01-01", "reason": "x" }),
        )
        .await,
        "DATE_IN_FUTURE",
    );
    // Filters by stage.
    let body = app
        .graphql(
            Some(&roles.commune),
            "{ candidates(filter: {stages: [DROPPED, WITHDRAWN]}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["candidates"]["totalCount"], 2);
}

async fn demo_candidates_cover_every_stage(app: TestApp) {
    ketnap::seed::demo_workflow::seed_candidates(&app.state.db, ketnap::clock::today())
        .await
        .expect("the demo walks its candidates");
    let province = app.token_for("demo.province").await;
    let body = app
        .graphql(
            Some(&province),
            "{ candidates(first: 100) { totalCount nodes { stage } } }",
            json!({}),
        )
        .await;
    assert_ok(&body);
    let stages: std::collections::BTreeSet<String> = body["data"]["candidates"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["stage"].as_str().unwrap().to_string())
        .collect();
    let every = [
        "SOURCE_LIST",
        "BRANCH_APPROVED",
        "COMMUNE_RESOLVED",
        "ADMISSION_DECIDED",
        "PROBATIONARY",
        "RECOGNITION_BRANCH_APPROVED",
        "RECOGNITION_COMMUNE_RESOLVED",
        "OFFICIAL",
        "DROPPED",
        "REJECTED",
        "WITHDRAWN",
        "STRUCK_OFF",
    ];
    for stage in every {
        assert!(stages.contains(stage), "no demo candidate at {stage}: {stages:?}");
    }
    let overdue = app
        .graphql(
            Some(&province),
            "{ deadlines(filter: {overdueOnly: true}) { totalCount nodes { kind } } }",
            json!({}),
        )
        .await;
    let kinds: Vec<&str> = overdue["data"]["deadlines"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"ADMISSION_DECISION") && kinds.contains(&"RECOGNITION_VOTE"),
        "{overdue}"
    );
    // A failed vote is in the demo: on record, reported up, the candidate still listed.
    let commune = app.token_for("demo.commune").await;
    let summary = app
        .graphql(
            Some(&commune),
            "query($u: ID!) { pipelineSummary(unitId: $u) { failedBranchVotes } }",
            json!({ "u": app.unit_id("SL.BS.TL.NL").await }),
        )
        .await;
    assert_eq!(summary["data"]["pipelineSummary"]["failedBranchVotes"], 1, "{summary}");
    // The branch's view holds its own candidates only.
    let branch = app.token_for("demo.branch").await;
    let body = app
        .graphql(Some(&branch), "{ candidates(first: 100) { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["candidates"]["totalCount"], 15);
}

db_tests!(
    member_import_is_all_or_nothing,
    names_are_found_without_diacritics,
    deadlines_list_overdue_and_upcoming_steps,
    acts_are_judged_by_the_rulebook_of_their_date,
    transfers_move_the_dossier_and_sections_appraise,
    exits_are_recorded_with_their_reason,
    demo_candidates_cover_every_stage,
);
