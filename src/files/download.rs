//! `GET /files/{id}`: a scan's bytes, streamed from its store, for an account that sees
//! the record it belongs to. Out of scope answers exactly like a missing file (404); a
//! reporting account is refused (403) whatever the id. Served as an attachment with the
//! type its content was found to be, never sniffed or rendered inline by the browser.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::service;
use crate::auth::request::require_actor;
use crate::error::{AppError, AppResult};
use crate::graphql::relay::expect_global_id;
use crate::graphql::response::app_error_response;
use crate::state::AppState;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn download(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    match serve(&state, &id, &headers).await {
        Ok(response) => response,
        Err(err) => app_error_response(err, crate::graphql::language::preferred(&headers)),
    }
}

#[tracing::instrument(level = "debug", skip_all)]
async fn serve(state: &AppState, id: &str, headers: &HeaderMap) -> AppResult<Response> {
    let actor = require_actor(&state.db, &state.auth.tokens, headers).await?;
    actor.require_staff()?;
    // Anything that is not one of our file IDs is a file that does not exist.
    let file_id = expect_global_id(
        &async_graphql::ID(id.to_string()),
        super::graphql::ScannedFile::TYPENAME,
        "id",
    )
    .map_err(|_| AppError::not_found(crate::error::noun::FILE))?;
    let file = service::open_for_download(&state.db, &actor, file_id).await?;
    let body = state.files.open(state.db.clone(), &file)?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(file.media_type.mime())),
        (header::CONTENT_LENGTH, HeaderValue::from(file.size_bytes)),
        (header::CONTENT_DISPOSITION, disposition(&file.file_name)),
        (header::ETAG, header_value(&format!("\"{}\"", file.sha256))),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ),
    ];
    Ok((headers, Body::from_stream(body)).into_response())
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static(""))
}

/// `attachment` with the name twice: plain ASCII for old clients (anything else replaced by
/// `_`) and the UTF-8 name percent-encoded (RFC 6266, RFC 8187), so a Vietnamese name
/// arrives intact.
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    header_value(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn a_vietnamese_name_is_sent_both_ways() {
        assert_eq!(
            disposition("Đơn xin vào Đảng.pdf").to_str().unwrap(),
            "attachment; filename=\"__n xin v_o __ng.pdf\"; filename*=UTF-8''%C4%90%C6%A1n%20xin%20v%C3%A0o%20%C4%90%E1%BA%A3ng.pdf"
        );
        assert_eq!(
            disposition("a\"b.pdf").to_str().unwrap(),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
