//! The rulebook (versioned thresholds, deadlines and limits) and the working-day calendar
//! (public holidays), both data the administrator maintains: `store` reads them for every
//! feature, `clocks` keeps each candidate's stored deadline by them, `service` changes them.

pub mod clocks;
pub mod graphql;
pub mod service;
pub mod store;
