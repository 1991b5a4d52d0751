//! Scanned papers: uploaded as GraphQL multipart requests, downloaded in scope, corrected
//! by new versions, every read on the audit trail.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error, assert_ok};
use crate::workflow::{Roles, act_ok, person};

/// A small but real PDF's first bytes, then filler.
fn pdf(len: usize, fill: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    bytes.resize(len, fill);
    bytes
}

fn jpeg(len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    bytes.resize(len, 0x42);
    bytes
}

const SCAN_FIELDS: &str =
    "id version fileName mediaType sizeBytes sha256 downloadPath recordKind earlierVersions { id version }";

/// Send `mutation` with `variables`, its file at `variables.i.file`, as a multipart request
/// (graphql-multipart-request-spec); the raw HTTP response.
async fn upload_raw(
    app: &TestApp,
    token: &str,
    mutation: &str,
    input: Value,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let input_type = if mutation == "attachScan" {
        "AttachScanInput"
    } else {
        "CorrectScanInput"
    };
    let mut input = input;
    input["file"] = Value::Null;
    let operations = json!({
        "query": format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ file {{ {SCAN_FIELDS} }} }} }}"),
        "variables": { "i": input },
    });
    let form = Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.i.file"] }).to_string())
        .part("0", Part::bytes(bytes).file_name(name.to_string()));
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("send the upload")
}

async fn upload(app: &TestApp, token: &str, mutation: &str, input: Value, name: &str, bytes: Vec<u8>) -> Value {
    upload_raw(app, token, mutation, input, name, bytes)
        .await
        .json()
        .await
        .expect("a JSON answer")
}

async fn attach(app: &TestApp, token: &str, record: &str, name: &str, bytes: Vec<u8>) -> Value {
    let body = upload(app, token, "attachScan", json!({ "recordId": record }), name, bytes).await;
    assert_ok(&body);
    body["data"]["attachScan"]["file"].clone()
}

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("send the download")
}

/// A candidate of the demo branch with its application (1-KNĐ) and a verification of a
/// relative sent: the candidate's, the form's and the verification's IDs.
async fn candidate_with_papers(app: &TestApp, roles: &Roles) -> (String, String, String) {
    let b = &roles.branch;
    let candidate = act_ok(
        app,
        b,
        "addToSourceList",
        person("Hà Thị Giấy", "2000-02-02", "2024-03-01"),
    )
    .await;
    let id = candidate["id"].as_str().unwrap().to_string();
    act_ok(
        app,
        b,
        "recordDossierDocument",
        json!({ "candidateId": id, "formCode": "KND_1", "receivedOn": "2024-04-01" }),
    )
    .await;
    let relative = json!({ "candidateId": id, "relation": "FATHER", "fullName": "Hà Văn Thư" });
    act_ok(app, b, "recordRelative", relative).await;
    let body = app
        .graphql(
            Some(b),
            "query($id: ID!) { candidate(id: $id) { documents { id } relatives { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_ok(&body);
    let c = &body["data"]["candidate"];
    let document = c["documents"][0]["id"].as_str().unwrap().to_string();
    let relative = c["relatives"][0]["id"].as_str().unwrap().to_string();
    let check = json!({ "candidateId": id, "relativeId": relative, "verifyingBody": "Đảng ủy xã Tân Lập", "sentOn": "2024-04-02" });
    act_ok(app, b, "sendBackgroundCheck", check).await;
    let body = app
        .graphql(
            Some(b),
            "query($id: ID!) { candidate(id: $id) { backgroundChecks { id } } }",
            json!({ "id": id }),
        )
        .await;
    let check = body["data"]["candidate"]["backgroundChecks"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (id, document, check)
}

async fn files_of_document(app: &TestApp, token: &str, candidate: &str) -> Value {
    let body = app
        .graphql(
            Some(token),
            &format!("query($id: ID!) {{ candidate(id: $id) {{ documents {{ files {{ {SCAN_FIELDS} }} }} backgroundChecks {{ files {{ id mediaType }} }} }} }}"),
            json!({ "id": candidate }),
        )
        .await;
    assert_ok(&body);
    body["data"]["candidate"].clone()
}

/// A PDF on a form and a JPEG on a verification reply, uploaded and downloaded byte for
/// byte as the branch, the commune and the district; refused as another branch (exactly
/// as a missing file), as a reporting token and without a token.
async fn scans_are_stored_and_read_in_scope(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (candidate, document, relative) = candidate_with_papers(&app, &roles).await;
    let application = pdf(300_000, b'a');
    let scan = attach(
        &app,
        &roles.branch,
        &document,
        "../Đơn xin vào Đảng.PDF",
        application.clone(),
    )
    .await;
    assert_eq!(scan["version"], 1);
    assert_eq!(scan["mediaType"], "PDF");
    assert_eq!(scan["recordKind"], "DOCUMENT");
    assert_eq!(scan["fileName"], "Đơn xin vào Đảng.pdf");
    assert_eq!(scan["sizeBytes"], 300_000);
    let sha = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(&application))
    };
    assert_eq!(scan["sha256"], sha.as_str());
    let reply = attach(&app, &roles.commune, &relative, "reply.jpeg", jpeg(50_000)).await;
    assert_eq!(reply["mediaType"], "JPEG");

    let listed = files_of_document(&app, &roles.district, &candidate).await;
    assert_eq!(listed["documents"][0]["files"][0]["id"], scan["id"]);
    assert_eq!(listed["backgroundChecks"][0]["files"][0]["id"], reply["id"]);

    let path = scan["downloadPath"].as_str().unwrap();
    for token in [&roles.branch, &roles.commune, &roles.district] {
        let response = download(&app, Some(token), path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''%C4%90%C6%A1n"), "{disposition}");
        assert_eq!(response.bytes().await.unwrap().as_ref(), application.as_slice());
    }
    let response = download(&app, Some(&roles.branch), reply["downloadPath"].as_str().unwrap()).await;
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.bytes().await.unwrap().len(), 50_000);

    // Another branch of the same commune: the file is as missing as one that never was.
    let other = crate::workflow_access_token(&app, &roles.commune, "SL.BS.TL.KM", "files.km").await;
    let refused = download(&app, Some(&other), path).await;
    let missing_path = format!(
        "/files/{}",
        ketnap::graphql::relay::global_id("ScannedFile", 999_999).as_str()
    );
    let missing = download(&app, Some(&other), &missing_path).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let (refused, missing): (Value, Value) = (refused.json().await.unwrap(), missing.json().await.unwrap());
    assert_eq!(refused, missing);
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND");
    // Nor may it attach a scan to the record, nor correct the file.
    let body = upload(
        &app,
        &other,
        "attachScan",
        json!({ "recordId": document }),
        "x.pdf",
        pdf(100, b'x'),
    )
    .await;
    assert_error(&body, "NOT_FOUND");
    let body = upload(
        &app,
        &other,
        "correctScan",
        json!({ "fileId": scan["id"] }),
        "x.pdf",
        pdf(100, b'x'),
    )
    .await;
    assert_error(&body, "NOT_FOUND");

    let (reporting, _) = crate::reports::reporter(&app, &roles).await;
    let response = download(&app, Some(&reporting), path).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = upload(
        &app,
        &reporting,
        "attachScan",
        json!({ "recordId": document }),
        "x.pdf",
        pdf(100, b'x'),
    )
    .await;
    assert_error(&body, "FORBIDDEN");
    assert_eq!(download(&app, None, path).await.status(), StatusCode::UNAUTHORIZED);

    // Every read is on the candidate's timeline: three reads of the PDF and one of the JPEG.
    let body = app
        .graphql(
            Some(&roles.district),
            "query($id: ID!) { candidate(id: $id) { timeline { act actorRole after } } }",
            json!({ "id": candidate }),
        )
        .await;
    assert_ok(&body);
    let timeline = body["data"]["candidate"]["timeline"].as_array().unwrap();
    let reads: Vec<&str> = timeline
        .iter()
        .filter(|e| e["act"] == "readScan")
        .map(|e| e["actorRole"].as_str().unwrap())
        .collect();
    assert_eq!(reads, ["BRANCH", "COMMUNE", "DISTRICT", "BRANCH"]);
    let attached = timeline.iter().filter(|e| e["act"] == "attachScan").count();
    assert_eq!(attached, 2);
}

/// What is not a PDF, JPEG or PNG by its content is refused whatever its name, and nothing
/// is stored; a scan of a certificate waits for the certificate.
async fn a_file_is_judged_by_its_content(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (candidate, document, _) = candidate_with_papers(&app, &roles).await;
    let mut gif = b"GIF89a".to_vec();
    gif.resize(1000, 0);
    for (name, bytes) in [
        ("scan.pdf", gif),
        ("empty.pdf", Vec::new()),
        ("tool.png", b"MZ\x90\x00rest".to_vec()),
    ] {
        let body = upload(
            &app,
            &roles.branch,
            "attachScan",
            json!({ "recordId": document }),
            name,
            bytes,
        )
        .await;
        assert_error(&body, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.file", "{body}");
    }
    // A PNG named as a PDF is a PNG.
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png.resize(2000, 7);
    let stored = attach(&app, &roles.branch, &document, "scan.pdf", png).await;
    assert_eq!(stored["mediaType"], "PNG");
    assert_eq!(stored["fileName"], "scan.png");
    let response = download(&app, Some(&roles.branch), stored["downloadPath"].as_str().unwrap()).await;
    assert_eq!(response.headers()["content-type"], "image/png");
    let listed = files_of_document(&app, &roles.branch, &candidate).await;
    assert_eq!(listed["documents"][0]["files"].as_array().unwrap().len(), 1);

    // Not an ID of a record a scan belongs to.
    let body = upload(
        &app,
        &roles.branch,
        "attachScan",
        json!({ "recordId": candidate }),
        "a.pdf",
        pdf(100, b'a'),
    )
    .await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.recordId");
}

/// A correction is a new version; the old one is kept, listed and still downloadable, and
/// only the current version can be corrected.
async fn a_corrected_scan_keeps_the_old_version(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (candidate, document, _) = candidate_with_papers(&app, &roles).await;
    let first = pdf(20_000, b'1');
    let v1 = attach(&app, &roles.branch, &document, "don.pdf", first.clone()).await;
    let second = pdf(30_000, b'2');
    let body = upload(
        &app,
        &roles.branch,
        "correctScan",
        json!({ "fileId": v1["id"], "reason": "trang 2 bị mờ" }),
        "don-quet-lai.pdf",
        second.clone(),
    )
    .await;
    assert_ok(&body);
    let v2 = body["data"]["correctScan"]["file"].clone();
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["earlierVersions"], json!([{ "id": v1["id"], "version": 1 }]));

    let listed = files_of_document(&app, &roles.commune, &candidate).await;
    let current = listed["documents"][0]["files"].as_array().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], v2["id"]);
    for (scan, bytes) in [(&v1, &first), (&v2, &second)] {
        let response = download(&app, Some(&roles.commune), scan["downloadPath"].as_str().unwrap()).await;
        assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
    }
    let body = upload(
        &app,
        &roles.branch,
        "correctScan",
        json!({ "fileId": v1["id"] }),
        "again.pdf",
        pdf(100, b'3'),
    )
    .await;
    assert_error(&body, "CONFLICT");

    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { timeline { act before after } } }",
            json!({ "id": candidate }),
        )
        .await;
    let timeline = body["data"]["candidate"]["timeline"].as_array().unwrap();
    let correction = timeline
        .iter()
        .find(|e| e["act"] == "correctScan")
        .expect("the correction is on the timeline");
    assert_eq!(correction["after"]["reason"], "trang 2 bị mờ");
    assert_eq!(correction["before"]["version"], 1);
}

fn small_files(settings: &mut ketnap::settings::Settings) {
    settings.files.max_file_bytes = 64 * 1024;
    settings.files.max_candidate_file_bytes = 150 * 1024;
}

/// A file over the size bound is refused before it is stored, and a candidate's scans stay
/// within their total.
async fn sizes_are_bounded(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (candidate, document, _) = candidate_with_papers(&app, &roles).await;
    let response = upload_raw(
        &app,
        &roles.branch,
        "attachScan",
        json!({ "recordId": document }),
        "big.pdf",
        pdf(100 * 1024, b'b'),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_LIMIT_EXCEEDED");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "FILE_SIZE");

    // Five files in one request, past the four a request may carry.
    let operations = json!({
        "query": "mutation($i: AttachScanInput!) { attachScan(input: $i) { file { id } } }",
        "variables": { "i": { "recordId": document, "file": null } },
    });
    let map: serde_json::Map<String, Value> = (0..5).map(|i| (i.to_string(), json!(["variables.i.file"]))).collect();
    let mut form = Form::new()
        .text("operations", operations.to_string())
        .text("map", Value::Object(map).to_string());
    for i in 0..5 {
        form = form.part(i.to_string(), Part::bytes(pdf(100, b'f')).file_name(format!("{i}.pdf")));
    }
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&roles.branch)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["limit"], "FILES");

    attach(&app, &roles.branch, &document, "a.pdf", pdf(60 * 1024, b'a')).await;
    attach(&app, &roles.branch, &document, "b.pdf", pdf(60 * 1024, b'b')).await;
    let body = upload(
        &app,
        &roles.branch,
        "attachScan",
        json!({ "recordId": document }),
        "c.pdf",
        pdf(60 * 1024, b'c'),
    )
    .await;
    assert_error(&body, "QUERY_LIMIT_EXCEEDED");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "CANDIDATE_FILES");
    let listed = files_of_document(&app, &roles.branch, &candidate).await;
    assert_eq!(listed["documents"][0]["files"].as_array().unwrap().len(), 2);
}

async fn checklist(app: &TestApp, token: &str, candidate: &str) -> Vec<(String, String, u64, u64, usize)> {
    let body = app
        .graphql(
            Some(token),
            "query($id: ID!) { candidate(id: $id) { dossier { formCode status needed found latestOn judgedOn files { id } } } }",
            json!({ "id": candidate }),
        )
        .await;
    assert_ok(&body);
    body["data"]["candidate"]["dossier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["formCode"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
                i["needed"].as_u64().unwrap(),
                i["found"].as_u64().unwrap(),
                i["files"].as_array().unwrap().len(),
            )
        })
        .collect()
}

fn line(form: &str, status: &str, needed: u64, found: u64, files: usize) -> (String, String, u64, u64, usize) {
    (form.to_string(), status.to_string(), needed, found, files)
}

/// The checklist a clerk goes down: what the path has called for, what is missing, what
/// has gone stale by today, and, once the branch has voted, judged on the vote's day.
async fn the_dossier_is_a_checklist(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (candidate, document, _) = candidate_with_papers(&app, &roles).await;
    attach(&app, &roles.branch, &document, "don.pdf", pdf(1000, b'd')).await;
    assert_eq!(
        checklist(&app, &roles.commune, &candidate).await,
        [
            line("CN_NTVD", "MISSING", 1, 0, 0),
            line("KND_1", "PRESENT", 1, 1, 1),
            line("KND_2", "MISSING", 1, 0, 0),
            line("KND_3", "MISSING", 2, 0, 0),
            line("KND_5", "MISSING", 1, 0, 0),
        ]
    );

    // Papers of May 2024 (the workflow's): by today the comments and introductions are
    // more than twelve months old; the certificate of April 2024 is valid for sixty.
    let id = crate::workflow::prepare(
        &app,
        &roles,
        crate::workflow::Ready {
            name: "Lê Văn Hồ Sơ",
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        checklist(&app, &roles.branch, &id).await,
        [
            line("CN_NTVD", "PRESENT", 1, 1, 0),
            line("KND_1", "PRESENT", 1, 1, 0),
            line("KND_2", "PRESENT", 1, 1, 0),
            line("KND_3", "STALE", 2, 0, 0),
            line("KND_5", "STALE", 1, 0, 0),
        ]
    );
    // Judged on the vote's day, they were fresh; the branch's resolution is now due too.
    act_ok(
        &app,
        &roles.branch,
        "recordBranchResolution",
        json!({ "candidateId": id, "resolvedOn": "2024-06-03", "votesFor": 8 }),
    )
    .await;
    let lines = checklist(&app, &roles.district, &id).await;
    assert!(lines.iter().all(|l| l.1 == "PRESENT"), "{lines:?}");
    let forms: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(forms, ["CN_NTVD", "KND_1", "KND_2", "KND_3", "KND_5", "KND_6"]);
}

db_tests!(
    the_dossier_is_a_checklist,
    scans_are_stored_and_read_in_scope,
    a_file_is_judged_by_its_content,
    a_corrected_scan_keeps_the_old_version
);

mod bounded {
    use super::*;
    db_tests!(with super::small_files; sizes_are_bounded);
}

fn directory_store(settings: &mut ketnap::settings::Settings) {
    let dir = std::env::temp_dir().join(format!("ketnap-scans-{}-{}", std::process::id(), fastrand::u64(..)));
    settings.files.file_storage = ketnap::settings::FileStorage::Directory;
    settings.files.file_directory = Some(dir);
}

/// With `--file-storage directory` each version is a file of its own there, nothing of it
/// in the database, and it reads back the same.
async fn a_directory_store_keeps_each_version_as_a_file(app: TestApp) {
    let dir = app.state.settings.files.file_directory.clone().unwrap();
    let roles = Roles::of(&app).await;
    let (_, document, _) = candidate_with_papers(&app, &roles).await;
    let bytes = pdf(700_000, b'z');
    let scan = attach(&app, &roles.branch, &document, "ly-lich.pdf", bytes.clone()).await;
    let body = upload(
        &app,
        &roles.branch,
        "correctScan",
        json!({ "fileId": scan["id"] }),
        "ly-lich-2.pdf",
        pdf(5000, b'y'),
    )
    .await;
    assert_ok(&body);
    let stored: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert!(
        stored.iter().all(|p| p.extension().is_none()),
        "no partial file is left: {stored:?}"
    );
    let chunks = crate::scope::one_int(
        &app,
        "SELECT CAST(COUNT(*) AS INTEGER) AS v FROM scanned_file_chunk".into(),
    )
    .await;
    assert_eq!(chunks, Some(0));
    let response = download(&app, Some(&roles.district), scan["downloadPath"].as_str().unwrap()).await;
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
    std::fs::remove_dir_all(dir).unwrap();
}

mod directory {
    use super::*;
    db_tests!(with super::directory_store; a_directory_store_keeps_each_version_as_a_file);
}

/// A dossier's scans are read once per request: listing the files of every form costs the
/// same statements for two forms as for six.
async fn the_scans_of_a_dossier_are_one_read(counting: (TestApp, std::sync::Arc<std::sync::atomic::AtomicUsize>)) {
    use std::sync::atomic::Ordering;
    let (app, statements) = counting;
    let roles = Roles::of(&app).await;
    let mut costs = Vec::new();
    for (name, forms) in [("Hai Tờ", 2), ("Sáu Tờ", 6)] {
        let c = act_ok(
            &app,
            &roles.branch,
            "addToSourceList",
            person(name, "2000-02-02", "2024-03-01"),
        )
        .await;
        let id = c["id"].as_str().unwrap().to_string();
        for _ in 0..forms {
            let form = json!({ "candidateId": id, "formCode": "KND_1", "receivedOn": "2024-04-01" });
            act_ok(&app, &roles.branch, "recordDossierDocument", form).await;
        }
        let read = "query($id: ID!) { candidate(id: $id) { documents { id files { id version } } } }";
        let body = app.graphql(Some(&roles.branch), read, json!({ "id": id })).await;
        for document in body["data"]["candidate"]["documents"].as_array().unwrap() {
            attach(
                &app,
                &roles.branch,
                document["id"].as_str().unwrap(),
                "to.pdf",
                pdf(500, b't'),
            )
            .await;
        }
        let before = statements.load(Ordering::SeqCst);
        let body = app.graphql(Some(&roles.branch), read, json!({ "id": id })).await;
        costs.push(statements.load(Ordering::SeqCst) - before);
        let documents = body["data"]["candidate"]["documents"].as_array().unwrap();
        assert_eq!(documents.len(), forms);
        assert!(
            documents.iter().all(|d| d["files"].as_array().unwrap().len() == 1),
            "{body}"
        );
    }
    assert_eq!(costs[0], costs[1], "statements for two forms and for six: {costs:?}");
}

counting_tests!(the_scans_of_a_dossier_are_one_read);
