//! Cases that need a higher committee's written consent, as rulebook data with effective
//! dates; the cases a branch declares for a candidate; and the consents the dossier
//! records (body, document, date).

use sea_orm_migration::sea_orm::prelude::ChronoDate;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{drop_tables, fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConsentCase {
    Table,
    Id,
    Code,
    Name,
    ConsentingBody,
    NeededBefore,
    Detected,
    Source,
    EffectiveFrom,
    EffectiveTo,
}

#[derive(DeriveIden)]
enum CandidateCase {
    Table,
    Id,
    CandidateId,
    CaseCode,
    DeclaredOn,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HigherConsent {
    Table,
    Id,
    CandidateId,
    CaseCode,
    ConsentingBody,
    DocumentNumber,
    ConsentedOn,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Candidate {
    Table,
}

/// The body that consents for a province-level question.
const PROVINCIAL_STANDING: &str = "Ban thường vụ cấp ủy trực thuộc Trung ương (tỉnh ủy, thành ủy và tương đương)";

/// A seeded case: code, name, consenting body, the act it precedes, what in the
/// candidate's facts shows it (none: the branch declares it), source, in force from.
type Seeded = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    (i32, u32, u32),
);

/// The cases read from the candidate's facts, in force since the 2011 Charter, and the
/// declared case of religious dignitaries (Quy định 06-QĐi/TW 2018 of the Politburo, which
/// replaced Quy định 123-QĐ/TW 2004), admitted with the provincial standing committee's
/// consent as committees apply it (Tạp chí Xây dựng Đảng: "được Ban Thường vụ Tỉnh ủy đồng
/// ý kết nạp", Sóc Trăng), as their sources state them.
const SEEDED: [Seeded; 4] = [
    (
        "OVER_AGE",
        "Trên 60 tuổi",
        PROVINCIAL_STANDING,
        "DECISION",
        Some("OVER_AGE"),
        "Hướng dẫn 01-HD/TW 2021 §1.1 (như 01-HD/TW 2016 §1.1): chỉ xem xét kết nạp người trên 60 tuổi khi được ban thường vụ cấp ủy trực thuộc Trung ương đồng ý bằng văn bản trước khi cấp ủy có thẩm quyền ra quyết định kết nạp",
        (2011, 1, 19),
    ),
    (
        "LITERACY",
        "Chỉ biết đọc, biết viết (già làng, trưởng bản, người có uy tín ở vùng khó khăn)",
        PROVINCIAL_STANDING,
        "DECISION",
        Some("LITERACY"),
        "Hướng dẫn 01-HD/TW 2021 §1.2 b (như 01-HD/TW 2016 §1.2 b)",
        (2011, 1, 19),
    ),
    (
        "READMISSION",
        "Kết nạp lại",
        PROVINCIAL_STANDING,
        "BRANCH_VOTE",
        Some("READMISSION"),
        "Quy định 29-QĐ/TW 2016 §3.5.1 b, giữ ở 24-QĐ/TW 2021 và 294-QĐ/TW 2025 §3.5.1 b: ban thường vụ tỉnh ủy và tương đương đồng ý bằng văn bản",
        (2011, 1, 19),
    ),
    (
        "RELIGIOUS_DIGNITARY",
        "Chức sắc, chức việc, nhà tu hành tôn giáo",
        "Ban thường vụ tỉnh ủy, thành ủy và tương đương",
        "DECISION",
        None,
        "Quy định 06-QĐi/TW 2018 của Bộ Chính trị (thay Quy định 123-QĐ/TW 2004) về kết nạp đảng viên đối với người theo tôn giáo: chức sắc, chức việc, nhà tu hành được kết nạp khi ban thường vụ tỉnh ủy và tương đương đồng ý",
        (2018, 8, 28),
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsentCase::Table)
                    .col(pk_auto(ConsentCase::Id))
                    .col(string(ConsentCase::Code))
                    .col(string(ConsentCase::Name))
                    .col(string(ConsentCase::ConsentingBody))
                    .col(string(ConsentCase::NeededBefore))
                    .col(string_null(ConsentCase::Detected))
                    .col(text(ConsentCase::Source))
                    .col(date(ConsentCase::EffectiveFrom))
                    .col(date_null(ConsentCase::EffectiveTo))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            ConsentCase::Table,
            "idx_consent_case_code_from",
            [ConsentCase::Code, ConsentCase::EffectiveFrom],
        )
        .await?;
        for (code, name, body, before, detected, source, (y, m, d)) in SEEDED {
            let insert = Query::insert()
                .into_table(ConsentCase::Table)
                .columns([
                    ConsentCase::Code,
                    ConsentCase::Name,
                    ConsentCase::ConsentingBody,
                    ConsentCase::NeededBefore,
                    ConsentCase::Detected,
                    ConsentCase::Source,
                    ConsentCase::EffectiveFrom,
                ])
                .values_panic([
                    code.into(),
                    name.into(),
                    body.into(),
                    before.into(),
                    detected.into(),
                    source.into(),
                    ChronoDate::from_ymd_opt(y, m, d).expect("a date").into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CandidateCase::Table)
                    .col(pk_auto(CandidateCase::Id))
                    .col(integer(CandidateCase::CandidateId))
                    .col(string(CandidateCase::CaseCode))
                    .col(date(CandidateCase::DeclaredOn))
                    .col(text_null(CandidateCase::Note))
                    .col(timestamp_with_time_zone(CandidateCase::CreatedAt))
                    .foreign_key(&mut fk(
                        CandidateCase::Table,
                        CandidateCase::CandidateId,
                        Candidate::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            CandidateCase::Table,
            "idx_candidate_case_once",
            [CandidateCase::CandidateId, CandidateCase::CaseCode],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(HigherConsent::Table)
                    .col(pk_auto(HigherConsent::Id))
                    .col(integer(HigherConsent::CandidateId))
                    .col(string(HigherConsent::CaseCode))
                    .col(string(HigherConsent::ConsentingBody))
                    .col(string(HigherConsent::DocumentNumber))
                    .col(date(HigherConsent::ConsentedOn))
                    .col(text_null(HigherConsent::Note))
                    .col(timestamp_with_time_zone(HigherConsent::CreatedAt))
                    .foreign_key(&mut fk(
                        HigherConsent::Table,
                        HigherConsent::CandidateId,
                        Candidate::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            HigherConsent::Table,
            "idx_higher_consent_candidate",
            [HigherConsent::CandidateId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                HigherConsent::Table.into_iden(),
                CandidateCase::Table.into_iden(),
                ConsentCase::Table.into_iden(),
            ],
        )
        .await
    }
}
