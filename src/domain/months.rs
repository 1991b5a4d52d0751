//! Counting in whole months, as the rules do: ages, certificate validity, how long an
//! introducer has known the candidate, probation.

use chrono::{Months, NaiveDate};

/// `date` plus `months` calendar months; the 31st becomes the last day of a shorter month.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The last day of a period of `months` months that starts with the event of `start`, as
/// the Civil Code reckons it (Bộ luật Dân sự 2015, Điều 147–148): the day of the event is
/// not counted, and the period ends at the end of the corresponding day of its last month,
/// or of that month's last day when it has no such day. A certificate issued on 10 March
/// 2021 and valid 60 months is valid through 10 March 2026; a paper dated 15 May 2024 and
/// good for 12 months is good through 15 May 2025. Every validity period uses this.
pub fn period_end(start: NaiveDate, months: u32) -> NaiveDate {
    add_months(start, months)
}

/// Whether `on` falls within the period of `months` months that starts with `start`.
pub fn within_period(start: NaiveDate, months: u32, on: NaiveDate) -> bool {
    on <= period_end(start, months)
}

/// The earliest start of a period of `months` months that still runs on `day`: every start
/// on or after it is within its period on `day`, every start before it is not. Not simply
/// `day` minus the months, which month ends clamp (29 February 2024 minus 12 months is
/// 28 February 2023, whose period ended on the 28th).
pub fn earliest_start_through(day: NaiveDate, months: u32) -> NaiveDate {
    let back = day.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
    if period_end(back, months) >= day {
        back
    } else {
        back.succ_opt().unwrap_or(back)
    }
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
    use crate::testing::d;

    #[test]
    fn counts_whole_months_only() {
        assert_eq!(full_months_between(d(2008, 3, 15), d(2026, 3, 14)), 215);
        assert_eq!(full_months_between(d(2008, 3, 15), d(2026, 3, 15)), 216);
        assert_eq!(full_months_between(d(2026, 1, 31), d(2026, 2, 28)), 1);
        assert_eq!(full_months_between(d(2026, 1, 31), d(2026, 2, 27)), 0);
        assert_eq!(full_months_between(d(2026, 5, 1), d(2026, 4, 1)), -1);
    }

    /// BLDS 2015 Điều 147–148: through the corresponding day, not past it; a month
    /// without that day ends on its last day.
    #[test]
    fn a_period_in_months_ends_on_the_corresponding_day() {
        assert!(within_period(d(2021, 3, 10), 60, d(2026, 3, 10)));
        assert!(!within_period(d(2021, 3, 10), 60, d(2026, 3, 11)));
        assert!(within_period(d(2024, 5, 15), 12, d(2025, 5, 15)));
        assert!(!within_period(d(2024, 5, 15), 12, d(2025, 5, 16)));
        assert_eq!(period_end(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(period_end(d(2025, 8, 31), 6), d(2026, 2, 28));
    }

    #[test]
    fn the_earliest_start_still_running_is_exact_at_month_ends() {
        assert_eq!(earliest_start_through(d(2025, 5, 15), 12), d(2024, 5, 15));
        // 28 February 2023 ran through 28 February 2024 only.
        assert_eq!(earliest_start_through(d(2024, 2, 29), 12), d(2023, 3, 1));
        for day in [d(2024, 2, 29), d(2025, 3, 31), d(2026, 1, 1), d(2028, 2, 29)] {
            let start = earliest_start_through(day, 12);
            assert!(within_period(start, 12, day));
            assert!(!within_period(start.pred_opt().unwrap(), 12, day));
        }
    }

    #[test]
    fn adding_months_clamps_to_the_month_end() {
        assert_eq!(add_months(d(2025, 8, 31), 6), d(2026, 2, 28));
        assert_eq!(add_months(d(2025, 3, 10), 12), d(2026, 3, 10));
    }
}
