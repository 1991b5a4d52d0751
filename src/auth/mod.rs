//! Authentication machinery: access and refresh tokens, password hashing, the login
//! throttle, reporting accounts' API tokens and the actor of each request. The accounts
//! and sessions built on it are `crate::accounts`.
//!
//! Access tokens are short-lived HS256 JWTs; refresh tokens are opaque, stored hashed and
//! rotated on every use, and presenting one twice revokes its whole family.

use std::time::Duration;

pub(crate) mod actor;
pub(crate) mod password;
pub(crate) mod request;
pub(crate) mod throttle;
pub mod tokens;

use crate::settings::Settings;

/// The authentication machinery one server holds.
pub struct Auth {
    pub tokens: tokens::TokenKeys,
    pub passwords: password::Passwords,
    pub throttle: throttle::LoginThrottle,
    pub refresh_ttl: chrono::Duration,
    /// The absolute lifetime of a session, from sign-in.
    pub session_max: chrono::Duration,
}

impl Auth {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let auth = &settings.auth;
        Ok(Auth {
            tokens: tokens::TokenKeys::from_settings(auth, settings.mode)?,
            passwords: password::Passwords::new(auth.password_hash_concurrency)?,
            throttle: throttle::LoginThrottle::new(
                Duration::from_secs(auth.login_throttle_window_secs),
                auth.login_failures_per_account,
                auth.login_failures_per_address,
            ),
            refresh_ttl: chrono::Duration::hours(auth.refresh_token_ttl_hours as i64),
            session_max: chrono::Duration::hours(auth.session_max_hours as i64),
        })
    }
}
