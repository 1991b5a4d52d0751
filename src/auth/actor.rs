//! How a request's access token becomes its actor ([`Actor`], which lives in `access` beside
//! the scope it confines every read and write to, so that the audit trail and the tree need
//! not depend on authentication).

use super::tokens::{Claims, TokenError};
pub use crate::access::{Actor, Scope, in_scope};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, tr};

impl Actor {
    /// The actor a verified access token speaks for; `None` when its claims do not fit.
    pub fn from_claims(claims: &Claims, request_id: Option<String>) -> Option<Actor> {
        let user_id = claims.sub.parse().ok()?;
        let role = Role::parse(&claims.role)?;
        if role != Role::Admin && claims.org.is_none() {
            return None;
        }
        Some(Actor {
            user_id,
            role,
            unit_id: claims.org,
            request_id,
        })
    }
}

/// The state of authentication for one request.
#[derive(Debug, Clone)]
pub enum Authentication {
    Anonymous,
    Refused(TokenError),
    Actor(Actor),
}

impl Authentication {
    /// The actor, or `UNAUTHENTICATED` saying why there is none.
    pub fn actor(&self) -> AppResult<&Actor> {
        match self {
            Authentication::Actor(actor) => Ok(actor),
            Authentication::Anonymous => Err(AppError::Unauthenticated(tr!(
                "sign in first: send `Authorization: Bearer <accessToken>`",
                "hãy đăng nhập trước: gửi `Authorization: Bearer <accessToken>`"
            ))),
            Authentication::Refused(TokenError::Expired) => Err(AppError::Unauthenticated(tr!(
                "the access token has expired; refresh the session",
                "mã truy cập đã hết hạn; hãy làm mới phiên đăng nhập"
            ))),
            Authentication::Refused(TokenError::Invalid) => Err(AppError::Unauthenticated(tr!(
                "the access token is not valid",
                "mã truy cập không hợp lệ"
            ))),
        }
    }
}
