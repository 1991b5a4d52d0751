//! Every report as a CSV download, `GET /reports/{report}.csv`, with the same bearer token
//! as the API (access token or API token). UTF-8 with a byte-order mark, so spreadsheet
//! programs show Vietnamese correctly.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::breakdown::{self, Dimension};
use super::service::{self, ReportFor};
use super::summaries;
use crate::auth::request::require_actor;
use crate::domain::percent::{Ratio, Rounding};
use crate::domain::period::Period;
use crate::error::AppError;
use crate::graphql::relay::expect_global_id;
use crate::replica::ReadFrom;
use crate::state::AppState;

/// The response header that says where a CSV report's figures were read: `primary`, or
/// `replica; lag-ms=N`.
pub const SOURCE_HEADER: &str = "ketnap-report-source";

/// The query string of a download.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvQuery {
    /// Global ID of the unit.
    unit_id: String,
    year: Option<i32>,
    term_start: Option<i32>,
    term_end: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    compare_year: Option<i32>,
    within_days: Option<u32>,
    decimals: Option<u32>,
    rounding: Option<String>,
    /// `ASSIGNED` (default) or `OWN_RESOLUTION`: whose targets admission progress uses.
    target_basis: Option<String>,
}

impl CsvQuery {
    fn period(&self) -> Result<Period, AppError> {
        let bad = || {
            AppError::validation(
                "period",
                "give year, termStart and termEnd (optionally asOf), from and to, or asOf",
            )
        };
        Ok(
            match (
                self.year,
                self.term_start,
                self.term_end,
                self.from,
                self.to,
                self.as_of,
            ) {
                (Some(year), None, None, None, None, None) => Period::Year(year),
                (None, Some(start_year), Some(end_year), None, None, None) => Period::Term { start_year, end_year },
                (None, Some(start_year), Some(end_year), None, None, Some(as_of)) => Period::TermToDate {
                    start_year,
                    end_year,
                    as_of,
                },
                (None, None, None, Some(from), Some(to), None) => Period::Range { from, to },
                (None, None, None, None, None, Some(as_of)) => Period::YearToDate(as_of),
                _ => return Err(bad()),
            },
        )
    }

    fn percent(&self, numerator: i64, denominator: i64) -> String {
        let rounding = if self
            .rounding
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("round"))
        {
            Rounding::Round
        } else {
            Rounding::Truncate
        };
        Ratio::new(numerator, denominator)
            .percent_text(self.decimals.unwrap_or(1), rounding)
            .unwrap_or_default()
    }
}

fn failure(err: AppError) -> Response {
    crate::graphql::response::app_error_response(err, "CSV report")
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    let actor = match require_actor(&state.db, &state.auth.tokens, &headers).await {
        Ok(actor) => actor,
        Err(err) => return failure(err),
    };
    let Some(name) = file.strip_suffix(".csv") else {
        return failure(AppError::not_found("report"));
    };
    match render(&state, &actor, name, &query).await {
        Ok((filename, body, source)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}.csv\""))
                .unwrap_or(HeaderValue::from_static("attachment"));
            // Where the figures were read, as a report's `source` says it in GraphQL.
            let source = match source {
                ReadFrom::Primary => HeaderValue::from_static("primary"),
                ReadFrom::Replica { lag_ms } => HeaderValue::from_str(&format!("replica; lag-ms={lag_ms}"))
                    .unwrap_or(HeaderValue::from_static("replica")),
            };
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                    (HeaderName::from_static(SOURCE_HEADER), source),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => failure(err),
    }
}

/// A CSV document: a byte-order mark, then the rows.
struct Sheet(csv::Writer<Vec<u8>>);

impl Sheet {
    fn new(header: &[&str]) -> Result<Sheet, AppError> {
        let mut buffer = Vec::new();
        buffer.extend_from_slice("\u{feff}".as_bytes());
        let mut sheet = Sheet(csv::Writer::from_writer(buffer));
        sheet.row(header.iter().map(|h| h.to_string()))?;
        Ok(sheet)
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) -> Result<(), AppError> {
        self.0
            .write_record(cells.into_iter().collect::<Vec<_>>())
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing CSV: {e}")))
    }

    fn finish(self) -> Result<Vec<u8>, AppError> {
        self.0
            .into_inner()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing CSV: {e}")))
    }
}

fn opt(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[tracing::instrument(level = "debug", skip_all)]
async fn render(
    state: &AppState,
    actor: &crate::access::Actor,
    name: &str,
    q: &CsvQuery,
) -> Result<(String, Vec<u8>, ReadFrom), AppError> {
    let db = &state.db;
    // The figures from the report pool (a replica while it is close enough behind); the
    // unit and the account's scope from the primary.
    let (reads, source) = state.reports.pick();
    let unit_id = expect_global_id(&async_graphql::ID(q.unit_id.clone()), "OrgUnit", "unitId")?;
    let at = |period: Period| service::report_for(db, actor, unit_id, period);
    let label = |report: &ReportFor| {
        format!(
            "{name}-{}-{}",
            report.unit.code,
            report.period.label().replace([' ', '–'], "_")
        )
    };
    match name {
        "admission-progress" => {
            let mut report = at(q.period()?).await?;
            if let Some(basis) = q.target_basis.as_deref() {
                report.target_basis = crate::domain::period::TargetBasis::parse(basis)
                    .ok_or_else(|| AppError::validation("targetBasis", "ASSIGNED or OWN_RESOLUTION"))?;
            }
            let p = service::admission_progress(reads, &report).await?;
            let mut sheet = Sheet::new(&[
                "rank",
                "unit_code",
                "unit_name",
                "period",
                "admitted",
                "target_basis",
                "target",
                "percent_of_target",
                "expected_by_now",
                "behind_target",
                "same_period_last_year",
                "change",
                "change_percent",
            ])?;
            let last = p.same_period_last_year;
            let own = &p.own;
            sheet.row([
                String::new(),
                own.unit.code.clone(),
                own.unit.name.clone(),
                report.period.label(),
                own.admitted.to_string(),
                report.target_basis.as_str().to_string(),
                opt(own.target),
                own.target.map(|t| q.percent(own.admitted, t)).unwrap_or_default(),
                opt(own.expected_by_now),
                own.behind_target().to_string(),
                last.to_string(),
                (own.admitted - last).to_string(),
                q.percent(own.admitted - last, last),
            ])?;
            // A child of the period now outside the account's scope counts but is not named.
            let ids: Vec<i32> = p.children.iter().map(|c| c.unit.id).collect();
            let named: std::collections::HashSet<i32> =
                crate::access::find_many::<entity::org_unit::Entity>(db, actor.scope(), &ids)
                    .await?
                    .into_iter()
                    .map(|u| u.id)
                    .collect();
            for (i, c) in p.children.iter().enumerate() {
                let shown = named.contains(&c.unit.id);
                sheet.row([
                    (i + 1).to_string(),
                    if shown { c.unit.code.clone() } else { String::new() },
                    if shown { c.unit.name.clone() } else { String::new() },
                    report.period.label(),
                    c.admitted.to_string(),
                    report.target_basis.as_str().to_string(),
                    opt(c.target),
                    c.target.map(|t| q.percent(c.admitted, t)).unwrap_or_default(),
                    opt(c.expected_by_now),
                    c.behind_target().to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ])?;
            }
            Ok((label(&report), sheet.finish()?, source))
        }
        "new-member-breakdown" => {
            let report = at(q.period()?).await?;
            let b = breakdown::new_member_breakdown(reads, &report).await?;
            let min_cell_size =
                breakdown::min_cell_size(db, actor, state.settings.auth.reporting_min_cell_size).await?;
            let d = breakdown::Disclosed::new(b, min_cell_size);
            let mut sheet = Sheet::new(&["dimension", "key", "count", "total", "percent", "suppressed"])?;
            let total = d.total();
            for dimension in Dimension::ALL {
                for key in d.keys(dimension) {
                    let count = d.cell(dimension, key);
                    sheet.row([
                        dimension.as_str().to_string(),
                        key.to_owned(),
                        count.map(|c| c.to_string()).unwrap_or_default(),
                        total.map(|t| t.to_string()).unwrap_or_default(),
                        count.zip(total).map(|(c, t)| q.percent(c, t)).unwrap_or_default(),
                        count.is_none().to_string(),
                    ])?;
                }
            }
            Ok((label(&report), sheet.finish()?, source))
        }
        "admission-funnel" => {
            let report = at(q.period()?).await?;
            let f = summaries::admission_funnel(reads, &report).await?;
            let mut sheet = Sheet::new(&[
                "period",
                "trained",
                "admitted",
                "conversion_percent",
                "trained_then_admitted",
                "cohort_percent",
            ])?;
            sheet.row([
                report.period.label(),
                f.trained.to_string(),
                f.admitted.to_string(),
                q.percent(f.admitted, f.trained),
                f.trained_then_admitted.to_string(),
                q.percent(f.trained_then_admitted, f.trained),
            ])?;
            Ok((label(&report), sheet.finish()?, source))
        }
        "training-summary" => {
            let report = at(q.period()?).await?;
            let mut sheet = Sheet::new(&["period", "course_kind", "courses", "trained"])?;
            for t in summaries::training_summary(reads, &report).await? {
                sheet.row([
                    report.period.label(),
                    t.kind.as_str().to_string(),
                    t.courses.to_string(),
                    t.trained.to_string(),
                ])?;
            }
            Ok((label(&report), sheet.finish()?, source))
        }
        "pipeline-summary" => {
            let as_of = q.as_of.unwrap_or_else(crate::clock::today);
            let report = at(Period::Range { from: as_of, to: as_of }).await?;
            let p = summaries::pipeline_summary(reads, unit_id, as_of, q.within_days.unwrap_or(30).min(3650)).await?;
            let mut sheet = Sheet::new(&["metric", "value"])?;
            for stage in crate::domain::stage::Stage::ALL {
                sheet.row([
                    format!("stage:{}", stage.as_str()),
                    p.by_stage.get(stage).copied().unwrap_or(0).to_string(),
                ])?;
            }
            for (metric, value) in [
                ("overdue_deadlines", p.overdue),
                ("deadlines_coming_up", p.due_within),
                ("without_mentor", p.without_mentor),
                ("certificates_expiring", p.certificates_expiring),
                ("dossiers_going_stale", p.dossiers_going_stale),
                ("failed_branch_votes", p.failed_branch_votes),
            ] {
                sheet.row([metric.to_string(), value.to_string()])?;
            }
            Ok((label(&report), sheet.finish()?, source))
        }
        "residential-coverage" => {
            let year = q.year.ok_or_else(|| AppError::validation("year", "give the year"))?;
            let report = at(Period::Year(year)).await?;
            summaries::check_has_communes(&report.unit)?;
            let compare = q.compare_year.unwrap_or(year - 1);
            let (now, before) = (
                summaries::residential_coverage(reads, unit_id, year).await?,
                summaries::residential_coverage(reads, unit_id, compare).await?,
            );
            let (before_pct, now_pct) = (format!("{compare}_percent"), format!("{year}_percent"));
            let mut sheet = Sheet::new(&[
                "metric",
                &compare.to_string(),
                &year.to_string(),
                "change",
                &before_pct,
                &now_pct,
            ])?;
            for (metric, a, b) in [
                ("areas", before.areas, now.areas),
                ("without_member", before.without_member, now.without_member),
                (
                    "with_one_or_two_members",
                    before.with_one_or_two_members,
                    now.with_one_or_two_members,
                ),
                ("without_branch", before.without_branch, now.without_branch),
                ("head_not_member", before.head_not_member, now.head_not_member),
            ] {
                // Shares of the year's areas (the areas row is the whole).
                let (pa, pb) = if metric == "areas" {
                    (String::new(), String::new())
                } else {
                    (q.percent(a, before.areas), q.percent(b, now.areas))
                };
                sheet.row([
                    metric.to_string(),
                    a.to_string(),
                    b.to_string(),
                    (b - a).to_string(),
                    pa,
                    pb,
                ])?;
            }
            Ok((label(&report), sheet.finish()?, source))
        }
        _ => Err(AppError::not_found("report")),
    }
}
