//! A candidate's place on a course, and the certificate it earned.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "course_enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub candidate_id: i32,
    /// The branch that sent the candidate (the candidate's branch on enrolment). Reports
    /// credit the training to it, whatever transfers follow.
    pub branch_id: i32,
    pub enrolled_on: Date,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
