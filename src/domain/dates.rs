//! The dates an act carries. A paper of the admission path is dated on the day it was
//! signed, held or received, so none is dated after today, and each follows the step it
//! answers: the branch's resolution comes after the listing, the decision after the
//! committee's resolution, the ceremony after the decision (the sequence of Hướng dẫn
//! 12-HD/BTCTW 2022: dossier, branch vote, grassroots appraisal, decision, ceremony).
//! These are the record's integrity, not thresholds: there is nothing in them to version.

use crate::lang::Text;
use crate::tr;
use chrono::NaiveDate;

use crate::violation::Violation;

/// No act is dated after `today` (`DATE_IN_FUTURE`); today itself is allowed.
pub fn not_after_today(field: &'static str, day: NaiveDate, today: NaiveDate) -> Result<(), Violation> {
    if day > today {
        return Err(Violation::new(
            "DATE_IN_FUTURE",
            tr!(
                "{field} {day} is after today ({today})",
                "{field} {day} sau ngày hôm nay ({today})"
            ),
        ));
    }
    Ok(())
}

/// An act is not dated before the step it follows (`DATES_OUT_OF_ORDER`); the same day is
/// allowed, and a step not yet taken (`None`) constrains nothing.
pub fn not_before(
    field: &'static str,
    day: NaiveDate,
    earlier_what: &Text,
    earlier: Option<NaiveDate>,
) -> Result<(), Violation> {
    match earlier {
        Some(earlier) if day < earlier => {
            let (then_en, then_vi) = (earlier_what.en(), earlier_what.vi());
            Err(Violation::new(
                "DATES_OUT_OF_ORDER",
                tr!(
                    "{field} {day} is before {then_en} ({earlier})",
                    "{field} {day} trước {then_vi} ({earlier})"
                ),
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    const LISTING: Text = Text::fixed("the listing", "việc đưa vào danh sách");

    #[test]
    fn today_is_allowed_and_tomorrow_is_not() {
        let today = d(2026, 12, 1);
        assert_eq!(not_after_today("heldOn", today, today), Ok(()));
        assert_eq!(not_after_today("heldOn", d(2026, 11, 30), today), Ok(()));
        let refused = not_after_today("heldOn", d(2026, 12, 2), today).unwrap_err();
        assert_eq!(refused.rule, "DATE_IN_FUTURE");
        assert_eq!(refused.message.en(), "heldOn 2026-12-02 is after today (2026-12-01)");
    }

    #[test]
    fn the_same_day_as_the_step_before_is_allowed_and_the_day_before_is_not() {
        let listed = Some(d(2025, 3, 10));
        assert_eq!(not_before("resolvedOn", d(2025, 3, 10), &LISTING, listed), Ok(()));
        assert_eq!(not_before("resolvedOn", d(2025, 3, 11), &LISTING, listed), Ok(()));
        let refused = not_before("resolvedOn", d(2025, 3, 9), &LISTING, listed).unwrap_err();
        assert_eq!(refused.rule, "DATES_OUT_OF_ORDER");
        assert_eq!(
            refused.message.en(),
            "resolvedOn 2025-03-09 is before the listing (2025-03-10)"
        );
    }

    #[test]
    fn a_step_not_taken_constrains_nothing() {
        assert_eq!(
            not_before(
                "heldOn",
                d(1990, 1, 1),
                &Text::fixed("the decision", "quyết định"),
                None
            ),
            Ok(())
        );
    }
}
