//! Counting in whole months, as the rules do: ages, certificate validity, how long an
//! introducer has known the candidate, probation.

use chrono::{Months, NaiveDate};

/// `date` plus `months` calendar months; the 31st becomes the last day of a shorter month.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whole months from `from` to `to`: 2008-03-15 → 2026-03-14 is 215 (17 years 11 months),
/// → 2026-03-15 is 216. Negative when `to` is before `from`.
pub fn full_months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    use chrono::Datelike;
    if to < from {
        return -full_months_between(to, from);
    }
    let mut months = (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32);
    while months > 0 && add_months(from, months as u32) > to {
        months -= 1;
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counts_whole_months_only() {
        assert_eq!(full_months_between(d(2008, 3, 15), d(2026, 3, 14)), 215);
        assert_eq!(full_months_between(d(2008, 3, 15), d(2026, 3, 15)), 216);
        assert_eq!(full_months_between(d(2026, 1, 31), d(2026, 2, 28)), 1);
        assert_eq!(full_months_between(d(2026, 1, 31), d(2026, 2, 27)), 0);
        assert_eq!(full_months_between(d(2026, 5, 1), d(2026, 4, 1)), -1);
    }

    #[test]
    fn adding_months_clamps_to_the_month_end() {
        assert_eq!(add_months(d(2025, 8, 31), 6), d(2026, 2, 28));
        assert_eq!(add_months(d(2025, 3, 10), 12), d(2026, 3, 10));
    }
}
