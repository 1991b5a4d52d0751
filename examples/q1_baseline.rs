//! The benchmark's hand-written baseline (`benches/scale.py`): Q1, the first 50 candidates
//! of the signed-in account's subtree with their branch and its parent and the total, in
//! the minimal SQL (one page statement with its joins, one count) and the same JSON Ketnap
//! answers, from an axum handler over a sqlx pool. It checks the bearer token as Ketnap
//! does (HS256, issuer and audience) and takes the unit from it; nothing else.
//!
//! `KETNAP_DATABASE_URL=postgres://… KETNAP_JWT_SECRET=… q1_baseline PORT`

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sqlx::postgres::{PgPool, PgPoolOptions};

/// The page: candidates of the subtree by id, each with its branch and the branch's parent.
const PAGE: &str = "SELECT c.id, c.full_name, b.name, p.name FROM candidate c \
    JOIN org_unit b ON b.id = c.branch_id LEFT JOIN org_unit p ON p.id = b.parent_id \
    WHERE c.branch_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = $1 AND valid_to IS NULL) \
    ORDER BY c.id LIMIT 50";
/// The total of the same subtree.
const COUNT: &str = "SELECT COUNT(*) FROM candidate c \
    WHERE c.branch_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = $1 AND valid_to IS NULL)";

struct App {
    pool: PgPool,
    key: DecodingKey,
    validation: Validation,
}

#[derive(serde::Deserialize)]
struct Claims {
    org: Option<i32>,
}

fn id(typename: &str, id: i32) -> String {
    URL_SAFE_NO_PAD.encode(format!("{typename}:{id}"))
}

async fn q1(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(unit) = token
        .and_then(|t| jsonwebtoken::decode::<Claims>(t, &app.key, &app.validation).ok())
        .and_then(|t| t.claims.org)
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let page = sqlx::query_as::<_, (i32, String, String, Option<String>)>(PAGE)
        .bind(unit)
        .fetch_all(&app.pool);
    let count = sqlx::query_scalar::<_, i64>(COUNT).bind(unit).fetch_one(&app.pool);
    let (page, count) = match tokio::try_join!(page, count) {
        Ok(answer) => answer,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let edges: Vec<Value> = page
        .into_iter()
        .map(|(candidate, full_name, branch, parent)| {
            json!({ "node": {
                "id": id("Candidate", candidate),
                "fullName": full_name,
                "branch": { "name": branch, "parent": parent.map(|name| json!({ "name": name })) },
            }})
        })
        .collect();
    Json(json!({ "data": { "candidates": { "totalCount": count, "edges": edges } } })).into_response()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("KETNAP_DATABASE_URL")?;
    let secret = std::env::var("KETNAP_JWT_SECRET")?;
    let port: u16 = std::env::args().nth(1).unwrap_or_else(|| "8091".into()).parse()?;
    // Each statement planned for its unit: the generic plan of a prepared statement assumes
    // a subtree of a few units and scans every candidate for a district.
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(conn, "SET plan_cache_mode = force_custom_plan").await?;
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["ketnap"]);
    validation.set_audience(&["ketnap-api"]);
    let app = Arc::new(App {
        pool,
        key: DecodingKey::from_secret(secret.as_bytes()),
        validation,
    });
    let router = Router::new().route("/graphql", post(q1)).with_state(app);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, router).await?;
    Ok(())
}
