//! Reporting periods: a calendar year, a five-year congress term, a date range, or the
//! year to a given day; each with "the same period a year earlier".

use crate::tr;
use chrono::{Datelike, NaiveDate};

use super::lang::{Lang, Text};
use super::violation::Violation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    /// A congress term (nhiệm kỳ), e.g. 2020–2025: from 1 January of the first year to
    /// 31 December of the last.
    Term {
        start_year: i32,
        end_year: i32,
    },
    /// A term up to a given day (e.g. "since the start of the term").
    TermToDate {
        start_year: i32,
        end_year: i32,
        as_of: NaiveDate,
    },
    Range {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// 1 January of `as_of`'s year through `as_of`.
    YearToDate(NaiveDate),
}

fn jan1(year: i32) -> Result<NaiveDate, Violation> {
    NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| {
        Violation::new(
            "PERIOD_INVALID",
            tr!("{year} is not a year", "{year} không phải là một năm"),
        )
    })
}

fn dec31(year: i32) -> Result<NaiveDate, Violation> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| {
        Violation::new(
            "PERIOD_INVALID",
            tr!("{year} is not a year", "{year} không phải là một năm"),
        )
    })
}

impl Period {
    /// Check the period makes sense.
    pub fn checked(self) -> Result<Period, Violation> {
        let (from, to) = self.bounds()?;
        if to < from {
            return Err(Violation::new(
                "PERIOD_INVALID",
                tr!("the period ends before it starts", "kỳ kết thúc trước khi bắt đầu"),
            ));
        }
        if let Period::Term { start_year, end_year }
        | Period::TermToDate {
            start_year, end_year, ..
        } = self
            && !(1..=10).contains(&(end_year - start_year))
        {
            return Err(Violation::new(
                "PERIOD_INVALID",
                tr!(
                    "a term spans 1 to 10 years (usually 5)",
                    "một nhiệm kỳ dài từ 1 đến 10 năm (thường là 5)"
                ),
            ));
        }
        Ok(self)
    }

    /// First and last day, both included.
    pub fn bounds(self) -> Result<(NaiveDate, NaiveDate), Violation> {
        Ok(match self {
            Period::Year(year) => (jan1(year)?, dec31(year)?),
            Period::Term { start_year, end_year } => (jan1(start_year)?, dec31(end_year)?),
            Period::TermToDate { start_year, as_of, .. } => (jan1(start_year)?, as_of),
            Period::Range { from, to } => (from, to),
            Period::YearToDate(as_of) => (jan1(as_of.year())?, as_of),
        })
    }

    /// The same period one year earlier (29 February becomes 28 February).
    pub fn year_earlier(self) -> Result<(NaiveDate, NaiveDate), Violation> {
        let (from, to) = self.bounds()?;
        let back = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(d.year() - 1, d.month(), d.day())
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        };
        match (back(from), back(to)) {
            (Some(f), Some(t)) => Ok((f, t)),
            _ => Err(Violation::new(
                "PERIOD_INVALID",
                tr!("no year before this period", "không có năm nào trước kỳ này"),
            )),
        }
    }

    /// The target that measures this period: the term's target for a term, otherwise the
    /// target of the year the period lies in (none when it spans several years).
    pub fn target_key(self) -> Result<Option<TargetKey>, Violation> {
        Ok(match self {
            Period::Year(year) => Some(TargetKey::Year(year)),
            Period::Term { start_year, end_year }
            | Period::TermToDate {
                start_year, end_year, ..
            } => Some(TargetKey::Term { start_year, end_year }),
            Period::Range { .. } | Period::YearToDate(_) => {
                let (from, to) = self.bounds()?;
                (from.year() == to.year()).then_some(TargetKey::Year(from.year()))
            }
        })
    }

    /// A short label ("2023", "2020–2025", "2023-01-01 – 2023-09-30"), in English: the
    /// form files and their cells keep, whoever downloads them.
    pub fn label(self) -> String {
        self.label_in(Lang::En)
    }

    /// [`Period::label`] in `lang` ("2020–2025 to 2023-09-30", "2020–2025 đến 2023-09-30").
    pub fn label_in(self, lang: Lang) -> String {
        const TO: Text = Text::fixed("to", "đến");
        match self {
            Period::Year(year) => year.to_string(),
            Period::Term { start_year, end_year } => format!("{start_year}–{end_year}"),
            Period::TermToDate {
                start_year,
                end_year,
                as_of,
            } => format!("{start_year}–{end_year} {} {as_of}", TO.get(lang)),
            Period::Range { from, to } => format!("{from} – {to}"),
            Period::YearToDate(as_of) => format!("{}-01-01 – {as_of}", as_of.year()),
        }
    }
}

/// Which target a period is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKey {
    Year(i32),
    Term { start_year: i32, end_year: i32 },
}

super::macros::string_enum! {
    /// The kind of period a target is set for.
    pub enum PeriodKind {
        /// A calendar year.
        Year = "YEAR",
        /// A congress term (nhiệm kỳ).
        Term = "TERM",
    }
}

super::macros::string_enum! {
    /// Whose target a figure is measured against. Published reports quote admissions
    /// against both: the same 105 admissions are 131 % of the 80 the superior assigned and
    /// 117 % of the 90 the congress resolved.
    pub enum TargetBasis {
        /// Assigned by the direct superior (giao chỉ tiêu).
        Assigned = "ASSIGNED",
        /// Set by the unit's own congress or annual resolution (nghị quyết đại hội, nghị
        /// quyết năm).
        OwnResolution = "OWN_RESOLUTION",
    }
}

/// Age in whole years on `on`.
pub fn age_in_years(birth: NaiveDate, on: NaiveDate) -> i32 {
    super::months::full_months_between(birth, on).div_euclid(12)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    #[test]
    fn bounds_and_the_year_before() {
        assert_eq!(Period::Year(2023).bounds().unwrap(), (d(2023, 1, 1), d(2023, 12, 31)));
        assert_eq!(
            Period::YearToDate(d(2023, 9, 30)).bounds().unwrap(),
            (d(2023, 1, 1), d(2023, 9, 30))
        );
        assert_eq!(
            Period::YearToDate(d(2023, 9, 30)).year_earlier().unwrap(),
            (d(2022, 1, 1), d(2022, 9, 30))
        );
        assert_eq!(
            Period::Range {
                from: d(2024, 2, 29),
                to: d(2024, 3, 1)
            }
            .year_earlier()
            .unwrap(),
            (d(2023, 2, 28), d(2023, 3, 1))
        );
        assert_eq!(
            Period::Term {
                start_year: 2020,
                end_year: 2025
            }
            .bounds()
            .unwrap(),
            (d(2020, 1, 1), d(2025, 12, 31))
        );
    }

    #[test]
    fn the_target_that_measures_a_period() {
        assert_eq!(
            Period::YearToDate(d(2023, 6, 30)).target_key().unwrap(),
            Some(TargetKey::Year(2023))
        );
        assert_eq!(
            Period::Range {
                from: d(2022, 6, 1),
                to: d(2023, 5, 31)
            }
            .target_key()
            .unwrap(),
            None
        );
        assert_eq!(
            Period::Term {
                start_year: 2020,
                end_year: 2025
            }
            .target_key()
            .unwrap(),
            Some(TargetKey::Term {
                start_year: 2020,
                end_year: 2025
            })
        );
    }

    #[test]
    fn nonsense_periods_are_refused() {
        assert!(
            Period::Range {
                from: d(2023, 5, 1),
                to: d(2023, 4, 1)
            }
            .checked()
            .is_err()
        );
        assert!(
            Period::Term {
                start_year: 2025,
                end_year: 2020
            }
            .checked()
            .is_err()
        );
    }

    #[test]
    fn ages_in_whole_years() {
        assert_eq!(age_in_years(d(1993, 9, 30), d(2023, 9, 30)), 30);
        assert_eq!(age_in_years(d(1992, 10, 1), d(2023, 9, 30)), 30);
        assert_eq!(age_in_years(d(1992, 9, 30), d(2023, 9, 30)), 31);
    }
}
