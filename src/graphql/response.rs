//! What every HTTP route that speaks GraphQL's error shape shares: the media types, the
//! request-id header and a response made only of errors.

use async_graphql::ServerError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A response made only of errors (the request never reached execution).
pub fn error_response(status: StatusCode, errors: Vec<ServerError>) -> Response {
    let body = serde_json::json!({ "errors": errors });
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body.to_string(),
    )
        .into_response()
}
