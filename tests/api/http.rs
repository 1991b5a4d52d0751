//! The HTTP surface: GraphQL over GET and POST, media types, limits, health and GraphiQL.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok};

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

async fn post_raw(app: &TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = app.client.post(format!("{}/graphql", app.address)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn limit_of(body: &Value) -> (&str, &str) {
    let ext = &body["errors"][0]["extensions"];
    (
        ext["code"].as_str().unwrap_or_else(|| panic!("no code: {body}")),
        ext["limit"].as_str().unwrap_or_default(),
    )
}

async fn introspection_fits_within_the_limits(app: TestApp) {
    let body = app.graphql(None, INTROSPECTION, json!({})).await;
    assert_ok(&body);
    assert!(body["data"]["__schema"]["types"].as_array().unwrap().len() > 10);
}

async fn too_deep_query_is_refused(app: TestApp) {
    let token = app.token_for("demo.branch").await;
    // me (1) > orgUnit (2) > parent × n > id (n + 3)
    let nested = |n: usize| {
        format!(
            "{{ me {{ orgUnit {} {{ id }} {} }} }}",
            "{ parent ".repeat(n),
            "}".repeat(n)
        )
    };
    let body = app.graphql(Some(&token), &nested(13), json!({})).await;
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "DEPTH"), "{body}");
    // One level less is accepted: the limit is where the settings put it (15).
    assert_ok(&app.graphql(Some(&token), &nested(12), json!({})).await);
}

async fn too_complex_query_is_refused(app: TestApp) {
    let token = app.token_for("demo.branch").await;
    let nested = "{ orgUnits(first: 100) { nodes { children(first: 100) { nodes { id code name } } } } }";
    let body = app.graphql(Some(&token), nested, json!({})).await;
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "COMPLEXITY"), "{body}");
    // The same shape with small pages passes: connections multiply by `first`.
    let small = "{ orgUnits(first: 10) { nodes { children(first: 10) { nodes { id code name } } } } }";
    assert_ok(&app.graphql(Some(&token), small, json!({})).await);
}

async fn too_many_aliases_are_refused(app: TestApp) {
    let token = app.token_for("demo.branch").await;
    let aliases: String = (0..31).map(|i| format!("a{i}: me {{ username }} ")).collect();
    let body = app.graphql(Some(&token), &format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "ALIASES"), "{body}");
    let roots = "me { username } ".repeat(21);
    let body = app.graphql(Some(&token), &format!("{{ {roots} }}"), json!({})).await;
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "ROOT_FIELDS"), "{body}");
}

async fn batches_are_bounded(app: TestApp) {
    let one = json!({ "query": "{ __typename }" });
    let (status, body) = post_raw(&app, None, Value::Array(vec![one.clone(); 3])).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(3), "{body}");
    let (status, body) = post_raw(&app, None, Value::Array(vec![one; 11])).await;
    assert_eq!(status, 400);
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "BATCH"), "{body}");
}

async fn oversized_body_is_refused(app: TestApp) {
    let padding = " ".repeat(3 * 1024 * 1024);
    let (status, body) = post_raw(&app, None, json!({ "query": format!("{{ __typename {padding} }}") })).await;
    assert_eq!(status, 413);
    assert_eq!(limit_of(&body), ("QUERY_LIMIT_EXCEEDED", "BODY_SIZE"), "{body}");
    // Streamed without a declared length, the limit still holds: the server stops reading at
    // the limit and answers 413. It then closes the connection with bytes still unread, and
    // the resulting reset may reach the client before the answer does; either way the body
    // was refused.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..129).map(|_| Ok(vec![b' '; 16 * 1024])).collect();
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await;
    match response {
        Ok(response) => assert_eq!(response.status().as_u16(), 413),
        // Only the connection cut after the answer: reset or closed (hyper's
        // `IncompleteMessage` is a connection closed before the answer was read), not any
        // other failure.
        Err(err) => {
            let chain = format!("{err:?}").to_lowercase();
            assert!(
                (err.is_request() || err.is_body())
                    && ["reset", "closed", "broken pipe", "connection", "incompletemessage"]
                        .iter()
                        .any(|w| chain.contains(w)),
                "not a refusal: {err:?}"
            );
        }
    }
    // And the server carries on (on a new connection: it closed the refused ones).
    let fresh = reqwest::Client::new();
    let body: Value = fresh
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ok(&body);
}

async fn get_serves_queries_but_not_mutations(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let response = app
        .client
        .get(&url)
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
    let mutation = "mutation { logout(input: {refreshToken: \"x\"}) { revoked } }";
    let response = app.client.get(&url).query(&[("query", mutation)]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("POST"),
        "{body}"
    );
}

async fn graphql_response_media_type_is_honoured(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let accept = "application/graphql-response+json";
    let response = app
        .client
        .post(&url)
        .header("accept", accept)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], accept);
    assert!(response.headers().contains_key("x-request-id"));
    // A document that does not parse is a 400 in this media type, with its code.
    let response = app
        .client
        .post(&url)
        .header("accept", accept)
        .json(&json!({ "query": "{ me " }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{body}"
    );
    // An unknown field fails validation; without an account it is not even validated.
    let token = app.token_for("demo.branch").await;
    let body = app.graphql(Some(&token), "{ noSuchField }", json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{body}"
    );
    let body = app.graphql(None, "{ noSuchField }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
}

async fn health_readiness_and_graphiql(app: TestApp) {
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    assert_eq!(get("/healthz").await.unwrap().status().as_u16(), 200);
    assert_eq!(get("/readyz").await.unwrap().text().await.unwrap(), "ready");
    let page = get("/graphiql").await.unwrap().text().await.unwrap();
    assert!(page.contains("/graphiql/assets/graphiql.min.js"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "GraphiQL must not load from a CDN"
    );
    let script = get("/graphiql/assets/graphiql.min.js").await.unwrap();
    assert_eq!(script.status().as_u16(), 200);
    assert!(script.bytes().await.unwrap().len() > 1_000_000);
    assert_eq!(get("/graphiql/assets/nothing.js").await.unwrap().status().as_u16(), 404);
}

// What these test is the HTTP layer, the same whatever the database: once, on the default.
server_tests!(
    introspection_fits_within_the_limits,
    too_deep_query_is_refused,
    too_complex_query_is_refused,
    too_many_aliases_are_refused,
    batches_are_bounded,
    oversized_body_is_refused,
    get_serves_queries_but_not_mutations,
    graphql_response_media_type_is_honoured,
);

// Readiness asks the database.
db_tests!(health_readiness_and_graphiql);
