//! A rulebook version records the version it inherited its unstated values from, if any:
//! a version states every value or names the one it inherits from. And one value more: the
//! failed votes on a probationer's standing before the question goes up (Quy định
//! 29-QĐ/TW 2016 §4.2 c, 24-QĐ/TW 2021 §4.2.3: 3, for every version on record).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RulebookVersion {
    Table,
    InheritsFrom,
    RecognitionVotesBeforeReferral,
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
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RulebookVersion::Table)
                    .add_column(
                        integer(RulebookVersion::RecognitionVotesBeforeReferral)
                            .default(3)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            RulebookVersion::RecognitionVotesBeforeReferral,
            RulebookVersion::InheritsFrom,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(RulebookVersion::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
