//! The rulebook (versioned thresholds, deadlines and limits) and the working-day calendar
//! (public holidays), both data the administrator maintains.

pub mod graphql;
pub mod service;
