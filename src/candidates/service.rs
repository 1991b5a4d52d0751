//! Reading candidates, and the machinery every act goes through: load in scope, check who
//! acts, check the stage, write with a version guard, recompute the next deadline, and
//! append the audit event, all in one transaction.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ActiveValue, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use entity::candidate;

use crate::access::{Actor, Scope, UnitsAhead, UnitsRead, in_scope, subtree_ids, with_units};
use crate::audit::service::{self as audit, Event};
use crate::columns::Layout;
use crate::domain::deadline::DeadlineKind;
use crate::domain::org::ChainLink;
use crate::domain::person::SourceOrganisation;
use crate::domain::stage::{self, Act, Level, Shape, Stage, level_name, shape_of, unit_for};
use crate::domain::text;
use crate::error::{AppError, AppResult, Text, noun, tr};
use crate::org::tree;
use crate::rules::clocks;
pub use crate::rules::clocks::{clock_rules, next_due};

pub use crate::audit::service::CANDIDATE as ENTITY;

/// The candidate, if it exists and its branch is in scope.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find(db: &impl ConnectionTrait, scope: Scope, id: i32) -> AppResult<candidate::Model> {
    crate::access::find::<candidate::Entity>(db, scope, id).await
}

/// Filters of the candidates list; all given conditions hold.
#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub stages: Vec<Stage>,
    pub within: Option<i32>,
    pub source_organisation: Option<SourceOrganisation>,
    pub search: Option<String>,
    pub listed_from: Option<NaiveDate>,
    pub listed_to: Option<NaiveDate>,
    pub admitted_from: Option<NaiveDate>,
    pub admitted_to: Option<NaiveDate>,
    pub without_mentor: bool,
}

/// The order of the candidates list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CandidateOrder {
    /// Creation order.
    #[default]
    Id,
    Name,
    ListedOn,
    /// Soonest deadline first; those without a deadline last.
    NextDueOn,
}

/// Where a page starts: the sort value and id of the last row of the previous page.
pub type CandidateCursor = (String, i32);

/// One page of a list of candidates: after which row, how many (one more is read, to
/// tell whether another page follows) and which of their units to read in the same statement.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub after: Option<&'a CandidateCursor>,
    pub first: u64,
    /// Toward the start: the rows before `after`, nearest first (the API reverses them).
    pub backward: bool,
    pub ahead: UnitsAhead,
    /// The columns the fields shown of each candidate read (`candidates::graphql::
    /// FIELD_COLUMNS`); `None`, every column. The statement adds what the page itself needs:
    /// the id, the branch and the column it is ordered by.
    pub columns: Option<&'a [candidate::Column]>,
}

/// `query` asking for `columns` only (each once), with what a page of it needs besides, and
/// the layout its rows are read in.
fn narrowed(
    query: Select<candidate::Entity>,
    order: CandidateOrder,
    columns: Option<&[candidate::Column]>,
) -> (Select<candidate::Entity>, Layout) {
    use candidate::Column as C;
    let Some(columns) = columns else {
        return (query, Layout::default());
    };
    let sort = match order {
        CandidateOrder::Id => C::Id,
        CandidateOrder::Name => C::SearchKey,
        CandidateOrder::ListedOn => C::ListedOn,
        CandidateOrder::NextDueOn => C::NextDueOn,
    };
    let mut wanted = vec![C::Id, C::BranchId, sort];
    for column in columns {
        if !wanted
            .iter()
            .any(|c| std::mem::discriminant(c) == std::mem::discriminant(column))
        {
            wanted.push(*column);
        }
    }
    (query.select_only().columns(wanted), Layout::partial())
}

fn sort_expr(order: CandidateOrder) -> SimpleExpr {
    match order {
        CandidateOrder::Id => Expr::col((candidate::Entity, candidate::Column::Id)),
        CandidateOrder::Name => Expr::col((candidate::Entity, candidate::Column::SearchKey)),
        CandidateOrder::ListedOn => Expr::col((candidate::Entity, candidate::Column::ListedOn)),
        CandidateOrder::NextDueOn => Func::coalesce([
            Expr::col((candidate::Entity, candidate::Column::NextDueOn)),
            Expr::val(far_future()),
        ])
        .into(),
    }
}

/// Stands for "no deadline" when sorting by deadline: after every real date.
fn far_future() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The cursor value of a row in `order`.
pub fn cursor_of(order: CandidateOrder, row: &candidate::Model) -> CandidateCursor {
    let value = match order {
        CandidateOrder::Id => row.id.to_string(),
        CandidateOrder::Name => row.search_key.clone(),
        CandidateOrder::ListedOn => row.listed_on.to_string(),
        CandidateOrder::NextDueOn => row.next_due_on.unwrap_or_else(far_future).to_string(),
    };
    (value, row.id)
}

fn cursor_value(order: CandidateOrder, value: &str) -> AppResult<sea_orm::Value> {
    let bad = || {
        AppError::validation(
            "after",
            Text::fixed("not a cursor of this list", "không phải con trỏ của danh sách này"),
        )
    };
    Ok(match order {
        CandidateOrder::Id => value.parse::<i32>().map_err(|_| bad())?.into(),
        CandidateOrder::Name => value.to_string().into(),
        CandidateOrder::ListedOn | CandidateOrder::NextDueOn => {
            NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())?.into()
        }
    })
}

fn filtered(scope: Scope, filter: &CandidateFilter) -> Select<candidate::Entity> {
    let mut query = candidate::Entity::find().filter(in_scope(candidate::Column::BranchId, scope));
    if !filter.stages.is_empty() {
        query = query.filter(candidate::Column::Stage.is_in(filter.stages.iter().map(|s| s.as_str())));
    }
    if let Some(root) = filter.within {
        query = query.filter(candidate::Column::BranchId.in_subquery(subtree_ids(root)));
    }
    if let Some(source) = filter.source_organisation {
        query = query.filter(candidate::Column::SourceOrganisation.eq(source));
    }
    if let Some(search) = filter.search.as_deref().map(text::search_key).filter(|s| !s.is_empty()) {
        query = query.filter(crate::access::contains(candidate::Column::SearchKey, &search));
    }
    if let Some(from) = filter.listed_from {
        query = query.filter(candidate::Column::ListedOn.gte(from));
    }
    if let Some(to) = filter.listed_to {
        query = query.filter(candidate::Column::ListedOn.lte(to));
    }
    if let Some(from) = filter.admitted_from {
        query = query.filter(candidate::Column::CeremonyOn.gte(from));
    }
    if let Some(to) = filter.admitted_to {
        query = query.filter(candidate::Column::CeremonyOn.lte(to));
    }
    if filter.without_mentor {
        use entity::mentor_assignment as mentor;
        let mentored = sea_orm::sea_query::Query::select()
            .column(mentor::Column::CandidateId)
            .from(mentor::Entity)
            .and_where(mentor::Column::EndedOn.is_null())
            .to_owned();
        query = query
            .filter(candidate::Column::Id.not_in_subquery(mentored))
            .filter(candidate::Column::Stage.is_in(Stage::open().map(Stage::as_str)));
    }
    query
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &CandidateFilter,
    order: CandidateOrder,
    descending: bool,
    page: Page<'_>,
) -> AppResult<(Vec<candidate::Model>, UnitsRead)> {
    let key = sort_expr(order);
    let id: SimpleExpr = Expr::col((candidate::Entity, candidate::Column::Id));
    // Going backward is going forward the other way.
    let descending = descending != page.backward;
    let mut query = filtered(scope, filter);
    if let Some((value, last_id)) = page.after {
        let value = cursor_value(order, value)?;
        let (beyond, id_beyond) = if descending {
            (key.clone().lt(value.clone()), id.clone().lt(*last_id))
        } else {
            (key.clone().gt(value.clone()), id.clone().gt(*last_id))
        };
        query = query.filter(
            Condition::any()
                .add(beyond)
                .add(Condition::all().add(key.clone().eq(value)).add(id_beyond)),
        );
    }
    let direction = if descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let query = query
        .order_by(key, direction.clone())
        .order_by(id, direction)
        .limit(page.first + 1);
    let (query, layout) = narrowed(query, order, page.columns);
    with_units(db, scope, query, candidate::Column::BranchId, page.ahead, layout).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &DatabaseConnection, scope: Scope, filter: &CandidateFilter) -> AppResult<u64> {
    crate::access::count_rows(db, filtered(scope, filter)).await
}

/// Filters of the deadlines list.
#[derive(Debug, Clone, Default)]
pub struct DeadlineFilter {
    pub within: Option<i32>,
    pub kind: Option<DeadlineKind>,
    /// Only deadlines already passed on `as_of`.
    pub overdue_only: bool,
    /// Only deadlines on or before this day.
    pub due_before: Option<NaiveDate>,
    pub as_of: NaiveDate,
}

fn deadlines_filtered(scope: Scope, filter: &DeadlineFilter) -> Select<candidate::Entity> {
    let mut query = filtered(
        scope,
        &CandidateFilter {
            within: filter.within,
            ..Default::default()
        },
    )
    .filter(candidate::Column::NextDueOn.is_not_null());
    if let Some(kind) = filter.kind {
        query = query.filter(candidate::Column::NextDueKind.eq(kind));
    }
    if filter.overdue_only {
        query = query.filter(candidate::Column::NextDueOn.lt(filter.as_of));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(candidate::Column::NextDueOn.lte(before));
    }
    query
}

/// Candidates with a pending deadline, soonest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn deadlines(
    db: &DatabaseConnection,
    scope: Scope,
    filter: &DeadlineFilter,
    page: Page<'_>,
) -> AppResult<(Vec<candidate::Model>, UnitsRead)> {
    let mut query = deadlines_filtered(scope, filter);
    if let Some((value, last_id)) = page.after {
        let due = cursor_value(CandidateOrder::NextDueOn, value)?;
        let (beyond, id_beyond) = if page.backward {
            (
                candidate::Column::NextDueOn.lt(due.clone()),
                candidate::Column::Id.lt(*last_id),
            )
        } else {
            (
                candidate::Column::NextDueOn.gt(due.clone()),
                candidate::Column::Id.gt(*last_id),
            )
        };
        query = query.filter(
            Condition::any().add(beyond).add(
                Condition::all()
                    .add(candidate::Column::NextDueOn.eq(due))
                    .add(id_beyond),
            ),
        );
    }
    let direction = if page.backward {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let query = query
        .order_by(candidate::Column::NextDueOn, direction.clone())
        .order_by(candidate::Column::Id, direction)
        .limit(page.first + 1);
    let (query, layout) = narrowed(query, CandidateOrder::NextDueOn, page.columns);
    with_units(db, scope, query, candidate::Column::BranchId, page.ahead, layout).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_deadlines(db: &DatabaseConnection, scope: Scope, filter: &DeadlineFilter) -> AppResult<u64> {
    crate::access::count_rows(db, deadlines_filtered(scope, filter)).await
}

/// The day a candidate's party age counts from (see `Candidate.partyAgeFrom`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn party_age_from(db: &impl ConnectionTrait, c: &candidate::Model) -> AppResult<Option<NaiveDate>> {
    let Some(decided) = c.decision_signed_on else {
        return Ok(None);
    };
    let (Some(former_id), Stage::Official) = (c.readmission_of_member_id, c.stage) else {
        return Ok(Some(decided));
    };
    let former = entity::member::Entity::find_by_id(former_id).one(db).await?;
    Ok(Some(match former.and_then(|f| f.decision_date.zip(f.left_on)) {
        Some((first, left)) => crate::domain::readmission::party_age_from(first, left, decided),
        None => decided,
    }))
}

/// An act under way: the transaction, the candidate as it was, and where it goes.
pub struct Acting<'a> {
    pub txn: DatabaseTransaction,
    pub actor: &'a Actor,
    pub act: Act,
    pub before: candidate::Model,
    pub stage: Stage,
    pub next_stage: Stage,
    /// The candidate's branch and its ancestors on the act's date, nearest first.
    pub chain: Vec<ChainLink>,
    /// The act's span, held open until the act ends so that `finish` (the write, the
    /// deadline, the audit event) is traced inside it.
    span: tracing::Span,
}

/// The candidate an act is on, and its `version` as the client last read it (`None`: no
/// check); the API converts its `ActTarget` to this at the edge.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub id: i32,
    pub expected: Option<i32>,
}

/// Start `act` on the subject's candidate: in scope (else `NOT_FOUND`), by the right unit (else
/// `FORBIDDEN`), on the version the caller saw (else `CONFLICT`), allowed at this stage
/// (else `RULE_VIOLATION`). Acts of the course organiser and of a common superior check
/// their actor themselves. Who performs the act is read from the tree and the delegations
/// as they stood on `on`, the act's date: a decision dated before a commune was placed
/// under the province belongs to its district, one dated after to the commune.
#[tracing::instrument(name = "act", skip_all, fields(act = %act, candidate = subject.id))]
pub async fn begin<'a>(
    db: &DatabaseConnection,
    actor: &'a Actor,
    subject: Subject,
    act: Act,
    on: NaiveDate,
) -> AppResult<Acting<'a>> {
    let Subject {
        id,
        expected: expected_version,
    } = subject;
    actor.require_staff()?;
    let txn = crate::db::begin_write(db).await?;
    let before = find(&txn, actor.scope(), id).await?;
    let chain = tree::chain_on(&txn, before.branch_id, on).await?;
    let shape = shape_of(&chain);
    let stage = before.stage;
    let level = act.level(stage, shape);
    if shape == Shape::GrassrootsBranch
        && matches!(
            act,
            Act::RecordCommuneResolution | Act::RecordRecognitionCommuneResolution
        )
    {
        return Err(AppError::rule(
            "NO_SUCH_BODY",
            tr!(
                "{act} has no place here: the candidate's branch is a grassroots branch (chi bộ cơ sở), whose own resolution goes straight to the deciding committee",
                "{act} không áp dụng ở đây: chi bộ của người xin vào Đảng là chi bộ cơ sở, nghị quyết của chi bộ được gửi thẳng lên cấp ủy có thẩm quyền quyết định"
            ),
        ));
    }
    let body = level_name(level);
    let (body_en, body_vi) = (body.en(), body.vi());
    let forbidden = || AppError::forbidden(tr!("{act} is done by {body_en}", "{act} do {body_vi} thực hiện"));
    if actor.is_admin() {
        return Err(AppError::forbidden(Text::fixed(
            "administrators manage the system; the acts of the admission process belong to Party bodies",
            "quản trị viên quản lý hệ thống; các bước của quy trình kết nạp thuộc thẩm quyền của tổ chức đảng",
        )));
    }
    match level {
        // These acts check their actor against records the act names (the course, the
        // destination branch).
        Level::CourseOrganiser => {}
        Level::CommonSuperior if actor.role == crate::domain::role::Role::Branch => return Err(forbidden()),
        Level::CommonSuperior => {}
        _ => match unit_for(level, &chain) {
            Some(unit) if actor.unit_id == Some(unit) => {}
            Some(_) => return Err(forbidden()),
            None => {
                return Err(AppError::rule(
                    "NO_SUCH_BODY",
                    tr!(
                        "{act} needs {body_en}, and the candidate's branch has none",
                        "{act} cần có {body_vi}, nhưng chi bộ của người xin vào Đảng không có"
                    ),
                ));
            }
        },
    }
    if let Some(expected) = expected_version
        && expected != before.version
    {
        return Err(stale(before.version, expected));
    }
    let next_stage = stage::apply(stage, act, shape)?;
    Ok(Acting {
        txn,
        actor,
        act,
        before,
        stage,
        next_stage,
        chain,
        span: tracing::Span::current(),
    })
}

fn stale(current: i32, expected: i32) -> AppError {
    AppError::Conflict(tr!(
        "the candidate has changed since you read it (version {current}, you sent {expected}); reload and try again",
        "hồ sơ người xin vào Đảng đã thay đổi từ lúc bạn đọc (phiên bản {current}, bạn gửi {expected}); hãy tải lại rồi thử lại"
    ))
}

impl Acting<'_> {
    pub fn branch_id(&self) -> i32 {
        self.before.branch_id
    }

    /// The candidate stays where it is (a vote short of its share, on record).
    pub fn stays(&mut self) {
        self.next_stage = self.stage;
    }

    /// The branch's votes on a probationer's standing failed the rulebook's number of times:
    /// the question goes to the competent committee (Quy định 29-QĐ/TW 2016 §4.2 c).
    pub fn refers_up(&mut self) {
        self.next_stage = Stage::RecognitionReferred;
    }

    /// Finish an act that changes no column of the candidate itself (it added a record).
    pub async fn record(self, record: serde_json::Value) -> AppResult<candidate::Model> {
        self.finish(candidate::ActiveModel::default(), record).await
    }

    /// Write `changes` (and the new stage), guarded by the version read at the start;
    /// recompute the next deadline; record the audit event with `record`; commit.
    #[tracing::instrument(name = "finish", parent = &self.span, skip_all)]
    pub async fn finish(
        self,
        mut changes: candidate::ActiveModel,
        record: serde_json::Value,
    ) -> AppResult<candidate::Model> {
        let id = self.before.id;
        changes.id = ActiveValue::NotSet;
        changes.stage = Set(self.next_stage);
        changes.version = Set(self.before.version + 1);
        changes.updated_at = Set(Utc::now());
        let written = candidate::Entity::update_many()
            .set(changes)
            .filter(candidate::Column::Id.eq(id))
            .filter(candidate::Column::Version.eq(self.before.version))
            .exec(&self.txn)
            .await?;
        if written.rows_affected == 0 {
            // Someone else's act on this candidate committed first.
            let current = candidate::Entity::find_by_id(id)
                .one(&self.txn)
                .await?
                .map_or(self.before.version, |c| c.version);
            return Err(stale(current, self.before.version));
        }
        let mut after = candidate::Entity::find_by_id(id)
            .one(&self.txn)
            .await?
            .ok_or(AppError::not_found(noun::CANDIDATE))?;
        let due = next_due(&self.txn, &after).await?;
        if due.map(|d| d.due_on) != after.next_due_on || due.map(|d| d.kind) != after.next_due_kind {
            clocks::store_due(&self.txn, id, due).await?;
            after.next_due_on = due.map(|d| d.due_on);
            after.next_due_kind = due.map(|d| d.kind);
        }
        let view = serde_json::json!({ "candidate": audit::snapshot(&after)?, "record": record });
        let event = Event::new(self.act.as_str(), ENTITY, id, Some(after.branch_id))
            .before(Some(audit::snapshot(&self.before)?))
            .after(&view)?;
        audit::commit(self.txn, self.actor, event).await?;
        tracing::info!(stage = %self.next_stage, version = after.version, "act recorded");
        Ok(after)
    }
}

/// Citizen IDs held by two or more candidates in scope, in order, after `after`: one
/// person listed in two places. A branch's own check sees only its own candidates, so
/// the units above both (down to the lowest common superior) find them here.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn duplicated_citizen_ids(
    db: &DatabaseConnection,
    scope: Scope,
    page: crate::access::Keyset<&str>,
) -> AppResult<Vec<String>> {
    let mut query = duplicated(scope);
    if let Some(cursor) = page.cursor {
        let citizen_id = Expr::col(candidate::Column::CitizenId);
        query.and_having(if page.backward {
            citizen_id.lt(cursor)
        } else {
            citizen_id.gt(cursor)
        });
    }
    let direction = if page.backward {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    query
        .order_by(candidate::Column::CitizenId, direction)
        .limit(page.limit + 1);
    let rows = db.query_all(&query).await?;
    rows.iter()
        .map(|row| Ok(row.try_get::<String>("", "citizen_id")?))
        .collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_duplicated_citizen_ids(db: &DatabaseConnection, scope: Scope) -> AppResult<u64> {
    let outer = sea_orm::sea_query::Query::select()
        .expr_as(Expr::cust("COUNT(*)"), sea_orm::sea_query::Alias::new("n"))
        .from_subquery(duplicated(scope), sea_orm::sea_query::Alias::new("d"))
        .to_owned();
    let row = db.query_one(&outer).await?;
    let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

fn duplicated(scope: Scope) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(candidate::Column::CitizenId)
        .from(candidate::Entity)
        .cond_where(
            Condition::all()
                .add(candidate::Column::CitizenId.is_not_null())
                .add(<candidate::Entity as crate::access::Scoped>::visible(scope)),
        )
        .group_by_col(candidate::Column::CitizenId)
        .and_having(Expr::cust("COUNT(*) > 1"))
        .to_owned()
}

/// The candidates in scope holding one of `citizen_ids`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn holding_citizen_ids(
    db: &DatabaseConnection,
    scope: Scope,
    citizen_ids: &[String],
) -> AppResult<Vec<candidate::Model>> {
    Ok(candidate::Entity::find()
        .filter(candidate::Column::CitizenId.is_in(citizen_ids.iter().cloned()))
        .filter(<candidate::Entity as crate::access::Scoped>::visible(scope))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?)
}
