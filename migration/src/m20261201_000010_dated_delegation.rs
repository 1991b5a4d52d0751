//! Delegated admission authority (ủy quyền kết nạp đảng viên) is dated: granted on one day,
//! withdrawn on another, so that each act is judged by the delegation in force on its date.
//! A flag on the unit could only say what holds now.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdmissionDelegation {
    Table,
    Id,
    UnitId,
    GrantedOn,
    DecisionNumber,
    WithdrawnOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    DelegatedAdmissionAuthority,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdmissionDelegation::Table)
                    .col(pk_auto(AdmissionDelegation::Id))
                    .col(integer(AdmissionDelegation::UnitId))
                    .col(date(AdmissionDelegation::GrantedOn))
                    .col(string_len_null(AdmissionDelegation::DecisionNumber, 64))
                    .col(date_null(AdmissionDelegation::WithdrawnOn))
                    .col(timestamp_with_time_zone(AdmissionDelegation::CreatedAt))
                    .foreign_key(&mut fk(
                        AdmissionDelegation::Table,
                        AdmissionDelegation::UnitId,
                        OrgUnit::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            AdmissionDelegation::Table,
            "ix_admission_delegation_unit",
            [AdmissionDelegation::UnitId, AdmissionDelegation::GrantedOn],
        )
        .await?;
        // A delegation already on record is taken to have held since the unit began: the
        // flag kept no date.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO admission_delegation (unit_id, granted_on, created_at) \
                 SELECT id, active_from, CURRENT_TIMESTAMP FROM org_unit WHERE delegated_admission_authority",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .drop_column(OrgUnit::DelegatedAdmissionAuthority)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .add_column(boolean(OrgUnit::DelegatedAdmissionAuthority).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE org_unit SET delegated_admission_authority = EXISTS (SELECT 1 FROM admission_delegation d \
                 WHERE d.unit_id = org_unit.id AND d.withdrawn_on IS NULL)",
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AdmissionDelegation::Table).to_owned())
            .await
    }
}
