//! Background verification (thẩm tra lý lịch) as Hướng dẫn 01-HD/TW 2021 §3.4 lays it
//! down (as 01-HD/TW 2016 and 2012 §3.4 did), and Quy định 58-QĐ/TW 2022 on the
//! internal-political-protection standard it applies:
//!
//! - a) who is verified: the candidate; the birth father and mother, the spouse's father and
//!   mother, or whoever directly raised the candidate; the spouse; the birth children of
//!   full civil capacity;
//! - c) who need not be: if the candidate's father, mother, brother or sister, or birth
//!   child is a Party member and the declaration (2-KNĐ) is complete, the candidate's side
//!   is not verified; if the spouse, or the spouse's father, mother, brother or sister, is a
//!   member and the declaration is complete, the spouse's side is not;
//! - the grassroots committee verifies and concludes before it certifies the declaration,
//!   and the branch votes only on a concluded verification.
//!
//! Which relations are verified and which exempt a side are rulebook data with an
//! effective date ([`BackgroundRules`]); this module only applies them.

use crate::tr;
use chrono::NaiveDate;

use super::dossier::Relation;
use super::macros::string_enum;
use super::violation::Violation;

string_enum! {
    /// A side of the candidate's family, verified or exempted as a whole.
    pub enum Side {
        /// The candidate, their parents (or whoever raised them) and their children.
        Own = "OWN",
        /// The spouse and the spouse's parents.
        Spouse = "SPOUSE",
    }
}

string_enum! {
    /// A Party member among the candidate's close relatives, as an exemption names them.
    pub enum Kin {
        Father = "FATHER",
        Mother = "MOTHER",
        /// A brother or sister (anh, chị, em ruột).
        Sibling = "SIBLING",
        /// A birth child.
        Child = "CHILD",
        Spouse = "SPOUSE",
        FatherInLaw = "FATHER_IN_LAW",
        MotherInLaw = "MOTHER_IN_LAW",
        /// A brother or sister of the spouse.
        SpouseSibling = "SPOUSE_SIBLING",
    }
}

string_enum! {
    /// What a verifying body's reply concluded.
    pub enum Finding {
        /// Nothing in the political history or present stance stands against admission.
        Clear = "CLEAR",
        /// Something does, or is not clear: the committee must look into it.
        Concern = "CONCERN",
    }
}

/// Who is verified, and whose membership exempts a side, as in force from a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackgroundRules {
    /// The relations verified besides the candidate themself, with their side.
    pub verified: Vec<(Relation, Side)>,
    /// The members among the close relatives whose membership, with a complete
    /// declaration, exempts a side.
    pub exempting: Vec<(Kin, Side)>,
    pub source: String,
}

impl BackgroundRules {
    /// The side a verified relation is on, if the rules verify it.
    pub fn side_of(&self, relation: Relation) -> Option<Side> {
        self.verified.iter().find(|(r, _)| *r == relation).map(|(_, s)| *s)
    }

    /// Whether a member who is the candidate's `kin` exempts `side`.
    pub fn exempts(&self, kin: Kin, side: Side) -> bool {
        self.exempting.contains(&(kin, side))
    }
}

/// A verification may be sent for a relative only if the rules verify their relation.
pub fn check_verified_relation(rules: &BackgroundRules, relation: Relation) -> Result<Side, Violation> {
    rules.side_of(relation).ok_or_else(|| {
        Violation::new(
            "NOT_A_VERIFIED_RELATIVE",
            tr!(
                "the rules ({}) do not verify a {relation}",
                "quy định ({}) không thẩm tra quan hệ {relation}",
                rules.source
            ),
        )
    })
}

/// An exemption holds only for a member the rules name for that side, and only with a
/// complete declaration (§3.4 c: "đã khai đầy đủ, rõ ràng, trung thực").
pub fn check_exemption(
    rules: &BackgroundRules,
    kin: Kin,
    side: Side,
    declaration_complete: bool,
) -> Result<(), Violation> {
    if !rules.exempts(kin, side) {
        return Err(Violation::new(
            "EXEMPTION_NOT_IN_RULES",
            tr!(
                "a member who is the candidate's {kin} does not exempt the {side} side ({})",
                "đảng viên là {kin} của người xin vào Đảng không được miễn thẩm tra bên {side} ({})",
                rules.source
            ),
        ));
    }
    if !declaration_complete {
        return Err(Violation::new(
            "DECLARATION_INCOMPLETE",
            tr!(
                "an exemption holds only with a complete, clear and truthful declaration (2-KNĐ)",
                "chỉ được miễn thẩm tra khi lý lịch (2-KNĐ) khai đầy đủ, rõ ràng, trung thực"
            ),
        ));
    }
    Ok(())
}

/// Whose background a verification is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// The candidate.
    Candidate,
    /// A declared relative, by id.
    Relative(i32),
}

/// A verification as recorded: whose, and the reply if one came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub subject: Subject,
    pub replied: Option<(NaiveDate, Finding)>,
}

/// A declared relative: id and relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    pub id: i32,
    pub relation: Relation,
}

/// What one subject's verification stands at on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Its side is exempt.
    Exempt,
    /// No request has been sent.
    NotSent,
    /// Sent, no reply yet (by the day).
    AwaitingReply,
    /// Replied with this finding.
    Replied(Finding),
}

/// Every subject the rules verify for this candidate, and where each stands on `on`: the
/// candidate, then each declared relative the rules verify (others, such as siblings, are
/// not subjects). A subject is settled by the latest reply dated on or before `on`.
pub fn standings(
    rules: &BackgroundRules,
    relatives: &[Declared],
    checks: &[Check],
    exempt: &[Side],
    on: NaiveDate,
) -> Vec<(Subject, Standing)> {
    let subjects = std::iter::once((Subject::Candidate, Side::Own)).chain(
        relatives
            .iter()
            .filter_map(|r| rules.side_of(r.relation).map(|side| (Subject::Relative(r.id), side))),
    );
    subjects
        .map(|(subject, side)| {
            if exempt.contains(&side) {
                return (subject, Standing::Exempt);
            }
            let own: Vec<&Check> = checks.iter().filter(|c| c.subject == subject).collect();
            let reply = own
                .iter()
                .filter_map(|c| c.replied)
                .filter(|(day, _)| *day <= on)
                .max_by_key(|(day, _)| *day);
            let standing = match (reply, own.is_empty()) {
                (Some((_, finding)), _) => Standing::Replied(finding),
                (None, true) => Standing::NotSent,
                (None, false) => Standing::AwaitingReply,
            };
            (subject, standing)
        })
        .collect()
}

/// Whether the grassroots committee may conclude on `on`: every subject exempt or replied.
/// A concern may be concluded either way, but a favourable conclusion over one must say
/// why (`explained`).
pub fn check_conclusion(standings: &[(Subject, Standing)], passed: bool, explained: bool) -> Result<(), Violation> {
    let open = standings
        .iter()
        .filter(|(_, s)| matches!(s, Standing::NotSent | Standing::AwaitingReply))
        .count();
    if open > 0 {
        return Err(Violation::new(
            "VERIFICATION_INCOMPLETE",
            tr!(
                "{open} verification(s) not yet replied to: the committee concludes on every reply",
                "còn {open} nơi thẩm tra chưa trả lời: cấp ủy chỉ kết luận khi đã có đủ trả lời"
            ),
        ));
    }
    let concerns = standings.iter().any(|(_, s)| *s == Standing::Replied(Finding::Concern));
    if concerns && passed && !explained {
        return Err(Violation::new(
            "CONCERN_UNEXPLAINED",
            tr!(
                "a reply raised a concern: a favourable conclusion must say how it was cleared (note)",
                "có nơi trả lời nêu vấn đề: kết luận đạt phải ghi rõ vấn đề đã được làm rõ thế nào (note)"
            ),
        ));
    }
    Ok(())
}

/// The branch votes only on a favourable conclusion dated on or before the vote.
pub fn check_concluded(conclusion: Option<(NaiveDate, bool)>, vote_on: NaiveDate) -> Result<(), Violation> {
    match conclusion.filter(|(day, _)| *day <= vote_on) {
        None => Err(Violation::new(
            "BACKGROUND_NOT_CONCLUDED",
            tr!(
                "the grassroots committee has not concluded the background verification by the vote",
                "đảng ủy cơ sở chưa kết luận thẩm tra lý lịch trước ngày biểu quyết"
            ),
        )),
        Some((_, false)) => Err(Violation::new(
            "BACKGROUND_VERIFICATION_FAILED",
            tr!(
                "the grassroots committee concluded that the political standard is not met",
                "đảng ủy cơ sở kết luận chưa đủ tiêu chuẩn chính trị"
            ),
        )),
        Some((_, true)) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn rules() -> BackgroundRules {
        BackgroundRules {
            verified: vec![
                (Relation::Father, Side::Own),
                (Relation::Mother, Side::Own),
                (Relation::Guardian, Side::Own),
                (Relation::Child, Side::Own),
                (Relation::Spouse, Side::Spouse),
                (Relation::FatherInLaw, Side::Spouse),
                (Relation::MotherInLaw, Side::Spouse),
            ],
            exempting: vec![
                (Kin::Father, Side::Own),
                (Kin::Mother, Side::Own),
                (Kin::Sibling, Side::Own),
                (Kin::Child, Side::Own),
                (Kin::Spouse, Side::Spouse),
                (Kin::FatherInLaw, Side::Spouse),
                (Kin::MotherInLaw, Side::Spouse),
                (Kin::SpouseSibling, Side::Spouse),
            ],
            source: "Hướng dẫn 01-HD/TW 2021 §3.4".into(),
        }
    }

    const FATHER: Declared = Declared {
        id: 1,
        relation: Relation::Father,
    };
    const SPOUSE: Declared = Declared {
        id: 2,
        relation: Relation::Spouse,
    };

    #[test]
    fn the_candidate_and_each_verified_relative_are_subjects() {
        let all = standings(&rules(), &[FATHER, SPOUSE], &[], &[], d(2024, 6, 1));
        assert_eq!(
            all,
            [
                (Subject::Candidate, Standing::NotSent),
                (Subject::Relative(1), Standing::NotSent),
                (Subject::Relative(2), Standing::NotSent)
            ]
        );
        assert_eq!(
            check_conclusion(&all, true, false).unwrap_err().rule,
            "VERIFICATION_INCOMPLETE"
        );
    }

    #[test]
    fn a_member_among_the_close_relatives_exempts_their_side_only() {
        // A sister in the Party: the candidate's side needs no verification, the spouse's does.
        let all = standings(&rules(), &[FATHER, SPOUSE], &[], &[Side::Own], d(2024, 6, 1));
        assert_eq!(all[0].1, Standing::Exempt);
        assert_eq!(all[1].1, Standing::Exempt);
        assert_eq!(all[2].1, Standing::NotSent);
        assert!(rules().exempts(Kin::Sibling, Side::Own));
        assert!(!rules().exempts(Kin::Sibling, Side::Spouse));
        assert!(rules().exempts(Kin::SpouseSibling, Side::Spouse));
    }

    #[test]
    fn an_exemption_needs_the_rules_and_a_complete_declaration() {
        let r = rules();
        assert!(check_exemption(&r, Kin::Sibling, Side::Own, true).is_ok());
        assert_eq!(
            check_exemption(&r, Kin::Sibling, Side::Own, false).unwrap_err().rule,
            "DECLARATION_INCOMPLETE"
        );
        assert_eq!(
            check_exemption(&r, Kin::Sibling, Side::Spouse, true).unwrap_err().rule,
            "EXEMPTION_NOT_IN_RULES"
        );
        assert_eq!(check_verified_relation(&r, Relation::Spouse).unwrap(), Side::Spouse);
        let without_children = BackgroundRules {
            verified: r
                .verified
                .iter()
                .copied()
                .filter(|(rel, _)| *rel != Relation::Child)
                .collect(),
            ..r
        };
        assert_eq!(
            check_verified_relation(&without_children, Relation::Child)
                .unwrap_err()
                .rule,
            "NOT_A_VERIFIED_RELATIVE"
        );
    }

    #[test]
    fn a_reply_counts_from_its_day() {
        let checks = [
            Check {
                subject: Subject::Candidate,
                replied: Some((d(2024, 6, 2), Finding::Clear)),
            },
            Check {
                subject: Subject::Relative(1),
                replied: None,
            },
        ];
        let on_first = standings(&rules(), &[FATHER], &checks, &[], d(2024, 6, 1));
        assert_eq!(on_first[0].1, Standing::AwaitingReply);
        assert_eq!(on_first[1].1, Standing::AwaitingReply);
        let on_second = standings(&rules(), &[FATHER], &checks, &[], d(2024, 6, 2));
        assert_eq!(on_second[0].1, Standing::Replied(Finding::Clear));
    }

    #[test]
    fn a_concern_is_concluded_with_its_reasons() {
        let all = [
            (Subject::Candidate, Standing::Replied(Finding::Clear)),
            (Subject::Relative(1), Standing::Replied(Finding::Concern)),
        ];
        assert_eq!(
            check_conclusion(&all, true, false).unwrap_err().rule,
            "CONCERN_UNEXPLAINED"
        );
        assert!(check_conclusion(&all, true, true).is_ok());
        assert!(check_conclusion(&all, false, false).is_ok());
    }

    #[test]
    fn the_vote_needs_a_favourable_conclusion_by_its_day() {
        let vote = d(2024, 6, 3);
        assert_eq!(
            check_concluded(None, vote).unwrap_err().rule,
            "BACKGROUND_NOT_CONCLUDED"
        );
        assert_eq!(
            check_concluded(Some((d(2024, 6, 4), true)), vote).unwrap_err().rule,
            "BACKGROUND_NOT_CONCLUDED"
        );
        assert!(check_concluded(Some((vote, true)), vote).is_ok());
        assert_eq!(
            check_concluded(Some((d(2024, 6, 1), false)), vote).unwrap_err().rule,
            "BACKGROUND_VERIFICATION_FAILED"
        );
    }
}
