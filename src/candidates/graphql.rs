//! Candidates in the API: the candidate with its whole dossier, the list, and deadlines.

use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Json, Object};
use chrono::{DateTime, NaiveDate, Utc};

use entity::{
    audit_event, candidate, course_enrolment, decision, dossier_document, introduction, mentor_assignment, relative,
    resolution,
};

use super::service::{self, CandidateCursor, CandidateFilter, CandidateOrder, DeadlineFilter};
use crate::domain;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{ContextExt, load, load_children, load_unit};
use crate::graphql::enums::{
    CandidateStage, DeadlineKind, DecisionKind, Ethnicity, FormCode, Gender, GeneralEducation, IntroductionKind,
    PoliticalTheoryLevel, ProfessionalLevel, Relation, Religion, ResolutionKind, SourceOrganisation,
    VerificationOutcome,
};
use crate::graphql::relay::{PageRequest, TotalCount, connection_complexity, expect_global_id, global_id};
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::training::graphql::Course;

/// One citizen ID held by several candidates the account sees.
#[derive(async_graphql::SimpleObject)]
pub struct PossibleDuplicate {
    citizen_id: String,
    /// The candidates holding it, oldest record first.
    candidates: Vec<Candidate>,
}

pub type PossibleDuplicateConnection = Connection<OpaqueCursor<String>, PossibleDuplicate, TotalCount, EmptyFields>;

pub type CandidateConnection = Connection<OpaqueCursor<CandidateCursor>, Candidate, TotalCount, EmptyFields>;
pub type DeadlineConnection = Connection<OpaqueCursor<CandidateCursor>, Deadline, TotalCount, EmptyFields>;

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
    candidate: Option<candidate::Model>,
    kind: domain::deadline::DeadlineKind,
    due_on: NaiveDate,
}

impl Deadline {
    fn of(c: &candidate::Model) -> AppResult<Option<Deadline>> {
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

/// Filters of `candidates`. All given conditions hold.
#[derive(InputObject, Default)]
pub struct CandidateFilterInput {
    /// Any of these stages.
    stages: Option<Vec<CandidateStage>>,
    /// Candidates of this unit and the units under it.
    within_id: Option<ID>,
    source_organisation: Option<SourceOrganisation>,
    /// Name contains this text, ignoring diacritics and case ("nguyen van an" finds "Nguyễn Văn An").
    /// At most 100 characters; `%` and `_` match only themselves.
    search: Option<String>,
    listed_from: Option<Date>,
    listed_to: Option<Date>,
    /// Ceremony (admission) on or after this day.
    admitted_from: Option<Date>,
    admitted_to: Option<Date>,
    /// Only candidates on the path with no current mentor.
    #[graphql(default = false)]
    without_mentor: bool,
}

impl TryFrom<CandidateFilterInput> for CandidateFilter {
    type Error = AppError;
    fn try_from(i: CandidateFilterInput) -> Result<Self, AppError> {
        Ok(CandidateFilter {
            stages: i.stages.unwrap_or_default().into_iter().map(Into::into).collect(),
            within: i
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            source_organisation: i.source_organisation.map(Into::into),
            search: domain::text::parse_search(i.search).map_err(|m| AppError::validation("filter.search", m))?,
            listed_from: i.listed_from.map(|d| d.0),
            listed_to: i.listed_to.map(|d| d.0),
            admitted_from: i.admitted_from.map(|d| d.0),
            admitted_to: i.admitted_to.map(|d| d.0),
            without_mentor: i.without_mentor,
        })
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CandidateOrderField {
    /// Creation order.
    #[default]
    Created,
    /// Name, ignoring diacritics.
    Name,
    ListedOn,
    /// Soonest deadline first; those without one last.
    NextDueOn,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

#[derive(InputObject, Default)]
pub struct CandidateOrderInput {
    #[graphql(default)]
    field: CandidateOrderField,
    #[graphql(default)]
    direction: OrderDirection,
}

/// Filters of `deadlines`.
#[derive(InputObject, Default)]
pub struct DeadlineFilterInput {
    within_id: Option<ID>,
    kind: Option<DeadlineKind>,
    /// Only deadlines already passed.
    #[graphql(default = false)]
    overdue_only: bool,
    /// Only deadlines on or before this day.
    due_before: Option<Date>,
    /// The day "overdue" is judged on (default: today).
    as_of: Option<Date>,
}

/// Whether the selection under any of `prefixes` includes `path`.
fn selects(ctx: &Context<'_>, prefixes: &[&[&str]], path: &[&str]) -> bool {
    prefixes.iter().any(|prefix| {
        let mut look = ctx.look_ahead();
        for name in prefix.iter().chain(path) {
            look = look.field(name);
        }
        look.exists()
    })
}

/// Fetch ahead, for a whole page of candidates, every kind of record the selection asks
/// for: one query per kind, whatever the page size. The fields then find them in the
/// request's loader caches. `prefixes` lead from the list field to a candidate.
async fn prime_page(ctx: &Context<'_>, prefixes: &[&[&str]], rows: &[candidate::Model]) -> AppResult<()> {
    use crate::graphql::context::prime;
    use std::collections::BTreeSet;
    if rows.is_empty() {
        return Ok(());
    }
    let loaders = ctx.loaders()?;
    let has = |path: &[&str]| selects(ctx, prefixes, path);
    let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
    let mut units: BTreeSet<i32> = BTreeSet::new();
    let mut members: BTreeSet<i32> = BTreeSet::new();
    if has(&["branch"]) {
        units.extend(rows.iter().map(|c| c.branch_id));
    }
    if has(&["residentialArea"]) {
        prime(&loaders.areas, rows.iter().filter_map(|c| c.residential_area_id)).await?;
    }
    if has(&["mentors"]) {
        let found = prime(&loaders.mentors, ids.iter().copied()).await?;
        if has(&["mentors", "member"]) {
            members.extend(found.values().flatten().map(|m| m.member_id));
        }
    }
    if has(&["introductions"]) {
        let found = prime(&loaders.introductions, ids.iter().copied()).await?;
        if has(&["introductions", "member"]) {
            members.extend(found.values().flatten().filter_map(|i| i.member_id));
        }
    }
    if has(&["courseEnrolments"]) {
        let found = prime(&loaders.enrolments, ids.iter().copied()).await?;
        if has(&["courseEnrolments", "course"]) {
            let courses = prime(&loaders.courses, found.values().flatten().map(|e| e.course_id)).await?;
            if has(&["courseEnrolments", "course", "organiser"]) {
                units.extend(courses.values().flatten().map(|c| c.organiser_unit_id));
            }
        }
    }
    if has(&["resolutions"]) {
        let found = prime(&loaders.resolutions, ids.iter().copied()).await?;
        if has(&["resolutions", "unit"]) {
            units.extend(found.values().flatten().map(|r| r.unit_id));
        }
    }
    if has(&["decisions"]) {
        let found = prime(&loaders.decisions, ids.iter().copied()).await?;
        if has(&["decisions", "unit"]) {
            units.extend(found.values().flatten().map(|d| d.unit_id));
        }
    }
    if has(&["documents"]) {
        prime(&loaders.documents, ids.iter().copied()).await?;
    }
    if has(&["relatives"]) {
        prime(&loaders.relatives, ids.iter().copied()).await?;
    }
    if has(&["member"]) {
        prime(&loaders.member_of_candidate, ids.iter().copied()).await?;
    }
    if has(&["timeline"]) {
        prime(&loaders.candidate_timeline, ids.iter().copied()).await?;
    }
    if !members.is_empty() {
        let found = prime(&loaders.members, members).await?;
        if has(&["mentors", "member", "branch"]) || has(&["introductions", "member", "branch"]) {
            units.extend(found.values().flatten().map(|m| m.branch_id));
        }
    }
    if !units.is_empty() {
        let found = prime(&loaders.units, units).await?;
        if has(&["branch", "parent"]) {
            prime(&loaders.units, found.values().flatten().filter_map(|u| u.parent_id)).await?;
        }
    }
    Ok(())
}

#[derive(Default)]
pub struct CandidatesQuery;

#[Object]
impl CandidatesQuery {
    /// Candidates of the branches the account may see.
    #[graphql(complexity = "connection_complexity(child_complexity, first)")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        filter: Option<CandidateFilterInput>,
        order_by: Option<CandidateOrderInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
    ) -> async_graphql::Result<CandidateConnection> {
        let page = PageRequest::<CandidateCursor>::parse(first, after)?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        let filter = CandidateFilter::try_from(filter.unwrap_or_default())?;
        let order_by = order_by.unwrap_or_default();
        let order = match order_by.field {
            CandidateOrderField::Created => CandidateOrder::Id,
            CandidateOrderField::Name => CandidateOrder::Name,
            CandidateOrderField::ListedOn => CandidateOrder::ListedOn,
            CandidateOrderField::NextDueOn => CandidateOrder::NextDueOn,
        };
        let descending = order_by.direction == OrderDirection::Desc;
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        let rows = service::list(&db, scope, &filter, order, descending, page.after.as_ref(), page.first).await?;
        prime_page(ctx, &[&["nodes"], &["edges", "node"]], &rows).await?;
        let total = TotalCount::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            async move { service::count(&db, scope, &filter).await }
        });
        Ok(page.finish(rows, |c| service::cursor_of(order, c), Candidate, total))
    }

    /// Citizen IDs held by two or more candidates the account sees (one person listed
    /// in two places), in citizen-ID order. A branch's own check on `addToSourceList`
    /// consults only the candidates it sees, so that the answer says nothing about other
    /// branches; a commune or district sees both records here.
    async fn possible_duplicates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
    ) -> async_graphql::Result<PossibleDuplicateConnection> {
        let page = PageRequest::<String>::parse(first, after)?;
        let actor = ctx.actor()?;
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        let ids = service::duplicated_citizen_ids(&db, scope, page.after.as_deref(), page.first).await?;
        let holders = service::holding_citizen_ids(&db, scope, &ids).await?;
        let rows: Vec<PossibleDuplicate> = ids
            .into_iter()
            .map(|citizen_id| PossibleDuplicate {
                candidates: holders
                    .iter()
                    .filter(|c| c.citizen_id.as_deref() == Some(citizen_id.as_str()))
                    .cloned()
                    .map(Candidate)
                    .collect(),
                citizen_id,
            })
            .collect();
        let total = TotalCount::new(move || {
            let db = db.clone();
            async move { service::count_duplicated_citizen_ids(&db, scope).await }
        });
        Ok(page.finish(rows, |d| d.citizen_id.clone(), |d| d, total))
    }

    /// A candidate the account may see.
    async fn candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Candidate>> {
        let id = expect_global_id(&id, Candidate::TYPENAME, "id")?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        Ok(Some(Candidate(service::find(ctx.db()?, actor.scope(), id).await?)))
    }

    /// Steps with a deadline in the account's subtree, soonest first: overdue ones and
    /// those coming up.
    #[graphql(complexity = "connection_complexity(child_complexity, first)")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        filter: Option<DeadlineFilterInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
    ) -> async_graphql::Result<DeadlineConnection> {
        let page = PageRequest::<CandidateCursor>::parse(first, after)?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        let input = filter.unwrap_or_default();
        let filter = DeadlineFilter {
            within: input
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            kind: input.kind.map(Into::into),
            overdue_only: input.overdue_only,
            due_before: input.due_before.map(|d| d.0),
            as_of: input.as_of.map_or_else(crate::clock::today, |d| d.0),
        };
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        let rows = service::deadlines(&db, scope, &filter, page.after.as_ref(), page.first).await?;
        prime_page(ctx, &[&["nodes", "candidate"], &["edges", "node", "candidate"]], &rows).await?;
        let total = TotalCount::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            async move { service::count_deadlines(&db, scope, &filter).await }
        });
        let mut deadlines = Vec::with_capacity(rows.len());
        for row in rows {
            let deadline = Deadline::of(&row)?
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("deadline row without a due date")))?;
            deadlines.push(Deadline {
                candidate: Some(row),
                ..deadline
            });
        }
        let key = |d: &Deadline| {
            d.candidate
                .as_ref()
                .map(|c| service::cursor_of(CandidateOrder::NextDueOn, c))
                .unwrap_or_default()
        };
        Ok(page.finish(deadlines, key, |d| d, total))
    }
}
