//! Training and the dossier: awareness courses and their certificates, the dossier's
//! documents, relatives and their background verification, introductions.

use super::records::ActTarget;
use super::service::{self, Subject};
use super::source_list::{parse_optional_label, parse_person_name};
use crate::access::{Actor, Scope};
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::dossier::{CourseKind, FormCode, Relation, VerificationOutcome};
use crate::domain::org::{self};
use crate::domain::stage::Act;
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, noun, tr};
use crate::graphql::enums as api;
use crate::graphql::scalars::Date;
use crate::org::tree;
use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use entity::{candidate, course, course_enrolment, dossier_document, relative};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

/// Send a candidate to an awareness course, or a probationer to a new-member course.
#[derive(InputObject)]
pub struct EnrolInCourseInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The course, organised by a unit on the branch's own line; its kind must fit the stage.
    pub(super) course_id: ID,
    /// Date of enrolment.
    pub(super) enrolled_on: Date,
}

/// Record the certificate a course issued to someone enrolled in it. By the course's organiser.
#[derive(InputObject)]
pub struct RecordCourseCertificateInput {
    /// The course that issued the certificate; the person must be enrolled in it.
    pub(super) course_id: ID,
    /// The candidate or probationer who earned it.
    pub(super) candidate_id: ID,
    /// The candidate's `version` as last read; refused with `CONFLICT` if it has changed (omit to skip the check).
    pub(super) expected_version: Option<i32>,
    /// Certificate number (e.g. the CN-NTVĐ number). At most 64 characters.
    pub(super) certificate_number: String,
    /// Date of issue, not before the course's start; the certificate's validity runs from it.
    pub(super) certificate_date: Date,
}

/// Record a form of the dossier as received (1-KNĐ … 16-KNĐ, CN-NTVĐ).
#[derive(InputObject)]
pub struct RecordDossierDocumentInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Which form.
    pub(super) form_code: api::FormCode,
    /// Date the branch received the form.
    pub(super) received_on: Date,
    /// Remark on the form. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// Declare a relative whose background is verified: parents, parents-in-law, spouse, adult children.
#[derive(InputObject)]
pub struct RecordRelativeInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// How the relative is related to the candidate.
    pub(super) relation: api::Relation,
    /// Full name with diacritics. At most 200 characters.
    pub(super) full_name: String,
    /// Whether the relative is a Party member.
    #[graphql(default = false)]
    pub(super) is_party_member: bool,
    /// The outcome as the branch last noted it (default `PENDING`); the branch vote reads the
    /// grassroots committee's conclusion instead (`concludeBackgroundVerification`).
    #[graphql(
        default_with = "api::VerificationOutcome::Pending",
        deprecation = "verify with sendBackgroundCheck and recordBackgroundReply; the vote reads concludeBackgroundVerification"
    )]
    pub(super) verification_outcome: api::VerificationOutcome,
    /// Date of the outcome; required with `PASSED` or `FAILED`.
    #[graphql(deprecation = "verify with sendBackgroundCheck and recordBackgroundReply")]
    pub(super) verified_on: Option<Date>,
    /// Remark on the relative. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// Record the outcome of a relative's background verification (thẩm tra lý lịch).
#[derive(InputObject)]
pub struct RecordBackgroundVerificationInput {
    /// The relative verified (`Relative.id`).
    pub(super) relative_id: ID,
    /// The `version` of the relative's candidate as last read; refused with `CONFLICT` if changed (omit: no check).
    pub(super) expected_version: Option<i32>,
    /// The outcome.
    pub(super) outcome: api::VerificationOutcome,
    /// Date of the outcome; required with `PASSED` or `FAILED`.
    pub(super) verified_on: Option<Date>,
}

/// Whether a course organised by `organiser` serves a candidate of `chain`: organised by
/// the branch's own line of units.
pub(super) fn course_serves(course: &course::Model, chain: &[org::ChainLink]) -> bool {
    chain.iter().any(|l| l.id == course.organiser_unit_id)
}

/// Send the candidate (or probationer) to a course.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enrol_in_course(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    course_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("enrolledOn", on)?;
    let acting = service::begin(db, actor, subject, Act::EnrolInCourse, on).await?;
    let course = course::Entity::find_by_id(course_id)
        .one(&acting.txn)
        .await?
        .filter(|c| course_serves(c, &acting.chain));
    let course = course.ok_or(AppError::not_found(noun::COURSE))?;
    let kind = course.kind;
    let expected_kind = if acting.stage.is_admitted() {
        CourseKind::NewMember
    } else {
        CourseKind::Awareness
    };
    if kind != expected_kind {
        return Err(AppError::rule(
            "COURSE_KIND_MISMATCH",
            tr!(
                "a candidate at stage {} attends a {} course",
                "người xin vào Đảng ở giai đoạn {} học lớp {}",
                acting.stage,
                expected_kind
            ),
        ));
    }
    let row = course_enrolment::ActiveModel {
        course_id: Set(course.id),
        candidate_id: Set(subject.id),
        branch_id: Set(acting.branch_id()),
        enrolled_on: Set(on),
        certificate_number: Set(None),
        certificate_date: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "enrolment": audit::snapshot(&row)? })).await
}

/// Record the certificate a course issued to a candidate. Done by the course's organiser
/// (or a unit above it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_certificate(
    db: &DatabaseConnection,
    actor: &Actor,
    course_id: i32,
    subject: Subject,
    number: String,
    issued_on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("certificateDate", issued_on)?;
    let number = text::parse_label(&number, 64).map_err(|m| AppError::validation("certificateNumber", m))?;
    let acting = service::begin(db, actor, subject, Act::RecordCertificate, issued_on).await?;
    let course = crate::training::service::find(&acting.txn, actor, course_id).await?;
    let organiser_in_scope = match actor.scope() {
        Scope::All => true,
        Scope::Subtree(root) => tree::is_within(&acting.txn, course.organiser_unit_id, root).await?,
        Scope::Nothing => false,
    };
    if !organiser_in_scope {
        return Err(AppError::forbidden(Text::fixed(
            "certificates are recorded by the course's organiser",
            "giấy chứng nhận do đơn vị tổ chức lớp bồi dưỡng ghi nhận",
        )));
    }
    let enrolment = course_enrolment::Entity::find()
        .filter(course_enrolment::Column::CourseId.eq(course.id))
        .filter(course_enrolment::Column::CandidateId.eq(subject.id))
        .one(&acting.txn)
        .await?
        .ok_or_else(|| {
            AppError::rule(
                "NOT_ENROLLED",
                Text::fixed(
                    "the candidate is not enrolled in this course",
                    "người xin vào Đảng chưa đăng ký học lớp bồi dưỡng này",
                ),
            )
        })?;
    not_before(
        "certificateDate",
        issued_on,
        &Text::fixed("the course's start", "ngày khai giảng lớp"),
        Some(course.starts_on),
    )?;
    let mut row = enrolment.into_active_model();
    row.certificate_number = Set(Some(number));
    row.certificate_date = Set(Some(issued_on));
    let row = row.update(&acting.txn).await?;
    acting.record(json!({ "enrolment": audit::snapshot(&row)? })).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_document(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    form: FormCode,
    received_on: NaiveDate,
    note: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("receivedOn", received_on)?;
    let note = parse_optional_label("note", note)?;
    let acting = service::begin(db, actor, subject, Act::RecordDocument, received_on).await?;
    let row = dossier_document::ActiveModel {
        candidate_id: Set(subject.id),
        form_code: Set(form),
        received_on: Set(received_on),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "document": audit::snapshot(&row)? })).await
}

pub struct NewRelative {
    pub relation: Relation,
    pub full_name: String,
    pub is_party_member: bool,
    pub outcome: VerificationOutcome,
    pub verified_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl From<RecordRelativeInput> for NewRelative {
    fn from(input: RecordRelativeInput) -> NewRelative {
        NewRelative {
            relation: input.relation.into(),
            full_name: input.full_name,
            is_party_member: input.is_party_member,
            outcome: input.verification_outcome.into(),
            verified_on: input.verified_on.map(|d| d.0),
            note: input.note,
        }
    }
}

pub(super) fn check_outcome_date(outcome: VerificationOutcome, verified_on: Option<NaiveDate>) -> AppResult<()> {
    match (outcome, verified_on) {
        (VerificationOutcome::Passed | VerificationOutcome::Failed, None) => Err(AppError::validation(
            "verifiedOn",
            Text::fixed(
                "a verification outcome needs its date",
                "kết quả thẩm tra phải có ngày thẩm tra",
            ),
        )),
        (_, Some(day)) => not_in_future("verifiedOn", day),
        _ => Ok(()),
    }
}

/// Declare a relative whose background is verified (parents, parents-in-law, spouse,
/// adult children).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_relative(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    r: NewRelative,
) -> AppResult<candidate::Model> {
    check_outcome_date(r.outcome, r.verified_on)?;
    let full_name = parse_person_name(&r.full_name)?;
    let note = parse_optional_label("note", r.note)?;
    let acting = service::begin(db, actor, subject, Act::RecordRelative, crate::clock::today()).await?;
    let row = relative::ActiveModel {
        candidate_id: Set(subject.id),
        relation: Set(r.relation),
        full_name: Set(full_name),
        is_party_member: Set(r.is_party_member),
        verification_outcome: Set(r.outcome),
        verified_on: Set(r.verified_on),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "relative": audit::snapshot(&row)? })).await
}

/// Record the outcome of a relative's background verification.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_verification(
    db: &DatabaseConnection,
    actor: &Actor,
    relative_id: i32,
    expected: Option<i32>,
    outcome: VerificationOutcome,
    verified_on: Option<NaiveDate>,
) -> AppResult<candidate::Model> {
    check_outcome_date(outcome, verified_on)?;
    // Out of scope answers exactly like missing: the relative is looked up in scope.
    let candidate_id = crate::access::find::<relative::Entity>(db, actor.scope(), relative_id)
        .await?
        .candidate_id;
    let acting = service::begin(
        db,
        actor,
        Subject {
            id: candidate_id,
            expected,
        },
        Act::RecordVerification,
        verified_on.unwrap_or_else(crate::clock::today),
    )
    .await?;
    let current = relative::Entity::find_by_id(relative_id)
        .one(&acting.txn)
        .await?
        .ok_or(AppError::not_found(noun::RELATIVE))?;
    let before = audit::snapshot(&current)?;
    let mut row = current.into_active_model();
    row.verification_outcome = Set(outcome);
    row.verified_on = Set(verified_on);
    let row = row.update(&acting.txn).await?;
    acting
        .record(json!({ "before": before, "relative": audit::snapshot(&row)? }))
        .await
}

/// The latest awareness-course certificate issued on or before `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn awareness_certificate(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    latest_certificate(db, candidate_id, CourseKind::Awareness, on).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn latest_certificate(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    kind: CourseKind,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    let enrolments = course_enrolment::Entity::find()
        .filter(course_enrolment::Column::CandidateId.eq(candidate_id))
        .filter(course_enrolment::Column::CertificateDate.is_not_null())
        .all(db)
        .await?;
    let course_ids: Vec<i32> = enrolments.iter().map(|e| e.course_id).collect();
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .filter(course::Column::Kind.eq(kind))
        .all(db)
        .await?;
    Ok(enrolments
        .iter()
        .filter(|e| courses.iter().any(|c| c.id == e.course_id))
        .filter_map(|e| e.certificate_date)
        .filter(|d| *d <= on)
        .max())
}
