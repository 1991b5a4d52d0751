//! A side of the candidate's family exempt from verification, with the member relative
//! who justifies it.

use ketnap_domain::background::{Kin, Side};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "verification_exemption")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    pub side: Side,
    pub kin: Kin,
    pub member_name: String,
    /// The Party organisation the member belongs to.
    pub member_unit: String,
    pub card_number: Option<String>,
    pub recorded_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
