//! A Party member in a branch's registry.

use ketnap_domain::{
    ethnicity::Ethnicity,
    person::{Gender, GeneralEducation, MemberStatus, ProfessionalLevel, Religion, SourceOrganisation},
    readmission::LeftReason,
};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The branch whose registry holds the member now.
    pub branch_id: i32,
    /// The branch that admitted the member (held the ceremony). Admission reports credit it,
    /// whatever transfers follow.
    pub admitted_in_id: i32,
    pub full_name: String,
    pub search_key: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub ethnicity: Option<Ethnicity>,
    pub residential_area_id: Option<i32>,
    /// PROBATIONARY, OFFICIAL, STRUCK_OFF, LEFT or TRANSFERRED_OUT.
    pub status: MemberStatus,
    /// Date of the admission decision: party age counts from it.
    pub decision_date: Option<Date>,
    /// Date of the ceremony: the date of joining.
    pub joined_on: Option<Date>,
    /// Date of becoming a full member (the end of probation).
    pub official_on: Option<Date>,
    /// The candidate record this member came from, when admitted through Ketnap.
    pub candidate_id: Option<i32>,
    pub version: i32,
    /// Age in whole years on the joining date (for the age bands of reports).
    pub age_at_joining: Option<i32>,
    pub religion: Option<Religion>,
    pub general_education: Option<GeneralEducation>,
    pub professional_level: Option<ProfessionalLevel>,
    /// The organisation that introduced the member as a candidate.
    pub source_organisation: Option<SourceOrganisation>,
    pub returned_soldier: Option<bool>,
    /// Căn cước công dân: how a former member is recognised when listed again.
    pub citizen_id: Option<String>,
    /// The day the member left the Party (struck off, expelled, resigned…).
    pub left_on: Option<Date>,
    /// Why (a `LeftReason` code).
    pub left_reason: Option<LeftReason>,
    /// For a conviction for a less serious offence: the day the record was expunged.
    pub record_expunged_on: Option<Date>,
    /// Where party age counts from another day than `decision_date`: a re-admitted member,
    /// once recognised (the first decision moved on by the time outside the Party).
    pub party_age_from: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
