//! The report queries.

use crate::access::Actor;
use crate::domain::period::{Period, TargetBasis};
use crate::domain::progress::{Standing, by_share_of_target};
use crate::domain::succession::{Lineage, Succession, lineage};
use crate::error::{AppError, AppResult};
use crate::org::service as units;
use crate::replica::ReadFrom;
use crate::targets::service as targets;
use chrono::NaiveDate;
use entity::{member, org_unit, org_unit_closure as closure};
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryResult};
use std::collections::HashMap;

/// The unit and period a report is for, checked against the actor's scope.
#[derive(Debug, Clone)]
pub struct ReportFor {
    pub unit: org_unit::Model,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The units merged or split into this one, whose earlier records it takes in.
    pub lineage: Vec<Lineage>,
    /// Every merger and split on record, for the lineage of the units a report lists.
    pub successions: Vec<Succession>,
    /// Whose targets the figures are measured against.
    pub target_basis: TargetBasis,
    /// Where the figures are read (see [`crate::replica`]).
    pub source: ReadFrom,
}

/// Reports are open to staff and reporting accounts, for units in their scope.
#[tracing::instrument(name = "report", skip_all, fields(unit = unit_id, period = ?period))]
pub async fn report_for(db: &DatabaseConnection, actor: &Actor, unit_id: i32, period: Period) -> AppResult<ReportFor> {
    let successions = crate::org::succession::successions(db).await?;
    report_with(db, actor, unit_id, period, successions).await
}

/// [`report_for`] with the successions already read (once per request).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn report_with(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_id: i32,
    period: Period,
    successions: Vec<Succession>,
) -> AppResult<ReportFor> {
    let period = period.checked()?;
    let (from, to) = period.bounds()?;
    let unit = units::find(db, actor.scope(), unit_id).await?;
    Ok(ReportFor {
        lineage: lineage(unit.id, &successions),
        unit,
        period,
        from,
        to,
        successions,
        target_basis: TargetBasis::Assigned,
        source: ReadFrom::Primary,
    })
}

/// The records credited to `unit` (the closure alias `c` joined on the record's unit and
/// day): those under it on the record's day and, before a merger or split, those under a
/// predecessor — all of them after a merger, after a split only those of the units that
/// came to `unit`. A predecessor's own reports are unchanged.
pub(super) fn credited(
    unit: i32,
    lineage: &[Lineage],
    record_unit: (Alias, Alias),
    record_date: (Alias, Alias),
) -> Condition {
    let ancestor = || Expr::col((Alias::new("c"), closure::Column::AncestorId));
    let mut any = Condition::any().add(ancestor().eq(unit));
    for l in lineage {
        let mut before = Condition::all()
            .add(ancestor().eq(l.unit))
            .add(Expr::col(record_date.clone()).lt(l.until));
        if !l.whole {
            before = before
                .add(Expr::col(record_unit.clone()).in_subquery(crate::access::subtree_ids_on(unit, l.arrived_on)));
        }
        any = any.add(before);
    }
    any
}

pub(super) fn count_of(row: &QueryResult, column: &str) -> AppResult<i64> {
    row.try_get::<i64>("", column)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading {column}: {e}")))
}

/// The count `n` of a one-row aggregate (0 when there is no row).
pub(super) fn single_count(rows: Vec<QueryResult>) -> AppResult<i64> {
    rows.first()
        .map(|r| count_of(r, "n"))
        .transpose()
        .map(|n| n.unwrap_or(0))
}

/// The closure rows that held on `date_column`'s day for the record's unit.
pub(super) fn held_on(unit_column: (Alias, Alias), date_column: (Alias, Alias)) -> Condition {
    let c = Alias::new("c");
    Condition::all()
        .add(Expr::col((c.clone(), closure::Column::DescendantId)).equals(unit_column))
        .add(crate::access::held_on(c, Expr::col(date_column)))
}

/// Confine `query` to the records credited to `unit` (with its lineage): the record's unit
/// (`record_unit`) joined to the closure, aliased `c`, as the tree stood on `record_date`.
pub(super) fn credited_to<'q>(
    query: &'q mut SelectStatement,
    unit: i32,
    lineage: &[Lineage],
    record_unit: (Alias, Alias),
    record_date: (Alias, Alias),
) -> &'q mut SelectStatement {
    query
        .join_as(
            JoinType::InnerJoin,
            closure::Entity,
            Alias::new("c"),
            held_on(record_unit.clone(), record_date.clone()),
        )
        .cond_where(credited(unit, lineage, record_unit, record_date))
}

pub(super) fn m(col: &str) -> (Alias, Alias) {
    (Alias::new("m"), Alias::new(col))
}

/// Members who joined (had their ceremony) between `from` and `to`, each with the unit of
/// `ancestors` that the admitting branch then belonged to (column `unit_id`). An admission
/// stays with the branch that admitted, however the member moves later.
pub(super) fn admitted(ancestors: &[i32], from: NaiveDate, to: NaiveDate) -> SelectStatement {
    let c = Alias::new("c");
    Query::select()
        .expr_as(
            Expr::col((c.clone(), closure::Column::AncestorId)),
            Alias::new("unit_id"),
        )
        .from_as(member::Entity, Alias::new("m"))
        .join_as(
            JoinType::InnerJoin,
            closure::Entity,
            c.clone(),
            held_on(m("admitted_in_id"), m("joined_on")),
        )
        .and_where(Expr::col((c, closure::Column::AncestorId)).is_in(ancestors.iter().copied()))
        .and_where(Expr::col(m("joined_on")).between(from, to))
        .to_owned()
}

/// Members who joined between `from` and `to`, credited to `unit` with its lineage.
pub(super) fn admitted_to(unit: i32, lineage: &[Lineage], from: NaiveDate, to: NaiveDate) -> SelectStatement {
    credited_to(
        Query::select().from_as(member::Entity, Alias::new("m")),
        unit,
        lineage,
        m("admitted_in_id"),
        m("joined_on"),
    )
    .and_where(Expr::col(m("joined_on")).between(from, to))
    .to_owned()
}

/// Admissions credited to `unit` (with its lineage) between `from` and `to`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn admitted_in(
    db: &impl ConnectionTrait,
    unit: i32,
    lineage: &[Lineage],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<i64> {
    // `COUNT(*)`, not of a column: every row the join keeps is an admission, and a count of
    // rows is answered from `(admitted_in_id, joined_on)` alone (an index-only scan: 15
    // against 32 ms for a province's term), where counting `m.id` reads the table.
    let stmt = admitted_to(unit, lineage, from, to)
        .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
        .to_owned();
    single_count(db.query_all(&stmt).await?)
}

/// Admissions per unit of `ancestors` between `from` and `to`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn admitted_by_unit(
    db: &impl ConnectionTrait,
    ancestors: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i32, i64>> {
    if ancestors.is_empty() {
        return Ok(HashMap::new());
    }
    // `COUNT(*)` for the index-only scan, as in `admitted_in`.
    let stmt = admitted(ancestors, from, to)
        .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
        .group_by_col((Alias::new("c"), closure::Column::AncestorId))
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    rows.iter()
        .map(|row| {
            let unit = row
                .try_get::<i32>("", "unit_id")
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading unit_id: {e}")))?;
            Ok((unit, count_of(row, "n")?))
        })
        .collect()
}

/// The units directly under `unit` on `on` (as the tree then stood).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn children_on(db: &impl ConnectionTrait, unit: i32, on: NaiveDate) -> AppResult<Vec<org_unit::Model>> {
    let c = Alias::new("c");
    let ids = Query::select()
        .column((c.clone(), closure::Column::DescendantId))
        .from_as(closure::Entity, c.clone())
        .and_where(Expr::col((c.clone(), closure::Column::AncestorId)).eq(unit))
        .and_where(Expr::col((c.clone(), closure::Column::Depth)).eq(1))
        .cond_where(crate::access::held_on(c, Expr::val(on)))
        .to_owned();
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Id.in_subquery(ids))
        .order_by_asc(org_unit::Column::Code)
        .all(db)
        .await?)
}

/// One unit's admissions against its target.
#[derive(Debug, Clone)]
pub struct UnitProgress {
    pub unit: org_unit::Model,
    pub admitted: i64,
    pub target: Option<i64>,
    /// The share of the target a steady pace would have reached by the end of the period.
    pub expected_by_now: Option<i64>,
}

impl UnitProgress {
    fn standing(&self) -> Standing<'_> {
        Standing {
            admitted: self.admitted,
            target: self.target,
            name: &self.unit.name,
        }
    }

    pub fn behind_target(&self) -> bool {
        self.expected_by_now.is_some_and(|expected| self.admitted < expected)
    }
}

#[derive(Debug, Clone)]
pub struct AdmissionProgress {
    pub own: UnitProgress,
    pub children_target_sum: Option<i64>,
    pub same_period_last_year: i64,
    /// Children ranked: highest share of target first; those without a target last.
    pub children: Vec<UnitProgress>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn admission_progress(db: &DatabaseConnection, report: &ReportFor) -> AppResult<AdmissionProgress> {
    let unit = report.unit.id;
    let children = children_on(db, unit, report.to).await?;
    let mut ids: Vec<i32> = children.iter().map(|c| c.id).collect();
    ids.push(unit);
    // The children and the unit counted in one pass over the period's admissions (a unit
    // with predecessors apart, below), while the same period a year earlier is counted
    // beside it on another connection of the report pool.
    let (last_from, last_to) = report.period.year_earlier()?;
    let (mut admitted, same_period_last_year) = tokio::try_join!(
        admitted_by_unit(db, &ids, report.from, report.to),
        admitted_in(db, unit, &report.lineage, last_from, last_to),
    )?;
    // A merged child, and the unit itself, take in their predecessors' records.
    for child in &children {
        let lineage = lineage(child.id, &report.successions);
        if !lineage.is_empty() {
            admitted.insert(
                child.id,
                admitted_in(db, child.id, &lineage, report.from, report.to).await?,
            );
        }
    }
    if !report.lineage.is_empty() {
        admitted.insert(
            unit,
            admitted_in(db, unit, &report.lineage, report.from, report.to).await?,
        );
    }
    let key = report.period.target_key()?;
    let goals = match key {
        Some(key) => targets::for_units(db, &ids, key, report.target_basis).await?,
        None => HashMap::new(),
    };
    let progress = |u: org_unit::Model| -> AppResult<UnitProgress> {
        let target = goals.get(&u.id).map(|t| i64::from(*t));
        let expected_by_now = target
            .map(|t| crate::domain::progress::pro_rata(t, report.period, report.to))
            .transpose()?;
        Ok(UnitProgress {
            admitted: admitted.get(&u.id).copied().unwrap_or(0),
            target,
            expected_by_now,
            unit: u,
        })
    };
    let children_targets: Vec<i64> = children
        .iter()
        .filter_map(|c| goals.get(&c.id).map(|t| i64::from(*t)))
        .collect();
    let mut children: Vec<UnitProgress> = children.into_iter().map(progress).collect::<AppResult<_>>()?;
    children.sort_by(|a, b| by_share_of_target(a.standing(), b.standing()));
    Ok(AdmissionProgress {
        own: progress(report.unit.clone())?,
        children_target_sum: (!children_targets.is_empty()).then(|| children_targets.iter().sum()),
        same_period_last_year,
        children,
    })
}
