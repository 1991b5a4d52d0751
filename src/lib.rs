//! Ketnap: a GraphQL API server for the admission of new Party members (kết nạp đảng viên).
//!
//! Each feature lives in its own folder with the same shape: `service.rs` holds the use
//! cases, `graphql.rs` the API types and its Query/Mutation segment. `domain/` holds the
//! pure rules. `graphql/` is the toolkit features build their API with; `api/` merges the
//! segments into one schema and serves it.

// The merged Query and Mutation roots nest every feature's resolvers in one future; its
// layout is deeper than the compiler's default query depth allows.
#![recursion_limit = "256"]

pub mod access;
pub(crate) mod accounts;
pub mod allocator;
pub mod api;
pub(crate) mod audit;
pub mod auth;
pub(crate) mod candidates;
pub mod cli;
pub mod clock;
pub mod columns;
pub mod db;
/// The pure domain, a crate of its own in `src/domain/` so that it cannot import the server.
pub(crate) use ketnap_domain as domain;
pub(crate) mod error;
pub mod events;
pub mod files;
pub mod filestore;
pub mod graphql;
pub(crate) mod live;
pub(crate) mod members;
pub mod org;
pub mod replica;
pub(crate) mod reports;
pub(crate) mod rules;
pub mod seed;
pub mod settings;
pub mod startup;
pub mod state;
pub(crate) mod targets;
pub mod telemetry;
pub(crate) mod training;
