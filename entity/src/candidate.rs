//! A person on the path to admission, and the dates of that path.

use ketnap_domain::{
    deadline::DeadlineKind,
    ethnicity::Ethnicity,
    person::{Gender, GeneralEducation, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation},
    stage::Stage,
};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "candidate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub branch_id: i32,
    pub full_name: String,
    pub search_key: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub ethnicity: Ethnicity,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_level: ProfessionalLevel,
    pub political_theory_level: PoliticalTheoryLevel,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub residential_area_id: Option<i32>,
    pub citizen_id: Option<String>,
    pub source_organisation: SourceOrganisation,
    pub returned_soldier: bool,
    pub difficult_area_education_exception: bool,
    pub stage: Stage,
    /// Date of the branch resolution that put the person on the source list.
    pub listed_on: Date,
    pub branch_resolution_on: Option<Date>,
    pub decision_extended: bool,
    pub decision_signed_on: Option<Date>,
    /// The day the branch received the admission decision; the ceremony's clock runs from
    /// it (`None`: from the signing date).
    pub decision_received_on: Option<Date>,
    pub ceremony_on: Option<Date>,
    /// Ceremony + the probation months in force then: the official date if recognised.
    pub probation_ends_on: Option<Date>,
    pub recognition_commune_on: Option<Date>,
    /// The branch's recognition resolution (13-KNĐ); the recognition decision's clock runs
    /// from it.
    pub recognition_branch_on: Option<Date>,
    /// The recognition decision was signed in the extension allowed in special cases.
    pub recognition_decision_extended: bool,
    pub official_on: Option<Date>,
    pub exited_on: Option<Date>,
    pub exit_reason: Option<String>,
    pub next_due_kind: Option<DeadlineKind>,
    pub next_due_on: Option<Date>,
    /// Incremented by every act; guards against lost updates.
    /// The former member's record when this is a re-admission (kết nạp lại).
    pub readmission_of_member_id: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
