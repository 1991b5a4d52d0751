//! Pure domain: value types and rules with no database, no GraphQL and no I/O.
//!
//! Everything here is deterministic and unit-tested beside its definition; the services
//! in the feature folders load data, call these rules and persist the outcome.

pub(crate) mod macros;

pub mod background;
pub mod calendar;
pub mod checklist;
pub mod consent;
pub mod dates;
pub mod deadline;
pub mod disclosure;
pub mod dossier;
pub mod eligibility;
pub mod ethnicity;
pub mod figures;
pub mod files;
pub mod lang;
pub mod months;
pub mod org;
pub mod percent;
pub mod period;
pub mod person;
pub mod progress;
pub mod readmission;
pub mod role;
pub mod rulebook;
pub mod stage;
#[cfg(feature = "storage")]
pub mod storage;
pub mod succession;
pub mod text;
pub mod violation;
pub mod vote;

/// What the unit tests beside each rule share.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::NaiveDate;

    /// The date `y-m-day`, written as the rules' sources write it.
    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
}
