//! Delegated admission authority (ủy quyền kết nạp đảng viên) granted to a grassroots
//! organisation: in force from `granted_on` until the day before `withdrawn_on`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "admission_delegation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub granted_on: Date,
    /// Number of the superior's decision granting it, if given.
    pub decision_number: Option<String>,
    /// First day it no longer holds.
    pub withdrawn_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::org_unit::Entity",
        from = "Column::UnitId",
        to = "super::org_unit::Column::Id"
    )]
    Unit,
}

impl ActiveModelBehavior for ActiveModel {}
