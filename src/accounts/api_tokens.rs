//! Long-lived API tokens for reporting accounts: shown once, stored as SHA-256, revocable,
//! and good only for the aggregate reports of the account's subtree.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use entity::{api_token, app_user};

use super::service::find_user;
use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::auth::tokens::{new_refresh_token, refresh_token_hash};
use crate::domain::role::AccountType;
use crate::error::{AppError, AppResult, noun, tr};

use crate::auth::request::API_TOKEN_PREFIX as PREFIX;

/// The reporting account `account_id`, if the actor may manage its tokens: an
/// administrator, or staff of a unit whose subtree holds the account's unit.
#[tracing::instrument(level = "debug", skip_all)]
async fn reporting_account(db: &DatabaseConnection, actor: &Actor, account_id: i32) -> AppResult<app_user::Model> {
    actor.require_staff()?;
    let account = find_user(db, actor, account_id).await?;
    if account.account_type != AccountType::Reporter {
        return Err(AppError::rule(
            "NOT_A_REPORTING_ACCOUNT",
            tr!(
                "API tokens are issued to reporting accounts only",
                "mã truy cập API chỉ được cấp cho tài khoản báo cáo"
            ),
        ));
    }
    Ok(account)
}

/// Issue a token; the plain token is returned once and never stored.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn issue(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i32,
    name: String,
    expires_on: Option<NaiveDate>,
) -> AppResult<(String, api_token::Model)> {
    let account = reporting_account(db, actor, account_id).await?;
    let name = crate::domain::text::parse_label(&name, 200).map_err(|m| AppError::validation("name", m))?;
    if expires_on.is_some_and(|d| d <= crate::clock::today()) {
        return Err(AppError::validation(
            "expiresOn",
            tr!("must be in the future", "phải là một ngày trong tương lai"),
        ));
    }
    let token = format!("{PREFIX}{}", new_refresh_token()?);
    let txn = crate::db::begin_write(db).await?;
    let row = api_token::ActiveModel {
        user_id: Set(account.id),
        name: Set(name),
        token_hash: Set(refresh_token_hash(&token)),
        prefix: Set(token.chars().take(12).collect()),
        expires_on: Set(expires_on),
        created_by_user_id: Set(actor.user_id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let view = json!({ "accountId": account.id, "name": row.name, "prefix": row.prefix, "expiresOn": row.expires_on });
    let event = Event::new("issueApiToken", "ApiToken", row.id, account.org_unit_id).after(&view)?;
    audit::commit(txn, actor, event).await?;
    Ok((token, row))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, token_id: i32) -> AppResult<api_token::Model> {
    let row = api_token::Entity::find_by_id(token_id)
        .one(db)
        .await?
        .ok_or(AppError::not_found(noun::API_TOKEN))?;
    let account = reporting_account(db, actor, row.user_id).await.map_err(|e| match e {
        AppError::Forbidden(_) => e,
        _ => AppError::not_found(noun::API_TOKEN),
    })?;
    let txn = crate::db::begin_write(db).await?;
    let mut active = row.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    let row = active.update(&txn).await?;
    let event = Event::new("revokeApiToken", "ApiToken", row.id, account.org_unit_id)
        .after(&json!({ "accountId": account.id, "prefix": row.prefix }))?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_account(db: &DatabaseConnection, actor: &Actor, account_id: i32) -> AppResult<Vec<api_token::Model>> {
    let account = reporting_account(db, actor, account_id).await?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(account.id))
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?)
}
