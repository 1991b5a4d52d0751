//! Cross-origin calls: a browser app on an allowed origin gets its preflight answered and
//! its responses readable; any other origin gets no CORS header, so the browser refuses.
//! No credentials mode: the API's credential is a bearer token, never a cookie.

use reqwest::Method;
use serde_json::json;

use crate::helpers::TestApp;

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .expect("send the preflight")
}

async fn post_from(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("origin", origin)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("send the request")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// In dev mode with no origin set, the local development servers may call.
async fn dev_servers_may_call_in_dev_mode(app: TestApp) {
    let allowed = preflight(&app, "http://localhost:5173").await;
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let methods = header(&allowed, "access-control-allow-methods").unwrap().to_lowercase();
    assert!(methods.contains("post") && methods.contains("get"), "{methods}");
    let headers = header(&allowed, "access-control-allow-headers").unwrap().to_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );
    assert_eq!(header(&allowed, "access-control-allow-credentials"), None);
    assert_eq!(header(&allowed, "access-control-max-age"), Some("600"));

    let answer = post_from(&app, "http://localhost:5173").await;
    assert_eq!(
        header(&answer, "access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let exposed = header(&answer, "access-control-expose-headers").unwrap().to_lowercase();
    assert!(exposed.contains("x-request-id"), "{exposed}");
    // `Vary` may come as several fields (the language's, CORS's): one of them names the origin.
    assert!(
        answer
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().to_lowercase().contains("origin")),
        "{:?}",
        answer.headers()
    );

    // Another origin gets nothing a browser would accept.
    let refused = preflight(&app, "https://evil.example").await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
    let answer = post_from(&app, "https://evil.example").await;
    assert_eq!(header(&answer, "access-control-allow-origin"), None);
}

fn dashboard_only(settings: &mut ketnap::settings::Settings) {
    settings.cors_origins = vec!["https://dashboard.bienson.vn".into()];
}

/// With origins set, those and no others: the development servers are not among them.
async fn only_the_set_origins_may_call(app: TestApp) {
    let allowed = preflight(&app, "https://dashboard.bienson.vn").await;
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        Some("https://dashboard.bienson.vn")
    );
    let refused = preflight(&app, "http://localhost:5173").await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
    // A look-alike is a different origin.
    let refused = preflight(&app, "https://dashboard.bienson.vn.evil.example").await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
}

#[test]
fn production_allows_no_origin_unless_set() {
    let mut settings = ketnap::settings::Settings::new("sqlite::memory:");
    settings.mode = ketnap::settings::Mode::Production;
    assert!(settings.allowed_origins().is_empty());
    settings.mode = ketnap::settings::Mode::Dev;
    assert!(
        settings
            .allowed_origins()
            .contains(&"http://localhost:5173".to_string())
    );
}

async fn a_malformed_origin_stops_the_start(_: TestApp) {
    let mut settings = ketnap::settings::Settings::new("sqlite::memory:");
    settings.port = 0;
    settings.auth.jwt_secret = Some(ketnap::settings::Secret::new(crate::helpers::TEST_JWT_SECRET));
    for bad in ["https://dashboard.bienson.vn/", "dashboard.bienson.vn", "https://"] {
        settings.cors_origins = vec![bad.into()];
        let built = ketnap::startup::Application::build(settings.clone()).await;
        let error = built.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("--cors-origins"), "{bad}: {error}");
    }
}

server_tests!(dev_servers_may_call_in_dev_mode, a_malformed_origin_stops_the_start);

mod set {
    use super::*;
    server_tests!(with super::dashboard_only; only_the_set_origins_may_call);
}
