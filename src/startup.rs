//! Building and running the server. Tests use exactly this builder, on port 0.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::api::http::HttpState;
use crate::api::{build_schema, dashboard, graphiql, http};
use crate::auth::Auth;
use crate::graphql::response::REQUEST_ID_HEADER;
use crate::replica::ReportDatabase;
use crate::settings::Settings;
use crate::state::AppState;

/// How long in-flight requests may run after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    port: u16,
    router: Router,
    state: AppState,
    /// `/metrics` on a listener of its own (`--metrics-address`).
    metrics: Option<(TcpListener, Router)>,
}

/// The migration that moved two clocks' starts: the deadlines stored before it are
/// recomputed once, right after it is applied.
const CLOCKS_MIGRATION: &str = "m20261201_000009_clocks_from_their_acts";

/// Apply pending migrations, then bring up to date what a migration leaves for the code
/// to recompute (stored deadlines, which count working days).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let applied = crate::db::migrate(db).await?;
    if applied.iter().any(|name| name == CLOCKS_MIGRATION) {
        let txn = crate::db::begin_write(db).await?;
        let changed = crate::rules::clocks::recompute_deadlines(&txn)
            .await
            .map_err(|e| anyhow::anyhow!("could not recompute the stored deadlines: {e}"))?;
        txn.commit().await?;
        tracing::info!(changed, "deadlines recomputed after {CLOCKS_MIGRATION}");
    }
    Ok(())
}

impl Application {
    /// Open the database, apply migrations and bind the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = crate::db::connect(&settings.database).await?;
        migrate(&db).await?;
        Self::build_with_db(settings, db).await
    }

    /// Bind a server on an already migrated database; reports read through pools of their
    /// own (PostgreSQL), opened here.
    pub async fn build_with_db(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let reports = ReportDatabase::open(&settings.database, &db).await?;
        Self::build_with_pools(settings, db, reports).await
    }

    /// Bind a server on an already migrated database and already opened report pools.
    pub async fn build_with_pools(
        settings: Settings,
        db: DatabaseConnection,
        reports: ReportDatabase,
    ) -> anyhow::Result<Self> {
        let auth = Arc::new(Auth::from_settings(&settings)?);
        let files = crate::filestore::Store::from_settings(&settings.files)?;
        let events = crate::events::Hub::new(&settings.live);
        let state = AppState {
            db,
            reports,
            files,
            events,
            settings: Arc::new(settings),
            auth,
        };
        let address = SocketAddr::new(state.settings.host, state.settings.port);
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("could not listen on {address}"))?;
        let port = listener.local_addr()?.port();
        let documents = crate::api::persisted::Documents::new(
            state.settings.persisted_query_cache,
            state.settings.trusted_documents.as_deref(),
        )?;
        let metrics = Arc::new(crate::api::metrics::Metrics::new());
        let router = router(
            state.clone(),
            cors(&state.settings)?,
            Arc::new(documents),
            metrics.clone(),
        );
        let metrics = match state.settings.metrics_address {
            Some(address) => {
                let listener = TcpListener::bind(address)
                    .await
                    .with_context(|| format!("could not listen on {address} for /metrics"))?;
                let router = Router::new()
                    .route("/metrics", get(crate::api::metrics::scrape))
                    .with_state((state.clone(), metrics));
                Some((listener, router))
            }
            None => None,
        };
        Ok(Application {
            listener,
            port,
            router,
            state,
            metrics,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The port of `/metrics`'s own listener, when it has one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
            .map(|a| a.port())
    }

    /// Serve until `shutdown` completes, then let in-flight requests finish (for at most
    /// 20 seconds). The live events are read alongside, for as long as the server runs.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let state = &self.state;
        let events = crate::events::source::run(
            state.db.clone(),
            state.settings.database.database_url.clone(),
            state.events.clone(),
        );
        let deadlines = crate::events::deadlines::run(state.db.clone(), state.events.clone());
        let hub = state.events.clone();
        let metrics = async {
            match self.metrics {
                Some((listener, router)) => {
                    if let Err(err) = axum::serve(listener, router).await {
                        tracing::error!(error = %err, "the metrics listener failed");
                    }
                }
                None => std::future::pending().await,
            }
        };
        let stopping = Arc::new(tokio::sync::Notify::new());
        let notify = stopping.clone();
        let server = axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests");
            hub.close();
            notify.notify_one();
        });
        tokio::select! {
            result = server => result.context("the server failed"),
            () = events => Ok(()),
            () = deadlines => Ok(()),
            () = metrics => Ok(()),
            _ = async { stopping.notified().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
                tracing::warn!("in-flight requests did not finish in time; stopping anyway");
                Ok(())
            }
        }
    }
}

/// SIGINT (Ctrl-C) or SIGTERM.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

/// Cross-origin calls from the allowed origins only. Credentials are bearer tokens in the
/// `Authorization` header, never cookies, so no credentials mode is allowed: a page of
/// another origin cannot ride on a signed-in browser.
fn cors(settings: &Settings) -> anyhow::Result<CorsLayer> {
    let mut origins = Vec::new();
    for origin in settings.allowed_origins() {
        let well_formed = ["http://", "https://"]
            .iter()
            .find_map(|scheme| origin.strip_prefix(scheme))
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
        if !well_formed {
            anyhow::bail!("--cors-origins: {origin:?} is not an origin (scheme://host[:port], no path)");
        }
        origins.push(HeaderValue::from_str(&origin).with_context(|| format!("--cors-origins: {origin:?}"))?);
    }
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static(REQUEST_ID_HEADER),
            HeaderName::from_static("apollo-require-preflight"),
        ])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID_HEADER),
            header::CONTENT_DISPOSITION,
            header::RETRY_AFTER,
            HeaderName::from_static("ketnap-report-source"),
        ])
        .max_age(Duration::from_secs(600)))
}

fn router(
    state: AppState,
    cors: CorsLayer,
    documents: Arc<crate::api::persisted::Documents>,
    metrics: Arc<crate::api::metrics::Metrics>,
) -> Router {
    let schema = build_schema(&state.settings).data(state.clone()).finish();
    let max_body = state.settings.limits.max_body_bytes;
    let body_limits = http::BodyLimits {
        body: max_body,
        multipart: state.settings.files.max_multipart_bytes(max_body),
    };
    let graphql = Router::new()
        .route("/graphql", get(http::graphql).post(http::graphql))
        .layer(axum::middleware::from_fn_with_state(body_limits, http::limit_body))
        .layer(axum::middleware::from_fn(http::say_language))
        .with_state(HttpState {
            limits: crate::api::limits::QueryLimits::new(&state.settings),
            documents,
            parsed: Default::default(),
            metrics: metrics.clone(),
            app: state.clone(),
            schema,
        });
    let mut router = Router::new().merge(graphql);
    // `/metrics` on the API's port: behind its token, or open in dev mode; not at all when it
    // has a listener of its own.
    let settings = &state.settings;
    let metrics_here = settings.metrics_address.is_none()
        && (settings.metrics_token.is_some() || settings.mode == crate::settings::Mode::Dev);
    if metrics_here {
        router = router.merge(
            Router::new()
                .route("/metrics", get(crate::api::metrics::scrape))
                .with_state((state.clone(), metrics)),
        );
    }
    if state.settings.graphiql_enabled() {
        router = router
            .route("/graphiql", get(graphiql::page))
            .route("/graphiql/assets/{name}", get(graphiql::assets));
    }
    router
        .route("/", get(|| async { Redirect::temporary("/dashboard/") }))
        .route("/dashboard", get(dashboard::enter))
        .route("/dashboard/", get(dashboard::page))
        .route("/dashboard/assets/{name}", get(dashboard::assets))
        .merge(
            Router::new()
                .route("/reports/{file}", get(crate::reports::csv::download))
                .route("/files/{id}", get(crate::files::download::download))
                .layer(axum::middleware::from_fn(http::say_language)),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .headers()
                                .get(REQUEST_ID_HEADER)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            let span = tracing::info_span!(
                                "request",
                                method = %request.method(),
                                path = %request.uri().path(),
                                request_id = %request_id,
                                user_id = tracing::field::Empty,
                                operation = tracing::field::Empty,
                            );
                            crate::telemetry::continue_trace(&span, request.headers());
                            span
                        })
                        .on_request(())
                        // One line per request, its latency a number (milliseconds).
                        .on_response(
                            |response: &axum::http::Response<_>, latency: Duration, _: &tracing::Span| {
                                tracing::info!(
                                    status = response.status().as_u16(),
                                    latency_ms = latency.as_secs_f64() * 1000.0,
                                    "request finished"
                                );
                            },
                        ),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::new())
                .layer(cors)
                .layer(CompressionLayer::new()),
        )
}

/// Ready when the database answers.
#[tracing::instrument(level = "debug", skip_all)]
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
