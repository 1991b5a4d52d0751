//! Working days: Monday to Friday, less public holidays, plus the Saturdays worked to make
//! up for a swapped day off. The holiday table is data the administrator edits.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

super::macros::string_enum! {
    /// What a day in the holiday table is.
    pub enum DayKind {
        /// A public holiday or a day off given in exchange (nghỉ lễ, nghỉ bù).
        Holiday = "HOLIDAY",
        /// A Saturday or Sunday worked to make up for a swapped day off (làm bù).
        MakeupWorkday = "MAKEUP_WORKDAY",
    }
}

#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    makeup_workdays: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        makeup_workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        WorkingCalendar {
            holidays: holidays.into_iter().collect(),
            makeup_workdays: makeup_workdays.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The `n`-th working day after `start` (`start` itself not counted): the last day on
    /// which something due "within `n` working days of `start`" is in time.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = match day.succ_opt() {
                Some(next) => next,
                None => return NaiveDate::MAX,
            };
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `start` up to and including `end` (0 when `end` ≤ `start`); the
    /// tests' measure of a deadline.
    #[cfg(test)]
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> u32 {
        start
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= end)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    /// Tết 2026 for civil servants: 14–22 February (Mon 16 to Fri 20 are the weekdays off).
    fn tet_2026() -> WorkingCalendar {
        WorkingCalendar::new(
            [
                d(2026, 2, 16),
                d(2026, 2, 17),
                d(2026, 2, 18),
                d(2026, 2, 19),
                d(2026, 2, 20),
            ],
            [],
        )
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        let cal = tet_2026();
        assert!(!cal.is_working_day(d(2026, 2, 14)));
        assert!(!cal.is_working_day(d(2026, 2, 17)));
        assert!(cal.is_working_day(d(2026, 2, 23)));
        let swapped = WorkingCalendar::new([d(2026, 1, 2)], [d(2026, 1, 10)]);
        assert!(swapped.is_working_day(d(2026, 1, 10)), "a make-up Saturday is worked");
        assert!(!swapped.is_working_day(d(2026, 1, 2)));
    }

    #[test]
    fn sixty_working_days_across_lunar_new_year() {
        let cal = tet_2026();
        // Branch resolution on Monday 5 January 2026.
        let start = d(2026, 1, 5);
        let due = cal.add_working_days(start, 60);
        // Without Tết the 60th working day after 5 January would be 30 March; the five
        // weekdays of Tết push it to 6 April.
        assert_eq!(due, d(2026, 4, 6));
        assert_eq!(cal.working_days_between(start, due), 60);
        assert_eq!(cal.working_days_between(start, d(2026, 4, 7)), 61);
        let plain = WorkingCalendar::default();
        assert_eq!(plain.add_working_days(start, 60), d(2026, 3, 30));
    }

    #[test]
    fn zero_days_is_the_start_itself() {
        let cal = WorkingCalendar::default();
        assert_eq!(cal.add_working_days(d(2026, 3, 6), 0), d(2026, 3, 6));
        assert_eq!(
            cal.add_working_days(d(2026, 3, 6), 1),
            d(2026, 3, 9),
            "Friday + 1 is Monday"
        );
        assert_eq!(cal.working_days_between(d(2026, 3, 6), d(2026, 3, 6)), 0);
    }
}
