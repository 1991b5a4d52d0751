//! Closure-table operations. Every (ancestor, descendant) pair is a row with the dates it
//! held; the current tree is the rows with no end date.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

use entity::{admission_delegation, org_unit, org_unit_closure as closure};

use crate::access::held_on;
use crate::access::subtree_ids;
use crate::domain::org::ChainLink;
use crate::error::{AppError, AppResult};

/// The columns a new closure row states (its `valid_to` stays open).
const CLOSURE_ROW: [closure::Column; 4] = [
    closure::Column::AncestorId,
    closure::Column::DescendantId,
    closure::Column::Depth,
    closure::Column::ValidFrom,
];

/// Link a new unit under `parent` (or as a root): itself at depth 0, and below each of the
/// parent's current ancestors.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn attach_new(
    db: &impl ConnectionTrait,
    unit_id: i32,
    parent_id: Option<i32>,
    from: NaiveDate,
) -> AppResult<()> {
    let self_row = Query::insert()
        .into_table(closure::Entity)
        .columns(CLOSURE_ROW)
        .values_panic([unit_id.into(), unit_id.into(), 0.into(), from.into()])
        .to_owned();
    db.execute(&self_row).await?;
    if let Some(parent_id) = parent_id {
        graft(db, unit_id, parent_id, from).await?;
    }
    Ok(())
}

/// Put the current subtree of `unit_id` under `parent_id` from `from` on.
#[tracing::instrument(level = "debug", skip_all)]
async fn graft(db: &impl ConnectionTrait, unit_id: i32, parent_id: i32, from: NaiveDate) -> AppResult<()> {
    let (a, s) = (Alias::new("a"), Alias::new("s"));
    let insert = Query::insert()
        .into_table(closure::Entity)
        .columns(CLOSURE_ROW)
        .select_from(
            Query::select()
                .expr(Expr::col((a.clone(), closure::Column::AncestorId)))
                .expr(Expr::col((s.clone(), closure::Column::DescendantId)))
                .expr(
                    Expr::col((a.clone(), closure::Column::Depth))
                        .add(Expr::col((s.clone(), closure::Column::Depth)))
                        .add(1),
                )
                .expr(Expr::val(from))
                .from_as(closure::Entity, a.clone())
                .from_as(closure::Entity, s.clone())
                .and_where(Expr::col((a.clone(), closure::Column::DescendantId)).eq(parent_id))
                .and_where(Expr::col((a, closure::Column::ValidTo)).is_null())
                .and_where(Expr::col((s.clone(), closure::Column::AncestorId)).eq(unit_id))
                .and_where(Expr::col((s, closure::Column::ValidTo)).is_null())
                .to_owned(),
        )
        .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("building the closure insert")))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// Move the subtree of `unit_id` under `new_parent_id` on date `on`: the links to its old
/// ancestors end that day, links to the new ones start. Links that would not have started
/// yet are removed rather than ended.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn move_subtree(db: &impl ConnectionTrait, unit_id: i32, new_parent_id: i32, on: NaiveDate) -> AppResult<()> {
    // Rows linking the moving subtree to ancestors outside it.
    let outside = outside_links(unit_id);
    let remove_unstarted = Query::delete()
        .from_table(closure::Entity)
        .cond_where(outside.clone())
        .and_where(closure::Column::ValidFrom.gte(on))
        .to_owned();
    db.execute(&remove_unstarted).await?;
    let end = Query::update()
        .table(closure::Entity)
        .value(closure::Column::ValidTo, on)
        .cond_where(outside)
        .to_owned();
    db.execute(&end).await?;
    graft(db, unit_id, new_parent_id, on).await
}

/// Current rows whose descendant is in the subtree of `unit_id` and whose ancestor is not.
fn outside_links(unit_id: i32) -> Condition {
    let subtree = subtree_ids(unit_id);
    Condition::all()
        .add(closure::Column::ValidTo.is_null())
        .add(closure::Column::DescendantId.in_subquery(subtree.clone()))
        .add(closure::Column::AncestorId.not_in_subquery(subtree))
}

/// The latest date on which the current links of the subtree of `unit_id` changed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn last_change(db: &impl ConnectionTrait, unit_id: i32) -> AppResult<Option<NaiveDate>> {
    let latest = closure::Entity::find()
        .filter(outside_links(unit_id))
        .order_by_desc(closure::Column::ValidFrom)
        .one(db)
        .await?;
    Ok(latest.map(|row| row.valid_from))
}

/// Whether `unit_id` is now in the subtree of `root` (itself included).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn is_within(db: &impl ConnectionTrait, unit_id: i32, root: i32) -> AppResult<bool> {
    let found = closure::Entity::find()
        .filter(closure::Column::AncestorId.eq(root))
        .filter(closure::Column::DescendantId.eq(unit_id))
        .filter(closure::Column::ValidTo.is_null())
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// The unit and its current ancestors, nearest first, as the rules see them today.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn chain(db: &impl ConnectionTrait, unit_id: i32) -> AppResult<Vec<ChainLink>> {
    chain_on(db, unit_id, crate::clock::today()).await
}

/// The unit and its ancestors as the tree stood on `on`, nearest first, each with the
/// delegation it held that day. A unit that did not yet stand anywhere on `on` (an act
/// dated before the unit was set up) is seen where it first stood.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn chain_on(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<Vec<ChainLink>> {
    let mut rows = units_above(db, unit_id, Some(on)).await?;
    if rows.is_empty() {
        rows = units_above(db, unit_id, None).await?;
    }
    let ids: Vec<i32> = rows.iter().map(|unit| unit.id).collect();
    let delegated = delegated_on(db, &ids, on).await?;
    rows.into_iter()
        .map(|unit| {
            Ok(ChainLink {
                id: unit.id,
                kind: unit.kind,
                delegated: delegated.contains(&unit.id),
            })
        })
        .collect()
}

/// The units above `unit_id` (itself included), nearest first: on day `on`, or (`None`)
/// as it first stood.
#[tracing::instrument(level = "debug", skip_all)]
async fn units_above(
    db: &impl ConnectionTrait,
    unit_id: i32,
    on: Option<NaiveDate>,
) -> AppResult<Vec<org_unit::Model>> {
    let query = org_unit::Entity::find()
        .join_rev(JoinType::InnerJoin, closure_to_ancestor())
        .filter(closure::Column::DescendantId.eq(unit_id));
    let query = match on {
        Some(on) => query.filter(held_on(closure::Entity, Expr::val(on))),
        None => {
            let first = closure::Entity::find()
                .filter(closure::Column::DescendantId.eq(unit_id))
                .order_by_asc(closure::Column::ValidFrom)
                .one(db)
                .await?;
            let Some(first) = first else { return Ok(Vec::new()) };
            query.filter(held_on(closure::Entity, Expr::val(first.valid_from)))
        }
    };
    Ok(query.order_by_asc(closure::Column::Depth).all(db).await?)
}

/// Which of `ids` held delegated admission authority on `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delegated_on(db: &impl ConnectionTrait, ids: &[i32], on: NaiveDate) -> AppResult<Vec<i32>> {
    let rows = admission_delegation::Entity::find()
        .filter(admission_delegation::Column::UnitId.is_in(ids.iter().copied()))
        .filter(admission_delegation::Column::GrantedOn.lte(on))
        .filter(
            Condition::any()
                .add(admission_delegation::Column::WithdrawnOn.is_null())
                .add(admission_delegation::Column::WithdrawnOn.gt(on)),
        )
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| row.unit_id).collect())
}

fn closure_to_ancestor() -> sea_orm::RelationDef {
    closure::Entity::belongs_to(org_unit::Entity)
        .from(closure::Column::AncestorId)
        .to(org_unit::Column::Id)
        .into()
}
