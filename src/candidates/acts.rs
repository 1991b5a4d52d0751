//! The acts on a candidate, one function each. Every act goes through
//! [`service::begin`] and [`Acting::finish`], so scope, actor, version, stage, deadline and
//! audit are handled alike; what remains here is each act's own rule.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;

use entity::{
    candidate, course, course_enrolment, decision, dossier_document, introduction, member, mentor_assignment, relative,
    residential_area, resolution,
};

use super::service::{self, Acting, not_before, not_in_future};
use crate::access::{Actor, Scope};
use crate::audit::service::{self as audit, Event};
use crate::domain::dossier::{
    CourseKind, DecisionKind, FormCode, IntroductionKind, Relation, ReplacementReason, ResolutionKind,
    VerificationOutcome,
};
use crate::domain::eligibility::{self, BranchVoteFacts, IntroductionFacts};
use crate::domain::ethnicity::Ethnicity;
use crate::domain::org::{self, OrgKind};
use crate::domain::person::{
    Gender, GeneralEducation, MemberStatus, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation,
};
use crate::domain::readmission;
use crate::domain::stage::{Act, Stage};
use crate::domain::vote::LeftOutReason;
use crate::domain::{deadline, text};
use crate::error::{AppError, AppResult, stored};
use crate::members::service as members;
use crate::org::{service as units, tree};
use crate::rules::store as rules;

/// Who the candidate is: the attributes the rules and the reports use.
#[derive(Debug, Clone)]
pub struct PersonDetails {
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: Ethnicity,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_level: ProfessionalLevel,
    pub political_theory_level: PoliticalTheoryLevel,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub residential_area_id: Option<i32>,
    pub citizen_id: Option<String>,
    pub source_organisation: SourceOrganisation,
    pub returned_soldier: bool,
    pub difficult_area_education_exception: bool,
}

/// A citizen identity number (căn cước công dân): 12 digits.
pub fn parse_citizen_id(input: &str) -> AppResult<String> {
    crate::domain::person::parse_citizen_id(input).map_err(|m| AppError::validation("citizenId", m))
}

/// A citizen ID may be held by one candidate in the actor's scope. Candidates the actor
/// cannot see are not consulted, so the answer says nothing about them; a person listed
/// in two places shows in `possibleDuplicates` of a unit that sees both.
async fn check_citizen_id_free(
    db: &impl ConnectionTrait,
    actor: &Actor,
    citizen_id: Option<&str>,
    except: Option<i32>,
) -> AppResult<()> {
    let Some(citizen_id) = citizen_id else { return Ok(()) };
    let mut query = candidate::Entity::find()
        .filter(candidate::Column::CitizenId.eq(citizen_id))
        .filter(<candidate::Entity as crate::access::Scoped>::visible(actor.scope()));
    if let Some(id) = except {
        query = query.filter(candidate::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::Conflict(
            "a candidate in your scope already has this citizen ID".into(),
        ));
    }
    Ok(())
}

pub fn parse_person_name(input: &str) -> AppResult<String> {
    text::parse_label(input, 200).map_err(|m| AppError::validation("fullName", m))
}

pub fn parse_optional_label(field: &'static str, input: Option<String>) -> AppResult<Option<String>> {
    text::parse_optional_label(input, 200).map_err(|m| AppError::validation(field, m))
}

/// A residential area must lie in the commune of the candidate's branch.
async fn check_area(db: &impl ConnectionTrait, branch_id: i32, area_id: Option<i32>) -> AppResult<()> {
    let Some(area_id) = area_id else { return Ok(()) };
    let chain = tree::chain(db, branch_id).await?;
    let commune = org::commune_of(&chain).map(|g| g.id);
    let area = residential_area::Entity::find_by_id(area_id).one(db).await?;
    match area {
        Some(area) if Some(area.commune_id) == commune => Ok(()),
        _ => Err(AppError::validation(
            "residentialAreaId",
            "not a residential area of the branch's commune",
        )),
    }
}

pub struct NewCandidate {
    /// Default: the actor's own branch.
    pub branch_id: Option<i32>,
    /// Date of the branch resolution adding the person to the source list.
    pub listed_on: NaiveDate,
    pub person: PersonDetails,
}

/// Put a person on the branch's source list (the branch's monthly resolution).
pub async fn add_to_source_list(
    db: &DatabaseConnection,
    actor: &Actor,
    cmd: NewCandidate,
) -> AppResult<candidate::Model> {
    actor.require_staff()?;
    not_in_future("listedOn", cmd.listed_on)?;
    let branch_id = cmd
        .branch_id
        .or(actor.unit_id)
        .ok_or_else(|| AppError::validation("branchId", "name the branch"))?;
    let txn = crate::db::begin_write(db).await?;
    let branch = units::find(&txn, actor.scope(), branch_id).await?;
    if tree::parse_kind(&branch.kind)? != OrgKind::Branch {
        return Err(AppError::validation("branchId", "candidates belong to a branch"));
    }
    if actor.unit_id != Some(branch.id) {
        return Err(AppError::forbidden("addToSourceList is done by the candidate's branch"));
    }
    if branch.closed_on.is_some() {
        return Err(AppError::rule("ORG_UNIT_CLOSED", "the branch is closed"));
    }
    if cmd.person.birth_date >= cmd.listed_on {
        return Err(AppError::validation("birthDate", "must be before the listing date"));
    }
    check_area(&txn, branch.id, cmd.person.residential_area_id).await?;
    check_citizen_id_free(&txn, actor, cmd.person.citizen_id.as_deref(), None).await?;
    let readmission_of = match cmd.person.citizen_id.as_deref() {
        Some(citizen_id) => readmission_of(&txn, citizen_id).await?,
        None => None,
    };
    let p = cmd.person;
    let now = Utc::now();
    let row = candidate::ActiveModel {
        branch_id: Set(branch.id),
        search_key: Set(text::search_key(&p.full_name)),
        full_name: Set(p.full_name),
        gender: Set(p.gender.as_str().into()),
        birth_date: Set(p.birth_date),
        ethnicity: Set(p.ethnicity.as_str().into()),
        religion: Set(p.religion.as_str().into()),
        general_education: Set(p.general_education.as_str().into()),
        professional_level: Set(p.professional_level.as_str().into()),
        political_theory_level: Set(p.political_theory_level.as_str().into()),
        occupation: Set(p.occupation),
        workplace: Set(p.workplace),
        residential_area_id: Set(p.residential_area_id),
        citizen_id: Set(p.citizen_id),
        source_organisation: Set(p.source_organisation.as_str().into()),
        returned_soldier: Set(p.returned_soldier),
        difficult_area_education_exception: Set(p.difficult_area_education_exception),
        stage: Set(Stage::SourceList.as_str().into()),
        listed_on: Set(cmd.listed_on),
        branch_resolution_on: Set(None),
        decision_extended: Set(false),
        decision_signed_on: Set(None),
        ceremony_on: Set(None),
        probation_ends_on: Set(None),
        recognition_commune_on: Set(None),
        official_on: Set(None),
        exited_on: Set(None),
        exit_reason: Set(None),
        next_due_kind: Set(None),
        next_due_on: Set(None),
        readmission_of_member_id: Set(readmission_of.map(|m| m.id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = Event {
        act: "addToSourceList",
        entity_type: service::ENTITY,
        entity_id: row.id,
        unit_id: Some(row.branch_id),
        before: None,
        after: Some(json!({ "candidate": audit::snapshot(&row)? })),
    };
    audit::record(&txn, Some(actor), event).await?;
    txn.commit().await?;
    Ok(row)
}

/// Corrections to a candidate's details; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct DetailChanges {
    pub full_name: Option<String>,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<Religion>,
    pub general_education: Option<GeneralEducation>,
    pub professional_level: Option<ProfessionalLevel>,
    pub political_theory_level: Option<PoliticalTheoryLevel>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub residential_area_id: Option<i32>,
    pub citizen_id: Option<String>,
    pub source_organisation: Option<SourceOrganisation>,
    pub returned_soldier: Option<bool>,
    pub difficult_area_education_exception: Option<bool>,
}

pub async fn update_details(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    c: DetailChanges,
) -> AppResult<candidate::Model> {
    let acting = service::begin(db, actor, id, expected, Act::UpdateDetails, crate::clock::today()).await?;
    check_area(&acting.txn, acting.branch_id(), c.residential_area_id).await?;
    check_citizen_id_free(&acting.txn, actor, c.citizen_id.as_deref(), Some(id)).await?;
    let mut changes = <candidate::ActiveModel as Default>::default();
    if let Some(name) = c.full_name {
        changes.search_key = Set(text::search_key(&name));
        changes.full_name = Set(name);
    }
    let code = |v: &str| Set(v.to_string());
    if let Some(v) = c.gender {
        changes.gender = code(v.as_str());
    }
    if let Some(v) = c.birth_date {
        changes.birth_date = Set(v);
    }
    if let Some(v) = c.ethnicity {
        changes.ethnicity = code(v.as_str());
    }
    if let Some(v) = c.religion {
        changes.religion = code(v.as_str());
    }
    if let Some(v) = c.general_education {
        changes.general_education = code(v.as_str());
    }
    if let Some(v) = c.professional_level {
        changes.professional_level = code(v.as_str());
    }
    if let Some(v) = c.political_theory_level {
        changes.political_theory_level = code(v.as_str());
    }
    if let Some(v) = c.occupation {
        changes.occupation = Set(Some(v));
    }
    if let Some(v) = c.workplace {
        changes.workplace = Set(Some(v));
    }
    if let Some(v) = c.residential_area_id {
        changes.residential_area_id = Set(Some(v));
    }
    if let Some(v) = c.citizen_id {
        // A citizen ID given later is checked against the former members as at the listing.
        if acting.before.ceremony_on.is_none() {
            let former = readmission_of(&acting.txn, &v).await?;
            changes.readmission_of_member_id = Set(former.map(|m| m.id));
        }
        changes.citizen_id = Set(Some(v));
    }
    if let Some(v) = c.source_organisation {
        changes.source_organisation = code(v.as_str());
    }
    if let Some(v) = c.returned_soldier {
        changes.returned_soldier = Set(v);
    }
    if let Some(v) = c.difficult_area_education_exception {
        changes.difficult_area_education_exception = Set(v);
    }
    acting.finish(changes, json!({})).await
}

/// End the candidate's path: dropped, rejected, withdrawn.
async fn exit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    act: Act,
    on: NaiveDate,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("date", on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, id, expected, act, on).await?;
    not_before("date", on, "the listing", Some(acting.before.listed_on))?;
    let changes = candidate::ActiveModel {
        exited_on: Set(Some(on)),
        exit_reason: Set(Some(reason.clone())),
        ..Default::default()
    };
    let ended_mentoring = end_mentoring(&acting, on, &reason).await?;
    acting
        .finish(
            changes,
            json!({ "on": on, "reason": reason, "mentoringEnded": ended_mentoring }),
        )
        .await
}

pub async fn drop_from_source_list(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    on: NaiveDate,
    reason: String,
) -> AppResult<candidate::Model> {
    exit(db, actor, id, expected, Act::DropFromSourceList, on, reason).await
}

/// Reject at whatever vote or decision holds the dossier now, with the reason.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    on: NaiveDate,
    reason: String,
) -> AppResult<candidate::Model> {
    exit(db, actor, id, expected, Act::Reject, on, reason).await
}

pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    on: NaiveDate,
    reason: String,
) -> AppResult<candidate::Model> {
    exit(db, actor, id, expected, Act::Withdraw, on, reason).await
}

async fn end_mentoring(acting: &Acting<'_>, on: NaiveDate, reason: &str) -> AppResult<u64> {
    let result = mentor_assignment::Entity::update_many()
        .col_expr(mentor_assignment::Column::EndedOn, sea_orm::sea_query::Expr::value(on))
        .col_expr(
            mentor_assignment::Column::EndReason,
            sea_orm::sea_query::Expr::value(reason.to_string()),
        )
        .filter(mentor_assignment::Column::CandidateId.eq(acting.before.id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .exec(&acting.txn)
        .await?;
    Ok(result.rows_affected)
}

/// An official member of the candidate's branch, on `on`.
async fn official_member_of_branch(
    acting: &Acting<'_>,
    member_id: i32,
    on: NaiveDate,
    role: &str,
) -> AppResult<member::Model> {
    let member = members::find(&acting.txn, acting.actor.scope(), member_id).await?;
    if member.branch_id != acting.branch_id() {
        return Err(AppError::rule(
            "MEMBER_NOT_IN_BRANCH",
            format!("the {role} must be a member of the candidate's branch"),
        ));
    }
    if members::official_since(&member, on).is_none() {
        return Err(AppError::rule(
            "MEMBER_NOT_OFFICIAL",
            format!("the {role} must be an official member on {on}"),
        ));
    }
    Ok(member)
}

/// Assign an official member of the branch to help the candidate.
pub async fn assign_mentor(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    member_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("assignedOn", on)?;
    let acting = service::begin(db, actor, id, expected, Act::AssignMentor, on).await?;
    let member = official_member_of_branch(&acting, member_id, on, "mentor").await?;
    let already = mentor_assignment::Entity::find()
        .filter(mentor_assignment::Column::CandidateId.eq(id))
        .filter(mentor_assignment::Column::MemberId.eq(member.id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .one(&acting.txn)
        .await?;
    if already.is_some() {
        return Err(AppError::rule(
            "MENTOR_ALREADY_ASSIGNED",
            "this member already helps the candidate",
        ));
    }
    let row = mentor_assignment::ActiveModel {
        candidate_id: Set(id),
        member_id: Set(member.id),
        assigned_on: Set(on),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting
        .record(json!({ "mentorAssignment": audit::snapshot(&row)? }))
        .await
}

/// Replace a mentor: the assignment ends and another official member takes over.
pub struct MentorReplacement {
    /// The assignment that ends.
    pub assignment_id: i32,
    pub new_member_id: i32,
    pub on: NaiveDate,
    pub reason: String,
}

pub async fn replace_mentor(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    r: MentorReplacement,
) -> AppResult<candidate::Model> {
    let MentorReplacement {
        assignment_id,
        new_member_id,
        on,
        reason,
    } = r;
    not_in_future("replacedOn", on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, id, expected, Act::ReplaceMentor, on).await?;
    let current = mentor_assignment::Entity::find_by_id(assignment_id)
        .filter(mentor_assignment::Column::CandidateId.eq(id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .one(&acting.txn)
        .await?
        .ok_or(AppError::not_found("mentor assignment"))?;
    not_before("replacedOn", on, "the assignment", Some(current.assigned_on))?;
    let member = official_member_of_branch(&acting, new_member_id, on, "mentor").await?;
    let mut ended = current.clone().into_active_model();
    ended.ended_on = Set(Some(on));
    ended.end_reason = Set(Some(reason));
    let ended = ended.update(&acting.txn).await?;
    let row = mentor_assignment::ActiveModel {
        candidate_id: Set(id),
        member_id: Set(member.id),
        assigned_on: Set(on),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting
        .record(json!({ "ended": audit::snapshot(&ended)?, "assigned": audit::snapshot(&row)? }))
        .await
}

/// Whether a course organised by `organiser` serves a candidate of `chain`: organised by
/// the branch's own line of units.
fn course_serves(course: &course::Model, chain: &[org::ChainLink]) -> bool {
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

fn check_outcome_date(outcome: VerificationOutcome, verified_on: Option<NaiveDate>) -> AppResult<()> {
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

/// A tally as recorded: the day, the members it is measured against, the votes for. A
/// committee's vote names the committee's size; a branch's is counted (`BranchVote`).
#[derive(Debug, Clone, Copy)]
pub struct Vote {
    pub on: NaiveDate,
    pub eligible: u32,
    pub votes_for: u32,
}

/// A branch meeting's vote: measured against the official members on the registry on the
/// day, less those left out by name.
pub struct BranchVote {
    pub on: NaiveDate,
    pub votes_for: u32,
    pub left_out: Vec<LeftOut>,
}

/// An official member not counted, and the reason the rules allow.
#[derive(Debug, Clone, Copy)]
pub struct LeftOut {
    pub member_id: i32,
    pub reason: LeftOutReason,
}

/// The members `vote` is measured against: the branch's official members on the registry
/// on the vote date less those left out, each of whom must be one of them, named once
/// (Quy định 45-QĐ/TW 2011 §16.3a; see [`LeftOutReason`]).
async fn counted_members(acting: &Acting<'_>, vote: &BranchVote) -> AppResult<u32> {
    let mut named = std::collections::HashSet::new();
    for left in &vote.left_out {
        if !named.insert(left.member_id) {
            return Err(AppError::validation("leftOut", "a member is named twice"));
        }
        let member = members::find(&acting.txn, acting.actor.scope(), left.member_id).await?;
        if member.branch_id != acting.branch_id() || members::official_since(&member, vote.on).is_none() {
            return Err(AppError::validation(
                "leftOut",
                "only an official member of the candidate's branch on the vote's date can be left out",
            ));
        }
    }
    let registry = members::count_official(&acting.txn, acting.branch_id(), vote.on).await?;
    let counted = crate::domain::vote::members_counted(registry, vote.left_out.len())?;
    check_tally(vote.votes_for, counted)?;
    Ok(counted)
}

/// A branch vote on record: the resolution and the members left out of its count.
async fn insert_branch_resolution(
    acting: &Acting<'_>,
    kind: ResolutionKind,
    vote: &BranchVote,
    counted: u32,
    approved: bool,
    note: Option<String>,
) -> AppResult<(resolution::Model, Vec<entity::vote_exclusion::Model>)> {
    let tally = Vote {
        on: vote.on,
        eligible: counted,
        votes_for: vote.votes_for,
    };
    let row = insert_resolution(acting, kind, acting.branch_id(), tally, approved, note).await?;
    let mut left_out = Vec::with_capacity(vote.left_out.len());
    for left in &vote.left_out {
        left_out.push(
            entity::vote_exclusion::ActiveModel {
                resolution_id: Set(row.id),
                member_id: Set(left.member_id),
                reason: Set(left.reason.as_str().into()),
                ..Default::default()
            }
            .insert(&acting.txn)
            .await?,
        );
    }
    Ok((row, left_out))
}

fn check_tally(votes_for: u32, eligible: u32) -> AppResult<()> {
    if eligible == 0 {
        return Err(AppError::validation("eligibleVoters", "must be at least 1"));
    }
    if votes_for > eligible {
        return Err(AppError::validation(
            "votesFor",
            format!("{votes_for} votes for, but only {eligible} may vote"),
        ));
    }
    Ok(())
}

async fn insert_resolution(
    acting: &Acting<'_>,
    kind: ResolutionKind,
    unit_id: i32,
    vote: Vote,
    approved: bool,
    note: Option<String>,
) -> AppResult<resolution::Model> {
    Ok(resolution::ActiveModel {
        candidate_id: Set(acting.before.id),
        kind: Set(kind.as_str().into()),
        unit_id: Set(unit_id),
        resolved_on: Set(vote.on),
        eligible_voters: Set(vote.eligible as i32),
        votes_for: Set(vote.votes_for as i32),
        approved: Set(approved),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?)
}

/// Consents of the province that lift a limit for one candidate.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvincialConsent {
    /// Admission above the maximum age.
    pub over_age: bool,
    /// Literacy in place of primary education (village elders and heads in difficult areas).
    pub literacy: bool,
    /// Re-admission of a former member (Quy định 294-QĐ/TW 2025 §3.5.1 b).
    pub readmission: bool,
}

/// The former member a person listed with `citizen_id` would be re-admitted as, found in the
/// whole registry (a person who left in one province is the same person in another), after
/// the rules that refuse the listing outright (Quy định 294-QĐ/TW 2025 §3.5.2–3.5.3). The
/// refusal names the rule, never the unit that holds the record.
async fn readmission_of(db: &impl ConnectionTrait, citizen_id: &str) -> AppResult<Option<member::Model>> {
    use sea_orm::QueryOrder;
    let former = member::Entity::find()
        .filter(member::Column::CitizenId.eq(citizen_id))
        .filter(member::Column::Status.is_in([MemberStatus::Left.as_str(), MemberStatus::StruckOff.as_str()]))
        .order_by_desc(member::Column::LeftOn)
        .one(db)
        .await?;
    let Some(former) = former else { return Ok(None) };
    let readmitted_before = candidate::Entity::find()
        .filter(candidate::Column::CitizenId.eq(citizen_id))
        .filter(candidate::Column::ReadmissionOfMemberId.is_not_null())
        .filter(candidate::Column::CeremonyOn.is_not_null())
        .one(db)
        .await?
        .is_some();
    readmission::check_listing(&former_member(&former)?, readmitted_before)?;
    Ok(Some(former))
}

fn former_member(m: &member::Model) -> AppResult<readmission::FormerMember> {
    let reason = m
        .left_reason
        .as_deref()
        .map(|code| stored(readmission::LeftReason::parse(code), "reason for leaving", code))
        .transpose()?;
    Ok(readmission::FormerMember {
        left_on: m.left_on,
        reason,
        record_expunged_on: m.record_expunged_on,
        first_decision: m.decision_date,
    })
}

/// The branch votes on proposing admission (6-KNĐ). Refused, with nothing recorded, unless
/// every condition holds on the vote's date. The vote itself is recorded whatever its
/// tally: with two thirds of the counted members for, the candidate goes up; short of it,
/// the resolution stands on record with its tally for the committee above to see
/// (`approved: false`), and the candidate stays on the source list, where the branch may
/// cultivate and vote again (Hướng dẫn 01-HD/TW 2021, kept by 06-HD/TW 2025: the full
/// result of the vote is reported upward).
pub async fn record_branch_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: BranchVote,
    consent: ProvincialConsent,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let mut acting = service::begin(db, actor, id, expected, Act::RecordBranchResolution, vote.on).await?;
    let c = acting.before.clone();
    not_before("resolvedOn", vote.on, "the listing", Some(c.listed_on))?;
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let eligible = counted_members(&acting, &vote).await?;
    if let Some(former_id) = c.readmission_of_member_id {
        let former = member::Entity::find_by_id(former_id)
            .one(&acting.txn)
            .await?
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("former member {former_id} vanished")))?;
        readmission::check_vote(&rulebook, &former_member(&former)?, vote.on, consent.readmission)?;
    }

    let documents: Vec<(FormCode, NaiveDate)> = dossier_document::Entity::find()
        .filter(dossier_document::Column::CandidateId.eq(id))
        .all(&acting.txn)
        .await?
        .into_iter()
        .map(|d| {
            Ok((
                stored(FormCode::parse(&d.form_code), "form code", &d.form_code)?,
                d.received_on,
            ))
        })
        .collect::<AppResult<_>>()?;
    let verifications: Vec<VerificationOutcome> = relative::Entity::find()
        .filter(relative::Column::CandidateId.eq(id))
        .all(&acting.txn)
        .await?
        .into_iter()
        .map(|r| {
            stored(
                VerificationOutcome::parse(&r.verification_outcome),
                "verification outcome",
                &r.verification_outcome,
            )
        })
        .collect::<AppResult<_>>()?;
    let certificate_date = awareness_certificate(&acting.txn, id, vote.on).await?;
    let intro_rows = introduction::Entity::find()
        .filter(introduction::Column::CandidateId.eq(id))
        .all(&acting.txn)
        .await?;
    let introducer_ids: Vec<i32> = intro_rows.iter().filter_map(|i| i.member_id).collect();
    let introducers = member::Entity::find()
        .filter(member::Column::Id.is_in(introducer_ids))
        .all(&acting.txn)
        .await?;
    let introductions: Vec<IntroductionFacts> = intro_rows
        .iter()
        .map(|i| {
            Ok(IntroductionFacts {
                kind: stored(IntroductionKind::parse(&i.kind), "introduction kind", &i.kind)?,
                introduced_on: i.introduced_on,
                known_since: i.known_since,
                introducer_official_since: i
                    .member_id
                    .and_then(|m| introducers.iter().find(|x| x.id == m))
                    .and_then(|m| members::official_since(m, vote.on)),
                replacement: i.replaces_id.is_some(),
                replaced: intro_rows
                    .iter()
                    .any(|r| r.replaces_id == Some(i.id) && r.introduced_on <= vote.on),
            })
        })
        .collect::<AppResult<_>>()?;
    let facts = BranchVoteFacts {
        vote_date: vote.on,
        birth_date: c.birth_date,
        education: stored(
            GeneralEducation::parse(&c.general_education),
            "education",
            &c.general_education,
        )?,
        difficult_area_exception: c.difficult_area_education_exception,
        over_age_consent: consent.over_age,
        literacy_consent: consent.literacy,
        certificate_date,
        documents: &documents,
        verifications: &verifications,
        introductions: &introductions,
    };
    eligibility::check_branch_vote_conditions(&rulebook, &facts)?;
    let approved = rulebook.branch_vote.is_met(vote.votes_for, eligible);
    let (row, left_out) = insert_branch_resolution(
        &acting,
        ResolutionKind::BranchAdmission,
        &vote,
        eligible,
        approved,
        None,
    )
    .await?;
    let mut changes = <candidate::ActiveModel as Default>::default();
    if approved {
        changes.branch_resolution_on = Set(Some(vote.on));
    } else {
        acting.stays();
    }
    acting
        .finish(changes, json!({ "resolution": audit::snapshot(&row)?, "leftOut": audit::snapshot(&left_out)?, "consent": { "overAge": consent.over_age, "literacy": consent.literacy, "readmission": consent.readmission } }))
        .await
}

/// The latest awareness-course certificate issued on or before `on`.
async fn awareness_certificate(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    latest_certificate(db, candidate_id, CourseKind::Awareness, on).await
}

async fn latest_certificate(
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

/// The section committee appraises the branch's proposal (7-KNĐ).
pub async fn record_section_appraisal(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    on: NaiveDate,
    approved: bool,
    note: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("appraisedOn", on)?;
    let note = parse_optional_label("note", note)?;
    let acting = service::begin(db, actor, id, expected, Act::AppraiseAtSection, on).await?;
    not_before(
        "appraisedOn",
        on,
        "the branch resolution",
        acting.before.branch_resolution_on,
    )?;
    let section = acting
        .chain
        .get(1)
        .map(|l| l.id)
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("no section above the branch")))?;
    let vote = Vote {
        on,
        eligible: 1,
        votes_for: u32::from(approved),
    };
    let row = insert_resolution(&acting, ResolutionKind::SectionAppraisal, section, vote, approved, note).await?;
    acting.record(json!({ "resolution": audit::snapshot(&row)? })).await
}

/// The grassroots committee votes (8-KNĐ). A vote short of two thirds is recorded all the
/// same and reported upward: the deciding unit sees it with `approved: false`.
pub async fn record_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, id, expected, vote, CommitteeVote::Admission).await
}

/// Which of the grassroots committee's two votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommitteeVote {
    /// On admission (8-KNĐ).
    Admission,
    /// On recognition as a full member (15-KNĐ).
    Recognition,
    /// On the branch's proposal to strike a probationer off.
    StrikeOff,
}

/// A vote of the grassroots committee: recorded whatever the tally, with `approved` telling
/// whether it reached the share the rulebook asks for.
async fn committee_vote(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: Vote,
    which: CommitteeVote,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let eligible = vote.eligible;
    check_tally(vote.votes_for, eligible)?;
    let (act, kind) = match which {
        CommitteeVote::Admission => (Act::RecordCommuneResolution, ResolutionKind::CommuneAdmission),
        CommitteeVote::Recognition => (
            Act::RecordRecognitionCommuneResolution,
            ResolutionKind::CommuneRecognition,
        ),
        CommitteeVote::StrikeOff => (Act::RecordStrikeOffCommuneResolution, ResolutionKind::CommuneStrikeOff),
    };
    let acting = service::begin(db, actor, id, expected, act, vote.on).await?;
    // The committee votes on what the branch proposed, after it did.
    let (proposal, proposed_on) = match which {
        CommitteeVote::Admission => ("the branch resolution", acting.before.branch_resolution_on),
        CommitteeVote::Recognition | CommitteeVote::StrikeOff => {
            ("the branch's resolution", acting.before.recognition_branch_on)
        }
    };
    not_before("resolvedOn", vote.on, proposal, proposed_on)?;
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let approved = match which {
        CommitteeVote::Admission => rulebook.commune_vote.is_met(vote.votes_for, eligible),
        CommitteeVote::Recognition => rulebook.recognition_commune_vote.is_met(vote.votes_for, eligible),
        CommitteeVote::StrikeOff => rulebook.recognition_commune_vote.is_met(vote.votes_for, eligible),
    };
    let unit = service::unit_for(crate::domain::stage::Level::Grassroots, &acting.chain).unwrap_or(acting.branch_id());
    let row = insert_resolution(&acting, kind, unit, vote, approved, None).await?;
    let mut changes = <candidate::ActiveModel as Default>::default();
    if which != CommitteeVote::Admission {
        changes.recognition_commune_on = Set(Some(vote.on));
    }
    acting
        .finish(changes, json!({ "resolution": audit::snapshot(&row)? }))
        .await
}

/// A decision of the deciding unit.
pub struct DecisionInput {
    pub number: String,
    pub signed_on: NaiveDate,
}

fn parse_number(number: &str) -> AppResult<String> {
    text::parse_label(number, 64).map_err(|m| AppError::validation("decisionNumber", m))
}

async fn insert_decision(
    acting: &Acting<'_>,
    kind: DecisionKind,
    number: String,
    signed_on: NaiveDate,
    extended: bool,
    reason: Option<String>,
) -> AppResult<decision::Model> {
    Ok(decision::ActiveModel {
        candidate_id: Set(acting.before.id),
        kind: Set(kind.as_str().into()),
        unit_id: Set(acting.actor.unit_id.unwrap_or_default()),
        number: Set(Some(number)),
        signed_on: Set(signed_on),
        extended: Set(extended),
        reason: Set(reason),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?)
}

/// A decision's clock: due within `days` working days of `started`, or `extension_days`
/// more in special cases (Quy định 29-QĐ/TW 2016 §4.3.1).
struct DecisionClock {
    what: &'static str,
    from: &'static str,
    started: NaiveDate,
    days: u32,
    extension_days: u32,
    due: NaiveDate,
    latest: NaiveDate,
}

/// Whether a decision signed on `signed_on` uses the extension (`Ok(true)`), or is on time;
/// `DECISION_DEADLINE_PASSED` past the extension, or in it without a reason.
fn within_decision_deadline(clock: DecisionClock, signed_on: NaiveDate, has_reason: bool) -> AppResult<bool> {
    let DecisionClock {
        what,
        from,
        started,
        days,
        extension_days,
        due,
        latest,
    } = clock;
    if signed_on <= due {
        return Ok(false);
    }
    if signed_on <= latest && has_reason {
        return Ok(true);
    }
    let why = if signed_on > latest {
        "even the extension ended"
    } else {
        "give the reason for the extension to use it"
    };
    Err(AppError::rule(
        "DECISION_DEADLINE_PASSED",
        format!(
            "{what} was due within {days} working days of {from} of {started}, by {due} ({extension_days} more in special cases, by {latest}): {why}"
        ),
    ))
}

/// Sign the admission decision (9-KNĐ), within 60 working days of the branch resolution,
/// or within the extension in special cases (with the reason), by the rules the clock
/// started under (`service::clock_rules`), as shown. Party age counts from this signing
/// date.
pub async fn sign_admission_decision(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    d: DecisionInput,
    extension_reason: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let extension_reason = parse_optional_label("extensionReason", extension_reason)?;
    let acting = service::begin(db, actor, id, expected, Act::SignAdmissionDecision, d.signed_on).await?;
    let branch_resolution = acting
        .before
        .branch_resolution_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("decided candidate without branch resolution")))?;
    not_before(
        "signedOn",
        d.signed_on,
        "the branch resolution",
        Some(branch_resolution),
    )?;
    // The clock's rules, as the deadline shown: those in force at the branch resolution.
    let (rulebook, calendar) = service::clock_rules(&acting.txn, branch_resolution).await?;
    let extended = within_decision_deadline(
        DecisionClock {
            what: "the decision",
            from: "the branch resolution",
            started: branch_resolution,
            days: rulebook.decision_working_days,
            extension_days: rulebook.decision_extension_working_days,
            due: deadline::decision_due(&rulebook, &calendar, branch_resolution, false),
            latest: deadline::decision_due(&rulebook, &calendar, branch_resolution, true),
        },
        d.signed_on,
        extension_reason.is_some(),
    )?;
    let row = insert_decision(
        &acting,
        DecisionKind::Admission,
        number,
        d.signed_on,
        extended,
        extension_reason,
    )
    .await?;
    let changes = candidate::ActiveModel {
        decision_signed_on: Set(Some(d.signed_on)),
        decision_extended: Set(extended),
        ..Default::default()
    };
    acting
        .finish(changes, json!({ "decision": audit::snapshot(&row)? }))
        .await
}

/// The day the branch received the admission decision: the ceremony's clock runs from it
/// (Quy định 29-QĐ/TW 2016 §4.1, 232-QĐ/TW 2025 §4.1). Recorded by the branch, on or after
/// the signing and not in the future, and afterwards corrected only to an earlier day;
/// without it the clock runs from the signing.
pub async fn record_decision_receipt(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    received_on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("receivedOn", received_on)?;
    let acting = service::begin(db, actor, id, expected, Act::RecordDecisionReceipt, received_on).await?;
    not_before(
        "receivedOn",
        received_on,
        "the admission decision",
        acting.before.decision_signed_on,
    )?;
    // Once recorded, a receipt may be corrected to an earlier day, never pushed later: the
    // branch cannot lengthen its own deadline.
    if let Some(recorded) = acting.before.decision_received_on
        && received_on > recorded
    {
        return Err(AppError::rule(
            "DECISION_RECEIPT_ALREADY_RECORDED",
            format!("the decision's receipt was recorded as {recorded}; it may only be corrected to an earlier day"),
        ));
    }
    let changes = candidate::ActiveModel {
        decision_received_on: Set(Some(received_on)),
        ..Default::default()
    };
    acting.finish(changes, json!({ "receivedOn": received_on })).await
}

/// The admission ceremony: the person becomes a probationary member on this date (the
/// date of joining). Within 30 working days of the day the branch received the decision
/// (Quy định 29-QĐ/TW 2016 §4.1, 232-QĐ/TW 2025 §4.1), by the rulebook in force when that
/// clock started, as `deadlines` shows it; later only with the superior's consent.
pub async fn record_admission_ceremony(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    held_on: NaiveDate,
    late_with_consent: bool,
) -> AppResult<candidate::Model> {
    not_in_future("heldOn", held_on)?;
    let acting = service::begin(db, actor, id, expected, Act::HoldCeremony, held_on).await?;
    let c = acting.before.clone();
    let decided = c
        .decision_signed_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("ceremony without a decision")))?;
    not_before("heldOn", held_on, "the admission decision", Some(decided))?;
    let received = c.decision_received_on.unwrap_or(decided);
    let (clock, calendar) = service::clock_rules(&acting.txn, received).await?;
    let due = deadline::ceremony_due(&clock, &calendar, received);
    if held_on > due && !late_with_consent {
        return Err(AppError::rule(
            "CEREMONY_DEADLINE_PASSED",
            format!(
                "the ceremony was due within {} working days of the branch's receipt of the decision on {received}, by {due}; later only with the superior's consent",
                clock.ceremony_working_days
            ),
        ));
    }
    let now = Utc::now();
    let member = member::ActiveModel {
        branch_id: Set(c.branch_id),
        admitted_in_id: Set(c.branch_id),
        full_name: Set(c.full_name.clone()),
        search_key: Set(c.search_key.clone()),
        gender: Set(Some(c.gender.clone())),
        birth_date: Set(Some(c.birth_date)),
        ethnicity: Set(Some(c.ethnicity.clone())),
        residential_area_id: Set(c.residential_area_id),
        status: Set(MemberStatus::Probationary.as_str().into()),
        decision_date: Set(Some(decided)),
        joined_on: Set(Some(held_on)),
        official_on: Set(None),
        candidate_id: Set(Some(c.id)),
        version: Set(1),
        age_at_joining: Set(Some(crate::domain::period::age_in_years(c.birth_date, held_on))),
        religion: Set(Some(c.religion.clone())),
        general_education: Set(Some(c.general_education.clone())),
        professional_level: Set(Some(c.professional_level.clone())),
        source_organisation: Set(Some(c.source_organisation.clone())),
        returned_soldier: Set(Some(c.returned_soldier)),
        citizen_id: Set(c.citizen_id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    let probation_ends_on = deadline::probation_end(&rules::rulebook_on(&acting.txn, held_on).await?, held_on);
    let changes = candidate::ActiveModel {
        ceremony_on: Set(Some(held_on)),
        probation_ends_on: Set(Some(probation_ends_on)),
        ..Default::default()
    };
    acting
        .finish(
            changes,
            json!({ "heldOn": held_on, "lateWithConsent": held_on > due, "member": audit::snapshot(&member)? }),
        )
        .await
}

/// The end of a probationer's probation, fixed at the ceremony by the rules then in force.
fn probation_end(c: &candidate::Model) -> AppResult<NaiveDate> {
    c.probation_ends_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("probationer {} without a probation end", c.id)))
}

/// The branch votes on recognition as a full member (13-KNĐ): after probation ends, with
/// the probation dossier (10, 11, 12-KNĐ) and the new-member course certificate. With two
/// thirds of the counted members for, recognition is proposed. Short of it the vote is
/// recorded all the same (the full result goes up: Hướng dẫn 01-HD/TW 2021, kept by
/// 06-HD/TW 2025) and the branch votes again, on recognition or on striking off; at the
/// rulebook's number of failed votes either way the competent committee decides (Quy định
/// 29-QĐ/TW 2016 §4.2 a, c; 24-QĐ/TW 2021 §4.2.1, 4.2.3).
pub async fn record_recognition_branch_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: BranchVote,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let acting = service::begin(db, actor, id, expected, Act::RecordRecognitionBranchResolution, vote.on).await?;
    let c = acting.before.clone();
    let ends = probation_end(&c)?;
    if vote.on < ends {
        return Err(AppError::rule(
            "PROBATION_NOT_ENDED",
            format!("probation ends on {ends}; the branch votes after that"),
        ));
    }
    let forms: Vec<FormCode> = dossier_document::Entity::find()
        .filter(dossier_document::Column::CandidateId.eq(id))
        .filter(dossier_document::Column::ReceivedOn.lte(vote.on))
        .all(&acting.txn)
        .await?
        .into_iter()
        .map(|d| stored(FormCode::parse(&d.form_code), "form code", &d.form_code))
        .collect::<AppResult<_>>()?;
    let missing: Vec<&str> = [FormCode::Knd10, FormCode::Knd11, FormCode::Knd12]
        .into_iter()
        .filter(|f| !forms.contains(f))
        .map(FormCode::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(AppError::rule(
            "PROBATION_DOSSIER_INCOMPLETE",
            format!("the probation dossier lacks {}", missing.join(", ")),
        ));
    }
    if latest_certificate(&acting.txn, id, CourseKind::NewMember, vote.on)
        .await?
        .is_none()
    {
        return Err(AppError::rule(
            "NEW_MEMBER_COURSE_MISSING",
            "the probationer has no new-member course certificate",
        ));
    }
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let eligible = counted_members(&acting, &vote).await?;
    let approved = rulebook.recognition_branch_vote.is_met(vote.votes_for, eligible);
    let note = (!approved).then(|| {
        format!(
            "not recognised: {} of {eligible} for, at least {} needed",
            vote.votes_for,
            rulebook.recognition_branch_vote.votes_needed(eligible)
        )
    });
    standing_vote(
        acting,
        ResolutionKind::BranchRecognition,
        &vote,
        eligible,
        approved,
        note,
        &rulebook,
    )
    .await
}

/// The branch resolves to propose striking a probationer off (xóa tên), during or after
/// probation, with the reason, by two thirds of its counted members; then the grassroots
/// committee votes and the deciding committee decides — the same bodies as recognition
/// (Điều lệ Đảng 2011, Điều 5 khoản 3; Quy định 29-QĐ/TW 2016 §4.2 a, c). Short of two
/// thirds it is recorded and the probationer stays on probation, until the failed votes
/// refer the question up.
pub async fn propose_strike_off(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: BranchVote,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, id, expected, Act::ProposeStrikeOff, vote.on).await?;
    not_before("resolvedOn", vote.on, "the ceremony", acting.before.ceremony_on)?;
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let eligible = counted_members(&acting, &vote).await?;
    let approved = rulebook.recognition_branch_vote.is_met(vote.votes_for, eligible);
    standing_vote(
        acting,
        ResolutionKind::BranchStrikeOff,
        &vote,
        eligible,
        approved,
        Some(reason),
        &rulebook,
    )
    .await
}

/// A branch vote on a probationer's standing, recorded whatever its tally: carried, it
/// moves the candidate as the act says; short of two thirds, the candidate stays on
/// probation, or, at the rulebook's number of failed votes on recognition and strike-off
/// together, the question goes to the competent committee.
async fn standing_vote(
    mut acting: Acting<'_>,
    kind: ResolutionKind,
    vote: &BranchVote,
    eligible: u32,
    approved: bool,
    note: Option<String>,
    rulebook: &crate::domain::rulebook::Rulebook,
) -> AppResult<candidate::Model> {
    let (row, left_out) = insert_branch_resolution(&acting, kind, vote, eligible, approved, note).await?;
    let mut changes = <candidate::ActiveModel as Default>::default();
    if approved {
        changes.recognition_branch_on = Set(Some(vote.on));
    } else {
        let failed = resolution::Entity::find()
            .filter(resolution::Column::CandidateId.eq(acting.before.id))
            .filter(resolution::Column::Kind.is_in([
                ResolutionKind::BranchRecognition.as_str(),
                ResolutionKind::BranchStrikeOff.as_str(),
            ]))
            .filter(resolution::Column::Approved.eq(false))
            .all(&acting.txn)
            .await?
            .len();
        let failed = u32::try_from(failed).unwrap_or(u32::MAX);
        if crate::domain::vote::referred_up(failed, rulebook.recognition_votes_before_referral) {
            acting.refers_up();
            changes.recognition_branch_on = Set(Some(vote.on));
        } else {
            acting.stays();
        }
    }
    acting
        .finish(
            changes,
            json!({ "resolution": audit::snapshot(&row)?, "leftOut": audit::snapshot(&left_out)? }),
        )
        .await
}

/// The grassroots committee votes on the branch's proposal to strike a probationer off;
/// recorded whatever the tally and reported to the deciding committee.
pub async fn record_strike_off_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, id, expected, vote, CommitteeVote::StrikeOff).await
}

/// The grassroots committee votes on recognition (15-KNĐ); recorded whatever the tally and
/// reported to the deciding unit.
pub async fn record_recognition_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, id, expected, vote, CommitteeVote::Recognition).await
}

async fn update_member(
    acting: &Acting<'_>,
    status: MemberStatus,
    official_on: Option<NaiveDate>,
) -> AppResult<member::Model> {
    let current = member::Entity::find()
        .filter(member::Column::CandidateId.eq(acting.before.id))
        .one(&acting.txn)
        .await?
        .ok_or_else(|| {
            AppError::Unexpected(anyhow::anyhow!("probationer {} has no member record", acting.before.id))
        })?;
    let mut row = current.clone().into_active_model();
    row.status = Set(status.as_str().into());
    row.official_on = Set(official_on);
    row.version = Set(current.version + 1);
    row.updated_at = Set(Utc::now());
    Ok(row.update(&acting.txn).await?)
}

/// Sign the recognition decision (16-KNĐ), within 30 working days of the branch's
/// recognition resolution (13-KNĐ), or within the extension in special cases with the
/// reason (Quy định 29-QĐ/TW 2016 §4.3.1), by the rulebook in force when that clock
/// started, as `deadlines` shows it. The member is official from the day probation ended,
/// however late the paperwork.
pub async fn sign_recognition_decision(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    d: DecisionInput,
    extension_reason: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let extension_reason = parse_optional_label("extensionReason", extension_reason)?;
    let acting = service::begin(db, actor, id, expected, Act::RecognizeFullMembership, d.signed_on).await?;
    not_before(
        "signedOn",
        d.signed_on,
        "the grassroots resolution",
        acting.before.recognition_commune_on,
    )?;
    let branch_resolution = acting
        .before
        .recognition_branch_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("recognition without a branch resolution")))?;
    let (clock, calendar) = service::clock_rules(&acting.txn, branch_resolution).await?;
    let extended = within_decision_deadline(
        DecisionClock {
            what: "the recognition decision",
            from: "the branch's recognition resolution",
            started: branch_resolution,
            days: clock.recognition_decision_working_days,
            extension_days: clock.decision_extension_working_days,
            due: deadline::recognition_decision_due(&clock, &calendar, branch_resolution, false),
            latest: deadline::recognition_decision_due(&clock, &calendar, branch_resolution, true),
        },
        d.signed_on,
        extension_reason.is_some(),
    )?;
    let official_on = probation_end(&acting.before)?;
    let row = insert_decision(
        &acting,
        DecisionKind::Recognition,
        number,
        d.signed_on,
        extended,
        extension_reason,
    )
    .await?;
    let mut member = update_member(&acting, MemberStatus::Official, Some(official_on)).await?;
    if acting.before.readmission_of_member_id.is_some() {
        let mut recognised = acting.before.clone();
        recognised.stage = Stage::Official.as_str().into();
        let mut row = member.clone().into_active_model();
        row.party_age_from = Set(service::party_age_from(&acting.txn, &recognised).await?);
        member = row.update(&acting.txn).await?;
    }
    let changes = candidate::ActiveModel {
        official_on: Set(Some(official_on)),
        recognition_decision_extended: Set(extended),
        ..Default::default()
    };
    acting
        .finish(
            changes,
            json!({ "decision": audit::snapshot(&row)?, "member": audit::snapshot(&member)? }),
        )
        .await
}

/// Strike a probationer off (xóa tên) when not recognised.
pub async fn strike_off(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    d: DecisionInput,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, id, expected, Act::StrikeOff, d.signed_on).await?;
    not_before("signedOn", d.signed_on, "the ceremony", acting.before.ceremony_on)?;
    let row = insert_decision(
        &acting,
        DecisionKind::StrikeOff,
        number,
        d.signed_on,
        false,
        Some(reason.clone()),
    )
    .await?;
    let member = update_member(&acting, MemberStatus::StruckOff, None).await?;
    // On record as a former member, should the person ever be listed again.
    let mut left = member.clone().into_active_model();
    left.left_on = Set(Some(d.signed_on));
    left.left_reason = Set(Some(readmission::LeftReason::StruckOff.as_str().into()));
    let member = left.update(&acting.txn).await?;
    end_mentoring(&acting, d.signed_on, &reason).await?;
    let changes = candidate::ActiveModel {
        exited_on: Set(Some(d.signed_on)),
        exit_reason: Set(Some(reason)),
        ..Default::default()
    };
    acting
        .finish(
            changes,
            json!({ "decision": audit::snapshot(&row)?, "member": audit::snapshot(&member)? }),
        )
        .await
}

/// Move a candidate (or probationer), with the whole dossier, to another branch. Done by a
/// committee above both branches; mentoring by the old branch's members ends.
pub async fn transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    expected: Option<i32>,
    to_branch_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("transferredOn", on)?;
    let acting = service::begin(db, actor, id, expected, Act::Transfer, on).await?;
    let to = units::find(&acting.txn, actor.scope(), to_branch_id).await?;
    if tree::parse_kind(&to.kind)? != OrgKind::Branch || to.closed_on.is_some() {
        return Err(AppError::validation(
            "toBranchId",
            "the destination must be an open branch",
        ));
    }
    if to.id == acting.branch_id() {
        return Err(AppError::validation(
            "toBranchId",
            "the candidate is already in that branch",
        ));
    }
    let from = acting.branch_id();
    let mentoring_ended = end_mentoring(&acting, on, "transferred to another branch").await?;
    member::Entity::update_many()
        .col_expr(member::Column::BranchId, sea_orm::sea_query::Expr::value(to.id))
        .filter(member::Column::CandidateId.eq(id))
        .exec(&acting.txn)
        .await?;
    // The residential area belongs to the old commune; the new branch records its own.
    let changes = candidate::ActiveModel {
        branch_id: Set(to.id),
        residential_area_id: Set(None),
        ..Default::default()
    };
    acting
        .finish(
            changes,
            json!({ "fromBranchId": from, "toBranchId": to.id, "on": on, "mentoringEnded": mentoring_ended }),
        )
        .await
}
