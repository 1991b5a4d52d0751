//! A verification of the candidate (no relative) or of a declared relative: sent to a
//! verifying body, and its reply.

use ketnap_domain::background::Finding;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "background_check")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    /// The relative verified; `None` for the candidate themself.
    pub relative_id: Option<i32>,
    pub verifying_body: String,
    pub sent_on: Date,
    pub replied_on: Option<Date>,
    pub finding: Option<Finding>,
    pub reply_note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
