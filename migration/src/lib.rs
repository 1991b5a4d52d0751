//! Ketnap's database migrations, for SQLite and PostgreSQL alike.
//!
//! Run by `ketnap migrate` and at server start-up; usable on its own as
//! `cargo run -p migration -- up` with `DATABASE_URL` set.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261122_000001_foundation;
mod m20261123_000002_workflow;
mod m20261124_000003_reports;
mod m20261201_000004_attribution;
mod m20261201_000005_session_lifetime;
mod m20261201_000006_scoped_citizen_id;
mod m20261201_000007_minimum_cell_size;
mod m20261201_000008_login_throttle;
mod m20261201_000009_clocks_from_their_acts;
mod m20261201_000010_dated_delegation;
mod m20261201_000011_votes_on_record;
mod m20261201_000012_replacement_introducers;
mod m20261201_000013_mergers;
mod m20261201_000014_readmission;
mod m20261201_000015_target_basis;
mod m20261201_000016_rulebook_inheritance;
mod m20261202_000017_scanned_files;
mod m20261202_000018_higher_consent;
mod m20261202_000019_background_verification;
mod m20261202_000020_audit_notifications;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261123_000002_workflow::Migration),
            Box::new(m20261124_000003_reports::Migration),
            Box::new(m20261201_000004_attribution::Migration),
            Box::new(m20261201_000005_session_lifetime::Migration),
            Box::new(m20261201_000006_scoped_citizen_id::Migration),
            Box::new(m20261201_000007_minimum_cell_size::Migration),
            Box::new(m20261201_000008_login_throttle::Migration),
            Box::new(m20261201_000009_clocks_from_their_acts::Migration),
            Box::new(m20261201_000010_dated_delegation::Migration),
            Box::new(m20261201_000011_votes_on_record::Migration),
            Box::new(m20261201_000012_replacement_introducers::Migration),
            Box::new(m20261201_000013_mergers::Migration),
            Box::new(m20261201_000014_readmission::Migration),
            Box::new(m20261201_000015_target_basis::Migration),
            Box::new(m20261201_000016_rulebook_inheritance::Migration),
            Box::new(m20261202_000017_scanned_files::Migration),
            Box::new(m20261202_000018_higher_consent::Migration),
            Box::new(m20261202_000019_background_verification::Migration),
            Box::new(m20261202_000020_audit_notifications::Migration),
        ]
    }
}
