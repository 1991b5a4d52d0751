//! Demonstration data: a living organisation tree with accounts for every level, so a
//! newcomer can sign in and look around. Never loaded in production mode.

mod border_district;
pub mod demo;
pub mod demo_workflow;
pub mod history;
mod walk;
