//! Background verification as it is done (Hướng dẫn 01-HD/TW 2021 §3.4): who is verified
//! and whose membership exempts a side, as rulebook data with effective dates; each
//! verification sent, with the verifying body and the reply; the exemptions with the member
//! who justifies them; the grassroots committee's conclusions.

use sea_orm_migration::sea_orm::prelude::ChronoDate;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BackgroundRule {
    Table,
    Id,
    EffectiveFrom,
    Kind,
    Side,
    Relation,
    Source,
}

#[derive(DeriveIden)]
enum BackgroundCheck {
    Table,
    Id,
    CandidateId,
    RelativeId,
    VerifyingBody,
    SentOn,
    RepliedOn,
    Finding,
    ReplyNote,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VerificationExemption {
    Table,
    Id,
    CandidateId,
    Side,
    Kin,
    MemberName,
    MemberUnit,
    CardNumber,
    RecordedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BackgroundConclusion {
    Table,
    Id,
    CandidateId,
    UnitId,
    ConcludedOn,
    Passed,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Candidate {
    Table,
}

#[derive(DeriveIden)]
enum Relative {
    Table,
}

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
}

const SOURCE: &str = "Hướng dẫn 01-HD/TW 2021 §3.4 a, c (như 01-HD/TW 2012 và 2016 §3.4)";

/// Who is verified besides the candidate (§3.4 a), and whose membership exempts a side
/// (§3.4 c).
const SEEDED: [(&str, &str, &str); 15] = [
    ("VERIFIED", "OWN", "FATHER"),
    ("VERIFIED", "OWN", "MOTHER"),
    ("VERIFIED", "OWN", "GUARDIAN"),
    ("VERIFIED", "OWN", "CHILD"),
    ("VERIFIED", "SPOUSE", "SPOUSE"),
    ("VERIFIED", "SPOUSE", "FATHER_IN_LAW"),
    ("VERIFIED", "SPOUSE", "MOTHER_IN_LAW"),
    ("EXEMPTING", "OWN", "FATHER"),
    ("EXEMPTING", "OWN", "MOTHER"),
    ("EXEMPTING", "OWN", "SIBLING"),
    ("EXEMPTING", "OWN", "CHILD"),
    ("EXEMPTING", "SPOUSE", "SPOUSE"),
    ("EXEMPTING", "SPOUSE", "FATHER_IN_LAW"),
    ("EXEMPTING", "SPOUSE", "MOTHER_IN_LAW"),
    ("EXEMPTING", "SPOUSE", "SPOUSE_SIBLING"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BackgroundRule::Table)
                    .col(pk_auto(BackgroundRule::Id))
                    .col(date(BackgroundRule::EffectiveFrom))
                    .col(string(BackgroundRule::Kind))
                    .col(string(BackgroundRule::Side))
                    .col(string(BackgroundRule::Relation))
                    .col(text(BackgroundRule::Source))
                    .to_owned(),
            )
            .await?;
        for (kind, side, relation) in SEEDED {
            let insert = Query::insert()
                .into_table(BackgroundRule::Table)
                .columns([
                    BackgroundRule::EffectiveFrom,
                    BackgroundRule::Kind,
                    BackgroundRule::Side,
                    BackgroundRule::Relation,
                    BackgroundRule::Source,
                ])
                .values_panic([
                    ChronoDate::from_ymd_opt(2011, 1, 19).expect("a date").into(),
                    kind.into(),
                    side.into(),
                    relation.into(),
                    SOURCE.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(BackgroundCheck::Table)
                    .col(pk_auto(BackgroundCheck::Id))
                    .col(integer(BackgroundCheck::CandidateId))
                    .col(integer_null(BackgroundCheck::RelativeId))
                    .col(string(BackgroundCheck::VerifyingBody))
                    .col(date(BackgroundCheck::SentOn))
                    .col(date_null(BackgroundCheck::RepliedOn))
                    .col(string_null(BackgroundCheck::Finding))
                    .col(text_null(BackgroundCheck::ReplyNote))
                    .col(timestamp_with_time_zone(BackgroundCheck::CreatedAt))
                    .foreign_key(&mut fk(
                        BackgroundCheck::Table,
                        BackgroundCheck::CandidateId,
                        Candidate::Table,
                    ))
                    .foreign_key(&mut fk(
                        BackgroundCheck::Table,
                        BackgroundCheck::RelativeId,
                        Relative::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            BackgroundCheck::Table,
            "idx_background_check_candidate",
            [BackgroundCheck::CandidateId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(VerificationExemption::Table)
                    .col(pk_auto(VerificationExemption::Id))
                    .col(integer(VerificationExemption::CandidateId))
                    .col(string(VerificationExemption::Side))
                    .col(string(VerificationExemption::Kin))
                    .col(string(VerificationExemption::MemberName))
                    .col(string(VerificationExemption::MemberUnit))
                    .col(string_null(VerificationExemption::CardNumber))
                    .col(date(VerificationExemption::RecordedOn))
                    .col(timestamp_with_time_zone(VerificationExemption::CreatedAt))
                    .foreign_key(&mut fk(
                        VerificationExemption::Table,
                        VerificationExemption::CandidateId,
                        Candidate::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            VerificationExemption::Table,
            "idx_verification_exemption_side",
            [VerificationExemption::CandidateId, VerificationExemption::Side],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BackgroundConclusion::Table)
                    .col(pk_auto(BackgroundConclusion::Id))
                    .col(integer(BackgroundConclusion::CandidateId))
                    .col(integer(BackgroundConclusion::UnitId))
                    .col(date(BackgroundConclusion::ConcludedOn))
                    .col(boolean(BackgroundConclusion::Passed))
                    .col(text_null(BackgroundConclusion::Note))
                    .col(timestamp_with_time_zone(BackgroundConclusion::CreatedAt))
                    .foreign_key(&mut fk(
                        BackgroundConclusion::Table,
                        BackgroundConclusion::CandidateId,
                        Candidate::Table,
                    ))
                    .foreign_key(&mut fk(
                        BackgroundConclusion::Table,
                        BackgroundConclusion::UnitId,
                        OrgUnit::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            BackgroundConclusion::Table,
            "idx_background_conclusion_candidate",
            [BackgroundConclusion::CandidateId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                BackgroundConclusion::Table.into_iden(),
                VerificationExemption::Table.into_iden(),
                BackgroundCheck::Table.into_iden(),
                BackgroundRule::Table.into_iden(),
            ],
        )
        .await
    }
}
