//! The rulebook: every threshold, deadline and age limit, as data with an effective date.
//! An act is judged by the version in force on the act's date.

use chrono::NaiveDate;

use crate::lang::Text;

/// A share such as 2/3: met when `votes * den >= eligible * num`, so exactly two thirds
/// passes and one vote fewer does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    num: u32,
    den: u32,
}

impl Fraction {
    /// A fraction in (0, 1].
    pub fn new(num: u32, den: u32) -> Option<Fraction> {
        (num > 0 && den > 0 && num <= den).then_some(Fraction { num, den })
    }

    pub fn num(self) -> u32 {
        self.num
    }

    pub fn den(self) -> u32 {
        self.den
    }

    pub fn is_met(self, votes_for: u32, eligible: u32) -> bool {
        u64::from(votes_for) * u64::from(self.den) >= u64::from(eligible) * u64::from(self.num)
    }

    /// The fewest votes that meet the fraction of `eligible`.
    pub fn votes_needed(self, eligible: u32) -> u32 {
        let needed = (u64::from(eligible) * u64::from(self.num)).div_ceil(u64::from(self.den));
        u32::try_from(needed).unwrap_or(u32::MAX)
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rulebook {
    pub effective_from: NaiveDate,
    /// Youngest age at the branch vote, in months (18 years = 216).
    pub min_age_months: u32,
    /// Oldest age at the branch vote without provincial consent, in months (60 years = 720).
    pub max_age_months: u32,
    /// Share of the branch's official members needed at the admission vote (6-KNĐ).
    pub branch_vote: Fraction,
    /// Share of the grassroots committee's members needed (8-KNĐ).
    pub commune_vote: Fraction,
    /// Share of the branch's official members needed to recognise a full member (13-KNĐ).
    pub recognition_branch_vote: Fraction,
    /// Share of the grassroots committee needed to recognise a full member (15-KNĐ).
    pub recognition_commune_vote: Fraction,
    /// Working days from the branch resolution to the admission decision.
    pub decision_working_days: u32,
    /// Extra working days a decision may take in special cases.
    pub decision_extension_working_days: u32,
    /// Working days from the day the branch received the admission decision (or its signing,
    /// until the receipt is recorded) to the ceremony (Quy định 29-QĐ/TW 2016 §4.1).
    pub ceremony_working_days: u32,
    /// Working days after probation ends for the branch's recognition vote.
    pub recognition_vote_working_days: u32,
    /// Working days from the branch's recognition resolution (13-KNĐ) to the recognition
    /// decision (Quy định 29-QĐ/TW 2016 §4.3.1).
    pub recognition_decision_working_days: u32,
    pub probation_months: u32,
    /// Months an awareness-course certificate (CN-NTVĐ) stays valid.
    pub certificate_validity_months: u32,
    /// Months an introducer must have worked, studied or lived with the candidate.
    pub introducer_known_months: u32,
    /// Months after which introductions and comments must be redone before the branch vote.
    pub dossier_staleness_months: u32,
    /// Branch votes on a probationer's standing (recognition or strike-off) that may fail to
    /// reach two thirds before the question goes to the competent committee (Quy định
    /// 29-QĐ/TW 2016 §4.2 c, 24-QĐ/TW 2021 §4.2.3: 3).
    pub recognition_votes_before_referral: u32,
    /// Months a former member waits after leaving the Party before re-admission (Quy định
    /// 29-QĐ/TW 2016, 24-QĐ/TW 2021 and 294-QĐ/TW 2025 §3.5.1 b: 36).
    pub readmission_wait_months: u32,
    /// Months after a criminal record for a less serious offence is expunged before
    /// re-admission (the same point: 60).
    pub readmission_wait_after_expungement_months: u32,
}

impl Rulebook {
    /// The rules in force today (Party Charter 2011; Quy định 294-QĐ/TW and Hướng dẫn
    /// 06-HD/TW of 2025 keep the same values), as the migrations seed them; the tests' rules.
    #[cfg(test)]
    pub fn charter_2011() -> Rulebook {
        let two_thirds = Fraction { num: 2, den: 3 };
        Rulebook {
            effective_from: NaiveDate::from_ymd_opt(2011, 1, 19).unwrap_or(NaiveDate::MIN),
            min_age_months: 18 * 12,
            max_age_months: 60 * 12,
            branch_vote: two_thirds,
            commune_vote: two_thirds,
            recognition_branch_vote: two_thirds,
            recognition_commune_vote: two_thirds,
            decision_working_days: 60,
            decision_extension_working_days: 30,
            ceremony_working_days: 30,
            recognition_vote_working_days: 30,
            recognition_decision_working_days: 30,
            probation_months: 12,
            certificate_validity_months: 60,
            introducer_known_months: 12,
            dossier_staleness_months: 12,
            recognition_votes_before_referral: 3,
            readmission_wait_months: 36,
            readmission_wait_after_expungement_months: 60,
        }
    }

    /// Check the values make sense together; `Err((field, message))` otherwise.
    pub fn check(&self) -> Result<(), (&'static str, Text)> {
        if self.min_age_months == 0 || self.min_age_months >= self.max_age_months {
            return Err((
                "minAgeMonths",
                Text::fixed(
                    "must be positive and below maxAgeMonths",
                    "phải dương và nhỏ hơn maxAgeMonths",
                ),
            ));
        }
        let days = [
            ("decisionWorkingDays", self.decision_working_days),
            ("ceremonyWorkingDays", self.ceremony_working_days),
            ("recognitionVoteWorkingDays", self.recognition_vote_working_days),
            ("recognitionDecisionWorkingDays", self.recognition_decision_working_days),
        ];
        for (field, value) in days {
            if value == 0 || value > 365 {
                return Err((
                    field,
                    Text::fixed(
                        "must be between 1 and 365 working days",
                        "phải từ 1 đến 365 ngày làm việc",
                    ),
                ));
            }
        }
        let months = [
            ("probationMonths", self.probation_months),
            ("certificateValidityMonths", self.certificate_validity_months),
            ("introducerKnownMonths", self.introducer_known_months),
            ("dossierStalenessMonths", self.dossier_staleness_months),
            ("readmissionWaitMonths", self.readmission_wait_months),
            ("recognitionVotesBeforeReferral", self.recognition_votes_before_referral),
            (
                "readmissionWaitAfterExpungementMonths",
                self.readmission_wait_after_expungement_months,
            ),
        ];
        for (field, value) in months {
            if value == 0 || value > 240 {
                return Err((
                    field,
                    Text::fixed("must be between 1 and 240 months", "phải từ 1 đến 240 tháng"),
                ));
            }
        }
        Ok(())
    }
}

/// The version in force on `on` among `versions` (sorted by `effective_from`): the last
/// that took effect on or before it. An act is judged by the rules in force on its date
/// (Điều lệ Đảng; see `DOMAIN.md`).
pub fn in_force(versions: &[Rulebook], on: NaiveDate) -> Option<&Rulebook> {
    let after = versions.partition_point(|v| v.effective_from <= on);
    after.checked_sub(1).map(|i| &versions[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_in_force_is_the_last_that_took_effect_by_that_day() {
        let first = Rulebook::charter_2011();
        let mut second = Rulebook::charter_2011();
        second.effective_from = NaiveDate::from_ymd_opt(2016, 7, 25).unwrap();
        let (a, b) = (first.effective_from, second.effective_from);
        let versions = [first, second];
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(in_force(&versions, day(2011, 1, 18)).is_none());
        assert_eq!(in_force(&versions, day(2011, 1, 19)).unwrap().effective_from, a);
        assert_eq!(in_force(&versions, day(2016, 7, 24)).unwrap().effective_from, a);
        assert_eq!(in_force(&versions, day(2016, 7, 25)).unwrap().effective_from, b);
        assert_eq!(in_force(&versions, day(2030, 1, 1)).unwrap().effective_from, b);
    }

    #[test]
    fn two_thirds_is_met_exactly_and_not_one_vote_short() {
        let two_thirds = Fraction::new(2, 3).unwrap();
        assert!(two_thirds.is_met(6, 9));
        assert!(!two_thirds.is_met(5, 9));
        assert!(two_thirds.is_met(7, 10));
        assert!(!two_thirds.is_met(6, 10));
        assert_eq!(two_thirds.votes_needed(10), 7);
        assert_eq!(two_thirds.votes_needed(9), 6);
    }

    #[test]
    fn fractions_are_between_zero_and_one() {
        assert!(Fraction::new(0, 3).is_none());
        assert!(Fraction::new(4, 3).is_none());
        assert!(Fraction::new(2, 0).is_none());
    }

    #[test]
    fn the_seeded_rulebook_is_consistent() {
        assert_eq!(Rulebook::charter_2011().check(), Ok(()));
        let bad = Rulebook {
            min_age_months: 800,
            ..Rulebook::charter_2011()
        };
        assert_eq!(bad.check().unwrap_err().0, "minAgeMonths");
    }
}
