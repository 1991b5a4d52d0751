//! The organisation tree (units and their time-stamped closure), residential areas,
//! accounts, refresh tokens and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Id,
    Kind,
    Code,
    Name,
    SearchKey,
    ParentId,
    DelegatedAdmissionAuthority,
    ActiveFrom,
    ClosedOn,
    CreatedAt,
    UpdatedAt,
}

/// Every (ancestor, descendant) pair of the tree with the dates between which it held:
/// subtree membership is one indexed lookup, and reports for a past period follow the tree
/// as it was (a commune moved from its district to the province in 2025 still counts for
/// the district in 2023).
#[derive(DeriveIden)]
enum OrgUnitClosure {
    Table,
    Id,
    AncestorId,
    DescendantId,
    Depth,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum ResidentialArea {
    Table,
    Id,
    CommuneId,
    Code,
    Name,
    SearchKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    AccountType,
    OrgUnitId,
    IsActive,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OccurredAt,
    ActorUserId,
    ActorRole,
    RequestId,
    Act,
    EntityType,
    EntityId,
    UnitId,
    Before,
    After,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (PostgreSQL runs migrations in a transaction anyway).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrgUnit::Table)
                    .col(pk_auto(OrgUnit::Id))
                    .col(string_len(OrgUnit::Kind, 16))
                    .col(string_len_uniq(OrgUnit::Code, 32))
                    .col(string_len(OrgUnit::Name, 200))
                    .col(string_len(OrgUnit::SearchKey, 200))
                    .col(integer_null(OrgUnit::ParentId))
                    .col(boolean(OrgUnit::DelegatedAdmissionAuthority).default(false))
                    .col(date(OrgUnit::ActiveFrom))
                    .col(date_null(OrgUnit::ClosedOn))
                    .col(timestamp_with_time_zone(OrgUnit::CreatedAt))
                    .col(timestamp_with_time_zone(OrgUnit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrgUnit::Table, OrgUnit::ParentId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, OrgUnit::Table, "idx_org_unit_parent", [OrgUnit::ParentId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgUnitClosure::Table)
                    .col(pk_auto(OrgUnitClosure::Id))
                    .col(integer(OrgUnitClosure::AncestorId))
                    .col(integer(OrgUnitClosure::DescendantId))
                    .col(integer(OrgUnitClosure::Depth))
                    .col(date(OrgUnitClosure::ValidFrom))
                    .col(date_null(OrgUnitClosure::ValidTo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrgUnitClosure::Table, OrgUnitClosure::AncestorId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrgUnitClosure::Table, OrgUnitClosure::DescendantId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            OrgUnitClosure::Table,
            "idx_closure_ancestor",
            [
                OrgUnitClosure::AncestorId,
                OrgUnitClosure::ValidTo,
                OrgUnitClosure::DescendantId,
            ],
        )
        .await?;
        index(
            manager,
            OrgUnitClosure::Table,
            "idx_closure_descendant",
            [
                OrgUnitClosure::DescendantId,
                OrgUnitClosure::ValidTo,
                OrgUnitClosure::AncestorId,
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResidentialArea::Table)
                    .col(pk_auto(ResidentialArea::Id))
                    .col(integer(ResidentialArea::CommuneId))
                    .col(string_len(ResidentialArea::Code, 32))
                    .col(string_len(ResidentialArea::Name, 200))
                    .col(string_len(ResidentialArea::SearchKey, 200))
                    .col(timestamp_with_time_zone(ResidentialArea::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResidentialArea::Table, ResidentialArea::CommuneId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_residential_area_code")
                    .table(ResidentialArea::Table)
                    .col(ResidentialArea::CommuneId)
                    .col(ResidentialArea::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_auto(AppUser::Id))
                    .col(string_len_uniq(AppUser::Username, 64))
                    .col(string_len(AppUser::DisplayName, 200))
                    .col(string_len(AppUser::PasswordHash, 200))
                    .col(string_len(AppUser::AccountType, 16))
                    .col(integer_null(AppUser::OrgUnitId))
                    .col(boolean(AppUser::IsActive).default(true))
                    .col(timestamp_with_time_zone_null(AppUser::LastLoginAt))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::OrgUnitId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, AppUser::Table, "idx_app_user_unit", [AppUser::OrgUnitId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(pk_auto(RefreshToken::Id))
                    .col(integer(RefreshToken::UserId))
                    .col(string_len(RefreshToken::FamilyId, 36))
                    .col(string_len_uniq(RefreshToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshToken::IssuedAt))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshToken::Table, RefreshToken::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            RefreshToken::Table,
            "idx_refresh_token_family",
            [RefreshToken::FamilyId],
        )
        .await?;
        index(
            manager,
            RefreshToken::Table,
            "idx_refresh_token_user",
            [RefreshToken::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(big_pk_auto(AuditEvent::Id))
                    .col(timestamp_with_time_zone(AuditEvent::OccurredAt))
                    .col(integer_null(AuditEvent::ActorUserId))
                    .col(string_len(AuditEvent::ActorRole, 16))
                    .col(string_len_null(AuditEvent::RequestId, 64))
                    .col(string_len(AuditEvent::Act, 64))
                    .col(string_len(AuditEvent::EntityType, 32))
                    .col(integer(AuditEvent::EntityId))
                    .col(integer_null(AuditEvent::UnitId))
                    .col(json_null(AuditEvent::Before))
                    .col(json_null(AuditEvent::After))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEvent::Table, AuditEvent::ActorUserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            AuditEvent::Table,
            "idx_audit_entity",
            [AuditEvent::EntityType, AuditEvent::EntityId, AuditEvent::Id],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            AppUser::Table.into_iden(),
            ResidentialArea::Table.into_iden(),
            OrgUnitClosure::Table.into_iden(),
            OrgUnit::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
