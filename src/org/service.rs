//! Use cases of the organisation tree. Every read is confined to the actor's scope; a unit
//! outside it answers exactly like a missing one.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use entity::{admission_delegation, org_unit, org_unit_succession, residential_area, residential_area_status};

use super::tree;
use crate::access;
use crate::access::{Actor, Scope, in_scope, subtree_ids};
use crate::audit::service::{self as audit, Event};
use crate::domain::org::{self, OrgKind};
use crate::domain::text;
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "OrgUnit";

/// A unit code: upper-case letters, digits, `.`, `-` and `_`, 1 to 32 characters.
pub fn parse_code(input: &str) -> AppResult<String> {
    let code = input.trim().to_uppercase();
    let valid = (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if !valid {
        return Err(AppError::validation("code", "1 to 32 letters, digits, '.', '-' or '_'"));
    }
    Ok(code)
}

pub fn parse_name(input: &str) -> AppResult<String> {
    text::parse_label(input, 200).map_err(|msg| AppError::validation("name", msg))
}

/// Filters of the `orgUnits` list.
#[derive(Debug, Default, Clone)]
pub struct UnitFilter {
    pub kind: Option<OrgKind>,
    pub parent_id: Option<i32>,
    /// Only units in the subtree of this unit (itself included).
    pub within: Option<i32>,
    pub search: Option<String>,
    pub include_closed: bool,
}

fn filtered(scope: Scope, filter: &UnitFilter) -> Select<org_unit::Entity> {
    let mut query = org_unit::Entity::find().filter(in_scope(org_unit::Column::Id, scope));
    if let Some(kind) = filter.kind {
        query = query.filter(org_unit::Column::Kind.eq(kind.as_str()));
    }
    if let Some(parent) = filter.parent_id {
        query = query.filter(org_unit::Column::ParentId.eq(parent));
    }
    if let Some(root) = filter.within {
        query = query.filter(org_unit::Column::Id.in_subquery(subtree_ids(root)));
    }
    if let Some(search) = filter.search.as_deref().map(text::search_key).filter(|s| !s.is_empty()) {
        query = query.filter(crate::access::contains(org_unit::Column::SearchKey, &search));
    }
    if !filter.include_closed {
        query = query.filter(org_unit::Column::ClosedOn.is_null());
    }
    query
}

/// One page of units in scope, in id order, after the unit `after`; one extra row tells
/// whether there is a next page.
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &UnitFilter,
    after: Option<i32>,
    first: u64,
) -> AppResult<Vec<org_unit::Model>> {
    let mut query = filtered(scope, filter);
    if let Some(after) = after {
        query = query.filter(org_unit::Column::Id.gt(after));
    }
    Ok(query
        .order_by_asc(org_unit::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?)
}

pub async fn count(db: &DatabaseConnection, scope: Scope, filter: &UnitFilter) -> AppResult<u64> {
    Ok(filtered(scope, filter).count(db).await?)
}

/// The unit, if it exists and is in scope.
pub async fn find(db: &impl ConnectionTrait, scope: Scope, id: i32) -> AppResult<org_unit::Model> {
    access::find::<org_unit::Entity>(db, scope, id).await
}

/// Units by id, those out of scope left out (for batched loading).
pub async fn find_many(db: &DatabaseConnection, scope: Scope, ids: &[i32]) -> AppResult<Vec<org_unit::Model>> {
    access::find_many::<org_unit::Entity>(db, scope, ids).await
}

/// The grassroots organisation a unit belongs to, and the unit that decides admissions
/// for it (ids; the caller applies its own scope to show them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorities {
    pub grassroots: Option<i32>,
    pub deciding: Option<i32>,
}

/// Which unit decides admissions for the grassroots organisation of `unit_id` on day `on`
/// (the tree and the delegations as they stood that day): its direct superior, or the
/// organisation itself when it held delegated authority.
pub async fn authorities(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<Authorities> {
    let chain = tree::chain_on(db, unit_id, on).await?;
    Ok(Authorities {
        grassroots: org::grassroots_of(&chain).map(|l| l.id),
        deciding: org::deciding_unit_for(&chain).map(|l| l.id),
    })
}

/// Whether the unit is a direct superior of grassroots organisations on day `on`.
pub async fn holds_superior_authority(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<bool> {
    Ok(org::holds_superior_authority(&tree::chain_on(db, unit_id, on).await?))
}

/// Whether the actor may manage (rename, move, close, delegate) `unit`: an administrator,
/// or an account of a unit strictly above it. Staff of the unit itself may not.
async fn require_manager_of(db: &impl ConnectionTrait, actor: &Actor, unit_id: i32) -> AppResult<org_unit::Model> {
    actor.require_staff()?;
    let unit = find(db, actor.scope(), unit_id).await?;
    if !actor.is_admin() && actor.unit_id == Some(unit.id) {
        return Err(AppError::forbidden(
            "a unit's own accounts cannot restructure it; its superior does",
        ));
    }
    Ok(unit)
}

pub struct CreateUnit {
    pub parent_id: Option<i32>,
    pub kind: OrgKind,
    pub code: String,
    pub name: String,
    pub active_from: NaiveDate,
    pub delegated_admission_authority: bool,
}

#[tracing::instrument(name = "create_org_unit", skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &Actor, cmd: CreateUnit) -> AppResult<org_unit::Model> {
    actor.require_staff()?;
    let txn = crate::db::begin_write(db).await?;
    let unit = create_in(&txn, Some(actor), cmd).await?;
    txn.commit().await?;
    Ok(unit)
}

/// Create a unit inside `txn`. `actor` `None` is the system itself (seeding), which may
/// create roots and sees everything.
pub async fn create_in(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    cmd: CreateUnit,
) -> AppResult<org_unit::Model> {
    let scope = actor.map_or(Scope::All, Actor::scope);
    let parent = match cmd.parent_id {
        Some(id) => Some(find(txn, scope, id).await?),
        None if actor.is_none_or(Actor::is_admin) => None,
        None => return Err(AppError::forbidden("only an administrator creates a root unit")),
    };
    let parent_chain = match &parent {
        Some(parent) => tree::chain(txn, parent.id).await?,
        None => Vec::new(),
    };
    if !cmd.kind.may_sit_under(&parent_chain) {
        return Err(kind_not_allowed(cmd.kind, &parent_chain));
    }
    if let Some(parent) = &parent {
        require_open(parent, "the parent unit")?;
        if cmd.active_from < parent.active_from {
            return Err(AppError::rule(
                "ORG_DATE_BEFORE_PARENT",
                "a unit cannot start before its parent",
            ));
        }
    }
    let own_chain = || {
        let own = org::ChainLink {
            id: 0,
            kind: cmd.kind,
            delegated: false,
        };
        std::iter::once(own)
            .chain(parent_chain.iter().copied())
            .collect::<Vec<_>>()
    };
    if cmd.delegated_admission_authority && org::grassroots_of(&own_chain()).is_none_or(|g| g.id != 0) {
        return Err(not_grassroots());
    }
    let now = Utc::now();
    let unit = org_unit::ActiveModel {
        kind: Set(cmd.kind.as_str().to_string()),
        code: Set(cmd.code),
        search_key: Set(text::search_key(&cmd.name)),
        name: Set(cmd.name),
        parent_id: Set(cmd.parent_id),
        active_from: Set(cmd.active_from),
        closed_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    tree::attach_new(txn, unit.id, unit.parent_id, unit.active_from).await?;
    if cmd.delegated_admission_authority {
        insert_delegation(txn, unit.id, unit.active_from, None).await?;
    }
    audit::record(
        txn,
        actor,
        event("createOrgUnit", &unit, None, Some(audit::snapshot(&unit)?)),
    )
    .await?;
    Ok(unit)
}

pub struct RenameUnit {
    pub id: i32,
    pub name: String,
    pub code: Option<String>,
}

pub async fn rename(db: &DatabaseConnection, actor: &Actor, cmd: RenameUnit) -> AppResult<org_unit::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = require_manager_of(&txn, actor, cmd.id).await?;
    save(txn, actor, "renameOrgUnit", before, |unit| {
        unit.search_key = Set(text::search_key(&cmd.name));
        unit.name = Set(cmd.name);
        if let Some(code) = cmd.code {
            unit.code = Set(code);
        }
    })
    .await
}

pub struct MoveUnit {
    pub id: i32,
    pub new_parent_id: i32,
    pub effective_on: NaiveDate,
}

#[tracing::instrument(name = "move_org_unit", skip_all, fields(unit = cmd.id))]
pub async fn move_unit(db: &DatabaseConnection, actor: &Actor, cmd: MoveUnit) -> AppResult<org_unit::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = require_manager_of(&txn, actor, cmd.id).await?;
    let new_parent = find(&txn, actor.scope(), cmd.new_parent_id).await?;
    if tree::is_within(&txn, new_parent.id, before.id).await? {
        return Err(AppError::rule(
            "ORG_TREE_CYCLE",
            "a unit cannot be moved under itself or one of its own descendants",
        ));
    }
    let kind = tree::parse_kind(&before.kind)?;
    let parent_chain = tree::chain(&txn, new_parent.id).await?;
    if !kind.may_sit_under(&parent_chain) {
        return Err(kind_not_allowed(kind, &parent_chain));
    }
    require_open(&before, "the unit")?;
    require_open(&new_parent, "the new parent unit")?;
    if before.parent_id == Some(new_parent.id) {
        return Err(AppError::rule(
            "ORG_MOVE_TO_SAME_PARENT",
            "the unit already sits under that parent",
        ));
    }
    let last = tree::last_change(&txn, before.id).await?.unwrap_or(before.active_from);
    if cmd.effective_on <= last {
        return Err(AppError::rule(
            "ORG_MOVE_BEFORE_LAST_CHANGE",
            format!("the move must take effect after {last}, the unit's last change of place"),
        ));
    }
    tree::move_subtree(&txn, before.id, new_parent.id, cmd.effective_on).await?;
    check_moved_subtree(&txn, before.id, cmd.effective_on).await?;
    save(txn, actor, "moveOrgUnit", before, |unit| {
        unit.parent_id = Set(Some(new_parent.id));
    })
    .await
}

pub async fn close(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    closed_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = require_manager_of(&txn, actor, id).await?;
    require_open(&before, "the unit")?;
    if closed_on < before.active_from {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            "a unit cannot close before it started",
        ));
    }
    let open_children = org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(before.id))
        .filter(org_unit::Column::ClosedOn.is_null())
        .count(&txn)
        .await?;
    if open_children > 0 {
        return Err(AppError::rule(
            "ORG_UNIT_HAS_OPEN_CHILDREN",
            format!("{open_children} unit(s) under it are still open: move or close them first"),
        ));
    }
    save(txn, actor, "closeOrgUnit", before, |unit| {
        unit.closed_on = Set(Some(closed_on));
    })
    .await
}

/// After a move: every unit of the moved subtree still sits under a kind of parent it may,
/// now that the chain above has changed (a section cannot follow its commune under the
/// province, a grassroots committee cannot follow its commune under a district), and a
/// delegation in force on the day of the move still belongs to a grassroots organisation.
async fn check_moved_subtree(txn: &DatabaseTransaction, root: i32, on: NaiveDate) -> AppResult<()> {
    // Three statements whatever the subtree's size: the root's chain, the units under it,
    // their delegations; each unit's chain is then built in memory.
    let above = tree::chain(txn, root).await?;
    let units = org_unit::Entity::find()
        .filter(org_unit::Column::Id.in_subquery(subtree_ids(root)))
        .filter(org_unit::Column::ClosedOn.is_null())
        .all(txn)
        .await?;
    let ids: Vec<i32> = units.iter().map(|u| u.id).collect();
    let delegated = tree::delegated_on(txn, &ids, on).await?;
    let by_id: std::collections::HashMap<i32, &org_unit::Model> = units.iter().map(|u| (u.id, u)).collect();
    for unit in &units {
        let mut chain = Vec::new();
        let mut at = Some(unit);
        while let Some(u) = at.filter(|u| u.id != root) {
            chain.push(org::ChainLink {
                id: u.id,
                kind: tree::parse_kind(&u.kind)?,
                delegated: delegated.contains(&u.id),
            });
            at = u.parent_id.and_then(|p| by_id.get(&p).copied());
        }
        chain.extend(above.iter().copied());
        let Some((own, parent)) = chain.split_first() else {
            continue;
        };
        if unit.id != root && !own.kind.may_sit_under(parent) {
            return Err(AppError::rule(
                "ORG_PARENT_KIND_NOT_ALLOWED",
                format!(
                    "after the move {} would be misplaced: {}",
                    unit.code,
                    kind_not_allowed_message(own.kind, parent)
                ),
            ));
        }
        if delegated.contains(&unit.id) && org::grassroots_of(&chain).is_none_or(|g| g.id != unit.id) {
            return Err(AppError::rule(
                "ORG_NOT_GRASSROOTS",
                format!(
                    "after the move {} would no longer be a grassroots organisation; withdraw its delegated admission authority first",
                    unit.code
                ),
            ));
        }
    }
    Ok(())
}

async fn insert_delegation(
    txn: &impl ConnectionTrait,
    unit_id: i32,
    granted_on: NaiveDate,
    decision_number: Option<String>,
) -> AppResult<admission_delegation::Model> {
    Ok(admission_delegation::ActiveModel {
        unit_id: Set(unit_id),
        granted_on: Set(granted_on),
        decision_number: Set(decision_number),
        withdrawn_on: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The delegations of a unit, oldest first.
pub async fn delegations(db: &impl ConnectionTrait, unit_id: i32) -> AppResult<Vec<admission_delegation::Model>> {
    Ok(admission_delegation::Entity::find()
        .filter(admission_delegation::Column::UnitId.eq(unit_id))
        .order_by_asc(admission_delegation::Column::GrantedOn)
        .all(db)
        .await?)
}

/// Whether the unit held delegated authority on `on`.
pub async fn delegated_on(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<bool> {
    Ok(!tree::delegated_on(db, &[unit_id], on).await?.is_empty())
}

/// Grant delegated admission authority (ủy quyền kết nạp đảng viên) to a grassroots
/// organisation from `granted_on` (Điều lệ Đảng 2011, Điều 4 khoản 3: the superior
/// committee may delegate admission to a grassroots committee). Only its superiors (or an
/// administrator) may; the organisation must be grassroots on that day, and a delegation
/// cannot start while another is still in force or before the last one ended.
pub async fn delegate(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    granted_on: NaiveDate,
    decision_number: Option<String>,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("grantedOn", granted_on)?;
    let txn = crate::db::begin_write(db).await?;
    let unit = require_manager_of(&txn, actor, id).await?;
    require_open(&unit, "the unit")?;
    if authorities(&txn, unit.id, granted_on).await?.grassroots != Some(unit.id) {
        return Err(not_grassroots());
    }
    let history = delegations(&txn, unit.id).await?;
    if history.iter().any(|d| d.withdrawn_on.is_none()) {
        return Err(AppError::rule(
            "DELEGATION_ALREADY_IN_FORCE",
            "the unit already holds delegated admission authority; withdraw it first",
        ));
    }
    if let Some(last_end) = history.iter().filter_map(|d| d.withdrawn_on).max()
        && granted_on < last_end
    {
        return Err(AppError::rule(
            "DELEGATION_OVERLAPS",
            format!("the previous delegation held until {last_end}; a new one starts on or after that day"),
        ));
    }
    let row = insert_delegation(&txn, unit.id, granted_on, decision_number).await?;
    record_delegation(txn, actor, "delegateAdmissionAuthority", unit, None, row).await
}

/// Withdraw a grassroots organisation's delegated authority from `withdrawn_on` (the first
/// day it no longer holds). Acts dated before it keep the organisation as their decider;
/// only what follows goes to the direct superior again.
pub async fn withdraw_delegation(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    withdrawn_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("withdrawnOn", withdrawn_on)?;
    let txn = crate::db::begin_write(db).await?;
    let unit = require_manager_of(&txn, actor, id).await?;
    let open = delegations(&txn, unit.id)
        .await?
        .into_iter()
        .find(|d| d.withdrawn_on.is_none())
        .ok_or_else(|| {
            AppError::rule(
                "DELEGATION_NOT_IN_FORCE",
                "the unit holds no delegated admission authority to withdraw",
            )
        })?;
    if withdrawn_on <= open.granted_on {
        return Err(AppError::rule(
            "DELEGATION_WITHDRAWN_BEFORE_GRANTED",
            format!(
                "the delegation was granted on {}; it can end only after that day",
                open.granted_on
            ),
        ));
    }
    let before = audit::snapshot(&open)?;
    let mut row = open.into_active_model();
    row.withdrawn_on = Set(Some(withdrawn_on));
    let row = row.update(&txn).await?;
    record_delegation(txn, actor, "withdrawAdmissionAuthority", unit, Some(before), row).await
}

async fn record_delegation(
    txn: DatabaseTransaction,
    actor: &Actor,
    act: &'static str,
    unit: org_unit::Model,
    before: Option<serde_json::Value>,
    row: admission_delegation::Model,
) -> AppResult<org_unit::Model> {
    let event = Event {
        act,
        entity_type: "AdmissionDelegation",
        entity_id: row.id,
        unit_id: Some(unit.id),
        before,
        after: Some(audit::snapshot(&row)?),
    };
    audit::record(&txn, Some(actor), event).await?;
    txn.commit().await?;
    Ok(unit)
}

/// Every merger and split on record, as the rules of succession see them.
pub async fn successions(db: &impl ConnectionTrait) -> AppResult<Vec<crate::domain::succession::Succession>> {
    let rows = org_unit_succession::Entity::find().all(db).await?;
    rows.into_iter()
        .map(|r| {
            let whole = match r.kind.as_str() {
                MERGER => Some(true),
                SPLIT => Some(false),
                _ => None,
            };
            let whole = crate::error::stored(whole, "succession kind", &r.kind)?;
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

const MERGER: &str = "MERGER";
const SPLIT: &str = "SPLIT";

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
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Actor,
    predecessor_ids: Vec<i32>,
    successor_id: i32,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("effectiveOn", effective_on)?;
    if predecessor_ids.is_empty() || predecessor_ids.len() > 50 {
        return Err(AppError::validation("predecessorIds", "1 to 50 units"));
    }
    let distinct: std::collections::HashSet<i32> = predecessor_ids.iter().copied().collect();
    if distinct.len() != predecessor_ids.len() || distinct.contains(&successor_id) {
        return Err(AppError::validation(
            "predecessorIds",
            "each unit once, and not the successor itself",
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
        close_as_predecessor(&txn, &predecessor, successor.id, effective_on, MERGER).await?;
        merged.push(predecessor.id);
    }
    check_moved_subtree(&txn, successor.id, effective_on).await?;
    let after = serde_json::json!({ "predecessors": merged, "effectiveOn": effective_on });
    audit::record(&txn, Some(actor), event("mergeOrgUnits", &successor, None, Some(after))).await?;
    txn.commit().await?;
    Ok(successor)
}

/// Split a unit (chia tách) on `effective_on`: each of its open units and residential areas
/// goes to the successor named for it, and the unit closes. Each successor's reports for
/// earlier periods take in the records of what it received, and only that.
pub async fn split(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    parts: Vec<SplitPart>,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    crate::clock::not_in_future("effectiveOn", effective_on)?;
    if parts.len() < 2 || parts.len() > 50 {
        return Err(AppError::validation("parts", "2 to 50 successors"));
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
            "every open unit and residential area of the unit goes to exactly one successor",
        ));
    }
    let mut successors = Vec::with_capacity(parts.len());
    for part in &parts {
        let successor = successor_for(&txn, actor, part.successor_id, effective_on).await?;
        if successor.id == predecessor.id || successors.contains(&successor.id) {
            return Err(AppError::validation(
                "parts",
                "each successor once, and not the unit itself",
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
            kind: Set(SPLIT.into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    close_unit(&txn, &predecessor, effective_on).await?;
    let after = serde_json::json!({ "successors": successors, "effectiveOn": effective_on });
    audit::record(
        &txn,
        Some(actor),
        event("splitOrgUnit", &predecessor, None, Some(after)),
    )
    .await?;
    txn.commit().await?;
    find(db, actor.scope(), predecessor.id).await
}

/// The unit receiving a merger or split: managed by the actor, open, begun by the day.
async fn successor_for(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i32,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let unit = require_manager_of(txn, actor, id).await?;
    require_open(&unit, "the successor")?;
    if unit.active_from > effective_on {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            format!("the successor starts on {}, after the change", unit.active_from),
        ));
    }
    Ok(unit)
}

/// A unit handing over: managed by the actor, open, of the successor's kind, neither above
/// nor below it, unchanged in place since before the day.
async fn predecessor_for(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i32,
    successor: &org_unit::Model,
    effective_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let unit = require_manager_of(txn, actor, id).await?;
    require_open(&unit, "the unit")?;
    if unit.kind != successor.kind {
        return Err(kind_mismatch());
    }
    if tree::is_within(txn, unit.id, successor.id).await? || tree::is_within(txn, successor.id, unit.id).await? {
        return Err(AppError::rule(
            "ORG_TREE_CYCLE",
            "a unit cannot merge with one above or below it",
        ));
    }
    if effective_on <= unit.active_from {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            format!("the unit starts on {}; the change must come after", unit.active_from),
        ));
    }
    Ok(unit)
}

fn kind_mismatch() -> AppError {
    AppError::rule(
        "ORG_SUCCESSION_KIND_MISMATCH",
        "units merge or split into units of the same kind",
    )
}

async fn open_children(txn: &DatabaseTransaction, unit_id: i32) -> AppResult<Vec<i32>> {
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
async fn hand_over(
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
                "a unit handed over changed place on or after the day of the change",
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
async fn close_as_predecessor(
    txn: &DatabaseTransaction,
    predecessor: &org_unit::Model,
    successor: i32,
    effective_on: NaiveDate,
    kind: &str,
) -> AppResult<()> {
    org_unit_succession::ActiveModel {
        predecessor_id: Set(predecessor.id),
        successor_id: Set(successor),
        effective_on: Set(effective_on),
        kind: Set(kind.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    close_unit(txn, predecessor, effective_on).await
}

/// Close a unit that has handed everything over; a delegation it held ends that day.
async fn close_unit(txn: &DatabaseTransaction, unit: &org_unit::Model, on: NaiveDate) -> AppResult<()> {
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

/// Residential areas of a commune in scope, in id order.
pub async fn residential_areas(
    db: &DatabaseConnection,
    scope: Scope,
    commune_id: i32,
    after: Option<i32>,
    first: u64,
) -> AppResult<Vec<residential_area::Model>> {
    let mut query = residential_area::Entity::find()
        .filter(residential_area::Column::CommuneId.eq(commune_id))
        .filter(in_scope(residential_area::Column::CommuneId, scope));
    if let Some(after) = after {
        query = query.filter(residential_area::Column::Id.gt(after));
    }
    Ok(query
        .order_by_asc(residential_area::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?)
}

pub async fn count_residential_areas(db: &DatabaseConnection, scope: Scope, commune_id: i32) -> AppResult<u64> {
    Ok(residential_area::Entity::find()
        .filter(
            Condition::all()
                .add(residential_area::Column::CommuneId.eq(commune_id))
                .add(in_scope(residential_area::Column::CommuneId, scope)),
        )
        .count(db)
        .await?)
}

pub async fn find_residential_area(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: i32,
) -> AppResult<residential_area::Model> {
    access::find::<residential_area::Entity>(db, scope, id).await
}

/// Write the changes `edit` makes to `before`, with the audit event, and commit.
async fn save(
    txn: DatabaseTransaction,
    actor: &Actor,
    act: &'static str,
    before: org_unit::Model,
    edit: impl FnOnce(&mut org_unit::ActiveModel),
) -> AppResult<org_unit::Model> {
    let mut unit = before.clone().into_active_model();
    edit(&mut unit);
    unit.updated_at = Set(Utc::now());
    let after = unit.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        event(
            act,
            &after,
            Some(audit::snapshot(&before)?),
            Some(audit::snapshot(&after)?),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

fn event(
    act: &'static str,
    unit: &org_unit::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Event {
    Event {
        act,
        entity_type: ENTITY,
        entity_id: unit.id,
        unit_id: Some(unit.id),
        before,
        after,
    }
}

fn require_open(unit: &org_unit::Model, what: &str) -> AppResult<()> {
    match unit.closed_on {
        Some(day) => Err(AppError::rule("ORG_UNIT_CLOSED", format!("{what} closed on {day}"))),
        None => Ok(()),
    }
}

fn kind_not_allowed(kind: OrgKind, parent: &[org::ChainLink]) -> AppError {
    AppError::rule("ORG_PARENT_KIND_NOT_ALLOWED", kind_not_allowed_message(kind, parent))
}

fn kind_not_allowed_message(kind: OrgKind, parent: &[org::ChainLink]) -> String {
    match parent.first() {
        Some(p) if p.kind == OrgKind::Commune && org::holds_superior_authority(parent) => {
            format!(
                "a {kind} cannot sit under a COMMUNE that is directly under the province (a direct superior of grassroots organisations)"
            )
        }
        Some(p) if p.kind == OrgKind::Commune => {
            format!("a {kind} cannot sit under a COMMUNE that is itself a grassroots organisation")
        }
        Some(p) => format!("a {kind} cannot sit under a {}", p.kind),
        None => format!("a {kind} needs a parent unit"),
    }
}

fn not_grassroots() -> AppError {
    AppError::rule(
        "ORG_NOT_GRASSROOTS",
        "only a grassroots organisation (a commune under a district, a grassroots committee, or a branch directly under a direct superior) holds admission authority",
    )
}

/// Who maintains a commune's residential areas: the commune's own accounts and those above
/// it (not its branches).
async fn require_area_keeper(db: &impl ConnectionTrait, actor: &Actor, commune_id: i32) -> AppResult<org_unit::Model> {
    actor.require_staff()?;
    // Refused by role before any lookup: a branch sees its commune's areas but keeps none,
    // and the answer is the same whichever commune it names.
    if actor.is_admin() || actor.role == crate::domain::role::Role::Branch {
        return Err(AppError::forbidden(
            "residential areas are kept by the commune and the committees above it",
        ));
    }
    let commune = find(db, actor.scope(), commune_id).await?;
    if tree::parse_kind(&commune.kind)? != OrgKind::Commune {
        return Err(AppError::validation(
            "communeId",
            "residential areas belong to a commune",
        ));
    }
    Ok(commune)
}

/// Add a residential area (thôn, bản, khu phố, tổ dân phố) to a commune.
pub async fn create_residential_area(
    db: &DatabaseConnection,
    actor: &Actor,
    commune_id: i32,
    code: String,
    name: String,
) -> AppResult<residential_area::Model> {
    let txn = crate::db::begin_write(db).await?;
    let commune = require_area_keeper(&txn, actor, commune_id).await?;
    let area = residential_area::ActiveModel {
        commune_id: Set(commune.id),
        code: Set(code),
        search_key: Set(text::search_key(&name)),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = Event {
        act: "createResidentialArea",
        entity_type: "ResidentialArea",
        entity_id: area.id,
        unit_id: Some(commune.id),
        before: None,
        after: Some(audit::snapshot(&area)?),
    };
    audit::record(&txn, Some(actor), event).await?;
    txn.commit().await?;
    Ok(area)
}

/// A residential area's state in one year.
#[derive(Debug, Clone, Copy)]
pub struct AreaStatus {
    pub year: i32,
    pub members_living: u32,
    pub has_own_branch: bool,
    pub head_is_member: bool,
}

/// Record (or correct) a residential area's state for a year.
pub async fn record_area_status(
    db: &DatabaseConnection,
    actor: &Actor,
    area_id: i32,
    status: AreaStatus,
) -> AppResult<residential_area_status::Model> {
    if !(2000..=2100).contains(&status.year) {
        return Err(AppError::validation("year", "not a plausible year"));
    }
    let txn = crate::db::begin_write(db).await?;
    let area = find_residential_area(&txn, actor.scope(), area_id).await?;
    require_area_keeper(&txn, actor, area.commune_id).await?;
    let existing = residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area.id))
        .filter(residential_area_status::Column::Year.eq(status.year))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(audit::snapshot).transpose()?;
    let mut row = match existing {
        Some(row) => row.into_active_model(),
        None => residential_area_status::ActiveModel {
            area_id: Set(area.id),
            year: Set(status.year),
            ..Default::default()
        },
    };
    row.members_living = Set(status.members_living as i32);
    row.has_own_branch = Set(status.has_own_branch);
    row.head_is_member = Set(status.head_is_member);
    row.recorded_at = Set(Utc::now());
    let row = row.save(&txn).await?;
    let row = residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area.id))
        .filter(residential_area_status::Column::Year.eq(status.year))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("area status {row:?} vanished")))?;
    let event = Event {
        act: "recordResidentialAreaStatus",
        entity_type: "ResidentialArea",
        entity_id: area.id,
        unit_id: Some(area.commune_id),
        before,
        after: Some(audit::snapshot(&row)?),
    };
    audit::record(&txn, Some(actor), event).await?;
    txn.commit().await?;
    Ok(row)
}

/// The recorded states of an area, oldest year first.
pub async fn area_statuses(db: &DatabaseConnection, area_id: i32) -> AppResult<Vec<residential_area_status::Model>> {
    Ok(residential_area_status::Entity::find()
        .filter(residential_area_status::Column::AreaId.eq(area_id))
        .order_by_asc(residential_area_status::Column::Year)
        .all(db)
        .await?)
}
