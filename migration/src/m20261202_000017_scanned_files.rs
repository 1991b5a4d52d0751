//! Scanned papers: a file belongs to one record of a candidate's dossier (a form, a vote,
//! a decision, a certificate or a verification reply) and is never changed once stored; a
//! correction is a new version that supersedes it, the old one kept. By default the bytes
//! are kept in the database itself, in chunks, so the embedded default stays one file.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScannedFile {
    Table,
    Id,
    CandidateId,
    RecordKind,
    RecordId,
    SupersedesId,
    Version,
    FileName,
    MediaType,
    SizeBytes,
    Sha256,
    Storage,
    StorageKey,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScannedFileChunk {
    Table,
    FileId,
    Seq,
    Data,
}

#[derive(DeriveIden)]
enum Candidate {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScannedFile::Table)
                    .col(pk_auto(ScannedFile::Id))
                    .col(integer(ScannedFile::CandidateId))
                    .col(string(ScannedFile::RecordKind))
                    .col(integer(ScannedFile::RecordId))
                    // One correction per version: the history of a scan is a line.
                    .col(integer_null(ScannedFile::SupersedesId).unique_key())
                    .col(integer(ScannedFile::Version))
                    .col(string(ScannedFile::FileName))
                    .col(string(ScannedFile::MediaType))
                    .col(big_integer(ScannedFile::SizeBytes))
                    .col(string(ScannedFile::Sha256))
                    .col(string(ScannedFile::Storage))
                    .col(string_null(ScannedFile::StorageKey))
                    .col(integer_null(ScannedFile::UploadedBy))
                    .col(timestamp_with_time_zone(ScannedFile::CreatedAt))
                    .foreign_key(&mut fk(ScannedFile::Table, ScannedFile::CandidateId, Candidate::Table))
                    .foreign_key(&mut fk(
                        ScannedFile::Table,
                        ScannedFile::SupersedesId,
                        ScannedFile::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            ScannedFile::Table,
            "idx_scanned_file_record",
            [ScannedFile::RecordKind, ScannedFile::RecordId],
        )
        .await?;
        index(
            manager,
            ScannedFile::Table,
            "idx_scanned_file_candidate",
            [ScannedFile::CandidateId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScannedFileChunk::Table)
                    .col(integer(ScannedFileChunk::FileId))
                    .col(integer(ScannedFileChunk::Seq))
                    .col(blob(ScannedFileChunk::Data))
                    .primary_key(Index::create().col(ScannedFileChunk::FileId).col(ScannedFileChunk::Seq))
                    .foreign_key(&mut fk(
                        ScannedFileChunk::Table,
                        ScannedFileChunk::FileId,
                        ScannedFile::Table,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScannedFileChunk::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ScannedFile::Table).to_owned())
            .await
    }
}
