//! Mergers and splits as dated acts on the tree: the successor takes over the open
//! children of its predecessors, the predecessors close, and the succession is recorded so
//! reports credit records across it (`domain::succession`).

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use entity::{admission_delegation, org_unit, org_unit_succession, residential_area};

use super::service::find;
use super::service::{check_moved_subtree, event, require_manager_of, require_open};
use super::tree;
use crate::access::Actor;
use crate::audit::service::{self as audit};
use crate::domain::succession::SuccessionKind;
use crate::error::{AppError, AppResult, Text, tr};

/// Every merger and split on record, as the rules of succession see them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn successions(db: &impl ConnectionTrait) -> AppResult<Vec<crate::domain::succession::Succession>> {
    let rows = org_unit_succession::Entity::find().all(db).await?;
    rows.into_iter()
        .map(|r| {
            let whole = r.kind == SuccessionKind::Merger;
            Ok(crate::domain::succession::Succession {
                predecessor: r.predecessor_id,
                successor: r.successor_id,
                on: r.effective_on,
                whole,
            })
        })
        .collect()
}

/// The successions a unit takes part in, as predecessor or successor, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn successions_of(db: &impl ConnectionTrait, unit_id: i32) -> AppResult<Vec<org_unit_succession::Model>> {
    Ok(org_unit_succession::Entity::find()
        .filter(
            Condition::any()
                .add(org_unit_succession::Column::PredecessorId.eq(unit_id))
                .add(org_unit_succession::Column::SuccessorId.eq(unit_id)),
        )
        .order_by_asc(org_unit_succession::Column::EffectiveOn)
        .order_by_asc(org_unit_succession::Column::Id)
        .all(db)
        .await?)
}

/// What one successor of a split receives.
pub struct SplitPart {
    pub successor_id: i32,
    pub child_ids: Vec<i32>,
    pub area_ids: Vec<i32>,
}

/// Merge units into a successor (sáp nhập) on `effective_on`: every open unit under each
/// predecessor, and its residential areas, pass to the successor, and the predecessor
/// closes. One act on the tree, not a move of every child. Reports of the successor for
/// periods before the merger take in the predecessors' records; the predecessors' own
/// reports for those periods are unchanged (Hướng dẫn 31-HD/BTCTW 2025 on the
/// commune-level committees set up by merging communes).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Actor,
    predecessor_ids: Vec<i32>,
    successor_id: i32,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("effectiveOn", effective_on)?;
    if predecessor_ids.is_empty() || predecessor_ids.len() > 50 {
        return Err(AppError::validation(
            "predecessorIds",
            tr!("1 to 50 units", "từ 1 đến 50 tổ chức đảng"),
        ));
    }
    let distinct: std::collections::HashSet<i32> = predecessor_ids.iter().copied().collect();
    if distinct.len() != predecessor_ids.len() || distinct.contains(&successor_id) {
        return Err(AppError::validation(
            "predecessorIds",
            tr!(
                "each unit once, and not the successor itself",
                "mỗi tổ chức đảng chỉ nêu một lần, và không gồm chính tổ chức kế thừa"
            ),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let successor = successor_for(&txn, actor, successor_id, effective_on).await?;
    let mut merged = Vec::with_capacity(predecessor_ids.len());
    for id in predecessor_ids {
        let predecessor = predecessor_for(&txn, actor, id, &successor, effective_on).await?;
        let children = open_children(&txn, predecessor.id).await?;
        hand_over(&txn, &children, successor.id, effective_on).await?;
        residential_area::Entity::update_many()
            .col_expr(
                residential_area::Column::CommuneId,
                sea_orm::sea_query::Expr::value(successor.id),
            )
            .filter(residential_area::Column::CommuneId.eq(predecessor.id))
            .exec(&txn)
            .await?;
        close_as_predecessor(&txn, &predecessor, successor.id, effective_on, SuccessionKind::Merger).await?;
        merged.push(predecessor.id);
    }
    check_moved_subtree(&txn, successor.id, effective_on).await?;
    let after = serde_json::json!({ "predecessors": merged, "effectiveOn": effective_on });
    audit::commit(txn, actor, event("mergeOrgUnits", &successor).after(&after)?).await?;
    Ok(successor)
}

/// Split a unit (chia tách) on `effective_on`: each of its open units and residential areas
/// goes to the successor named for it, and the unit closes. Each successor's reports for
/// earlier periods take in the records of what it received, and only that.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn split(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    parts: Vec<SplitPart>,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("effectiveOn", effective_on)?;
    if parts.len() < 2 || parts.len() > 50 {
        return Err(AppError::validation(
            "parts",
            tr!("2 to 50 successors", "từ 2 đến 50 tổ chức kế thừa"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let first = successor_for(&txn, actor, parts[0].successor_id, effective_on).await?;
    let predecessor = predecessor_for(&txn, actor, id, &first, effective_on).await?;
    let children: Vec<i32> = open_children(&txn, predecessor.id).await?;
    let areas: Vec<i32> = residential_area::Entity::find()
        .filter(residential_area::Column::CommuneId.eq(predecessor.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut given_children: Vec<i32> = parts.iter().flat_map(|p| p.child_ids.iter().copied()).collect();
    let mut given_areas: Vec<i32> = parts.iter().flat_map(|p| p.area_ids.iter().copied()).collect();
    let (mut want_children, mut want_areas) = (children.clone(), areas.clone());
    for list in [
        &mut given_children,
        &mut given_areas,
        &mut want_children,
        &mut want_areas,
    ] {
        list.sort_unstable();
    }
    if given_children != want_children || given_areas != want_areas {
        // Naming a unit or area elsewhere answers like naming a missing one.
        return Err(AppError::validation(
            "parts",
            tr!(
                "every open unit and residential area of the unit goes to exactly one successor",
                "mỗi tổ chức trực thuộc đang hoạt động và mỗi địa bàn dân cư của tổ chức đảng phải giao cho đúng một tổ chức kế thừa"
            ),
        ));
    }
    let mut successors = Vec::with_capacity(parts.len());
    for part in &parts {
        let successor = successor_for(&txn, actor, part.successor_id, effective_on).await?;
        if successor.id == predecessor.id || successors.contains(&successor.id) {
            return Err(AppError::validation(
                "parts",
                tr!(
                    "each successor once, and not the unit itself",
                    "mỗi tổ chức kế thừa chỉ nêu một lần, và không gồm chính tổ chức đảng bị chia tách"
                ),
            ));
        }
        if successor.kind != predecessor.kind {
            return Err(kind_mismatch());
        }
        hand_over(&txn, &part.child_ids, successor.id, effective_on).await?;
        if !part.area_ids.is_empty() {
            residential_area::Entity::update_many()
                .col_expr(
                    residential_area::Column::CommuneId,
                    sea_orm::sea_query::Expr::value(successor.id),
                )
                .filter(residential_area::Column::Id.is_in(part.area_ids.iter().copied()))
                .exec(&txn)
                .await?;
        }
        check_moved_subtree(&txn, successor.id, effective_on).await?;
        successors.push(successor.id);
    }
    for successor in &successors {
        org_unit_succession::ActiveModel {
            predecessor_id: Set(predecessor.id),
            successor_id: Set(*successor),
            effective_on: Set(effective_on),
            kind: Set(SuccessionKind::Split),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    close_unit(&txn, &predecessor, effective_on).await?;
    let after = serde_json::json!({ "successors": successors, "effectiveOn": effective_on });
    audit::commit(txn, actor, event("splitOrgUnit", &predecessor).after(&after)?).await?;
    find(db, actor.scope(), predecessor.id).await
}

/// The unit receiving a merger or split: managed by the actor, open, begun by the day.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn successor_for(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i32,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let unit = require_manager_of(txn, actor, id).await?;
    require_open(&unit, &Text::fixed("the successor", "tổ chức kế thừa"))?;
    if unit.active_from > effective_on {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            tr!(
                "the successor starts on {}, after the change",
                "tổ chức kế thừa bắt đầu hoạt động ngày {}, sau ngày thay đổi",
                unit.active_from
            ),
        ));
    }
    Ok(unit)
}

/// A unit handing over: managed by the actor, open, of the successor's kind, neither above
/// nor below it, unchanged in place since before the day.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn predecessor_for(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i32,
    successor: &org_unit::Model,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let unit = require_manager_of(txn, actor, id).await?;
    require_open(&unit, &Text::fixed("the unit", "tổ chức đảng"))?;
    if unit.kind != successor.kind {
        return Err(kind_mismatch());
    }
    if tree::is_within(txn, unit.id, successor.id).await? || tree::is_within(txn, successor.id, unit.id).await? {
        return Err(AppError::rule(
            "ORG_TREE_CYCLE",
            tr!(
                "a unit cannot merge with one above or below it",
                "tổ chức đảng không thể sáp nhập với tổ chức cấp trên hoặc cấp dưới của nó"
            ),
        ));
    }
    if effective_on <= unit.active_from {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            tr!(
                "the unit starts on {}; the change must come after",
                "tổ chức đảng bắt đầu hoạt động ngày {}; việc thay đổi phải diễn ra sau ngày đó",
                unit.active_from
            ),
        ));
    }
    Ok(unit)
}

pub(super) fn kind_mismatch() -> AppError {
    AppError::rule(
        "ORG_SUCCESSION_KIND_MISMATCH",
        tr!(
            "units merge or split into units of the same kind",
            "tổ chức đảng chỉ sáp nhập hoặc chia tách thành tổ chức cùng loại"
        ),
    )
}

#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn open_children(txn: &DatabaseTransaction, unit_id: i32) -> AppResult<Vec<i32>> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(unit_id))
        .filter(org_unit::Column::ClosedOn.is_null())
        .all(txn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// Move `children` under `successor` from `effective_on` on.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn hand_over(
    txn: &DatabaseTransaction,
    children: &[i32],
    successor: i32,
    effective_on: NaiveDate,
) -> AppResult<()> {
    for child in children {
        let last = tree::last_change(txn, *child).await?;
        if last.is_some_and(|last| effective_on <= last) {
            return Err(AppError::rule(
                "ORG_MOVE_BEFORE_LAST_CHANGE",
                tr!(
                    "a unit handed over changed place on or after the day of the change",
                    "một tổ chức được bàn giao đã thay đổi vị trí vào hoặc sau ngày thay đổi"
                ),
            ));
        }
        tree::move_subtree(txn, *child, successor, effective_on).await?;
        org_unit::Entity::update_many()
            .col_expr(org_unit::Column::ParentId, sea_orm::sea_query::Expr::value(successor))
            .filter(org_unit::Column::Id.eq(*child))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Record the succession and close the predecessor on the day.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn close_as_predecessor(
    txn: &DatabaseTransaction,
    predecessor: &org_unit::Model,
    successor: i32,
    effective_on: NaiveDate,
    kind: SuccessionKind,
) -> AppResult<()> {
    org_unit_succession::ActiveModel {
        predecessor_id: Set(predecessor.id),
        successor_id: Set(successor),
        effective_on: Set(effective_on),
        kind: Set(kind),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    close_unit(txn, predecessor, effective_on).await
}

/// Close a unit that has handed everything over; a delegation it held ends that day.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn close_unit(txn: &DatabaseTransaction, unit: &org_unit::Model, on: NaiveDate) -> AppResult<()> {
    admission_delegation::Entity::update_many()
        .col_expr(
            admission_delegation::Column::WithdrawnOn,
            sea_orm::sea_query::Expr::value(on),
        )
        .filter(admission_delegation::Column::UnitId.eq(unit.id))
        .filter(admission_delegation::Column::WithdrawnOn.is_null())
        .exec(txn)
        .await?;
    let mut row = unit.clone().into_active_model();
    row.closed_on = Set(Some(on));
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    Ok(())
}
