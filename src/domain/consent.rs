//! Cases that need a higher committee's written consent before admission, as rulebook
//! data: a case names the body that consents, the step it must precede and its source, so
//! a new case is a new row, not new code. Three cases are found in the candidate's own
//! facts: above the maximum age (Hướng dẫn 01-HD/TW 2021 §1.1: the standing committee of
//! the committee directly under the Central Committee consents in writing before the
//! decision), literacy in place of primary education (§1.2), and re-admission (Quy định
//! 294-QĐ/TW 2025 §3.5.1 b); any other is declared in the dossier by the branch, such as
//! a religious dignitary (Quy định 06-QĐi/TW 2018), seeded with them.

use crate::tr;
use chrono::NaiveDate;

use super::macros::string_enum;
use super::violation::Violation;

string_enum! {
    /// The act a consent must come before.
    pub enum ConsentStep {
        /// The branch's vote (6-KNĐ).
        BranchVote = "BRANCH_VOTE",
        /// The admission decision (9-KNĐ).
        Decision = "DECISION",
    }
}

string_enum! {
    /// A case read from the candidate's facts rather than declared.
    pub enum Detected {
        /// Older than the rulebook's maximum age on the day of the branch vote.
        OverAge = "OVER_AGE",
        /// Literate only, in place of primary education.
        Literacy = "LITERACY",
        /// A former member admitted again.
        Readmission = "READMISSION",
    }
}

/// A case as the rulebook states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentCase {
    pub code: String,
    pub name: String,
    /// The body whose written consent the case needs.
    pub consenting_body: String,
    pub needed_before: ConsentStep,
    /// Read from the candidate's facts; `None` for a case the branch declares.
    pub detected: Option<Detected>,
    pub source: String,
}

/// A consent as the dossier records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub case_code: String,
    pub consented_on: NaiveDate,
}

/// The facts of a candidate that decide whether a case read from them applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub birth_date: NaiveDate,
    /// Literate only, in place of primary education.
    pub literate_only: bool,
    /// A former member admitted again.
    pub readmission: bool,
}

/// Whether the case `detected` applies to a candidate with `facts`, judged on `on` (the
/// branch vote): above the rulebook's maximum age counts in full months, as the age limit
/// itself does.
pub fn applies(detected: Detected, max_age_months: u32, facts: &Facts, on: NaiveDate) -> bool {
    match detected {
        Detected::OverAge => super::months::full_months_between(facts.birth_date, on) > max_age_months as i32,
        Detected::Literacy => facts.literate_only,
        Detected::Readmission => facts.readmission,
    }
}

/// What the branch vote's own checks (age, education, re-admission) take of a case read
/// from the facts: settled if consented to by `on`, or if its consent is due only before
/// the decision.
pub fn settled_for_vote(cases: &[ConsentCase], consents: &[Consent], detected: Detected, on: NaiveDate) -> bool {
    cases
        .iter()
        .filter(|c| c.detected == Some(detected))
        .all(|case| case.needed_before == ConsentStep::Decision || consented(consents, &case.code, on))
}

/// Whether a consent to `code` is on record by `on`.
pub fn consented(consents: &[Consent], code: &str, on: NaiveDate) -> bool {
    consents.iter().any(|c| c.case_code == code && c.consented_on <= on)
}

/// The cases of `applying` (those that apply to the candidate) that must be consented to
/// before `step` and are not by `on`: at the branch vote those needed before it; at the
/// decision every one.
pub fn missing<'a>(
    applying: &[&'a ConsentCase],
    consents: &[Consent],
    step: ConsentStep,
    on: NaiveDate,
) -> Vec<&'a ConsentCase> {
    applying
        .iter()
        .copied()
        .filter(|case| step == ConsentStep::Decision || case.needed_before == ConsentStep::BranchVote)
        .filter(|case| !consented(consents, &case.code, on))
        .collect()
}

/// Refuse `step` while a case that applies lacks its consent, naming each case, the body
/// that consents and the source.
pub fn check(
    applying: &[&ConsentCase],
    consents: &[Consent],
    step: ConsentStep,
    on: NaiveDate,
) -> Result<(), Violation> {
    let lacking = missing(applying, consents, step, on);
    if lacking.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = lacking
        .iter()
        .map(|c| {
            format!(
                "{} ({}): the written consent of {} ({})",
                c.name, c.code, c.consenting_body, c.source
            )
        })
        .collect();
    Err(Violation::new(
        "HIGHER_CONSENT_MISSING",
        tr!("the dossier lacks {}", "hồ sơ còn thiếu {}", named.join("; ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn case(code: &str, before: ConsentStep) -> ConsentCase {
        ConsentCase {
            code: code.into(),
            name: format!("case {code}"),
            consenting_body: "Ban Thường vụ Tỉnh ủy".into(),
            needed_before: before,
            detected: None,
            source: "Hướng dẫn 01-HD/TW 2021 §1.1".into(),
        }
    }

    #[test]
    fn a_consent_counts_from_its_own_day() {
        let over_age = case("OVER_AGE", ConsentStep::Decision);
        let consents = [Consent {
            case_code: "OVER_AGE".into(),
            consented_on: d(2024, 6, 10),
        }];
        assert!(check(&[&over_age], &consents, ConsentStep::Decision, d(2024, 6, 9)).is_err());
        assert!(check(&[&over_age], &consents, ConsentStep::Decision, d(2024, 6, 10)).is_ok());
        // Another case's consent does not stand in for it.
        let other = [Consent {
            case_code: "READMISSION".into(),
            consented_on: d(2024, 1, 1),
        }];
        let refused = check(&[&over_age], &other, ConsentStep::Decision, d(2024, 7, 1)).unwrap_err();
        assert_eq!(refused.rule, "HIGHER_CONSENT_MISSING");
        assert!(
            refused.message.en().contains("Ban Thường vụ Tỉnh ủy"),
            "{}",
            refused.message
        );
        assert!(refused.message.en().contains("01-HD/TW 2021"), "{}", refused.message);
    }

    #[test]
    fn over_sixty_counts_in_full_months() {
        let facts = Facts {
            birth_date: d(1964, 5, 1),
            literate_only: false,
            readmission: false,
        };
        // 60 years to the day is not above 60; the month after is.
        assert!(!applies(Detected::OverAge, 720, &facts, d(2024, 5, 31)));
        assert!(applies(Detected::OverAge, 720, &facts, d(2024, 6, 1)));
        assert!(!applies(Detected::Literacy, 720, &facts, d(2024, 6, 1)));
    }

    #[test]
    fn a_case_due_before_the_decision_does_not_hold_the_vote() {
        let mut over_age = case("OVER_AGE", ConsentStep::Decision);
        over_age.detected = Some(Detected::OverAge);
        let mut readmission = case("READMISSION", ConsentStep::BranchVote);
        readmission.detected = Some(Detected::Readmission);
        let cases = [over_age, readmission];
        let on = d(2024, 6, 3);
        assert!(settled_for_vote(&cases, &[], Detected::OverAge, on));
        assert!(!settled_for_vote(&cases, &[], Detected::Readmission, on));
        let consents = [Consent {
            case_code: "READMISSION".into(),
            consented_on: on,
        }];
        assert!(settled_for_vote(&cases, &consents, Detected::Readmission, on));
    }

    #[test]
    fn the_branch_vote_waits_only_for_what_must_come_before_it() {
        let before_vote = case("A", ConsentStep::BranchVote);
        let before_decision = case("B", ConsentStep::Decision);
        let applying = [&before_vote, &before_decision];
        let lacking = missing(&applying, &[], ConsentStep::BranchVote, d(2024, 6, 1));
        assert_eq!(lacking, [&before_vote]);
        let lacking = missing(&applying, &[], ConsentStep::Decision, d(2024, 6, 1));
        assert_eq!(lacking, [&before_vote, &before_decision]);
        assert!(check(&[], &[], ConsentStep::Decision, d(2024, 6, 1)).is_ok());
    }
}
