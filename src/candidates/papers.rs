//! The records of a candidate's path as the API shows them: mentors, course enrolments,
//! dossier documents, relatives, introductions, resolutions with the members left out of
//! their count, decisions, and the timeline of acts.

use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};

use entity::{
    audit_event, course_enrolment, decision, dossier_document, introduction, mentor_assignment, relative, resolution,
};

use crate::domain::files::RecordKind;
use crate::files::graphql::{ScannedFile, files_of, record_typename};
use crate::graphql::context::{ContextExt, load, load_unit};
use crate::graphql::enums::{DecisionKind, FormCode, IntroductionKind, Relation, ResolutionKind, VerificationOutcome};
use crate::graphql::relay::global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::org::graphql::OrgUnit;
use crate::training::graphql::Course;

pub struct MentorAssignment(pub(super) mentor_assignment::Model);

/// A member assigned to help a candidate (đảng viên giúp đỡ).
#[Object]
impl MentorAssignment {
    /// ID of the assignment, as `replaceMentor` takes it (`mentorAssignmentId`).
    async fn id(&self) -> ID {
        global_id("MentorAssignment", self.0.id)
    }
    /// The mentor, an official member of the branch; null when outside what the account may see.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        Ok(load(&ctx.loaders()?.members, self.0.member_id).await?.map(Member))
    }
    /// Date the branch assigned the mentor.
    async fn assigned_on(&self) -> Date {
        Date(self.0.assigned_on)
    }
    /// Date the assignment ended (mentor replaced, path ended or transferred); null while it runs.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// Why the assignment ended; null while it runs.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
}

pub struct CourseEnrolment(pub(super) course_enrolment::Model);

/// A place on a course, and the certificate it earned.
#[Object]
impl CourseEnrolment {
    /// ID of the enrolment, as `attachScan` takes it (`recordId`).
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Certificate), self.0.id)
    }
    /// The scans of the certificate, current versions only (corrections list the versions they replaced).
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Certificate, self.0.id).await
    }
    /// The course; null when outside what the account may see.
    async fn course(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Course>> {
        Ok(load(&ctx.loaders()?.courses, self.0.course_id).await?.map(Course))
    }
    /// Date the branch sent the person to the course.
    async fn enrolled_on(&self) -> Date {
        Date(self.0.enrolled_on)
    }
    /// Certificate number (e.g. the CN-NTVĐ number).
    async fn certificate_number(&self) -> Option<&str> {
        self.0.certificate_number.as_deref()
    }
    /// Date the certificate was issued; null until the course's organiser records it.
    async fn certificate_date(&self) -> Option<Date> {
        self.0.certificate_date.map(Date)
    }
}

pub struct DossierDocument(pub(super) dossier_document::Model);

/// A form of the dossier as received.
#[Object]
impl DossierDocument {
    /// ID of the form, as `attachScan` takes it (`recordId`).
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Document), self.0.id)
    }
    /// The scans of the form, current versions only (corrections list the versions they replaced).
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Document, self.0.id).await
    }
    /// Which form (e.g. `KND_1`, the application 1-KNĐ).
    async fn form_code(&self) -> FormCode {
        self.0.form_code.into()
    }
    /// Date the branch received the form.
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }
    /// Remark recorded with the form; null when none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

pub struct RelativeRecord(pub(super) relative::Model);

/// A relative and the verification of their background.
#[Object(name = "Relative")]
impl RelativeRecord {
    /// ID of the relative, as `sendBackgroundCheck` takes it (`relativeId`).
    async fn id(&self) -> ID {
        global_id("Relative", self.0.id)
    }
    /// How the relative is related to the candidate.
    async fn relation(&self) -> Relation {
        self.0.relation.into()
    }
    /// Full name, with Vietnamese diacritics.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// Whether the relative is a Party member (then verification may be `NOT_REQUIRED`).
    async fn is_party_member(&self) -> bool {
        self.0.is_party_member
    }
    /// The outcome as the branch noted it with `recordRelative`; verifications are now
    /// `Candidate.backgroundChecks`, concluded by the grassroots committee.
    #[graphql(deprecation = "read Candidate.backgroundSubjects and backgroundConclusion")]
    async fn verification_outcome(&self) -> VerificationOutcome {
        self.0.verification_outcome.into()
    }
    /// Date of the noted outcome; null while `PENDING`.
    #[graphql(deprecation = "read Candidate.backgroundChecks")]
    async fn verified_on(&self) -> Option<Date> {
        self.0.verified_on.map(Date)
    }
    /// Remark recorded with the relative; null when none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

pub struct Introduction(pub(super) introduction::Model);

impl Introduction {
    pub const TYPENAME: &'static str = "Introduction";
}

/// An introduction of the candidate.
#[Object]
impl Introduction {
    /// ID of the introduction, as `addIntroduction` takes it (`replacesIntroductionId`).
    async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// The scans of the introduction paper or union resolution, current versions only.
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Introduction, self.0.id).await
    }
    /// Who introduces: an official member (3-KNĐ) or a union by resolution (4-KNĐ, 4A-KNĐ).
    async fn kind(&self) -> IntroductionKind {
        self.0.kind.into()
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
    /// Date of the introduction paper or union resolution.
    async fn introduced_on(&self) -> Date {
        Date(self.0.introduced_on)
    }
    /// The introduction this one replaced, when its introducer could not continue.
    async fn replaces_id(&self) -> Option<ID> {
        self.0.replaces_id.map(|id| global_id(Self::TYPENAME, id))
    }
    /// Why the replaced introducer could not continue.
    async fn replacement_reason(&self) -> Option<crate::graphql::enums::ReplacementReason> {
        self.0.replacement_reason.map(Into::into)
    }
}

pub struct Resolution(pub(super) resolution::Model);

/// A vote on the candidate.
#[Object]
impl Resolution {
    /// ID of the resolution, as `attachScan` takes it (`recordId`).
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Resolution), self.0.id)
    }
    /// The scans of the signed resolution or appraisal, current versions only.
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Resolution, self.0.id).await
    }
    /// Which body voted, and on what: admission, recognition or strike-off.
    async fn kind(&self) -> ResolutionKind {
        self.0.kind.into()
    }
    /// The branch or committee that voted.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    /// Date of the vote (for a section appraisal, of the appraisal).
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
    /// Votes in favour; for a section appraisal, 1 when it supports the proposal, else 0.
    async fn votes_for(&self) -> i32 {
        self.0.votes_for
    }
    /// Whether the share required by the rulebook was reached.
    async fn approved(&self) -> bool {
        self.0.approved
    }
    /// Remark: the section's note, a strike-off's reason or a failed recognition's tally; null when none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

pub struct LeftOutMember(pub(super) entity::vote_exclusion::Model);

/// An official member a branch vote was not measured against.
#[Object]
impl LeftOutMember {
    /// Null when the member is outside what the account may see.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        Ok(load(&ctx.loaders()?.members, self.0.member_id).await?.map(Member))
    }
    /// Why the member was not counted.
    async fn reason(&self) -> crate::graphql::enums::LeftOutReason {
        self.0.reason.into()
    }
}

pub struct Decision(pub(super) decision::Model);

/// A decision on the candidate.
#[Object]
impl Decision {
    /// ID of the decision, as `attachScan` takes it (`recordId`).
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Decision), self.0.id)
    }
    /// The scans of the signed decision, current versions only.
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Decision, self.0.id).await
    }
    /// What was decided: admission (9-KNĐ), recognition (16-KNĐ) or strike-off (xóa tên).
    async fn kind(&self) -> DecisionKind {
        self.0.kind.into()
    }
    /// The deciding unit; null when it is above what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    /// Number of the decision (số quyết định), as written on it.
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }
    /// Date of signing; for an admission, the day party age counts from.
    async fn signed_on(&self) -> Date {
        Date(self.0.signed_on)
    }
    /// Signed in the extended period allowed in special cases.
    async fn extended(&self) -> bool {
        self.0.extended
    }
    /// Why it was signed in the extended period, or why the probationer was struck off; null otherwise.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

pub struct TimelineEvent(pub(super) audit_event::Model);

/// One act in a record's history (append-only).
#[Object]
impl TimelineEvent {
    /// Number of the audit event (not a global ID); later acts have higher numbers.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The act, named as the mutation that did it (e.g. `signAdmissionDecision`).
    async fn act(&self) -> &str {
        &self.0.act
    }
    /// When the act was recorded (UTC).
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

pub struct HigherConsent(pub(super) entity::higher_consent::Model);

/// A higher committee's written consent to a case of the candidate, as the dossier holds it.
#[Object]
impl HigherConsent {
    /// ID of the consent, as `attachScan` takes it (`recordId`).
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Consent), self.0.id)
    }
    /// The case consented to (`ConsentCase.code`).
    async fn case_code(&self) -> &str {
        &self.0.case_code
    }
    /// The consenting body as the document names it.
    async fn consenting_body(&self) -> &str {
        &self.0.consenting_body
    }
    /// The document's number (số văn bản).
    async fn document_number(&self) -> &str {
        &self.0.document_number
    }
    /// The document's date; the consent counts from it.
    async fn consented_on(&self) -> Date {
        Date(self.0.consented_on)
    }
    /// Remark; null when none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The scans of the consenting document, current versions only.
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Consent, self.0.id).await
    }
}

/// A case of the candidate that needs a higher committee's written consent, and the consent
/// if it is on record.
pub struct SpecialCase {
    pub(super) case: crate::domain::consent::ConsentCase,
    pub(super) consent: Option<entity::higher_consent::Model>,
}

/// A case that applies to the candidate (read from the facts, or declared by the branch)
/// and needs a higher committee's written consent before a step of the path.
#[Object]
impl SpecialCase {
    /// The case as the rulebook states it.
    async fn case(&self) -> crate::rules::graphql::ConsentCase {
        crate::rules::graphql::ConsentCase(self.case.clone())
    }
    /// The latest consent on record; null while none is, and the step it must precede is
    /// refused.
    async fn consent(&self) -> Option<HigherConsent> {
        self.consent.clone().map(HigherConsent)
    }
}

pub struct BackgroundCheck(pub(super) entity::background_check::Model);

/// A verification of the candidate's background, or of a relative's, sent to a verifying
/// body, and its reply.
#[Object]
impl BackgroundCheck {
    /// ID of the verification, as `recordBackgroundReply` and `attachScan` take it.
    async fn id(&self) -> ID {
        global_id(record_typename(RecordKind::Verification), self.0.id)
    }
    /// The relative verified; null for the candidate themself.
    async fn relative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<RelativeRecord>> {
        let Some(id) = self.0.relative_id else { return Ok(None) };
        let relatives = crate::graphql::context::load_children(&ctx.loaders()?.relatives, self.0.candidate_id).await?;
        Ok(relatives.into_iter().find(|r| r.id == id).map(RelativeRecord))
    }
    /// The body asked to verify.
    async fn verifying_body(&self) -> &str {
        &self.0.verifying_body
    }
    /// The day the request was sent.
    async fn sent_on(&self) -> Date {
        Date(self.0.sent_on)
    }
    /// The day of the reply; null while none has come.
    async fn replied_on(&self) -> Option<Date> {
        self.0.replied_on.map(Date)
    }
    /// What the reply concluded; null while none has come.
    async fn finding(&self) -> Option<super::verification::BackgroundFinding> {
        self.0.finding.map(Into::into)
    }
    /// What the reply says; null when nothing was noted.
    async fn note(&self) -> Option<&str> {
        self.0.reply_note.as_deref()
    }
    /// The scans of the reply, current versions only.
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        files_of(ctx, self.0.candidate_id, RecordKind::Verification, self.0.id).await
    }
}

pub struct VerificationExemption(pub(super) entity::verification_exemption::Model);

/// A side of the family that need not be verified, and the member relative who makes it so.
#[Object]
impl VerificationExemption {
    /// The side exempted.
    async fn side(&self) -> super::verification::FamilySide {
        self.0.side.into()
    }
    /// How the member is related to the candidate.
    async fn member_relation(&self) -> super::verification::MemberKin {
        self.0.kin.into()
    }
    /// The member's full name.
    async fn member_name(&self) -> &str {
        &self.0.member_name
    }
    /// The Party organisation the member belongs to.
    async fn member_unit(&self) -> &str {
        &self.0.member_unit
    }
    /// The member's party card number; null when not given.
    async fn card_number(&self) -> Option<&str> {
        self.0.card_number.as_deref()
    }
    /// The day the exemption was recorded.
    async fn recorded_on(&self) -> Date {
        Date(self.0.recorded_on)
    }
}

pub struct BackgroundConclusion(pub(super) entity::background_conclusion::Model);

/// The grassroots committee's conclusion on the candidate's background.
#[Object]
impl BackgroundConclusion {
    /// The committee that concluded; null when above what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(load_unit(ctx, self.0.unit_id).await?.map(OrgUnit))
    }
    /// The day of the conclusion.
    async fn concluded_on(&self) -> Date {
        Date(self.0.concluded_on)
    }
    /// Whether the political standard is met.
    async fn passed(&self) -> bool {
        self.0.passed
    }
    /// The committee's reasoning; null when none was written.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Where a subject's verification stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BackgroundStanding {
    /// No verification sent.
    NotSent,
    /// Sent, no reply yet.
    AwaitingReply,
    /// Replied: nothing stands against admission.
    Clear,
    /// Replied with a concern.
    Concern,
    /// Its side of the family is exempt.
    Exempt,
}

impl From<crate::domain::background::Standing> for BackgroundStanding {
    fn from(s: crate::domain::background::Standing) -> Self {
        use crate::domain::background::{Finding, Standing};
        match s {
            Standing::NotSent => BackgroundStanding::NotSent,
            Standing::AwaitingReply => BackgroundStanding::AwaitingReply,
            Standing::Replied(Finding::Clear) => BackgroundStanding::Clear,
            Standing::Replied(Finding::Concern) => BackgroundStanding::Concern,
            Standing::Exempt => BackgroundStanding::Exempt,
        }
    }
}

/// One person whose background the rules verify, and where it stands today.
pub struct BackgroundSubject {
    pub(super) relative: Option<relative::Model>,
    pub(super) standing: crate::domain::background::Standing,
}

/// One person whose background the rules verify — the candidate, or a declared relative —
/// and where the verification stands today.
#[Object]
impl BackgroundSubject {
    /// The relative; null for the candidate themself.
    async fn relative(&self) -> Option<RelativeRecord> {
        self.relative.clone().map(RelativeRecord)
    }
    /// Where the verification stands.
    async fn standing(&self) -> BackgroundStanding {
        self.standing.into()
    }
}
