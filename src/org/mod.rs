//! The organisation tree: units, their place in the tree over time, residential areas, and
//! who decides admissions for a grassroots organisation.

pub mod graphql;
pub mod service;
pub mod tree;
