//! Transfer: a candidate's dossier moved to another branch.

use super::records::ActTarget;
use async_graphql::{ID, InputObject};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use entity::{candidate, member};

use super::mentoring::end_mentoring;
use super::service::{self, Subject};
use crate::access::Actor;
use crate::clock::not_in_future;
use crate::domain::org::OrgKind;
use crate::domain::stage::Act;
use crate::error::{AppError, AppResult, Text};
use crate::graphql::scalars::Date;
use crate::org::service as units;

/// Move a candidate (or probationer), with the whole dossier, to another branch.
#[derive(InputObject)]
pub struct TransferCandidateInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The open branch that receives the candidate.
    pub(super) to_branch_id: ID,
    /// Date of the transfer; mentoring by the old branch ends, and the residential area is cleared.
    pub(super) transferred_on: Date,
}

/// Move a candidate (or probationer), with the whole dossier, to another branch. Done by a
/// committee above both branches; mentoring by the old branch's members ends.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    to_branch_id: i32,
    on: NaiveDate,
) -> AppResult<candidate::Model> {
    not_in_future("transferredOn", on)?;
    let acting = service::begin(db, actor, subject, Act::Transfer, on).await?;
    let to = units::find(&acting.txn, actor.scope(), to_branch_id).await?;
    if to.kind != OrgKind::Branch || to.closed_on.is_some() {
        return Err(AppError::validation(
            "toBranchId",
            Text::fixed(
                "the destination must be an open branch",
                "nơi chuyển đến phải là chi bộ đang hoạt động",
            ),
        ));
    }
    if to.id == acting.branch_id() {
        return Err(AppError::validation(
            "toBranchId",
            Text::fixed(
                "the candidate is already in that branch",
                "người xin vào Đảng đã thuộc chi bộ đó",
            ),
        ));
    }
    let from = acting.branch_id();
    let mentoring_ended = end_mentoring(&acting, on, "transferred to another branch").await?;
    member::Entity::update_many()
        .col_expr(member::Column::BranchId, sea_orm::sea_query::Expr::value(to.id))
        .filter(member::Column::CandidateId.eq(subject.id))
        .exec(&acting.txn)
        .await?;
    // The residential area belongs to the old commune; the new branch records its own.
    let changes = candidate::ActiveModel {
        branch_id: Set(to.id),
        residential_area_id: Set(None),
        ..Default::default()
    };
    acting
        .finish(
            changes,
            json!({ "fromBranchId": from, "toBranchId": to.id, "on": on, "mentoringEnded": mentoring_ended }),
        )
        .await
}
