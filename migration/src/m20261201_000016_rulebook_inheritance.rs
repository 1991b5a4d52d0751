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

/// Where the values added since the first seed come from, cited on the seeded version.
const ADDED_SOURCES: &str = "; kết nạp lại sau 36 tháng (60 tháng sau khi xóa án tích) và 3 lần biểu quyết trước khi báo cáo cấp trên: Quy định 29-QĐ/TW 2016 §3.5.1 b, §4.2 c (giữ ở 24-QĐ/TW 2021, 294-QĐ/TW 2025)";

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
            .await?;
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE rulebook_version SET source = source || '{ADDED_SOURCES}' WHERE effective_from = '2011-01-19'"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE rulebook_version SET source = REPLACE(source, '{ADDED_SOURCES}', '')"
            ))
            .await?;
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
