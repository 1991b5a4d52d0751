//! The reports districts, dashboards and reporting tools read: admissions against targets,
//! who the new members are, the funnel from course to admission, training, the pipeline,
//! and residential-area coverage. Every figure is aggregated in the database (`GROUP BY`
//! over indexed columns); no person's row reaches the server. A unit's subtree is taken as
//! it was on each record's date, so a commune moved to the province in 2025 still counts
//! for its district in 2023.

pub mod breakdown;
pub mod csv;
pub mod graphql;
pub mod objects;
pub mod service;
pub mod sheet;
pub mod summaries;
