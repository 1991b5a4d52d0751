//! A page of candidates read from its rows by position ([`crate::columns`]), checked equal
//! to sea-orm's derived reader on both databases.

use entity::candidate;
use sea_orm::DbErr;

use crate::columns::{Cells, ListRow};

impl ListRow for candidate::Model {
    fn read(c: &mut Cells<'_>) -> Result<Self, DbErr> {
        Ok(candidate::Model {
            id: c.get("id")?,
            branch_id: c.get("branch_id")?,
            full_name: c.get("full_name")?,
            search_key: c.get("search_key")?,
            gender: c.code("gender")?,
            birth_date: c.get("birth_date")?,
            ethnicity: c.code("ethnicity")?,
            religion: c.code("religion")?,
            general_education: c.code("general_education")?,
            professional_level: c.code("professional_level")?,
            political_theory_level: c.code("political_theory_level")?,
            occupation: c.get("occupation")?,
            workplace: c.get("workplace")?,
            residential_area_id: c.get("residential_area_id")?,
            citizen_id: c.get("citizen_id")?,
            source_organisation: c.code("source_organisation")?,
            returned_soldier: c.get("returned_soldier")?,
            difficult_area_education_exception: c.get("difficult_area_education_exception")?,
            stage: c.code("stage")?,
            listed_on: c.get("listed_on")?,
            branch_resolution_on: c.get("branch_resolution_on")?,
            decision_extended: c.get("decision_extended")?,
            decision_signed_on: c.get("decision_signed_on")?,
            decision_received_on: c.get("decision_received_on")?,
            ceremony_on: c.get("ceremony_on")?,
            probation_ends_on: c.get("probation_ends_on")?,
            recognition_commune_on: c.get("recognition_commune_on")?,
            recognition_branch_on: c.get("recognition_branch_on")?,
            recognition_decision_extended: c.get("recognition_decision_extended")?,
            official_on: c.get("official_on")?,
            exited_on: c.get("exited_on")?,
            exit_reason: c.get("exit_reason")?,
            next_due_kind: c.optional_code("next_due_kind")?,
            next_due_on: c.get("next_due_on")?,
            readmission_of_member_id: c.get("readmission_of_member_id")?,
            version: c.get("version")?,
            created_at: c.get("created_at")?,
            updated_at: c.get("updated_at")?,
        })
    }
}
