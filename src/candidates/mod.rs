//! Candidates and their path from the source list to full membership: every step an act
//! named after what the Party body does, checked against the actor, the stage machine and
//! the rulebook in force on the act's date, recorded with its audit event.
//!
//! One file per phase of the path, each holding its inputs, their conversion and its acts:
//! `source_list` (with `readmission`), `mentoring`, `dossier` (training and papers),
//! `introductions`, `verification` (background verification), `consent` (cases needing a higher committee's consent), `admission`, `recognition` (and striking off), `transfer`; `records`
//! holds the tallies and decisions they share. `service` is the pipeline every act goes
//! through and the list queries; `graphql` the candidate as the API shows it (`papers` its
//! records, `checklist` its dossier as a clerk checks it, `query` the lists); `mutations` names every act as a mutation.

mod admission;
mod checklist;
mod consent;
mod dossier;
pub mod graphql;
mod introductions;
mod mentoring;
pub mod mutations;
pub mod papers;
pub mod query;
mod readmission;
mod recognition;
mod records;
mod rows;
pub mod service;
mod source_list;
mod transfer;
mod verification;

/// Every act and its input, by name, for callers outside the API (the demo seed).
pub mod acts {
    pub use super::admission::*;
    pub use super::consent::*;
    pub use super::dossier::*;
    pub use super::introductions::*;
    pub use super::mentoring::*;
    pub use super::recognition::*;
    pub use super::records::*;
    pub use super::service::Subject;
    pub use super::source_list::*;
    pub use super::transfer::*;
    pub use super::verification::*;
}
