//! A case that needs a higher committee's written consent, in force from `effective_from`.

use ketnap_domain::consent::{ConsentStep, Detected};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "consent_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub name: String,
    pub consenting_body: String,
    pub needed_before: ConsentStep,
    /// Read from the candidate's facts; none for a case the branch declares.
    pub detected: Option<Detected>,
    pub source: String,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
