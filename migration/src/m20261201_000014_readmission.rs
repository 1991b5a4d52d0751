//! Re-admission (kết nạp lại): a former member is recognised by citizen ID, with the day and
//! the reason they left; the rulebook holds the waiting periods.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Member {
    Table,
    CitizenId,
    LeftOn,
    LeftReason,
    RecordExpungedOn,
    PartyAgeFrom,
}

#[derive(DeriveIden)]
enum Candidate {
    Table,
    ReadmissionOfMemberId,
}

#[derive(DeriveIden)]
enum RulebookVersion {
    Table,
    ReadmissionWaitMonths,
    ReadmissionWaitAfterExpungementMonths,
}

async fn add(manager: &SchemaManager<'_>, table: impl IntoIden, mut column: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(&mut column).to_owned())
        .await
}

async fn drop(manager: &SchemaManager<'_>, table: impl IntoIden, column: impl IntoIden) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, Member::Table, string_len_null(Member::CitizenId, 12)).await?;
        add(manager, Member::Table, date_null(Member::LeftOn)).await?;
        add(manager, Member::Table, string_len_null(Member::LeftReason, 32)).await?;
        add(manager, Member::Table, date_null(Member::RecordExpungedOn)).await?;
        add(manager, Member::Table, date_null(Member::PartyAgeFrom)).await?;
        add(
            manager,
            Candidate::Table,
            integer_null(Candidate::ReadmissionOfMemberId),
        )
        .await?;
        // Every version on record so far (2011, 2016, 2021, 2025) has the same periods:
        // Quy định 45-QĐ/TW 2011, 29-QĐ/TW 2016, 24-QĐ/TW 2021, 294-QĐ/TW 2025 §3.5.1 b.
        add(
            manager,
            RulebookVersion::Table,
            integer(RulebookVersion::ReadmissionWaitMonths).default(36).to_owned(),
        )
        .await?;
        add(
            manager,
            RulebookVersion::Table,
            integer(RulebookVersion::ReadmissionWaitAfterExpungementMonths)
                .default(60)
                .to_owned(),
        )
        .await?;
        // Former members are found by citizen ID.
        manager
            .create_index(
                Index::create()
                    .name("ix_member_citizen_id")
                    .table(Member::Table)
                    .col(Member::CitizenId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_member_citizen_id")
                    .table(Member::Table)
                    .to_owned(),
            )
            .await?;
        drop(
            manager,
            RulebookVersion::Table,
            RulebookVersion::ReadmissionWaitAfterExpungementMonths,
        )
        .await?;
        drop(manager, RulebookVersion::Table, RulebookVersion::ReadmissionWaitMonths).await?;
        drop(manager, Candidate::Table, Candidate::ReadmissionOfMemberId).await?;
        for column in [
            Member::PartyAgeFrom,
            Member::RecordExpungedOn,
            Member::LeftReason,
            Member::LeftOn,
            Member::CitizenId,
        ] {
            drop(manager, Member::Table, column).await?;
        }
        Ok(())
    }
}
