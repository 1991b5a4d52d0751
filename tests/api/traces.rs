//! OTLP trace export, in a build with `--features otlp` (`.ci/run` runs it): a request's
//! spans, down to the service's, reach a collector over OTLP/HTTP in the trace its caller's
//! W3C `traceparent` named, and a request without one starts a trace of its own.
//!
//! The collector here is a listener that keeps what is posted to `/v1/traces`; the export
//! is protobuf, in which trace and span ids are their raw bytes and names their UTF-8, so
//! the test looks for those in what arrived.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderMap;
use ketnap::telemetry::{Export, LogFormat};
use serde_json::json;

use crate::helpers::{Backend, DEMO_PASSWORD, TestApp};

/// What a collector received: each export's content type and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A collector on a port of its own; its address and what it receives.
async fn collector() -> (String, Received) {
    let received: Received = Arc::default();
    let keep = received.clone();
    let router = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let keep = keep.clone();
            async move {
                let kind = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                keep.lock().unwrap().push((kind, body.to_vec()));
                ""
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (address, received)
}

fn bytes_of(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The fields of one protobuf message: (field number, bytes) for the length-delimited
/// ones, which are all this test reads; varints and fixed-width values are skipped.
fn fields(mut message: &[u8]) -> Vec<(u64, &[u8])> {
    fn varint(input: &mut &[u8]) -> u64 {
        let mut value = 0;
        for shift in (0..64).step_by(7) {
            let (byte, rest) = input.split_first().expect("a truncated varint");
            *input = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        value
    }
    let mut out = Vec::new();
    while !message.is_empty() {
        let key = varint(&mut message);
        match key & 7 {
            0 => {
                varint(&mut message);
            }
            1 => message = &message[8..],
            5 => message = &message[4..],
            2 => {
                let length = varint(&mut message) as usize;
                let (value, rest) = message.split_at(length);
                out.push((key >> 3, value));
                message = rest;
            }
            other => panic!("wire type {other} in an export"),
        }
    }
    out
}

fn field(message: &[u8], number: u64) -> Vec<&[u8]> {
    fields(message)
        .into_iter()
        .filter(|(n, _)| *n == number)
        .map(|(_, v)| v)
        .collect()
}

/// A `KeyValue` list's string values by key.
fn attributes(list: Vec<&[u8]>) -> BTreeMap<String, String> {
    list.into_iter()
        .filter_map(|pair| {
            let key = String::from_utf8(field(pair, 1).first()?.to_vec()).ok()?;
            let text = field(field(pair, 2).first()?, 1).first()?.to_vec();
            Some((key, String::from_utf8(text).ok()?))
        })
        .collect()
}

/// One exported span, as `opentelemetry/proto/trace/v1/trace.proto` lays it out.
#[derive(Debug)]
struct Span {
    service: String,
    trace: Vec<u8>,
    id: Vec<u8>,
    parent: Vec<u8>,
    name: String,
    attributes: BTreeMap<String, String>,
}

/// The spans of an `ExportTraceServiceRequest`.
fn spans(export: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    for resource_spans in field(export, 1) {
        let resource = field(resource_spans, 1);
        let service = resource
            .first()
            .map(|r| attributes(field(r, 1)))
            .and_then(|a| a.get("service.name").cloned())
            .unwrap_or_default();
        for scope_spans in field(resource_spans, 2) {
            for span in field(scope_spans, 2) {
                let one = |n| field(span, n).first().map(|v| v.to_vec()).unwrap_or_default();
                out.push(Span {
                    service: service.clone(),
                    trace: one(1),
                    id: one(2),
                    parent: one(4),
                    name: String::from_utf8(one(5)).unwrap(),
                    attributes: attributes(field(span, 9)),
                });
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_s_spans_reach_the_collector_in_its_caller_s_trace() {
    let (collector, received) = collector().await;
    // Each test runs in a process of its own under nextest: this subscriber is this test's.
    let telemetry = ketnap::telemetry::init_with(LogFormat::Json, Export::To(format!("http://{collector}/v1/traces")));
    let app = TestApp::spawn(Backend::Sqlite).await;

    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let caller_span = "00f067aa0ba902b7";
    let signed_in: serde_json::Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("traceparent", format!("00-{trace}-{caller_span}-01"))
        .json(&json!({
            "query": "mutation SignIn($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }",
            "operationName": "SignIn",
            "variables": { "u": "demo.district", "p": DEMO_PASSWORD },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(signed_in["data"]["login"]["accessToken"].is_string(), "{signed_in}");
    // Without a `traceparent`: a trace of its own.
    let alone = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "query Alone { __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(alone.status(), 200);

    tokio::task::spawn_blocking(move || telemetry.shutdown()).await.unwrap();
    let received = received.lock().unwrap().clone();
    assert!(!received.is_empty(), "nothing was exported");
    for (kind, _) in &received {
        assert_eq!(kind, "application/x-protobuf");
    }
    let spans: Vec<Span> = received.iter().flat_map(|(_, body)| spans(body)).collect();
    assert!(
        spans.iter().all(|s| s.service == "ketnap"),
        "the service is named: {spans:?}"
    );

    let requests: Vec<&Span> = spans.iter().filter(|s| s.name == "request").collect();
    let signing_in = requests
        .iter()
        .find(|s| s.attributes.get("operation").map(String::as_str) == Some("SignIn"))
        .unwrap_or_else(|| panic!("no request span for SignIn: {spans:?}"));
    assert_eq!(signing_in.trace, bytes_of(trace), "the caller's trace is continued");
    assert_eq!(
        signing_in.parent,
        bytes_of(caller_span),
        "the request is a child of the caller's span"
    );
    assert_eq!(signing_in.attributes.get("path").map(String::as_str), Some("/graphql"));
    assert_eq!(signing_in.attributes.get("method").map(String::as_str), Some("POST"));
    // The service's own span, inside the request's trace and under its span.
    let login = spans
        .iter()
        .find(|s| s.name == "login")
        .unwrap_or_else(|| panic!("no login span: {spans:?}"));
    assert_eq!(login.trace, signing_in.trace);
    let mut ancestor = login;
    while ancestor.id != signing_in.id {
        ancestor = spans
            .iter()
            .find(|s| s.id == ancestor.parent)
            .unwrap_or_else(|| panic!("login is not under its request's span: {spans:?}"));
    }

    let alone = requests
        .iter()
        .find(|s| s.attributes.get("operation").map(String::as_str) == Some("Alone"))
        .unwrap_or_else(|| panic!("no request span for Alone: {spans:?}"));
    assert_ne!(
        alone.trace, signing_in.trace,
        "a request without a traceparent has a trace of its own"
    );
    assert_eq!(alone.trace.len(), 16);
    assert!(alone.parent.is_empty(), "and no parent");
}
