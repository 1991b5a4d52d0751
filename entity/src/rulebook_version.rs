//! One version of the rulebook, in force from its effective date until the next.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "rulebook_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub effective_from: Date,
    pub min_age_months: i32,
    pub max_age_months: i32,
    pub branch_vote_num: i32,
    pub branch_vote_den: i32,
    pub commune_vote_num: i32,
    pub commune_vote_den: i32,
    pub recognition_branch_vote_num: i32,
    pub recognition_branch_vote_den: i32,
    pub recognition_commune_vote_num: i32,
    pub recognition_commune_vote_den: i32,
    pub decision_working_days: i32,
    pub decision_extension_working_days: i32,
    pub ceremony_working_days: i32,
    pub recognition_vote_working_days: i32,
    pub recognition_decision_working_days: i32,
    pub probation_months: i32,
    pub certificate_validity_months: i32,
    pub introducer_known_months: i32,
    pub dossier_staleness_months: i32,
    pub readmission_wait_months: i32,
    pub readmission_wait_after_expungement_months: i32,
    pub recognition_votes_before_referral: i32,
    /// The version whose values this one took where it stated none (its `effective_from`).
    pub inherits_from: Option<Date>,
    /// The rules this version transcribes.
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
