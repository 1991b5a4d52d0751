//! Use cases of accounts and sessions: sign in, refresh, sign out, create and deactivate
//! accounts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

use entity::{app_user, org_unit, refresh_token};

use crate::audit::service::{self as audit, Event};
use crate::auth::Auth;
use crate::auth::actor::{Actor, Scope, in_scope};
use crate::auth::password;
use crate::auth::tokens::{new_refresh_token, refresh_token_hash};
use crate::domain::role::{AccountType, Role};
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, noun, tr};
use crate::org::service as org;

pub const ENTITY: &str = "User";

/// A username: lower case, 3 to 64 of `a-z 0-9 . _ -`.
pub fn parse_username(input: &str) -> AppResult<String> {
    let name = input.trim().to_lowercase();
    let valid = (3..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !valid {
        return Err(AppError::validation(
            "username",
            tr!(
                "3 to 64 of a-z, 0-9, '.', '_' or '-'",
                "từ 3 đến 64 ký tự a-z, 0-9, '.', '_' hoặc '-'"
            ),
        ));
    }
    Ok(name)
}

/// A signed-in session as handed to the client.
pub struct Session {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub user: app_user::Model,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated(tr!(
        "invalid username or password",
        "tên đăng nhập hoặc mật khẩu không đúng"
    ))
}

/// `reason` completes "the refresh token …" in both languages.
fn refresh_refused(reason: Text) -> AppError {
    let (reason_en, reason_vi) = (reason.en(), reason.vi());
    AppError::Unauthenticated(tr!(
        "the refresh token {reason_en}; sign in again",
        "mã làm mới {reason_vi}; hãy đăng nhập lại"
    ))
}

/// The role an account acts in, and its unit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn role_of(db: &impl ConnectionTrait, user: &app_user::Model) -> AppResult<(Role, Option<i32>)> {
    let account_type = user.account_type;
    let kind = match user.org_unit_id {
        Some(unit_id) => {
            let unit = org_unit::Entity::find_by_id(unit_id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("account {} refers to a missing unit", user.id)))?;
            Some(unit.kind)
        }
        None => None,
    };
    let role = account_type
        .role(kind)
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("account {} has no unit to act for", user.id)))?;
    Ok((role, user.org_unit_id))
}

/// Sign in. An unknown account, a wrong password and a deactivated account answer alike
/// and take the same time (one argon2 verification each). Failures are throttled per
/// account name and per client address.
#[tracing::instrument(name = "login", skip_all)]
pub async fn login(
    db: &DatabaseConnection,
    auth: &Auth,
    username: &str,
    password: &str,
    client_address: Option<&str>,
) -> AppResult<Session> {
    let username = username.trim().to_lowercase();
    let counted = crate::auth::throttle::LoginThrottle::keys(&username, client_address);
    auth.throttle.attempt(db, &counted, Utc::now().timestamp()).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(&username))
        .one(db)
        .await?;
    let verified = auth
        .passwords
        .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
        .await?;
    let user = match user {
        Some(user) if verified && user.is_active => user,
        _ => return Err(invalid_credentials()),
    };
    auth.throttle.succeeded(db, &counted, Utc::now().timestamp()).await?;
    let txn = crate::db::begin_write(db).await?;
    let mut active = user.into_active_model();
    active.last_login_at = Set(Some(Utc::now()));
    let user = active.update(&txn).await?;
    let family = uuid::Uuid::new_v4().to_string();
    let session = open_session(&txn, auth, user, family, Utc::now()).await?;
    txn.commit().await?;
    Ok(session)
}

/// Issue an access token and a new refresh token in `family`, the session signed in at
/// `started`. The refresh token never outlives the session.
#[tracing::instrument(level = "debug", skip_all)]
async fn open_session(
    txn: &impl ConnectionTrait,
    auth: &Auth,
    user: app_user::Model,
    family: String,
    started: DateTime<Utc>,
) -> AppResult<Session> {
    let (role, unit) = role_of(txn, &user).await?;
    let now = Utc::now();
    let (access_token, access_token_expires_at) = auth.tokens.issue(user.id, role, unit, now)?;
    let refresh_token = new_refresh_token()?;
    let refresh_token_expires_at = std::cmp::min(now + auth.refresh_ttl, started + auth.session_max);
    refresh_token::ActiveModel {
        user_id: Set(user.id),
        family_id: Set(family),
        session_started_at: Set(started),
        token_hash: Set(refresh_token_hash(&refresh_token)),
        issued_at: Set(now),
        expires_at: Set(refresh_token_expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Session {
        access_token,
        access_token_expires_at,
        refresh_token,
        refresh_token_expires_at,
        user,
    })
}

/// Exchange a refresh token for a new pair. Each token works once: presenting a used one
/// means it leaked, so the whole family (every token descended from that sign-in) is revoked.
#[tracing::instrument(name = "refresh_session", skip_all)]
pub async fn refresh(db: &DatabaseConnection, auth: &Auth, token: &str) -> AppResult<Session> {
    let hash = refresh_token_hash(token);
    let stored = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(&hash))
        .one(db)
        .await?
        .ok_or_else(|| refresh_refused(Text::fixed("is not recognised", "không hợp lệ")))?;
    let now = Utc::now();
    if stored.revoked_at.is_some() {
        return Err(refresh_refused(Text::fixed("has been revoked", "đã bị thu hồi")));
    }
    if stored.expires_at <= now {
        return Err(refresh_refused(Text::fixed("has expired", "đã hết hạn")));
    }
    if stored.session_started_at + auth.session_max <= now {
        return Err(refresh_refused(Text::fixed(
            "belongs to a session that has reached its maximum length",
            "thuộc phiên đăng nhập đã hết thời gian tối đa",
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    // Claim the token atomically: of two concurrent refreshes with one token, one wins.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(stored.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        txn.rollback().await?;
        revoke_family(db, &stored.family_id, now).await?;
        tracing::warn!(user_id = stored.user_id, family = %stored.family_id, "refresh token reused: session family revoked");
        return Err(refresh_refused(Text::fixed(
            "was already used, so the session has been closed for safety",
            "đã được sử dụng, nên phiên đăng nhập đã bị đóng để bảo đảm an toàn",
        )));
    }
    let user = app_user::Entity::find_by_id(stored.user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| refresh_refused(Text::fixed("belongs to no account", "không thuộc tài khoản nào")))?;
    if !user.is_active {
        txn.rollback().await?;
        revoke_family(db, &stored.family_id, now).await?;
        return Err(refresh_refused(Text::fixed(
            "belongs to a deactivated account",
            "thuộc tài khoản đã bị vô hiệu hóa",
        )));
    }
    let session = open_session(&txn, auth, user, stored.family_id, stored.session_started_at).await?;
    txn.commit().await?;
    Ok(session)
}

#[tracing::instrument(level = "debug", skip_all)]
async fn revoke_family(db: &impl ConnectionTrait, family: &str, now: DateTime<Utc>) -> AppResult<u64> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Sign out: revoke the session the refresh token belongs to. Unknown tokens are ignored,
/// so signing out twice is harmless.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<bool> {
    let stored = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(refresh_token_hash(token)))
        .one(db)
        .await?;
    match stored {
        Some(stored) => Ok(revoke_family(db, &stored.family_id, Utc::now()).await? > 0),
        None => Ok(false),
    }
}

/// An account in scope: the actor's own, or one acting for a unit in the actor's subtree.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_user(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<app_user::Model> {
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::not_found(noun::USER))?;
    if user.id == actor.user_id {
        return Ok(user);
    }
    let visible = match (actor.scope(), user.org_unit_id) {
        (Scope::All, _) => true,
        (Scope::Subtree(_) | Scope::Nothing, None) => false,
        (scope, Some(unit)) => org_unit::Entity::find_by_id(unit)
            .filter(in_scope(org_unit::Column::Id, scope))
            .one(db)
            .await?
            .is_some(),
    };
    if visible {
        Ok(user)
    } else {
        Err(AppError::not_found(noun::USER))
    }
}

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub account_type: AccountType,
    pub org_unit_id: Option<i32>,
    /// Reporting accounts only: their minimum cell size (default: the server's).
    pub min_cell_size: Option<i32>,
}

/// Create an account. From the API (`actor` given), an administrator creates any account
/// and staff create staff accounts for units strictly below their own; from the command
/// line (`actor` `None`) anything goes.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_user(
    db: &DatabaseConnection,
    passwords: &password::Passwords,
    actor: Option<&Actor>,
    cmd: NewUser,
) -> AppResult<app_user::Model> {
    password::check_policy(&cmd.password)?;
    let display_name = text::parse_label(&cmd.display_name, 200).map_err(|m| AppError::validation("displayName", m))?;
    match (cmd.account_type, cmd.org_unit_id) {
        (AccountType::Admin, Some(_)) => {
            return Err(AppError::validation(
                "orgUnitId",
                tr!(
                    "an administrator acts for no unit",
                    "tài khoản quản trị không gắn với tổ chức đảng nào"
                ),
            ));
        }
        (AccountType::Staff | AccountType::Reporter, None) => {
            return Err(AppError::validation(
                "orgUnitId",
                tr!(
                    "a staff or reporting account acts for a unit",
                    "tài khoản cán bộ hoặc tài khoản báo cáo phải gắn với một tổ chức đảng"
                ),
            ));
        }
        _ => {}
    }
    if let Some(size) = cmd.min_cell_size {
        if cmd.account_type != AccountType::Reporter {
            return Err(AppError::validation(
                "minCellSize",
                tr!(
                    "only reporting accounts have a minimum cell size",
                    "chỉ tài khoản báo cáo mới có cỡ ô tối thiểu"
                ),
            ));
        }
        if !(1..=100).contains(&size) {
            return Err(AppError::validation(
                "minCellSize",
                tr!("from 1 to 100", "từ 1 đến 100"),
            ));
        }
    }
    if let Some(actor) = actor {
        actor.require_staff()?;
        if !actor.is_admin() {
            if cmd.account_type != AccountType::Staff {
                return Err(AppError::forbidden(tr!(
                    "only an administrator creates administrator or reporting accounts",
                    "chỉ tài khoản quản trị mới được tạo tài khoản quản trị hoặc tài khoản báo cáo"
                )));
            }
            if cmd.org_unit_id == actor.unit_id {
                return Err(AppError::forbidden(tr!(
                    "accounts of a unit are created by its superior",
                    "tài khoản của một tổ chức đảng do cấp ủy cấp trên tạo"
                )));
            }
        }
    }
    let password_hash = passwords.hash(&cmd.password).await?;
    let txn = crate::db::begin_write(db).await?;
    let user = insert_user(&txn, actor, cmd, display_name, password_hash).await?;
    txn.commit().await?;
    Ok(user)
}

/// Store a checked account inside `txn`; its unit must be in the actor's scope.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_user(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    cmd: NewUser,
    display_name: String,
    password_hash: String,
) -> AppResult<app_user::Model> {
    if let Some(unit_id) = cmd.org_unit_id {
        let scope = actor.map_or(Scope::All, Actor::scope);
        org::find(txn, scope, unit_id).await?;
    }
    let now = Utc::now();
    let user = app_user::ActiveModel {
        username: Set(cmd.username),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        account_type: Set(cmd.account_type),
        org_unit_id: Set(cmd.org_unit_id),
        is_active: Set(true),
        last_login_at: Set(None),
        min_cell_size: Set(cmd.min_cell_size),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(txn, actor, user_event("createUser", &user, None)).await?;
    Ok(user)
}

/// Deactivate or reactivate an account. Deactivation revokes its sessions at once; access
/// tokens already issued lapse within their lifetime (at most 15 minutes).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i32,
    active: bool,
) -> AppResult<app_user::Model> {
    actor.require_staff()?;
    let txn = crate::db::begin_write(db).await?;
    let before = find_user(&txn, actor, user_id).await?;
    if before.id == actor.user_id {
        return Err(AppError::forbidden(tr!(
            "an account cannot change its own status",
            "tài khoản không thể tự thay đổi trạng thái của chính mình"
        )));
    }
    if !actor.is_admin() && (before.org_unit_id == actor.unit_id || before.account_type != AccountType::Staff) {
        return Err(AppError::forbidden(tr!(
            "accounts are managed by the superior of their unit or an administrator",
            "tài khoản do cấp ủy cấp trên của tổ chức đảng hoặc tài khoản quản trị quản lý"
        )));
    }
    let mut user = before.clone().into_active_model();
    user.is_active = Set(active);
    user.updated_at = Set(Utc::now());
    let after = user.update(&txn).await?;
    if !active {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(refresh_token::Column::UserId.eq(after.id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
    }
    let act = if active { "reactivateUser" } else { "deactivateUser" };
    audit::record(&txn, Some(actor), user_event(act, &after, Some(&before))).await?;
    txn.commit().await?;
    Ok(after)
}

/// An account as the audit trail keeps it: never the password hash.
fn user_event(act: &'static str, after: &app_user::Model, before: Option<&app_user::Model>) -> Event {
    let view = |u: &app_user::Model| {
        json!({
            "id": u.id,
            "username": u.username,
            "displayName": u.display_name,
            "accountType": u.account_type,
            "orgUnitId": u.org_unit_id,
            "isActive": u.is_active,
        })
    };
    Event {
        act,
        entity_type: ENTITY,
        entity_id: after.id,
        unit_id: after.org_unit_id,
        before: before.map(view),
        after: Some(view(after)),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_username;

    #[test]
    fn usernames_are_normalised_and_bounded() {
        assert_eq!(parse_username("  Demo.Branch ").unwrap(), "demo.branch");
        assert!(parse_username("ab").is_err());
        assert!(parse_username("ngườidùng").is_err());
    }
}
