//! A vote on a candidate: branch, section appraisal, grassroots committee; admission or recognition.

use ketnap_domain::dossier::ResolutionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "resolution")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    pub kind: ResolutionKind,
    pub unit_id: i32,
    pub resolved_on: Date,
    /// Official members of the branch, or members of the committee.
    pub eligible_voters: i32,
    pub votes_for: i32,
    pub approved: bool,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
