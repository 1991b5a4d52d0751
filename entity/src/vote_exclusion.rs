//! An official member left out of the count a branch vote was measured against, and why.

use ketnap_domain::vote::LeftOutReason;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "vote_exclusion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub resolution_id: i32,
    pub member_id: i32,
    /// ATTACHED_ELSEWHERE, EXEMPTED_AND_ABSENT, SUSPENDED or PROSECUTED_OR_DETAINED.
    pub reason: LeftOutReason,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
