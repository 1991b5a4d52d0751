//! One line of the background-verification rules in force from `effective_from`: a relation
//! verified (`VERIFIED`) or a member relative exempting a side (`EXEMPTING`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "background_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub effective_from: Date,
    /// `VERIFIED` or `EXEMPTING`.
    pub kind: String,
    /// `OWN` or `SPOUSE`.
    pub side: String,
    /// A verified relation (`dossier::Relation`) or an exempting kin (`background::Kin`).
    pub relation: String,
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
