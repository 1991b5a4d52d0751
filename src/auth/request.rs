//! The actor of an HTTP request, from its `Authorization` header.

use axum::http::{HeaderMap, header};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entity::{api_token, app_user};

use super::actor::{Actor, Authentication};
use super::tokens::{TokenError, TokenKeys, refresh_token_hash};
use crate::domain::role::{AccountType, Role};
use crate::error::{AppResult, tr};

/// Every API token starts with this, so it is told apart from an access token at once.
pub const API_TOKEN_PREFIX: &str = "ktn_";

/// The actor of a request outside GraphQL (a download), or `UNAUTHENTICATED` saying why
/// there is none; the request id is taken from the request's header.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn require_actor(db: &DatabaseConnection, keys: &TokenKeys, headers: &HeaderMap) -> AppResult<Actor> {
    let request_id = headers
        .get(crate::telemetry::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match authenticate(db, keys, headers, request_id).await {
        Authentication::Actor(actor) => Ok(actor),
        other => Err(other
            .actor()
            .err()
            .unwrap_or_else(|| crate::error::AppError::Unauthenticated(tr!("sign in first", "hãy đăng nhập trước")))),
    }
}

/// The actor of a request, from its bearer token: an access token (JWT) or a reporting
/// account's API token (`ktn_…`). Used by every authenticated route.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn authenticate(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    headers: &HeaderMap,
    request_id: &str,
) -> Authentication {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Authentication::Anonymous;
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    let Some(token) = token.map(str::trim) else {
        return Authentication::Refused(TokenError::Invalid);
    };
    if token.starts_with(API_TOKEN_PREFIX) {
        return match api_token_actor(db, token, Some(request_id.to_string())).await {
            Ok(Some(actor)) => Authentication::Actor(actor),
            Ok(None) => Authentication::Refused(TokenError::Invalid),
            Err(err) => {
                tracing::error!(error = ?err, "checking an API token failed");
                Authentication::Refused(TokenError::Invalid)
            }
        };
    }
    match keys.verify(token) {
        Ok(claims) => match Actor::from_claims(&claims, Some(request_id.to_string())) {
            Some(actor) => Authentication::Actor(actor),
            None => Authentication::Refused(TokenError::Invalid),
        },
        Err(err) => Authentication::Refused(err),
    }
}

/// The reporting actor a presented API token stands for, if it is valid.
#[tracing::instrument(level = "debug", skip_all)]
async fn api_token_actor(db: &DatabaseConnection, token: &str, request_id: Option<String>) -> AppResult<Option<Actor>> {
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(refresh_token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if row.revoked_at.is_some() || row.expires_on.is_some_and(|d| d <= crate::clock::today()) {
        return Ok(None);
    }
    let Some(account) = app_user::Entity::find_by_id(row.user_id).one(db).await? else {
        return Ok(None);
    };
    if !account.is_active || account.account_type != AccountType::Reporter {
        return Ok(None);
    }
    let Some(unit_id) = account.org_unit_id else {
        return Ok(None);
    };
    // Record use at most every few minutes, not on every request.
    if row.last_used_at.is_none_or(|t| now - t > Duration::minutes(5)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some(Actor {
        user_id: account.id,
        role: Role::Reporter,
        unit_id: Some(unit_id),
        request_id,
    }))
}
