//! Every act on a candidate as a mutation named after it. Each takes one `input` (the
//! candidate's ID, optionally the `expectedVersion` last read, and the act's own facts)
//! and returns the candidate as it now stands.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::acts::{
    self, BranchVote, DecisionInput, DetailChanges, LeftOut, MentorReplacement, NewCandidate, NewIntroduction,
    NewRelative, PersonDetails, ProvincialConsent, Vote,
};
use super::graphql::{Candidate, Introduction};
use crate::error::AppResult;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{
    Ethnicity, FormCode, Gender, GeneralEducation, IntroductionKind, LeftOutReason, PoliticalTheoryLevel,
    ProfessionalLevel, Relation, Religion, ReplacementReason, SourceOrganisation, VerificationOutcome,
};
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::training::graphql::Course;

fn candidate_id(id: &ID) -> AppResult<i32> {
    expect_global_id(id, Candidate::TYPENAME, "candidateId")
}

/// The candidate after an act.
#[derive(SimpleObject)]
pub struct CandidatePayload {
    candidate: Candidate,
}

impl From<entity::candidate::Model> for CandidatePayload {
    fn from(c: entity::candidate::Model) -> Self {
        CandidatePayload {
            candidate: Candidate(c),
        }
    }
}

/// Put a person on the branch's source list.
#[derive(InputObject)]
pub struct AddToSourceListInput {
    /// The branch (default: the account's own branch).
    branch_id: Option<ID>,
    /// Date of the branch resolution adding the person.
    listed_on: Date,
    /// Full name with diacritics.
    /// At most 200 characters.
    full_name: String,
    gender: Gender,
    birth_date: Date,
    ethnicity: Ethnicity,
    #[graphql(default_with = "Religion::None")]
    religion: Religion,
    general_education: GeneralEducation,
    #[graphql(default_with = "ProfessionalLevel::None")]
    professional_level: ProfessionalLevel,
    #[graphql(default_with = "PoliticalTheoryLevel::None")]
    political_theory_level: PoliticalTheoryLevel,
    /// At most 200 characters.
    occupation: Option<String>,
    /// At most 200 characters.
    workplace: Option<String>,
    residential_area_id: Option<ID>,
    /// 12-digit citizen identity number; unique when given.
    /// Spaces are ignored; at most 20 characters.
    citizen_id: Option<String>,
    source_organisation: SourceOrganisation,
    #[graphql(default = false)]
    returned_soldier: bool,
    #[graphql(default = false)]
    difficult_area_education_exception: bool,
}

impl TryFrom<AddToSourceListInput> for NewCandidate {
    type Error = crate::error::AppError;
    fn try_from(i: AddToSourceListInput) -> AppResult<Self> {
        Ok(NewCandidate {
            branch_id: i
                .branch_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "branchId"))
                .transpose()?,
            listed_on: i.listed_on.0,
            person: PersonDetails {
                full_name: acts::parse_person_name(&i.full_name)?,
                gender: i.gender.into(),
                birth_date: i.birth_date.0,
                ethnicity: i.ethnicity.into(),
                religion: i.religion.into(),
                general_education: i.general_education.into(),
                professional_level: i.professional_level.into(),
                political_theory_level: i.political_theory_level.into(),
                occupation: acts::parse_optional_label("occupation", i.occupation)?,
                workplace: acts::parse_optional_label("workplace", i.workplace)?,
                residential_area_id: i
                    .residential_area_id
                    .map(|id| expect_global_id(&id, ResidentialArea::TYPENAME, "residentialAreaId"))
                    .transpose()?,
                citizen_id: i.citizen_id.as_deref().map(acts::parse_citizen_id).transpose()?,
                source_organisation: i.source_organisation.into(),
                returned_soldier: i.returned_soldier,
                difficult_area_education_exception: i.difficult_area_education_exception,
            },
        })
    }
}

/// Correct a candidate's details; fields left out keep their value.
#[derive(InputObject)]
pub struct UpdateCandidateInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// At most 200 characters.
    full_name: Option<String>,
    gender: Option<Gender>,
    birth_date: Option<Date>,
    ethnicity: Option<Ethnicity>,
    religion: Option<Religion>,
    general_education: Option<GeneralEducation>,
    professional_level: Option<ProfessionalLevel>,
    political_theory_level: Option<PoliticalTheoryLevel>,
    /// At most 200 characters.
    occupation: Option<String>,
    /// At most 200 characters.
    workplace: Option<String>,
    residential_area_id: Option<ID>,
    /// 12 digits, spaces ignored; at most 20 characters.
    citizen_id: Option<String>,
    source_organisation: Option<SourceOrganisation>,
    returned_soldier: Option<bool>,
    difficult_area_education_exception: Option<bool>,
}

/// Close the candidate's path with a reason (dropped, rejected, withdrawn).
#[derive(InputObject)]
#[graphql(input_name = "EndPathInput")]
pub struct EndPathInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// The day of the resolution or decision (or of the withdrawal).
    on: Date,
    /// At most 2000 characters.
    reason: String,
}

#[derive(InputObject)]
pub struct AssignMentorInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// An official member of the candidate's branch.
    member_id: ID,
    assigned_on: Date,
}

#[derive(InputObject)]
pub struct ReplaceMentorInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// The assignment that ends.
    mentor_assignment_id: ID,
    new_member_id: ID,
    replaced_on: Date,
    /// At most 2000 characters.
    reason: String,
}

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
    form_code: FormCode,
    received_on: Date,
    /// At most 2000 characters.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordRelativeInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    relation: Relation,
    /// At most 200 characters.
    full_name: String,
    #[graphql(default = false)]
    is_party_member: bool,
    #[graphql(default_with = "VerificationOutcome::Pending")]
    verification_outcome: VerificationOutcome,
    verified_on: Option<Date>,
    /// At most 2000 characters.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordBackgroundVerificationInput {
    relative_id: ID,
    expected_version: Option<i32>,
    outcome: VerificationOutcome,
    verified_on: Option<Date>,
}

#[derive(InputObject)]
pub struct AddIntroductionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    kind: IntroductionKind,
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
    replacement_reason: Option<ReplacementReason>,
}

/// An official member the branch's vote is not measured against, and why.
#[derive(InputObject)]
pub struct LeftOutMemberInput {
    member_id: ID,
    reason: LeftOutReason,
}

/// The members left out of a branch vote's count; at most 1,000.
fn left_out(input: Vec<LeftOutMemberInput>) -> AppResult<Vec<LeftOut>> {
    if input.len() > 1000 {
        return Err(crate::error::AppError::validation("leftOut", "at most 1000 members"));
    }
    input
        .into_iter()
        .map(|l| {
            Ok(LeftOut {
                member_id: expect_global_id(&l.member_id, Member::TYPENAME, "leftOut.memberId")?,
                reason: l.reason.into(),
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct RecordBranchResolutionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted, each with
    /// the reason the rules allow; the vote is measured against the rest.
    #[graphql(default)]
    left_out: Vec<LeftOutMemberInput>,
    votes_for: u32,
    /// The province consented to admission above the maximum age.
    #[graphql(default = false)]
    provincial_consent_over_age: bool,
    /// The province consented to literacy in place of primary education.
    #[graphql(default = false)]
    provincial_consent_literacy: bool,
    /// The provincial standing committee consented in writing to re-admitting this former
    /// member (Quy định 294-QĐ/TW 2025 §3.5.1 b).
    #[graphql(default = false)]
    provincial_consent_readmission: bool,
}

#[derive(InputObject)]
pub struct RecordSectionAppraisalInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    appraised_on: Date,
    approved: bool,
    /// At most 2000 characters.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct RecordCommitteeResolutionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    resolved_on: Date,
    /// Members of the committee (not only those present).
    committee_members: u32,
    votes_for: u32,
}

#[derive(InputObject)]
pub struct SignAdmissionDecisionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// At most 64 characters.
    decision_number: String,
    signed_on: Date,
    /// Needed to sign in the extended period allowed in special cases.
    /// At most 2000 characters.
    extension_reason: Option<String>,
}

#[derive(InputObject)]
pub struct RecordAdmissionCeremonyInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    held_on: Date,
    /// The superior consented to a ceremony after the deadline.
    #[graphql(default = false)]
    late_with_superior_consent: bool,
}

#[derive(InputObject)]
pub struct RecordRecognitionBranchResolutionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted, each with
    /// the reason the rules allow.
    #[graphql(default)]
    left_out: Vec<LeftOutMemberInput>,
    votes_for: u32,
}

#[derive(InputObject)]
pub struct ProposeStrikeOffInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted.
    #[graphql(default)]
    left_out: Vec<LeftOutMemberInput>,
    /// Members voting to strike the probationer off.
    votes_for: u32,
    /// Why the probationer is not fit to become a full member. At most 2000 characters.
    reason: String,
}

#[derive(InputObject)]
pub struct SignDecisionInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// At most 64 characters.
    decision_number: String,
    signed_on: Date,
    /// Needed to sign in the extension allowed in special cases. At most 2000 characters.
    extension_reason: Option<String>,
}

#[derive(InputObject)]
pub struct RecordDecisionReceiptInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// The day the branch received the admission decision: the ceremony is due within 30
    /// working days of it.
    received_on: Date,
}

#[derive(InputObject)]
pub struct StrikeOffProbationerInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    /// At most 64 characters.
    decision_number: String,
    signed_on: Date,
    /// At most 2000 characters.
    reason: String,
}

#[derive(InputObject)]
pub struct TransferCandidateInput {
    candidate_id: ID,
    expected_version: Option<i32>,
    to_branch_id: ID,
    transferred_on: Date,
}

#[derive(Default)]
pub struct CandidatesMutation;

#[Object]
impl CandidatesMutation {
    /// Put a person on the branch's source list (kết nạp vào danh sách cảm tình đảng). By the branch.
    async fn add_to_source_list(
        &self,
        ctx: &Context<'_>,
        input: AddToSourceListInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let cmd = NewCandidate::try_from(input)?;
        Ok(acts::add_to_source_list(ctx.db()?, ctx.actor()?, cmd).await?.into())
    }

    /// Correct a candidate's details. By the branch.
    async fn update_candidate(
        &self,
        ctx: &Context<'_>,
        input: UpdateCandidateInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let changes = DetailChanges {
            full_name: input.full_name.as_deref().map(acts::parse_person_name).transpose()?,
            gender: input.gender.map(Into::into),
            birth_date: input.birth_date.map(|d| d.0),
            ethnicity: input.ethnicity.map(Into::into),
            religion: input.religion.map(Into::into),
            general_education: input.general_education.map(Into::into),
            professional_level: input.professional_level.map(Into::into),
            political_theory_level: input.political_theory_level.map(Into::into),
            occupation: acts::parse_optional_label("occupation", input.occupation)?,
            workplace: acts::parse_optional_label("workplace", input.workplace)?,
            residential_area_id: input
                .residential_area_id
                .map(|id| expect_global_id(&id, ResidentialArea::TYPENAME, "residentialAreaId"))
                .transpose()?,
            citizen_id: input.citizen_id.as_deref().map(acts::parse_citizen_id).transpose()?,
            source_organisation: input.source_organisation.map(Into::into),
            returned_soldier: input.returned_soldier,
            difficult_area_education_exception: input.difficult_area_education_exception,
        };
        let id = candidate_id(&input.candidate_id)?;
        Ok(
            acts::update_details(ctx.db()?, ctx.actor()?, id, input.expected_version, changes)
                .await?
                .into(),
        )
    }

    /// Drop a person from the source list (đưa ra khỏi danh sách). By the branch.
    async fn drop_from_source_list(
        &self,
        ctx: &Context<'_>,
        input: EndPathInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        Ok(acts::drop_from_source_list(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            input.on.0,
            input.reason,
        )
        .await?
        .into())
    }

    /// Reject the candidate at the vote or decision that holds the dossier now: the branch
    /// on the source list, the section or grassroots committee after the branch vote, the
    /// deciding unit after the grassroots vote.
    async fn reject_candidate(
        &self,
        ctx: &Context<'_>,
        input: EndPathInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        Ok(acts::reject(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            input.on.0,
            input.reason,
        )
        .await?
        .into())
    }

    /// Record that the candidate withdrew (rút đơn), before the ceremony. By the branch.
    async fn withdraw_candidate(
        &self,
        ctx: &Context<'_>,
        input: EndPathInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        Ok(acts::withdraw(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            input.on.0,
            input.reason,
        )
        .await?
        .into())
    }

    /// Assign an official member of the branch to help the candidate (phân công đảng viên giúp đỡ). By the branch.
    async fn assign_mentor(
        &self,
        ctx: &Context<'_>,
        input: AssignMentorInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let member = expect_global_id(&input.member_id, Member::TYPENAME, "memberId")?;
        Ok(acts::assign_mentor(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            member,
            input.assigned_on.0,
        )
        .await?
        .into())
    }

    /// Replace a mentor. By the branch.
    async fn replace_mentor(
        &self,
        ctx: &Context<'_>,
        input: ReplaceMentorInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let assignment = expect_global_id(&input.mentor_assignment_id, "MentorAssignment", "mentorAssignmentId")?;
        let member = expect_global_id(&input.new_member_id, Member::TYPENAME, "newMemberId")?;
        let replacement = MentorReplacement {
            assignment_id: assignment,
            new_member_id: member,
            on: input.replaced_on.0,
            reason: input.reason,
        };
        Ok(
            acts::replace_mentor(ctx.db()?, ctx.actor()?, id, input.expected_version, replacement)
                .await?
                .into(),
        )
    }

    /// Send the candidate to an awareness course, or the probationer to a new-member course. By the branch.
    async fn enrol_in_course(
        &self,
        ctx: &Context<'_>,
        input: EnrolInCourseInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let course = expect_global_id(&input.course_id, Course::TYPENAME, "courseId")?;
        Ok(acts::enrol_in_course(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            course,
            input.enrolled_on.0,
        )
        .await?
        .into())
    }

    /// Record the certificate a course issued (CN-NTVĐ for the awareness course). By the course's organiser.
    async fn record_course_certificate(
        &self,
        ctx: &Context<'_>,
        input: RecordCourseCertificateInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let course = expect_global_id(&input.course_id, Course::TYPENAME, "courseId")?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(acts::record_certificate(
            db,
            actor,
            course,
            id,
            input.expected_version,
            input.certificate_number,
            input.certificate_date.0,
        )
        .await?
        .into())
    }

    /// Record a form of the dossier as received (1-KNĐ … 16-KNĐ). By the branch.
    async fn record_dossier_document(
        &self,
        ctx: &Context<'_>,
        input: RecordDossierDocumentInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(acts::record_document(
            db,
            actor,
            id,
            input.expected_version,
            input.form_code.into(),
            input.received_on.0,
            input.note,
        )
        .await?
        .into())
    }

    /// Declare a relative whose background is verified. By the branch.
    async fn record_relative(
        &self,
        ctx: &Context<'_>,
        input: RecordRelativeInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let relative = NewRelative {
            relation: input.relation.into(),
            full_name: input.full_name,
            is_party_member: input.is_party_member,
            outcome: input.verification_outcome.into(),
            verified_on: input.verified_on.map(|d| d.0),
            note: input.note,
        };
        Ok(
            acts::record_relative(ctx.db()?, ctx.actor()?, id, input.expected_version, relative)
                .await?
                .into(),
        )
    }

    /// Record the outcome of a relative's background verification (thẩm tra lý lịch). By the branch.
    async fn record_background_verification(
        &self,
        ctx: &Context<'_>,
        input: RecordBackgroundVerificationInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let relative = expect_global_id(&input.relative_id, "Relative", "relativeId")?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(acts::record_verification(
            db,
            actor,
            relative,
            input.expected_version,
            input.outcome.into(),
            input.verified_on.map(|d| d.0),
        )
        .await?
        .into())
    }

    /// Record an introduction: by an official member (3-KNĐ) or a union's resolution (4-KNĐ, 4A-KNĐ). By the branch.
    async fn add_introduction(
        &self,
        ctx: &Context<'_>,
        input: AddIntroductionInput,
    ) -> async_graphql::Result<CandidatePayload> {
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
                    return Err(crate::error::AppError::validation(
                        "replacementReason",
                        "say why the introducer cannot continue",
                    )
                    .into());
                }
                (None, Some(_)) => {
                    return Err(crate::error::AppError::validation(
                        "replacesIntroductionId",
                        "name the introduction replaced",
                    )
                    .into());
                }
            },
        };
        Ok(
            acts::add_introduction(ctx.db()?, ctx.actor()?, id, input.expected_version, introduction)
                .await?
                .into(),
        )
    }

    /// The branch's vote on proposing admission (6-KNĐ). Refused with a specific `rule`,
    /// nothing recorded, when a condition fails on the vote's date: age, education,
    /// certificate, background, dossier, introducers. The vote is measured against the
    /// official members on the registry that day less those in `leftOut`; short of two
    /// thirds it is recorded with its tally (`resolutions`, `approved: false`), reported to
    /// the committees above, and the candidate stays on the source list.
    async fn record_branch_resolution(
        &self,
        ctx: &Context<'_>,
        input: RecordBranchResolutionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = BranchVote {
            on: input.resolved_on.0,
            votes_for: input.votes_for,
            left_out: left_out(input.left_out)?,
        };
        let consent = ProvincialConsent {
            over_age: input.provincial_consent_over_age,
            literacy: input.provincial_consent_literacy,
            readmission: input.provincial_consent_readmission,
        };
        Ok(
            acts::record_branch_resolution(ctx.db()?, ctx.actor()?, id, input.expected_version, vote, consent)
                .await?
                .into(),
        )
    }

    /// The section committee's appraisal (7-KNĐ), where the branch sits under a section.
    async fn record_section_appraisal(
        &self,
        ctx: &Context<'_>,
        input: RecordSectionAppraisalInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(acts::record_section_appraisal(
            db,
            actor,
            id,
            input.expected_version,
            input.appraised_on.0,
            input.approved,
            input.note,
        )
        .await?
        .into())
    }

    /// The grassroots committee's resolution (8-KNĐ). Recorded whatever the tally; below
    /// two thirds it is reported upward with `approved: false`.
    async fn record_commune_resolution(
        &self,
        ctx: &Context<'_>,
        input: RecordCommitteeResolutionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = Vote {
            on: input.resolved_on.0,
            eligible: input.committee_members,
            votes_for: input.votes_for,
        };
        Ok(
            acts::record_commune_resolution(ctx.db()?, ctx.actor()?, id, input.expected_version, vote)
                .await?
                .into(),
        )
    }

    /// Sign the admission decision (9-KNĐ). Only the deciding unit computed from the tree
    /// may; within 60 working days of the branch resolution (30 more with a reason).
    async fn sign_admission_decision(
        &self,
        ctx: &Context<'_>,
        input: SignAdmissionDecisionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let decision = DecisionInput {
            number: input.decision_number,
            signed_on: input.signed_on.0,
        };
        Ok(acts::sign_admission_decision(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            decision,
            input.extension_reason,
        )
        .await?
        .into())
    }

    /// Record the day the branch received the admission decision; the ceremony's 30 working
    /// days run from it (from the signing until it is recorded). By the branch.
    async fn record_decision_receipt(
        &self,
        ctx: &Context<'_>,
        input: RecordDecisionReceiptInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(
            acts::record_decision_receipt(db, actor, id, input.expected_version, input.received_on.0)
                .await?
                .into(),
        )
    }

    /// Record the admission ceremony (lễ kết nạp): the person becomes a probationary member. By the branch.
    async fn record_admission_ceremony(
        &self,
        ctx: &Context<'_>,
        input: RecordAdmissionCeremonyInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(acts::record_admission_ceremony(
            db,
            actor,
            id,
            input.expected_version,
            input.held_on.0,
            input.late_with_superior_consent,
        )
        .await?
        .into())
    }

    /// The branch's vote on recognition as a full member (13-KNĐ), after probation ends.
    /// Short of two thirds it is recorded with its tally and the probationer is not
    /// recognised: the stage becomes `STRIKE_OFF_PROPOSED`, and the grassroots committee
    /// and the deciding committee follow as for a strike-off.
    async fn record_recognition_branch_resolution(
        &self,
        ctx: &Context<'_>,
        input: RecordRecognitionBranchResolutionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = BranchVote {
            on: input.resolved_on.0,
            votes_for: input.votes_for,
            left_out: left_out(input.left_out)?,
        };
        Ok(
            acts::record_recognition_branch_resolution(ctx.db()?, ctx.actor()?, id, input.expected_version, vote)
                .await?
                .into(),
        )
    }

    /// The branch's resolution proposing to strike a probationer off (xóa tên), with the
    /// reason. It carries when recognition could no longer reach its share of the counted
    /// members; then the grassroots committee votes (`recordStrikeOffCommuneResolution`)
    /// and the deciding committee decides (`strikeOffProbationer`). Short of that it is
    /// recorded and the probationer stays on probation.
    async fn propose_strike_off(
        &self,
        ctx: &Context<'_>,
        input: ProposeStrikeOffInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = BranchVote {
            on: input.resolved_on.0,
            votes_for: input.votes_for,
            left_out: left_out(input.left_out)?,
        };
        Ok(
            acts::propose_strike_off(ctx.db()?, ctx.actor()?, id, input.expected_version, vote, input.reason)
                .await?
                .into(),
        )
    }

    /// The grassroots committee's vote on the branch's proposal to strike a probationer
    /// off; recorded whatever the tally and reported to the deciding committee.
    async fn record_strike_off_commune_resolution(
        &self,
        ctx: &Context<'_>,
        input: RecordCommitteeResolutionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = Vote {
            on: input.resolved_on.0,
            eligible: input.committee_members,
            votes_for: input.votes_for,
        };
        Ok(
            acts::record_strike_off_commune_resolution(ctx.db()?, ctx.actor()?, id, input.expected_version, vote)
                .await?
                .into(),
        )
    }

    /// The grassroots committee's resolution on recognition (15-KNĐ).
    async fn record_recognition_commune_resolution(
        &self,
        ctx: &Context<'_>,
        input: RecordCommitteeResolutionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let vote = Vote {
            on: input.resolved_on.0,
            eligible: input.committee_members,
            votes_for: input.votes_for,
        };
        Ok(
            acts::record_recognition_commune_resolution(ctx.db()?, ctx.actor()?, id, input.expected_version, vote)
                .await?
                .into(),
        )
    }

    /// Sign the recognition decision (16-KNĐ). The member is official from the end of
    /// probation, however late this decision. By the deciding unit.
    async fn sign_recognition_decision(
        &self,
        ctx: &Context<'_>,
        input: SignDecisionInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let decision = DecisionInput {
            number: input.decision_number,
            signed_on: input.signed_on.0,
        };
        Ok(acts::sign_recognition_decision(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            decision,
            input.extension_reason,
        )
        .await?
        .into())
    }

    /// Strike off a probationer who is not recognised (xóa tên). By the deciding unit, on the
    /// proposal of the branch and the grassroots committee (`STRIKE_OFF_COMMUNE_RESOLVED`),
    /// or after the grassroots committee voted against the branch's recognition.
    async fn strike_off_probationer(
        &self,
        ctx: &Context<'_>,
        input: StrikeOffProbationerInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let decision = DecisionInput {
            number: input.decision_number,
            signed_on: input.signed_on.0,
        };
        Ok(acts::strike_off(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            decision,
            input.reason,
        )
        .await?
        .into())
    }

    /// Move a candidate with the whole dossier to another branch. By a committee above both branches.
    async fn transfer_candidate(
        &self,
        ctx: &Context<'_>,
        input: TransferCandidateInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let id = candidate_id(&input.candidate_id)?;
        let to = expect_global_id(&input.to_branch_id, OrgUnit::TYPENAME, "toBranchId")?;
        Ok(acts::transfer(
            ctx.db()?,
            ctx.actor()?,
            id,
            input.expected_version,
            to,
            input.transferred_on.0,
        )
        .await?
        .into())
    }
}
