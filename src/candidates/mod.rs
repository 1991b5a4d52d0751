//! Candidates and their path from the source list to full membership: every step an act
//! named after what the Party body does, checked against the actor, the stage machine and
//! the rulebook in force on the act's date, recorded with its audit event.

pub mod acts;
pub mod graphql;
pub mod mutations;
pub mod service;
