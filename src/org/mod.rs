//! The organisation tree: units, their place in the tree over time, residential areas, and
//! who decides admissions for a grassroots organisation.
//!
//! `service` creates, renames, moves and closes units; `delegation`, `succession` and
//! `areas` hold the dated delegations, the mergers and splits, and the residential areas;
//! `tree` reads the closure table; `graphql` and `mutations` are the API.

pub(crate) mod areas;
pub(crate) mod delegation;
pub(crate) mod graphql;
pub(crate) mod mutations;
mod rows;
pub(crate) mod service;
pub(crate) mod succession;
pub mod tree;
