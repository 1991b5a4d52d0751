//! Targets, yearly residential-area status, API tokens for reporting integrations, and the
//! member attributes the new-member reports group by.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
}

#[derive(DeriveIden)]
enum ResidentialArea {
    Table,
}

#[derive(DeriveIden)]
enum CourseEnrolment {
    Table,
    CertificateDate,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    BranchId,
    JoinedOn,
    AgeAtJoining,
    Religion,
    GeneralEducation,
    ProfessionalLevel,
    SourceOrganisation,
    ReturnedSoldier,
}

#[derive(DeriveIden)]
enum AdmissionTarget {
    Table,
    Id,
    UnitId,
    PeriodKind,
    StartYear,
    EndYear,
    Target,
    SetByUserId,
    Note,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ResidentialAreaStatus {
    Table,
    Id,
    AreaId,
    Year,
    MembersLiving,
    HasOwnBranch,
    HeadIsMember,
    RecordedAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    ExpiresOn,
    CreatedByUserId,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            integer_null(Member::AgeAtJoining),
            string_len_null(Member::Religion, 32),
            string_len_null(Member::GeneralEducation, 32),
            string_len_null(Member::ProfessionalLevel, 32),
            string_len_null(Member::SourceOrganisation, 32),
            boolean_null(Member::ReturnedSoldier),
        ];
        for mut column in columns {
            manager
                .alter_table(Table::alter().table(Member::Table).add_column(&mut column).to_owned())
                .await?;
        }
        index(
            manager,
            Member::Table,
            "idx_member_joined",
            [Member::JoinedOn, Member::BranchId],
        )
        .await?;
        index(
            manager,
            CourseEnrolment::Table,
            "idx_enrolment_certificate",
            [CourseEnrolment::CertificateDate],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdmissionTarget::Table)
                    .col(pk_auto(AdmissionTarget::Id))
                    .col(integer(AdmissionTarget::UnitId))
                    .col(string_len(AdmissionTarget::PeriodKind, 8))
                    .col(integer(AdmissionTarget::StartYear))
                    .col(integer(AdmissionTarget::EndYear))
                    .col(integer(AdmissionTarget::Target))
                    .col(integer(AdmissionTarget::SetByUserId))
                    .col(text_null(AdmissionTarget::Note))
                    .col(timestamp_with_time_zone(AdmissionTarget::CreatedAt))
                    .col(timestamp_with_time_zone(AdmissionTarget::UpdatedAt))
                    .foreign_key(&mut fk(AdmissionTarget::Table, AdmissionTarget::UnitId, OrgUnit::Table))
                    .foreign_key(&mut fk(
                        AdmissionTarget::Table,
                        AdmissionTarget::SetByUserId,
                        AppUser::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            AdmissionTarget::Table,
            "uq_target_unit_period",
            [
                AdmissionTarget::UnitId,
                AdmissionTarget::PeriodKind,
                AdmissionTarget::StartYear,
                AdmissionTarget::EndYear,
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResidentialAreaStatus::Table)
                    .col(pk_auto(ResidentialAreaStatus::Id))
                    .col(integer(ResidentialAreaStatus::AreaId))
                    .col(integer(ResidentialAreaStatus::Year))
                    .col(integer(ResidentialAreaStatus::MembersLiving))
                    .col(boolean(ResidentialAreaStatus::HasOwnBranch))
                    .col(boolean(ResidentialAreaStatus::HeadIsMember))
                    .col(timestamp_with_time_zone(ResidentialAreaStatus::RecordedAt))
                    .foreign_key(&mut fk(
                        ResidentialAreaStatus::Table,
                        ResidentialAreaStatus::AreaId,
                        ResidentialArea::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            ResidentialAreaStatus::Table,
            "uq_area_status_year",
            [ResidentialAreaStatus::AreaId, ResidentialAreaStatus::Year],
        )
        .await?;
        index(
            manager,
            ResidentialAreaStatus::Table,
            "idx_area_status_year",
            [ResidentialAreaStatus::Year],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_auto(ApiToken::Id))
                    .col(integer(ApiToken::UserId))
                    .col(string_len(ApiToken::Name, 200))
                    .col(string_len_uniq(ApiToken::TokenHash, 64))
                    .col(string_len(ApiToken::Prefix, 16))
                    .col(date_null(ApiToken::ExpiresOn))
                    .col(integer(ApiToken::CreatedByUserId))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .foreign_key(&mut fk(ApiToken::Table, ApiToken::UserId, AppUser::Table))
                    .foreign_key(&mut fk(ApiToken::Table, ApiToken::CreatedByUserId, AppUser::Table))
                    .to_owned(),
            )
            .await?;
        index(manager, ApiToken::Table, "idx_api_token_user", [ApiToken::UserId]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApiToken::Table.into_iden(),
            ResidentialAreaStatus::Table.into_iden(),
            AdmissionTarget::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_enrolment_certificate")
                    .table(CourseEnrolment::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_member_joined").table(Member::Table).to_owned())
            .await?;
        for column in [
            Member::ReturnedSoldier,
            Member::SourceOrganisation,
            Member::ProfessionalLevel,
            Member::GeneralEducation,
            Member::Religion,
            Member::AgeAtJoining,
        ] {
            manager
                .alter_table(Table::alter().table(Member::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
