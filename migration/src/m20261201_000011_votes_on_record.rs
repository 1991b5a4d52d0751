//! A branch vote is measured against its registry minus members left out by name, each
//! with the reason the rules allow, instead of a free number.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum VoteExclusion {
    Table,
    Id,
    ResolutionId,
    MemberId,
    Reason,
}

#[derive(DeriveIden)]
enum Resolution {
    Table,
}

#[derive(DeriveIden)]
enum Member {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VoteExclusion::Table)
                    .col(pk_auto(VoteExclusion::Id))
                    .col(integer(VoteExclusion::ResolutionId))
                    .col(integer(VoteExclusion::MemberId))
                    .col(string_len(VoteExclusion::Reason, 32))
                    .foreign_key(&mut fk(
                        VoteExclusion::Table,
                        VoteExclusion::ResolutionId,
                        Resolution::Table,
                    ))
                    .foreign_key(&mut fk(VoteExclusion::Table, VoteExclusion::MemberId, Member::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            VoteExclusion::Table,
            "ux_vote_exclusion_member",
            [VoteExclusion::ResolutionId, VoteExclusion::MemberId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VoteExclusion::Table).to_owned())
            .await
    }
}
