//! Pure domain: value types and rules with no database, no GraphQL and no I/O.
//!
//! Everything here is deterministic and unit-tested beside its definition; the services
//! in the feature folders load data, call these rules and persist the outcome.

pub mod org;
pub mod role;
pub mod text;
