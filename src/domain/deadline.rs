//! Due dates of the steps with a deadline, in working days from the rulebook.

use crate::lang::Text;
use crate::tr;
use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::dossier::DecisionKind;
use super::macros::string_enum;
use super::months::add_months;
use super::rulebook::Rulebook;
use super::stage::Stage;
use super::violation::Violation;

string_enum! {
    /// A step with a deadline.
    pub enum DeadlineKind {
        /// The admission decision, within 60 working days of the branch resolution.
        AdmissionDecision = "ADMISSION_DECISION",
        /// The ceremony, within 30 working days of the day the branch received the decision.
        Ceremony = "CEREMONY",
        /// The branch's recognition vote, within 30 working days after probation ends.
        RecognitionVote = "RECOGNITION_VOTE",
        /// The recognition decision, within 30 working days of the branch's recognition
        /// resolution (13-KNĐ).
        RecognitionDecision = "RECOGNITION_DECISION",
        /// The decision on the branch's proposal to strike a probationer off, on the clock of
        /// the recognition decision: the same bodies decide the same question.
        StrikeOffDecision = "STRIKE_OFF_DECISION",
    }
}

/// The dates of a candidate's path that deadlines run from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathDates {
    pub branch_resolution: Option<NaiveDate>,
    pub decision_extended: bool,
    pub decision_signed: Option<NaiveDate>,
    /// The day the branch received the decision (`None`: the signing date).
    pub decision_received: Option<NaiveDate>,
    pub ceremony: Option<NaiveDate>,
    /// The end of probation, fixed at the ceremony.
    pub probation_end: Option<NaiveDate>,
    pub recognition_branch_resolution: Option<NaiveDate>,
    pub recognition_decision_extended: bool,
}

impl PathDates {
    /// The day the ceremony's clock starts: the branch's receipt of the decision.
    pub fn decision_received(&self) -> Option<NaiveDate> {
        self.decision_received.or(self.decision_signed)
    }
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

/// The latest day the admission decision may be signed: 60 working days from the branch's
/// resolution proposing admission, extendable by up to 30 in special cases (Quy định
/// 29-QĐ/TW 2016 §4.3.1; the same clause in Quy định 232-QĐ/TW 2025 §4.3.1).
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

/// The latest day the recognition decision (16-KNĐ) may be signed: 30 working days from the
/// branch's resolution proposing recognition (13-KNĐ), not from the grassroots committee's,
/// extendable in special cases by up to as many days as the admission decision (Quy định
/// 29-QĐ/TW 2016 §4.3.1: "trong thời hạn 30 ngày làm việc kể từ ngày chi bộ có nghị quyết
/// đề nghị công nhận đảng viên chính thức … trường hợp đặc biệt, có thể gia hạn tối đa 30
/// ngày làm việc").
pub fn recognition_decision_due(
    rules: &Rulebook,
    calendar: &WorkingCalendar,
    branch_resolution: NaiveDate,
    extended: bool,
) -> NaiveDate {
    let days = rules.recognition_decision_working_days
        + if extended {
            rules.decision_extension_working_days
        } else {
            0
        };
    calendar.add_working_days(branch_resolution, days)
}

/// The latest day of the ceremony: 30 working days from the day the branch received the
/// decision; later only with the direct superior's consent (Quy định 29-QĐ/TW 2016 §4.1,
/// Quy định 232-QĐ/TW 2025 §4.1: "kể từ ngày nhận được quyết định kết nạp").
pub fn ceremony_due(rules: &Rulebook, calendar: &WorkingCalendar, received: NaiveDate) -> NaiveDate {
    calendar.add_working_days(received, rules.ceremony_working_days)
}

/// The date the clock of the current stage's deadline started.
pub fn clock_start(stage: Stage, dates: &PathDates) -> Option<NaiveDate> {
    match stage {
        Stage::BranchApproved | Stage::SectionAppraised | Stage::CommuneResolved => dates.branch_resolution,
        Stage::AdmissionDecided => dates.decision_received(),
        // The branch's recognition vote is due after probation ends, fixed at the ceremony.
        Stage::Probationary => dates.probation_end.or(dates.ceremony),
        Stage::RecognitionBranchApproved
        | Stage::RecognitionCommuneResolved
        | Stage::StrikeOffProposed
        | Stage::StrikeOffCommuneResolved
        | Stage::RecognitionReferred => dates.recognition_branch_resolution,
        _ => None,
    }
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
            ceremony_due(rules, calendar, dates.decision_received()?),
        ),
        Stage::Probationary => due(
            DeadlineKind::RecognitionVote,
            calendar.add_working_days(
                dates
                    .probation_end
                    .or_else(|| Some(probation_end(rules, dates.ceremony?)))?,
                rules.recognition_vote_working_days,
            ),
        ),
        Stage::RecognitionBranchApproved | Stage::RecognitionCommuneResolved | Stage::RecognitionReferred => due(
            DeadlineKind::RecognitionDecision,
            recognition_decision_due(
                rules,
                calendar,
                dates.recognition_branch_resolution?,
                dates.recognition_decision_extended,
            ),
        ),
        Stage::StrikeOffProposed | Stage::StrikeOffCommuneResolved => due(
            DeadlineKind::StrikeOffDecision,
            recognition_decision_due(rules, calendar, dates.recognition_branch_resolution?, false),
        ),
        Stage::SourceList
        | Stage::Official
        | Stage::Dropped
        | Stage::Rejected
        | Stage::Withdrawn
        | Stage::StruckOff => None,
    }
}

/// The clock a decision of `kind` runs against, started on `started` by `rules` and
/// `calendar`: the admission decision from the branch resolution, the recognition decision
/// from the branch's recognition resolution, each extendable in special cases (Quy định
/// 29-QĐ/TW 2016 §4.3.1). A strike-off decision has none.
pub fn decision_clock(
    kind: DecisionKind,
    rules: &Rulebook,
    calendar: &WorkingCalendar,
    started: NaiveDate,
) -> Option<DecisionClock> {
    type Due = fn(&Rulebook, &WorkingCalendar, NaiveDate, bool) -> NaiveDate;
    let (what, from, days, due): (Text, Text, u32, Due) = match kind {
        DecisionKind::Admission => (
            Text::fixed("the decision", "quyết định kết nạp"),
            Text::fixed("the branch resolution", "nghị quyết của chi bộ"),
            rules.decision_working_days,
            decision_due,
        ),
        DecisionKind::Recognition => (
            Text::fixed("the recognition decision", "quyết định công nhận đảng viên chính thức"),
            Text::fixed(
                "the branch's recognition resolution",
                "nghị quyết đề nghị công nhận của chi bộ",
            ),
            rules.recognition_decision_working_days,
            recognition_decision_due,
        ),
        DecisionKind::StrikeOff => return None,
    };
    Some(DecisionClock {
        what,
        from,
        started,
        days,
        extension_days: rules.decision_extension_working_days,
        due: due(rules, calendar, started, false),
        latest: due(rules, calendar, started, true),
    })
}

/// A decision's clock: due within `days` working days of `started`, or `extension_days`
/// more in special cases (Quy định 29-QĐ/TW 2016 §4.3.1).
pub struct DecisionClock {
    pub what: Text,
    pub from: Text,
    pub started: NaiveDate,
    pub days: u32,
    pub extension_days: u32,
    pub due: NaiveDate,
    pub latest: NaiveDate,
}

/// Whether a decision signed on `signed_on` uses the extension (`Ok(true)`), or is on time;
/// `DECISION_DEADLINE_PASSED` past the extension, or in it without a reason.
pub fn within_decision_deadline(
    clock: DecisionClock,
    signed_on: NaiveDate,
    has_reason: bool,
) -> Result<bool, Violation> {
    let DecisionClock {
        what,
        from,
        started,
        days,
        extension_days,
        due,
        latest,
    } = clock;
    if signed_on <= due {
        return Ok(false);
    }
    if signed_on <= latest && has_reason {
        return Ok(true);
    }
    let why = if signed_on > latest {
        Text::fixed("even the extension ended", "đã quá cả thời hạn kéo dài")
    } else {
        Text::fixed(
            "give the reason for the extension to use it",
            "muốn dùng thời hạn kéo dài thì phải nêu lý do",
        )
    };
    let (what_en, from_en, why_en) = (what.en(), from.en(), why.en());
    let (what_vi, from_vi, why_vi) = (what.vi(), from.vi(), why.vi());
    Err(Violation::new(
        "DECISION_DEADLINE_PASSED",
        tr!(
            "{what_en} was due within {days} working days of {from_en} of {started}, by {due} ({extension_days} more in special cases, by {latest}): {why_en}",
            "{what_vi} phải ra trong {days} ngày làm việc kể từ {from_vi} ngày {started}, tức trước {due} (trường hợp đặc biệt thêm {extension_days} ngày, trước {latest}): {why_vi}"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn clock() -> DecisionClock {
        let day = |d| NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
        DecisionClock {
            what: Text::fixed("the decision", "quyết định kết nạp"),
            from: Text::fixed("the branch resolution", "nghị quyết của chi bộ"),
            started: day(1),
            days: 60,
            extension_days: 30,
            due: day(20),
            latest: day(28),
        }
    }

    /// Quy định 29-QĐ/TW 2016 §4.3.1: the admission decision counts the decision days, the
    /// recognition decision its own, both with the same extension; a strike-off has no clock.
    #[test]
    fn each_decision_runs_on_its_own_clock() {
        let rules = Rulebook::charter_2011();
        let calendar = WorkingCalendar::new([], []);
        let started = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
        let admission = decision_clock(DecisionKind::Admission, &rules, &calendar, started).unwrap();
        assert_eq!(admission.days, rules.decision_working_days);
        assert_eq!(admission.due, decision_due(&rules, &calendar, started, false));
        assert_eq!(admission.latest, decision_due(&rules, &calendar, started, true));
        let recognition = decision_clock(DecisionKind::Recognition, &rules, &calendar, started).unwrap();
        assert_eq!(recognition.days, rules.recognition_decision_working_days);
        assert_eq!(
            recognition.due,
            recognition_decision_due(&rules, &calendar, started, false)
        );
        assert!(recognition.due < admission.due, "30 working days come before 60");
        assert_eq!(recognition.extension_days, admission.extension_days);
        assert!(decision_clock(DecisionKind::StrikeOff, &rules, &calendar, started).is_none());
    }

    /// Quy định 29-QĐ/TW 2016 §4.3.1: on time through the due day; in the extension only
    /// with a reason; never past it.
    #[test]
    fn a_decision_is_on_time_through_its_due_day_and_extended_only_with_a_reason() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
        assert_eq!(within_decision_deadline(clock(), day(20), false), Ok(false));
        assert_eq!(within_decision_deadline(clock(), day(21), true), Ok(true));
        let unexplained = within_decision_deadline(clock(), day(21), false).unwrap_err();
        assert_eq!(unexplained.rule, "DECISION_DEADLINE_PASSED");
        assert!(unexplained.message.en().contains("give the reason"), "{unexplained}");
        assert_eq!(within_decision_deadline(clock(), day(28), true), Ok(true));
        let late = within_decision_deadline(clock(), day(29), true).unwrap_err();
        assert!(late.message.en().contains("even the extension ended"), "{late}");
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

    /// QĐ 29-QĐ/TW §4.1: the ceremony's 30 working days run from the branch's receipt.
    #[test]
    fn the_ceremony_clock_runs_from_receipt() {
        let rules = Rulebook::charter_2011();
        let cal = WorkingCalendar::default();
        let signed = PathDates {
            decision_signed: Some(d(2026, 3, 2)),
            ..Default::default()
        };
        // Signed Monday 2 March; without a receipt the clock runs from the signing.
        assert_eq!(
            next_due(Stage::AdmissionDecided, &signed, &rules, &cal).unwrap().due_on,
            d(2026, 4, 13)
        );
        // Received a week later: due a week later.
        let received = PathDates {
            decision_received: Some(d(2026, 3, 9)),
            ..signed
        };
        let due = next_due(Stage::AdmissionDecided, &received, &rules, &cal).unwrap();
        assert_eq!((due.kind, due.due_on), (DeadlineKind::Ceremony, d(2026, 4, 20)));
    }

    /// QĐ 29-QĐ/TW §4.3.1: 30 working days from the branch's recognition resolution,
    /// whichever stage the dossier is at, and 30 more in special cases.
    #[test]
    fn the_recognition_decision_clock_runs_from_the_branch_resolution() {
        let rules = Rulebook::charter_2011();
        let cal = WorkingCalendar::default();
        let dates = PathDates {
            recognition_branch_resolution: Some(d(2026, 4, 6)),
            ..Default::default()
        };
        for stage in [Stage::RecognitionBranchApproved, Stage::RecognitionCommuneResolved] {
            let due = next_due(stage, &dates, &rules, &cal).unwrap();
            assert_eq!(
                (due.kind, due.due_on),
                (DeadlineKind::RecognitionDecision, d(2026, 5, 18))
            );
        }
        // Day 30 is the last day; the extension adds 30 more.
        assert_eq!(cal.working_days_between(d(2026, 4, 6), d(2026, 5, 18)), 30);
        assert_eq!(
            recognition_decision_due(&rules, &cal, d(2026, 4, 6), true),
            d(2026, 6, 29)
        );
    }
}
