//! The resolutions and decisions every phase records: tallies measured against the members
//! counted, committee votes, decisions and their clocks.

use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::json;

use entity::{candidate, decision, resolution};

use super::service::{self, Acting, Subject};
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::deadline;
use crate::domain::dossier::{DecisionKind, ResolutionKind};
use crate::domain::stage::Act;
use crate::domain::text;
use crate::domain::vote::LeftOutReason;
use crate::error::{AppError, AppResult, Text};
use crate::graphql::enums as api;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::members::service as members;
use crate::rules::store as rules;

/// An official member the branch's vote is not measured against, and why.
#[derive(InputObject)]
pub struct LeftOutMemberInput {
    /// The official member not counted.
    pub(super) member_id: ID,
    /// Why the rules allow leaving the member out.
    pub(super) reason: api::LeftOutReason,
}

/// The members left out of a branch vote's count; at most 1,000.
pub(super) fn left_out(input: Vec<LeftOutMemberInput>) -> AppResult<Vec<LeftOut>> {
    if input.len() > 1000 {
        return Err(AppError::validation(
            "leftOut",
            Text::fixed("at most 1000 members", "tối đa 1000 đảng viên"),
        ));
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

/// The candidate an act is on, and the version its client last read: the first fields of
/// every act's input.
#[derive(InputObject)]
pub struct ActTarget {
    /// The candidate acted on.
    pub(super) candidate_id: ID,
    /// The candidate's `version` as last read; refused with `CONFLICT` if it has changed (omit to skip the check).
    pub(super) expected_version: Option<i32>,
}

/// A grassroots committee's vote: on admission (8-KNĐ), on recognition (15-KNĐ) or on a strike-off.
#[derive(InputObject)]
pub struct RecordCommitteeResolutionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Date of the committee's meeting.
    pub(super) resolved_on: Date,
    /// Members of the committee (not only those present).
    pub(super) committee_members: u32,
    /// Committee members who voted for the proposal.
    pub(super) votes_for: u32,
}

/// A tally as recorded: the day, the members it is measured against, the votes for. A
/// committee's vote names the committee's size; a branch's is counted (`BranchVote`).
#[derive(Debug, Clone, Copy)]
pub struct Vote {
    pub on: NaiveDate,
    pub eligible: u32,
    pub votes_for: u32,
}

impl From<&RecordCommitteeResolutionInput> for Vote {
    fn from(input: &RecordCommitteeResolutionInput) -> Vote {
        Vote {
            on: input.resolved_on.0,
            eligible: input.committee_members,
            votes_for: input.votes_for,
        }
    }
}

/// A branch meeting's vote: measured against the official members on the registry on the
/// day, less those left out by name.
pub struct BranchVote {
    pub on: NaiveDate,
    pub votes_for: u32,
    pub left_out: Vec<LeftOut>,
}

impl BranchVote {
    /// A branch's tally as given: the meeting's day, the votes for, and the official
    /// members not counted (each checked).
    pub(super) fn given(on: Date, votes_for: u32, left: Vec<LeftOutMemberInput>) -> AppResult<BranchVote> {
        Ok(BranchVote {
            on: on.0,
            votes_for,
            left_out: left_out(left)?,
        })
    }
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
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn counted_members(acting: &Acting<'_>, vote: &BranchVote) -> AppResult<u32> {
    let mut named = std::collections::HashSet::new();
    for left in &vote.left_out {
        if !named.insert(left.member_id) {
            return Err(AppError::validation(
                "leftOut",
                Text::fixed("a member is named twice", "một đảng viên được nêu hai lần"),
            ));
        }
        let member = members::find(&acting.txn, acting.actor.scope(), left.member_id).await?;
        if member.branch_id != acting.branch_id() || members::official_since(&member, vote.on).is_none() {
            return Err(AppError::validation(
                "leftOut",
                Text::fixed(
                    "only an official member of the candidate's branch on the vote's date can be left out",
                    "chỉ được không tính đảng viên chính thức của chi bộ người xin vào Đảng vào ngày biểu quyết",
                ),
            ));
        }
    }
    let registry = members::count_official(&acting.txn, acting.branch_id(), vote.on).await?;
    let counted = crate::domain::vote::members_counted(registry, vote.left_out.len())?;
    check_tally(vote.votes_for, counted)?;
    Ok(counted)
}

/// A branch vote on record: the resolution and the members left out of its count.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn insert_branch_resolution(
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
                reason: Set(left.reason),
                ..Default::default()
            }
            .insert(&acting.txn)
            .await?,
        );
    }
    Ok((row, left_out))
}

/// A tally that cannot be, as the field it is wrong in.
pub(super) fn check_tally(votes_for: u32, eligible: u32) -> AppResult<()> {
    crate::domain::vote::check_tally(votes_for, eligible)
        .map_err(|(field, message)| AppError::validation(field, message))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn insert_resolution(
    acting: &Acting<'_>,
    kind: ResolutionKind,
    unit_id: i32,
    vote: Vote,
    approved: bool,
    note: Option<String>,
) -> AppResult<resolution::Model> {
    Ok(resolution::ActiveModel {
        candidate_id: Set(acting.before.id),
        kind: Set(kind),
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

/// Which of the grassroots committee's two votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CommitteeVote {
    /// On admission (8-KNĐ).
    Admission,
    /// On recognition as a full member (15-KNĐ).
    Recognition,
    /// On the branch's proposal to strike a probationer off.
    StrikeOff,
}

/// A vote of the grassroots committee: recorded whatever the tally, with `approved` telling
/// whether it reached the share the rulebook asks for.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn committee_vote(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
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
    let acting = service::begin(db, actor, subject, act, vote.on).await?;
    // The committee votes on what the branch proposed, after it did.
    let (proposal, proposed_on) = match which {
        CommitteeVote::Admission => (
            Text::fixed("the branch resolution", "nghị quyết của chi bộ"),
            acting.before.branch_resolution_on,
        ),
        CommitteeVote::Recognition | CommitteeVote::StrikeOff => (
            Text::fixed("the branch's resolution", "nghị quyết của chi bộ"),
            acting.before.recognition_branch_on,
        ),
    };
    not_before("resolvedOn", vote.on, &proposal, proposed_on)?;
    let rulebook = rules::rulebook_on(&acting.txn, vote.on).await?;
    let approved = match which {
        CommitteeVote::Admission => rulebook.commune_vote.is_met(vote.votes_for, eligible),
        CommitteeVote::Recognition => rulebook.recognition_commune_vote.is_met(vote.votes_for, eligible),
        CommitteeVote::StrikeOff => rulebook.recognition_commune_vote.is_met(vote.votes_for, eligible),
    };
    let unit = crate::domain::stage::unit_for(crate::domain::stage::Level::Grassroots, &acting.chain)
        .unwrap_or(acting.branch_id());
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

impl DecisionInput {
    /// A decision as given: its number and the day it was signed.
    pub(super) fn given(number: String, signed_on: Date) -> DecisionInput {
        DecisionInput {
            number,
            signed_on: signed_on.0,
        }
    }
}

pub(super) fn parse_number(number: &str) -> AppResult<String> {
    text::parse_label(number, 64).map_err(|m| AppError::validation("decisionNumber", m))
}

/// Sign a decision of `kind` against its clock, started on `started` and run by the rules
/// then in force (`service::clock_rules`, as the deadline shown): refused past its
/// extension, or in it without a reason; recorded with whether it used the extension.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn sign_on_time(
    acting: &Acting<'_>,
    kind: DecisionKind,
    started: NaiveDate,
    number: String,
    signed_on: NaiveDate,
    extension_reason: Option<String>,
) -> AppResult<(decision::Model, bool)> {
    let (rules, calendar) = service::clock_rules(&acting.txn, started).await?;
    let clock = deadline::decision_clock(kind, &rules, &calendar, started)
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("a {} decision runs on no clock", kind.as_str())))?;
    let extended = deadline::within_decision_deadline(clock, signed_on, extension_reason.is_some())?;
    let row = insert_decision(acting, kind, number, signed_on, extended, extension_reason).await?;
    Ok((row, extended))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn insert_decision(
    acting: &Acting<'_>,
    kind: DecisionKind,
    number: String,
    signed_on: NaiveDate,
    extended: bool,
    reason: Option<String>,
) -> AppResult<decision::Model> {
    Ok(decision::ActiveModel {
        candidate_id: Set(acting.before.id),
        kind: Set(kind),
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
