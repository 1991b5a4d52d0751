//! The audit trail: one append-only event per act, written in the same transaction as the
//! change it records. Nothing in the API updates or deletes an event.

pub mod service;
