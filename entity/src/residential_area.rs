//! A residential area (thôn, bản, khu phố, tổ dân phố) under a commune.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "residential_area")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub commune_id: i32,
    pub code: String,
    pub name: String,
    pub search_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
