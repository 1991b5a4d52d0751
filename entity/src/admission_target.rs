//! An admission target (chỉ tiêu kết nạp) of a unit for a year or a congress term.

use ketnap_domain::period::{PeriodKind, TargetBasis};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "admission_target")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    /// YEAR or TERM.
    pub period_kind: PeriodKind,
    pub start_year: i32,
    /// Equal to `start_year` for a yearly target.
    pub end_year: i32,
    pub target: i32,
    pub set_by_user_id: i32,
    pub note: Option<String>,
    /// ASSIGNED (by the direct superior) or OWN_RESOLUTION (the unit's own congress or
    /// annual resolution).
    pub basis: TargetBasis,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
