//! Integration tests: GraphQL over HTTP against the real server, each test on its own
//! database, every database test run on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod auth;
mod backup;
mod conformance;
mod consent;
mod cors;
mod dashboard;
mod database;
pub mod error_paths;
mod excel;
mod files;
mod hostile;
mod http;
mod input_bounds;
mod languages;
mod layers;
mod live;
mod metrics;
mod migrations;
mod org;
mod paging;
mod partial_rows;
mod registry;
pub mod reports;
mod scale_out;
mod schema;
mod scope;
mod stored_codes;
pub(crate) mod synthetic;
#[cfg(feature = "otlp")]
mod traces;
mod tree_model;
mod verification;
pub mod workflow;
mod workflow_access;
mod workflow_rules;

/// A staff account for the unit `unit_code`, created by `creator`; its access token.
pub async fn workflow_access_token(app: &helpers::TestApp, creator: &str, unit_code: &str, username: &str) -> String {
    let unit = app.unit_id(unit_code).await;
    let input = serde_json::json!({ "username": username, "displayName": username, "password": helpers::DEMO_PASSWORD, "orgUnitId": unit });
    let body = app
        .graphql(
            Some(creator),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
            serde_json::json!({ "i": input }),
        )
        .await;
    helpers::assert_ok(&body);
    app.token_for(username).await
}
