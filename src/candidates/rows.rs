//! A page of candidates read from its rows without sea-orm's detour for `NULL`: the derived
//! reader asks for each `Option` column as the plain type, gets a "null" error with the
//! column's name formatted into it, and turns the error back into `None`. A candidate early
//! on the path has some twenty `NULL` columns, a page of 50 a thousand: a tenth of a list
//! request's instructions (callgrind). Here each nullable column is read from the driver's
//! row as an `Option`, and the rest as sea-orm reads them.

use entity::candidate;
use sea_orm::sqlx::{self, Row};
use sea_orm::{DbErr, QueryResult, TryGetable};

use crate::access::ListRow;

/// The column `column` of `row`, `None` for `NULL`, read as the driver reads it.
fn nullable<T>(row: &QueryResult, column: &str) -> Result<Option<T>, DbErr>
where
    T: TryGetable
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>,
{
    let read = |e: sqlx::Error| DbErr::Type(format!("reading {column}: {e}"));
    if let Some(row) = row.try_as_pg_row() {
        row.try_get::<Option<T>, _>(column).map_err(read)
    } else if let Some(row) = row.try_as_sqlite_row() {
        row.try_get::<Option<T>, _>(column).map_err(read)
    } else {
        row.try_get("", column)
    }
}

impl ListRow for candidate::Model {
    fn from_list_row(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(candidate::Model {
            id: row.try_get("", "id")?,
            branch_id: row.try_get("", "branch_id")?,
            full_name: row.try_get("", "full_name")?,
            search_key: row.try_get("", "search_key")?,
            gender: row.try_get("", "gender")?,
            birth_date: row.try_get("", "birth_date")?,
            ethnicity: row.try_get("", "ethnicity")?,
            religion: row.try_get("", "religion")?,
            general_education: row.try_get("", "general_education")?,
            professional_level: row.try_get("", "professional_level")?,
            political_theory_level: row.try_get("", "political_theory_level")?,
            occupation: nullable(row, "occupation")?,
            workplace: nullable(row, "workplace")?,
            residential_area_id: nullable(row, "residential_area_id")?,
            citizen_id: nullable(row, "citizen_id")?,
            source_organisation: row.try_get("", "source_organisation")?,
            returned_soldier: row.try_get("", "returned_soldier")?,
            difficult_area_education_exception: row.try_get("", "difficult_area_education_exception")?,
            stage: row.try_get("", "stage")?,
            listed_on: row.try_get("", "listed_on")?,
            branch_resolution_on: nullable(row, "branch_resolution_on")?,
            decision_extended: row.try_get("", "decision_extended")?,
            decision_signed_on: nullable(row, "decision_signed_on")?,
            decision_received_on: nullable(row, "decision_received_on")?,
            ceremony_on: nullable(row, "ceremony_on")?,
            probation_ends_on: nullable(row, "probation_ends_on")?,
            recognition_commune_on: nullable(row, "recognition_commune_on")?,
            recognition_branch_on: nullable(row, "recognition_branch_on")?,
            recognition_decision_extended: row.try_get("", "recognition_decision_extended")?,
            official_on: nullable(row, "official_on")?,
            exited_on: nullable(row, "exited_on")?,
            exit_reason: nullable(row, "exit_reason")?,
            next_due_kind: row.try_get("", "next_due_kind")?,
            next_due_on: nullable(row, "next_due_on")?,
            readmission_of_member_id: nullable(row, "readmission_of_member_id")?,
            version: row.try_get("", "version")?,
            created_at: row.try_get("", "created_at")?,
            updated_at: row.try_get("", "updated_at")?,
        })
    }
}
