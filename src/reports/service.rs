//! The report queries.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryResult};

use entity::{
    candidate, course, course_enrolment, member, org_unit, org_unit_closure as closure, residential_area,
    residential_area_status as area_status,
};

use crate::access::{Actor, subtree_ids};
use crate::domain::disclosure;
use crate::domain::dossier::{CourseKind, FormCode, ResolutionKind};
use crate::domain::period::{Period, TargetBasis};
use crate::domain::stage::Stage;
use crate::domain::succession::{Lineage, Succession, lineage};
use crate::error::{AppError, AppResult};
use crate::org::{service as units, tree};
use crate::rules::store as rules;
use crate::targets::service as targets;

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
}

/// Reports are open to staff and reporting accounts, for units in their scope.
#[tracing::instrument(name = "report", skip_all, fields(unit = unit_id, period = ?period))]
pub async fn report_for(db: &DatabaseConnection, actor: &Actor, unit_id: i32, period: Period) -> AppResult<ReportFor> {
    let successions = units::successions(db).await?;
    report_with(db, actor, unit_id, period, successions).await
}

/// [`report_for`] with the successions already read (once per request).
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
    })
}

/// The records credited to `unit` (the closure alias `c` joined on the record's unit and
/// day): those under it on the record's day and, before a merger or split, those under a
/// predecessor — all of them after a merger, after a split only those of the units that
/// came to `unit`. A predecessor's own reports are unchanged.
fn credited(unit: i32, lineage: &[Lineage], record_unit: (Alias, Alias), record_date: (Alias, Alias)) -> Condition {
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

fn count_of(row: &QueryResult, column: &str) -> AppResult<i64> {
    row.try_get::<i64>("", column)
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading {column}: {e}")))
}

/// The count `n` of a one-row aggregate (0 when there is no row).
fn single_count(rows: Vec<QueryResult>) -> AppResult<i64> {
    rows.first()
        .map(|r| count_of(r, "n"))
        .transpose()
        .map(|n| n.unwrap_or(0))
}

/// The closure rows that held on `date_column`'s day for the record's unit.
fn held_on(unit_column: (Alias, Alias), date_column: (Alias, Alias)) -> Condition {
    let c = Alias::new("c");
    Condition::all()
        .add(Expr::col((c.clone(), closure::Column::DescendantId)).equals(unit_column))
        .add(crate::access::held_on(c, Expr::col(date_column)))
}

fn m(col: &str) -> (Alias, Alias) {
    (Alias::new("m"), Alias::new(col))
}

/// Members who joined (had their ceremony) between `from` and `to`, each with the unit of
/// `ancestors` that the admitting branch then belonged to (column `unit_id`). An admission
/// stays with the branch that admitted, however the member moves later.
fn admitted(ancestors: &[i32], from: NaiveDate, to: NaiveDate) -> SelectStatement {
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
fn admitted_to(unit: i32, lineage: &[Lineage], from: NaiveDate, to: NaiveDate) -> SelectStatement {
    let c = Alias::new("c");
    Query::select()
        .from_as(member::Entity, Alias::new("m"))
        .join_as(
            JoinType::InnerJoin,
            closure::Entity,
            c,
            held_on(m("admitted_in_id"), m("joined_on")),
        )
        .cond_where(credited(unit, lineage, m("admitted_in_id"), m("joined_on")))
        .and_where(Expr::col(m("joined_on")).between(from, to))
        .to_owned()
}

/// Admissions credited to `unit` (with its lineage) between `from` and `to`.
pub async fn admitted_in(
    db: &impl ConnectionTrait,
    unit: i32,
    lineage: &[Lineage],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<i64> {
    let stmt = admitted_to(unit, lineage, from, to)
        .expr_as(Func::count(Expr::col(m("id"))), Alias::new("n"))
        .to_owned();
    single_count(db.query_all(&stmt).await?)
}

/// Admissions per unit of `ancestors` between `from` and `to`.
pub async fn admitted_by_unit(
    db: &impl ConnectionTrait,
    ancestors: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<i32, i64>> {
    if ancestors.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = admitted(ancestors, from, to)
        .expr_as(Func::count(Expr::col(m("id"))), Alias::new("n"))
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

/// The part of a yearly or term target a steady pace reaches by `to`.
fn pro_rata(target: i64, report: &ReportFor) -> AppResult<i64> {
    let full = match report.period {
        Period::YearToDate(_) | Period::Range { .. } => Period::Year(chrono::Datelike::year(&report.to)),
        Period::TermToDate {
            start_year, end_year, ..
        } => Period::Term { start_year, end_year },
        whole => whole,
    };
    let (start, end) = full.bounds()?;
    let total = (end - start).num_days() + 1;
    let elapsed = ((std::cmp::min(report.to, end) - start).num_days() + 1).clamp(0, total);
    Ok(target * elapsed / total)
}

pub async fn admission_progress(db: &DatabaseConnection, report: &ReportFor) -> AppResult<AdmissionProgress> {
    let unit = report.unit.id;
    let children = children_on(db, unit, report.to).await?;
    let mut ids: Vec<i32> = children.iter().map(|c| c.id).collect();
    let mut admitted = admitted_by_unit(db, &ids, report.from, report.to).await?;
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
    admitted.insert(
        unit,
        admitted_in(db, unit, &report.lineage, report.from, report.to).await?,
    );
    ids.push(unit);
    let (last_from, last_to) = report.period.year_earlier()?;
    let same_period_last_year = admitted_in(db, unit, &report.lineage, last_from, last_to).await?;
    let key = report.period.target_key()?;
    let goals = match key {
        Some(key) => targets::for_units(db, &ids, key, report.target_basis).await?,
        None => HashMap::new(),
    };
    let progress = |u: org_unit::Model| -> AppResult<UnitProgress> {
        let target = goals.get(&u.id).map(|t| i64::from(*t));
        let expected_by_now = target.map(|t| pro_rata(t, report)).transpose()?;
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
    // Rank by share of target (exact, by cross-multiplying), then by admissions, then name.
    children.sort_by(|a, b| {
        let share = |p: &UnitProgress| p.target.filter(|t| *t > 0).map(|t| (p.admitted, t));
        match (share(a), share(b)) {
            (Some((an, ad)), Some((bn, bd))) => (bn * ad).cmp(&(an * bd)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(b.admitted.cmp(&a.admitted))
        .then(a.unit.name.cmp(&b.unit.name))
    });
    Ok(AdmissionProgress {
        own: progress(report.unit.clone())?,
        children_target_sum: (!children_targets.is_empty()).then(|| children_targets.iter().sum()),
        same_period_last_year,
        children,
    })
}

/// The dimensions new members are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    AgeBand,
    Gender,
    Ethnicity,
    Religion,
    GeneralEducation,
    ProfessionalLevel,
    SourceOrganisation,
    ReturnedSoldier,
}

impl Dimension {
    pub const ALL: [Dimension; 8] = [
        Dimension::AgeBand,
        Dimension::Gender,
        Dimension::Ethnicity,
        Dimension::Religion,
        Dimension::GeneralEducation,
        Dimension::ProfessionalLevel,
        Dimension::SourceOrganisation,
        Dimension::ReturnedSoldier,
    ];

    fn column(self) -> &'static str {
        match self {
            Dimension::AgeBand => "age_at_joining",
            Dimension::Gender => "gender",
            Dimension::Ethnicity => "ethnicity",
            Dimension::Religion => "religion",
            Dimension::GeneralEducation => "general_education",
            Dimension::ProfessionalLevel => "professional_level",
            Dimension::SourceOrganisation => "source_organisation",
            Dimension::ReturnedSoldier => "returned_soldier",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::AgeBand => "AGE_BAND",
            Dimension::Gender => "GENDER",
            Dimension::Ethnicity => "ETHNICITY",
            Dimension::Religion => "RELIGION",
            Dimension::GeneralEducation => "GENERAL_EDUCATION",
            Dimension::ProfessionalLevel => "PROFESSIONAL_LEVEL",
            Dimension::SourceOrganisation => "SOURCE_ORGANISATION",
            Dimension::ReturnedSoldier => "RETURNED_SOLDIER",
        }
    }
}

/// The age bands of reports: the oldest age (in whole years on the joining day) each holds,
/// youngest first; older than the last is `OVER_60`.
const AGE_BANDS: [(i64, &str); 5] = [
    (17, "UNDER_18"),
    (30, "18_30"),
    (40, "31_40"),
    (50, "41_50"),
    (60, "51_60"),
];

/// The age band of an age at joining.
pub fn age_band(age: Option<i64>) -> &'static str {
    match age {
        None => "UNKNOWN",
        Some(a) => AGE_BANDS
            .iter()
            .find(|(oldest, _)| a <= *oldest)
            .map_or("OVER_60", |(_, band)| band),
    }
}

impl Dimension {
    /// Every key this dimension can hold, `UNKNOWN` last.
    pub fn keys(self) -> Vec<&'static str> {
        use crate::domain::ethnicity::Ethnicity;
        use crate::domain::person::{Gender, GeneralEducation, ProfessionalLevel, Religion, SourceOrganisation};
        let mut keys: Vec<&'static str> = match self {
            Dimension::AgeBand => {
                let mut bands: Vec<&str> = AGE_BANDS.iter().map(|(_, b)| *b).collect();
                bands.push(age_band(Some(i64::MAX)));
                bands
            }
            Dimension::Gender => Gender::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::Ethnicity => Ethnicity::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::Religion => Religion::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::GeneralEducation => GeneralEducation::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::ProfessionalLevel => ProfessionalLevel::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::SourceOrganisation => SourceOrganisation::ALL.iter().map(|v| v.as_str()).collect(),
            Dimension::ReturnedSoldier => vec!["YES", "NO"],
        };
        keys.push("UNKNOWN");
        keys
    }

    /// The SQL expression of this dimension's key over the admissions CTE: a text, never NULL.
    fn key_sql(self) -> String {
        let column = self.column();
        match self {
            Dimension::AgeBand => {
                let mut sql = format!("CASE WHEN {column} IS NULL THEN '{}'", age_band(None));
                for (oldest, band) in AGE_BANDS {
                    sql.push_str(&format!(" WHEN {column} <= {oldest} THEN '{band}'"));
                }
                sql + &format!(" ELSE '{}' END", age_band(Some(i64::MAX)))
            }
            Dimension::ReturnedSoldier => {
                format!("CASE WHEN {column} IS NULL THEN 'UNKNOWN' WHEN {column} THEN 'YES' ELSE 'NO' END")
            }
            _ => format!("COALESCE({column}, 'UNKNOWN')"),
        }
    }
}

/// New members of a period counted by each dimension: `key → count`, with the total.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    pub total: i64,
    pub by: BTreeMap<Dimension, BTreeMap<String, i64>>,
}

impl Breakdown {
    pub fn count(&self, dimension: Dimension, keys: &[&str]) -> i64 {
        self.by
            .get(&dimension)
            .map_or(0, |counts| keys.iter().filter_map(|k| counts.get(*k)).sum())
    }
}

/// A breakdown as the acting account may see it: for a reporting account, every key of
/// each dimension is listed and the cells and sums that could identify a person are
/// withheld (`crate::domain::disclosure`); for staff, nothing is, and only the keys that
/// occur are listed.
pub struct Disclosed {
    pub breakdown: Breakdown,
    /// The minimum cell size applied; `None` for staff.
    pub min_cell_size: Option<i64>,
    withheld: BTreeMap<Dimension, std::collections::BTreeSet<String>>,
}

impl Disclosed {
    pub fn new(mut breakdown: Breakdown, min_cell_size: Option<i64>) -> Self {
        let mut withheld = BTreeMap::new();
        if let Some(min) = min_cell_size {
            for dimension in Dimension::ALL {
                let counts = breakdown.by.entry(dimension).or_default();
                for key in dimension.keys() {
                    counts.entry(key.to_string()).or_insert(0);
                }
                let (keys, values): (Vec<&String>, Vec<i64>) = counts.iter().map(|(k, v)| (k, *v)).unzip();
                let cells = disclosure::withheld_cells(&values, breakdown.total, min);
                withheld.insert(dimension, cells.into_iter().map(|i| keys[i].clone()).collect());
            }
        }
        Disclosed {
            breakdown,
            min_cell_size,
            withheld,
        }
    }

    /// The keys listed for a dimension.
    pub fn keys(&self, dimension: Dimension) -> Vec<&String> {
        self.breakdown
            .by
            .get(&dimension)
            .map(|m| m.keys().collect())
            .unwrap_or_default()
    }

    /// The total, unless it is itself too small to show.
    pub fn total(&self) -> Option<i64> {
        let t = self.breakdown.total;
        match self.min_cell_size {
            Some(min) if t > 0 && t < min => None,
            _ => Some(t),
        }
    }

    /// One cell, unless withheld.
    pub fn cell(&self, dimension: Dimension, key: &str) -> Option<i64> {
        let withheld = self.withheld.get(&dimension).is_some_and(|w| w.contains(key));
        (!withheld).then(|| self.breakdown.count(dimension, &[key]))
    }

    /// The sum of some cells, unless it would identify someone.
    pub fn part(&self, dimension: Dimension, keys: &[&str]) -> Option<i64> {
        let sum = self.breakdown.count(dimension, keys);
        let Some(min) = self.min_cell_size else {
            return Some(sum);
        };
        let all: Vec<(&String, i64)> = self
            .breakdown
            .by
            .get(&dimension)
            .map(|c| c.iter().map(|(k, v)| (k, *v)).collect())
            .unwrap_or_default();
        let values: Vec<i64> = all.iter().map(|(_, v)| *v).collect();
        let index = |k: &str| all.iter().position(|(key, _)| key.as_str() == k);
        let part: Vec<usize> = keys.iter().filter_map(|k| index(k)).collect();
        let withheld: std::collections::BTreeSet<usize> = self
            .withheld
            .get(&dimension)
            .map(|w| w.iter().filter_map(|k| index(k)).collect())
            .unwrap_or_default();
        let hidden = disclosure::part_withheld(&values, &withheld, &part, self.breakdown.total, min);
        (!hidden).then_some(sum)
    }

    /// Whether anything was withheld.
    pub fn suppressed(&self) -> bool {
        self.total().is_none() || self.withheld.values().any(|w| !w.is_empty())
    }
}

/// The minimum cell size for `actor`: a reporting account's own, or `default`; `None`
/// for staff, who see every count.
pub async fn min_cell_size(db: &impl ConnectionTrait, actor: &Actor, default: u32) -> AppResult<Option<i64>> {
    if actor.role != crate::domain::role::Role::Reporter {
        return Ok(None);
    }
    let own = entity::app_user::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .and_then(|u| u.min_cell_size);
    let size = own.map_or(i64::from(default), i64::from);
    Ok(Some(Ord::max(size, 1)))
}

/// One statement for every dimension: the period's admissions are selected once (a
/// materialised CTE), then counted per dimension and key, the counts stacked by UNION ALL.
fn breakdown_statement(report: &ReportFor) -> sea_orm::sea_query::WithQuery {
    use sea_orm::sea_query::{Asterisk, CommonTableExpression, UnionType, WithClause};
    let admissions = Alias::new("admissions");
    let mut rows = admitted_to(report.unit.id, &report.lineage, report.from, report.to);
    for dimension in Dimension::ALL {
        rows.expr_as(Expr::col(m(dimension.column())), Alias::new(dimension.column()));
    }
    let count = |dimension: Dimension| {
        let key = Expr::cust(dimension.key_sql());
        Query::select()
            .expr_as(Expr::cust(format!("'{}'", dimension.as_str())), Alias::new("d"))
            .expr_as(key.clone(), Alias::new("k"))
            .expr_as(Func::count(Expr::col(Asterisk)), Alias::new("n"))
            .from(admissions.clone())
            .add_group_by([key])
            .to_owned()
    };
    let [first, rest @ ..] = Dimension::ALL;
    let mut select = count(first);
    select.unions(rest.iter().map(|d| (UnionType::All, count(*d))));
    let cte = CommonTableExpression::new()
        .query(rows)
        .table_name(admissions)
        .materialized(true)
        .to_owned();
    WithClause::new().cte(cte).to_owned().query(select)
}

pub async fn new_member_breakdown(db: &DatabaseConnection, report: &ReportFor) -> AppResult<Breakdown> {
    let stmt = breakdown_statement(report);
    let mut by: BTreeMap<Dimension, BTreeMap<String, i64>> = Dimension::ALL
        .into_iter()
        .map(|dimension| (dimension, BTreeMap::new()))
        .collect();
    for row in db.query_all(&stmt).await? {
        let read = |column: &str| {
            row.try_get::<String>("", column)
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading {column}: {e}")))
        };
        let name = read("d")?;
        let dimension = Dimension::ALL
            .into_iter()
            .find(|d| d.as_str() == name)
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("unknown dimension {name}")))?;
        by.entry(dimension)
            .or_default()
            .insert(read("k")?, count_of(&row, "n")?);
    }
    // Every admission has exactly one key in each dimension.
    let total = by.get(&Dimension::Gender).map_or(0, |counts| counts.values().sum());
    Ok(Breakdown { total, by })
}

/// Awareness-course graduates against admissions.
#[derive(Debug, Clone, Copy)]
pub struct Funnel {
    /// Candidates who earned the awareness certificate in the period.
    pub trained: i64,
    /// Members admitted (ceremony) in the period.
    pub admitted: i64,
    /// Of those trained in the period, how many have been admitted since.
    pub trained_then_admitted: i64,
}

fn certified(kind: CourseKind, report: &ReportFor) -> SelectStatement {
    let (e, cand, co, c) = (Alias::new("e"), Alias::new("cand"), Alias::new("co"), Alias::new("c"));
    Query::select()
        .from_as(course_enrolment::Entity, e.clone())
        .join_as(
            JoinType::InnerJoin,
            course::Entity,
            co.clone(),
            Expr::col((co.clone(), course::Column::Id)).equals((e.clone(), course_enrolment::Column::CourseId)),
        )
        .join_as(
            JoinType::InnerJoin,
            candidate::Entity,
            cand.clone(),
            Expr::col((cand.clone(), candidate::Column::Id)).equals((e.clone(), course_enrolment::Column::CandidateId)),
        )
        .join_as(
            JoinType::InnerJoin,
            closure::Entity,
            c.clone(),
            // Credited to the branch that sent the candidate, wherever the candidate is now.
            held_on(
                (e.clone(), Alias::new("branch_id")),
                (e.clone(), Alias::new("certificate_date")),
            ),
        )
        .cond_where(credited(
            report.unit.id,
            &report.lineage,
            (e.clone(), Alias::new("branch_id")),
            (e.clone(), Alias::new("certificate_date")),
        ))
        .and_where(Expr::col((co, course::Column::Kind)).eq(kind.as_str()))
        .and_where(Expr::col((e, course_enrolment::Column::CertificateDate)).between(report.from, report.to))
        .to_owned()
}

pub async fn admission_funnel(db: &DatabaseConnection, report: &ReportFor) -> AppResult<Funnel> {
    let unit = report.unit.id;
    let (e, cand) = (Alias::new("e"), Alias::new("cand"));
    let trained_stmt = certified(CourseKind::Awareness, report)
        .expr_as(
            Func::count_distinct(Expr::col((e.clone(), course_enrolment::Column::CandidateId))),
            Alias::new("n"),
        )
        .to_owned();
    let admitted_stmt = certified(CourseKind::Awareness, report)
        .expr_as(
            Func::count_distinct(Expr::col((e, course_enrolment::Column::CandidateId))),
            Alias::new("n"),
        )
        .and_where(Expr::col((cand, candidate::Column::CeremonyOn)).is_not_null())
        .to_owned();
    Ok(Funnel {
        trained: single_count(db.query_all(&trained_stmt).await?)?,
        admitted: admitted_in(db, unit, &report.lineage, report.from, report.to).await?,
        trained_then_admitted: single_count(db.query_all(&admitted_stmt).await?)?,
    })
}

/// Courses held and people trained, for one kind of course.
#[derive(Debug, Clone, Copy)]
pub struct Training {
    pub kind: CourseKind,
    /// Courses organised by units in the subtree that started in the period.
    pub courses: i64,
    /// Certificates those units' courses issued in the period.
    pub trained: i64,
}

pub async fn training_summary(db: &DatabaseConnection, report: &ReportFor) -> AppResult<Vec<Training>> {
    let unit = report.unit.id;
    let mut out = Vec::new();
    for kind in [CourseKind::Awareness, CourseKind::NewMember] {
        let (co, c, e) = (Alias::new("co"), Alias::new("c"), Alias::new("e"));
        let courses = Query::select()
            .expr_as(
                Func::count(Expr::col((co.clone(), course::Column::Id))),
                Alias::new("n"),
            )
            .from_as(course::Entity, co.clone())
            .join_as(
                JoinType::InnerJoin,
                closure::Entity,
                c.clone(),
                held_on(
                    (co.clone(), Alias::new("organiser_unit_id")),
                    (co.clone(), Alias::new("starts_on")),
                ),
            )
            .cond_where(credited(
                unit,
                &report.lineage,
                (co.clone(), Alias::new("organiser_unit_id")),
                (co.clone(), Alias::new("starts_on")),
            ))
            .and_where(Expr::col((co.clone(), course::Column::Kind)).eq(kind.as_str()))
            .and_where(Expr::col((co.clone(), course::Column::StartsOn)).between(report.from, report.to))
            .to_owned();
        let trained = Query::select()
            .expr_as(
                Func::count(Expr::col((e.clone(), course_enrolment::Column::Id))),
                Alias::new("n"),
            )
            .from_as(course_enrolment::Entity, e.clone())
            .join_as(
                JoinType::InnerJoin,
                course::Entity,
                co.clone(),
                Expr::col((co.clone(), course::Column::Id)).equals((e.clone(), course_enrolment::Column::CourseId)),
            )
            .join_as(
                JoinType::InnerJoin,
                closure::Entity,
                c.clone(),
                held_on(
                    (co.clone(), Alias::new("organiser_unit_id")),
                    (co.clone(), Alias::new("starts_on")),
                ),
            )
            .cond_where(credited(
                unit,
                &report.lineage,
                (co.clone(), Alias::new("organiser_unit_id")),
                (co.clone(), Alias::new("starts_on")),
            ))
            .and_where(Expr::col((co, course::Column::Kind)).eq(kind.as_str()))
            .and_where(Expr::col((e, course_enrolment::Column::CertificateDate)).between(report.from, report.to))
            .to_owned();
        out.push(Training {
            kind,
            courses: single_count(db.query_all(&courses).await?)?,
            trained: single_count(db.query_all(&trained).await?)?,
        });
    }
    Ok(out)
}

/// The state of the pipeline on a day, for a unit's current subtree.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    pub by_stage: BTreeMap<String, i64>,
    pub overdue: i64,
    pub due_within: i64,
    pub without_mentor: i64,
    pub certificates_expiring: i64,
    pub dossiers_going_stale: i64,
    /// Candidates still on the source list whose branch vote fell short.
    pub failed_branch_votes: i64,
}

/// `within_days` sets the horizon for deadlines coming up, certificates about to expire and
/// papers about to go stale.
pub async fn pipeline_summary(
    db: &DatabaseConnection,
    unit: i32,
    as_of: NaiveDate,
    within_days: u32,
) -> AppResult<Pipeline> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, QuerySelect};
    let horizon = as_of + chrono::Duration::days(i64::from(within_days));
    let in_subtree = candidate::Column::BranchId.in_subquery(subtree_ids(unit));
    let mut pipeline = Pipeline::default();
    let stages: Vec<(String, i64)> = candidate::Entity::find()
        .select_only()
        .column(candidate::Column::Stage)
        .column_as(candidate::Column::Id.count(), "n")
        .filter(in_subtree.clone())
        .group_by(candidate::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    pipeline.by_stage = stages.into_iter().collect();
    pipeline.overdue = candidate::Entity::find()
        .filter(in_subtree.clone())
        .filter(candidate::Column::NextDueOn.lt(as_of))
        .count(db)
        .await? as i64;
    pipeline.due_within = candidate::Entity::find()
        .filter(in_subtree.clone())
        .filter(candidate::Column::NextDueOn.between(as_of, horizon))
        .count(db)
        .await? as i64;
    let active = candidate::Column::Stage.is_in(Stage::open().map(Stage::as_str));
    let mentored = Query::select()
        .column(entity::mentor_assignment::Column::CandidateId)
        .from(entity::mentor_assignment::Entity)
        .and_where(entity::mentor_assignment::Column::EndedOn.is_null())
        .to_owned();
    pipeline.without_mentor = candidate::Entity::find()
        .filter(in_subtree.clone())
        .filter(active)
        .filter(candidate::Column::Id.not_in_subquery(mentored))
        .count(db)
        .await? as i64;

    // A paper dated d is valid through d + n months (`months::period_end`); it is still
    // valid on `as_of` but no longer on `horizon` when d lies in
    // [as_of − n months, horizon − n months).
    let rulebook = rules::rulebook_on(db, as_of).await?;
    let window = |months: u32| {
        (
            crate::domain::months::earliest_start_through(as_of, months),
            crate::domain::months::earliest_start_through(horizon, months),
        )
    };
    let waiting = candidate::Column::Stage.eq(Stage::SourceList.as_str());
    let (after, until) = window(rulebook.certificate_validity_months);
    let cert_holders = Query::select()
        .column(course_enrolment::Column::CandidateId)
        .from(course_enrolment::Entity)
        .inner_join(
            course::Entity,
            Expr::col((course::Entity, course::Column::Id))
                .equals((course_enrolment::Entity, course_enrolment::Column::CourseId)),
        )
        .and_where(Expr::col((course::Entity, course::Column::Kind)).eq(CourseKind::Awareness.as_str()))
        .and_where(Expr::col((course_enrolment::Entity, course_enrolment::Column::CertificateDate)).gte(after))
        .and_where(Expr::col((course_enrolment::Entity, course_enrolment::Column::CertificateDate)).lt(until))
        .to_owned();
    pipeline.certificates_expiring = candidate::Entity::find()
        .filter(in_subtree.clone())
        .filter(waiting.clone())
        .filter(candidate::Column::Id.in_subquery(cert_holders))
        .count(db)
        .await? as i64;
    let (after, until) = window(rulebook.dossier_staleness_months);
    let comments = Query::select()
        .column(entity::dossier_document::Column::CandidateId)
        .from(entity::dossier_document::Entity)
        .and_where(entity::dossier_document::Column::FormCode.eq(FormCode::Knd5.as_str()))
        .and_where(entity::dossier_document::Column::ReceivedOn.gte(after))
        .and_where(entity::dossier_document::Column::ReceivedOn.lt(until))
        .to_owned();
    let introductions = Query::select()
        .column(entity::introduction::Column::CandidateId)
        .from(entity::introduction::Entity)
        .and_where(entity::introduction::Column::IntroducedOn.gte(after))
        .and_where(entity::introduction::Column::IntroducedOn.lt(until))
        .to_owned();
    // A branch vote short of two thirds stays on record and the candidate on the list
    // (Hướng dẫn 01-HD/TW 2021, kept by 06-HD/TW 2025: the full result is reported upward).
    let failed_votes = Query::select()
        .column(entity::resolution::Column::CandidateId)
        .from(entity::resolution::Entity)
        .and_where(entity::resolution::Column::Kind.eq(ResolutionKind::BranchAdmission.as_str()))
        .and_where(entity::resolution::Column::Approved.eq(false))
        .and_where(entity::resolution::Column::ResolvedOn.lte(as_of))
        .to_owned();
    pipeline.failed_branch_votes = candidate::Entity::find()
        .filter(in_subtree.clone())
        .filter(waiting.clone())
        .filter(candidate::Column::Id.in_subquery(failed_votes))
        .count(db)
        .await? as i64;
    pipeline.dossiers_going_stale = candidate::Entity::find()
        .filter(in_subtree)
        .filter(waiting)
        .filter(
            Condition::any()
                .add(candidate::Column::Id.in_subquery(comments))
                .add(candidate::Column::Id.in_subquery(introductions)),
        )
        .count(db)
        .await? as i64;
    Ok(pipeline)
}

/// Residential areas of a subtree's communes in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Areas with a status recorded for the year.
    pub areas: i64,
    /// No member lives there (thôn trắng đảng viên).
    pub without_member: i64,
    pub with_one_or_two_members: i64,
    pub without_branch: i64,
    pub head_not_member: i64,
}

pub async fn residential_coverage(db: &DatabaseConnection, unit: i32, year: i32) -> AppResult<Coverage> {
    let (s, a) = (Alias::new("s"), Alias::new("a"));
    let count_when = |cond: Expr| Func::sum(Expr::case(cond, 1).finally(0));
    let members = Expr::col((s.clone(), area_status::Column::MembersLiving));
    let stmt = Query::select()
        .expr_as(
            Func::count(Expr::col((s.clone(), area_status::Column::Id))),
            Alias::new("areas"),
        )
        .expr_as(count_when(members.clone().eq(0)), Alias::new("without_member"))
        .expr_as(count_when(members.between(1, 2)), Alias::new("one_or_two"))
        .expr_as(
            count_when(Expr::col((s.clone(), area_status::Column::HasOwnBranch)).eq(false)),
            Alias::new("without_branch"),
        )
        .expr_as(
            count_when(Expr::col((s.clone(), area_status::Column::HeadIsMember)).eq(false)),
            Alias::new("head_not_member"),
        )
        .from_as(area_status::Entity, s.clone())
        .join_as(
            JoinType::InnerJoin,
            residential_area::Entity,
            a.clone(),
            Expr::col((a.clone(), residential_area::Column::Id)).equals((s.clone(), area_status::Column::AreaId)),
        )
        .and_where(Expr::col((s, area_status::Column::Year)).eq(year))
        .and_where(Expr::col((a, residential_area::Column::CommuneId)).in_subquery(subtree_ids(unit)))
        .to_owned();
    let rows = db.query_all(&stmt).await?;
    let Some(row) = rows.first() else {
        return Ok(Coverage::default());
    };
    // SUM is NULL over no rows, and NUMERIC on PostgreSQL: read it leniently.
    let sum = |column: &str| -> i64 {
        row.try_get::<Option<i64>>("", column)
            .ok()
            .flatten()
            .or_else(|| {
                row.try_get::<Option<sea_orm::prelude::Decimal>>("", column)
                    .ok()
                    .flatten()
                    .and_then(|d| d.try_into().ok())
            })
            .unwrap_or(0)
    };
    Ok(Coverage {
        areas: count_of(row, "areas")?,
        without_member: sum("without_member"),
        with_one_or_two_members: sum("one_or_two"),
        without_branch: sum("without_branch"),
        head_not_member: sum("head_not_member"),
    })
}

/// Coverage is about communes and what lies above them.
pub fn check_has_communes(unit: &org_unit::Model) -> AppResult<()> {
    match tree::parse_kind(&unit.kind)? {
        crate::domain::org::OrgKind::Branch | crate::domain::org::OrgKind::Section => Err(AppError::validation(
            "unitId",
            "residential coverage is reported for a commune or a unit above communes",
        )),
        _ => Ok(()),
    }
}
