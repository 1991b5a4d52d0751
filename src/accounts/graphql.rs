//! Sign-in, sessions and accounts in the API.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use entity::app_user;

use super::service::{self, NewUser, Session};
use crate::access::Scope;
use crate::domain::role::AccountType;
use crate::error::AppError;
use crate::graphql::context::{ContextExt, Loaders, load};
use crate::graphql::relay::{expect_global_id, global_id};
use crate::org::graphql::OrgUnit;

crate::graphql::enums::mirror_enum! {
    /// What an account acts as. Staff accounts act at the level of their unit.
    UserRole => crate::domain::role::Role {
        /// System administrator (quản trị hệ thống).
        Admin,
        /// Staff of a province committee (tỉnh ủy).
        Province,
        /// Staff of a district or other superior committee (huyện ủy, đảng ủy cấp trên cơ sở).
        District,
        /// Staff of a commune grassroots committee (đảng ủy cơ sở).
        Commune,
        /// Staff of a section committee (đảng ủy bộ phận).
        Section,
        /// A branch secretary or committee member (chi bộ).
        Branch,
        /// A reporting integration: aggregate reports only, no personal data.
        Reporter,
    }
}

/// The kind of account to create.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// Staff acting for a unit; the role follows the unit's level.
    Staff,
    /// System administrator (acts for no unit).
    Admin,
    /// Reporting integration for a unit's subtree.
    Reporter,
}

impl From<AccountKind> for AccountType {
    fn from(kind: AccountKind) -> Self {
        match kind {
            AccountKind::Staff => AccountType::Staff,
            AccountKind::Admin => AccountType::Admin,
            AccountKind::Reporter => AccountType::Reporter,
        }
    }
}

pub struct User {
    pub model: app_user::Model,
    /// In the payload of a sign-in the request has no account yet: the account's own
    /// fields are read as the session just opened sees them.
    session: Option<Arc<Loaders>>,
}

impl User {
    pub const TYPENAME: &'static str = "User";

    pub fn new(model: app_user::Model) -> Self {
        User { model, session: None }
    }

    /// The account of a session just opened, read within that session's scope.
    fn signed_in(db: &DatabaseConnection, model: app_user::Model) -> Self {
        let scope = model.org_unit_id.map_or(Scope::All, Scope::Subtree);
        User {
            session: Some(Arc::new(Loaders::new(db, scope))),
            model,
        }
    }
}

/// An account (tài khoản).
#[Object]
impl User {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.model.id)
    }

    /// Sign-in name.
    async fn username(&self) -> &str {
        &self.model.username
    }

    /// Name shown to people.
    async fn display_name(&self) -> &str {
        &self.model.display_name
    }

    /// What the account acts as.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<UserRole> {
        let (role, _) = service::role_of(ctx.db()?, &self.model).await?;
        Ok(role.into())
    }

    /// The unit the account acts for (none for an administrator).
    async fn org_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        match self.model.org_unit_id {
            Some(id) => {
                let loaders = match &self.session {
                    Some(loaders) => loaders,
                    None => ctx.loaders()?,
                };
                Ok(load(&loaders.units, id).await?.map(OrgUnit))
            }
            None => Ok(None),
        }
    }

    /// Whether the account may sign in.
    async fn is_active(&self) -> bool {
        self.model.is_active
    }

    /// Last successful sign-in.
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.model.last_login_at
    }
}

/// A signed-in session.
#[derive(SimpleObject)]
pub struct SessionPayload {
    /// Bearer token for `Authorization: Bearer …`; valid for at most 15 minutes.
    access_token: String,
    /// When the access token stops working; refresh the session before then.
    access_token_expires_at: DateTime<Utc>,
    /// Single-use token for `refreshSession`. Keep it secret; using it twice ends the session.
    refresh_token: String,
    /// When the refresh token stops working: its own lifetime, never past the session's
    /// maximum length from sign-in.
    refresh_token_expires_at: DateTime<Utc>,
    /// The signed-in account.
    user: User,
}

impl SessionPayload {
    fn new(db: &DatabaseConnection, s: Session) -> Self {
        SessionPayload {
            access_token: s.access_token,
            access_token_expires_at: s.access_token_expires_at,
            refresh_token: s.refresh_token,
            refresh_token_expires_at: s.refresh_token_expires_at,
            user: User::signed_in(db, s.user),
        }
    }
}

/// A username and password to sign in with.
#[derive(InputObject)]
pub struct LoginInput {
    /// At most 64 characters.
    username: String,
    /// At most 128 characters.
    password: String,
}

/// The longest refresh token accepted: longer than any this server issues.
const MAX_REFRESH_TOKEN_CHARS: usize = 100;

/// The refresh token to exchange.
#[derive(InputObject)]
pub struct RefreshSessionInput {
    /// At most 100 characters.
    refresh_token: String,
}

/// The session to close, by its refresh token.
#[derive(InputObject)]
pub struct LogoutInput {
    /// At most 100 characters.
    refresh_token: String,
}

/// The outcome of signing out.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Whether a session was open and is now closed.
    revoked: bool,
}

/// Create an account.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// 3 to 64 of a-z, 0-9, `.`, `_` or `-`: at most 64 characters.
    username: String,
    /// At most 200 characters.
    display_name: String,
    /// At least 12 characters.
    /// At most 128 characters.
    password: String,
    /// Staff (default), administrator or reporting integration.
    #[graphql(default_with = "AccountKind::Staff")]
    kind: AccountKind,
    /// The unit the account acts for (not for an administrator).
    org_unit_id: Option<ID>,
    /// Reporting accounts only, 1 to 100: breakdown cells below this count are withheld
    /// from the account (default: the server's `--reporting-min-cell-size`, 3).
    min_cell_size: Option<i32>,
}

/// The account to deactivate or reactivate.
#[derive(InputObject)]
pub struct SetUserActiveInput {
    /// The account (`User.id`).
    id: ID,
}

/// The account created or changed.
#[derive(SimpleObject)]
pub struct UserPayload {
    /// The account as it now stands.
    user: User,
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in account.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let actor = ctx.actor()?;
        Ok(User::new(service::find_user(ctx.db()?, actor, actor.user_id).await?))
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Sign in (đăng nhập). A wrong username and a wrong password give the same answer;
    /// repeated failures answer `RATE_LIMITED` for a while.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: LoginInput,
    ) -> async_graphql::Result<SessionPayload> {
        let state = ctx.state()?;
        AppError::at_most("username", &input.username, 64)?;
        AppError::at_most("password", &input.password, crate::auth::password::MAX_PASSWORD_CHARS)?;
        let address = ctx.request_info()?.client_address.clone();
        let session = service::login(
            &state.db,
            &state.auth,
            &input.username,
            &input.password,
            address.as_deref(),
        )
        .await?;
        Ok(SessionPayload::new(&state.db, session))
    }

    /// Exchange a refresh token for a new access token and a new refresh token.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: RefreshSessionInput,
    ) -> async_graphql::Result<SessionPayload> {
        let state = ctx.state()?;
        AppError::at_most("refreshToken", &input.refresh_token, MAX_REFRESH_TOKEN_CHARS)?;
        let session = service::refresh(&state.db, &state.auth, &input.refresh_token).await?;
        Ok(SessionPayload::new(&state.db, session))
    }

    /// Sign out (đăng xuất): the refresh token and every token of its session stop working.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: LogoutInput,
    ) -> async_graphql::Result<LogoutPayload> {
        AppError::at_most("refreshToken", &input.refresh_token, MAX_REFRESH_TOKEN_CHARS)?;
        Ok(LogoutPayload {
            revoked: service::logout(ctx.db()?, &input.refresh_token).await?,
        })
    }

    /// Create an account. Administrators create any account; staff create staff accounts
    /// for units below their own.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: CreateUserInput,
    ) -> async_graphql::Result<UserPayload> {
        let state = ctx.state()?;
        let cmd = NewUser {
            username: service::parse_username(&input.username)?,
            display_name: input.display_name,
            password: input.password,
            account_type: input.kind.into(),
            org_unit_id: input
                .org_unit_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "orgUnitId"))
                .transpose()?,
            min_cell_size: input.min_cell_size,
        };
        let user = service::create_user(&state.db, &state.auth.passwords, Some(ctx.actor()?), cmd).await?;
        Ok(UserPayload { user: User::new(user) })
    }

    /// Deactivate an account: it cannot sign in or refresh, and loses access when its
    /// current access token expires.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: SetUserActiveInput,
    ) -> async_graphql::Result<UserPayload> {
        let id = expect_global_id(&input.id, User::TYPENAME, "id")?;
        Ok(UserPayload {
            user: User::new(service::set_active(ctx.db()?, ctx.actor()?, id, false).await?),
        })
    }

    /// Allow a deactivated account to sign in again.
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: SetUserActiveInput,
    ) -> async_graphql::Result<UserPayload> {
        let id = expect_global_id(&input.id, User::TYPENAME, "id")?;
        Ok(UserPayload {
            user: User::new(service::set_active(ctx.db()?, ctx.actor()?, id, true).await?),
        })
    }
}

pub struct ApiToken(pub entity::api_token::Model);

/// A reporting account's API token (the secret itself is shown only when issued).
#[Object]
impl ApiToken {
    /// ID of the token, as `revokeApiToken` takes it.
    async fn id(&self) -> ID {
        global_id("ApiToken", self.0.id)
    }
    /// What the token is for, as given when it was issued.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The token's first characters, to tell tokens apart.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    /// When the token was issued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Last day the token works; null when it works until revoked.
    async fn expires_on(&self) -> Option<crate::graphql::scalars::Date> {
        self.0.expires_on.map(crate::graphql::scalars::Date)
    }
    /// When the token was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// When the token last authenticated a request (to within 5 minutes); null if never used.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// Issue an API token to a reporting account.
#[derive(InputObject)]
pub struct IssueApiTokenInput {
    /// The reporting account.
    account_id: ID,
    /// What the token is for (e.g. "Dashboard Ban Tổ chức Huyện ủy").
    /// At most 200 characters.
    name: String,
    /// Last day of validity (default: until revoked).
    expires_on: Option<crate::graphql::scalars::Date>,
}

/// A newly issued API token, with its secret.
#[derive(SimpleObject)]
pub struct IssueApiTokenPayload {
    /// The secret, shown this once: send it as `Authorization: Bearer <token>`.
    token: String,
    /// The token's record, as `apiTokens` lists it.
    api_token: ApiToken,
}

/// The API token to revoke.
#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    /// The token (`ApiToken.id`).
    id: ID,
}

/// The API token revoked.
#[derive(SimpleObject)]
pub struct ApiTokenPayload {
    /// The token, now with `revokedAt`.
    api_token: ApiToken,
}

#[derive(Default)]
pub struct ApiTokenQuery;

#[Object]
impl ApiTokenQuery {
    /// The API tokens of a reporting account.
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account whose tokens these are.")] account_id: ID,
    ) -> async_graphql::Result<Vec<ApiToken>> {
        let account = expect_global_id(&account_id, User::TYPENAME, "accountId")?;
        let rows = super::api_tokens::of_account(ctx.db()?, ctx.actor()?, account).await?;
        Ok(rows.into_iter().map(ApiToken).collect())
    }
}

#[derive(Default)]
pub struct ApiTokenMutation;

#[Object]
impl ApiTokenMutation {
    /// Issue a long-lived API token to a reporting account: read-only, aggregate reports of
    /// the account's subtree only. By an administrator or staff above the account's unit.
    async fn issue_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: IssueApiTokenInput,
    ) -> async_graphql::Result<IssueApiTokenPayload> {
        AppError::at_most("name", &input.name, 200)?;
        let account = expect_global_id(&input.account_id, User::TYPENAME, "accountId")?;
        let (token, row) = super::api_tokens::issue(
            ctx.db()?,
            ctx.actor()?,
            account,
            input.name,
            input.expires_on.map(|d| d.0),
        )
        .await?;
        Ok(IssueApiTokenPayload {
            token,
            api_token: ApiToken(row),
        })
    }

    /// Revoke an API token: it stops working at once.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: RevokeApiTokenInput,
    ) -> async_graphql::Result<ApiTokenPayload> {
        let id = expect_global_id(&input.id, "ApiToken", "id")?;
        Ok(ApiTokenPayload {
            api_token: ApiToken(super::api_tokens::revoke(ctx.db()?, ctx.actor()?, id).await?),
        })
    }
}
