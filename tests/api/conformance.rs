//! GraphQL over HTTP as its specification and the graphql-http audit read it, beyond what
//! `http.rs` covers: strict parameters and media types, request errors without `data`,
//! fields in the order asked, GraphiQL for a browser, and what production mode keeps closed.

use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn post_raw(app: &TestApp, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .body(body.to_string());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A POST says what it carries, and carries GraphQL's parameters only.
async fn a_request_is_read_strictly(app: TestApp) {
    let typename = r#"{"query": "{ __typename }"}"#;
    let (status, body) = post_raw(&app, None, typename).await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(post_raw(&app, Some("text/plain"), typename).await.0, 415);
    assert_eq!(
        post_raw(&app, Some("application/json; charset=utf-8"), typename)
            .await
            .0,
        200
    );
    for malformed in [r#"{"qeury": "{ __typename }"}"#, r#"{"variables": {}}"#, "[1]", "{"] {
        let (status, body) = post_raw(&app, Some("application/json"), malformed).await;
        assert_eq!(status, 400, "{malformed}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
            "{body}"
        );
    }
    let get = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("qeury", "{ __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 400);
    // `operationName` is read from a GET as from a POST.
    let get = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[
            ("query", "query A { a: __typename } query B { b: __typename }"),
            ("operationName", "B"),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = get.json().await.unwrap();
    assert_eq!(body, json!({ "data": { "b": "Query" } }));
}

/// Under `application/graphql-response+json` a request that never ran answers 400 without
/// `data`; one that ran answers 200, even when an error left `data` null.
async fn request_errors_carry_no_data(app: TestApp) {
    let token = app.token_for("demo.district").await;
    let send = |query: &'static str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("accept", "application/graphql-response+json")
            .bearer_auth(&token)
            .json(&json!({ "query": query }))
            .send()
    };
    for failing in ["{ me ", "{ noSuchField }"] {
        let response = send(failing).await.unwrap();
        assert_eq!(response.status().as_u16(), 400);
        let body: Value = response.json().await.unwrap();
        assert!(body.get("data").is_none(), "{failing}: {body}");
        assert!(body["errors"][0]["extensions"]["code"].is_string());
    }
    let response = send("{ orgUnits(first: 1000) { totalCount } }").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"], Value::Null, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["orgUnits"]));
}

/// Fields come back in the order of the selection set, every time, fragments included.
async fn fields_come_in_the_order_asked(app: TestApp) {
    let branch = app.token_for("demo.branch").await;
    for name in ["Lò Thị Một", "Lò Thị Hai"] {
        crate::workflow::act_ok(
            &app,
            &branch,
            "addToSourceList",
            crate::workflow::person(name, "1999-04-04", "2024-03-01"),
        )
        .await;
    }
    let token = app.token_for("demo.district").await;
    let query = "{ me { username role } orgUnits(first: 3) { totalCount ...Units pageInfo { hasNextPage } } \
                 candidates(first: 3) { totalCount nodes { stage id branch { name code } } } } \
                 fragment Units on OrgUnitConnection { nodes { name id } }";
    let order = [
        "\"me\"",
        "\"username\"",
        "\"role\"",
        "\"orgUnits\"",
        "\"totalCount\"",
        "\"nodes\"",
        "\"name\"",
        "\"id\"",
        "\"pageInfo\"",
        "\"candidates\"",
    ];
    let mut bodies = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let text = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut at = 0;
        for key in order {
            let found = text[at..]
                .find(key)
                .unwrap_or_else(|| panic!("{key} out of order in {text}"));
            at += found + key.len();
        }
        let candidates = &text[text.find("\"candidates\"").unwrap()..];
        let node = &candidates[candidates.find("\"nodes\"").unwrap()..];
        assert!(
            node.find("\"stage\"") < node.find("\"id\"") && node.find("\"name\"") < node.find("\"code\""),
            "{node}"
        );
        bodies.insert(text);
    }
    assert_eq!(bodies.len(), 1, "identical requests answered differently");
}

/// A browser opening `/graphql` gets GraphiQL; a client asking for JSON gets JSON.
async fn a_browser_gets_graphiql(app: TestApp) {
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("/graphiql/assets/graphiql.min.js"));
}

fn production(settings: &mut ketnap::settings::Settings) {
    settings.mode = ketnap::settings::Mode::Production;
}

/// In production GraphiQL is off unless enabled, and introspection, off, answers an error.
async fn production_keeps_the_schema_closed(app: TestApp) {
    let get = |path: &'static str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("accept", "text/html")
            .send()
    };
    assert_eq!(get("/graphiql").await.unwrap().status().as_u16(), 404);
    let page = get("/graphql").await.unwrap();
    assert_ne!(page.status().as_u16(), 200);
    let token = app.token_for("demo.district").await;
    for query in [
        "{ __schema { queryType { name } } }",
        "{ t: __type(name: \"Query\") { name } }",
    ] {
        let body = app.graphql(Some(&token), query, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{body}"
        );
        assert!(
            body["errors"][0]["message"].as_str().unwrap().contains("introspection"),
            "{body}"
        );
    }
    let body = app
        .graphql(Some(&token), "{ __typename me { username } }", json!({}))
        .await;
    assert_eq!(body["data"]["me"]["username"], "demo.district", "{body}");
}

fn sha256(text: &str) -> String {
    ketnap::api::persisted::hash(text)
}

fn by_hash(text: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(text) } })
}

/// Apollo's automatic persisted queries: hash first, then register, then hash alone, by POST
/// and by GET; a mutation sent by hash over GET is still refused.
async fn automatic_persisted_queries(app: TestApp) {
    let token = app.token_for("demo.district").await;
    let url = format!("{}/graphql", app.address);
    let me = "query Me { me { username } }";
    let post = |body: Value| app.client.post(&url).bearer_auth(&token).json(&body).send();
    let body: Value = post(json!({ "extensions": by_hash(me) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    let body: Value = post(json!({ "query": me, "extensions": by_hash(me) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["me"]["username"], "demo.district", "{body}");
    let body: Value = post(json!({ "extensions": by_hash(me) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["me"]["username"], "demo.district", "{body}");
    let extensions = by_hash(me).to_string();
    let get = app
        .client
        .get(&url)
        .bearer_auth(&token)
        .query(&[("operationName", "Me"), ("extensions", extensions.as_str())])
        .send()
        .await
        .unwrap();
    let body: Value = get.json().await.unwrap();
    assert_eq!(body["data"]["me"]["username"], "demo.district", "{body}");
    let body: Value = post(json!({ "query": "{ __typename }", "extensions": by_hash(me) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "a hash must be its document's: {body}"
    );
    let logout = "mutation { logout(input: {refreshToken: \"x\"}) { revoked } }";
    post(json!({ "query": logout, "extensions": by_hash(logout) }))
        .await
        .unwrap();
    let extensions = by_hash(logout).to_string();
    let get = app
        .client
        .get(&url)
        .query(&[("extensions", extensions.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 405, "a mutation by hash over GET");
}

const LISTED: &str = "query Me { me { username } }";

fn trusted(settings: &mut ketnap::settings::Settings) {
    let path = std::env::temp_dir().join(format!("ketnap-trusted-{}.json", std::process::id()));
    let login = "mutation Login($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken refreshToken user { username role } } }";
    let manifest = json!({
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [
            { "id": sha256(LISTED), "name": "Me", "type": "query", "body": LISTED },
            { "id": sha256(login), "name": "Login", "type": "mutation", "body": login },
        ]
    });
    std::fs::write(&path, manifest.to_string()).unwrap();
    settings.trusted_documents = Some(path);
}

/// With a manifest only its operations run, by hash or as their exact text.
async fn trusted_documents_only(app: TestApp) {
    let mut response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({
            "query": "mutation Login($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken refreshToken user { username role } } }",
            "variables": { "u": "demo.district", "p": crate::helpers::DEMO_PASSWORD }
        }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let token = response["data"]["login"]["accessToken"].take();
    let token = token
        .as_str()
        .unwrap_or_else(|| panic!("the listed login runs: {response}"));
    let post = |body: Value| {
        app.client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let body: Value = post(json!({ "extensions": by_hash(LISTED) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["me"]["username"], "demo.district", "{body}");
    for unlisted in [
        json!({ "query": "{ me { username role } }" }),
        json!({ "extensions": by_hash("{ __typename }") }),
    ] {
        let body: Value = post(unlisted).await.unwrap().json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_ALLOWED",
            "{body}"
        );
    }
}

server_tests!(
    automatic_persisted_queries,
    a_request_is_read_strictly,
    request_errors_carry_no_data,
    fields_come_in_the_order_asked,
    a_browser_gets_graphiql,
);

mod trusted {
    use super::*;
    server_tests!(with super::trusted; trusted_documents_only);
}

mod production {
    use super::*;
    server_tests!(with super::production; production_keeps_the_schema_closed);
}
