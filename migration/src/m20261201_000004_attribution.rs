//! Who a figure belongs to, kept on the record: the branch that admitted each member (it held
//! the ceremony) and the branch that sent each candidate to a course. Reports credit those
//! branches, so a later transfer does not move an admission or a trained candidate.

use sea_orm_migration::prelude::*;

use crate::common::{fill_and_require, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseEnrolment {
    Table,
    BranchId,
    CertificateDate,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    BranchId,
    JoinedOn,
    AdmittedInId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing, on SQLite too.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // `ADD COLUMN … REFERENCES` reads the same in SQLite and PostgreSQL (sea-query
        // cannot add a foreign key to an existing SQLite table).
        db.execute_unprepared("ALTER TABLE member ADD COLUMN admitted_in_id integer REFERENCES org_unit (id)")
            .await?;
        // Until now a member stayed in the admitting branch unless transferred; the current
        // branch is the best record there is.
        fill_and_require(manager, "member", "admitted_in_id", "branch_id").await?;
        manager
            .drop_index(Index::drop().name("idx_member_joined").table(Member::Table).to_owned())
            .await?;
        // Reports join each unit of the tree to its admissions in a period.
        index(
            manager,
            Member::Table,
            "idx_member_admitted",
            [Member::AdmittedInId, Member::JoinedOn],
        )
        .await?;

        db.execute_unprepared("ALTER TABLE course_enrolment ADD COLUMN branch_id integer REFERENCES org_unit (id)")
            .await?;
        // The candidate's branch now: right unless the candidate moved since enrolling.
        fill_and_require(
            manager,
            "course_enrolment",
            "branch_id",
            "(SELECT candidate.branch_id FROM candidate WHERE candidate.id = course_enrolment.candidate_id)",
        )
        .await?;
        index(
            manager,
            CourseEnrolment::Table,
            "idx_enrolment_branch",
            [CourseEnrolment::BranchId, CourseEnrolment::CertificateDate],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_enrolment_branch")
                    .table(CourseEnrolment::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CourseEnrolment::Table)
                    .drop_column(CourseEnrolment::BranchId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_member_admitted")
                    .table(Member::Table)
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Member::Table,
            "idx_member_joined",
            [Member::JoinedOn, Member::BranchId],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Member::Table)
                    .drop_column(Member::AdmittedInId)
                    .to_owned(),
            )
            .await
    }
}
