//! Ketnap: a GraphQL API server for the admission of new Party members (kết nạp đảng viên).
//!
//! Each feature lives in its own folder with the same shape: `service.rs` holds the use
//! cases, `graphql.rs` the API types and its Query/Mutation segment. `domain/` holds the
//! pure rules. `graphql/` is the toolkit features build their API with; `api/` merges the
//! segments into one schema and serves it.

pub mod access;
pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod candidates;
pub mod cli;
pub mod clock;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod members;
pub mod org;
pub mod reports;
pub mod rules;
pub mod seed;
pub mod settings;
pub mod startup;
pub mod state;
pub mod targets;
pub mod telemetry;
pub mod training;
