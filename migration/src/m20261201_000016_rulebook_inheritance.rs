//! A rulebook version records the version it inherited its unstated values from, if any:
//! a version states every value or names the one it inherits from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RulebookVersion {
    Table,
    InheritsFrom,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RulebookVersion::Table)
                    .add_column(date_null(RulebookVersion::InheritsFrom))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RulebookVersion::Table)
                    .drop_column(RulebookVersion::InheritsFrom)
                    .to_owned(),
            )
            .await
    }
}
