//! The reports in the API. Open to staff and to reporting accounts (aggregates only).

use async_graphql::{Context, Enum, ID, InputObject, Object, OneofObject, SimpleObject};

use super::service::{self, Dimension, Disclosed, ReportFor};
use crate::domain::ethnicity::Ethnicity;
use crate::domain::percent::{Ratio, Rounding};
use crate::domain::period::Period;
use crate::domain::person::{ProfessionalLevel, Religion};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::CandidateStage;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;

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

/// A share, always with its numerator and denominator so clients can format it their way.
pub struct Percentage(pub Ratio);

impl Percentage {
    pub fn of(numerator: i64, denominator: i64) -> Percentage {
        Percentage(Ratio::new(numerator, denominator))
    }
}

#[Object]
impl Percentage {
    async fn numerator(&self) -> i64 {
        self.0.numerator
    }
    async fn denominator(&self) -> i64 {
        self.0.denominator
    }
    /// The percentage (null when the denominator is 0).
    async fn value(
        &self,
        #[graphql(default = 1, desc = "Decimals, 0 to 6.")] decimals: u32,
        #[graphql(default)] rounding: PercentRounding,
    ) -> Option<f64> {
        self.0.percent(decimals, rounding.into())
    }
    /// The percentage as text with exactly `decimals` decimals ("155.5").
    async fn text(
        &self,
        #[graphql(default = 1)] decimals: u32,
        #[graphql(default)] rounding: PercentRounding,
    ) -> Option<String> {
        self.0.percent_text(decimals, rounding.into())
    }
}

/// A congress term, to date when `asOf` is given ("since the start of the term").
#[derive(InputObject, Clone, Copy)]
pub struct TermPeriodInput {
    start_year: i32,
    end_year: i32,
    as_of: Option<Date>,
}

#[derive(InputObject, Clone, Copy)]
pub struct DateRangeInput {
    from: Date,
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
pub struct ReportPeriod {
    from: Date,
    to: Date,
    label: String,
}

impl From<&ReportFor> for ReportPeriod {
    fn from(r: &ReportFor) -> Self {
        ReportPeriod {
            from: Date(r.from),
            to: Date(r.to),
            label: r.period.label(),
        }
    }
}

fn share(numerator: i64, denominator: Option<i64>) -> Option<Percentage> {
    denominator.filter(|d| *d > 0).map(|d| Percentage::of(numerator, d))
}

/// One unit's admissions against its target.
pub struct UnitProgress {
    rank: Option<usize>,
    inner: service::UnitProgress,
}

#[Object]
impl UnitProgress {
    /// Position among its siblings (highest share of target first).
    async fn rank(&self) -> Option<usize> {
        self.rank
    }
    /// The unit; `null` for a child of the period that is now outside the account's scope
    /// (moved elsewhere since): its figures count, as they did then, but it is not named.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        Ok(crate::graphql::context::load_unit(ctx, self.inner.unit.id)
            .await?
            .map(OrgUnit))
    }
    /// Admitted in the period (by ceremony date).
    async fn admitted(&self) -> i64 {
        self.inner.admitted
    }
    /// The target that measures the period (the year's, or the term's).
    async fn target(&self) -> Option<i64> {
        self.inner.target
    }
    /// Admitted as a share of the target.
    async fn of_target(&self) -> Option<Percentage> {
        share(self.inner.admitted, self.inner.target)
    }
    /// What a steady pace would have reached by the end of the period.
    async fn expected_by_now(&self) -> Option<i64> {
        self.inner.expected_by_now
    }
    /// Fewer admitted than a steady pace would have reached.
    async fn behind_target(&self) -> bool {
        self.inner.behind_target()
    }
}

/// Admissions against targets, the same period a year earlier, and each child unit ranked.
pub struct AdmissionProgressReport {
    report: ReportFor,
    progress: service::AdmissionProgress,
}

#[Object]
impl AdmissionProgressReport {
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    /// Whose targets every figure of this report is measured against.
    async fn target_basis(&self) -> crate::graphql::enums::TargetBasis {
        self.report.target_basis.into()
    }
    /// The unit itself.
    async fn own(&self) -> UnitProgress {
        UnitProgress {
            rank: None,
            inner: self.progress.own.clone(),
        }
    }
    /// The sum of the children's targets, beside the unit's own.
    async fn children_target_sum(&self) -> Option<i64> {
        self.progress.children_target_sum
    }
    /// Admitted in the same period a year earlier.
    async fn same_period_last_year(&self) -> i64 {
        self.progress.same_period_last_year
    }
    /// Admitted now minus a year earlier.
    async fn change(&self) -> i64 {
        self.progress.own.admitted - self.progress.same_period_last_year
    }
    /// The change as a share of the year-earlier figure.
    async fn change_percent(&self) -> Option<Percentage> {
        let last = self.progress.same_period_last_year;
        share(self.progress.own.admitted - last, Some(last))
    }
    /// The units directly under it, ranked.
    async fn children(&self) -> Vec<UnitProgress> {
        self.progress
            .children
            .iter()
            .enumerate()
            .map(|(i, p)| UnitProgress {
                rank: Some(i + 1),
                inner: p.clone(),
            })
            .collect()
    }
}

/// A count within a breakdown. For a reporting account, a count that could identify a
/// person is withheld: `count` and `share` are `null` and `suppressed` is true.
#[derive(SimpleObject)]
pub struct Bucket {
    /// The value counted: an API enum code (`TAY`, `UNIVERSITY`, `YOUTH_UNION`…), an age band
    /// (`18_30`, `31_40`, `41_50`, `51_60`, `OVER_60`), `YES`/`NO`, or `UNKNOWN`.
    key: String,
    count: Option<i64>,
    share: Option<Percentage>,
    /// Withheld from this reporting account (statistical disclosure control).
    suppressed: bool,
}

/// Who the new members of a period are.
pub struct NewMemberBreakdownReport {
    report: ReportFor,
    disclosed: Disclosed,
}

impl NewMemberBreakdownReport {
    fn buckets(&self, dimension: Dimension) -> Vec<Bucket> {
        let mut keys = self.disclosed.keys(dimension);
        // Largest first, withheld cells last in key order, so the order says nothing of them.
        keys.sort_by_key(|key| {
            let shown = self.disclosed.cell(dimension, key);
            (shown.is_none(), std::cmp::Reverse(shown.unwrap_or(0)), key.to_string())
        });
        keys.into_iter()
            .map(|key| {
                let count = self.disclosed.cell(dimension, key);
                Bucket {
                    key: key.clone(),
                    count,
                    share: count.zip(self.disclosed.total()).map(|(c, t)| Percentage::of(c, t)),
                    suppressed: count.is_none(),
                }
            })
            .collect()
    }

    fn part(&self, dimension: Dimension, keys: &[&str]) -> Option<Percentage> {
        let part = self.disclosed.part(dimension, keys)?;
        Some(Percentage::of(part, self.disclosed.total()?))
    }
}

#[Object]
impl NewMemberBreakdownReport {
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    async fn unit(&self) -> OrgUnit {
        OrgUnit(self.report.unit.clone())
    }
    /// New members (admitted by ceremony date) in the period; `null` when a reporting
    /// account's minimum cell size withholds it.
    async fn total(&self) -> Option<i64> {
        self.disclosed.total()
    }
    /// Whether any figure of this report was withheld from this reporting account. A
    /// withheld figure is `null`: a count or a share below the account's minimum cell size,
    /// and whatever would let it be recovered (the next smallest cell, a sum containing it).
    async fn suppressed(&self) -> bool {
        self.disclosed.suppressed()
    }
    /// The minimum cell size applied (reporting accounts only; staff see every count).
    async fn minimum_cell_size(&self) -> Option<i64> {
        self.disclosed.min_cell_size
    }
    /// Aged 18 to 30 on joining (thanh niên).
    async fn aged18_to30(&self) -> Option<Percentage> {
        self.part(Dimension::AgeBand, &["18_30"])
    }
    /// By age on joining.
    async fn age_bands(&self) -> Vec<Bucket> {
        self.buckets(Dimension::AgeBand)
    }
    async fn gender(&self) -> Vec<Bucket> {
        self.buckets(Dimension::Gender)
    }
    /// Women among the new members.
    async fn women(&self) -> Option<Percentage> {
        self.part(Dimension::Gender, &["FEMALE"])
    }
    /// By ethnic group.
    async fn ethnicity(&self) -> Vec<Bucket> {
        self.buckets(Dimension::Ethnicity)
    }
    /// Ethnic minorities together (every group but the Kinh).
    async fn ethnic_minorities(&self) -> Option<Percentage> {
        let minorities: Vec<&str> = Ethnicity::ALL
            .iter()
            .filter(|e| e.is_minority())
            .map(|e| e.as_str())
            .collect();
        self.part(Dimension::Ethnicity, &minorities)
    }
    async fn religion(&self) -> Vec<Bucket> {
        self.buckets(Dimension::Religion)
    }
    /// Followers of a religion, together.
    async fn religious(&self) -> Option<Percentage> {
        let religious: Vec<&str> = Religion::ALL
            .iter()
            .filter(|r| **r != Religion::None)
            .map(|r| r.as_str())
            .collect();
        self.part(Dimension::Religion, &religious)
    }
    async fn general_education(&self) -> Vec<Bucket> {
        self.buckets(Dimension::GeneralEducation)
    }
    async fn professional_level(&self) -> Vec<Bucket> {
        self.buckets(Dimension::ProfessionalLevel)
    }
    /// College or university level (cao đẳng, đại học).
    async fn college_or_university(&self) -> Option<Percentage> {
        self.part(
            Dimension::ProfessionalLevel,
            &[
                ProfessionalLevel::College.as_str(),
                ProfessionalLevel::University.as_str(),
            ],
        )
    }
    /// Master's or doctorate (sau đại học).
    async fn postgraduate(&self) -> Option<Percentage> {
        self.part(
            Dimension::ProfessionalLevel,
            &[ProfessionalLevel::Master.as_str(), ProfessionalLevel::Doctor.as_str()],
        )
    }
    /// By the organisation that introduced them.
    async fn source_organisation(&self) -> Vec<Bucket> {
        self.buckets(Dimension::SourceOrganisation)
    }
    /// Returned from military service.
    async fn returned_soldiers(&self) -> Option<Percentage> {
        self.part(Dimension::ReturnedSoldier, &["YES"])
    }
}

/// From the awareness course to admission.
pub struct AdmissionFunnelReport {
    report: ReportFor,
    funnel: service::Funnel,
}

#[Object]
impl AdmissionFunnelReport {
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    async fn unit(&self) -> OrgUnit {
        OrgUnit(self.report.unit.clone())
    }
    /// Candidates who earned the awareness certificate in the period.
    async fn trained(&self) -> i64 {
        self.funnel.trained
    }
    /// Admitted in the period.
    async fn admitted(&self) -> i64 {
        self.funnel.admitted
    }
    /// Admitted as a share of those trained, in the period.
    async fn conversion(&self) -> Percentage {
        Percentage::of(self.funnel.admitted, self.funnel.trained)
    }
    /// Of those trained in the period, how many have been admitted since.
    async fn trained_then_admitted(&self) -> i64 {
        self.funnel.trained_then_admitted
    }
    async fn cohort_conversion(&self) -> Percentage {
        Percentage::of(self.funnel.trained_then_admitted, self.funnel.trained)
    }
}

/// Courses held and people trained, for one kind of course.
#[derive(SimpleObject)]
pub struct CourseTraining {
    courses: i64,
    trained: i64,
}

/// Courses held and people trained.
#[derive(SimpleObject)]
pub struct TrainingSummaryReport {
    period: ReportPeriod,
    unit: OrgUnit,
    /// Awareness courses (lớp bồi dưỡng nhận thức về Đảng).
    awareness: CourseTraining,
    /// New-member courses (lớp bồi dưỡng đảng viên mới).
    new_member: CourseTraining,
}

#[derive(SimpleObject)]
pub struct StageCount {
    stage: CandidateStage,
    count: i64,
}

/// The state of the pipeline on a day.
#[derive(SimpleObject)]
pub struct PipelineSummaryReport {
    unit: OrgUnit,
    as_of: Date,
    within_days: u32,
    /// Candidates in each stage (now).
    by_stage: Vec<StageCount>,
    /// Steps past their deadline.
    overdue_deadlines: i64,
    /// Steps due within `withinDays`.
    deadlines_coming_up: i64,
    /// Candidates on the path with no current mentor.
    without_mentor: i64,
    /// Candidates on the source list whose awareness certificate expires within `withinDays`.
    certificates_expiring: i64,
    /// Candidates on the source list whose introductions or comments go stale within `withinDays`.
    dossiers_going_stale: i64,
    /// Candidates still on the source list whose branch vote fell short of its share: the
    /// vote is on record (`Candidate.resolutions`, `approved: false`) and reported upward.
    failed_branch_votes: i64,
}

/// Residential areas in one year (or, in `change`, the difference between two years).
/// Each figure also comes as a share of the areas, with its numerator and denominator, to
/// be quoted rounded (`text(decimals: 2, rounding: ROUND)`, as published reports give
/// "57,74 % of village heads are not members") or truncated.
#[derive(SimpleObject, Clone, Copy)]
#[graphql(complex)]
pub struct Coverage {
    /// A difference between two years, whose shares mean nothing.
    #[graphql(skip)]
    difference: bool,
    /// Areas with a status recorded for the year.
    areas: i64,
    /// No member lives there (thôn, bản trắng đảng viên).
    without_member: i64,
    /// One or two members live there.
    with_one_or_two_members: i64,
    /// No branch of its own.
    without_branch: i64,
    /// Its head is not a member.
    head_not_member: i64,
}

#[async_graphql::ComplexObject]
impl Coverage {
    /// `withoutMember` of `areas`; `null` in `change`.
    async fn without_member_share(&self) -> Option<Percentage> {
        self.share(self.without_member)
    }
    /// `withOneOrTwoMembers` of `areas`; `null` in `change`.
    async fn with_one_or_two_members_share(&self) -> Option<Percentage> {
        self.share(self.with_one_or_two_members)
    }
    /// `withoutBranch` of `areas`; `null` in `change`.
    async fn without_branch_share(&self) -> Option<Percentage> {
        self.share(self.without_branch)
    }
    /// `headNotMember` of `areas`; `null` in `change`.
    async fn head_not_member_share(&self) -> Option<Percentage> {
        self.share(self.head_not_member)
    }
}

impl Coverage {
    fn share(&self, count: i64) -> Option<Percentage> {
        (!self.difference).then(|| Percentage::of(count, self.areas))
    }
}

impl From<service::Coverage> for Coverage {
    fn from(c: service::Coverage) -> Self {
        Coverage {
            difference: false,
            areas: c.areas,
            without_member: c.without_member,
            with_one_or_two_members: c.with_one_or_two_members,
            without_branch: c.without_branch,
            head_not_member: c.head_not_member,
        }
    }
}

/// Residential-area coverage in a year, and the change since another.
#[derive(SimpleObject)]
pub struct ResidentialCoverageReport {
    unit: OrgUnit,
    year: i32,
    compare_year: i32,
    current: Coverage,
    previous: Coverage,
    /// `current` minus `previous`, figure by figure.
    change: Coverage,
}

fn diff(a: service::Coverage, b: service::Coverage) -> Coverage {
    Coverage {
        difference: true,
        areas: a.areas - b.areas,
        without_member: a.without_member - b.without_member,
        with_one_or_two_members: a.with_one_or_two_members - b.with_one_or_two_members,
        without_branch: a.without_branch - b.without_branch,
        head_not_member: a.head_not_member - b.head_not_member,
    }
}

#[derive(Default)]
pub struct ReportsQuery;

async fn prepare(ctx: &Context<'_>, unit_id: &ID, period: ReportPeriodInput) -> async_graphql::Result<ReportFor> {
    let unit = expect_global_id(unit_id, OrgUnit::TYPENAME, "unitId")?;
    let successions = ctx
        .loaders()?
        .successions(|db| async move { crate::org::service::successions(&db).await })
        .await?
        .to_vec();
    Ok(service::report_with(ctx.db()?, ctx.report_actor()?, unit, period.into(), successions).await?)
}

#[Object]
impl ReportsQuery {
    /// Admitted (by ceremony date) against the target, the same period a year earlier, and
    /// every child unit ranked with those behind target marked. `targetBasis` says whose
    /// targets: assigned by the superior (default) or set by each unit's own resolution.
    async fn admission_progress(
        &self,
        ctx: &Context<'_>,
        unit_id: ID,
        period: ReportPeriodInput,
        #[graphql(default_with = "crate::graphql::enums::TargetBasis::Assigned")]
        target_basis: crate::graphql::enums::TargetBasis,
    ) -> async_graphql::Result<AdmissionProgressReport> {
        let mut report = prepare(ctx, &unit_id, period).await?;
        report.target_basis = target_basis.into();
        let progress = service::admission_progress(ctx.db()?, &report).await?;
        Ok(AdmissionProgressReport { report, progress })
    }

    /// New members of the period by age band, gender, ethnicity, religion, education,
    /// professional level, source organisation and returned soldiers.
    async fn new_member_breakdown(
        &self,
        ctx: &Context<'_>,
        unit_id: ID,
        period: ReportPeriodInput,
    ) -> async_graphql::Result<NewMemberBreakdownReport> {
        let report = prepare(ctx, &unit_id, period).await?;
        let state = ctx.state()?;
        let min = service::min_cell_size(
            &state.db,
            ctx.report_actor()?,
            state.settings.auth.reporting_min_cell_size,
        )
        .await?;
        let breakdown = service::new_member_breakdown(ctx.db()?, &report).await?;
        Ok(NewMemberBreakdownReport {
            report,
            disclosed: Disclosed::new(breakdown, min),
        })
    }

    /// Awareness-course graduates and admissions, with the conversion.
    async fn admission_funnel(
        &self,
        ctx: &Context<'_>,
        unit_id: ID,
        period: ReportPeriodInput,
    ) -> async_graphql::Result<AdmissionFunnelReport> {
        let report = prepare(ctx, &unit_id, period).await?;
        let funnel = service::admission_funnel(ctx.db()?, &report).await?;
        Ok(AdmissionFunnelReport { report, funnel })
    }

    /// Courses held and people trained, awareness and new-member.
    async fn training_summary(
        &self,
        ctx: &Context<'_>,
        unit_id: ID,
        period: ReportPeriodInput,
    ) -> async_graphql::Result<TrainingSummaryReport> {
        let report = prepare(ctx, &unit_id, period).await?;
        let rows = service::training_summary(ctx.db()?, &report).await?;
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
        unit_id: ID,
        #[graphql(desc = "The day to judge on (default: today).")] as_of: Option<Date>,
        #[graphql(default = 30, desc = "The horizon for what is coming up, in days.")] within_days: u32,
    ) -> async_graphql::Result<PipelineSummaryReport> {
        let as_of = as_of.map_or_else(crate::clock::today, |d| d.0);
        let report = prepare(
            ctx,
            &unit_id,
            ReportPeriodInput::Range(DateRangeInput {
                from: Date(as_of),
                to: Date(as_of),
            }),
        )
        .await?;
        let p = service::pipeline_summary(ctx.db()?, report.unit.id, as_of, within_days.min(3650)).await?;
        let by_stage = crate::domain::stage::Stage::ALL
            .iter()
            .map(|s| StageCount {
                stage: (*s).into(),
                count: p.by_stage.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect();
        Ok(PipelineSummaryReport {
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
        unit_id: ID,
        year: i32,
        compare_year: Option<i32>,
    ) -> async_graphql::Result<ResidentialCoverageReport> {
        let report = prepare(ctx, &unit_id, ReportPeriodInput::Year(year)).await?;
        service::check_has_communes(&report.unit)?;
        let compare_year = compare_year.unwrap_or(year - 1);
        let db = ctx.db()?;
        let current = service::residential_coverage(db, report.unit.id, year).await?;
        let previous = service::residential_coverage(db, report.unit.id, compare_year).await?;
        Ok(ResidentialCoverageReport {
            unit: OrgUnit(report.unit),
            year,
            compare_year,
            current: current.into(),
            previous: previous.into(),
            change: diff(current, previous),
        })
    }
}
