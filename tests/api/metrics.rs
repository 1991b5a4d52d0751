//! `/metrics` scraped and parsed as Prometheus reads it: operations by name and outcome
//! with their latency, acts, refused sign-ins, pools and subscriptions; and where it is
//! served (dev mode, a token, a listener of its own).

use std::collections::BTreeMap;

use serde_json::json;

use crate::helpers::TestApp;
use crate::live::Socket;
use crate::workflow::{act_ok, person};

/// One sample: the metric's name, its labels, its value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parse the text exposition format (OpenMetrics or Prometheus 0.0.4): comments and samples,
/// every line accounted for.
fn parse(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a value: {line}"));
        let (name, labels) = match series.split_once('{') {
            None => (series.to_string(), BTreeMap::new()),
            Some((name, rest)) => {
                let rest = rest
                    .strip_suffix('}')
                    .unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let labels = rest
                    .split("\",")
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| {
                        let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label: {line}"));
                        (key.to_string(), value.trim_end_matches('"').to_string())
                    })
                    .collect();
                (name.to_string(), labels)
            }
        };
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name: {line}"
        );
        samples.push((name, labels, value));
    }
    samples
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.2)
}

async fn scrape(app: &TestApp, at: &str, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{at}/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn metrics_count_what_happened(app: TestApp) {
    let token = app.token_for("demo.district").await;
    for _ in 0..2 {
        app.graphql(Some(&token), "query Me { me { username } }", json!({}))
            .await;
    }
    app.graphql(
        Some(&token),
        "query Broken { orgUnits(first: 1000) { totalCount } }",
        json!({}),
    )
    .await;
    app.login("demo.district", "not the password").await;
    let branch = app.token_for("demo.branch").await;
    act_ok(
        &app,
        &branch,
        "addToSourceList",
        person("Lò Thị Đếm", "1999-04-04", "2024-03-01"),
    )
    .await;
    let mut socket = Socket::signed_in(&app.address, &token).await;
    socket
        .subscribe("a", "subscription { actRecorded { act } }", json!({}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let (status, text) = scrape(&app, &app.address, None).await;
    assert_eq!(status, 200, "{text}");
    let samples = parse(&text);
    let ops = "ketnap_graphql_operations_total";
    assert_eq!(
        value(&samples, ops, &[("operation", "Me"), ("outcome", "ok")]),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&samples, ops, &[("operation", "Broken"), ("outcome", "BAD_USER_INPUT")]),
        Some(1.0)
    );
    let latency = "ketnap_graphql_operation_duration_seconds";
    assert_eq!(
        value(&samples, &format!("{latency}_count"), &[("operation", "Me")]),
        Some(2.0)
    );
    let buckets: Vec<f64> = samples
        .iter()
        .filter(|(n, l, _)| *n == format!("{latency}_bucket") && l.get("operation").map(String::as_str) == Some("Me"))
        .map(|s| s.2)
        .collect();
    assert!(
        buckets.len() > 5 && buckets.windows(2).all(|w| w[0] <= w[1]),
        "{buckets:?}"
    );
    assert_eq!(buckets.last(), Some(&2.0), "the +Inf bucket holds every observation");
    assert_eq!(
        value(&samples, "ketnap_acts_total", &[("act", "addToSourceList")]),
        Some(1.0)
    );
    assert!(value(&samples, "ketnap_acts_total", &[("act", "login")]).is_some());
    // An alias is not an act of its own; a sign-in under an alias still counts as refused.
    app.graphql(
        None,
        "mutation { whoever: login(input: {username: \"demo.district\", password: \"wrong again\"}) { accessToken } }",
        json!({}),
    )
    .await;
    let (_, text) = scrape(&app, &app.address, None).await;
    let samples = parse(&text);
    assert_eq!(
        value(&samples, "ketnap_login_failures_total", &[("code", "UNAUTHENTICATED")]),
        Some(2.0),
        "{text}"
    );
    assert!(value(&samples, "ketnap_acts_total", &[("act", "whoever")]).is_none());
    // Without an account, names are not the client's to choose.
    assert!(value(&samples, ops, &[("operation", "anonymous")]).is_some());
    assert_eq!(value(&samples, "ketnap_subscriptions", &[]), Some(1.0));
    assert!(
        value(
            &samples,
            "ketnap_db_pool_connections",
            &[("pool", "primary"), ("state", "idle")]
        )
        .is_some()
    );

    // Operation names are the client's words: only so many get a series.
    for i in 0..250 {
        app.graphql(Some(&token), &format!("query Name{i} {{ __typename }}"), json!({}))
            .await;
    }
    let samples = parse(&scrape(&app, &app.address, None).await.1);
    let names: std::collections::BTreeSet<&String> = samples
        .iter()
        .filter(|(n, _, _)| n == ops)
        .filter_map(|(_, l, _)| l.get("operation"))
        .collect();
    // 200 names of their own, and the fixed labels (`other`, `anonymous`, `unnamed`, `refused`).
    let named = names
        .iter()
        .filter(|n| !["other", "anonymous", "unnamed", "refused"].contains(&n.as_str()))
        .count();
    assert!(named == 200 && names.iter().any(|n| *n == "other"), "{}", names.len());
}

fn behind_a_token(settings: &mut ketnap::settings::Settings) {
    settings.mode = ketnap::settings::Mode::Production;
    settings.metrics_token = Some(ketnap::settings::Secret::new("scraper-token-0123456789"));
}

async fn production_metrics_need_the_token(app: TestApp) {
    assert_eq!(scrape(&app, &app.address, None).await.0, 401);
    assert_eq!(scrape(&app, &app.address, Some("wrong")).await.0, 401);
    let (status, text) = scrape(&app, &app.address, Some("scraper-token-0123456789")).await;
    assert_eq!(status, 200);
    assert!(!parse(&text).is_empty());
}

fn own_listener(settings: &mut ketnap::settings::Settings) {
    settings.mode = ketnap::settings::Mode::Production;
    settings.metrics_address = Some("127.0.0.1:0".parse().unwrap());
}

async fn metrics_on_their_own_port(app: TestApp) {
    assert_eq!(scrape(&app, &app.address, None).await.0, 404, "not on the API's port");
    let own = app.metrics_address.clone().expect("a metrics listener");
    let (status, text) = scrape(&app, &own, None).await;
    assert_eq!(status, 200);
    assert!(value(&parse(&text), "ketnap_subscriptions", &[]).is_some());
}

server_tests!(metrics_count_what_happened);

mod token {
    use super::*;
    server_tests!(with super::behind_a_token; production_metrics_need_the_token);
}

mod own_port {
    use super::*;
    server_tests!(with super::own_listener; metrics_on_their_own_port);
}
