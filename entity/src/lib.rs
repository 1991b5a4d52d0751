//! SeaORM entities: persistence only. They are never exposed through GraphQL; the API
//! types in the server crate are built from them, so a column can change without the
//! public schema changing.

pub mod app_user;
pub mod audit_event;
pub mod org_unit;
pub mod org_unit_closure;
pub mod refresh_token;
pub mod residential_area;
