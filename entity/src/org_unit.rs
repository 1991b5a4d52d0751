//! A node of the organisation tree.

use ketnap_domain::org::OrgKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "org_unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// PROVINCE, DISTRICT, COMMUNE, GRASSROOTS, SECTION or BRANCH.
    pub kind: OrgKind,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// `name` folded for accent- and case-insensitive search.
    pub search_key: String,
    pub parent_id: Option<i32>,
    pub active_from: Date,
    pub closed_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
