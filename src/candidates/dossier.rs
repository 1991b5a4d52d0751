//! Training and the dossier: awareness courses and their certificates, the dossier's
//! documents, relatives and their background verification, introductions.

use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

use entity::{candidate, course, course_enrolment, dossier_document, introduction, relative};

use super::graphql::Introduction;
use super::mutations::candidate_id;
use super::service::{self, not_before, not_in_future};
use super::source_list::{parse_optional_label, parse_person_name};
use crate::access::{Actor, Scope};
use crate::audit::service::{self as audit};
use crate::domain::dossier::{
    CourseKind, FormCode, IntroductionKind, Relation, ReplacementReason, VerificationOutcome,
};
use crate::domain::org::{self};
use crate::domain::stage::Act;
use crate::domain::text;
use crate::error::{AppError, AppResult};
use crate::graphql::enums as api;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::members::service as members;
use crate::org::tree;
use crate::training::graphql::Course;

#[derive(InputObject)]
pub struct EnrolInCourseInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    course_id: ID,
    enrolled_on: Date,
}

#[derive(InputObject)]
pub struct RecordCourseCertificateInput {
    course_id: ID,
    candidate_id: ID,
    expected_version: Option<i32>,
    /// At most 64 characters.
    certificate_number: String,
    certificate_date: Date,
}

#[derive(InputObject)]
pub struct RecordDossierDocumentInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    form_code: api::FormCode,
    received_on: Date,
    /// At most 2000 characters.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordRelativeInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    relation: api::Relation,
    /// At most 200 characters.
    full_name: String,
    #[graphql(default = false)]
    is_party_member: bool,
    #[graphql(default_with = "api::VerificationOutcome::Pending")]
    verification_outcome: api::VerificationOutcome,
    verified_on: Option<Date>,
    /// At most 2000 characters.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordBackgroundVerificationInput {
    relative_id: ID,
    expected_version: Option<i32>,
    outcome: api::VerificationOutcome,
    verified_on: Option<Date>,
}

#[derive(InputObject)]
pub struct AddIntroductionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    kind: api::IntroductionKind,
    /// The introducing official member (for `MEMBER`).
    member_id: Option<ID>,
    /// Since when the member has worked, studied or lived with the candidate.
    known_since: Option<Date>,
    /// Date of the introduction paper or union resolution.
    introduced_on: Date,
    /// The member's introduction this one replaces, when that introducer cannot continue;
    /// the replacement needs no 12 months of acquaintance (`knownSince` may be left out).
    replaces_introduction_id: Option<ID>,
    /// Why the replaced introducer cannot continue; required with `replacesIntroductionId`.
    replacement_reason: Option<api::ReplacementReason>,
}

/// `enrolInCourse`: the input checked and converted, then the act.
pub(super) async fn on_enrol_in_course(
    db: &DatabaseConnection,
    actor: &Actor,
    input: EnrolInCourseInput,
) -> AppResult<candidate::Model> {
    let id = candidate_id(&input.candidate_id)?;
    let course = expect_global_id(&input.course_id, Course::TYPENAME, "courseId")?;
    enrol_in_course(db, actor, id, input.expected_version, course, input.enrolled_on.0).await
}

/// `recordCourseCertificate`: the input checked and converted, then the act.
pub(super) async fn on_record_course_certificate(
    db: &DatabaseConnection,
    actor: &Actor,
    input: RecordCourseCertificateInput,
) -> AppResult<candidate::Model> {
    let id = candidate_id(&input.candidate_id)?;
    let course = expect_global_id(&input.course_id, Course::TYPENAME, "courseId")?;
    record_certificate(
        db,
        actor,
        course,
        id,
        input.expected_version,
        input.certificate_number,
        input.certificate_date.0,
    )
    .await
}

/// `recordDossierDocument`: the input checked and converted, then the act.
pub(super) async fn on_record_dossier_document(
    db: &DatabaseConnection,
    actor: &Actor,
    input: RecordDossierDocumentInput,
) -> AppResult<candidate::Model> {
    let id = candidate_id(&input.candidate_id)?;
    record_document(
        db,
        actor,
        id,
        input.expected_version,
        input.form_code.into(),
        input.received_on.0,
        input.note,
    )
    .await
}

/// `recordRelative`: the input checked and converted, then the act.
pub(super) async fn on_record_relative(
    db: &DatabaseConnection,
    actor: &Actor,
    input: RecordRelativeInput,
) -> AppResult<candidate::Model> {
    let id = candidate_id(&input.candidate_id)?;
    let relative = NewRelative {
        relation: input.relation.into(),
        full_name: input.full_name,
        is_party_member: input.is_party_member,
        outcome: input.verification_outcome.into(),
        verified_on: input.verified_on.map(|d| d.0),
        note: input.note,
    };
    record_relative(db, actor, id, input.expected_version, relative).await
}

/// `recordBackgroundVerification`: the input checked and converted, then the act.
pub(super) async fn on_record_background_verification(
    db: &DatabaseConnection,
    actor: &Actor,
    input: RecordBackgroundVerificationInput,
) -> AppResult<candidate::Model> {
    let relative = expect_global_id(&input.relative_id, "Relative", "relativeId")?;
    record_verification(
        db,
        actor,
        relative,
        input.expected_version,
        input.outcome.into(),
        input.verified_on.map(|d| d.0),
    )
    .await
}

/// `addIntroduction`: the input checked and converted, then the act.
pub(super) async fn on_add_introduction(
    db: &DatabaseConnection,
    actor: &Actor,
    input: AddIntroductionInput,
) -> AppResult<candidate::Model> {
    let id = candidate_id(&input.candidate_id)?;
    let introduction = NewIntroduction {
        kind: input.kind.into(),
        member_id: input
            .member_id
            .map(|m| expect_global_id(&m, Member::TYPENAME, "memberId"))
            .transpose()?,
        known_since: input.known_since.map(|d| d.0),
        introduced_on: input.introduced_on.0,
        replaces: match (input.replaces_introduction_id, input.replacement_reason) {
            (Some(id), Some(reason)) => Some((
                expect_global_id(&id, Introduction::TYPENAME, "replacesIntroductionId")?,
                reason.into(),
            )),
            (None, None) => None,
            (Some(_), None) => {
                return Err(AppError::validation(
                    "replacementReason",
                    "say why the introducer cannot continue",
                ));
            }
            (None, Some(_)) => {
                return Err(AppError::validation(
                    "replacesIntroductionId",
                    "name the introduction replaced",
                ));
            }
        },
    };
    add_introduction(db, actor, id, input.expected_version, introduction).await
}

/// Whether a course organised by `organiser` serves a candidate of `chain`: organised by
/// the branch's own line of units.
pub(super) fn course_serves(course: &course::Model, chain: &[org::ChainLink]) -> bool {
    chain.iter().any(|l| l.id == course.organiser_unit_id)
}

/// Send the candidate (or probationer) to a course.
pub async fn enrol_in_course(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    course_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("enrolledOn", on)?;
    let acting = service::begin(db, actor, id, expected, Act::EnrolInCourse, on).await?;
    let course = course::Entity::find_by_id(course_id)
        .one(&acting.txn)
        .await?
        .filter(|c| course_serves(c, &acting.chain));
    let course = course.ok_or(AppError::not_found("course"))?;
    let kind =
        CourseKind::parse(&course.kind).ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("bad course kind")))?;
    let expected_kind = if acting.stage.is_admitted() {
        CourseKind::NewMember
    } else {
        CourseKind::Awareness
    };
    if kind != expected_kind {
        return Err(AppError::rule(
            "COURSE_KIND_MISMATCH",
            format!(
                "a candidate at stage {} attends a {} course",
                acting.stage, expected_kind
            ),
        ));
    }
    let row = course_enrolment::ActiveModel {
        course_id: Set(course.id),
        candidate_id: Set(id),
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
pub async fn record_certificate(
    db: &DatabaseConnection,
    actor: &Actor,
    course_id: i32,
    candidate_id: i32,
    expected: Option<i32>,
    number: String,
    issued_on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("certificateDate", issued_on)?;
    let number = text::parse_label(&number, 64).map_err(|m| AppError::validation("certificateNumber", m))?;
    let acting = service::begin(db, actor, candidate_id, expected, Act::RecordCertificate, issued_on).await?;
    let course = crate::training::service::find(&acting.txn, actor, course_id).await?;
    let organiser_in_scope = match actor.scope() {
        Scope::All => true,
        Scope::Subtree(root) => tree::is_within(&acting.txn, course.organiser_unit_id, root).await?,
        Scope::Nothing => false,
    };
    if !organiser_in_scope {
        return Err(AppError::forbidden(
            "certificates are recorded by the course's organiser",
        ));
    }
    let enrolment = course_enrolment::Entity::find()
        .filter(course_enrolment::Column::CourseId.eq(course.id))
        .filter(course_enrolment::Column::CandidateId.eq(candidate_id))
        .one(&acting.txn)
        .await?
        .ok_or_else(|| AppError::rule("NOT_ENROLLED", "the candidate is not enrolled in this course"))?;
    not_before(
        "certificateDate",
        issued_on,
        "the course's start",
        Some(course.starts_on),
    )?;
    let mut row = enrolment.into_active_model();
    row.certificate_number = Set(Some(number));
    row.certificate_date = Set(Some(issued_on));
    let row = row.update(&acting.txn).await?;
    acting.record(json!({ "enrolment": audit::snapshot(&row)? })).await
}

pub async fn record_document(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    form: FormCode,
    received_on: NaiveDate,
    note: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("receivedOn", received_on)?;
    let note = parse_optional_label("note", note)?;
    let acting = service::begin(db, actor, id, expected, Act::RecordDocument, received_on).await?;
    let row = dossier_document::ActiveModel {
        candidate_id: Set(id),
        form_code: Set(form.as_str().to_string()),
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

pub(super) fn check_outcome_date(outcome: VerificationOutcome, verified_on: Option<NaiveDate>) -> AppResult<()> {
    match (outcome, verified_on) {
        (VerificationOutcome::Passed | VerificationOutcome::Failed, None) => Err(AppError::validation(
            "verifiedOn",
            "a verification outcome needs its date",
        )),
        (_, Some(day)) => not_in_future("verifiedOn", day),
        _ => Ok(()),
    }
}

/// Declare a relative whose background is verified (parents, parents-in-law, spouse,
/// adult children).
pub async fn record_relative(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    r: NewRelative,
) -> AppResult<candidate::Model> {
    check_outcome_date(r.outcome, r.verified_on)?;
    let full_name = parse_person_name(&r.full_name)?;
    let note = parse_optional_label("note", r.note)?;
    let acting = service::begin(db, actor, id, expected, Act::RecordRelative, crate::clock::today()).await?;
    let row = relative::ActiveModel {
        candidate_id: Set(id),
        relation: Set(r.relation.as_str().into()),
        full_name: Set(full_name),
        is_party_member: Set(r.is_party_member),
        verification_outcome: Set(r.outcome.as_str().into()),
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
        candidate_id,
        expected,
        Act::RecordVerification,
        verified_on.unwrap_or_else(crate::clock::today),
    )
    .await?;
    let current = relative::Entity::find_by_id(relative_id)
        .one(&acting.txn)
        .await?
        .ok_or(AppError::not_found("relative"))?;
    let before = audit::snapshot(&current)?;
    let mut row = current.into_active_model();
    row.verification_outcome = Set(outcome.as_str().into());
    row.verified_on = Set(verified_on);
    let row = row.update(&acting.txn).await?;
    acting
        .record(json!({ "before": before, "relative": audit::snapshot(&row)? }))
        .await
}

pub struct NewIntroduction {
    pub kind: IntroductionKind,
    pub member_id: Option<i32>,
    pub known_since: Option<NaiveDate>,
    pub introduced_on: NaiveDate,
    /// The member's introduction this one replaces, and why that introducer cannot continue.
    pub replaces: Option<(i32, ReplacementReason)>,
}

/// Record an introduction (3-KNĐ by an official member, 4-KNĐ / 4A-KNĐ by a union).
/// Whether it suffices is judged at the branch vote. An introduction may replace a member's
/// introduction whose introducer cannot continue (transferred, disciplined, deceased…): the
/// branch assigns another official member, who needs no 12 months of acquaintance (Quy định
/// 24-QĐ/TW 2021 §3.2.2), and the replaced one stops counting.
pub async fn add_introduction(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    i: NewIntroduction,
) -> AppResult<candidate::Model> {
    not_in_future("introducedOn", i.introduced_on)?;
    match (i.kind, i.member_id, i.known_since, i.replaces) {
        (IntroductionKind::Member, Some(_), Some(known), _) if known > i.introduced_on => {
            return Err(AppError::validation(
                "knownSince",
                "must be on or before the introduction",
            ));
        }
        // A replacement need not have known the candidate for long, or at all.
        (IntroductionKind::Member, Some(_), _, Some(_)) => {}
        (_, _, _, Some(_)) => {
            return Err(AppError::validation(
                "replacesIntroductionId",
                "only a member's introduction replaces another",
            ));
        }
        _ => {}
    }
    match (i.kind, i.member_id, i.known_since) {
        (IntroductionKind::Member, Some(_), Some(known)) if known > i.introduced_on => {
            return Err(AppError::validation(
                "knownSince",
                "must be on or before the introduction",
            ));
        }
        (IntroductionKind::Member, Some(_), Some(_)) => {}
        (IntroductionKind::Member, Some(_), None) if i.replaces.is_some() => {}
        (IntroductionKind::Member, _, _) => {
            return Err(AppError::validation(
                "memberId",
                "a member's introduction names the member and since when they know the candidate",
            ));
        }
        (_, Some(_), _) => return Err(AppError::validation("memberId", "a union's resolution names no member")),
        _ => {}
    }
    let acting = service::begin(db, actor, id, expected, Act::AddIntroduction, i.introduced_on).await?;
    if let Some(member_id) = i.member_id {
        members::find(&acting.txn, actor.scope(), member_id).await?;
    }
    if let Some((replaced_id, _)) = i.replaces {
        // Another candidate's introduction answers like a missing one.
        let replaced = introduction::Entity::find_by_id(replaced_id)
            .filter(introduction::Column::CandidateId.eq(id))
            .one(&acting.txn)
            .await?
            .ok_or(AppError::not_found("introduction"))?;
        let already = introduction::Entity::find()
            .filter(introduction::Column::ReplacesId.eq(replaced_id))
            .one(&acting.txn)
            .await?;
        if replaced.kind != IntroductionKind::Member.as_str() || already.is_some() {
            return Err(AppError::rule(
                "INTRODUCTION_NOT_REPLACEABLE",
                "only a member's introduction not yet replaced can be replaced",
            ));
        }
        if replaced.member_id == i.member_id {
            return Err(AppError::validation(
                "memberId",
                "the replacement is another member than the one replaced",
            ));
        }
        not_before(
            "introducedOn",
            i.introduced_on,
            "the introduction it replaces",
            Some(replaced.introduced_on),
        )?;
    }
    let row = introduction::ActiveModel {
        candidate_id: Set(id),
        kind: Set(i.kind.as_str().into()),
        member_id: Set(i.member_id),
        known_since: Set(i.known_since),
        introduced_on: Set(i.introduced_on),
        replaces_id: Set(i.replaces.map(|(r, _)| r)),
        replacement_reason: Set(i.replaces.map(|(_, why)| why.as_str().to_string())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "introduction": audit::snapshot(&row)? })).await
}

/// The latest awareness-course certificate issued on or before `on`.
pub(super) async fn awareness_certificate(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    latest_certificate(db, candidate_id, CourseKind::Awareness, on).await
}

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
        .filter(course::Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?;
    Ok(enrolments
        .iter()
        .filter(|e| courses.iter().any(|c| c.id == e.course_id))
        .filter_map(|e| e.certificate_date)
        .filter(|d| *d <= on)
        .max())
}
