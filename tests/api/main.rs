//! Integration tests: GraphQL over HTTP against the real server, each test on its own
//! database, every database test run on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod auth;
mod http;
mod org;
mod schema;
mod workflow;
mod workflow_access;
mod workflow_rules;
