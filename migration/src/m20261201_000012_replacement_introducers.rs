//! An introducer who can no longer continue (transferred, disciplined, deceased…) is
//! replaced by another official member, and the replacement is on record with its reason.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Introduction {
    Table,
    ReplacesId,
    ReplacementReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            integer_null(Introduction::ReplacesId),
            string_len_null(Introduction::ReplacementReason, 32),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Introduction::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Introduction::ReplacesId, Introduction::ReplacementReason] {
            manager
                .alter_table(Table::alter().table(Introduction::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
