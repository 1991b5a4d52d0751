//! Admission: the branch's vote, the section's appraisal, the grassroots committee's
//! resolution, the decision, its receipt and the ceremony.

use super::records::ActTarget;
use async_graphql::InputObject;
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use entity::{candidate, dossier_document, introduction, member};

use super::consent;
use super::dossier::awareness_certificate;
use super::readmission::former_member;
use super::records::{
    BranchVote, CommitteeVote, DecisionInput, LeftOutMemberInput, Vote, committee_vote, counted_members,
    insert_branch_resolution, insert_resolution, parse_number, sign_on_time,
};
use super::service::{self, Subject};
use super::source_list::parse_optional_label;
use super::verification;
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::consent::{ConsentCase, ConsentStep, Detected};
use crate::domain::dates::not_before;
use crate::domain::deadline::{self};
use crate::domain::dossier::{DecisionKind, FormCode, ResolutionKind};
use crate::domain::eligibility::{self, BranchVoteFacts, IntroductionFacts};
use crate::domain::person::MemberStatus;
use crate::domain::readmission;
use crate::domain::stage::Act;
use crate::error::{AppError, AppResult, Text, tr};
use crate::graphql::scalars::Date;
use crate::members::service as members;
use crate::rules::store as rules;

/// The branch's vote on proposing admission (6-KNĐ), with its tally.
#[derive(InputObject)]
pub struct RecordBranchResolutionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the branch meeting; age, education, certificate and dossier are judged on it.
    pub(super) resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted, each with
    /// the reason the rules allow; the vote is measured against the rest.
    #[graphql(default)]
    pub(super) left_out: Vec<LeftOutMemberInput>,
    /// Official members who voted for admission.
    pub(super) votes_for: u32,
    /// No longer taken: a consent is a record of the dossier (`recordHigherConsent`), read
    /// on the vote's date. `true` is refused with `BAD_USER_INPUT`.
    #[graphql(
        default = false,
        deprecation = "record the consent with recordHigherConsent (case OVER_AGE)"
    )]
    pub(super) provincial_consent_over_age: bool,
    /// No longer taken: see `provincialConsentOverAge`.
    #[graphql(
        default = false,
        deprecation = "record the consent with recordHigherConsent (case LITERACY)"
    )]
    pub(super) provincial_consent_literacy: bool,
    /// No longer taken: see `provincialConsentOverAge`.
    #[graphql(
        default = false,
        deprecation = "record the consent with recordHigherConsent (case READMISSION)"
    )]
    pub(super) provincial_consent_readmission: bool,
}

impl RecordBranchResolutionInput {
    /// The vote, converted at the edge. A consent declared here by a flag is refused: the
    /// dossier holds it, with its body, document and date.
    pub(super) fn into_vote(self) -> AppResult<BranchVote> {
        let flags = [
            ("provincialConsentOverAge", self.provincial_consent_over_age, "OVER_AGE"),
            (
                "provincialConsentLiteracy",
                self.provincial_consent_literacy,
                "LITERACY",
            ),
            (
                "provincialConsentReadmission",
                self.provincial_consent_readmission,
                "READMISSION",
            ),
        ];
        if let Some((field, _, case)) = flags.into_iter().find(|(_, set, _)| *set) {
            return Err(AppError::validation(
                field,
                tr!(
                    "a consent is recorded in the dossier: recordHigherConsent with caseCode {case}, before the vote",
                    "ý kiến đồng ý được ghi vào hồ sơ: dùng recordHigherConsent với caseCode {case}, trước khi biểu quyết"
                ),
            ));
        }
        BranchVote::given(self.resolved_on, self.votes_for, self.left_out)
    }
}

/// The section committee's appraisal of the branch's proposal (7-KNĐ).
#[derive(InputObject)]
pub struct RecordSectionAppraisalInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the appraisal; not before the branch resolution.
    pub(super) appraised_on: Date,
    /// Whether the section committee supports the branch's proposal.
    pub(super) approved: bool,
    /// Remark on the appraisal. At most 2000 characters.
    pub(super) note: Option<String>,
}

/// Sign the admission decision (9-KNĐ). By the deciding unit.
#[derive(InputObject)]
pub struct SignAdmissionDecisionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Number of the decision (số quyết định). At most 64 characters.
    pub(super) decision_number: String,
    /// Date of signing, from which party age counts; due within 60 working days of the branch resolution.
    pub(super) signed_on: Date,
    /// Needed to sign in the extended period allowed in special cases.
    /// At most 2000 characters.
    pub(super) extension_reason: Option<String>,
}

/// Record the day the branch received the admission decision. By the branch.
#[derive(InputObject)]
pub struct RecordDecisionReceiptInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The day the branch received the admission decision: the ceremony is due within 30
    /// working days of it.
    pub(super) received_on: Date,
}

/// Record the admission ceremony (lễ kết nạp). By the branch.
#[derive(InputObject)]
pub struct RecordAdmissionCeremonyInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the ceremony: the date of joining; the 12 months of probation start on it.
    pub(super) held_on: Date,
    /// The superior consented to a ceremony after the deadline.
    #[graphql(default = false)]
    pub(super) late_with_superior_consent: bool,
}

/// The branch votes on proposing admission (6-KNĐ). Refused, with nothing recorded, unless
/// every condition holds on the vote's date. The vote itself is recorded whatever its
/// tally: with two thirds of the counted members for, the candidate goes up; short of it,
/// the resolution stands on record with its tally for the committee above to see
/// (`approved: false`), and the candidate stays on the source list, where the branch may
/// cultivate and vote again (Hướng dẫn 01-HD/TW 2021, kept by 06-HD/TW 2025: the full
/// result of the vote is reported upward).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_branch_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: BranchVote,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let mut acting = service::begin(db, actor, subject, Act::RecordBranchResolution, vote.on).await?;
    let c = acting.before.clone();
    not_before(
        "resolvedOn",
        vote.on,
        &Text::fixed("the listing", "ngày đưa vào danh sách"),
        Some(c.listed_on),
    )?;
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let eligible = counted_members(&acting, &vote).await?;
    // The consents the dossier holds on the vote's date, for the cases that apply.
    let cases = consent::applying(&acting.txn, &rulebook, &c, vote.on).await?;
    let consents = consent::as_consents(&consent::consents_of(&acting.txn, subject.id).await?);
    let settled = |detected| crate::domain::consent::settled_for_vote(&cases, &consents, detected, vote.on);
    if let Some(former_id) = c.readmission_of_member_id {
        let former = member::Entity::find_by_id(former_id)
            .one(&acting.txn)
            .await?
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("former member {former_id} vanished")))?;
        readmission::check_vote(
            &rulebook,
            &former_member(&former)?,
            vote.on,
            settled(Detected::Readmission),
        )?;
    }

    let documents: Vec<(FormCode, NaiveDate)> = dossier_document::Entity::find()
        .filter(dossier_document::Column::CandidateId.eq(subject.id))
        .all(&acting.txn)
        .await?
        .into_iter()
        .map(|d| (d.form_code, d.received_on))
        .collect();
    let background = verification::latest_conclusion(&acting.txn, subject.id, vote.on)
        .await?
        .map(|c| (c.concluded_on, c.passed));
    let certificate_date = awareness_certificate(&acting.txn, subject.id, vote.on).await?;
    let intro_rows = introduction::Entity::find()
        .filter(introduction::Column::CandidateId.eq(subject.id))
        .all(&acting.txn)
        .await?;
    let introducer_ids: Vec<i32> = intro_rows.iter().filter_map(|i| i.member_id).collect();
    let introducers = member::Entity::find()
        .filter(member::Column::Id.is_in(introducer_ids))
        .all(&acting.txn)
        .await?;
    let introductions: Vec<IntroductionFacts> = intro_rows
        .iter()
        .map(|i| IntroductionFacts {
            kind: i.kind,
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
        .collect();
    let facts = BranchVoteFacts {
        vote_date: vote.on,
        birth_date: c.birth_date,
        education: c.general_education,
        difficult_area_exception: c.difficult_area_education_exception,
        over_age_consent: settled(Detected::OverAge),
        literacy_consent: settled(Detected::Literacy),
        certificate_date,
        documents: &documents,
        background,
        introductions: &introductions,
    };
    eligibility::check_branch_vote_conditions(&rulebook, &facts)?;
    let applying: Vec<&ConsentCase> = cases.iter().collect();
    crate::domain::consent::check(&applying, &consents, ConsentStep::BranchVote, vote.on)?;
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
    // The consents the vote relied on, as the audit trail keeps them.
    let consented: Vec<&str> = consents
        .iter()
        .filter(|c| c.consented_on <= vote.on)
        .map(|c| c.case_code.as_str())
        .collect();
    acting
        .finish(changes, json!({ "resolution": audit::snapshot(&row)?, "leftOut": audit::snapshot(&left_out)?, "consents": consented }))
        .await
}

/// The section committee appraises the branch's proposal (7-KNĐ).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_section_appraisal(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    on: NaiveDate,
    approved: bool,
    note: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("appraisedOn", on)?;
    let note = parse_optional_label("note", note)?;
    let acting = service::begin(db, actor, subject, Act::AppraiseAtSection, on).await?;
    not_before(
        "appraisedOn",
        on,
        &Text::fixed("the branch resolution", "nghị quyết của chi bộ"),
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, subject, vote, CommitteeVote::Admission).await
}

/// Sign the admission decision (9-KNĐ), within 60 working days of the branch resolution,
/// or within the extension in special cases (with the reason), by the rules the clock
/// started under (`service::clock_rules`), as shown. Party age counts from this signing
/// date.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_admission_decision(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    d: DecisionInput,
    extension_reason: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let extension_reason = parse_optional_label("extensionReason", extension_reason)?;
    let acting = service::begin(db, actor, subject, Act::SignAdmissionDecision, d.signed_on).await?;
    let branch_resolution = acting
        .before
        .branch_resolution_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("decided candidate without branch resolution")))?;
    not_before(
        "signedOn",
        d.signed_on,
        &Text::fixed("the branch resolution", "nghị quyết của chi bộ"),
        Some(branch_resolution),
    )?;
    // Every case that applies, judged as on the branch's vote, consented to by now.
    let rulebook = rules::rulebook_on(&acting.txn, branch_resolution).await?;
    consent::require_consents(
        &acting.txn,
        &rulebook,
        &acting.before,
        branch_resolution,
        ConsentStep::Decision,
        d.signed_on,
    )
    .await?;
    let (row, extended) = sign_on_time(
        &acting,
        DecisionKind::Admission,
        branch_resolution,
        number,
        d.signed_on,
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_decision_receipt(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    received_on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("receivedOn", received_on)?;
    let acting = service::begin(db, actor, subject, Act::RecordDecisionReceipt, received_on).await?;
    not_before(
        "receivedOn",
        received_on,
        &Text::fixed("the admission decision", "quyết định kết nạp"),
        acting.before.decision_signed_on,
    )?;
    // Once recorded, a receipt may be corrected to an earlier day, never pushed later: the
    // branch cannot lengthen its own deadline.
    if let Some(recorded) = acting.before.decision_received_on
        && received_on > recorded
    {
        return Err(AppError::rule(
            "DECISION_RECEIPT_ALREADY_RECORDED",
            tr!(
                "the decision's receipt was recorded as {recorded}; it may only be corrected to an earlier day",
                "ngày nhận quyết định đã được ghi là {recorded}; chỉ được sửa sang một ngày sớm hơn"
            ),
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_admission_ceremony(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    held_on: NaiveDate,
    late_with_consent: bool,
) -> AppResult<candidate::Model> {
    not_in_future("heldOn", held_on)?;
    let acting = service::begin(db, actor, subject, Act::HoldCeremony, held_on).await?;
    let c = acting.before.clone();
    let decided = c
        .decision_signed_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("ceremony without a decision")))?;
    not_before(
        "heldOn",
        held_on,
        &Text::fixed("the admission decision", "quyết định kết nạp"),
        Some(decided),
    )?;
    let received = c.decision_received_on.unwrap_or(decided);
    let (clock, calendar) = service::clock_rules(&acting.txn, received).await?;
    let due = deadline::ceremony_due(&clock, &calendar, received);
    if held_on > due && !late_with_consent {
        return Err(AppError::rule(
            "CEREMONY_DEADLINE_PASSED",
            tr!(
                "the ceremony was due within {} working days of the branch's receipt of the decision on {received}, by {due}; later only with the superior's consent",
                "lễ kết nạp phải tổ chức trong {} ngày làm việc kể từ ngày chi bộ nhận quyết định ({received}), tức trước {due}; muộn hơn chỉ khi cấp ủy cấp trên đồng ý",
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
        gender: Set(Some(c.gender)),
        birth_date: Set(Some(c.birth_date)),
        ethnicity: Set(Some(c.ethnicity)),
        residential_area_id: Set(c.residential_area_id),
        status: Set(MemberStatus::Probationary),
        decision_date: Set(Some(decided)),
        joined_on: Set(Some(held_on)),
        official_on: Set(None),
        candidate_id: Set(Some(c.id)),
        version: Set(1),
        age_at_joining: Set(Some(crate::domain::period::age_in_years(c.birth_date, held_on))),
        religion: Set(Some(c.religion)),
        general_education: Set(Some(c.general_education)),
        professional_level: Set(Some(c.professional_level)),
        source_organisation: Set(Some(c.source_organisation)),
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
