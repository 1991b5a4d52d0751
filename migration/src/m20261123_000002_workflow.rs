//! The admission workflow: the rulebook and holiday calendar (seeded), the member
//! registry, candidates and every record of their path.

use sea_orm_migration::sea_orm::prelude::Date;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
}

#[derive(DeriveIden)]
enum ResidentialArea {
    Table,
}

#[derive(DeriveIden)]
enum RulebookVersion {
    Table,
    Id,
    EffectiveFrom,
    MinAgeMonths,
    MaxAgeMonths,
    BranchVoteNum,
    BranchVoteDen,
    CommuneVoteNum,
    CommuneVoteDen,
    RecognitionBranchVoteNum,
    RecognitionBranchVoteDen,
    RecognitionCommuneVoteNum,
    RecognitionCommuneVoteDen,
    DecisionWorkingDays,
    DecisionExtensionWorkingDays,
    CeremonyWorkingDays,
    RecognitionVoteWorkingDays,
    RecognitionDecisionWorkingDays,
    ProbationMonths,
    CertificateValidityMonths,
    IntroducerKnownMonths,
    DossierStalenessMonths,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PublicHoliday {
    Table,
    Id,
    Day,
    Kind,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
    BranchId,
    FullName,
    SearchKey,
    Gender,
    BirthDate,
    Ethnicity,
    ResidentialAreaId,
    Status,
    DecisionDate,
    JoinedOn,
    OfficialOn,
    CandidateId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Candidate {
    Table,
    Id,
    BranchId,
    FullName,
    SearchKey,
    Gender,
    BirthDate,
    Ethnicity,
    Religion,
    GeneralEducation,
    ProfessionalLevel,
    PoliticalTheoryLevel,
    Occupation,
    Workplace,
    ResidentialAreaId,
    CitizenId,
    SourceOrganisation,
    ReturnedSoldier,
    DifficultAreaEducationException,
    Stage,
    ListedOn,
    BranchResolutionOn,
    DecisionExtended,
    DecisionSignedOn,
    CeremonyOn,
    ProbationEndsOn,
    RecognitionCommuneOn,
    OfficialOn,
    ExitedOn,
    ExitReason,
    NextDueKind,
    NextDueOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MentorAssignment {
    Table,
    Id,
    CandidateId,
    MemberId,
    AssignedOn,
    EndedOn,
    EndReason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
    Kind,
    OrganiserUnitId,
    Name,
    StartsOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CourseEnrolment {
    Table,
    Id,
    CourseId,
    CandidateId,
    EnrolledOn,
    CertificateNumber,
    CertificateDate,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DossierDocument {
    Table,
    Id,
    CandidateId,
    FormCode,
    ReceivedOn,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Relative {
    Table,
    Id,
    CandidateId,
    Relation,
    FullName,
    IsPartyMember,
    VerificationOutcome,
    VerifiedOn,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Introduction {
    Table,
    Id,
    CandidateId,
    Kind,
    MemberId,
    KnownSince,
    IntroducedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Resolution {
    Table,
    Id,
    CandidateId,
    Kind,
    UnitId,
    ResolvedOn,
    EligibleVoters,
    VotesFor,
    Approved,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Decision {
    Table,
    Id,
    CandidateId,
    Kind,
    UnitId,
    Number,
    SignedOn,
    Extended,
    Reason,
    CreatedAt,
}

/// The values in force since the Party Charter of 2011 (unchanged by Quy định 294-QĐ/TW
/// and Hướng dẫn 06-HD/TW of 2025).
const CHARTER_2011: [(RulebookVersion, i32); 19] = [
    (RulebookVersion::MinAgeMonths, 216),
    (RulebookVersion::MaxAgeMonths, 720),
    (RulebookVersion::BranchVoteNum, 2),
    (RulebookVersion::BranchVoteDen, 3),
    (RulebookVersion::CommuneVoteNum, 2),
    (RulebookVersion::CommuneVoteDen, 3),
    (RulebookVersion::RecognitionBranchVoteNum, 2),
    (RulebookVersion::RecognitionBranchVoteDen, 3),
    (RulebookVersion::RecognitionCommuneVoteNum, 2),
    (RulebookVersion::RecognitionCommuneVoteDen, 3),
    (RulebookVersion::DecisionWorkingDays, 60),
    (RulebookVersion::DecisionExtensionWorkingDays, 30),
    (RulebookVersion::CeremonyWorkingDays, 30),
    (RulebookVersion::RecognitionVoteWorkingDays, 30),
    (RulebookVersion::RecognitionDecisionWorkingDays, 30),
    (RulebookVersion::ProbationMonths, 12),
    (RulebookVersion::CertificateValidityMonths, 60),
    (RulebookVersion::IntroducerKnownMonths, 12),
    (RulebookVersion::DossierStalenessMonths, 12),
];

/// Public holidays 2016–2030 for state bodies, from the government's yearly notices
/// (2027–2030 projected), and the Saturdays worked to make up for swapped days off.
const HOLIDAYS: &str = include_str!("../data/public_holidays.csv");

fn day(iso: &str) -> Result<Date, DbErr> {
    Date::parse_from_str(iso, "%Y-%m-%d").map_err(|e| DbErr::Custom(format!("bad date {iso:?} in seed data: {e}")))
}

fn created_at(name: impl IntoIden) -> ColumnDef {
    timestamp_with_time_zone(name).default(Expr::current_timestamp()).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (PostgreSQL runs migrations in a transaction anyway).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut rulebook = Table::create();
        rulebook
            .table(RulebookVersion::Table)
            .col(pk_auto(RulebookVersion::Id))
            .col(date_uniq(RulebookVersion::EffectiveFrom));
        for (column, _) in CHARTER_2011 {
            rulebook.col(integer(column));
        }
        rulebook
            .col(text(RulebookVersion::Source))
            .col(created_at(RulebookVersion::CreatedAt));
        manager.create_table(rulebook.to_owned()).await?;

        let mut seed = Query::insert();
        seed.into_table(RulebookVersion::Table).columns(
            std::iter::once(RulebookVersion::EffectiveFrom)
                .chain(CHARTER_2011.map(|(c, _)| c))
                .chain([RulebookVersion::Source]),
        );
        let mut values: Vec<SimpleExpr> = vec![day("2011-01-19")?.into()];
        values.extend(CHARTER_2011.map(|(_, v)| SimpleExpr::from(v)));
        values.push("Điều lệ Đảng 2011; Quy định 294-QĐ/TW và Hướng dẫn 06-HD/TW năm 2025".into());
        seed.values_panic(values);
        manager.exec_stmt(seed.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(PublicHoliday::Table)
                    .col(pk_auto(PublicHoliday::Id))
                    .col(date_uniq(PublicHoliday::Day))
                    .col(string_len(PublicHoliday::Kind, 16))
                    .col(string_len(PublicHoliday::Name, 200))
                    .col(created_at(PublicHoliday::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let mut holidays = Query::insert();
        holidays.into_table(PublicHoliday::Table).columns([
            PublicHoliday::Day,
            PublicHoliday::Kind,
            PublicHoliday::Name,
        ]);
        for line in HOLIDAYS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut fields = line.splitn(3, ',');
            let (Some(day), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
                return Err(DbErr::Custom(format!("malformed holiday line {line:?}")));
            };
            holidays.values_panic([self::day(day)?.into(), kind.into(), name.into()]);
        }
        manager.exec_stmt(holidays.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(Member::Table)
                    .col(pk_auto(Member::Id))
                    .col(integer(Member::BranchId))
                    .col(string_len(Member::FullName, 200))
                    .col(string_len(Member::SearchKey, 200))
                    .col(string_len_null(Member::Gender, 16))
                    .col(date_null(Member::BirthDate))
                    .col(string_len_null(Member::Ethnicity, 32))
                    .col(integer_null(Member::ResidentialAreaId))
                    .col(string_len(Member::Status, 16))
                    .col(date_null(Member::DecisionDate))
                    .col(date_null(Member::JoinedOn))
                    .col(date_null(Member::OfficialOn))
                    .col(integer_null(Member::CandidateId))
                    .col(integer(Member::Version).default(1))
                    .col(created_at(Member::CreatedAt))
                    .col(created_at(Member::UpdatedAt))
                    .foreign_key(&mut fk(Member::Table, Member::BranchId, OrgUnit::Table))
                    .foreign_key(&mut fk(
                        Member::Table,
                        Member::ResidentialAreaId,
                        ResidentialArea::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Member::Table,
            "idx_member_branch",
            [Member::BranchId, Member::Status],
        )
        .await?;
        unique_index(manager, Member::Table, "uq_member_candidate", [Member::CandidateId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Candidate::Table)
                    .col(pk_auto(Candidate::Id))
                    .col(integer(Candidate::BranchId))
                    .col(string_len(Candidate::FullName, 200))
                    .col(string_len(Candidate::SearchKey, 200))
                    .col(string_len(Candidate::Gender, 16))
                    .col(date(Candidate::BirthDate))
                    .col(string_len(Candidate::Ethnicity, 32))
                    .col(string_len(Candidate::Religion, 32))
                    .col(string_len(Candidate::GeneralEducation, 32))
                    .col(string_len(Candidate::ProfessionalLevel, 32))
                    .col(string_len(Candidate::PoliticalTheoryLevel, 32))
                    .col(string_len_null(Candidate::Occupation, 200))
                    .col(string_len_null(Candidate::Workplace, 200))
                    .col(integer_null(Candidate::ResidentialAreaId))
                    .col(string_len_null(Candidate::CitizenId, 12))
                    .col(string_len(Candidate::SourceOrganisation, 32))
                    .col(boolean(Candidate::ReturnedSoldier).default(false))
                    .col(boolean(Candidate::DifficultAreaEducationException).default(false))
                    .col(string_len(Candidate::Stage, 32))
                    .col(date(Candidate::ListedOn))
                    .col(date_null(Candidate::BranchResolutionOn))
                    .col(boolean(Candidate::DecisionExtended).default(false))
                    .col(date_null(Candidate::DecisionSignedOn))
                    .col(date_null(Candidate::CeremonyOn))
                    .col(date_null(Candidate::ProbationEndsOn))
                    .col(date_null(Candidate::RecognitionCommuneOn))
                    .col(date_null(Candidate::OfficialOn))
                    .col(date_null(Candidate::ExitedOn))
                    .col(text_null(Candidate::ExitReason))
                    .col(string_len_null(Candidate::NextDueKind, 32))
                    .col(date_null(Candidate::NextDueOn))
                    .col(integer(Candidate::Version).default(1))
                    .col(created_at(Candidate::CreatedAt))
                    .col(created_at(Candidate::UpdatedAt))
                    .foreign_key(&mut fk(Candidate::Table, Candidate::BranchId, OrgUnit::Table))
                    .foreign_key(&mut fk(
                        Candidate::Table,
                        Candidate::ResidentialAreaId,
                        ResidentialArea::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Candidate::Table,
            "idx_candidate_branch_stage",
            [Candidate::BranchId, Candidate::Stage],
        )
        .await?;
        index(
            manager,
            Candidate::Table,
            "idx_candidate_next_due",
            [Candidate::NextDueOn],
        )
        .await?;
        index(
            manager,
            Candidate::Table,
            "idx_candidate_ceremony",
            [Candidate::CeremonyOn],
        )
        .await?;
        unique_index(
            manager,
            Candidate::Table,
            "uq_candidate_citizen_id",
            [Candidate::CitizenId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MentorAssignment::Table)
                    .col(pk_auto(MentorAssignment::Id))
                    .col(integer(MentorAssignment::CandidateId))
                    .col(integer(MentorAssignment::MemberId))
                    .col(date(MentorAssignment::AssignedOn))
                    .col(date_null(MentorAssignment::EndedOn))
                    .col(text_null(MentorAssignment::EndReason))
                    .col(created_at(MentorAssignment::CreatedAt))
                    .foreign_key(&mut fk(
                        MentorAssignment::Table,
                        MentorAssignment::CandidateId,
                        Candidate::Table,
                    ))
                    .foreign_key(&mut fk(
                        MentorAssignment::Table,
                        MentorAssignment::MemberId,
                        Member::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            MentorAssignment::Table,
            "idx_mentor_candidate",
            [MentorAssignment::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Course::Table)
                    .col(pk_auto(Course::Id))
                    .col(string_len(Course::Kind, 16))
                    .col(integer(Course::OrganiserUnitId))
                    .col(string_len(Course::Name, 200))
                    .col(date(Course::StartsOn))
                    .col(date(Course::EndsOn))
                    .col(created_at(Course::CreatedAt))
                    .foreign_key(&mut fk(Course::Table, Course::OrganiserUnitId, OrgUnit::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Course::Table,
            "idx_course_organiser",
            [Course::OrganiserUnitId, Course::StartsOn],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CourseEnrolment::Table)
                    .col(pk_auto(CourseEnrolment::Id))
                    .col(integer(CourseEnrolment::CourseId))
                    .col(integer(CourseEnrolment::CandidateId))
                    .col(date(CourseEnrolment::EnrolledOn))
                    .col(string_len_null(CourseEnrolment::CertificateNumber, 64))
                    .col(date_null(CourseEnrolment::CertificateDate))
                    .col(created_at(CourseEnrolment::CreatedAt))
                    .foreign_key(&mut fk(
                        CourseEnrolment::Table,
                        CourseEnrolment::CourseId,
                        Course::Table,
                    ))
                    .foreign_key(&mut fk(
                        CourseEnrolment::Table,
                        CourseEnrolment::CandidateId,
                        Candidate::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            CourseEnrolment::Table,
            "uq_enrolment",
            [CourseEnrolment::CourseId, CourseEnrolment::CandidateId],
        )
        .await?;
        index(
            manager,
            CourseEnrolment::Table,
            "idx_enrolment_candidate",
            [CourseEnrolment::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DossierDocument::Table)
                    .col(pk_auto(DossierDocument::Id))
                    .col(integer(DossierDocument::CandidateId))
                    .col(string_len(DossierDocument::FormCode, 16))
                    .col(date(DossierDocument::ReceivedOn))
                    .col(text_null(DossierDocument::Note))
                    .col(created_at(DossierDocument::CreatedAt))
                    .foreign_key(&mut fk(
                        DossierDocument::Table,
                        DossierDocument::CandidateId,
                        Candidate::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            DossierDocument::Table,
            "idx_document_candidate",
            [DossierDocument::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Relative::Table)
                    .col(pk_auto(Relative::Id))
                    .col(integer(Relative::CandidateId))
                    .col(string_len(Relative::Relation, 16))
                    .col(string_len(Relative::FullName, 200))
                    .col(boolean(Relative::IsPartyMember).default(false))
                    .col(string_len(Relative::VerificationOutcome, 16))
                    .col(date_null(Relative::VerifiedOn))
                    .col(text_null(Relative::Note))
                    .col(created_at(Relative::CreatedAt))
                    .foreign_key(&mut fk(Relative::Table, Relative::CandidateId, Candidate::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Relative::Table,
            "idx_relative_candidate",
            [Relative::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Introduction::Table)
                    .col(pk_auto(Introduction::Id))
                    .col(integer(Introduction::CandidateId))
                    .col(string_len(Introduction::Kind, 16))
                    .col(integer_null(Introduction::MemberId))
                    .col(date_null(Introduction::KnownSince))
                    .col(date(Introduction::IntroducedOn))
                    .col(created_at(Introduction::CreatedAt))
                    .foreign_key(&mut fk(
                        Introduction::Table,
                        Introduction::CandidateId,
                        Candidate::Table,
                    ))
                    .foreign_key(&mut fk(Introduction::Table, Introduction::MemberId, Member::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Introduction::Table,
            "idx_introduction_candidate",
            [Introduction::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Resolution::Table)
                    .col(pk_auto(Resolution::Id))
                    .col(integer(Resolution::CandidateId))
                    .col(string_len(Resolution::Kind, 32))
                    .col(integer(Resolution::UnitId))
                    .col(date(Resolution::ResolvedOn))
                    .col(integer(Resolution::EligibleVoters))
                    .col(integer(Resolution::VotesFor))
                    .col(boolean(Resolution::Approved))
                    .col(text_null(Resolution::Note))
                    .col(created_at(Resolution::CreatedAt))
                    .foreign_key(&mut fk(Resolution::Table, Resolution::CandidateId, Candidate::Table))
                    .foreign_key(&mut fk(Resolution::Table, Resolution::UnitId, OrgUnit::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Resolution::Table,
            "idx_resolution_candidate",
            [Resolution::CandidateId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Decision::Table)
                    .col(pk_auto(Decision::Id))
                    .col(integer(Decision::CandidateId))
                    .col(string_len(Decision::Kind, 16))
                    .col(integer(Decision::UnitId))
                    .col(string_len_null(Decision::Number, 64))
                    .col(date(Decision::SignedOn))
                    .col(boolean(Decision::Extended).default(false))
                    .col(text_null(Decision::Reason))
                    .col(created_at(Decision::CreatedAt))
                    .foreign_key(&mut fk(Decision::Table, Decision::CandidateId, Candidate::Table))
                    .foreign_key(&mut fk(Decision::Table, Decision::UnitId, OrgUnit::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Decision::Table,
            "idx_decision_candidate",
            [Decision::CandidateId],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Decision::Table.into_iden(),
            Resolution::Table.into_iden(),
            Introduction::Table.into_iden(),
            Relative::Table.into_iden(),
            DossierDocument::Table.into_iden(),
            CourseEnrolment::Table.into_iden(),
            Course::Table.into_iden(),
            MentorAssignment::Table.into_iden(),
            Candidate::Table.into_iden(),
            Member::Table.into_iden(),
            PublicHoliday::Table.into_iden(),
            RulebookVersion::Table.into_iden(),
        ];
        for table in tables {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
