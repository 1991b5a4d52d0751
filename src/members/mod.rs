//! The member registry: official and probationary members of each branch. The workflow
//! needs it for mentors, introducers and the branch's official-member count; existing
//! members arrive by CSV import.

mod cells;
pub mod graphql;
pub mod import;
pub mod service;
pub mod spreadsheet;
