//! What every HTTP route that speaks GraphQL's error shape shares: the media types, the
//! request-id header and a response made only of errors.

use async_graphql::ServerError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::Lang;

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub use crate::telemetry::REQUEST_ID_HEADER;

/// A response made only of errors (the request never reached execution), each given its
/// code and its message in `lang`.
pub fn error_response(status: StatusCode, mut errors: Vec<ServerError>, lang: Lang) -> Response {
    for error in &mut errors {
        crate::error::classify(error, lang);
    }
    let body = serde_json::json!({ "errors": errors });
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body.to_string(),
    )
        .into_response()
}

/// A refusal outside GraphQL (a download), as a GraphQL-shaped error body with the HTTP
/// status its code calls for; an internal error is logged with its cause by
/// [`crate::error::classify`], as every other.
pub fn app_error_response(err: crate::error::AppError, lang: Lang) -> Response {
    use crate::error::Code;
    let status = match err.code() {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    error_response(status, vec![err.into_server_error()], lang)
}
