//! The reports in the API. Open to staff and to reporting accounts (aggregates only).

use super::breakdown::{self, Disclosed};
use super::objects::{
    AdmissionFunnelReport, AdmissionProgressReport, CourseTraining, NewMemberBreakdownReport, PipelineSummaryReport,
    ResidentialCoverageReport, StageCount, TrainingSummaryReport, diff,
};
use super::service::{self, ReportFor};
use super::summaries;
use crate::domain::lang::Lang;
use crate::domain::percent::{Ratio, Rounding};
use crate::domain::period::Period;
use crate::graphql::context::ContextExt;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;
use async_graphql::{Context, Enum, ID, InputObject, Object, OneofObject, SimpleObject};
use sea_orm::DatabaseConnection;

/// How a percentage is cut to its decimals.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum PercentRounding {
    /// Drop further digits, as published reports do (155.55… → 155.5).
    #[default]
    Truncate,
    /// Round half away from zero (155.55… → 155.6).
    Round,
}

impl From<PercentRounding> for Rounding {
    fn from(r: PercentRounding) -> Self {
        match r {
            PercentRounding::Truncate => Rounding::Truncate,
            PercentRounding::Round => Rounding::Round,
        }
    }
}

pub struct Percentage(pub Ratio);

impl Percentage {
    pub fn of(numerator: i64, denominator: i64) -> Percentage {
        Percentage(Ratio::new(numerator, denominator))
    }
}

/// A share, always with its numerator and denominator so clients can format it their way.
#[Object]
impl Percentage {
    /// The part counted.
    async fn numerator(&self) -> i64 {
        self.0.numerator
    }
    /// The whole it is a share of.
    async fn denominator(&self) -> i64 {
        self.0.denominator
    }
    /// The percentage (null when the denominator is 0).
    async fn value(
        &self,
        #[graphql(default = 1, desc = "Decimals, 0 to 6.")] decimals: u32,
        #[graphql(default, desc = "How the last decimal is rounded.")] rounding: PercentRounding,
    ) -> Option<f64> {
        self.0.percent(decimals, rounding.into())
    }
    /// The percentage as text with exactly `decimals` decimals ("155.5").
    async fn text(
        &self,
        #[graphql(default = 1, desc = "Decimals, 0 to 6.")] decimals: u32,
        #[graphql(default, desc = "How the last decimal is rounded.")] rounding: PercentRounding,
    ) -> Option<String> {
        self.0.percent_text(decimals, rounding.into())
    }
}

/// A congress term, to date when `asOf` is given ("since the start of the term").
#[derive(InputObject, Clone, Copy)]
pub struct TermPeriodInput {
    /// First year of the term (e.g. 2020).
    start_year: i32,
    /// Last year of the term (e.g. 2025).
    end_year: i32,
    /// Count only up to this day (default: the whole term); the target is still the term's.
    as_of: Option<Date>,
}

/// A range of days, both included.
#[derive(InputObject, Clone, Copy)]
pub struct DateRangeInput {
    /// First day.
    from: Date,
    /// Last day; not before `from`.
    to: Date,
}

/// The period a report covers: exactly one of these.
#[derive(OneofObject, Clone, Copy)]
pub enum ReportPeriodInput {
    /// A calendar year.
    Year(i32),
    /// A congress term (nhiệm kỳ), measured against the term's target.
    Term(TermPeriodInput),
    /// Any range of days, both included.
    Range(DateRangeInput),
    /// From 1 January to this day (lũy kế từ đầu năm).
    YearToDate(Date),
}

impl From<ReportPeriodInput> for Period {
    fn from(p: ReportPeriodInput) -> Self {
        match p {
            ReportPeriodInput::Year(year) => Period::Year(year),
            ReportPeriodInput::Term(t) => match t.as_of {
                Some(as_of) => Period::TermToDate {
                    start_year: t.start_year,
                    end_year: t.end_year,
                    as_of: as_of.0,
                },
                None => Period::Term {
                    start_year: t.start_year,
                    end_year: t.end_year,
                },
            },
            ReportPeriodInput::Range(r) => Period::Range {
                from: r.from.0,
                to: r.to.0,
            },
            ReportPeriodInput::YearToDate(d) => Period::YearToDate(d.0),
        }
    }
}

/// The period a report covered.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ReportPeriod {
    /// First day of the period.
    from: Date,
    /// Last day of the period (included).
    to: Date,
    #[graphql(skip)]
    period: Period,
}

#[async_graphql::ComplexObject]
impl ReportPeriod {
    /// A short label ("2023", "2020–2025", "2023-01-01 – 2023-09-30"), in the reader's
    /// language (`Accept-Language`: "2020–2025 đến 2023-09-30").
    async fn label(&self, ctx: &Context<'_>) -> String {
        self.period
            .label_in(ctx.data_opt::<Lang>().copied().unwrap_or(Lang::En))
    }
}

impl From<&ReportFor> for ReportPeriod {
    fn from(r: &ReportFor) -> Self {
        ReportPeriod {
            from: Date(r.from),
            to: Date(r.to),
            period: r.period,
        }
    }
}

#[derive(Default)]
pub struct ReportsQuery;

/// The unit and period of a report, checked against the account's scope on the primary, and
/// the pool its figures are read from (a replica while it is close enough behind).
async fn prepare<'c>(
    ctx: &'c Context<'_>,
    unit_id: &ID,
    period: ReportPeriodInput,
) -> async_graphql::Result<(ReportFor, &'c DatabaseConnection)> {
    let unit = expect_global_id(unit_id, OrgUnit::TYPENAME, "unitId")?;
    let successions = ctx
        .loaders()?
        .successions(|db| async move { crate::org::succession::successions(&db).await })
        .await?
        .to_vec();
    let mut report = service::report_with(ctx.db()?, ctx.report_actor()?, unit, period.into(), successions).await?;
    let (db, source) = ctx.report_db()?;
    report.source = source;
    Ok((report, db))
}

#[Object]
impl ReportsQuery {
    /// Admitted (by ceremony date) against the target, the same period a year earlier, and
    /// every child unit ranked with those behind target marked. `targetBasis` says whose
    /// targets: assigned by the superior (default) or set by each unit's own resolution.
    async fn admission_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The period reported on.")] period: ReportPeriodInput,
        #[graphql(
            default_with = "crate::graphql::enums::TargetBasis::Assigned",
            desc = "Whose targets to measure against: assigned by the superior, or set by each unit's own resolution."
        )]
        target_basis: crate::graphql::enums::TargetBasis,
    ) -> async_graphql::Result<AdmissionProgressReport> {
        let (mut report, db) = prepare(ctx, &unit_id, period).await?;
        report.target_basis = target_basis.into();
        let progress = service::admission_progress(db, &report).await?;
        Ok(AdmissionProgressReport { report, progress })
    }

    /// New members of the period by age band, gender, ethnicity, religion, education,
    /// professional level, source organisation and returned soldiers.
    async fn new_member_breakdown(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The period reported on.")] period: ReportPeriodInput,
    ) -> async_graphql::Result<NewMemberBreakdownReport> {
        let (report, db) = prepare(ctx, &unit_id, period).await?;
        let state = ctx.state()?;
        let min = breakdown::min_cell_size(
            &state.db,
            ctx.report_actor()?,
            state.settings.auth.reporting_min_cell_size,
        )
        .await?;
        let breakdown = breakdown::new_member_breakdown(db, &report).await?;
        Ok(NewMemberBreakdownReport {
            report,
            disclosed: Disclosed::new(breakdown, min),
        })
    }

    /// Awareness-course graduates and admissions, with the conversion.
    async fn admission_funnel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The period reported on.")] period: ReportPeriodInput,
    ) -> async_graphql::Result<AdmissionFunnelReport> {
        let (report, db) = prepare(ctx, &unit_id, period).await?;
        let funnel = summaries::admission_funnel(db, &report).await?;
        Ok(AdmissionFunnelReport { report, funnel })
    }

    /// Courses held and people trained, awareness and new-member.
    async fn training_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The period reported on.")] period: ReportPeriodInput,
    ) -> async_graphql::Result<TrainingSummaryReport> {
        let (report, db) = prepare(ctx, &unit_id, period).await?;
        let rows = summaries::training_summary(db, &report).await?;
        let of = |kind| {
            rows.iter()
                .find(|t| t.kind == kind)
                .map_or(CourseTraining { courses: 0, trained: 0 }, |t| CourseTraining {
                    courses: t.courses,
                    trained: t.trained,
                })
        };
        Ok(TrainingSummaryReport {
            period: (&report).into(),
            source: report.source.into(),
            awareness: of(crate::domain::dossier::CourseKind::Awareness),
            new_member: of(crate::domain::dossier::CourseKind::NewMember),
            unit: OrgUnit(report.unit),
        })
    }

    /// Candidates per stage, overdue deadlines, candidates without a mentor, certificates
    /// about to expire and dossiers about to go stale, for the unit's subtree now.
    async fn pipeline_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The day to judge on (default: today).")] as_of: Option<Date>,
        #[graphql(default = 30, desc = "The horizon for what is coming up, in days.")] within_days: u32,
    ) -> async_graphql::Result<PipelineSummaryReport> {
        let as_of = as_of.map_or_else(crate::clock::today, |d| d.0);
        let (report, db) = prepare(
            ctx,
            &unit_id,
            ReportPeriodInput::Range(DateRangeInput {
                from: Date(as_of),
                to: Date(as_of),
            }),
        )
        .await?;
        let p = summaries::pipeline_summary(db, report.unit.id, as_of, within_days.min(3650)).await?;
        let by_stage = crate::domain::stage::Stage::ALL
            .iter()
            .map(|s| StageCount {
                stage: (*s).into(),
                count: p.by_stage.get(s).copied().unwrap_or(0),
            })
            .collect();
        Ok(PipelineSummaryReport {
            source: report.source.into(),
            unit: OrgUnit(report.unit),
            as_of: Date(as_of),
            within_days,
            by_stage,
            overdue_deadlines: p.overdue,
            deadlines_coming_up: p.due_within,
            without_mentor: p.without_mentor,
            certificates_expiring: p.certificates_expiring,
            dossiers_going_stale: p.dossiers_going_stale,
            failed_branch_votes: p.failed_branch_votes,
        })
    }

    /// Residential areas with no member, with one or two, with no branch, and whose head is
    /// not a member, in `year`, and the change since `compareYear` (default: the year before).
    async fn residential_coverage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit reported on, in the account's subtree.")] unit_id: ID,
        #[graphql(desc = "The year reported on.")] year: i32,
        #[graphql(desc = "The year to compare with (default: the year before).")] compare_year: Option<i32>,
    ) -> async_graphql::Result<ResidentialCoverageReport> {
        let (report, db) = prepare(ctx, &unit_id, ReportPeriodInput::Year(year)).await?;
        summaries::check_has_communes(&report.unit)?;
        let compare_year = compare_year.unwrap_or(year - 1);
        let current = summaries::residential_coverage(db, report.unit.id, year).await?;
        let previous = summaries::residential_coverage(db, report.unit.id, compare_year).await?;
        Ok(ResidentialCoverageReport {
            source: report.source.into(),
            unit: OrgUnit(report.unit),
            year,
            compare_year,
            current: current.into(),
            previous: previous.into(),
            change: diff(current, previous),
        })
    }
}
