//! Prometheus metrics at `/metrics` (text exposition format): GraphQL operations by name and
//! outcome with their latency, acts by kind, failed sign-ins, the database pools in use and
//! the subscriptions held. Labels are bounded: operation names are the client's words, so
//! only the first [`MAX_OPERATION_NAMES`] well-formed ones get a series of their own; the
//! rest count as `other`.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use async_graphql::Response;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sea_orm::DatabaseConnection;

use crate::state::AppState;

/// How many operation names get series of their own.
pub const MAX_OPERATION_NAMES: usize = 200;

type Labels = Vec<(&'static str, String)>;

/// The latency buckets, in seconds: from a millisecond to ten seconds.
fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

pub struct Metrics {
    registry: Registry,
    operations: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    acts: Family<Labels, Counter>,
    login_failures: Family<Labels, Counter>,
    pool: Family<Labels, Gauge>,
    subscriptions: Gauge,
    names: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("ketnap");
        let operations = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let acts = Family::<Labels, Counter>::default();
        let login_failures = Family::<Labels, Counter>::default();
        let pool = Family::<Labels, Gauge>::default();
        let subscriptions = Gauge::default();
        registry.register(
            "graphql_operations",
            "GraphQL operations answered, by operation name and outcome (ok, or the first error's code)",
            operations.clone(),
        );
        registry.register(
            "graphql_operation_duration_seconds",
            "Time to answer a GraphQL operation, by operation name",
            latency.clone(),
        );
        registry.register("acts", "Mutations that succeeded, by their name", acts.clone());
        registry.register(
            "login_failures",
            "Sign-ins refused, by code (UNAUTHENTICATED, RATE_LIMITED)",
            login_failures.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Connections of the database pools, by pool and state (idle, in_use)",
            pool.clone(),
        );
        registry.register(
            "subscriptions",
            "Subscriptions held by this process",
            subscriptions.clone(),
        );
        Metrics {
            registry,
            operations,
            latency,
            acts,
            login_failures,
            pool,
            subscriptions,
            names: Mutex::new(HashSet::new()),
        }
    }

    /// The operation's label: the name of a signed-in account's operation among the first
    /// ones seen (else `other`, or `unnamed`), `anonymous` for one without an account, and
    /// `refused` for one that never ran, so that no client fills the series with names.
    fn name_label(&self, operation: Operation<'_>) -> String {
        let name = match operation {
            Operation::Refused => return "refused".into(),
            Operation::Anonymous => return "anonymous".into(),
            Operation::Named(None) => return "unnamed".into(),
            Operation::Named(Some(name)) => name,
        };
        let well_formed = name.len() <= 64
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            return "other".into();
        }
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_string());
            name.to_string()
        } else {
            "other".into()
        }
    }

    /// Count one answered operation; for a mutation, the acts it did (its root fields that
    /// answered, by field name whatever their alias) and a refused sign-in.
    pub fn observe(&self, operation: Operation<'_>, roots: &[RootField], response: &Response, took: Duration) {
        let operation = self.name_label(operation);
        let outcome = response.errors.first().map_or_else(
            || "ok".to_string(),
            |e| {
                e.extensions
                    .as_ref()
                    .and_then(|ext| ext.get("code"))
                    .and_then(|code| match code {
                        async_graphql::Value::String(code) => Some(code.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| "error".into())
            },
        );
        self.operations
            .get_or_create(&vec![("operation", operation.clone()), ("outcome", outcome)])
            .inc();
        self.latency
            .get_or_create(&vec![("operation", operation)])
            .observe(took.as_secs_f64());
        if let async_graphql::Value::Object(fields) = &response.data {
            for root in roots {
                if fields
                    .get(root.key.as_str())
                    .is_some_and(|v| *v != async_graphql::Value::Null)
                {
                    self.acts.get_or_create(&vec![("act", root.field.clone())]).inc();
                }
            }
        }
        for error in &response.errors {
            let login = error.path.first().is_some_and(|p| {
                matches!(p, async_graphql::PathSegment::Field(key)
                    if roots.iter().any(|r| r.key == *key && r.field == "login"))
            });
            if login {
                let code = error
                    .extensions
                    .as_ref()
                    .and_then(|ext| ext.get("code"))
                    .map_or("error".to_string(), |c| c.to_string().trim_matches('"').to_string());
                self.login_failures.get_or_create(&vec![("code", code)]).inc();
            }
        }
    }

    /// The metrics as Prometheus reads them, with the pools and subscriptions read now.
    pub fn render(&self, state: &AppState) -> String {
        let pools = [("primary", &state.db), ("reports", state.reports.pick().0)];
        for (pool, db) in pools {
            let (size, idle) = pool_use(db);
            self.pool
                .get_or_create(&vec![("pool", pool.to_string()), ("state", "idle".into())])
                .set(idle);
            self.pool
                .get_or_create(&vec![("pool", pool.to_string()), ("state", "in_use".into())])
                .set(size - idle);
        }
        self.subscriptions
            .set(i64::try_from(state.events.subscriptions()).unwrap_or(i64::MAX));
        let mut text = String::new();
        if encode(&mut text, &self.registry).is_err() {
            tracing::error!("could not encode the metrics");
        }
        text
    }
}

/// What an operation is labelled by.
#[derive(Debug, Clone, Copy)]
pub enum Operation<'a> {
    /// It never ran (a refused persisted query, a bound crossed, a document that does not parse).
    Refused,
    /// It ran without an account.
    Anonymous,
    /// It ran for an account, with this name if it has one.
    Named(Option<&'a str>),
}

/// A root field of a mutation: its response key (an alias, or its name) and its name.
#[derive(Debug, Clone)]
pub struct RootField {
    pub key: String,
    pub field: String,
}

/// The root fields of the selected mutation of `document`, fragments read where they stand.
pub fn mutation_roots(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Vec<RootField> {
    use async_graphql::parser::types::{OperationType, Selection, SelectionSet};
    fn collect(
        set: &SelectionSet,
        document: &async_graphql::parser::types::ExecutableDocument,
        into: &mut Vec<RootField>,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => into.push(RootField {
                    key: field.node.response_key().node.to_string(),
                    field: field.node.name.node.to_string(),
                }),
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                        collect(&fragment.node.selection_set.node, document, into, depth + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    collect(&inline.node.selection_set.node, document, into, depth + 1)
                }
            }
        }
    }
    let mut roots = Vec::new();
    for (name, operation) in document.operations.iter() {
        let selected = match (operation_name, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        if selected && operation.node.ty == OperationType::Mutation {
            collect(&operation.node.selection_set.node, document, &mut roots, 0);
            break;
        }
    }
    roots
}

/// A pool's connections, open and idle.
fn pool_use(db: &DatabaseConnection) -> (i64, i64) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    (i64::from(size), i64::try_from(idle).unwrap_or(0))
}

/// `GET /metrics`: on its own listener (`--metrics-address`), or on the API's port with the
/// bearer token of `--metrics-token`, or open there in dev mode.
pub async fn scrape(
    State((state, metrics)): State<(AppState, std::sync::Arc<Metrics>)>,
    headers: HeaderMap,
) -> HttpResponse {
    if let Some(token) = &state.settings.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let same = sent.len() == token.expose().len()
            && sent
                .bytes()
                .zip(token.expose().bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return (StatusCode::UNAUTHORIZED, "send the metrics token as a bearer token").into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        metrics.render(&state),
    )
        .into_response()
}
