//! What every HTTP route that speaks GraphQL's error shape shares: the media types, the
//! request-id header and a response made only of errors.

use async_graphql::ServerError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub use crate::telemetry::REQUEST_ID_HEADER;

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

/// A refusal outside GraphQL (a download), as a GraphQL-shaped error body with the HTTP
/// status its code calls for.
pub fn app_error_response(err: crate::error::AppError, what: &str) -> Response {
    use crate::error::Code;
    let status = match err.code() {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    if let crate::error::AppError::Unexpected(cause) = &err {
        tracing::error!(error = ?cause, "{what} failed");
    }
    error_response(status, vec![err.to_server_error()])
}
