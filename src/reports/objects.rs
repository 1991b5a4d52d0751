//! The reports as the API shows them: each figure with its numerator, denominator and
//! percentage, the period it covers and the target it is measured against.

use async_graphql::{Context, Object, SimpleObject};

use super::breakdown::{Dimension, Disclosed};
use super::graphql::{Percentage, ReportPeriod};
use super::service::{self, ReportFor};
use super::summaries;
use crate::domain::ethnicity::Ethnicity;
use crate::domain::person::{ProfessionalLevel, Religion};
use crate::graphql::enums::CandidateStage;
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;
use crate::replica::ReadFrom;

/// Which database a report was read from.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReportDatabase {
    /// The primary, which every act writes to: the figures are current.
    Primary,
    /// A read replica (`--read-database-url`), a little behind the primary.
    Replica,
}

/// Where a report's figures were read, and how old they may be.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct ReportSource {
    /// The primary or a read replica.
    pub(super) database: ReportDatabase,
    /// How far behind the primary the replica was when last measured (at most a second
    /// before the report), in milliseconds; 0 on the primary. A replica further behind than
    /// the server's bound (`--read-max-lag-secs`, default 30 s) is not read: reports then
    /// read the primary.
    pub(super) lag_milliseconds: i64,
}

impl From<ReadFrom> for ReportSource {
    fn from(read: ReadFrom) -> Self {
        match read {
            ReadFrom::Primary => ReportSource {
                database: ReportDatabase::Primary,
                lag_milliseconds: 0,
            },
            ReadFrom::Replica { lag_ms } => ReportSource {
                database: ReportDatabase::Replica,
                lag_milliseconds: lag_ms,
            },
        }
    }
}

pub(super) fn share(numerator: i64, denominator: Option<i64>) -> Option<Percentage> {
    denominator.filter(|d| *d > 0).map(|d| Percentage::of(numerator, d))
}

pub struct UnitProgress {
    pub(super) rank: Option<usize>,
    pub(super) inner: service::UnitProgress,
}

/// One unit's admissions against its target.
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

pub struct AdmissionProgressReport {
    pub(super) report: ReportFor,
    pub(super) progress: service::AdmissionProgress,
}

/// Admissions against targets, the same period a year earlier, and each child unit ranked.
#[Object]
impl AdmissionProgressReport {
    /// The period the report covers.
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    /// Where the figures were read, and how old they may be.
    async fn source(&self) -> ReportSource {
        self.report.source.into()
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
    pub(super) key: String,
    /// New members with this value; `null` when withheld.
    pub(super) count: Option<i64>,
    /// `count` as a share of the report's total; `null` when withheld.
    pub(super) share: Option<Percentage>,
    /// Withheld from this reporting account (statistical disclosure control).
    pub(super) suppressed: bool,
}

pub struct NewMemberBreakdownReport {
    pub(super) report: ReportFor,
    pub(super) disclosed: Disclosed,
}

impl NewMemberBreakdownReport {
    fn buckets(&self, dimension: Dimension) -> Vec<Bucket> {
        let mut keys = self.disclosed.keys(dimension);
        // Largest first, withheld cells last in key order, so the order says nothing of them.
        keys.sort_by_key(|key| {
            let shown = self.disclosed.cell(dimension, key);
            (shown.is_none(), std::cmp::Reverse(shown.unwrap_or(0)), *key)
        });
        keys.into_iter()
            .map(|key| {
                let count = self.disclosed.cell(dimension, key);
                Bucket {
                    key: key.to_owned(),
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

/// Who the new members of a period are.
#[Object]
impl NewMemberBreakdownReport {
    /// The period the report covers.
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    /// Where the figures were read, and how old they may be.
    async fn source(&self) -> ReportSource {
        self.report.source.into()
    }
    /// The unit whose subtree the report covers.
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
    /// By gender.
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
    /// By religion (`NONE` for none).
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
    /// By general education.
    async fn general_education(&self) -> Vec<Bucket> {
        self.buckets(Dimension::GeneralEducation)
    }
    /// By professional qualification.
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

pub struct AdmissionFunnelReport {
    pub(super) report: ReportFor,
    pub(super) funnel: summaries::Funnel,
}

/// From the awareness course to admission.
#[Object]
impl AdmissionFunnelReport {
    /// The period the report covers.
    async fn period(&self) -> ReportPeriod {
        (&self.report).into()
    }
    /// Where the figures were read, and how old they may be.
    async fn source(&self) -> ReportSource {
        self.report.source.into()
    }
    /// The unit whose subtree the report covers.
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
    /// `trainedThenAdmitted` as a share of `trained`: how many of that cohort made it.
    async fn cohort_conversion(&self) -> Percentage {
        Percentage::of(self.funnel.trained_then_admitted, self.funnel.trained)
    }
}

/// Courses held and people trained, for one kind of course.
#[derive(SimpleObject)]
pub struct CourseTraining {
    /// Courses organised in the subtree that started in the period.
    pub(super) courses: i64,
    /// Certificates those courses issued in the period.
    pub(super) trained: i64,
}

/// Courses held and people trained.
#[derive(SimpleObject)]
pub struct TrainingSummaryReport {
    /// Where the figures were read, and how old they may be.
    pub(super) source: ReportSource,
    /// The period the report covers.
    pub(super) period: ReportPeriod,
    /// The unit whose subtree the report covers.
    pub(super) unit: OrgUnit,
    /// Awareness courses (lớp bồi dưỡng nhận thức về Đảng).
    pub(super) awareness: CourseTraining,
    /// New-member courses (lớp bồi dưỡng đảng viên mới).
    pub(super) new_member: CourseTraining,
}

/// How many candidates stand at one stage.
#[derive(SimpleObject)]
pub struct StageCount {
    /// The stage.
    pub(super) stage: CandidateStage,
    /// Candidates at that stage now.
    pub(super) count: i64,
}

/// The state of the pipeline on a day.
#[derive(SimpleObject)]
pub struct PipelineSummaryReport {
    /// Where the figures were read, and how old they may be.
    pub(super) source: ReportSource,
    /// The unit whose subtree the report covers.
    pub(super) unit: OrgUnit,
    /// The day the pipeline is judged on.
    pub(super) as_of: Date,
    /// The horizon for what is coming up, in calendar days from `asOf`.
    pub(super) within_days: u32,
    /// Candidates in each stage (now).
    pub(super) by_stage: Vec<StageCount>,
    /// Steps past their deadline.
    pub(super) overdue_deadlines: i64,
    /// Steps due within `withinDays`.
    pub(super) deadlines_coming_up: i64,
    /// Candidates on the path with no current mentor.
    pub(super) without_mentor: i64,
    /// Candidates on the source list whose awareness certificate expires within `withinDays`.
    pub(super) certificates_expiring: i64,
    /// Candidates on the source list whose introductions or comments go stale within `withinDays`.
    pub(super) dossiers_going_stale: i64,
    /// Candidates still on the source list whose branch vote fell short of its share: the
    /// vote is on record (`Candidate.resolutions`, `approved: false`) and reported upward.
    pub(super) failed_branch_votes: i64,
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
    pub(super) difference: bool,
    /// Areas with a status recorded for the year.
    pub(super) areas: i64,
    /// No member lives there (thôn, bản trắng đảng viên).
    pub(super) without_member: i64,
    /// One or two members live there.
    pub(super) with_one_or_two_members: i64,
    /// No branch of its own.
    pub(super) without_branch: i64,
    /// Its head is not a member.
    pub(super) head_not_member: i64,
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

impl From<summaries::Coverage> for Coverage {
    fn from(c: summaries::Coverage) -> Self {
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
    /// Where the figures were read, and how old they may be.
    pub(super) source: ReportSource,
    /// The unit whose subtree the report covers.
    pub(super) unit: OrgUnit,
    /// The year reported.
    pub(super) year: i32,
    /// The year compared with (by default the year before).
    pub(super) compare_year: i32,
    /// Coverage in `year`.
    pub(super) current: Coverage,
    /// Coverage in `compareYear`.
    pub(super) previous: Coverage,
    /// `current` minus `previous`, figure by figure.
    pub(super) change: Coverage,
}

pub(super) fn diff(a: summaries::Coverage, b: summaries::Coverage) -> Coverage {
    Coverage {
        difference: true,
        areas: a.areas - b.areas,
        without_member: a.without_member - b.without_member,
        with_one_or_two_members: a.with_one_or_two_members - b.with_one_or_two_members,
        without_branch: a.without_branch - b.without_branch,
        head_not_member: a.head_not_member - b.head_not_member,
    }
}
