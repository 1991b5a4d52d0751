//! Introductions (3-KNĐ by an official member, 4-KNĐ / 4A-KNĐ by a union) and their
//! replacement when an introducer cannot continue.

use super::records::ActTarget;
use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use entity::{candidate, introduction};

use super::papers::Introduction;
use super::service::{self, Subject};
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::dossier::{IntroductionKind, ReplacementReason};
use crate::domain::stage::Act;
use crate::error::{AppError, AppResult, Text, noun};
use crate::graphql::enums as api;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::members::service as members;

/// Record an introduction: by an official member (3-KNĐ), or a union's resolution (4-KNĐ, 4A-KNĐ).
#[derive(InputObject)]
pub struct AddIntroductionInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Who introduces; `MEMBER` needs `memberId` and, unless it replaces another, `knownSince`.
    pub(super) kind: api::IntroductionKind,
    /// The introducing official member (for `MEMBER`).
    pub(super) member_id: Option<ID>,
    /// Since when the member has worked, studied or lived with the candidate.
    pub(super) known_since: Option<Date>,
    /// Date of the introduction paper or union resolution.
    pub(super) introduced_on: Date,
    /// The member's introduction this one replaces, when that introducer cannot continue;
    /// the replacement needs no 12 months of acquaintance (`knownSince` may be left out).
    pub(super) replaces_introduction_id: Option<ID>,
    /// Why the replaced introducer cannot continue; required with `replacesIntroductionId`.
    pub(super) replacement_reason: Option<api::ReplacementReason>,
}

pub struct NewIntroduction {
    pub kind: IntroductionKind,
    pub member_id: Option<i32>,
    pub known_since: Option<NaiveDate>,
    pub introduced_on: NaiveDate,
    /// The member's introduction this one replaces, and why that introducer cannot continue.
    pub replaces: Option<(i32, ReplacementReason)>,
}

impl TryFrom<AddIntroductionInput> for NewIntroduction {
    type Error = AppError;

    /// `addIntroduction`'s input checked and converted: a replacement names both the
    /// introduction it replaces and why.
    fn try_from(input: AddIntroductionInput) -> AppResult<NewIntroduction> {
        Ok(NewIntroduction {
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
                    return Err(AppError::validation(
                        "replacementReason",
                        Text::fixed(
                            "say why the introducer cannot continue",
                            "hãy nêu lý do người giới thiệu không thể tiếp tục",
                        ),
                    ));
                }
                (None, Some(_)) => {
                    return Err(AppError::validation(
                        "replacesIntroductionId",
                        Text::fixed(
                            "name the introduction replaced",
                            "hãy chỉ rõ giấy giới thiệu được thay thế",
                        ),
                    ));
                }
            },
        })
    }
}

/// Record an introduction (3-KNĐ by an official member, 4-KNĐ / 4A-KNĐ by a union).
/// Whether it suffices is judged at the branch vote. An introduction may replace a member's
/// introduction whose introducer cannot continue (transferred, disciplined, deceased…): the
/// branch assigns another official member, who needs no 12 months of acquaintance (Quy định
/// 24-QĐ/TW 2021 §3.2.2), and the replaced one stops counting.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_introduction(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    i: NewIntroduction,
) -> AppResult<candidate::Model> {
    not_in_future("introducedOn", i.introduced_on)?;
    match (i.kind, i.member_id, i.known_since, i.replaces) {
        (IntroductionKind::Member, Some(_), Some(known), _) if known > i.introduced_on => {
            return Err(AppError::validation(
                "knownSince",
                Text::fixed(
                    "must be on or before the introduction",
                    "phải trước hoặc cùng ngày giới thiệu",
                ),
            ));
        }
        // A replacement need not have known the candidate for long, or at all.
        (IntroductionKind::Member, Some(_), _, Some(_)) => {}
        (_, _, _, Some(_)) => {
            return Err(AppError::validation(
                "replacesIntroductionId",
                Text::fixed(
                    "only a member's introduction replaces another",
                    "chỉ giấy giới thiệu của đảng viên mới thay thế được giấy giới thiệu khác",
                ),
            ));
        }
        _ => {}
    }
    match (i.kind, i.member_id, i.known_since) {
        (IntroductionKind::Member, Some(_), Some(known)) if known > i.introduced_on => {
            return Err(AppError::validation(
                "knownSince",
                Text::fixed(
                    "must be on or before the introduction",
                    "phải trước hoặc cùng ngày giới thiệu",
                ),
            ));
        }
        (IntroductionKind::Member, Some(_), Some(_)) => {}
        (IntroductionKind::Member, Some(_), None) if i.replaces.is_some() => {}
        (IntroductionKind::Member, _, _) => {
            return Err(AppError::validation(
                "memberId",
                Text::fixed(
                    "a member's introduction names the member and since when they know the candidate",
                    "giấy giới thiệu của đảng viên phải ghi rõ đảng viên giới thiệu và thời điểm bắt đầu quen biết người xin vào Đảng",
                ),
            ));
        }
        (_, Some(_), _) => {
            return Err(AppError::validation(
                "memberId",
                Text::fixed(
                    "a union's resolution names no member",
                    "nghị quyết giới thiệu của đoàn thể không ghi tên đảng viên",
                ),
            ));
        }
        _ => {}
    }
    let acting = service::begin(db, actor, subject, Act::AddIntroduction, i.introduced_on).await?;
    if let Some(member_id) = i.member_id {
        members::find(&acting.txn, actor.scope(), member_id).await?;
    }
    if let Some((replaced_id, _)) = i.replaces {
        // Another candidate's introduction answers like a missing one.
        let replaced = introduction::Entity::find_by_id(replaced_id)
            .filter(introduction::Column::CandidateId.eq(subject.id))
            .one(&acting.txn)
            .await?
            .ok_or(AppError::not_found(noun::INTRODUCTION))?;
        let already = introduction::Entity::find()
            .filter(introduction::Column::ReplacesId.eq(replaced_id))
            .one(&acting.txn)
            .await?;
        if replaced.kind != IntroductionKind::Member || already.is_some() {
            return Err(AppError::rule(
                "INTRODUCTION_NOT_REPLACEABLE",
                Text::fixed(
                    "only a member's introduction not yet replaced can be replaced",
                    "chỉ thay thế được giấy giới thiệu của đảng viên chưa bị thay thế",
                ),
            ));
        }
        if replaced.member_id == i.member_id {
            return Err(AppError::validation(
                "memberId",
                Text::fixed(
                    "the replacement is another member than the one replaced",
                    "người giới thiệu thay thế phải là đảng viên khác với người được thay thế",
                ),
            ));
        }
        not_before(
            "introducedOn",
            i.introduced_on,
            &Text::fixed("the introduction it replaces", "giấy giới thiệu được thay thế"),
            Some(replaced.introduced_on),
        )?;
    }
    let row = introduction::ActiveModel {
        candidate_id: Set(subject.id),
        kind: Set(i.kind),
        member_id: Set(i.member_id),
        known_since: Set(i.known_since),
        introduced_on: Set(i.introduced_on),
        replaces_id: Set(i.replaces.map(|(r, _)| r)),
        replacement_reason: Set(i.replaces.map(|(_, why)| why)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    acting.record(json!({ "introduction": audit::snapshot(&row)? })).await
}
