//! Two targets for one unit and period: the one its superior assigned (giao chỉ tiêu) and
//! the one its own congress or annual resolution set. Targets on record were assigned.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::unique_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdmissionTarget {
    Table,
    UnitId,
    PeriodKind,
    StartYear,
    EndYear,
    Basis,
}

const OLD_INDEX: &str = "uq_target_unit_period";
const NEW_INDEX: &str = "uq_target_unit_period_basis";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AdmissionTarget::Table)
                    .add_column(string_len(AdmissionTarget::Basis, 16).default("ASSIGNED").to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(OLD_INDEX).table(AdmissionTarget::Table).to_owned())
            .await?;
        unique_index(
            manager,
            AdmissionTarget::Table,
            NEW_INDEX,
            [
                AdmissionTarget::UnitId,
                AdmissionTarget::PeriodKind,
                AdmissionTarget::StartYear,
                AdmissionTarget::EndYear,
                AdmissionTarget::Basis,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM admission_target WHERE basis <> 'ASSIGNED'")
            .await?;
        manager
            .drop_index(Index::drop().name(NEW_INDEX).table(AdmissionTarget::Table).to_owned())
            .await?;
        unique_index(
            manager,
            AdmissionTarget::Table,
            OLD_INDEX,
            [
                AdmissionTarget::UnitId,
                AdmissionTarget::PeriodKind,
                AdmissionTarget::StartYear,
                AdmissionTarget::EndYear,
            ],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AdmissionTarget::Table)
                    .drop_column(AdmissionTarget::Basis)
                    .to_owned(),
            )
            .await
    }
}
