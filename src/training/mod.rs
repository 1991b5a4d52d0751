//! Training courses: the awareness course for candidates and the new-member course for
//! probationers, organised by a political centre (district, province, or since 2025 a
//! commune). Enrolment and certificates are acts on the candidate.

pub mod graphql;
pub mod service;
