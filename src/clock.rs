//! Today's date where the work happens: Vietnam keeps UTC+7 all year, with no daylight saving.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// The calendar date in Vietnam at `now`.
pub fn date_in_vietnam(now: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(VIETNAM_OFFSET_SECS) {
        Some(offset) => now.with_timezone(&offset).date_naive(),
        None => unreachable!("UTC+7 is a valid offset"),
    }
}

/// Today's date in Vietnam.
pub fn today() -> NaiveDate {
    date_in_vietnam(Utc::now())
}

/// No act is dated after today in Vietnam: the rule is `domain::dates::not_after_today`,
/// asked with the clock's date.
pub fn not_in_future(field: &'static str, day: NaiveDate) -> crate::error::AppResult<()> {
    Ok(crate::domain::dates::not_after_today(field, day, today())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_day_turns_at_17_00_utc() {
        let before = Utc.with_ymd_and_hms(2026, 1, 31, 16, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 1, 31, 17, 0, 0).unwrap();
        assert_eq!(date_in_vietnam(before), NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
        assert_eq!(date_in_vietnam(after), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
    }
}
