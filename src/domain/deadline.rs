//! Due dates of the steps with a deadline, in working days from the rulebook.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::macros::string_enum;
use super::months::add_months;
use super::rulebook::Rulebook;
use super::stage::Stage;

string_enum! {
    /// A step with a deadline.
    pub enum DeadlineKind {
        /// The admission decision, within 60 working days of the branch resolution.
        AdmissionDecision = "ADMISSION_DECISION",
        /// The ceremony, within 30 working days of the decision.
        Ceremony = "CEREMONY",
        /// The branch's recognition vote, within 30 working days after probation ends.
        RecognitionVote = "RECOGNITION_VOTE",
        /// The recognition decision, within 30 working days of the grassroots resolution.
        RecognitionDecision = "RECOGNITION_DECISION",
    }
}

/// The dates of a candidate's path that deadlines run from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathDates {
    pub branch_resolution: Option<NaiveDate>,
    pub decision_extended: bool,
    pub decision_signed: Option<NaiveDate>,
    pub ceremony: Option<NaiveDate>,
    pub recognition_commune_resolution: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub kind: DeadlineKind,
    pub due_on: NaiveDate,
}

/// The last day probation runs: ceremony + probation months (the official date).
pub fn probation_end(rules: &Rulebook, ceremony: NaiveDate) -> NaiveDate {
    add_months(ceremony, rules.probation_months)
}

/// The latest day the admission decision may be signed.
pub fn decision_due(
    rules: &Rulebook,
    calendar: &WorkingCalendar,
    branch_resolution: NaiveDate,
    extended: bool,
) -> NaiveDate {
    let days = rules.decision_working_days
        + if extended {
            rules.decision_extension_working_days
        } else {
            0
        };
    calendar.add_working_days(branch_resolution, days)
}

/// The next step with a deadline for a candidate in `stage`, if any.
pub fn next_due(stage: Stage, dates: &PathDates, rules: &Rulebook, calendar: &WorkingCalendar) -> Option<Due> {
    let due = |kind, due_on| Some(Due { kind, due_on });
    match stage {
        Stage::BranchApproved | Stage::SectionAppraised | Stage::CommuneResolved => due(
            DeadlineKind::AdmissionDecision,
            decision_due(rules, calendar, dates.branch_resolution?, dates.decision_extended),
        ),
        Stage::AdmissionDecided => due(
            DeadlineKind::Ceremony,
            calendar.add_working_days(dates.decision_signed?, rules.ceremony_working_days),
        ),
        Stage::Probationary => due(
            DeadlineKind::RecognitionVote,
            calendar.add_working_days(
                probation_end(rules, dates.ceremony?),
                rules.recognition_vote_working_days,
            ),
        ),
        Stage::RecognitionCommuneResolved => due(
            DeadlineKind::RecognitionDecision,
            calendar.add_working_days(
                dates.recognition_commune_resolution?,
                rules.recognition_decision_working_days,
            ),
        ),
        Stage::SourceList
        | Stage::RecognitionBranchApproved
        | Stage::Official
        | Stage::Dropped
        | Stage::Rejected
        | Stage::Withdrawn
        | Stage::StruckOff => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_waiting_stage_has_its_deadline() {
        let rules = Rulebook::charter_2011();
        let cal = WorkingCalendar::default();
        let dates = PathDates {
            branch_resolution: Some(d(2026, 1, 5)),
            decision_signed: Some(d(2026, 3, 2)),
            ceremony: Some(d(2026, 3, 20)),
            ..Default::default()
        };
        assert_eq!(
            next_due(Stage::CommuneResolved, &dates, &rules, &cal),
            Some(Due {
                kind: DeadlineKind::AdmissionDecision,
                due_on: d(2026, 3, 30)
            })
        );
        let extended = PathDates {
            decision_extended: true,
            ..dates
        };
        assert_eq!(
            next_due(Stage::CommuneResolved, &extended, &rules, &cal)
                .unwrap()
                .due_on,
            d(2026, 5, 11)
        );
        assert_eq!(
            next_due(Stage::AdmissionDecided, &dates, &rules, &cal).unwrap().due_on,
            d(2026, 4, 13)
        );
        // Probation ends on Saturday 20 March 2027; the 30th working day after it is Friday 30 April.
        assert_eq!(probation_end(&rules, d(2026, 3, 20)), d(2027, 3, 20));
        assert_eq!(
            next_due(Stage::Probationary, &dates, &rules, &cal).unwrap().due_on,
            d(2027, 4, 30)
        );
        assert_eq!(next_due(Stage::SourceList, &dates, &rules, &cal), None);
    }
}
