//! The acting account of one request, built once from its access token, and the scope
//! every read and write is confined to.

use super::tokens::{Claims, TokenError};
pub use crate::access::{Scope, in_scope, subtree_ids};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub role: Role,
    /// The unit the account acts for; `None` only for an administrator.
    pub unit_id: Option<i32>,
    /// Ties audit events and logs to the HTTP request.
    pub request_id: Option<String>,
}

impl Actor {
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

    pub fn scope(&self) -> Scope {
        match (self.role, self.unit_id) {
            (Role::Admin, _) | (_, None) => Scope::All,
            (_, Some(unit)) => Scope::Subtree(unit),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Refuse reporting accounts, which read aggregates only.
    pub fn require_staff(&self) -> AppResult<()> {
        if self.role == Role::Reporter {
            return Err(AppError::forbidden(
                "reporting accounts may read aggregate reports only",
            ));
        }
        Ok(())
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
            Authentication::Anonymous => Err(AppError::Unauthenticated(
                "sign in first: send `Authorization: Bearer <accessToken>`".into(),
            )),
            Authentication::Refused(TokenError::Expired) => Err(AppError::Unauthenticated(
                "the access token has expired; refresh the session".into(),
            )),
            Authentication::Refused(TokenError::Invalid) => {
                Err(AppError::Unauthenticated("the access token is not valid".into()))
            }
        }
    }
}
