//! Accounts and sessions: users, sign-in, refresh and sign-out, and reporting accounts'
//! API tokens as the API shows them. The machinery beneath (tokens, passwords, the login
//! throttle, a request's actor) is `crate::auth`.

pub mod api_tokens;
pub mod graphql;
pub mod service;
