//! Use cases of the organisation tree. Every read is confined to the actor's scope; a unit
//! outside it answers exactly like a missing one.

use super::delegation::insert_delegation;
use super::tree;
use crate::access;
use crate::access::{Actor, Scope, in_scope, subtree_ids};
use crate::audit::service::{self as audit, Event};
use crate::domain::org::{self, OrgKind};
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, tr};
use chrono::{NaiveDate, Utc};
use entity::org_unit;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Select, Set,
};

pub const ENTITY: &str = "OrgUnit";

/// A unit code: upper-case letters, digits, `.`, `-` and `_`, 1 to 32 characters.
pub fn parse_code(input: &str) -> AppResult<String> {
    let code = input.trim().to_uppercase();
    let valid = (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if !valid {
        return Err(AppError::validation(
            "code",
            tr!(
                "1 to 32 letters, digits, '.', '-' or '_'",
                "từ 1 đến 32 ký tự gồm chữ cái, chữ số, '.', '-' hoặc '_'"
            ),
        ));
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
        query = query.filter(org_unit::Column::Kind.eq(kind));
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &UnitFilter,
    page: crate::access::Keyset<i32>,
) -> AppResult<Vec<org_unit::Model>> {
    Ok(page
        .by_id(filtered(scope, filter), org_unit::Column::Id)
        .all(db)
        .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &DatabaseConnection, scope: Scope, filter: &UnitFilter) -> AppResult<u64> {
    crate::access::count_rows(db, filtered(scope, filter)).await
}

/// The unit, if it exists and is in scope.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find(db: &impl ConnectionTrait, scope: Scope, id: i32) -> AppResult<org_unit::Model> {
    access::find::<org_unit::Entity>(db, scope, id).await
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn authorities(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<Authorities> {
    let chain = tree::chain_on(db, unit_id, on).await?;
    Ok(Authorities {
        grassroots: org::grassroots_of(&chain).map(|l| l.id),
        deciding: org::deciding_unit_for(&chain).map(|l| l.id),
    })
}

/// Whether the unit is a direct superior of grassroots organisations on day `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn holds_superior_authority(db: &impl ConnectionTrait, unit_id: i32, on: NaiveDate) -> AppResult<bool> {
    Ok(org::holds_superior_authority(&tree::chain_on(db, unit_id, on).await?))
}

/// Whether the actor may manage (rename, move, close, delegate) `unit`: an administrator,
/// or an account of a unit strictly above it. Staff of the unit itself may not.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn require_manager_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit_id: i32,
) -> AppResult<org_unit::Model> {
    actor.require_staff()?;
    let unit = find(db, actor.scope(), unit_id).await?;
    if !actor.is_admin() && actor.unit_id == Some(unit.id) {
        return Err(AppError::forbidden(tr!(
            "a unit's own accounts cannot restructure it; its superior does",
            "tài khoản của chính tổ chức đảng không được thay đổi cơ cấu tổ chức đó; việc này do cấp ủy cấp trên thực hiện"
        )));
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_in(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    cmd: CreateUnit,
) -> AppResult<org_unit::Model> {
    let scope = actor.map_or(Scope::All, Actor::scope);
    let parent = match cmd.parent_id {
        Some(id) => Some(find(txn, scope, id).await?),
        None if actor.is_none_or(Actor::is_admin) => None,
        None => {
            return Err(AppError::forbidden(tr!(
                "only an administrator creates a root unit",
                "chỉ tài khoản quản trị mới được tạo tổ chức đảng cấp cao nhất"
            )));
        }
    };
    let parent_chain = match &parent {
        Some(parent) => tree::chain(txn, parent.id).await?,
        None => Vec::new(),
    };
    if !cmd.kind.may_sit_under(&parent_chain) {
        return Err(kind_not_allowed(cmd.kind, &parent_chain));
    }
    if let Some(parent) = &parent {
        require_open(parent, &Text::fixed("the parent unit", "tổ chức đảng cấp trên"))?;
        if cmd.active_from < parent.active_from {
            return Err(AppError::rule(
                "ORG_DATE_BEFORE_PARENT",
                tr!(
                    "a unit cannot start before its parent",
                    "tổ chức đảng không thể bắt đầu hoạt động trước tổ chức đảng cấp trên"
                ),
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
        kind: Set(cmd.kind),
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
    audit::record(txn, actor, event("createOrgUnit", &unit).after(&unit)?).await?;
    Ok(unit)
}

pub struct RenameUnit {
    pub id: i32,
    pub name: String,
    pub code: Option<String>,
}

#[tracing::instrument(level = "debug", skip_all)]
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
            tr!(
                "a unit cannot be moved under itself or one of its own descendants",
                "không thể chuyển tổ chức đảng vào dưới chính nó hoặc một tổ chức trực thuộc nó"
            ),
        ));
    }
    let kind = before.kind;
    let parent_chain = tree::chain(&txn, new_parent.id).await?;
    if !kind.may_sit_under(&parent_chain) {
        return Err(kind_not_allowed(kind, &parent_chain));
    }
    require_open(&before, &Text::fixed("the unit", "tổ chức đảng"))?;
    require_open(
        &new_parent,
        &Text::fixed("the new parent unit", "tổ chức đảng cấp trên mới"),
    )?;
    if before.parent_id == Some(new_parent.id) {
        return Err(AppError::rule(
            "ORG_MOVE_TO_SAME_PARENT",
            tr!(
                "the unit already sits under that parent",
                "tổ chức đảng đã trực thuộc tổ chức cấp trên đó"
            ),
        ));
    }
    let last = tree::last_change(&txn, before.id).await?.unwrap_or(before.active_from);
    if cmd.effective_on <= last {
        return Err(AppError::rule(
            "ORG_MOVE_BEFORE_LAST_CHANGE",
            tr!(
                "the move must take effect after {last}, the unit's last change of place",
                "việc chuyển phải có hiệu lực sau ngày {last}, lần thay đổi vị trí gần nhất của tổ chức đảng"
            ),
        ));
    }
    tree::move_subtree(&txn, before.id, new_parent.id, cmd.effective_on).await?;
    check_moved_subtree(&txn, before.id, cmd.effective_on).await?;
    save(txn, actor, "moveOrgUnit", before, |unit| {
        unit.parent_id = Set(Some(new_parent.id));
    })
    .await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn close(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    closed_on: NaiveDate,
) -> AppResult<org_unit::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = require_manager_of(&txn, actor, id).await?;
    require_open(&before, &Text::fixed("the unit", "tổ chức đảng"))?;
    if closed_on < before.active_from {
        return Err(AppError::rule(
            "ORG_DATE_BEFORE_START",
            tr!(
                "a unit cannot close before it started",
                "tổ chức đảng không thể giải thể trước ngày bắt đầu hoạt động"
            ),
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
            tr!(
                "{open_children} unit(s) under it are still open: move or close them first",
                "còn {open_children} tổ chức trực thuộc đang hoạt động: hãy chuyển hoặc giải thể các tổ chức đó trước"
            ),
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
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn check_moved_subtree(txn: &DatabaseTransaction, root: i32, on: NaiveDate) -> AppResult<()> {
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
                kind: u.kind,
                delegated: delegated.contains(&u.id),
            });
            at = u.parent_id.and_then(|p| by_id.get(&p).copied());
        }
        chain.extend(above.iter().copied());
        let Some((own, parent)) = chain.split_first() else {
            continue;
        };
        let code = &unit.code;
        if unit.id != root && !own.kind.may_sit_under(parent) {
            let why = kind_not_allowed_message(own.kind, parent);
            let (why_en, why_vi) = (why.en(), why.vi());
            return Err(AppError::rule(
                "ORG_PARENT_KIND_NOT_ALLOWED",
                tr!(
                    "after the move {code} would be misplaced: {why_en}",
                    "sau khi chuyển, {code} sẽ nằm sai vị trí: {why_vi}"
                ),
            ));
        }
        if delegated.contains(&unit.id) && org::grassroots_of(&chain).is_none_or(|g| g.id != unit.id) {
            return Err(AppError::rule(
                "ORG_NOT_GRASSROOTS",
                tr!(
                    "after the move {code} would no longer be a grassroots organisation; withdraw its delegated admission authority first",
                    "sau khi chuyển, {code} sẽ không còn là tổ chức cơ sở đảng; hãy thu hồi quyền kết nạp được ủy quyền của tổ chức này trước"
                ),
            ));
        }
    }
    Ok(())
}

/// Write the changes `edit` makes to `before`, with the audit event, and commit.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn save(
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
    let event = event(act, &after)
        .before(Some(audit::snapshot(&before)?))
        .after(&after)?;
    audit::commit(txn, actor, event).await?;
    Ok(after)
}

/// `act` on `unit`, readable from the unit's own subtree.
pub(super) fn event(act: &'static str, unit: &org_unit::Model) -> Event {
    Event::new(act, ENTITY, unit.id, Some(unit.id))
}

/// `what` names the unit in the sentence ("the unit", "the successor"), in both languages.
pub(super) fn require_open(unit: &org_unit::Model, what: &Text) -> AppResult<()> {
    let (what_en, what_vi) = (what.en(), what.vi());
    match unit.closed_on {
        Some(day) => Err(AppError::rule(
            "ORG_UNIT_CLOSED",
            tr!("{what_en} closed on {day}", "{what_vi} đã giải thể ngày {day}"),
        )),
        None => Ok(()),
    }
}

fn kind_not_allowed(kind: OrgKind, parent: &[org::ChainLink]) -> AppError {
    AppError::rule("ORG_PARENT_KIND_NOT_ALLOWED", kind_not_allowed_message(kind, parent))
}

/// The kinds are named by their API codes (`COMMUNE`, `BRANCH`) in both languages.
fn kind_not_allowed_message(kind: OrgKind, parent: &[org::ChainLink]) -> Text {
    match parent.first() {
        Some(p) if p.kind == OrgKind::Commune && org::holds_superior_authority(parent) => tr!(
            "a {kind} cannot sit under a COMMUNE that is directly under the province (a direct superior of grassroots organisations)",
            "tổ chức loại {kind} không thể trực thuộc một COMMUNE trực thuộc tỉnh ủy (cấp trên trực tiếp của tổ chức cơ sở đảng)"
        ),
        Some(p) if p.kind == OrgKind::Commune => tr!(
            "a {kind} cannot sit under a COMMUNE that is itself a grassroots organisation",
            "tổ chức loại {kind} không thể trực thuộc một COMMUNE vốn là tổ chức cơ sở đảng"
        ),
        Some(p) => {
            let parent_kind = p.kind;
            tr!(
                "a {kind} cannot sit under a {parent_kind}",
                "tổ chức loại {kind} không thể trực thuộc tổ chức loại {parent_kind}"
            )
        }
        None => tr!(
            "a {kind} needs a parent unit",
            "tổ chức loại {kind} cần có tổ chức đảng cấp trên"
        ),
    }
}

pub(super) fn not_grassroots() -> AppError {
    AppError::rule(
        "ORG_NOT_GRASSROOTS",
        tr!(
            "only a grassroots organisation (a commune under a district, a grassroots committee, or a branch directly under a direct superior) holds admission authority",
            "chỉ tổ chức cơ sở đảng (đảng bộ xã trực thuộc huyện ủy, đảng ủy cơ sở, hoặc chi bộ trực thuộc cấp ủy cấp trên trực tiếp) mới có thẩm quyền kết nạp"
        ),
    )
}
