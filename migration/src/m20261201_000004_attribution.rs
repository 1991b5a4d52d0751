//! Who a figure belongs to, kept on the record: the branch that admitted each member (it held
//! the ceremony) and the branch that sent each candidate to a course. Reports credit those
//! branches, so a later transfer does not move an admission or a trained candidate.

use sea_orm_migration::prelude::*;

use crate::common::{drop_requirement, fill_and_require, index};

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
        // The audit trail knows where each ceremony was held (an event's unit is the
        // candidate's branch after the act); members imported or seeded without one were
        // admitted where they are registered, as far as Ketnap knows.
        fill_and_require(
            manager,
            "member",
            "admitted_in_id",
            "COALESCE((SELECT e.unit_id FROM audit_event e \
               WHERE e.entity_type = 'Candidate' AND e.entity_id = member.candidate_id \
                 AND e.act = 'recordAdmissionCeremony' ORDER BY e.id DESC LIMIT 1), branch_id)",
        )
        .await?;
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
        // The branch that recorded the enrolment, from its audit event (the event's record
        // names the enrolment); otherwise the candidate's branch now.
        let enrolment_of_event = match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                "(e.after -> 'record' -> 'enrolment' ->> 'id')::integer"
            }
            _ => "json_extract(e.after, '$.record.enrolment.id')",
        };
        fill_and_require(
            manager,
            "course_enrolment",
            "branch_id",
            &format!(
                "COALESCE((SELECT e.unit_id FROM audit_event e \
                   WHERE e.entity_type = 'Candidate' AND e.entity_id = course_enrolment.candidate_id \
                     AND e.act = 'enrolInCourse' AND {enrolment_of_event} = course_enrolment.id LIMIT 1), \
                 (SELECT c.branch_id FROM candidate c WHERE c.id = course_enrolment.candidate_id))"
            ),
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
        drop_requirement(manager, "course_enrolment", "branch_id").await?;
        drop_requirement(manager, "member", "admitted_in_id").await?;
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
