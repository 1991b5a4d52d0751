//! Every message in English and Vietnamese, `Accept-Language` choosing, codes unchanged.
//!
//! Two halves: the source tree is read so that a message written in one language only, or
//! whose two sentences do not say the same values, fails here; and the running server is
//! asked each kind of refusal in both languages.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::layers::sources;
use crate::workflow::{Roles, act, person};

/// The string literal at the start of `text` (after whitespace): its content with escapes
/// resolved, and what follows it. `None` when `text` does not start with one.
fn literal(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let mut chars = text.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[at + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                '\n' => {
                    // A line continuation: the next line's leading whitespace is skipped.
                    while chars.clone().next().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

/// The named placeholders of a format string (`{max}` → `max`, a trailing `_en`/`_vi`
/// removed), `{}` counted as positional; `{{` is no placeholder.
fn placeholders(format: &str) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut positional = 0;
    let mut rest = format;
    while let Some(at) = rest.find('{') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest.find('}').unwrap_or(rest.len());
        let name = rest[..end].split(':').next().unwrap_or_default();
        if name.is_empty() {
            positional += 1;
        } else {
            let name = name
                .strip_suffix("_en")
                .or_else(|| name.strip_suffix("_vi"))
                .unwrap_or(name);
            names.push(name.to_string());
        }
        rest = &rest[end..];
    }
    names.sort();
    names.dedup();
    (names, positional)
}

/// One bilingual message of the source: where, and its two sentences.
struct Message {
    at: String,
    en: String,
    vi: String,
}

/// Every `tr!("…", "…")` and `Text::fixed("…", "…")` of `src/`, or the places where one of
/// them does not start with two string literals.
fn messages(src: &Path) -> (Vec<Message>, Vec<String>) {
    let (mut found, mut unreadable) = (Vec::new(), Vec::new());
    for file in sources(src) {
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let relative = file.strip_prefix(src).unwrap().display().to_string();
        for opener in ["tr!(", "Text::fixed("] {
            let mut offset = 0;
            while let Some(at) = text[offset..].find(opener) {
                let start = offset + at;
                offset = start + opener.len();
                let line = text[..start].lines().count().max(1);
                let before = text[..start].chars().next_back();
                let line_text = text[..start].rsplit('\n').next().unwrap_or_default();
                // The macro's own definition and doc examples are not messages.
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                    || line_text.trim_start().starts_with("//")
                    || line_text.contains("macro_rules")
                {
                    continue;
                }
                let at = format!("src/{relative}:{line}");
                let parsed = literal(&text[offset..]).and_then(|(en, rest)| {
                    let rest = rest.trim_start().strip_prefix(',')?;
                    literal(rest).map(|(vi, _)| (en, vi))
                });
                match parsed {
                    Some((en, vi)) => found.push(Message { at, en, vi }),
                    None => unreadable.push(at),
                }
            }
        }
    }
    (found, unreadable)
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Letters only Vietnamese spells with: a sentence without one is not Vietnamese.
fn has_vietnamese_letter(text: &str) -> bool {
    text.chars().any(|c| {
        "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
            .contains(c.to_lowercase().next().unwrap_or(c))
    })
}

#[test]
fn every_message_of_the_source_is_written_in_both_languages() {
    let (messages, unreadable) = messages(&src());
    assert!(
        unreadable.is_empty(),
        "a message whose two sentences are not both string literals: {unreadable:?}"
    );
    assert!(
        messages.len() > 200,
        "only {} messages found: is the reader broken?",
        messages.len()
    );
    let mut problems = Vec::new();
    for m in &messages {
        if m.vi.trim().is_empty() || m.en.trim().is_empty() {
            problems.push(format!("{}: a sentence is empty", m.at));
        } else if m.vi == m.en || !has_vietnamese_letter(&m.vi) {
            problems.push(format!("{}: {:?} is not written in Vietnamese", m.at, m.vi));
        } else if placeholders(&m.en) != placeholders(&m.vi) {
            problems.push(format!(
                "{}: the sentences name different values: {:?} / {:?}",
                m.at, m.en, m.vi
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_message_is_made_but_through_both_languages() {
    // `Text::new` takes two strings of any making; only the macro may call it.
    for file in sources(&src()) {
        let text = std::fs::read_to_string(&file).unwrap();
        if file.ends_with("domain/lang.rs") {
            continue;
        }
        assert!(
            !text.contains("Text::new("),
            "{} builds a Text by hand: use tr!",
            file.display()
        );
    }
}

#[test]
fn the_source_reader_sees_what_it_must() {
    let (found, _) = (literal(r#" "a \"b\" {x}", rest"#).unwrap(), ());
    assert_eq!(found.0, r#"a "b" {x}"#);
    assert_eq!(
        placeholders("{what_en} was due by {due} ({}), {{literal}}"),
        (vec!["due".to_string(), "what".to_string()], 1)
    );
    assert_eq!(
        placeholders("{what_vi} trước {due} ({})").0,
        placeholders("{due} {what_en} {}").0
    );
    assert!(has_vietnamese_letter("tối đa"));
    assert!(!has_vietnamese_letter("at most"));
}

/// POST a GraphQL request with `Accept-Language: lang` (none when `None`).
async fn ask(app: &TestApp, lang: Option<&str>, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(lang) = lang {
        request = request.header("accept-language", lang);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    // The answer names its language, and that it follows the header, whatever was asked.
    let named = if lang.is_some_and(|l| l.starts_with("vi")) {
        "vi"
    } else {
        "en"
    };
    assert_eq!(response.headers()["content-language"], named, "asked {lang:?}");
    assert!(
        response.headers().get_all("vary").iter().any(|v| v
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-language")),
        "{:?}",
        response.headers()
    );
    response.json().await.unwrap()
}

fn first_error(body: &Value) -> (&str, &str) {
    let error = &body["errors"][0];
    (
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no code: {body}")),
        error["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message: {body}")),
    )
}

/// Each kind of refusal, asked in English, in no language, in Vietnamese: the code and the
/// rest of the extensions are the same, the sentence is the reader's.
async fn every_kind_of_refusal_answers_in_the_language_asked(app: TestApp) {
    let roles = Roles::of(&app).await;
    let missing = crate::scope::encode("Candidate", 999_999);
    let add = "mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }";
    let cases: Vec<(Option<&str>, &str, Value, &str, &str)> = vec![
        (
            Some(roles.branch.as_str()),
            add,
            json!({ "i": person("Lò Thị Mai", "2000-01-01", "2999-01-01") }),
            "is after today",
            "sau ngày hôm nay",
        ),
        (
            Some(roles.branch.as_str()),
            add,
            json!({ "i": person("   ", "2000-01-01", "2024-01-01") }),
            "must not be empty",
            "không được để trống",
        ),
        (
            Some(roles.district.as_str()),
            "query($id: ID!) { candidate(id: $id) { id } }",
            json!({ "id": missing }),
            "candidate not found",
            "không tìm thấy người xin vào Đảng",
        ),
        (
            None,
            "{ orgUnits(first: 1) { nodes { id } } }",
            json!({}),
            "sign in first",
            "hãy đăng nhập trước",
        ),
        (
            Some(roles.district.as_str()),
            "{ noSuchField }",
            json!({}),
            "noSuchField",
            "truy vấn không khớp với lược đồ: ",
        ),
    ];
    for (token, query, variables, english, vietnamese) in cases {
        let en = ask(&app, Some("en-GB,en;q=0.9"), token, query, variables.clone()).await;
        let none = ask(&app, None, token, query, variables.clone()).await;
        let vi = ask(&app, Some("vi-VN,vi;q=0.9,en;q=0.5"), token, query, variables.clone()).await;
        let (code, message) = first_error(&en);
        assert!(message.contains(english), "English: {en}");
        assert_eq!(none, en, "English is the default");
        let (vi_code, vi_message) = first_error(&vi);
        assert_eq!(vi_code, code, "the code stays English: {vi}");
        assert!(vi_message.contains(vietnamese), "Vietnamese: {vi}");
        assert_ne!(vi_message, message);
        assert_eq!(
            vi["errors"][0]["extensions"], en["errors"][0]["extensions"],
            "the extensions hold no sentence here, and stay"
        );
    }
}

/// The refusals made before a request reaches the schema speak the reader's language too.
async fn refusals_of_the_protocol_answer_in_the_language_asked(app: TestApp) {
    let vi = app
        .client
        .get(format!("{}/graphql?query=mutation%7BsignOut%7D", app.address))
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap();
    assert_eq!(vi.status(), 405);
    let vi: Value = vi.json().await.unwrap();
    assert_eq!(
        first_error(&vi),
        ("BAD_USER_INPUT", "thao tác thay đổi (mutation) phải gửi bằng POST")
    );
    let body = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "vi")
        .header("content-type", "application/json")
        .body(r#"{"qeury": "{ __typename }"}"#)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let (code, message) = first_error(&body);
    assert_eq!(code, "GRAPHQL_PARSE_FAILED");
    assert!(
        message.starts_with("yêu cầu không phải là một yêu cầu GraphQL: phần thân"),
        "{body}"
    );
    let batch: Vec<Value> = (0..100).map(|_| json!({ "query": "{ __typename }" })).collect();
    let body = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "vi")
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let (code, message) = first_error(&body);
    assert_eq!(
        (code, body["errors"][0]["extensions"]["limit"].as_str()),
        ("QUERY_LIMIT_EXCEEDED", Some("BATCH"))
    );
    assert!(message.starts_with("một lô gồm từ 1 đến"), "{body}");
    // Downloads refused, without a sign-in and then without their parameters: in
    // Vietnamese, saying so, with the codes every other refusal has.
    let token = app.token_for("demo.district").await;
    for (token, status, code) in [(None, 401, "UNAUTHENTICATED"), (Some(token), 400, "BAD_USER_INPUT")] {
        let mut request = app
            .client
            .get(format!("{}/reports/pipeline-summary.csv", app.address))
            .header("accept-language", "vi");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let refused = request.send().await.unwrap();
        assert_eq!(refused.status(), status);
        assert_eq!(refused.headers()["content-language"], "vi");
        assert!(refused.headers()["vary"].to_str().unwrap().contains("accept-language"));
        let body: Value = refused.json().await.unwrap();
        assert_eq!(first_error(&body).0, code, "{body}");
        assert!(has_vietnamese_letter(first_error(&body).1), "{body}");
    }
}

/// Out of scope and missing read alike in Vietnamese as they do in English.
async fn out_of_scope_reads_like_missing_in_vietnamese(app: TestApp) {
    let roles = Roles::of(&app).await;
    let created = act(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Hà Văn Tú", "2000-01-01", "2024-01-01"),
    )
    .await;
    let id = created["data"]["addToSourceList"]["candidate"]["id"].clone();
    let stranger = app.token_for("demo.banchang").await;
    let query = "query($id: ID!) { candidate(id: $id) { id } }";
    let hidden = ask(&app, Some("vi"), Some(&stranger), query, json!({ "id": id })).await;
    let missing = ask(
        &app,
        Some("vi"),
        Some(&stranger),
        query,
        json!({ "id": crate::scope::encode("Candidate", 999_999) }),
    )
    .await;
    assert_eq!(first_error(&hidden).0, "NOT_FOUND");
    let strip = |mut body: Value| {
        body["errors"][0]["locations"] = Value::Null;
        body
    };
    assert_eq!(strip(hidden), strip(missing));
}

/// A report's period is labelled in the reader's language; its dates are the same.
async fn a_period_is_labelled_in_the_language_asked(app: TestApp) {
    let token = app.token_for("demo.district").await;
    let unit = app.unit_id("SL.BS").await;
    let query = "query($u: ID!) { admissionProgress(unitId: $u, period: {term: {startYear: 2020, endYear: 2025, asOf: \"2023-09-30\"}}) { period { from to label } } }";
    for (lang, label) in [
        (None, "2020–2025 to 2023-09-30"),
        (Some("en"), "2020–2025 to 2023-09-30"),
        (Some("vi"), "2020–2025 đến 2023-09-30"),
    ] {
        let body = ask(&app, lang, Some(&token), query, json!({ "u": unit })).await;
        let period = &body["data"]["admissionProgress"]["period"];
        assert_eq!(period["label"], label, "{lang:?}: {body}");
        assert_eq!(
            (period["from"].as_str(), period["to"].as_str()),
            (Some("2020-01-01"), Some("2023-09-30")),
            "{body}"
        );
    }
}

server_tests!(
    a_period_is_labelled_in_the_language_asked,
    every_kind_of_refusal_answers_in_the_language_asked,
    refusals_of_the_protocol_answer_in_the_language_asked,
    out_of_scope_reads_like_missing_in_vietnamese,
);
