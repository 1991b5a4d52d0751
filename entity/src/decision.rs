//! A decision by the deciding unit: admission, recognition or strike-off.

use ketnap_domain::dossier::DecisionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    /// ADMISSION, RECOGNITION or STRIKE_OFF.
    pub kind: DecisionKind,
    pub unit_id: i32,
    pub number: Option<String>,
    pub signed_on: Date,
    /// Signed within the extended period (special cases).
    pub extended: bool,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
