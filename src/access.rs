//! The one scoped read path. An account sees one unit and everything now under it; every
//! record that leaves the server, at any depth, is read through [`Scoped::visible`], the
//! SQL condition that confines an entity to a scope. A record is visible when the unit it
//! belongs to is in the scope:
//!
//! | record | belongs to |
//! |---|---|
//! | unit | itself |
//! | candidate, member | its current branch |
//! | residential area | its commune; also visible below it, where its people live |
//! | course | its organiser; also visible below it, where its candidates attend |
//! | mentor, enrolment, document, relative, introduction, resolution, decision | its candidate |
//! | target | its unit |
//!
//! A reference from a visible record to one that is not (the mentor of a transferred
//! candidate, a course of another district) answers as if the target did not exist.
//! Nothing here knows about GraphQL: the loaders, `node`, the lists and the acts all use it.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use entity::{
    admission_target, background_check, candidate, course, course_enrolment, decision, dossier_document,
    higher_consent, introduction, member, mentor_assignment, org_unit, org_unit_closure as closure, relative,
    residential_area, resolution, scanned_file,
};

use crate::columns::{self, Cells, Layout, ListRow};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult, Text, noun, tr};

/// Who is acting: the account of one request (built from its access token in `auth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub role: Role,
    /// The unit the account acts for; `None` only for an administrator.
    pub unit_id: Option<i32>,
    /// Ties audit events and logs to the HTTP request.
    pub request_id: Option<String>,
}

impl Actor {
    pub fn scope(&self) -> Scope {
        match (self.role, self.unit_id) {
            (Role::Admin, _) | (_, None) => Scope::All,
            (_, Some(unit)) => Scope::Subtree(unit),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Refuse reporting accounts, which read aggregates only.
    pub fn require_staff(&self) -> AppResult<()> {
        if self.role == Role::Reporter {
            return Err(AppError::forbidden(tr!(
                "reporting accounts may read aggregate reports only",
                "tài khoản báo cáo chỉ được xem các báo cáo tổng hợp"
            )));
        }
        Ok(())
    }
}

/// What an actor may see: the whole tree, one unit and everything under it, or nothing
/// (a request without an account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Subtree(i32),
    Nothing,
}

/// The ids of `root` and every unit now under it: one indexed lookup in the closure table.
pub fn subtree_ids(root: i32) -> SelectStatement {
    Query::select()
        .column(closure::Column::DescendantId)
        .from(closure::Entity)
        .and_where(closure::Column::AncestorId.eq(root))
        .and_where(closure::Column::ValidTo.is_null())
        .to_owned()
}

/// The closure rows of table alias `c` that held on day `on` (a date, or a date column):
/// begun on or before it, not ended by it. A move on day D ends the old links with
/// `valid_to` D and starts the new ones with `valid_from` D, so on D the new place holds.
pub fn held_on(c: impl sea_orm::sea_query::IntoIden + Clone, on: impl Into<Expr> + Clone) -> Condition {
    Condition::all()
        .add(Expr::col((c.clone(), closure::Column::ValidFrom)).lte(on.clone().into()))
        .add(
            Condition::any()
                .add(Expr::col((c.clone(), closure::Column::ValidTo)).is_null())
                .add(Expr::col((c, closure::Column::ValidTo)).gt(on.into())),
        )
}

/// The ids of `root` and every unit under it on day `on`, as the tree then stood.
pub fn subtree_ids_on(root: i32, on: chrono::NaiveDate) -> SelectStatement {
    let c = sea_orm::sea_query::Alias::new("c");
    Query::select()
        .column((c.clone(), closure::Column::DescendantId))
        .from_as(closure::Entity, c.clone())
        .and_where(Expr::col((c.clone(), closure::Column::AncestorId)).eq(root))
        .cond_where(held_on(c, Expr::val(on)))
        .to_owned()
}

/// The ids of `unit` and every unit now above it.
pub fn ancestor_ids(unit: i32) -> SelectStatement {
    Query::select()
        .column(closure::Column::AncestorId)
        .from(closure::Entity)
        .and_where(closure::Column::DescendantId.eq(unit))
        .and_where(closure::Column::ValidTo.is_null())
        .to_owned()
}

/// One page of a list: the rows after its cursor (or, going backward, before it) and how
/// many; one more is read, to tell whether another page follows.
#[derive(Debug, Clone, Copy)]
pub struct Keyset<K> {
    pub cursor: Option<K>,
    pub limit: u64,
    /// Toward the start: the rows before the cursor, read nearest first (the API reverses them).
    pub backward: bool,
}

impl Keyset<i32> {
    /// This page of `query` in the order of its `id` column.
    pub fn by_id<E: EntityTrait>(self, mut query: sea_orm::Select<E>, id: E::Column) -> sea_orm::Select<E> {
        use sea_orm::{QueryOrder, QuerySelect};
        if let Some(cursor) = self.cursor {
            query = query.filter(if self.backward { id.lt(cursor) } else { id.gt(cursor) });
        }
        let order = if self.backward {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        };
        query.order_by(id, order).limit(self.limit + 1)
    }
}

/// A condition no row meets.
fn none() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// Restrict `unit_column` to the scope.
pub fn in_scope(unit_column: impl ColumnTrait, scope: Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Subtree(root) => Condition::all().add(unit_column.in_subquery(subtree_ids(root))),
        Scope::Nothing => none(),
    }
}

/// The ids of the candidates the scope sees.
fn visible_candidates(scope: Scope) -> SelectStatement {
    Query::select()
        .column(candidate::Column::Id)
        .from(candidate::Entity)
        .cond_where(in_scope(candidate::Column::BranchId, scope))
        .to_owned()
}

/// `column` contains `needle` (already folded to a search key), wildcards escaped.
pub fn contains(column: impl ColumnTrait, needle: &str) -> Condition {
    Condition::all().add(
        Expr::col(column.as_column_ref())
            .like(sea_orm::sea_query::LikeExpr::new(crate::domain::text::like_contains(needle)).escape('\\')),
    )
}

/// An entity whose rows an actor sees only within its scope.
pub trait Scoped: EntityTrait {
    /// What the record is called in a `NOT_FOUND` message.
    const WHAT: Text;
    /// The rows of this entity the scope may see.
    fn visible(scope: Scope) -> Condition;
}

macro_rules! scoped_by_unit {
    ($($entity:ident . $column:ident => $what:ident),* $(,)?) => {$(
        impl Scoped for $entity::Entity {
            const WHAT: Text = noun::$what;
            fn visible(scope: Scope) -> Condition {
                in_scope($entity::Column::$column, scope)
            }
        }
    )*};
}

macro_rules! scoped_by_candidate {
    ($($entity:ident => $what:ident),* $(,)?) => {$(
        impl Scoped for $entity::Entity {
            const WHAT: Text = noun::$what;
            fn visible(scope: Scope) -> Condition {
                match scope {
                    Scope::All => Condition::all(),
                    _ => Condition::all()
                        .add($entity::Column::CandidateId.in_subquery(visible_candidates(scope))),
                }
            }
        }
    )*};
}

scoped_by_unit!(
    org_unit.Id => ORG_UNIT,
    candidate.BranchId => CANDIDATE,
    member.BranchId => MEMBER,
    admission_target.UnitId => TARGET,
);

scoped_by_candidate!(
    mentor_assignment => MENTOR_ASSIGNMENT,
    course_enrolment => ENROLMENT,
    dossier_document => DOCUMENT,
    relative => RELATIVE,
    introduction => INTRODUCTION,
    resolution => RESOLUTION,
    decision => DECISION,
    scanned_file => FILE,
    higher_consent => CONSENT,
    background_check => BACKGROUND_CHECK,
);

impl Scoped for residential_area::Entity {
    const WHAT: Text = noun::RESIDENTIAL_AREA;
    /// Areas of communes inside the subtree, and of the commune above a branch, whose
    /// villages its candidates and members live in.
    fn visible(scope: Scope) -> Condition {
        match scope {
            Scope::Subtree(root) => Condition::any()
                .add(residential_area::Column::CommuneId.in_subquery(subtree_ids(root)))
                .add(residential_area::Column::CommuneId.in_subquery(ancestor_ids(root))),
            _ => in_scope(residential_area::Column::CommuneId, scope),
        }
    }
}

impl Scoped for course::Entity {
    const WHAT: Text = noun::COURSE;
    /// Courses organised inside the subtree, and those organised by the units above it,
    /// whose courses its candidates attend.
    fn visible(scope: Scope) -> Condition {
        match scope {
            Scope::Subtree(root) => Condition::any()
                .add(course::Column::OrganiserUnitId.in_subquery(subtree_ids(root)))
                .add(course::Column::OrganiserUnitId.in_subquery(ancestor_ids(root))),
            _ => in_scope(course::Column::OrganiserUnitId, scope),
        }
    }
}

/// An entity read by its integer primary key.
pub trait ById: EntityTrait {
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> i32;
}

macro_rules! by_id {
    ($($entity:ident),*) => {$(
        impl ById for $entity::Entity {
            fn id_column() -> Self::Column { $entity::Column::Id }
            fn id_of(model: &Self::Model) -> i32 { model.id }
        }
    )*};
}

by_id!(
    org_unit,
    candidate,
    member,
    residential_area,
    admission_target,
    course,
    mentor_assignment,
    course_enrolment,
    dossier_document,
    relative,
    introduction,
    resolution,
    decision,
    scanned_file,
    higher_consent,
    background_check
);

/// The record with `id`, if it exists and the scope sees it; otherwise `NOT_FOUND`, the
/// same answer for both.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find<E>(db: &impl ConnectionTrait, scope: Scope, id: i32) -> AppResult<E::Model>
where
    E: Scoped + ById,
{
    E::find()
        .filter(E::id_column().eq(id))
        .filter(E::visible(scope))
        .one(db)
        .await?
        .ok_or(AppError::not_found(E::WHAT))
}

/// How many rows `select` finds, as `SELECT COUNT(*) FROM (SELECT 1 …)`: sea-orm's count
/// wraps the select as it stands, every column of the entity named in it, which costs the
/// building and the parsing of a statement of forty columns for a list's `totalCount`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_rows<E>(db: &impl ConnectionTrait, select: sea_orm::Select<E>) -> AppResult<u64>
where
    E: EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    Ok(PaginatorTrait::count(select.select_only().expr(Expr::cust("1")), db).await?)
}

/// The records with these ids that the scope sees; the others are left out.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_many<E>(db: &impl ConnectionTrait, scope: Scope, ids: &[i32]) -> AppResult<Vec<E::Model>>
where
    E: Scoped + ById,
{
    Ok(E::find()
        .filter(E::id_column().is_in(ids.iter().copied()))
        .filter(E::visible(scope))
        .all(db)
        .await?)
}

/// How far up the tree a list reads, in its page's own statement, the unit each row belongs
/// to: not at all, the unit, or the unit and its parent. A list asks for what its
/// selection shows (`branch`, `branch { parent }`), so a page with its units is one
/// statement whatever its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitsAhead {
    None,
    Unit,
    UnitAndParent,
}

/// Whether the parent of the unit at alias `unit`, itself in `scope`, is in it too: the
/// parent of a unit of the subtree of `root` is in the subtree unless the unit is `root`
/// itself. One comparison, where a second look-up in the closure table would do the same.
fn parent_in_scope(unit: sea_orm::sea_query::Alias, scope: Scope) -> Condition {
    match scope {
        Scope::All => Condition::all(),
        Scope::Subtree(root) => Condition::all().add(Expr::col((unit, org_unit::Column::Id)).ne(root)),
        Scope::Nothing => none(),
    }
}

/// The units read beside a page, each id asked for answered: `None` when the unit is out of
/// scope (the parent of the scope's own root) or missing, as a loader would answer.
pub type UnitsRead = Vec<(i32, Option<org_unit::Model>)>;

/// The rows of `select`, with the unit each names in `unit_column` (and that unit's parent)
/// joined into the same statement as `ahead` asks. `select` must already be confined to
/// `scope` by its unit ([`Scoped::visible`] of a record is its unit's), so each row's own unit
/// is in scope; the parent is joined only when the scope sees it. `own` is the layout the
/// rows' own columns are read in ([`Layout::partial`] when `select` names only some).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn with_units<E>(
    db: &impl ConnectionTrait,
    scope: Scope,
    select: sea_orm::Select<E>,
    unit_column: E::Column,
    ahead: UnitsAhead,
    mut own_layout: Layout,
) -> AppResult<(Vec<E::Model>, UnitsRead)>
where
    E: EntityTrait,
    E::Model: ListRow,
{
    use sea_orm::sea_query::{Alias, JoinType};
    use sea_orm::{Iterable, QueryTrait};
    if ahead == UnitsAhead::None {
        let rows = db.query_all(&select.into_query()).await?;
        return Ok((columns::read_page_in(&rows, own_layout)?, Vec::new()));
    }
    // The `X_` prefix is the one `storage::unknown_code` reads a joined row's id by.
    let (unit, parent) = (Alias::new("U"), Alias::new("P"));
    let mut statement = select.into_query();
    statement.join_as(
        JoinType::LeftJoin,
        org_unit::Entity,
        unit.clone(),
        Expr::col((unit.clone(), org_unit::Column::Id)).equals(unit_column.as_column_ref()),
    );
    let mut joined = vec![(unit.clone(), "U_")];
    if ahead == UnitsAhead::UnitAndParent {
        statement.join_as(
            JoinType::LeftJoin,
            org_unit::Entity,
            parent.clone(),
            Condition::all()
                .add(
                    Expr::col((parent.clone(), org_unit::Column::Id))
                        .equals((unit.clone(), org_unit::Column::ParentId)),
                )
                .add(parent_in_scope(unit.clone(), scope)),
        );
        joined.push((parent, "P_"));
    }
    for (alias, prefix) in &joined {
        for column in org_unit::Column::iter() {
            statement.expr_as(
                Expr::col((alias.clone(), column)),
                Alias::new(format!("{prefix}{}", sea_orm::IdenStatic::as_str(&column))),
            );
        }
    }
    let rows = db.query_all(&statement).await?;
    let mut models = Vec::with_capacity(rows.len());
    let mut units = UnitsRead::with_capacity(rows.len() * joined.len());
    // A page's rows share few units (a branch's candidates stand together): each unit is
    // read from the first row that holds it, the later rows give only its id.
    let mut seen = std::collections::HashSet::new();
    let (mut unit_layout, mut parent_layout) = (Layout::prefixed("U_"), Layout::prefixed("P_"));
    for row in &rows {
        models.push(E::Model::read(&mut Cells::new(row, &mut own_layout))?);
        let mut unit_cells = Cells::new(row, &mut unit_layout);
        let Some(own_id) = unit_cells.get::<Option<i32>>("id")? else {
            continue;
        };
        let own = if seen.insert(own_id) {
            Some(org_unit::Model::read(&mut Cells::new(row, &mut unit_layout))?)
        } else {
            None
        };
        if ahead == UnitsAhead::UnitAndParent
            && let Some(parent_id) = own.as_ref().and_then(|u| u.parent_id)
            && seen.insert(parent_id)
        {
            // Out of the scope, the parent's side of the row is `NULL`.
            let mut parent_cells = Cells::new(row, &mut parent_layout);
            let parent = match parent_cells.get::<Option<i32>>("id")? {
                Some(_) => Some(org_unit::Model::read(&mut Cells::new(row, &mut parent_layout))?),
                None => None,
            };
            units.push((parent_id, parent));
        }
        if let Some(own) = own {
            units.push((own.id, Some(own)));
        }
    }
    Ok((models, units))
}
