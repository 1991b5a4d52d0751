//! Every act on a candidate as a mutation named after it. Each takes one `input` (the
//! candidate's ID, optionally the `expectedVersion` last read, and the act's own facts)
//! and returns the candidate as it now stands. Each input, its conversion and its act live
//! in the file of the act's phase; a resolver here only hands the input over.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::acts::*;
use super::graphql::Candidate;
use super::{admission, dossier, introductions, mentoring, recognition, source_list, transfer};
use crate::error::AppResult;
use crate::graphql::context::ContextExt;
use crate::graphql::relay::expect_global_id;

pub(super) fn candidate_id(id: &ID) -> AppResult<i32> {
    expect_global_id(id, Candidate::TYPENAME, "candidateId")
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

/// The mutations, each `name(Input) => phase::on_name;`: a resolver that passes the
/// request's database and actor and the input to the phase, and returns the candidate.
macro_rules! candidate_acts {
    ($($(#[$doc:meta])* $name:ident($input:ty) => $perform:path;)*) => {
        #[Object]
        impl CandidatesMutation {
            $(
                $(#[$doc])*
                async fn $name(&self, ctx: &Context<'_>, input: $input) -> async_graphql::Result<CandidatePayload> {
                    Ok($perform(ctx.db()?, ctx.actor()?, input).await?.into())
                }
            )*
        }
    };
}

candidate_acts! {
    /// Put a person on the branch's source list (kết nạp vào danh sách cảm tình đảng). By the branch.
    add_to_source_list(AddToSourceListInput) => source_list::on_add_to_source_list;
    /// Correct a candidate's details. By the branch.
    update_candidate(UpdateCandidateInput) => source_list::on_update_candidate;
    /// Drop a person from the source list (đưa ra khỏi danh sách). By the branch.
    drop_from_source_list(EndPathInput) => source_list::on_drop_from_source_list;
    /// Reject the candidate at the vote or decision that holds the dossier now: the branch
    /// on the source list, the section or grassroots committee after the branch vote, the
    /// deciding unit after the grassroots vote.
    reject_candidate(EndPathInput) => source_list::on_reject_candidate;
    /// Record that the candidate withdrew (rút đơn), before the ceremony. By the branch.
    withdraw_candidate(EndPathInput) => source_list::on_withdraw_candidate;
    /// Assign an official member of the branch to help the candidate (phân công đảng viên giúp đỡ). By the branch.
    assign_mentor(AssignMentorInput) => mentoring::on_assign_mentor;
    /// Replace a mentor. By the branch.
    replace_mentor(ReplaceMentorInput) => mentoring::on_replace_mentor;
    /// Send the candidate to an awareness course, or the probationer to a new-member course. By the branch.
    enrol_in_course(EnrolInCourseInput) => dossier::on_enrol_in_course;
    /// Record the certificate a course issued (CN-NTVĐ for the awareness course). By the course's organiser.
    record_course_certificate(RecordCourseCertificateInput) => dossier::on_record_course_certificate;
    /// Record a form of the dossier as received (1-KNĐ … 16-KNĐ). By the branch.
    record_dossier_document(RecordDossierDocumentInput) => dossier::on_record_dossier_document;
    /// Declare a relative whose background is verified. By the branch.
    record_relative(RecordRelativeInput) => dossier::on_record_relative;
    /// Record the outcome of a relative's background verification (thẩm tra lý lịch). By the branch.
    record_background_verification(RecordBackgroundVerificationInput) => dossier::on_record_background_verification;
    /// Record an introduction: by an official member (3-KNĐ) or a union's resolution (4-KNĐ, 4A-KNĐ). By the branch.
    add_introduction(AddIntroductionInput) => introductions::on_add_introduction;
    /// The branch's vote on proposing admission (6-KNĐ). Refused with a specific `rule`,
    /// nothing recorded, when a condition fails on the vote's date: age, education,
    /// certificate, background, dossier, introducers. The vote is measured against the
    /// official members on the registry that day less those in `leftOut`; short of two
    /// thirds it is recorded with its tally (`resolutions`, `approved: false`), reported to
    /// the committees above, and the candidate stays on the source list.
    record_branch_resolution(RecordBranchResolutionInput) => admission::on_record_branch_resolution;
    /// The section committee's appraisal (7-KNĐ), where the branch sits under a section.
    record_section_appraisal(RecordSectionAppraisalInput) => admission::on_record_section_appraisal;
    /// The grassroots committee's resolution (8-KNĐ). Recorded whatever the tally; below
    /// two thirds it is reported upward with `approved: false`.
    record_commune_resolution(RecordCommitteeResolutionInput) => admission::on_record_commune_resolution;
    /// Sign the admission decision (9-KNĐ). Only the deciding unit computed from the tree
    /// may; within 60 working days of the branch resolution (30 more with a reason).
    sign_admission_decision(SignAdmissionDecisionInput) => admission::on_sign_admission_decision;
    /// Record the day the branch received the admission decision; the ceremony's 30 working
    /// days run from it (from the signing until it is recorded). By the branch.
    record_decision_receipt(RecordDecisionReceiptInput) => admission::on_record_decision_receipt;
    /// Record the admission ceremony (lễ kết nạp): the person becomes a probationary member. By the branch.
    record_admission_ceremony(RecordAdmissionCeremonyInput) => admission::on_record_admission_ceremony;
    /// The branch's vote on recognition as a full member (13-KNĐ), after probation ends.
    /// Short of two thirds it is recorded with its tally and the probationer is not
    /// recognised: the stage becomes `STRIKE_OFF_PROPOSED`, and the grassroots committee
    /// and the deciding committee follow as for a strike-off.
    record_recognition_branch_resolution(RecordRecognitionBranchResolutionInput) => recognition::on_record_recognition_branch_resolution;
    /// The branch's resolution proposing to strike a probationer off (xóa tên), with the
    /// reason. It carries when recognition could no longer reach its share of the counted
    /// members; then the grassroots committee votes (`recordStrikeOffCommuneResolution`)
    /// and the deciding committee decides (`strikeOffProbationer`). Short of that it is
    /// recorded and the probationer stays on probation.
    propose_strike_off(ProposeStrikeOffInput) => recognition::on_propose_strike_off;
    /// The grassroots committee's vote on the branch's proposal to strike a probationer
    /// off; recorded whatever the tally and reported to the deciding committee.
    record_strike_off_commune_resolution(RecordCommitteeResolutionInput) => recognition::on_record_strike_off_commune_resolution;
    /// The grassroots committee's resolution on recognition (15-KNĐ).
    record_recognition_commune_resolution(RecordCommitteeResolutionInput) => recognition::on_record_recognition_commune_resolution;
    /// Sign the recognition decision (16-KNĐ). The member is official from the end of
    /// probation, however late this decision. By the deciding unit.
    sign_recognition_decision(SignDecisionInput) => recognition::on_sign_recognition_decision;
    /// Strike off a probationer who is not recognised (xóa tên). By the deciding unit, on the
    /// proposal of the branch and the grassroots committee (`STRIKE_OFF_COMMUNE_RESOLVED`),
    /// or after the grassroots committee voted against the branch's recognition.
    strike_off_probationer(StrikeOffProbationerInput) => recognition::on_strike_off_probationer;
    /// Move a candidate with the whole dossier to another branch. By a committee above both branches.
    transfer_candidate(TransferCandidateInput) => transfer::on_transfer_candidate;
}
