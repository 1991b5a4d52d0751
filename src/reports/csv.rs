//! Every report as a download, `GET /reports/{report}.csv` or `.xlsx`, with the same bearer
//! token as the API (access token or API token): CSV in UTF-8 with a byte-order mark, so
//! spreadsheet programs show Vietnamese correctly, or an Excel workbook with typed cells
//! ([`super::sheet`]).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::breakdown::{self, Dimension};
use super::service::{self, ReportFor};
use super::sheet::{Cell, Sheet, Title, cells};
use super::summaries;
use crate::auth::request::require_actor;
use crate::domain::percent::{Ratio, Rounding};
use crate::domain::period::Period;
use crate::error::{AppError, tr};
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
                tr!(
                    "give year, termStart and termEnd (optionally asOf), from and to, or asOf",
                    "hãy cho year, termStart và termEnd (có thể kèm asOf), from và to, hoặc asOf"
                ),
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

fn failure(err: AppError, headers: &HeaderMap) -> Response {
    crate::graphql::response::app_error_response(err, crate::graphql::language::preferred(headers))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn download(
    State(state): State<AppState>,
    Path(file): Path<String>,
    query: Result<Query<CsvQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let actor = match require_actor(&state.db, &state.auth.tokens, &headers).await {
        Ok(actor) => actor,
        Err(err) => return failure(err, &headers),
    };
    // A query string that does not read (a parameter missing or of the wrong kind) is the
    // caller's mistake, answered like every other, after the sign-in check.
    let query = match query {
        Ok(Query(query)) => query,
        Err(rejection) => {
            let detail = rejection.body_text();
            let err = AppError::validation(
                "query",
                tr!(
                    "the download's parameters do not read: {detail}",
                    "không đọc được tham số của tệp tải về: {detail}"
                ),
            );
            return failure(err, &headers);
        }
    };
    let (name, excel) = match (file.strip_suffix(".csv"), file.strip_suffix(".xlsx")) {
        (Some(name), _) => (name, false),
        (_, Some(name)) => (name, true),
        _ => return failure(AppError::not_found(crate::error::noun::REPORT), &headers),
    };
    let written = render(&state, &actor, name, &query).await.and_then(|r| {
        let body = if excel {
            r.sheet.xlsx(&r.title, query.decimals.unwrap_or(1))?
        } else {
            r.sheet.csv(&|n, d| query.percent(n, d))?
        };
        Ok((r.file, body, r.source))
    });
    let (content_type, extension) = if excel {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    match written {
        Ok((filename, body, source)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}.{extension}\""))
                .unwrap_or(HeaderValue::from_static("attachment"));
            // Where the figures were read, as a report's `source` says it in GraphQL.
            let source = match source {
                ReadFrom::Primary => HeaderValue::from_static("primary"),
                ReadFrom::Replica { lag_ms } => HeaderValue::from_str(&format!("replica; lag-ms={lag_ms}"))
                    .unwrap_or(HeaderValue::from_static("replica")),
            };
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                    (header::CONTENT_DISPOSITION, disposition),
                    (HeaderName::from_static(SOURCE_HEADER), source),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => failure(err, &headers),
    }
}

/// A report ready to be written: its file name, its table, the header of its workbook and
/// where its figures were read.
struct Rendered {
    file: String,
    sheet: Sheet,
    title: Title,
    source: ReadFrom,
}

impl Rendered {
    fn new(name: &str, report: &ReportFor, sheet: Sheet, source: ReadFrom) -> Rendered {
        let title = match name {
            "admission-progress" => "Tiến độ kết nạp đảng viên so với chỉ tiêu",
            "new-member-breakdown" => "Cơ cấu đảng viên mới được kết nạp",
            "admission-funnel" => "Từ bồi dưỡng nhận thức về Đảng đến kết nạp",
            "training-summary" => "Tổng hợp các lớp bồi dưỡng",
            "pipeline-summary" => "Tình hình hồ sơ kết nạp đang giải quyết",
            _ => "Phủ đảng viên ở thôn, tổ dân phố",
        };
        Rendered {
            file: format!(
                "{name}-{}-{}",
                report.unit.code,
                report.period.label().replace([' ', '–'], "_")
            ),
            sheet,
            title: Title {
                report: title,
                unit: report.unit.name.clone(),
                // The workbook's header is Vietnamese, its period too.
                period: report.period.label_in(crate::domain::lang::Lang::Vi),
                from: report.from,
                to: report.to,
            },
            source,
        }
    }
}

#[tracing::instrument(level = "debug", skip_all)]
async fn render(
    state: &AppState,
    actor: &crate::access::Actor,
    name: &str,
    q: &CsvQuery,
) -> Result<Rendered, AppError> {
    let db = &state.db;
    // The figures from the report pool (a replica while it is close enough behind); the
    // unit and the account's scope from the primary.
    let (reads, source) = state.reports.pick();
    let unit_id = expect_global_id(&async_graphql::ID(q.unit_id.clone()), "OrgUnit", "unitId")?;
    let at = |period: Period| service::report_for(db, actor, unit_id, period);
    match name {
        "admission-progress" => {
            let mut report = at(q.period()?).await?;
            if let Some(basis) = q.target_basis.as_deref() {
                report.target_basis = crate::domain::period::TargetBasis::parse(basis).ok_or_else(|| {
                    AppError::validation(
                        "targetBasis",
                        tr!("ASSIGNED or OWN_RESOLUTION", "ASSIGNED hoặc OWN_RESOLUTION"),
                    )
                })?;
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
            ]);
            let last = p.same_period_last_year;
            let own = &p.own;
            sheet.row(cells![
                Cell::Empty,
                own.unit.code.clone(),
                own.unit.name.clone(),
                report.period.label(),
                own.admitted,
                report.target_basis.as_str(),
                own.target,
                own.target.map_or(Cell::Empty, |t| Cell::ratio(own.admitted, t)),
                own.expected_by_now,
                own.behind_target(),
                last,
                own.admitted - last,
                Cell::ratio(own.admitted - last, last),
            ]);
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
                sheet.row(cells![
                    (i + 1) as i64,
                    if shown {
                        Cell::from(c.unit.code.clone())
                    } else {
                        Cell::Empty
                    },
                    if shown {
                        Cell::from(c.unit.name.clone())
                    } else {
                        Cell::Empty
                    },
                    report.period.label(),
                    c.admitted,
                    report.target_basis.as_str(),
                    c.target,
                    c.target.map_or(Cell::Empty, |t| Cell::ratio(c.admitted, t)),
                    c.expected_by_now,
                    c.behind_target(),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
            }
            Ok(Rendered::new(name, &report, sheet, source))
        }
        "new-member-breakdown" => {
            let report = at(q.period()?).await?;
            let b = breakdown::new_member_breakdown(reads, &report).await?;
            let min_cell_size =
                breakdown::min_cell_size(db, actor, state.settings.auth.reporting_min_cell_size).await?;
            let d = breakdown::Disclosed::new(b, min_cell_size);
            let mut sheet = Sheet::new(&["dimension", "key", "count", "total", "percent", "suppressed"]);
            let total = d.total();
            for dimension in Dimension::ALL {
                for key in d.keys(dimension) {
                    let count = d.cell(dimension, key);
                    sheet.row(cells![
                        dimension.as_str(),
                        key,
                        count,
                        total,
                        count.zip(total).map_or(Cell::Empty, |(c, t)| Cell::ratio(c, t)),
                        count.is_none(),
                    ]);
                }
            }
            Ok(Rendered::new(name, &report, sheet, source))
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
            ]);
            sheet.row(cells![
                report.period.label(),
                f.trained,
                f.admitted,
                Cell::ratio(f.admitted, f.trained),
                f.trained_then_admitted,
                Cell::ratio(f.trained_then_admitted, f.trained),
            ]);
            Ok(Rendered::new(name, &report, sheet, source))
        }
        "training-summary" => {
            let report = at(q.period()?).await?;
            let mut sheet = Sheet::new(&["period", "course_kind", "courses", "trained"]);
            for t in summaries::training_summary(reads, &report).await? {
                sheet.row(cells![report.period.label(), t.kind.as_str(), t.courses, t.trained,]);
            }
            Ok(Rendered::new(name, &report, sheet, source))
        }
        "pipeline-summary" => {
            let as_of = q.as_of.unwrap_or_else(crate::clock::today);
            let report = at(Period::Range { from: as_of, to: as_of }).await?;
            let p = summaries::pipeline_summary(reads, unit_id, as_of, q.within_days.unwrap_or(30).min(3650)).await?;
            let mut sheet = Sheet::new(&["metric", "value"]);
            for stage in crate::domain::stage::Stage::ALL {
                sheet.row(cells![
                    format!("stage:{}", stage.as_str()),
                    p.by_stage.get(stage).copied().unwrap_or(0),
                ]);
            }
            for (metric, value) in [
                ("overdue_deadlines", p.overdue),
                ("deadlines_coming_up", p.due_within),
                ("without_mentor", p.without_mentor),
                ("certificates_expiring", p.certificates_expiring),
                ("dossiers_going_stale", p.dossiers_going_stale),
                ("failed_branch_votes", p.failed_branch_votes),
            ] {
                sheet.row(cells![metric, value]);
            }
            Ok(Rendered::new(name, &report, sheet, source))
        }
        "residential-coverage" => {
            let year = q
                .year
                .ok_or_else(|| AppError::validation("year", tr!("give the year", "hãy cho năm")))?;
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
            ]);
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
                    (Cell::Empty, Cell::Empty)
                } else {
                    (Cell::ratio(a, before.areas), Cell::ratio(b, now.areas))
                };
                sheet.row(cells![metric, a, b, b - a, pa, pb,]);
            }
            Ok(Rendered::new(name, &report, sheet, source))
        }
        _ => Err(AppError::not_found(crate::error::noun::REPORT)),
    }
}
