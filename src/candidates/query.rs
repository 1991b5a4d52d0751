//! The candidates' queries: lists and deadlines filtered, ordered and paged as Relay
//! connections, the candidate by id, possible duplicates; a page's related records fetched
//! ahead in one batch.

use async_graphql::connection::{Connection, EmptyFields, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object};

use entity::candidate;

use super::graphql::{Candidate, Deadline};
use super::service::{self, CandidateCursor, CandidateFilter, CandidateOrder, DeadlineFilter, Page};
use crate::access::{UnitsAhead, UnitsRead};
use crate::domain;
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{CandidateStage, DeadlineKind, SourceOrganisation};
use crate::graphql::relay::{PageRequest, TotalCount, connection_complexity, expect_global_id};
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;

/// One citizen ID held by several candidates the account sees.
#[derive(async_graphql::SimpleObject)]
pub struct PossibleDuplicate {
    /// The citizen identity number (căn cước công dân) held more than once.
    citizen_id: String,
    /// The candidates holding it, oldest record first.
    candidates: Vec<Candidate>,
}

pub type PossibleDuplicateConnection = Connection<OpaqueCursor<String>, PossibleDuplicate, TotalCount, EmptyFields>;

pub type CandidateConnection = Connection<OpaqueCursor<CandidateCursor>, Candidate, TotalCount, EmptyFields>;

pub type DeadlineConnection = Connection<OpaqueCursor<CandidateCursor>, Deadline, TotalCount, EmptyFields>;

/// Filters of `candidates`. All given conditions hold.
#[derive(InputObject, Default)]
pub struct CandidateFilterInput {
    /// Any of these stages.
    stages: Option<Vec<CandidateStage>>,
    /// Candidates of this unit and the units under it.
    within_id: Option<ID>,
    /// Introduced by this organisation (or found by the branch, `BRANCH`).
    source_organisation: Option<SourceOrganisation>,
    /// Name contains this text, ignoring diacritics and case ("nguyen van an" finds "Nguyễn Văn An").
    /// At most 100 characters; `%` and `_` match only themselves.
    search: Option<String>,
    /// Put on the source list on or after this day.
    listed_from: Option<Date>,
    /// Put on the source list on or before this day.
    listed_to: Option<Date>,
    /// Ceremony (admission) on or after this day.
    admitted_from: Option<Date>,
    /// Ceremony (admission) on or before this day.
    admitted_to: Option<Date>,
    /// Only candidates on the path with no current mentor.
    #[graphql(default = false)]
    without_mentor: bool,
}

impl TryFrom<CandidateFilterInput> for CandidateFilter {
    type Error = AppError;
    fn try_from(i: CandidateFilterInput) -> Result<Self, AppError> {
        Ok(CandidateFilter {
            stages: i.stages.unwrap_or_default().into_iter().map(Into::into).collect(),
            within: i
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            source_organisation: i.source_organisation.map(Into::into),
            search: domain::text::parse_search(i.search).map_err(|m| AppError::validation("filter.search", m))?,
            listed_from: i.listed_from.map(|d| d.0),
            listed_to: i.listed_to.map(|d| d.0),
            admitted_from: i.admitted_from.map(|d| d.0),
            admitted_to: i.admitted_to.map(|d| d.0),
            without_mentor: i.without_mentor,
        })
    }
}

/// What `candidates` are ordered by; ties go by creation order.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CandidateOrderField {
    /// Creation order.
    #[default]
    Created,
    /// Name, ignoring diacritics.
    Name,
    /// Date put on the source list.
    ListedOn,
    /// Soonest deadline first; those without one last.
    NextDueOn,
}

/// Ascending or descending.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest, earliest or A first (the default).
    #[default]
    Asc,
    /// Largest, latest or Z first.
    Desc,
}

/// The order of `candidates`.
#[derive(InputObject, Default)]
pub struct CandidateOrderInput {
    /// What to order by (default `CREATED`).
    #[graphql(default)]
    field: CandidateOrderField,
    /// Which way (default `ASC`).
    #[graphql(default)]
    direction: OrderDirection,
}

/// Filters of `deadlines`.
#[derive(InputObject, Default)]
pub struct DeadlineFilterInput {
    /// Deadlines of candidates of this unit and the units under it.
    within_id: Option<ID>,
    /// Only deadlines of this step.
    kind: Option<DeadlineKind>,
    /// Only deadlines already passed.
    #[graphql(default = false)]
    overdue_only: bool,
    /// Only deadlines on or before this day.
    due_before: Option<Date>,
    /// The day "overdue" is judged on (default: today).
    as_of: Option<Date>,
}

/// Whether the selection under any of `prefixes` includes `path`.
pub(super) fn selects(ctx: &Context<'_>, prefixes: &[&[&str]], path: &[&str]) -> bool {
    prefixes.iter().any(|prefix| {
        let mut look = ctx.look_ahead();
        for name in prefix.iter().chain(path) {
            look = look.field(name);
        }
        look.exists()
    })
}

/// How much of each candidate's branch the selection under `prefixes` shows, for the
/// page's statement to read with the candidates.
pub(super) fn branches_ahead(ctx: &Context<'_>, prefixes: &[&[&str]]) -> UnitsAhead {
    if selects(ctx, prefixes, &["branch", "parent"]) {
        UnitsAhead::UnitAndParent
    } else if selects(ctx, prefixes, &["branch"]) {
        UnitsAhead::Unit
    } else {
        UnitsAhead::None
    }
}

/// The columns of each candidate's row that the selection under `prefixes` reads, or
/// `None` for the whole row ([`super::graphql::FIELD_COLUMNS`]).
pub(super) fn columns_ahead(ctx: &Context<'_>, prefixes: &[&[&str]]) -> Option<Vec<candidate::Column>> {
    let mut shown = Vec::new();
    for prefix in prefixes {
        let mut look = ctx.look_ahead();
        for name in *prefix {
            look = look.field(name);
        }
        for node in look.selection_fields() {
            shown.extend(node.selection_set());
        }
    }
    super::graphql::columns_read(shown)
}

/// Fetch ahead, for a whole page of candidates, every kind of record the selection asks
/// for: one query per kind, whatever the page size. The fields then find them in the
/// request's loader caches. `prefixes` lead from the list field to a candidate; `units` are
/// the branches (and their parents) the page's own statement read.
pub(super) async fn prime_page(
    ctx: &Context<'_>,
    prefixes: &[&[&str]],
    rows: &[candidate::Model],
    units_read: UnitsRead,
) -> AppResult<()> {
    use crate::graphql::context::prime;
    use std::collections::BTreeSet;
    if rows.is_empty() {
        return Ok(());
    }
    let loaders = ctx.loaders()?;
    loaders.feed_units(units_read).await;
    let has = |path: &[&str]| selects(ctx, prefixes, path);
    let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
    let mut units: BTreeSet<i32> = BTreeSet::new();
    let mut members: BTreeSet<i32> = BTreeSet::new();
    if has(&["residentialArea"]) {
        prime(&loaders.areas, rows.iter().filter_map(|c| c.residential_area_id)).await?;
    }
    if has(&["mentors"]) {
        let found = prime(&loaders.mentors, ids.iter().copied()).await?;
        if has(&["mentors", "member"]) {
            members.extend(found.values().flatten().map(|m| m.member_id));
        }
    }
    if has(&["introductions"]) {
        let found = prime(&loaders.introductions, ids.iter().copied()).await?;
        if has(&["introductions", "member"]) {
            members.extend(found.values().flatten().filter_map(|i| i.member_id));
        }
    }
    if has(&["courseEnrolments"]) {
        let found = prime(&loaders.enrolments, ids.iter().copied()).await?;
        if has(&["courseEnrolments", "course"]) {
            let courses = prime(&loaders.courses, found.values().flatten().map(|e| e.course_id)).await?;
            if has(&["courseEnrolments", "course", "organiser"]) {
                units.extend(courses.values().flatten().map(|c| c.organiser_unit_id));
            }
        }
    }
    if has(&["resolutions"]) {
        let found = prime(&loaders.resolutions, ids.iter().copied()).await?;
        if has(&["resolutions", "unit"]) {
            units.extend(found.values().flatten().map(|r| r.unit_id));
        }
    }
    if has(&["decisions"]) {
        let found = prime(&loaders.decisions, ids.iter().copied()).await?;
        if has(&["decisions", "unit"]) {
            units.extend(found.values().flatten().map(|d| d.unit_id));
        }
    }
    if has(&["documents"]) {
        prime(&loaders.documents, ids.iter().copied()).await?;
    }
    if has(&["relatives"]) {
        prime(&loaders.relatives, ids.iter().copied()).await?;
    }
    if has(&["member"]) {
        prime(&loaders.member_of_candidate, ids.iter().copied()).await?;
    }
    if has(&["timeline"]) {
        prime(&loaders.candidate_timeline, ids.iter().copied()).await?;
    }
    if !members.is_empty() {
        let found = prime(&loaders.members, members).await?;
        if has(&["mentors", "member", "branch"]) || has(&["introductions", "member", "branch"]) {
            units.extend(found.values().flatten().map(|m| m.branch_id));
        }
    }
    if !units.is_empty() {
        prime(&loaders.units, units).await?;
    }
    Ok(())
}

#[derive(Default)]
pub struct CandidatesQuery;

#[Object]
impl CandidatesQuery {
    /// Candidates of the branches the account may see.
    // Each argument is one of the API's; the resolver passes them on as they come.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to keep (omit for everything in scope).")] filter: Option<CandidateFilterInput>,
        #[graphql(desc = "The order of the list (default: as created).")] order_by: Option<CandidateOrderInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<CandidateConnection> {
        let page = PageRequest::<CandidateCursor>::parse(first, after, last, before)?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        let filter = CandidateFilter::try_from(filter.unwrap_or_default())?;
        let order_by = order_by.unwrap_or_default();
        let order = match order_by.field {
            CandidateOrderField::Created => CandidateOrder::Id,
            CandidateOrderField::Name => CandidateOrder::Name,
            CandidateOrderField::ListedOn => CandidateOrder::ListedOn,
            CandidateOrderField::NextDueOn => CandidateOrder::NextDueOn,
        };
        let descending = order_by.direction == OrderDirection::Desc;
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        const PREFIXES: &[&[&str]] = &[&["nodes"], &["edges", "node"]];
        let columns = columns_ahead(ctx, PREFIXES);
        let wanted = Page {
            after: page.cursor.as_ref(),
            first: page.limit,
            backward: page.backward,
            ahead: branches_ahead(ctx, PREFIXES),
            columns: columns.as_deref(),
        };
        let (rows, units) = service::list(&db, scope, &filter, order, descending, wanted).await?;
        prime_page(ctx, PREFIXES, &rows, units).await?;
        let total = TotalCount::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            async move { service::count(&db, scope, &filter).await }
        });
        Ok(page.finish(rows, |c| service::cursor_of(order, c), Candidate, total))
    }

    /// Citizen IDs held by two or more candidates the account sees (one person listed
    /// in two places), in citizen-ID order. A branch's own check on `addToSourceList`
    /// consults only the candidates it sees, so that the answer says nothing about other
    /// branches; a commune or district sees both records here.
    async fn possible_duplicates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<PossibleDuplicateConnection> {
        let page = PageRequest::<String>::parse(first, after, last, before)?;
        let actor = ctx.actor()?;
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        let ids = service::duplicated_citizen_ids(
            &db,
            scope,
            crate::access::Keyset {
                cursor: page.cursor.as_deref(),
                limit: page.limit,
                backward: page.backward,
            },
        )
        .await?;
        let holders = service::holding_citizen_ids(&db, scope, &ids).await?;
        let rows: Vec<PossibleDuplicate> = ids
            .into_iter()
            .map(|citizen_id| PossibleDuplicate {
                candidates: holders
                    .iter()
                    .filter(|c| c.citizen_id.as_deref() == Some(citizen_id.as_str()))
                    .cloned()
                    .map(Candidate)
                    .collect(),
                citizen_id,
            })
            .collect();
        let total = TotalCount::new(move || {
            let db = db.clone();
            async move { service::count_duplicated_citizen_ids(&db, scope).await }
        });
        Ok(page.finish(rows, |d| d.citizen_id.clone(), |d| d, total))
    }

    /// A candidate the account may see.
    async fn candidate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Candidate>> {
        let id = expect_global_id(&id, Candidate::TYPENAME, "id")?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        Ok(Some(Candidate(service::find(ctx.db()?, actor.scope(), id).await?)))
    }

    /// Steps with a deadline in the account's subtree, soonest first: overdue ones and
    /// those coming up.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to keep (omit for everything in scope).")] filter: Option<DeadlineFilterInput>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page; at most 200 characters.")] after: Option<
            String,
        >,
        #[graphql(desc = "Page size counted back from `before` (or from the end), 1 to 100; instead of `first`.")]
        last: Option<i32>,
        #[graphql(desc = "Cursor of the first item of the next page, to page backward; at most 200 characters.")]
        before: Option<String>,
    ) -> async_graphql::Result<DeadlineConnection> {
        let page = PageRequest::<CandidateCursor>::parse(first, after, last, before)?;
        let actor = ctx.actor()?;
        actor.require_staff()?;
        let input = filter.unwrap_or_default();
        let filter = DeadlineFilter {
            within: input
                .within_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "filter.withinId"))
                .transpose()?,
            kind: input.kind.map(Into::into),
            overdue_only: input.overdue_only,
            due_before: input.due_before.map(|d| d.0),
            as_of: input.as_of.map_or_else(crate::clock::today, |d| d.0),
        };
        let (db, scope) = (ctx.db()?.clone(), actor.scope());
        const PREFIXES: &[&[&str]] = &[&["nodes", "candidate"], &["edges", "node", "candidate"]];
        let wanted = Page {
            after: page.cursor.as_ref(),
            first: page.limit,
            backward: page.backward,
            ahead: branches_ahead(ctx, PREFIXES),
            // A deadline is read from its candidate's row (`Deadline::of`).
            columns: None,
        };
        let (rows, units) = service::deadlines(&db, scope, &filter, wanted).await?;
        prime_page(ctx, PREFIXES, &rows, units).await?;
        let total = TotalCount::new(move || {
            let (db, filter) = (db.clone(), filter.clone());
            async move { service::count_deadlines(&db, scope, &filter).await }
        });
        let mut deadlines = Vec::with_capacity(rows.len());
        for row in rows {
            let deadline = Deadline::of(&row)
                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("deadline row without a due date")))?;
            deadlines.push(Deadline {
                candidate: Some(row),
                ..deadline
            });
        }
        let key = |d: &Deadline| {
            d.candidate
                .as_ref()
                .map(|c| service::cursor_of(CandidateOrder::NextDueOn, c))
                .unwrap_or_default()
        };
        Ok(page.finish(deadlines, key, |d| d, total))
    }
}
