//! A scanned paper of a candidate's dossier, one version of it: immutable once stored.

use ketnap_domain::files::{MediaType, RecordKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "scanned_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub candidate_id: i32,
    /// Which kind of record `record_id` names.
    pub record_kind: RecordKind,
    pub record_id: i32,
    /// The version this one corrects; `None` for a first upload.
    pub supersedes_id: Option<i32>,
    /// 1 for a first upload, one more for each correction.
    pub version: i32,
    /// The name it is offered under (made safe, with the extension of its content).
    pub file_name: String,
    /// What its content is, as its first bytes show.
    pub media_type: MediaType,
    pub size_bytes: i64,
    /// SHA-256 of the content, in lower-case hex.
    pub sha256: String,
    /// Where the bytes are: `DATABASE` (in `scanned_file_chunk`) or `DIRECTORY`.
    pub storage: String,
    /// Where in the storage, for storages outside the database.
    pub storage_key: Option<String>,
    /// The account that uploaded it.
    pub uploaded_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
