//! The arithmetic of the reports: the part of a target a steady pace reaches by a day, the
//! ranking of units by their share of target, and the age bands new members are counted in
//! (the bands district reports publish, 18–30 first).

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use super::period::Period;
use super::violation::Violation;

/// The part of a yearly or term `target` that a steady pace reaches by `to`, for a report
/// of `period`: a year to date or a range is measured against its calendar year, a term to
/// date against its term. Rounded down, so a unit is behind only when it truly is.
pub fn pro_rata(target: i64, period: Period, to: NaiveDate) -> Result<i64, Violation> {
    let full = match period {
        Period::YearToDate(_) | Period::Range { .. } => Period::Year(to.year()),
        Period::TermToDate {
            start_year, end_year, ..
        } => Period::Term { start_year, end_year },
        whole => whole,
    };
    let (start, end) = full.bounds()?;
    let total = (end - start).num_days() + 1;
    let elapsed = ((std::cmp::min(to, end) - start).num_days() + 1).clamp(0, total);
    Ok(target * elapsed / total)
}

/// A unit as the ranking sees it.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    pub admitted: i64,
    pub target: Option<i64>,
    pub name: &'a str,
}

/// The order of units in a progress report: the highest share of target first (compared
/// exactly, by cross-multiplying), units without a target last; then more admissions
/// first; then by name.
pub fn by_share_of_target(a: Standing<'_>, b: Standing<'_>) -> Ordering {
    let share = |s: Standing<'_>| s.target.filter(|t| *t > 0).map(|t| (s.admitted, t));
    match (share(a), share(b)) {
        (Some((an, ad)), Some((bn, bd))) => (bn * ad).cmp(&(an * bd)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then(b.admitted.cmp(&a.admitted))
    .then(a.name.cmp(b.name))
}

/// The age bands at joining, each with the oldest age it holds; past the last is `OVER_60`.
pub const AGE_BANDS: [(i64, &str); 5] = [
    (17, "UNDER_18"),
    (30, "18_30"),
    (40, "31_40"),
    (50, "41_50"),
    (60, "51_60"),
];

/// The band past the last of [`AGE_BANDS`].
pub const OLDEST_BAND: &str = "OVER_60";

/// The age band of an age at joining; `UNKNOWN` without one.
pub fn age_band(age: Option<i64>) -> &'static str {
    match age {
        None => "UNKNOWN",
        Some(a) => AGE_BANDS
            .iter()
            .find(|(oldest, _)| a <= *oldest)
            .map_or(OLDEST_BAND, |(_, band)| band),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_steady_pace_reaches_a_day_of_target_per_day_of_the_year() {
        let ytd = |to| pro_rata(366, Period::YearToDate(to), to).unwrap();
        assert_eq!(ytd(day(2024, 1, 1)), 1);
        assert_eq!(ytd(day(2024, 7, 1)), 183);
        assert_eq!(ytd(day(2024, 12, 31)), 366);
        // Rounded down: 10 admissions a year reach 9 on 30 December (364 of 366 days).
        assert_eq!(
            pro_rata(10, Period::YearToDate(day(2024, 12, 29)), day(2024, 12, 29)).unwrap(),
            9
        );
        assert_eq!(pro_rata(10, Period::Year(2024), day(2024, 12, 31)).unwrap(), 10);
        let term = Period::TermToDate {
            start_year: 2020,
            end_year: 2024,
            as_of: day(2022, 12, 31),
        };
        // Three of five years (1,096 of 1,827 days) of a term target of 500.
        assert_eq!(pro_rata(500, term, day(2022, 12, 31)).unwrap(), 299);
    }

    #[test]
    fn units_rank_by_exact_share_then_admissions_then_name() {
        let s = |admitted, target, name| Standing { admitted, target, name };
        let mut units = [
            s(5, None, "Bản Chang"),
            s(2, Some(3), "Nà Lầu"),   // 66.7 %
            s(4, Some(6), "Bản Mới"),  // 66.7 %, more admitted
            s(3, Some(4), "Huổi Bon"), // 75 %
            s(1, Some(0), "Lũng Cú"),  // a target of 0 counts as none
            s(9, None, "Ai Tử"),
        ];
        units.sort_by(|a, b| by_share_of_target(*a, *b));
        let names: Vec<&str> = units.iter().map(|u| u.name).collect();
        assert_eq!(
            names,
            ["Huổi Bon", "Bản Mới", "Nà Lầu", "Ai Tử", "Bản Chang", "Lũng Cú"]
        );
    }

    #[test]
    fn ages_fall_in_their_bands_at_each_edge() {
        let band = |a| age_band(Some(a));
        assert_eq!(band(17), "UNDER_18");
        assert_eq!(band(18), "18_30");
        assert_eq!(band(30), "18_30");
        assert_eq!(band(31), "31_40");
        assert_eq!(band(60), "51_60");
        assert_eq!(band(61), OLDEST_BAND);
        assert_eq!(age_band(None), "UNKNOWN");
    }
}
