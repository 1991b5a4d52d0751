//! The dossier as a district clerk goes down it: each form the candidate's path has called
//! for so far, present, missing or stale.
//!
//! The forms and their order are the dossier of Hướng dẫn 09-HD/BTCTW 2017 §1 (kept by
//! 12-HD/BTCTW 2022): for admission the certificate of the awareness course (CN-NTVĐ), the
//! application (1-KNĐ), the background declaration (2-KNĐ), two introductions (3-KNĐ), or
//! one with a Youth Union or trade union resolution (4-KNĐ, 4A-KNĐ) in place of the other
//! (Quy định 24-QĐ/TW 2021 §3.2), the comment summary (5-KNĐ), then the branch's resolution
//! (6-KNĐ), a section's appraisal (7-KNĐ), the grassroots committee's resolution (8-KNĐ) and
//! the decision (9-KNĐ); for recognition the self-review (10-KNĐ), the mentor's assessment
//! (11-KNĐ), the comment summary (12-KNĐ), the resolutions (13-KNĐ, 15-KNĐ) and the
//! decision (16-KNĐ). Introductions and comments go stale after the rulebook's staleness
//! period, the certificate after its validity, both judged on the day of the branch vote
//! (today while it has not been held).

use chrono::NaiveDate;

use super::dossier::FormCode;
use super::months::within_period;
use super::rulebook::Rulebook;
use super::stage::{Shape, Stage};

/// A paper of the dossier as recorded: which form, and its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paper {
    pub form: FormCode,
    pub dated: NaiveDate,
}

/// Where a form of the checklist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperStatus {
    /// As many as the rules call for, none stale.
    Present,
    /// Fewer than the rules call for.
    Missing,
    /// Present, but too old on the day it is judged: it must be redone.
    Stale,
}

/// One line of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub form: FormCode,
    pub status: PaperStatus,
    /// How many the rules call for.
    pub needed: u32,
    /// How many fresh ones are recorded.
    pub found: u32,
    /// The latest one's date.
    pub latest: Option<NaiveDate>,
}

/// The forms the path has called for by `stage`, in the dossier's order. A path that ended
/// before the branch vote (dropped, withdrawn, rejected) keeps the admission papers.
pub fn forms_due(stage: Stage, shape: Shape) -> Vec<FormCode> {
    use FormCode::*;
    use Stage::*;
    let grassroots_branch = shape == Shape::GrassrootsBranch;
    let admitted = stage.is_admitted();
    let decided = admitted || stage == AdmissionDecided;
    let committee_voted = decided || stage == CommuneResolved;
    let appraised = committee_voted || stage == SectionAppraised;
    let branch_voted = appraised || stage == BranchApproved;
    let recognition_voted = matches!(stage, RecognitionBranchApproved | RecognitionCommuneResolved | Official);
    let recognition_committee = matches!(stage, RecognitionCommuneResolved | Official);
    let mut forms = vec![CnNtvd, Knd1, Knd2, Knd3, Knd5];
    let steps = [
        (branch_voted, Knd6),
        (appraised && shape == Shape::Section, Knd7),
        (committee_voted && !grassroots_branch, Knd8),
        (decided, Knd9),
        (admitted, Knd10),
        (admitted, Knd11),
        (admitted, Knd12),
        (recognition_voted, Knd13),
        (recognition_committee && !grassroots_branch, Knd15),
        (stage == Official, Knd16),
    ];
    forms.extend(steps.into_iter().filter(|(due, _)| *due).map(|(_, form)| form));
    forms
}

/// Whether a paper of `form` dated `dated` is too old on `on`, if the form can go stale.
fn is_stale(rules: &Rulebook, form: FormCode, dated: NaiveDate, on: NaiveDate) -> bool {
    let months = match form {
        FormCode::CnNtvd => rules.certificate_validity_months,
        FormCode::Knd3 | FormCode::Knd4 | FormCode::Knd4A | FormCode::Knd5 => rules.dossier_staleness_months,
        _ => return false,
    };
    !within_period(dated, months, on)
}

/// The checklist of a candidate at `stage` whose branch sits as `shape`, from the papers
/// recorded, judged on `on`. A union's resolution stands in for one of the two member
/// introductions and is listed when it is there.
pub fn checklist(rules: &Rulebook, stage: Stage, shape: Shape, papers: &[Paper], on: NaiveDate) -> Vec<Item> {
    let fresh = |form: FormCode| {
        papers
            .iter()
            .filter(|p| p.form == form && p.dated <= on && !is_stale(rules, form, p.dated, on))
            .count() as u32
    };
    let latest = |form: FormCode| papers.iter().filter(|p| p.form == form).map(|p| p.dated).max();
    let unions = [FormCode::Knd4, FormCode::Knd4A];
    let union_resolution = unions.iter().any(|f| fresh(*f) > 0);
    let mut forms = forms_due(stage, shape);
    for union in unions {
        if latest(union).is_some()
            && let Some(at) = forms.iter().position(|f| *f == FormCode::Knd3)
        {
            forms.insert(at + 1, union);
        }
    }
    forms
        .into_iter()
        .map(|form| {
            let needed = match form {
                FormCode::Knd3 if union_resolution => 1,
                FormCode::Knd3 => 2,
                // Listed only when recorded: then it counts, and must be fresh.
                _ => 1,
            };
            let found = fresh(form);
            let recorded = papers.iter().filter(|p| p.form == form && p.dated <= on).count() as u32;
            let status = if found >= needed {
                PaperStatus::Present
            } else if recorded >= needed {
                PaperStatus::Stale
            } else {
                PaperStatus::Missing
            };
            Item {
                form,
                status,
                needed,
                found,
                latest: latest(form),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;
    use FormCode::*;

    fn paper(form: FormCode, dated: NaiveDate) -> Paper {
        Paper { form, dated }
    }

    fn status_of(items: &[Item], form: FormCode) -> Option<PaperStatus> {
        items.iter().find(|i| i.form == form).map(|i| i.status)
    }

    #[test]
    fn the_forms_follow_the_path() {
        assert_eq!(
            forms_due(Stage::SourceList, Shape::Plain),
            [CnNtvd, Knd1, Knd2, Knd3, Knd5]
        );
        assert_eq!(forms_due(Stage::CommuneResolved, Shape::Plain)[5..], [Knd6, Knd8]);
        assert_eq!(
            forms_due(Stage::CommuneResolved, Shape::Section)[5..],
            [Knd6, Knd7, Knd8]
        );
        // A grassroots branch's own resolution goes straight to the decider.
        assert_eq!(forms_due(Stage::CommuneResolved, Shape::GrassrootsBranch)[5..], [Knd6]);
        assert_eq!(
            forms_due(Stage::Official, Shape::Plain)[5..],
            [Knd6, Knd8, Knd9, Knd10, Knd11, Knd12, Knd13, Knd15, Knd16]
        );
        assert_eq!(
            forms_due(Stage::Official, Shape::GrassrootsBranch)[5..],
            [Knd6, Knd9, Knd10, Knd11, Knd12, Knd13, Knd16]
        );
        assert_eq!(forms_due(Stage::Withdrawn, Shape::Plain).len(), 5);
    }

    #[test]
    fn two_introductions_or_one_beside_a_union_resolution() {
        let rules = Rulebook::charter_2011();
        let on = d(2024, 6, 1);
        let one = [paper(Knd3, d(2024, 5, 1))];
        let items = checklist(&rules, Stage::SourceList, Shape::Plain, &one, on);
        assert_eq!(status_of(&items, Knd3), Some(PaperStatus::Missing));
        assert_eq!(status_of(&items, Knd4), None);
        let with_union = [paper(Knd3, d(2024, 5, 1)), paper(Knd4, d(2024, 5, 2))];
        let items = checklist(&rules, Stage::SourceList, Shape::Plain, &with_union, on);
        assert_eq!(status_of(&items, Knd3), Some(PaperStatus::Present));
        assert_eq!(status_of(&items, Knd4), Some(PaperStatus::Present));
        let forms: Vec<FormCode> = items.iter().map(|i| i.form).collect();
        assert_eq!(forms, [CnNtvd, Knd1, Knd2, Knd3, Knd4, Knd5]);
    }

    #[test]
    fn comments_go_stale_after_twelve_months_and_the_certificate_after_sixty() {
        let rules = Rulebook::charter_2011();
        let papers = [
            paper(Knd5, d(2023, 6, 1)),
            paper(CnNtvd, d(2019, 6, 1)),
            paper(Knd1, d(2019, 6, 1)),
        ];
        // The last day of each period still counts; the day after does not.
        let items = checklist(&rules, Stage::SourceList, Shape::Plain, &papers, d(2024, 6, 1));
        assert_eq!(status_of(&items, Knd5), Some(PaperStatus::Present));
        assert_eq!(status_of(&items, CnNtvd), Some(PaperStatus::Present));
        assert_eq!(status_of(&items, Knd1), Some(PaperStatus::Present));
        let items = checklist(&rules, Stage::SourceList, Shape::Plain, &papers, d(2024, 6, 2));
        assert_eq!(status_of(&items, Knd5), Some(PaperStatus::Stale));
        assert_eq!(status_of(&items, CnNtvd), Some(PaperStatus::Stale));
        // An application does not go stale.
        assert_eq!(status_of(&items, Knd1), Some(PaperStatus::Present));
        assert_eq!(status_of(&items, Knd2), Some(PaperStatus::Missing));
    }

    #[test]
    fn a_paper_dated_after_the_day_judged_does_not_count() {
        let rules = Rulebook::charter_2011();
        let papers = [paper(Knd1, d(2024, 7, 1))];
        let items = checklist(&rules, Stage::BranchApproved, Shape::Plain, &papers, d(2024, 6, 1));
        assert_eq!(status_of(&items, Knd1), Some(PaperStatus::Missing));
        assert_eq!(
            items.iter().find(|i| i.form == Knd1).unwrap().latest,
            Some(d(2024, 7, 1))
        );
    }
}
