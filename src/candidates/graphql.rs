//! Candidates in the API: the candidate with its whole dossier, the list, and deadlines.

use super::papers::{
    CourseEnrolment, Decision, DossierDocument, Introduction, MentorAssignment, RelativeRecord, Resolution,
    TimelineEvent,
};
use crate::domain;
use crate::graphql::context::{ContextExt, load, load_children, load_unit};
use crate::graphql::enums::{
    CandidateStage, DeadlineKind, Ethnicity, Gender, GeneralEducation, PoliticalTheoryLevel, ProfessionalLevel,
    Religion, SourceOrganisation,
};
use crate::graphql::relay::global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;
use entity::candidate;

pub struct Candidate(pub candidate::Model);

impl Candidate {
    pub const TYPENAME: &'static str = "Candidate";
}

/// The columns of its own row that each field of `Candidate` reads, for a list to ask SQL
/// for only those (Q1, its id, name and branch, reads 3 of its 38 columns). A field not
/// named here may read any column: a selection that holds one reads the whole row. A
/// field named here with columns it does not read in full would answer from a default:
/// `partial_rows::every_field_answers_in_a_list_as_read_whole` asks a list for every field
/// of the schema's `Candidate` and compares each answer with the candidate's own, read
/// whole.
pub(super) const FIELD_COLUMNS: &[(&str, &[candidate::Column])] = {
    use candidate::Column as C;
    &[
        ("__typename", &[]),
        ("id", &[C::Id]),
        ("version", &[C::Version]),
        ("fullName", &[C::FullName]),
        ("gender", &[C::Gender]),
        ("birthDate", &[C::BirthDate]),
        ("ageInMonths", &[C::BirthDate]),
        ("ethnicity", &[C::Ethnicity]),
        ("religion", &[C::Religion]),
        ("generalEducation", &[C::GeneralEducation]),
        ("professionalLevel", &[C::ProfessionalLevel]),
        ("politicalTheoryLevel", &[C::PoliticalTheoryLevel]),
        ("occupation", &[C::Occupation]),
        ("workplace", &[C::Workplace]),
        ("residentialArea", &[C::ResidentialAreaId]),
        ("citizenId", &[C::CitizenId]),
        ("sourceOrganisation", &[C::SourceOrganisation]),
        ("returnedSoldier", &[C::ReturnedSoldier]),
        ("difficultAreaEducationException", &[C::DifficultAreaEducationException]),
        ("stage", &[C::Stage]),
        ("branch", &[C::BranchId]),
        ("listedOn", &[C::ListedOn]),
        ("branchResolutionOn", &[C::BranchResolutionOn]),
        ("isReadmission", &[C::ReadmissionOfMemberId]),
        ("formerMember", &[C::ReadmissionOfMemberId]),
        ("decisionReceivedOn", &[C::DecisionReceivedOn]),
        ("recognitionBranchResolutionOn", &[C::RecognitionBranchOn]),
        ("joinedOn", &[C::CeremonyOn]),
        ("probationEndsOn", &[C::ProbationEndsOn]),
        ("officialOn", &[C::OfficialOn]),
        ("exitedOn", &[C::ExitedOn]),
        ("exitReason", &[C::ExitReason]),
        ("nextDeadline", &[C::NextDueKind, C::NextDueOn]),
        ("mentors", &[C::Id]),
        ("courseEnrolments", &[C::Id]),
        ("documents", &[C::Id]),
        ("relatives", &[C::Id]),
        ("introductions", &[C::Id]),
        ("resolutions", &[C::Id]),
        ("decisions", &[C::Id]),
        ("member", &[C::Id]),
        ("timeline", &[C::Id]),
    ]
};

/// The columns the fields `shown` of a candidate read ([`FIELD_COLUMNS`]), repeats and all,
/// or `None` when one of them may read any.
pub(super) fn columns_read<'a>(
    shown: impl IntoIterator<Item = async_graphql::SelectionField<'a>>,
) -> Option<Vec<candidate::Column>> {
    let mut columns = Vec::new();
    for field in shown {
        let (_, read) = FIELD_COLUMNS.iter().find(|(name, _)| *name == field.name())?;
        columns.extend_from_slice(read);
    }
    Some(columns)
}

// The fields that run statements of their own box them (`Box::pin`): the engine boxes the
// future of every field it resolves, each as large as the largest field's, so a list of 50
// showing a name copied that largest state 150 times.
/// A person on the path to admission (quần chúng ưu tú / cảm tình đảng), and afterwards
/// the record of how they were admitted.
#[Object]
impl Candidate {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// Changes with every act; send it back as `expectedVersion` to act only on what you saw.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Full name, with Vietnamese diacritics.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// Gender (giới tính).
    async fn gender(&self) -> Gender {
        self.0.gender.into()
    }
    /// Date of birth; the age rule counts whole months from it (see `ageInMonths`).
    async fn birth_date(&self) -> Date {
        Date(self.0.birth_date)
    }
    /// Age in whole months on a day (default: today), as the age rule counts it.
    async fn age_in_months(
        &self,
        #[graphql(desc = "The day to count the age on (default: today).")] on: Option<Date>,
    ) -> i32 {
        domain::months::full_months_between(self.0.birth_date, on.map_or_else(crate::clock::today, |d| d.0))
    }
    /// Ethnic group (dân tộc).
    async fn ethnicity(&self) -> Ethnicity {
        self.0.ethnicity.into()
    }
    /// Religion (tôn giáo); `NONE` for none.
    async fn religion(&self) -> Religion {
        self.0.religion.into()
    }
    /// General education (trình độ giáo dục phổ thông), judged at the branch vote.
    async fn general_education(&self) -> GeneralEducation {
        self.0.general_education.into()
    }
    /// Professional qualification (trình độ chuyên môn); `NONE` when not trained.
    async fn professional_level(&self) -> ProfessionalLevel {
        self.0.professional_level.into()
    }
    /// Political theory level (trình độ lý luận chính trị); `NONE` when none.
    async fn political_theory_level(&self) -> PoliticalTheoryLevel {
        self.0.political_theory_level.into()
    }
    /// Occupation (nghề nghiệp); null when not recorded.
    async fn occupation(&self) -> Option<&str> {
        self.0.occupation.as_deref()
    }
    /// Workplace or school (nơi làm việc, học tập); null when not recorded.
    async fn workplace(&self) -> Option<&str> {
        self.0.workplace.as_deref()
    }
    /// Where the person lives (thôn, tổ dân phố); null when not recorded or outside what the account may see.
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
    /// The mass organisation that introduced the person, or `BRANCH` when the branch found them itself.
    async fn source_organisation(&self) -> SourceOrganisation {
        self.0.source_organisation.into()
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
    /// Where the candidate stands on the path.
    async fn stage(&self) -> async_graphql::Result<CandidateStage> {
        Ok(self.0.stage.into())
    }
    /// The branch (chi bộ) that holds the dossier now; a transfer moves it.
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
        Ok(Box::pin(super::service::party_age_from(ctx.db()?, &self.0))
            .await?
            .map(Date))
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
    /// The day the path ended early (dropped, rejected, withdrawn, struck off); null while still on it.
    async fn exited_on(&self) -> Option<Date> {
        self.0.exited_on.map(Date)
    }
    /// Why the path ended early, as given with the act; null while still on it.
    async fn exit_reason(&self) -> Option<&str> {
        self.0.exit_reason.as_deref()
    }
    /// The next step with a deadline, if any.
    async fn next_deadline(&self) -> Option<Deadline> {
        Deadline::of(&self.0)
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
    /// Background verification (thẩm tra lý lịch): each person the rules verify and where
    /// the verification stands today.
    async fn background_subjects(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::papers::BackgroundSubject>> {
        let db = ctx.db()?;
        let standings = Box::pin(super::verification::standings(db, self.0.id, crate::clock::today())).await?;
        let relatives = load_children(&ctx.loaders()?.relatives, self.0.id).await?;
        Ok(standings
            .into_iter()
            .map(|(subject, standing)| super::papers::BackgroundSubject {
                relative: match subject {
                    crate::domain::background::Subject::Candidate => None,
                    crate::domain::background::Subject::Relative(id) => relatives.iter().find(|r| r.id == id).cloned(),
                },
                standing,
            })
            .collect())
    }
    /// The verifications sent, oldest first, with their replies.
    async fn background_checks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::papers::BackgroundCheck>> {
        let checks = Box::pin(super::verification::checks_of(ctx.db()?, self.0.id)).await?;
        Ok(checks.into_iter().map(super::papers::BackgroundCheck).collect())
    }
    /// The sides of the family exempt from verification, with who makes them so.
    async fn verification_exemptions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::papers::VerificationExemption>> {
        let rows = Box::pin(super::verification::exemptions_of(ctx.db()?, self.0.id)).await?;
        Ok(rows.into_iter().map(super::papers::VerificationExemption).collect())
    }
    /// The grassroots committee's latest conclusion on the background; null before one.
    async fn background_conclusion(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::papers::BackgroundConclusion>> {
        let latest = Box::pin(super::verification::latest_conclusion(
            ctx.db()?,
            self.0.id,
            crate::clock::today(),
        ))
        .await?;
        Ok(latest.map(super::papers::BackgroundConclusion))
    }
    /// The cases of the candidate that need a higher committee's written consent — read from
    /// the facts on the day of the branch vote (today before it) or declared by the branch —
    /// each with the consent on record, if any.
    async fn special_cases(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::papers::SpecialCase>> {
        Ok(Box::pin(super::consent::special_cases(ctx.db()?, &self.0)).await?)
    }
    /// The dossier as a checklist: each form the path has called for so far, present,
    /// missing or stale (introductions and comments after the rulebook's staleness period,
    /// the awareness certificate after its validity), with the scans of each.
    async fn dossier(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::checklist::DossierItem>> {
        Box::pin(super::checklist::dossier(ctx, &self.0)).await
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
    /// Introductions by official members (3-KNĐ) and unions (4-KNĐ, 4A-KNĐ), oldest first.
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

pub struct Deadline {
    pub(super) candidate: Option<candidate::Model>,
    pub(super) kind: domain::deadline::DeadlineKind,
    pub(super) due_on: NaiveDate,
}

impl Deadline {
    pub(super) fn of(c: &candidate::Model) -> Option<Deadline> {
        let (Some(kind), Some(due_on)) = (c.next_due_kind, c.next_due_on) else {
            return None;
        };
        Some(Deadline {
            candidate: None,
            kind,
            due_on,
        })
    }
}

/// A step with a deadline, for one candidate.
#[Object]
impl Deadline {
    /// The step that is due.
    async fn kind(&self) -> DeadlineKind {
        self.kind.into()
    }
    /// The last day the step is in time.
    async fn due_on(&self) -> Date {
        Date(self.due_on)
    }
    /// Whether the day has passed, on `asOf` (default: today).
    async fn overdue(&self, #[graphql(desc = "The day to judge on (default: today).")] as_of: Option<Date>) -> bool {
        self.due_on < as_of.map_or_else(crate::clock::today, |d| d.0)
    }
    /// The candidate (in deadline lists).
    async fn candidate(&self) -> Option<Candidate> {
        self.candidate.clone().map(Candidate)
    }
}
