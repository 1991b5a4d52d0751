//! Probation's end: the branch's vote on recognition or striking off, the grassroots
//! committee's resolution, and the deciding committee's decision.

use super::records::ActTarget;
use async_graphql::InputObject;
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use entity::{candidate, dossier_document, member, resolution};

use super::dossier::latest_certificate;
use super::mentoring::end_mentoring;
use super::records::{
    BranchVote, CommitteeVote, DecisionInput, LeftOutMemberInput, Vote, committee_vote, counted_members,
    insert_branch_resolution, insert_decision, parse_number, sign_on_time,
};
use super::service::{self, Acting, Subject};
use super::source_list::parse_optional_label;
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::dossier::{CourseKind, DecisionKind, FormCode, ResolutionKind};
use crate::domain::person::MemberStatus;
use crate::domain::readmission;
use crate::domain::stage::{Act, Stage};
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, tr};
use crate::graphql::scalars::Date;
use crate::rules::store as rules;

/// The branch's vote on recognising a probationer as a full member (13-KNĐ).
#[derive(InputObject)]
pub struct RecordRecognitionBranchResolutionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the branch meeting; due within 30 working days after probation ends.
    pub(super) resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted, each with
    /// the reason the rules allow.
    #[graphql(default)]
    pub(super) left_out: Vec<LeftOutMemberInput>,
    /// Official members who voted for recognition.
    pub(super) votes_for: u32,
}

/// The branch's resolution proposing to strike a probationer off (xóa tên).
#[derive(InputObject)]
pub struct ProposeStrikeOffInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the branch meeting.
    pub(super) resolved_on: Date,
    /// Official members of the branch's registry on the day who are not counted.
    #[graphql(default)]
    pub(super) left_out: Vec<LeftOutMemberInput>,
    /// Members voting to strike the probationer off.
    pub(super) votes_for: u32,
    /// Why the probationer is not fit to become a full member. At most 2000 characters.
    pub(super) reason: String,
}

/// Sign the recognition decision (16-KNĐ). By the deciding unit.
#[derive(InputObject)]
pub struct SignDecisionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Number of the decision (số quyết định). At most 64 characters.
    pub(super) decision_number: String,
    /// Date of signing; due within 30 working days of the branch's recognition resolution.
    pub(super) signed_on: Date,
    /// Needed to sign in the extension allowed in special cases. At most 2000 characters.
    pub(super) extension_reason: Option<String>,
}

/// Strike off a probationer who is not recognised (xóa tên). By the deciding unit.
#[derive(InputObject)]
pub struct StrikeOffProbationerInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Number of the decision (số quyết định). At most 64 characters.
    pub(super) decision_number: String,
    /// Date the decision is signed; not before the ceremony.
    pub(super) signed_on: Date,
    /// Why the probationer is struck off. At most 2000 characters.
    pub(super) reason: String,
}

/// The end of a probationer's probation, fixed at the ceremony by the rules then in force.
pub(super) fn probation_end(c: &candidate::Model) -> AppResult<NaiveDate> {
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_recognition_branch_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: BranchVote,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let acting = service::begin(db, actor, subject, Act::RecordRecognitionBranchResolution, vote.on).await?;
    let c = acting.before.clone();
    let ends = probation_end(&c)?;
    if vote.on < ends {
        return Err(AppError::rule(
            "PROBATION_NOT_ENDED",
            tr!(
                "probation ends on {ends}; the branch votes after that",
                "thời gian dự bị kết thúc ngày {ends}; sau đó chi bộ mới biểu quyết"
            ),
        ));
    }
    let forms: Vec<FormCode> = dossier_document::Entity::find()
        .filter(dossier_document::Column::CandidateId.eq(subject.id))
        .filter(dossier_document::Column::ReceivedOn.lte(vote.on))
        .all(&acting.txn)
        .await?
        .into_iter()
        .map(|d| d.form_code)
        .collect();
    let missing: Vec<&str> = [FormCode::Knd10, FormCode::Knd11, FormCode::Knd12]
        .into_iter()
        .filter(|f| !forms.contains(f))
        .map(FormCode::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(AppError::rule(
            "PROBATION_DOSSIER_INCOMPLETE",
            tr!(
                "the probation dossier lacks {}",
                "hồ sơ đảng viên dự bị còn thiếu {}",
                missing.join(", ")
            ),
        ));
    }
    if latest_certificate(&acting.txn, subject.id, CourseKind::NewMember, vote.on)
        .await?
        .is_none()
    {
        return Err(AppError::rule(
            "NEW_MEMBER_COURSE_MISSING",
            Text::fixed(
                "the probationer has no new-member course certificate",
                "đảng viên dự bị chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới",
            ),
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn propose_strike_off(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: BranchVote,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("resolvedOn", vote.on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, subject, Act::ProposeStrikeOff, vote.on).await?;
    not_before(
        "resolvedOn",
        vote.on,
        &Text::fixed("the ceremony", "lễ kết nạp"),
        acting.before.ceremony_on,
    )?;
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
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn standing_vote(
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
            .filter(
                resolution::Column::Kind.is_in([ResolutionKind::BranchRecognition, ResolutionKind::BranchStrikeOff]),
            )
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_strike_off_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, subject, vote, CommitteeVote::StrikeOff).await
}

/// The grassroots committee votes on recognition (15-KNĐ); recorded whatever the tally and
/// reported to the deciding unit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_recognition_commune_resolution(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    vote: Vote,
) -> AppResult<candidate::Model> {
    committee_vote(db, actor, subject, vote, CommitteeVote::Recognition).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn update_member(
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
    row.status = Set(status);
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_recognition_decision(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    d: DecisionInput,
    extension_reason: Option<String>,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let extension_reason = parse_optional_label("extensionReason", extension_reason)?;
    let acting = service::begin(db, actor, subject, Act::RecognizeFullMembership, d.signed_on).await?;
    not_before(
        "signedOn",
        d.signed_on,
        &Text::fixed("the grassroots resolution", "nghị quyết của đảng ủy cơ sở"),
        acting.before.recognition_commune_on,
    )?;
    let branch_resolution = acting
        .before
        .recognition_branch_on
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("recognition without a branch resolution")))?;
    let official_on = probation_end(&acting.before)?;
    let (row, extended) = sign_on_time(
        &acting,
        DecisionKind::Recognition,
        branch_resolution,
        number,
        d.signed_on,
        extension_reason,
    )
    .await?;
    let mut member = update_member(&acting, MemberStatus::Official, Some(official_on)).await?;
    if acting.before.readmission_of_member_id.is_some() {
        let mut recognised = acting.before.clone();
        recognised.stage = Stage::Official;
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn strike_off(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    d: DecisionInput,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("signedOn", d.signed_on)?;
    let number = parse_number(&d.number)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, subject, Act::StrikeOff, d.signed_on).await?;
    not_before(
        "signedOn",
        d.signed_on,
        &Text::fixed("the ceremony", "lễ kết nạp"),
        acting.before.ceremony_on,
    )?;
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
    left.left_reason = Set(Some(readmission::LeftReason::StruckOff));
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
