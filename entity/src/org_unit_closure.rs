//! Ancestor/descendant pairs of the organisation tree, with the dates between which they held.
//! A row with `valid_to` NULL describes the tree as it is now.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_unit_closure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub ancestor_id: i32,
    pub descendant_id: i32,
    /// 0 for the unit itself, 1 for a child, …
    pub depth: i32,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
