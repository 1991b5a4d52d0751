//! GraphQL over HTTP: `POST` and `GET /graphql`, batching within bounds, the actor taken
//! from the bearer token, responses as `application/json` or, when asked for,
//! `application/graphql-response+json`.

use std::net::SocketAddr;

use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, ParseRequestError, Response as GqlResponse, ServerError};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use tokio_util::compat::TokioAsyncReadCompatExt;

use super::KetnapSchema;
use super::limits::QueryLimits;
use crate::access::Scope;
use crate::auth::actor::Authentication;
use crate::error::{AppError, Code, Lang, Limit, Text, protocol_error, tr};
use crate::graphql::context::{Loaders, RequestInfo};
use crate::graphql::response::{GRAPHQL_RESPONSE_JSON, REQUEST_ID_HEADER, error_response};
use crate::state::AppState;

/// What the GraphQL routes share.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: KetnapSchema,
    /// The bounds every operation is checked against before it runs.
    pub limits: QueryLimits,
    /// The documents that may be sent by hash.
    pub documents: std::sync::Arc<super::persisted::Documents>,
    /// Parsed documents kept for the next request with the same text.
    pub parsed: std::sync::Arc<super::parsed::ParsedDocuments>,
    pub metrics: std::sync::Arc<super::metrics::Metrics>,
}

/// A request that could not be read as GraphQL.
pub struct Rejection {
    error: ParseRequestError,
    /// The largest file a multipart request may carry, when the request was one.
    max_file_bytes: Option<u64>,
    /// The bound a request too large crossed, when it is not the body's or a file's size.
    bound: Option<(Limit, Text)>,
    /// Why the body or query string is not a GraphQL request, in both languages.
    malformed: Option<Text>,
    /// A `POST` of a media type other than JSON or multipart: the one it said, if any.
    unsupported: Option<Option<String>>,
}

impl Rejection {
    fn malformed(why: super::request::Malformed) -> Rejection {
        Rejection {
            malformed: Some(why.0.clone()),
            ..Rejection::from(ParseRequestError::InvalidRequest(Box::new(std::io::Error::other(
                why.0.en().to_string(),
            ))))
        }
    }

    fn unsupported(content_type: Option<String>) -> Rejection {
        Rejection {
            unsupported: Some(content_type),
            ..Rejection::from(ParseRequestError::PayloadTooLarge)
        }
    }

    fn with_message(self, limit: Limit, message: Text) -> Rejection {
        Rejection {
            bound: Some((limit, message)),
            ..self
        }
    }
}

impl From<ParseRequestError> for Rejection {
    fn from(error: ParseRequestError) -> Self {
        Rejection {
            error,
            max_file_bytes: None,
            bound: None,
            malformed: None,
            unsupported: None,
        }
    }
}

impl Rejection {
    /// The refusal as a response, its message in `lang`.
    fn respond(self, lang: Lang) -> Response {
        if let Some(said) = self.unsupported {
            let message = match said {
                Some(t) => tr!(
                    "a POST carries `application/json` (or `multipart/form-data` for uploads), not `{t}`",
                    "một yêu cầu POST mang `application/json` (hoặc `multipart/form-data` khi tải tệp lên), không phải `{t}`"
                ),
                None => tr!(
                    "a POST carries `application/json` (or `multipart/form-data` for uploads), not no content type",
                    "một yêu cầu POST mang `application/json` (hoặc `multipart/form-data` khi tải tệp lên), nhưng yêu cầu này không nói kiểu nội dung"
                ),
            };
            let err = protocol_error(Code::BadUserInput.as_str(), message);
            return error_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, vec![err], lang);
        }
        let too_large = matches!(self.error, ParseRequestError::PayloadTooLarge)
            || matches!(&self.error, ParseRequestError::Io(e) if e.to_string().contains("length limit exceeded"));
        if too_large {
            let err = match (self.bound, self.max_file_bytes) {
                (Some((limit, message)), _) => AppError::LimitExceeded { limit, message },
                (None, Some(max)) => AppError::LimitExceeded {
                    limit: Limit::FileSize,
                    message: tr!(
                        "a file holds at most {max} bytes, and a request a few of them",
                        "mỗi tệp tối đa {max} byte, và mỗi yêu cầu chỉ vài tệp"
                    ),
                },
                (None, None) => AppError::LimitExceeded {
                    limit: Limit::BodySize,
                    message: tr!("the request body is too large", "phần thân yêu cầu quá lớn"),
                },
            };
            return error_response(StatusCode::PAYLOAD_TOO_LARGE, vec![err.into_server_error()], lang);
        }
        // The engine's sentence names what it could not read; ours says the same in Vietnamese.
        let error = &self.error;
        let error_vi = self
            .malformed
            .map_or_else(|| error.to_string(), |why| why.vi().to_string());
        let message = tr!(
            "the request is not a GraphQL request: {error}",
            "yêu cầu không phải là một yêu cầu GraphQL: {error_vi}"
        );
        let err = protocol_error(Code::GraphqlParseFailed.as_str(), message);
        error_response(StatusCode::BAD_REQUEST, vec![err], lang)
    }
}

/// Whether the client prefers a page to JSON (a browser's navigation).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// How large a request body may be: a JSON or query body, and a multipart one (its files).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub body: usize,
    pub multipart: usize,
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Say in which language the response's messages are (`Content-Language`), and that they
/// follow `Accept-Language` (`Vary`), so a cache keeps one answer per language.
pub async fn say_language(request: Request, next: Next) -> Response {
    let lang = crate::graphql::language::preferred(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    response
}

/// Refuse bodies over their bound, declared or streamed, with a GraphQL-shaped 413.
pub async fn limit_body(State(limits): State<BodyLimits>, request: Request, next: Next) -> Response {
    let max = if is_multipart(request.headers()) {
        limits.multipart
    } else {
        limits.body
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        let lang = crate::graphql::language::preferred(request.headers());
        return Rejection::from(ParseRequestError::PayloadTooLarge).respond(lang);
    }
    let (parts, body) = request.into_parts();
    let limited = Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, max)));
    next.run(limited).await
}

/// The client's address: the peer's, or behind a trusted proxy the right-most
/// `X-Forwarded-For` entry, which that proxy appended (the entries before it are the
/// client's own word). Anything that is not an IP address is ignored.
pub(super) fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.settings.auth.trust_forwarded_for
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(last) = forwarded.rsplit(',').next().map(str::trim)
        && let Ok(ip) = last.parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    peer.ip().to_string()
}

fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let operation_name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    document.operations.iter().any(|(name, op)| {
        let selected = match (&operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        selected && op.node.ty == OperationType::Mutation
    })
}

/// The operations of a request: from the query string of a `GET`, else from the body as
/// its content type says (JSON, or a multipart request whose files are spooled to
/// temporary files as they arrive, each within the file size bound). Parameters other
/// than GraphQL's are refused ([`super::request`]).
async fn read_batch(request: Request, files: &crate::settings::FileSettings) -> Result<BatchRequest, Rejection> {
    if request.method() == Method::GET {
        let query = request.uri().query().unwrap_or_default();
        return super::request::from_query_string(query).map_err(Rejection::malformed);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.trim().to_ascii_lowercase());
    let multipart = is_multipart(request.headers());
    let json = content_type
        .as_deref()
        .is_some_and(|t| t == "application/json" || t.starts_with("application/json;"));
    if !multipart && !json {
        return Err(Rejection::unsupported(content_type));
    }
    let batch = if json {
        let body = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .map_err(|_| Rejection::from(ParseRequestError::PayloadTooLarge))?;
        super::request::from_json(&body).map_err(Rejection::malformed)?
    } else {
        let max_file = usize::try_from(files.max_file_bytes).unwrap_or(usize::MAX);
        let options = MultipartOptions::default()
            .max_file_size(max_file)
            .max_num_files(files.max_files_per_request);
        let body = request.into_body().into_data_stream().map_err(std::io::Error::other);
        let reader = tokio_util::io::StreamReader::new(body).compat();
        async_graphql::http::receive_batch_body(content_type, reader, options)
            .await
            .map_err(|error| Rejection {
                error,
                max_file_bytes: Some(files.max_file_bytes),
                bound: None,
                malformed: None,
                unsupported: None,
            })?
    };
    let uploads: usize = match &batch {
        BatchRequest::Single(request) => request.uploads.len(),
        BatchRequest::Batch(requests) => requests.iter().map(|r| r.uploads.len()).sum(),
    };
    if uploads > files.max_files_per_request {
        return Err(Rejection::from(ParseRequestError::PayloadTooLarge).with_message(
            Limit::Files,
            tr!(
                "a request uploads at most {} files; this one uploads {uploads}",
                "mỗi yêu cầu tải lên tối đa {} tệp; yêu cầu này tải lên {uploads} tệp",
                files.max_files_per_request
            ),
        ));
    }
    Ok(batch)
}

pub async fn graphql(
    State(http): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let lang = crate::graphql::language::preferred(&headers);
    if method == Method::GET && super::ws::is_upgrade(&headers) {
        let address = client_address(&http.app, &headers, peer);
        return super::ws::upgrade(http, address, request).await;
    }
    // A browser opening the endpoint gets GraphiQL, where it is served.
    if method == Method::GET
        && request.uri().query().is_none_or(str::is_empty)
        && wants_html(&headers)
        && http.app.settings.graphiql_enabled()
    {
        return super::graphiql::page().await.into_response();
    }
    let mut batch = match read_batch(request, &http.app.settings.files).await {
        Ok(batch) => batch,
        Err(rejection) => return rejection.respond(lang),
    };
    let limits = &http.app.settings.limits;
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(requests) => requests.len(),
    };
    if size == 0 || size > limits.max_batch {
        let err = AppError::LimitExceeded {
            limit: Limit::Batch,
            message: tr!(
                "a batch holds 1 to {} operations; this one holds {size}",
                "một lô gồm từ 1 đến {} thao tác; lô này có {size}",
                limits.max_batch
            ),
        };
        return error_response(StatusCode::BAD_REQUEST, vec![err.into_server_error()], lang);
    }
    // A document sent by its hash is filled in before anything reads it.
    let mut resolved: Vec<Resolved> = batch.iter_mut().map(|r| http.documents.resolve(r)).collect();
    // A document past the pre-parse bounds is not parsed here; the schema refuses it.
    let is_mutation =
        |r: &mut async_graphql::Request| super::limits::text_within_bounds(&r.query, limits) && is_mutation(r);
    if method == Method::GET && batch.iter_mut().any(is_mutation) {
        let err = protocol_error(
            Code::BadUserInput.as_str(),
            tr!(
                "mutations must be sent with POST",
                "thao tác thay đổi (mutation) phải gửi bằng POST"
            ),
        );
        let mut response = error_response(StatusCode::METHOD_NOT_ALLOWED, vec![err], lang);
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }

    let request_id = headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let authentication =
        crate::auth::request::authenticate(&http.app.db, &http.app.auth.tokens, &headers, &request_id).await;
    let info = RequestInfo {
        client_address: Some(client_address(&http.app, &headers, peer)),
    };
    // Every request has loaders, confined to what its account sees (nothing without one).
    let scope = match &authentication {
        Authentication::Actor(actor) => {
            tracing::Span::current().record("user_id", actor.user_id);
            actor.scope()
        }
        _ => Scope::Nothing,
    };
    let loaders = std::sync::Arc::new(Loaders::new(&http.app.db, scope));
    let batch = batch.data(loaders).data(authentication.clone()).data(info).data(lang);
    // One operation after another, as the schema's own `execute_batch` runs a batch.
    let run = async {
        match batch {
            BatchRequest::Single(request) => {
                let resolved = std::mem::replace(&mut resolved[0], Ok(None));
                BatchResponse::Single(execute(&http, &authentication, request, resolved, lang).await)
            }
            BatchRequest::Batch(requests) => {
                let mut responses = Vec::with_capacity(requests.len());
                for (request, resolved) in requests.into_iter().zip(resolved.iter_mut()) {
                    let resolved = std::mem::replace(resolved, Ok(None));
                    responses.push(execute(&http, &authentication, request, resolved, lang).await);
                }
                BatchResponse::Batch(responses)
            }
        }
    };

    let executed = tokio::time::timeout(limits.request_timeout(), run).await;
    let response = match executed {
        Ok(response) => response,
        Err(_) => {
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                vec![timed_out().into_server_error()],
                lang,
            );
        }
    };
    respond(&headers, response, lang)
}

/// A request, over HTTP or a WebSocket, that ran past `--request-timeout-secs`.
pub(super) fn timed_out() -> AppError {
    AppError::LimitExceeded {
        limit: Limit::Timeout,
        message: tr!(
            "the request took too long and was abandoned",
            "yêu cầu chạy quá lâu nên đã bị hủy"
        ),
    }
}

/// What the persisted documents said of a request: refused, or a document to remember once
/// it passes the limits.
type Resolved = Result<Option<super::persisted::Learn>, ServerError>;

/// Run one operation: its limits first, then the schema; every error of the answer given its
/// stable code and its message in `lang`. `resolved` is what the persisted documents said
/// of it.
async fn execute(
    http: &HttpState,
    authentication: &Authentication,
    mut request: async_graphql::Request,
    resolved: Resolved,
    lang: Lang,
) -> GqlResponse {
    let started = std::time::Instant::now();
    let mut operation_name = request.operation_name.clone();
    let mut roots = Vec::new();
    let mut ran = false;
    let kept = http.parsed.fill(&mut request);
    let admitted = resolved.and_then(|learn| {
        http.limits.admit(&mut request, authentication)?;
        if let Some(learn) = learn {
            http.documents.learn(learn, &request.query);
        }
        Ok(())
    });
    let mut response = match admitted {
        Err(refused) => GqlResponse::from_errors(vec![refused]),
        Ok(()) => {
            ran = true;
            let document = kept.or_else(|| http.parsed.keep(&mut request));
            if operation_name.is_none() {
                operation_name = document
                    .as_ref()
                    .and_then(|d| d.operations.iter().find_map(|(name, _)| name.map(|n| n.to_string())));
            }
            if let Some(document) = &document {
                roots = super::metrics::mutation_roots(document, request.operation_name.as_deref());
            }
            if let Some(name) = &operation_name {
                tracing::Span::current().record("operation", name.as_str());
            }
            let mut response = http.schema.execute(request).await;
            if let Some(document) = document {
                super::order::restore(&mut response.data, &document, operation_name.as_deref());
            }
            response
        }
    };
    for error in &mut response.errors {
        http.limits.restate(error);
    }
    crate::error::classify_all(&mut response, lang);
    let operation = match (ran, authentication) {
        (false, _) => super::metrics::Operation::Refused,
        (true, Authentication::Actor(_)) => super::metrics::Operation::Named(operation_name.as_deref()),
        (true, _) => super::metrics::Operation::Anonymous,
    };
    http.metrics.observe(operation, &roots, &response, started.elapsed());
    response
}

/// A request that failed before execution (it did not parse, validate or pass the
/// limits): no data, and no error with a path into it.
fn failed_before_execution(response: &GqlResponse) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// One response as it is written: whole, or under `application/graphql-response+json` a
/// request that never executed without its `data` entry, as the specification asks.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Written<'a> {
    Whole(&'a GqlResponse),
    NotExecuted {
        errors: &'a [ServerError],
        #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
    },
}

impl<'a> Written<'a> {
    fn of(response: &'a GqlResponse, graphql_media: bool) -> Written<'a> {
        if graphql_media && failed_before_execution(response) {
            Written::NotExecuted {
                errors: &response.errors,
                extensions: &response.extensions,
            }
        } else {
            Written::Whole(response)
        }
    }
}

/// Serialise the response in the media type the client accepts. With
/// `application/graphql-response+json`, a request that failed before execution answers 400
/// without `data`; one that executed answers 200, even when its errors left `data` null.
fn respond(headers: &HeaderMap, response: BatchResponse, lang: Lang) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let graphql_media = accept.contains(GRAPHQL_RESPONSE_JSON);
    let status = match &response {
        BatchResponse::Single(r) if graphql_media && failed_before_execution(r) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let content_type = if graphql_media {
        GRAPHQL_RESPONSE_JSON
    } else {
        "application/json"
    };
    let body = match &response {
        BatchResponse::Single(r) => serde_json::to_string(&Written::of(r, graphql_media)),
        BatchResponse::Batch(all) => {
            serde_json::to_string(&all.iter().map(|r| Written::of(r, graphql_media)).collect::<Vec<_>>())
        }
    };
    match body {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "could not serialise a GraphQL response");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                vec![AppError::Unexpected(err.into()).into_server_error()],
                lang,
            )
        }
    }
}
