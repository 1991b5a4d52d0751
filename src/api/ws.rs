//! GraphQL over WebSocket on `/graphql`: the graphql-transport-ws protocol (the `graphql-ws`
//! client's; the older subscriptions-transport-ws too). The connection signs in with its
//! `connection_init` payload's `authorization` (`Bearer <token>`, as the HTTP header);
//! every operation then runs as an HTTP one does, within the same limits (a query or a
//! mutation within the request timeout, a message within the body's bound), its errors given
//! the same codes, its reads confined to the account's subtree.
//!
//! The server closes the connection:
//! - 4401 when the token is missing or not valid (the client should not retry);
//! - 4403 when the token expires, or is revoked, or its account now acts for another unit
//!   (re-checked every minute): the client signs in again and reconnects with a fresh token;
//! - 4408 when no `connection_init` came within ten seconds;
//! - 1011 when the client answers none of two heartbeats (WebSocket pings), or does not
//!   take a message within ten seconds: a slow consumer is dropped, not buffered;
//! - 1001 when the server shuts down.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols, WsMessage};
use async_graphql::{Data, Executor, Request as GqlRequest, Response as GqlResponse};
use axum::extract::FromRequestParts;
use axum::extract::Request;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{SinkExt, StreamExt};
use tokio::time::Instant;

use super::http::HttpState;
use crate::access::Scope;
use crate::auth::actor::Authentication;
use crate::auth::tokens::TokenError;
use crate::events::ConnectionSeats;
use crate::graphql::context::{Loaders, RequestInfo};

/// How long a connection may wait before its `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one message may wait for the client to take it.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often, at most, a connection's token is checked again (a revoked API token, a closed
/// account): every two heartbeats, and at least once a minute.
const RECHECK: Duration = Duration::from_secs(60);

/// Whether a request asks to become a WebSocket.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Accept the WebSocket of a GraphQL subprotocol; then serve it.
pub async fn upgrade(http: HttpState, client_address: String, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let protocol = parts
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|offered| {
            offered
                .split(',')
                .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
        });
    let Some(protocol) = protocol else {
        return (StatusCode::BAD_REQUEST, "ask for the graphql-transport-ws subprotocol").into_response();
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    // A message is held to the bound of a request body.
    let max = http.app.settings.limits.max_body_bytes;
    let lang = crate::graphql::language::preferred(&parts.headers);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| serve(socket, http, protocol, client_address, lang))
}

/// What a connection knows once signed in.
#[derive(Default)]
struct Session {
    authentication: Option<Authentication>,
    token: Option<String>,
    expires_at: Option<DateTime<Utc>>,
    /// The sign-in was refused: the close that follows says so (4401, 4403).
    refused: Option<u16>,
}

type Shared = Arc<Mutex<Session>>;

fn lock(session: &Shared) -> std::sync::MutexGuard<'_, Session> {
    session.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs each operation of one connection as the HTTP handler runs a request: the limits
/// first, then the schema with the account's loaders, every error given its code.
#[derive(Clone)]
struct Operations {
    http: HttpState,
    session: Shared,
    client_address: String,
    /// The language the upgrade request preferred, for every error of the connection.
    lang: crate::error::Lang,
    /// Queries and mutations of the connection not yet answered.
    running: Arc<AtomicUsize>,
}

/// A query or mutation running on a connection; its seat is given back when it is dropped
/// (answered, abandoned, or stopped by the client's `complete`).
struct Running(Arc<AtomicUsize>);

impl Running {
    /// A seat, unless `cap` operations already run.
    fn take(running: &Arc<AtomicUsize>, cap: usize) -> Option<Running> {
        running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < cap).then_some(n + 1))
            .ok()
            .map(|_| Running(running.clone()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Operations {
    fn prepare(&self, mut request: GqlRequest) -> Result<GqlRequest, Box<GqlResponse>> {
        let authentication = lock(&self.session)
            .authentication
            .clone()
            .unwrap_or(Authentication::Anonymous);
        let admitted = self.http.documents.resolve(&mut request).and_then(|learn| {
            self.http.limits.admit(&mut request, &authentication)?;
            if let Some(learn) = learn {
                self.http.documents.learn(learn, &request.query);
            }
            Ok(())
        });
        if let Err(refused) = admitted {
            let mut response = GqlResponse::from_errors(vec![refused]);
            self.finish(&mut response);
            return Err(Box::new(response));
        }
        let scope = match &authentication {
            Authentication::Actor(actor) => actor.scope(),
            _ => Scope::Nothing,
        };
        let loaders = Arc::new(Loaders::new(&self.http.app.db, scope));
        let info = RequestInfo {
            client_address: Some(self.client_address.clone()),
        };
        Ok(request.data(loaders).data(authentication).data(info).data(self.lang))
    }

    fn finish(&self, response: &mut GqlResponse) {
        for error in &mut response.errors {
            self.http.limits.restate(error);
        }
        crate::error::classify_all(response, self.lang);
    }
}

impl Executor for Operations {
    async fn execute(&self, request: GqlRequest) -> GqlResponse {
        match self.prepare(request) {
            Ok(mut request) => {
                let document = request.parsed_query().ok().cloned();
                let operation_name = request.operation_name.clone();
                let mut response = self.http.schema.execute(request).await;
                if let Some(document) = document {
                    super::order::restore(&mut response.data, &document, operation_name.as_deref());
                }
                self.finish(&mut response);
                response
            }
            Err(refused) => *refused,
        }
    }

    fn execute_stream(&self, request: GqlRequest, session_data: Option<Arc<Data>>) -> BoxStream<'static, GqlResponse> {
        match self.prepare(request) {
            Ok(mut request) => {
                let this = self.clone();
                let document = request.parsed_query().ok().cloned().map(Arc::new);
                let operation_name = request.operation_name.clone();
                let subscription = document.as_ref().is_some_and(|d| {
                    d.operations.iter().any(|(name, op)| {
                        let selected = match (&operation_name, name) {
                            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
                            (None, _) => true,
                            (Some(_), None) => false,
                        };
                        selected && op.node.ty == async_graphql::parser::types::OperationType::Subscription
                    })
                });
                let answers =
                    Executor::execute_stream(&self.http.schema, request, session_data).map(move |mut response| {
                        if let Some(document) = &document {
                            super::order::restore(&mut response.data, document, operation_name.as_deref());
                        }
                        this.finish(&mut response);
                        response
                    });
                if subscription {
                    return answers.boxed();
                }
                // A query or mutation over the socket answers once, within the time a request
                // has; a connection runs at most as many at once as a batch may hold.
                let lang = self.lang;
                let cap = self.http.app.settings.limits.max_batch.max(1);
                let Some(seat) = Running::take(&self.running, cap) else {
                    let busy = crate::error::AppError::LimitExceeded {
                        limit: crate::error::Limit::Batch,
                        message: crate::error::tr!(
                            "at most {cap} queries or mutations run at once on one connection: wait for an answer before sending more",
                            "mỗi kết nối chỉ chạy cùng lúc tối đa {cap} truy vấn hoặc thao tác thay đổi: hãy chờ có kết quả rồi mới gửi thêm"
                        ),
                    };
                    let response = refusal(busy, lang);
                    return futures_util::stream::once(async move { response }).boxed();
                };
                let timeout = self.http.app.settings.limits.request_timeout();
                futures_util::stream::once(async move {
                    let _seat = seat;
                    let mut answers = Box::pin(answers);
                    match tokio::time::timeout(timeout, answers.next()).await {
                        Ok(Some(response)) => response,
                        Ok(None) => GqlResponse::default(),
                        Err(_) => refusal(super::http::timed_out(), lang),
                    }
                })
                .boxed()
            }
            Err(refused) => futures_util::stream::once(async move { *refused }).boxed(),
        }
    }
}

/// A refused operation's one answer, its message in `lang`.
fn refusal(err: crate::error::AppError, lang: crate::error::Lang) -> GqlResponse {
    let mut response = GqlResponse::from_errors(vec![err.into_server_error()]);
    crate::error::classify_all(&mut response, lang);
    response
}

/// Sign a connection in from its `connection_init` payload.
async fn sign_in(http: HttpState, session: Shared, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let token = ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|key| payload.get(key).and_then(|v| v.as_str()))
        .map(|value| value.trim())
        .map(|value| value.strip_prefix("Bearer ").unwrap_or(value).trim().to_string());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        lock(&session).refused = Some(4401);
        return Err("sign in first: send `authorization: Bearer <accessToken>` in connection_init".into());
    };
    let authentication = authenticate(&http, &token).await;
    let mut state = lock(&session);
    match &authentication {
        Authentication::Actor(_) => {}
        Authentication::Refused(TokenError::Expired) => {
            state.refused = Some(4403);
            return Err("the access token has expired; refresh the session and reconnect".into());
        }
        _ => {
            state.refused = Some(4401);
            return Err("the access token is not valid".into());
        }
    }
    state.expires_at = http
        .app
        .auth
        .tokens
        .verify(&token)
        .ok()
        .and_then(|claims| DateTime::from_timestamp(claims.exp, 0));
    state.authentication = Some(authentication);
    state.token = Some(token);
    let mut data = Data::default();
    data.insert(ConnectionSeats::default());
    Ok(data)
}

async fn authenticate(http: &HttpState, token: &str) -> Authentication {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) {
        headers.insert(header::AUTHORIZATION, value);
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    crate::auth::request::authenticate(&http.app.db, &http.app.auth.tokens, &headers, &request_id).await
}

/// Why the server ends a connection.
enum Ending {
    /// The client left, or the protocol closed it.
    Done,
    Close(u16, &'static str),
}

#[tracing::instrument(name = "websocket", skip_all, fields(client = %client_address))]
async fn serve(
    socket: WebSocket,
    http: HttpState,
    protocol: WebSocketProtocols,
    client_address: String,
    lang: crate::error::Lang,
) {
    let session: Shared = Arc::default();
    let (mut sink, incoming) = socket.split();
    let last_heard = Arc::new(Mutex::new(Instant::now()));
    let heard = last_heard.clone();
    let input = incoming
        .take_while(|message| futures_util::future::ready(message.is_ok()))
        .filter_map(move |message| {
            *heard.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
            futures_util::future::ready(match message {
                Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                _ => None,
            })
        });
    let operations = Operations {
        http: http.clone(),
        session: session.clone(),
        client_address,
        lang,
        running: Arc::default(),
    };
    let init = {
        let (http, session) = (http.clone(), session.clone());
        move |payload| sign_in(http, session, payload)
    };
    let messages = async_graphql::http::WebSocket::new(operations, input, protocol).on_connection_init(init);
    futures_util::pin_mut!(messages);

    let live = http.app.settings.live.clone();
    let beat = Duration::from_secs(live.heartbeat_secs.max(1));
    let mut heartbeat = tokio::time::interval_at(Instant::now() + beat, beat);
    let every = RECHECK.min(beat * 2);
    let mut recheck = tokio::time::interval_at(Instant::now() + every, every);
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    futures_util::pin_mut!(init_deadline);
    let mut closing = http.app.events.closing();
    let ending = loop {
        let (signed_in, expires_at) = {
            let state = lock(&session);
            (state.authentication.is_some(), state.expires_at)
        };
        let expiry = async {
            match expires_at.and_then(|at| (at - Utc::now()).to_std().ok()) {
                Some(left) => tokio::time::sleep(left).await,
                None if expires_at.is_some() => {}
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            message = messages.next() => {
                let Some(message) = message else { break Ending::Done };
                let message = match message {
                    WsMessage::Text(text) => Message::Text(text.into()),
                    WsMessage::Close(code, reason) => {
                        let code = match (code, lock(&session).refused) {
                            (1002, Some(refused)) => refused,
                            (1011, None) => 4401,
                            (code, _) => code,
                        };
                        let _ = send(&mut sink, close(code, &reason)).await;
                        break Ending::Done;
                    }
                };
                if !send(&mut sink, message).await {
                    break Ending::Close(1011, "the client did not take its messages in time");
                }
            }
            () = &mut init_deadline, if !signed_in => break Ending::Close(4408, "Connection initialisation timeout"),
            () = expiry, if signed_in => break Ending::Close(4403, "the access token has expired; sign in again and reconnect"),
            _ = heartbeat.tick() => {
                let silent = last_heard.lock().unwrap_or_else(|e| e.into_inner()).elapsed();
                if silent > beat * 2 {
                    break Ending::Close(1011, "no answer to the heartbeat");
                }
                if !send(&mut sink, Message::Ping(Default::default())).await {
                    break Ending::Close(1011, "the client did not take its messages in time");
                }
            }
            _ = recheck.tick(), if signed_in => {
                let (token, before) = {
                    let state = lock(&session);
                    (state.token.clone().unwrap_or_default(), state.authentication.clone())
                };
                // Still valid, and still the same account acting for the same unit: a reporting
                // account moved to another unit hears that unit's subtree only after reconnecting.
                let same = match (authenticate(&http, &token).await, before) {
                    (Authentication::Actor(now), Some(Authentication::Actor(then))) => {
                        (now.user_id, now.role, now.unit_id) == (then.user_id, then.role, then.unit_id)
                    }
                    _ => false,
                };
                if !same {
                    break Ending::Close(4403, "the token is no longer valid for this scope; sign in again and reconnect");
                }
            }
            _ = closing.changed() => break Ending::Close(1001, "the server is shutting down"),
        }
    };
    if let Ending::Close(code, reason) = ending {
        tracing::debug!(code, reason, "closing a WebSocket");
        let _ = send(&mut sink, close(code, reason)).await;
    }
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Send one message within [`SEND_TIMEOUT`]; false when the client is gone or too slow.
async fn send(sink: &mut (impl futures_util::Sink<Message> + Unpin), message: Message) -> bool {
    matches!(tokio::time::timeout(SEND_TIMEOUT, sink.send(message)).await, Ok(Ok(())))
}
