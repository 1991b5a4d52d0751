//! A relative whose background is verified, and the outcome.

use ketnap_domain::dossier::{self, VerificationOutcome};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "relative")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    pub relation: dossier::Relation,
    pub full_name: String,
    pub is_party_member: bool,
    /// PENDING, PASSED, FAILED or NOT_REQUIRED.
    pub verification_outcome: VerificationOutcome,
    pub verified_on: Option<Date>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
