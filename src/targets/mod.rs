//! Admission targets (chỉ tiêu kết nạp) per unit, per year and per five-year congress term,
//! set by the unit's superior.

pub mod graphql;
pub mod service;
