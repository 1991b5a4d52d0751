//! A citizen ID is no longer unique across the whole country: uniqueness checked against
//! every candidate would tell any branch whether a person is listed anywhere. It is
//! checked within the acting account's scope instead, and duplicates across scopes are
//! listed for the unit that sees both (`possibleDuplicates`). Within one branch, where the
//! list is kept, a unique index still holds, so two submissions at once cannot both pass
//! the check.

use sea_orm_migration::prelude::*;

use crate::common::{index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Candidate {
    Table,
    BranchId,
    CitizenId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_candidate_citizen_id")
                    .table(Candidate::Table)
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Candidate::Table,
            "idx_candidate_citizen_id",
            [Candidate::CitizenId],
        )
        .await?;
        unique_index(
            manager,
            Candidate::Table,
            "uq_candidate_branch_citizen_id",
            [Candidate::BranchId, Candidate::CitizenId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_candidate_branch_citizen_id")
                    .table(Candidate::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_candidate_citizen_id")
                    .table(Candidate::Table)
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            Candidate::Table,
            "uq_candidate_citizen_id",
            [Candidate::CitizenId],
        )
        .await
    }
}
