//! Mergers and splits of units as dated successions, so that a merged commune's reports
//! take in its predecessors' records from before the merger.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnitSuccession {
    Table,
    Id,
    PredecessorId,
    SuccessorId,
    EffectiveOn,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrgUnitSuccession::Table)
                    .col(pk_auto(OrgUnitSuccession::Id))
                    .col(integer(OrgUnitSuccession::PredecessorId))
                    .col(integer(OrgUnitSuccession::SuccessorId))
                    .col(date(OrgUnitSuccession::EffectiveOn))
                    .col(string_len(OrgUnitSuccession::Kind, 16))
                    .col(timestamp_with_time_zone(OrgUnitSuccession::CreatedAt))
                    .foreign_key(&mut fk(
                        OrgUnitSuccession::Table,
                        OrgUnitSuccession::PredecessorId,
                        OrgUnit::Table,
                    ))
                    .foreign_key(&mut fk(
                        OrgUnitSuccession::Table,
                        OrgUnitSuccession::SuccessorId,
                        OrgUnit::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            OrgUnitSuccession::Table,
            "ix_org_unit_succession_successor",
            [OrgUnitSuccession::SuccessorId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrgUnitSuccession::Table).to_owned())
            .await
    }
}
