//! Sessions end a fixed time after sign-in: each refresh token carries its sign-in time.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_requirement, fill_and_require};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    SessionStartedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing, on SQLite too.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshToken::Table)
                    .add_column(timestamp_with_time_zone_null(RefreshToken::SessionStartedAt))
                    .to_owned(),
            )
            .await?;
        // A session began when the first token of its family was issued.
        fill_and_require(
            manager,
            "refresh_token",
            "session_started_at",
            "(SELECT MIN(r.issued_at) FROM refresh_token r WHERE r.family_id = refresh_token.family_id)",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_requirement(manager, "refresh_token", "session_started_at").await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshToken::Table)
                    .drop_column(RefreshToken::SessionStartedAt)
                    .to_owned(),
            )
            .await
    }
}
