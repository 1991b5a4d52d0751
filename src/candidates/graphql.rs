//! Candidates in the API: the candidate with its whole dossier, the list, and deadlines.

use super::service::{self};
use crate::domain;
use crate::error::AppResult;
use crate::graphql::context::{ContextExt, load, load_children, load_unit};
use crate::graphql::enums::{
    CandidateStage, DeadlineKind, DecisionKind, Ethnicity, FormCode, Gender, GeneralEducation, IntroductionKind,
    PoliticalTheoryLevel, ProfessionalLevel, Relation, Religion, ResolutionKind, SourceOrganisation,
    VerificationOutcome,
};
use crate::graphql::relay::global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::training::graphql::Course;
use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    audit_event, candidate, course_enrolment, decision, dossier_document, introduction, mentor_assignment, relative,
    resolution,
};

use crate::error::stored;

/// A person on the path to admission (quần chúng ưu tú / cảm tình đảng), and afterwards
/// the record of how they were admitted.
pub struct Candidate(pub candidate::Model);

impl Candidate {
    pub const TYPENAME: &'static str = "Candidate";
}

#[Object]
impl Candidate {
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// Changes with every act; send it back as `expectedVersion` to act only on what you saw.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    async fn gender(&self) -> async_graphql::Result<Gender> {
        Ok(stored(domain::person::Gender::parse(&self.0.gender), "gender", &self.0.gender)?.into())
    }
    async fn birth_date(&self) -> Date {
        Date(self.0.birth_date)
    }
    /// Age in whole months on a day (default: today), as the age rule counts it.
    async fn age_in_months(&self, on: Option<Date>) -> i32 {
        domain::months::full_months_between(self.0.birth_date, on.map_or_else(crate::clock::today, |d| d.0))
    }
    async fn ethnicity(&self) -> async_graphql::Result<Ethnicity> {
        Ok(stored(
            domain::ethnicity::Ethnicity::parse(&self.0.ethnicity),
            "ethnicity",
            &self.0.ethnicity,
        )?
        .into())
    }
    async fn religion(&self) -> async_graphql::Result<Religion> {
        Ok(stored(
            domain::person::Religion::parse(&self.0.religion),
            "religion",
            &self.0.religion,
        )?
        .into())
    }
    async fn general_education(&self) -> async_graphql::Result<GeneralEducation> {
        Ok(stored(
            domain::person::GeneralEducation::parse(&self.0.general_education),
            "education",
            &self.0.general_education,
        )?
        .into())
    }
    async fn professional_level(&self) -> async_graphql::Result<ProfessionalLevel> {
        Ok(stored(
            domain::person::ProfessionalLevel::parse(&self.0.professional_level),
            "level",
            &self.0.professional_level,
        )?
        .into())
    }
    async fn political_theory_level(&self) -> async_graphql::Result<PoliticalTheoryLevel> {
        Ok(stored(
            domain::person::PoliticalTheoryLevel::parse(&self.0.political_theory_level),
            "level",
            &self.0.political_theory_level,
        )?
        .into())
    }
    async fn occupation(&self) -> Option<&str> {
        self.0.occupation.as_deref()
    }
    async fn workplace(&self) -> Option<&str> {
        self.0.workplace.as_deref()
    }
    async fn residential_area(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ResidentialArea>> {
        let Some(id) = self.0.residential_area_id else {
            return Ok(None);
        };
        Ok(load(&ctx.loaders()?.areas, id).await?.map(ResidentialArea))
    }
    /// Citizen identity number (căn cước công dân), when recorded.
    async fn citizen_id(&self) -> Option<&str> {
        self.0.citizen_id.as_deref()
    }
    async fn source_organisation(&self) -> async_graphql::Result<SourceOrganisation> {
        Ok(stored(
            domain::person::SourceOrganisation::parse(&self.0.source_organisation),
            "source",
            &self.0.source_organisation,
        )?
        .into())
    }
    /// Returned from military service (quân nhân xuất ngũ).
    async fn returned_soldier(&self) -> bool {
        self.0.returned_soldier
    }
    /// Lives in a mountainous, border, island, ethnic-minority or extremely difficult area,
    /// where completed primary education suffices.
    async fn difficult_area_education_exception(&self) -> bool {
        self.0.difficult_area_education_exception
    }
    async fn stage(&self) -> async_graphql::Result<CandidateStage> {
        Ok(service::stage_of(&self.0)?.into())
    }
    async fn branch(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.branch_id).await?.map(OrgUnit))
    }
    /// Date of the branch resolution that put the person on the source list.
    async fn listed_on(&self) -> Date {
        Date(self.0.listed_on)
    }
    /// Date of the branch's admission resolution (6-KNĐ).
    async fn branch_resolution_on(&self) -> Option<Date> {
        self.0.branch_resolution_on.map(Date)
    }
    /// The day party age counts from: the signing of the admission decision (9-KNĐ). For a
    /// re-admitted member once recognised, the first admission decision moved on by the time
    /// spent outside the Party (Quy định 294-QĐ/TW 2025 §4.5.2).
    async fn party_age_from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Date>> {
        Ok(super::service::party_age_from(ctx.db()?, &self.0).await?.map(Date))
    }
    /// Whether this is the re-admission of a former member (kết nạp lại), recognised by
    /// citizen ID when listed.
    async fn is_readmission(&self) -> bool {
        self.0.readmission_of_member_id.is_some()
    }
    /// The former member's registry entry; null when outside what the account may see.
    async fn former_member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.0.readmission_of_member_id else {
            return Ok(None);
        };
        Ok(load(&ctx.loaders()?.members, id).await?.map(Member))
    }
    /// The day the branch received the admission decision, when recorded; the ceremony's
    /// clock runs from it (otherwise from the signing).
    async fn decision_received_on(&self) -> Option<Date> {
        self.0.decision_received_on.map(Date)
    }
    /// Date of the branch's recognition resolution (13-KNĐ); the recognition decision's
    /// clock runs from it.
    async fn recognition_branch_resolution_on(&self) -> Option<Date> {
        self.0.recognition_branch_on.map(Date)
    }
    /// Date of the ceremony: the date of joining; probation starts.
    async fn joined_on(&self) -> Option<Date> {
        self.0.ceremony_on.map(Date)
    }
    /// The day probation ends, fixed at the ceremony.
    async fn probation_ends_on(&self) -> Option<Date> {
        self.0.probation_ends_on.map(Date)
    }
    /// The day full membership starts: the end of probation, however late the decision.
    async fn official_on(&self) -> Option<Date> {
        self.0.official_on.map(Date)
    }
    /// When and why the path ended early (dropped, rejected, withdrawn, struck off).
    async fn exited_on(&self) -> Option<Date> {
        self.0.exited_on.map(Date)
    }
    async fn exit_reason(&self) -> Option<&str> {
        self.0.exit_reason.as_deref()
    }
    /// The next step with a deadline, if any.
    async fn next_deadline(&self) -> async_graphql::Result<Option<Deadline>> {
        Ok(Deadline::of(&self.0)?)
    }
    /// Members assigned to help (current and past).
    async fn mentors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MentorAssignment>> {
        Ok(load_children(&ctx.loaders()?.mentors, self.0.id)
            .await?
            .into_iter()
            .map(MentorAssignment)
            .collect())
    }
    /// Courses attended and certificates earned.
    async fn course_enrolments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CourseEnrolment>> {
        Ok(load_children(&ctx.loaders()?.enrolments, self.0.id)
            .await?
            .into_iter()
            .map(CourseEnrolment)
            .collect())
    }
    /// Forms received for the dossier.
    async fn documents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DossierDocument>> {
        Ok(load_children(&ctx.loaders()?.documents, self.0.id)
            .await?
            .into_iter()
            .map(DossierDocument)
            .collect())
    }
    /// Relatives and their background verification.
    async fn relatives(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RelativeRecord>> {
        Ok(load_children(&ctx.loaders()?.relatives, self.0.id)
            .await?
            .into_iter()
            .map(RelativeRecord)
            .collect())
    }
    async fn introductions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Introduction>> {
        Ok(load_children(&ctx.loaders()?.introductions, self.0.id)
            .await?
            .into_iter()
            .map(Introduction)
            .collect())
    }
    /// Votes on the candidate, oldest first.
    async fn resolutions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Resolution>> {
        Ok(load_children(&ctx.loaders()?.resolutions, self.0.id)
            .await?
            .into_iter()
            .map(Resolution)
            .collect())
    }
    /// Decisions on the candidate, oldest first.
    async fn decisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Decision>> {
        Ok(load_children(&ctx.loaders()?.decisions, self.0.id)
            .await?
            .into_iter()
            .map(Decision)
            .collect())
    }
    /// The member record created at the ceremony.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        Ok(load(&ctx.loaders()?.member_of_candidate, self.0.id).await?.map(Member))
    }
    /// Every act on the candidate, in order, from the audit trail.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TimelineEvent>> {
        Ok(load_children(&ctx.loaders()?.candidate_timeline, self.0.id)
            .await?
            .into_iter()
            .map(TimelineEvent)
            .collect())
    }
}

/// A step with a deadline, for one candidate.
pub struct Deadline {
    pub(super) candidate: Option<candidate::Model>,
    pub(super) kind: domain::deadline::DeadlineKind,
    pub(super) due_on: NaiveDate,
}

impl Deadline {
    pub(super) fn of(c: &candidate::Model) -> AppResult<Option<Deadline>> {
        let (Some(kind), Some(due_on)) = (c.next_due_kind.as_deref(), c.next_due_on) else {
            return Ok(None);
        };
        let kind = stored(domain::deadline::DeadlineKind::parse(kind), "deadline kind", kind)?;
        Ok(Some(Deadline {
            candidate: None,
            kind,
            due_on,
        }))
    }
}

#[Object]
impl Deadline {
    async fn kind(&self) -> DeadlineKind {
        self.kind.into()
    }
    /// The last day the step is in time.
    async fn due_on(&self) -> Date {
        Date(self.due_on)
    }
    /// Whether the day has passed, on `asOf` (default: today).
    async fn overdue(&self, as_of: Option<Date>) -> bool {
        self.due_on < as_of.map_or_else(crate::clock::today, |d| d.0)
    }
    /// The candidate (in deadline lists).
    async fn candidate(&self) -> Option<Candidate> {
        self.candidate.clone().map(Candidate)
    }
}

/// A member assigned to help a candidate (đảng viên giúp đỡ).
pub struct MentorAssignment(mentor_assignment::Model);

#[Object]
impl MentorAssignment {
    async fn id(&self) -> ID {
        global_id("MentorAssignment", self.0.id)
    }
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        Ok(load(&ctx.loaders()?.members, self.0.member_id).await?.map(Member))
    }
    async fn assigned_on(&self) -> Date {
        Date(self.0.assigned_on)
    }
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
}

/// A place on a course, and the certificate it earned.
pub struct CourseEnrolment(course_enrolment::Model);

#[Object]
impl CourseEnrolment {
    async fn course(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Course>> {
        Ok(load(&ctx.loaders()?.courses, self.0.course_id).await?.map(Course))
    }
    async fn enrolled_on(&self) -> Date {
        Date(self.0.enrolled_on)
    }
    /// Certificate number (e.g. the CN-NTVĐ number).
    async fn certificate_number(&self) -> Option<&str> {
        self.0.certificate_number.as_deref()
    }
    async fn certificate_date(&self) -> Option<Date> {
        self.0.certificate_date.map(Date)
    }
}

/// A form of the dossier as received.
pub struct DossierDocument(dossier_document::Model);

#[Object]
impl DossierDocument {
    async fn form_code(&self) -> async_graphql::Result<FormCode> {
        Ok(stored(
            domain::dossier::FormCode::parse(&self.0.form_code),
            "form",
            &self.0.form_code,
        )?
        .into())
    }
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A relative and the verification of their background.
pub struct RelativeRecord(relative::Model);

#[Object(name = "Relative")]
impl RelativeRecord {
    async fn id(&self) -> ID {
        global_id("Relative", self.0.id)
    }
    async fn relation(&self) -> async_graphql::Result<Relation> {
        Ok(stored(
            domain::dossier::Relation::parse(&self.0.relation),
            "relation",
            &self.0.relation,
        )?
        .into())
    }
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    async fn is_party_member(&self) -> bool {
        self.0.is_party_member
    }
    async fn verification_outcome(&self) -> async_graphql::Result<VerificationOutcome> {
        Ok(stored(
            domain::dossier::VerificationOutcome::parse(&self.0.verification_outcome),
            "outcome",
            &self.0.verification_outcome,
        )?
        .into())
    }
    async fn verified_on(&self) -> Option<Date> {
        self.0.verified_on.map(Date)
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// An introduction of the candidate.
pub struct Introduction(introduction::Model);

impl Introduction {
    pub const TYPENAME: &'static str = "Introduction";
}

#[Object]
impl Introduction {
    async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    async fn kind(&self) -> async_graphql::Result<IntroductionKind> {
        Ok(stored(
            domain::dossier::IntroductionKind::parse(&self.0.kind),
            "introduction kind",
            &self.0.kind,
        )?
        .into())
    }
    /// The introducing member (for a member's introduction).
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.0.member_id else { return Ok(None) };
        Ok(load(&ctx.loaders()?.members, id).await?.map(Member))
    }
    /// Since when the member has worked, studied or lived with the candidate.
    async fn known_since(&self) -> Option<Date> {
        self.0.known_since.map(Date)
    }
    async fn introduced_on(&self) -> Date {
        Date(self.0.introduced_on)
    }
    /// The introduction this one replaced, when its introducer could not continue.
    async fn replaces_id(&self) -> Option<ID> {
        self.0.replaces_id.map(|id| global_id(Self::TYPENAME, id))
    }
    /// Why the replaced introducer could not continue.
    async fn replacement_reason(&self) -> async_graphql::Result<Option<crate::graphql::enums::ReplacementReason>> {
        let Some(code) = self.0.replacement_reason.as_deref() else {
            return Ok(None);
        };
        Ok(Some(
            stored(
                domain::dossier::ReplacementReason::parse(code),
                "replacement reason",
                code,
            )?
            .into(),
        ))
    }
}

/// A vote on the candidate.
pub struct Resolution(resolution::Model);

#[Object]
impl Resolution {
    async fn kind(&self) -> async_graphql::Result<ResolutionKind> {
        Ok(stored(
            domain::dossier::ResolutionKind::parse(&self.0.kind),
            "resolution kind",
            &self.0.kind,
        )?
        .into())
    }
    /// The branch or committee that voted.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    async fn resolved_on(&self) -> Date {
        Date(self.0.resolved_on)
    }
    /// The members the vote was measured against: for a branch, the official members on
    /// the registry that day less those in `leftOut`; for a committee, its members.
    async fn eligible_voters(&self) -> i32 {
        self.0.eligible_voters
    }
    /// Official members of the branch not counted, each with the reason.
    async fn left_out(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LeftOutMember>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let rows = entity::vote_exclusion::Entity::find()
            .filter(entity::vote_exclusion::Column::ResolutionId.eq(self.0.id))
            .order_by_asc(entity::vote_exclusion::Column::Id)
            .all(ctx.db()?)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(rows.into_iter().map(LeftOutMember).collect())
    }
    async fn votes_for(&self) -> i32 {
        self.0.votes_for
    }
    /// Whether the share required by the rulebook was reached.
    async fn approved(&self) -> bool {
        self.0.approved
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// An official member a branch vote was not measured against.
pub struct LeftOutMember(entity::vote_exclusion::Model);

#[Object]
impl LeftOutMember {
    /// Null when the member is outside what the account may see.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        Ok(load(&ctx.loaders()?.members, self.0.member_id).await?.map(Member))
    }
    async fn reason(&self) -> async_graphql::Result<crate::graphql::enums::LeftOutReason> {
        Ok(stored(
            domain::vote::LeftOutReason::parse(&self.0.reason),
            "left-out reason",
            &self.0.reason,
        )?
        .into())
    }
}

/// A decision on the candidate.
pub struct Decision(decision::Model);

#[Object]
impl Decision {
    async fn kind(&self) -> async_graphql::Result<DecisionKind> {
        Ok(stored(
            domain::dossier::DecisionKind::parse(&self.0.kind),
            "decision kind",
            &self.0.kind,
        )?
        .into())
    }
    /// The deciding unit; null when it is above what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }
    async fn signed_on(&self) -> Date {
        Date(self.0.signed_on)
    }
    /// Signed in the extended period allowed in special cases.
    async fn extended(&self) -> bool {
        self.0.extended
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

/// One act in a record's history (append-only).
pub struct TimelineEvent(audit_event::Model);

#[Object]
impl TimelineEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The act, named as the mutation that did it (e.g. `signAdmissionDecision`).
    async fn act(&self) -> &str {
        &self.0.act
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The role the actor acted in.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// The record before the act.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    /// The record after the act, and what the act recorded.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}
