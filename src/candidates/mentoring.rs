//! Mentoring: the official member assigned to help a candidate, and their replacement.

use super::records::ActTarget;
use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use entity::{candidate, member, mentor_assignment};

use super::service::{self, Acting, Subject};
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::stage::Act;
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, noun, tr};
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::members::graphql::Member;
use crate::members::service as members;

/// Assign an official member of the branch to help a candidate (phân công đảng viên giúp đỡ).
#[derive(InputObject)]
pub struct AssignMentorInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// An official member of the candidate's branch.
    pub(super) member_id: ID,
    /// Date of the assignment.
    pub(super) assigned_on: Date,
}

/// End a mentor's assignment and give the candidate another official member of the branch.
#[derive(InputObject)]
pub struct ReplaceMentorInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The assignment that ends.
    pub(super) mentor_assignment_id: ID,
    /// The member who takes over: an official member of the branch on `replacedOn`.
    pub(super) new_member_id: ID,
    /// The day the old assignment ends and the new one starts.
    pub(super) replaced_on: Date,
    /// Why the mentor is replaced. At most 2000 characters.
    pub(super) reason: String,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn end_mentoring(acting: &Acting<'_>, on: NaiveDate, reason: &str) -> AppResult<u64> {
    let result = mentor_assignment::Entity::update_many()
        .col_expr(mentor_assignment::Column::EndedOn, sea_orm::sea_query::Expr::value(on))
        .col_expr(
            mentor_assignment::Column::EndReason,
            sea_orm::sea_query::Expr::value(reason.to_string()),
        )
        .filter(mentor_assignment::Column::CandidateId.eq(acting.before.id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .exec(&acting.txn)
        .await?;
    Ok(result.rows_affected)
}

/// The role [`official_member_of_branch`] checks a member for, as its messages name it.
const MENTOR: Text = Text::fixed("mentor", "đảng viên giúp đỡ");

/// An official member of the candidate's branch, on `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn official_member_of_branch(
    acting: &Acting<'_>,
    member_id: i32,
    on: NaiveDate,
    role: &Text,
) -> AppResult<member::Model> {
    let member = members::find(&acting.txn, acting.actor.scope(), member_id).await?;
    let (role_en, role_vi) = (role.en(), role.vi());
    if member.branch_id != acting.branch_id() {
        return Err(AppError::rule(
            "MEMBER_NOT_IN_BRANCH",
            tr!(
                "the {role_en} must be a member of the candidate's branch",
                "{role_vi} phải là đảng viên thuộc chi bộ của người xin vào Đảng"
            ),
        ));
    }
    if members::official_since(&member, on).is_none() {
        return Err(AppError::rule(
            "MEMBER_NOT_OFFICIAL",
            tr!(
                "the {role_en} must be an official member on {on}",
                "{role_vi} phải là đảng viên chính thức vào ngày {on}"
            ),
        ));
    }
    Ok(member)
}

/// Assign an official member of the branch to help the candidate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn assign_mentor(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    member_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("assignedOn", on)?;
    let acting = service::begin(db, actor, subject, Act::AssignMentor, on).await?;
    let member = official_member_of_branch(&acting, member_id, on, &MENTOR).await?;
    let already = mentor_assignment::Entity::find()
        .filter(mentor_assignment::Column::CandidateId.eq(subject.id))
        .filter(mentor_assignment::Column::MemberId.eq(member.id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .one(&acting.txn)
        .await?;
    if already.is_some() {
        return Err(AppError::rule(
            "MENTOR_ALREADY_ASSIGNED",
            Text::fixed(
                "this member already helps the candidate",
                "đảng viên này đang được phân công giúp đỡ người xin vào Đảng",
            ),
        ));
    }
    let row = insert_assignment(&acting, member.id, on).await?;
    acting
        .record(json!({ "mentorAssignment": audit::snapshot(&row)? }))
        .await
}

/// Replace a mentor: the assignment ends and another official member takes over.
pub struct MentorReplacement {
    /// The assignment that ends.
    pub assignment_id: i32,
    pub new_member_id: i32,
    pub on: NaiveDate,
    pub reason: String,
}

impl TryFrom<ReplaceMentorInput> for MentorReplacement {
    type Error = AppError;

    fn try_from(input: ReplaceMentorInput) -> AppResult<MentorReplacement> {
        Ok(MentorReplacement {
            assignment_id: expect_global_id(&input.mentor_assignment_id, "MentorAssignment", "mentorAssignmentId")?,
            new_member_id: expect_global_id(&input.new_member_id, Member::TYPENAME, "newMemberId")?,
            on: input.replaced_on.0,
            reason: input.reason,
        })
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn replace_mentor(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    r: MentorReplacement,
) -> AppResult<candidate::Model> {
    let MentorReplacement {
        assignment_id,
        new_member_id,
        on,
        reason,
    } = r;
    not_in_future("replacedOn", on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, subject, Act::ReplaceMentor, on).await?;
    let current = mentor_assignment::Entity::find_by_id(assignment_id)
        .filter(mentor_assignment::Column::CandidateId.eq(subject.id))
        .filter(mentor_assignment::Column::EndedOn.is_null())
        .one(&acting.txn)
        .await?
        .ok_or(AppError::not_found(noun::MENTOR_ASSIGNMENT))?;
    not_before(
        "replacedOn",
        on,
        &Text::fixed("the assignment", "ngày phân công"),
        Some(current.assigned_on),
    )?;
    let member = official_member_of_branch(&acting, new_member_id, on, &MENTOR).await?;
    let mut ended = current.clone().into_active_model();
    ended.ended_on = Set(Some(on));
    ended.end_reason = Set(Some(reason));
    let ended = ended.update(&acting.txn).await?;
    let row = insert_assignment(&acting, member.id, on).await?;
    acting
        .record(json!({ "ended": audit::snapshot(&ended)?, "assigned": audit::snapshot(&row)? }))
        .await
}

/// A new assignment of `member_id` to the candidate acted on, from `on`.
#[tracing::instrument(level = "debug", skip_all)]
async fn insert_assignment(acting: &Acting<'_>, member_id: i32, on: NaiveDate) -> AppResult<mentor_assignment::Model> {
    let row = mentor_assignment::ActiveModel {
        candidate_id: Set(acting.before.id),
        member_id: Set(member_id),
        assigned_on: Set(on),
        ended_on: Set(None),
        end_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&acting.txn)
    .await?;
    Ok(row)
}
