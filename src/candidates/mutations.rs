//! Every act on a candidate as a mutation named after it. Each takes one `input` (the
//! candidate's ID, optionally the `expectedVersion` last read, and the act's own facts)
//! and returns the candidate as it now stands. Each input, the checked types it converts
//! to and its act live in the file of the act's phase; a resolver here is one line that
//! converts the input at the edge and calls the act.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::acts::*;
use super::graphql::Candidate;
use super::{admission, consent, dossier, introductions, mentoring, recognition, source_list, transfer, verification};
use crate::domain::stage::Act;
use crate::error::AppResult;
use crate::graphql::context::ContextExt;
use crate::graphql::relay::expect_global_id;
use crate::members::graphql::Member;
use crate::org::graphql::OrgUnit;
use crate::training::graphql::Course;

fn candidate_id(id: &ID) -> AppResult<i32> {
    expect_global_id(id, Candidate::TYPENAME, "candidateId")
}

impl ActTarget {
    fn subject(&self) -> AppResult<Subject> {
        Ok(Subject {
            id: candidate_id(&self.candidate_id)?,
            expected: self.expected_version,
        })
    }
}

fn member(id: &ID) -> AppResult<i32> {
    expect_global_id(id, Member::TYPENAME, "memberId")
}

fn course(id: &ID) -> AppResult<i32> {
    expect_global_id(id, Course::TYPENAME, "courseId")
}

fn branch(id: &ID) -> AppResult<i32> {
    expect_global_id(id, OrgUnit::TYPENAME, "toBranchId")
}

/// The candidate after an act.
#[derive(SimpleObject)]
pub struct CandidatePayload {
    /// The candidate as it now stands, with its new `version`.
    candidate: Candidate,
}

impl From<entity::candidate::Model> for CandidatePayload {
    fn from(c: entity::candidate::Model) -> Self {
        CandidatePayload {
            candidate: Candidate(c),
        }
    }
}

#[derive(Default)]
pub struct CandidatesMutation;

/// The mutations, each `name(input: Input) => phase::act(arguments…);`: a resolver that
/// converts the input at the edge (the candidate's ID, the version last read, each fact in
/// its checked type) and hands it, with the request's database and actor, to the act of
/// the phase, returning the candidate.
macro_rules! candidate_acts {
    ($($(#[$doc:meta])* $name:ident($input:ident: $ty:ty) => $phase:ident::$act:ident($($arg:expr),* $(,)?);)*) => {
        #[Object]
        impl CandidatesMutation {
            $(
                $(#[$doc])*
                async fn $name(
                    &self,
                    ctx: &Context<'_>,
                    #[graphql(desc = "What the act takes: see the fields of its input type.")] $input: $ty,
                ) -> async_graphql::Result<CandidatePayload> {
                    Ok($phase::$act(ctx.db()?, ctx.actor()?, $($arg),*).await?.into())
                }
            )*
        }
    };
}

candidate_acts! {
    /// Put a person on the branch's source list (kết nạp vào danh sách cảm tình đảng). By the branch.
    add_to_source_list(input: AddToSourceListInput) => source_list::add_to_source_list(NewCandidate::try_from(input)?);
    /// Correct a candidate's details. By the branch.
    update_candidate(input: UpdateCandidateInput) => source_list::update_details(input.target.subject()?, DetailChanges::try_from(input)?);
    /// Drop a person from the source list (đưa ra khỏi danh sách). By the branch.
    drop_from_source_list(input: EndPathInput) => source_list::exit(input.target.subject()?, Act::DropFromSourceList, input.on.0, input.reason);
    /// Reject the candidate at the vote or decision that holds the dossier now: the branch
    /// on the source list, the section or grassroots committee after the branch vote, the
    /// deciding unit after the grassroots vote.
    reject_candidate(input: EndPathInput) => source_list::exit(input.target.subject()?, Act::Reject, input.on.0, input.reason);
    /// Record that the candidate withdrew (rút đơn), before the ceremony. By the branch.
    withdraw_candidate(input: EndPathInput) => source_list::exit(input.target.subject()?, Act::Withdraw, input.on.0, input.reason);
    /// Assign an official member of the branch to help the candidate (phân công đảng viên giúp đỡ). By the branch.
    assign_mentor(input: AssignMentorInput) => mentoring::assign_mentor(input.target.subject()?, member(&input.member_id)?, input.assigned_on.0);
    /// Replace a mentor. By the branch.
    replace_mentor(input: ReplaceMentorInput) => mentoring::replace_mentor(input.target.subject()?, MentorReplacement::try_from(input)?);
    /// Send the candidate to an awareness course, or the probationer to a new-member course. By the branch.
    enrol_in_course(input: EnrolInCourseInput) => dossier::enrol_in_course(input.target.subject()?, course(&input.course_id)?, input.enrolled_on.0);
    /// Record the certificate a course issued (CN-NTVĐ for the awareness course). By the course's organiser.
    record_course_certificate(input: RecordCourseCertificateInput) => dossier::record_certificate(course(&input.course_id)?, Subject { id: candidate_id(&input.candidate_id)?, expected: input.expected_version }, input.certificate_number, input.certificate_date.0);
    /// Record a form of the dossier as received (1-KNĐ … 16-KNĐ). By the branch.
    record_dossier_document(input: RecordDossierDocumentInput) => dossier::record_document(input.target.subject()?, input.form_code.into(), input.received_on.0, input.note);
    /// Declare a relative whose background is verified. By the branch.
    record_relative(input: RecordRelativeInput) => dossier::record_relative(input.target.subject()?, NewRelative::from(input));
    /// Note the outcome of a relative's verification as the branch had it, before
    /// verifications were records of their own; the branch vote no longer reads it. By the branch.
    #[graphql(deprecation = "use sendBackgroundCheck, recordBackgroundReply and concludeBackgroundVerification")]
    record_background_verification(input: RecordBackgroundVerificationInput) => dossier::record_verification(expect_global_id(&input.relative_id, "Relative", "relativeId")?, input.expected_version, input.outcome.into(), input.verified_on.map(|d| d.0));
    /// Send a background verification (thẩm tra lý lịch) of the candidate, or of a relative
    /// the rules verify, to a verifying body. By the branch.
    send_background_check(input: SendBackgroundCheckInput) => verification::send_background_check(input.target.subject()?, input.relative_id.as_ref().map(|id| expect_global_id(id, "Relative", "relativeId")).transpose()?, input.verifying_body, input.sent_on.0);
    /// Record a verifying body's reply (its scan attaches to the `BackgroundCheck`). By the branch.
    record_background_reply(input: RecordBackgroundReplyInput) => verification::record_background_reply(expect_global_id(&input.check_id, "BackgroundCheck", "checkId")?, input.expected_version, input.replied_on.0, input.finding.into(), input.note);
    /// Record that a side of the family need not be verified: a member among the close
    /// relatives the rules name, with a complete declaration. By the branch.
    record_verification_exemption(input: RecordVerificationExemptionInput) => verification::record_verification_exemption(input.target.subject()?, NewExemption::try_from(input)?);
    /// The grassroots committee's conclusion on the candidate's background, once every
    /// verification is replied to or exempt; the branch votes only on a favourable one.
    conclude_background_verification(input: ConcludeBackgroundVerificationInput) => verification::conclude_background_verification(input.target.subject()?, input.concluded_on.0, input.passed, input.note);
    /// Declare a case that needs a higher committee's written consent (`consentCases` lists
    /// them); the branch vote or the decision is refused until the consent is recorded. By
    /// the branch.
    declare_special_case(input: DeclareSpecialCaseInput) => consent::declare_special_case(input.target.subject()?, input.case_code, input.note);
    /// Record a higher committee's written consent to a case of the candidate (body,
    /// document, date). By the committee that decides the admission.
    record_higher_consent(input: RecordHigherConsentInput) => consent::record_higher_consent(input.target.subject()?, NewConsent::try_from(input)?);
    /// Record an introduction: by an official member (3-KNĐ) or a union's resolution (4-KNĐ, 4A-KNĐ). By the branch.
    add_introduction(input: AddIntroductionInput) => introductions::add_introduction(input.target.subject()?, NewIntroduction::try_from(input)?);
    /// The branch's vote on proposing admission (6-KNĐ). Refused with a specific `rule`,
    /// nothing recorded, when a condition fails on the vote's date: age, education,
    /// certificate, background, dossier, introducers. The vote is measured against the
    /// official members on the registry that day less those in `leftOut`; short of two
    /// thirds it is recorded with its tally (`resolutions`, `approved: false`), reported to
    /// the committees above, and the candidate stays on the source list.
    record_branch_resolution(input: RecordBranchResolutionInput) => admission::record_branch_resolution(input.target.subject()?, input.into_vote()?);
    /// The section committee's appraisal (7-KNĐ), where the branch sits under a section.
    record_section_appraisal(input: RecordSectionAppraisalInput) => admission::record_section_appraisal(input.target.subject()?, input.appraised_on.0, input.approved, input.note);
    /// The grassroots committee's resolution (8-KNĐ). Recorded whatever the tally; below
    /// two thirds it is reported upward with `approved: false`.
    record_commune_resolution(input: RecordCommitteeResolutionInput) => admission::record_commune_resolution(input.target.subject()?, Vote::from(&input));
    /// Sign the admission decision (9-KNĐ). Only the deciding unit computed from the tree
    /// may; within 60 working days of the branch resolution (30 more with a reason).
    sign_admission_decision(input: SignAdmissionDecisionInput) => admission::sign_admission_decision(input.target.subject()?, DecisionInput::given(input.decision_number, input.signed_on), input.extension_reason);
    /// Record the day the branch received the admission decision; the ceremony's 30 working
    /// days run from it (from the signing until it is recorded). By the branch.
    record_decision_receipt(input: RecordDecisionReceiptInput) => admission::record_decision_receipt(input.target.subject()?, input.received_on.0);
    /// Record the admission ceremony (lễ kết nạp): the person becomes a probationary member. By the branch.
    record_admission_ceremony(input: RecordAdmissionCeremonyInput) => admission::record_admission_ceremony(input.target.subject()?, input.held_on.0, input.late_with_superior_consent);
    /// The branch's vote on recognition as a full member (13-KNĐ), after probation ends.
    /// Short of two thirds it is recorded with its tally and the probationer is not
    /// recognised: the stage becomes `STRIKE_OFF_PROPOSED`, and the grassroots committee
    /// and the deciding committee follow as for a strike-off.
    record_recognition_branch_resolution(input: RecordRecognitionBranchResolutionInput) => recognition::record_recognition_branch_resolution(input.target.subject()?, BranchVote::given(input.resolved_on, input.votes_for, input.left_out)?);
    /// The branch's resolution proposing to strike a probationer off (xóa tên), with the
    /// reason. It carries when recognition could no longer reach its share of the counted
    /// members; then the grassroots committee votes (`recordStrikeOffCommuneResolution`)
    /// and the deciding committee decides (`strikeOffProbationer`). Short of that it is
    /// recorded and the probationer stays on probation.
    propose_strike_off(input: ProposeStrikeOffInput) => recognition::propose_strike_off(input.target.subject()?, BranchVote::given(input.resolved_on, input.votes_for, input.left_out)?, input.reason);
    /// The grassroots committee's vote on the branch's proposal to strike a probationer
    /// off; recorded whatever the tally and reported to the deciding committee.
    record_strike_off_commune_resolution(input: RecordCommitteeResolutionInput) => recognition::record_strike_off_commune_resolution(input.target.subject()?, Vote::from(&input));
    /// The grassroots committee's resolution on recognition (15-KNĐ).
    record_recognition_commune_resolution(input: RecordCommitteeResolutionInput) => recognition::record_recognition_commune_resolution(input.target.subject()?, Vote::from(&input));
    /// Sign the recognition decision (16-KNĐ). The member is official from the end of
    /// probation, however late this decision. By the deciding unit.
    sign_recognition_decision(input: SignDecisionInput) => recognition::sign_recognition_decision(input.target.subject()?, DecisionInput::given(input.decision_number, input.signed_on), input.extension_reason);
    /// Strike off a probationer who is not recognised (xóa tên). By the deciding unit, on the
    /// proposal of the branch and the grassroots committee (`STRIKE_OFF_COMMUNE_RESOLVED`),
    /// or after the grassroots committee voted against the branch's recognition.
    strike_off_probationer(input: StrikeOffProbationerInput) => recognition::strike_off(input.target.subject()?, DecisionInput::given(input.decision_number, input.signed_on), input.reason);
    /// Move a candidate with the whole dossier to another branch. By a committee above both branches.
    transfer_candidate(input: TransferCandidateInput) => transfer::transfer(input.target.subject()?, branch(&input.to_branch_id)?, input.transferred_on.0);
}
