//! Re-admission of a former member (kết nạp lại người xin vào Đảng), Quy định 29-QĐ/TW 2016 §3.5,
//! kept by 24-QĐ/TW 2021 and 294-QĐ/TW 2025 §3.5:
//!
//! - 3.5.1: the conditions of any admission; at least 36 months since leaving (60 months
//!   since the record was expunged after a conviction for a less serious offence); an
//!   application; the written consent of the provincial standing committee.
//! - 3.5.2: never for those who left by abandoning Party activity, by resigning (unless for
//!   special family hardship), by causing serious internal disunity, or by conviction for
//!   corruption or for a serious offence or worse.
//! - 3.5.3: only once. 3.5.4: with probation.
//! - 4.5.2: once recognised, party age counts from the first admission decision, less the
//!   time outside the Party.

use crate::tr;
use chrono::NaiveDate;

use super::macros::string_enum;
use super::months::add_months;
use super::rulebook::Rulebook;
use super::violation::Violation;

string_enum! {
    /// Why a former member left the Party.
    pub enum LeftReason {
        StruckOff = "STRUCK_OFF",
        Expelled = "EXPELLED",
        ResignedForFamilyHardship = "RESIGNED_FOR_FAMILY_HARDSHIP",
        MinorConviction = "MINOR_CONVICTION",
        AbandonedActivity = "ABANDONED_ACTIVITY",
        Resigned = "RESIGNED",
        SeriousDisunity = "SERIOUS_DISUNITY",
        CorruptionConviction = "CORRUPTION_CONVICTION",
        SeriousConviction = "SERIOUS_CONVICTION",
    }
}

impl LeftReason {
    /// Whether the rules exclude re-admission outright (§3.5.2).
    pub fn excludes_readmission(self) -> bool {
        matches!(
            self,
            LeftReason::AbandonedActivity
                | LeftReason::Resigned
                | LeftReason::SeriousDisunity
                | LeftReason::CorruptionConviction
                | LeftReason::SeriousConviction
        )
    }
}

/// A former member's record, as the rules on re-admission read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormerMember {
    pub left_on: Option<NaiveDate>,
    pub reason: Option<LeftReason>,
    pub record_expunged_on: Option<NaiveDate>,
    /// The first admission decision, from which party age counts.
    pub first_decision: Option<NaiveDate>,
}

/// Whether a former member may be put on a source list again: not when the reason they left
/// excludes it (`READMISSION_EXCLUDED`), not a second time (`READMISSION_ONLY_ONCE`), and
/// not without the day and the reason on record (`READMISSION_EXIT_UNRECORDED`).
pub fn check_listing(former: &FormerMember, readmitted_before: bool) -> Result<(), Violation> {
    if readmitted_before {
        return Err(Violation::new(
            "READMISSION_ONLY_ONCE",
            tr!(
                "the person has been re-admitted once already; the rules allow it only once",
                "người này đã được kết nạp lại một lần; quy định chỉ cho phép kết nạp lại một lần"
            ),
        ));
    }
    match (former.left_on, former.reason) {
        (Some(_), Some(reason)) if reason.excludes_readmission() => Err(Violation::new(
            "READMISSION_EXCLUDED",
            tr!(
                "the person left the Party for a reason that excludes re-admission ({reason})",
                "người này ra khỏi Đảng vì lý do không được xem xét kết nạp lại ({reason})"
            ),
        )),
        (Some(_), Some(LeftReason::MinorConviction)) if former.record_expunged_on.is_none() => Err(Violation::new(
            "READMISSION_EXIT_UNRECORDED",
            tr!(
                "record on the former member's registry entry the day the criminal record was expunged",
                "hãy ghi vào hồ sơ đảng viên cũ ngày được xóa án tích"
            ),
        )),
        (Some(_), Some(_)) => Ok(()),
        _ => Err(Violation::new(
            "READMISSION_EXIT_UNRECORDED",
            tr!(
                "record on the former member's registry entry the day and the reason they left the Party",
                "hãy ghi vào hồ sơ đảng viên cũ ngày và lý do ra khỏi Đảng"
            ),
        )),
    }
}

/// The earliest day of the branch vote on re-admitting `former` (§3.5.1 b).
pub fn earliest_vote(rules: &Rulebook, former: &FormerMember) -> Option<NaiveDate> {
    let left = former.left_on?;
    let after_leaving = add_months(left, rules.readmission_wait_months);
    match (former.reason, former.record_expunged_on) {
        (Some(LeftReason::MinorConviction), Some(expunged)) => Some(std::cmp::max(
            after_leaving,
            add_months(expunged, rules.readmission_wait_after_expungement_months),
        )),
        _ => Some(after_leaving),
    }
}

/// The conditions of the branch vote on a re-admission: the waiting period has run
/// (`READMISSION_TOO_SOON`) and the provincial standing committee consented in writing
/// (`READMISSION_NEEDS_PROVINCIAL_CONSENT`).
pub fn check_vote(rules: &Rulebook, former: &FormerMember, on: NaiveDate, consent: bool) -> Result<(), Violation> {
    let earliest = earliest_vote(rules, former).ok_or_else(|| {
        Violation::new(
            "READMISSION_EXIT_UNRECORDED",
            tr!(
                "record the day the former member left the Party",
                "hãy ghi ngày đảng viên cũ ra khỏi Đảng"
            ),
        )
    })?;
    // The period runs through the corresponding day (Civil Code 2015, art. 147–148): the
    // vote may be held from the day after.
    if on <= earliest {
        return Err(Violation::new(
            "READMISSION_TOO_SOON",
            tr!(
                "re-admission may be voted on after {earliest}",
                "chỉ được biểu quyết kết nạp lại sau ngày {earliest}"
            ),
        ));
    }
    if !consent {
        return Err(Violation::new(
            "READMISSION_NEEDS_PROVINCIAL_CONSENT",
            tr!(
                "re-admission needs the written consent of the provincial standing committee",
                "kết nạp lại phải có ý kiến đồng ý bằng văn bản của ban thường vụ tỉnh ủy"
            ),
        ));
    }
    Ok(())
}

/// The day party age counts from for a re-admitted member once recognised (§4.5.2): the
/// first admission decision, moved on by the time spent outside the Party (from leaving to
/// the re-admission decision), so that age = time in the Party before + time since.
pub fn party_age_from(first_decision: NaiveDate, left_on: NaiveDate, readmission_decision: NaiveDate) -> NaiveDate {
    first_decision + (readmission_decision - left_on).max(chrono::Duration::zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn former(reason: LeftReason) -> FormerMember {
        FormerMember {
            left_on: Some(d(2021, 3, 15)),
            reason: Some(reason),
            record_expunged_on: None,
            first_decision: Some(d(2010, 5, 1)),
        }
    }

    #[test]
    fn the_excluded_reasons_are_refused_outright() {
        for reason in LeftReason::ALL {
            let result = check_listing(&former(*reason), false);
            let expected = match reason {
                LeftReason::AbandonedActivity
                | LeftReason::Resigned
                | LeftReason::SeriousDisunity
                | LeftReason::CorruptionConviction
                | LeftReason::SeriousConviction => Some("READMISSION_EXCLUDED"),
                LeftReason::MinorConviction => Some("READMISSION_EXIT_UNRECORDED"),
                _ => None,
            };
            assert_eq!(result.err().map(|v| v.rule), expected, "{reason}");
        }
        assert_eq!(
            check_listing(&former(LeftReason::Expelled), true).unwrap_err().rule,
            "READMISSION_ONLY_ONCE"
        );
    }

    #[test]
    fn thirty_six_months_after_leaving_and_the_provinces_consent() {
        let rules = Rulebook::charter_2011();
        let f = former(LeftReason::StruckOff);
        // Left 15 March 2021: the 36 months run through 15 March 2024.
        assert_eq!(earliest_vote(&rules, &f), Some(d(2024, 3, 15)));
        assert_eq!(
            check_vote(&rules, &f, d(2024, 3, 15), true).unwrap_err().rule,
            "READMISSION_TOO_SOON"
        );
        assert_eq!(check_vote(&rules, &f, d(2024, 3, 16), true), Ok(()));
        assert_eq!(
            check_vote(&rules, &f, d(2024, 3, 16), false).unwrap_err().rule,
            "READMISSION_NEEDS_PROVINCIAL_CONSENT"
        );
    }

    #[test]
    fn sixty_months_after_a_minor_conviction_is_expunged() {
        let rules = Rulebook::charter_2011();
        let f = FormerMember {
            record_expunged_on: Some(d(2022, 1, 10)),
            ..former(LeftReason::MinorConviction)
        };
        assert_eq!(check_listing(&f, false), Ok(()));
        assert_eq!(earliest_vote(&rules, &f), Some(d(2027, 1, 10)));
    }

    #[test]
    fn party_age_leaves_out_the_time_outside() {
        // Admitted 1 May 2010, left 15 March 2021, re-admitted 15 March 2025: four years out.
        let from = party_age_from(d(2010, 5, 1), d(2021, 3, 15), d(2025, 3, 15));
        assert_eq!(from, d(2014, 5, 1));
        assert_eq!((d(2025, 3, 15) - from), (d(2021, 3, 15) - d(2010, 5, 1)));
    }
}
