//! Whether a candidate may be voted on by the branch: age, education, the awareness
//! certificate, background verification, the dossier and the introducers, and the vote
//! thresholds. Each refusal carries its own rule code.

use crate::tr;
use chrono::NaiveDate;

use super::dossier::{FormCode, IntroductionKind};
use super::months::{full_months_between, period_end, within_period};
use super::person::GeneralEducation;
use super::rulebook::Rulebook;
use super::violation::Violation;

/// Age in whole months on the vote's date: from 18 years 0 months to 60 years 0 months,
/// older only with the province's consent.
pub fn check_age(
    rules: &Rulebook,
    birth_date: NaiveDate,
    on: NaiveDate,
    over_age_consent: bool,
) -> Result<(), Violation> {
    let months = full_months_between(birth_date, on);
    if months < rules.min_age_months as i32 {
        return Err(Violation::new(
            "AGE_BELOW_MINIMUM",
            tr!(
                "on {on} the candidate is {} years {} months old; at least {} years {} months are required",
                "ngày {on} người xin vào Đảng mới {} tuổi {} tháng; phải đủ ít nhất {} tuổi {} tháng",
                months.max(0) / 12,
                months.max(0) % 12,
                rules.min_age_months / 12,
                rules.min_age_months % 12
            ),
        ));
    }
    if months > rules.max_age_months as i32 && !over_age_consent {
        return Err(Violation::new(
            "AGE_ABOVE_MAXIMUM",
            tr!(
                "on {on} the candidate is {} years {} months old; above {} years only with the province's consent",
                "ngày {on} người xin vào Đảng đã {} tuổi {} tháng; trên {} tuổi chỉ được kết nạp khi có sự đồng ý của tỉnh ủy",
                months / 12,
                months % 12,
                rules.max_age_months / 12
            ),
        ));
    }
    Ok(())
}

/// Lower secondary school; primary in mountainous, border, island, ethnic-minority or
/// extremely difficult areas; literacy only there and with the province's consent.
pub fn check_education(
    education: GeneralEducation,
    difficult_area: bool,
    literacy_consent: bool,
) -> Result<(), Violation> {
    let ok = match education {
        GeneralEducation::LowerSecondary | GeneralEducation::UpperSecondary => true,
        GeneralEducation::Primary => difficult_area,
        GeneralEducation::Literate => difficult_area && literacy_consent,
    };
    if ok {
        Ok(())
    } else {
        Err(Violation::new(
            "EDUCATION_BELOW_MINIMUM",
            tr!(
                "lower secondary education is required (primary only in difficult areas; literacy only there, with the province's consent)",
                "phải tốt nghiệp trung học cơ sở (vùng khó khăn: tiểu học; biết đọc, biết viết chỉ ở vùng đó và khi có sự đồng ý của tỉnh ủy)"
            ),
        ))
    }
}

/// The awareness-course certificate must be in its validity period on the vote's date:
/// valid through its last month (month 60), expired from the next (month 61).
pub fn check_certificate(
    rules: &Rulebook,
    certificate_date: Option<NaiveDate>,
    on: NaiveDate,
) -> Result<(), Violation> {
    let Some(issued) = certificate_date.filter(|d| *d <= on) else {
        return Err(Violation::new(
            "CERTIFICATE_MISSING",
            tr!(
                "the candidate has no awareness-course certificate (CN-NTVĐ) dated on or before the vote",
                "người xin vào Đảng chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng (CN-NTVĐ) cấp trước hoặc trong ngày biểu quyết"
            ),
        ));
    };
    // Valid through the corresponding day of the last month, as every period in months
    // (`months::period_end`, the Civil Code's reckoning).
    if !within_period(issued, rules.certificate_validity_months, on) {
        return Err(Violation::new(
            "CERTIFICATE_EXPIRED",
            tr!(
                "the certificate of {issued} was valid through {}, before the vote on {on}; the candidate must attend the course again",
                "giấy chứng nhận cấp ngày {issued} chỉ có giá trị đến {}, trước ngày biểu quyết {on}; người xin vào Đảng phải học lại lớp bồi dưỡng",
                period_end(issued, rules.certificate_validity_months)
            ),
        ));
    }
    Ok(())
}

/// Whether a paper dated `dated` is too old on `on` (older than the staleness period).
fn is_stale(rules: &Rulebook, dated: NaiveDate, on: NaiveDate) -> bool {
    !within_period(dated, rules.dossier_staleness_months, on)
}

/// The application (1-KNĐ), background declaration (2-KNĐ) and comment summary (5-KNĐ) are
/// in, and the comments are fresh enough.
pub fn check_documents(rules: &Rulebook, documents: &[(FormCode, NaiveDate)], on: NaiveDate) -> Result<(), Violation> {
    let received = |form: FormCode| {
        documents
            .iter()
            .filter(|(f, d)| *f == form && *d <= on)
            .map(|(_, d)| *d)
            .max()
    };
    let missing: Vec<&str> = [FormCode::Knd1, FormCode::Knd2, FormCode::Knd5]
        .into_iter()
        .filter(|form| received(*form).is_none())
        .map(FormCode::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(Violation::new(
            "DOSSIER_INCOMPLETE",
            tr!("the dossier lacks {}", "hồ sơ còn thiếu {}", missing.join(", ")),
        ));
    }
    if let Some(comments) = received(FormCode::Knd5)
        && is_stale(rules, comments, on)
    {
        return Err(Violation::new(
            "DOSSIER_STALE",
            tr!(
                "the comment summary (5-KNĐ) of {comments} is more than {} months old: it must be redone",
                "tổng hợp ý kiến nhận xét (5-KNĐ) ngày {comments} đã quá {} tháng: phải làm lại",
                rules.dossier_staleness_months
            ),
        ));
    }
    Ok(())
}

/// One introduction as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntroductionFacts {
    pub kind: IntroductionKind,
    /// Date of the introduction paper (3-KNĐ) or union resolution (4-KNĐ, 4A-KNĐ).
    pub introduced_on: NaiveDate,
    /// Since when the member has worked, studied or lived with the candidate.
    pub known_since: Option<NaiveDate>,
    /// Since when the introducer is an official member (`None`: not official).
    pub introducer_official_since: Option<NaiveDate>,
    /// The introduction replaces one whose introducer could not continue: the replacement
    /// needs no 12 months of acquaintance (Quy định 24-QĐ/TW 2021 §3.2.2).
    pub replacement: bool,
    /// A replacement has taken this introduction's place: it no longer counts.
    pub replaced: bool,
}

/// Two official members who have known the candidate long enough, or one of them and a
/// Youth Union or trade-union resolution; every paper fresh enough.
pub fn check_introductions(
    rules: &Rulebook,
    introductions: &[IntroductionFacts],
    on: NaiveDate,
) -> Result<(), Violation> {
    let mut first_problem: Option<Violation> = None;
    let (mut members, mut unions) = (0, 0);
    for intro in introductions.iter().filter(|i| i.introduced_on <= on && !i.replaced) {
        let problem = if is_stale(rules, intro.introduced_on, on) {
            Some(Violation::new(
                "DOSSIER_STALE",
                tr!(
                    "an introduction of {} is more than {} months old: it must be redone",
                    "giấy giới thiệu ngày {} đã quá {} tháng: phải làm lại",
                    intro.introduced_on,
                    rules.dossier_staleness_months
                ),
            ))
        } else if intro.kind == IntroductionKind::Member {
            match (intro.introducer_official_since, intro.known_since) {
                (Some(since), _) if since > on => Some(not_official()),
                (None, _) => Some(not_official()),
                _ if intro.replacement => None,
                (_, None) => Some(known_too_short(rules, 0)),
                (_, Some(known)) if full_months_between(known, on) < rules.introducer_known_months as i32 => {
                    Some(known_too_short(rules, full_months_between(known, on).max(0)))
                }
                _ => None,
            }
        } else {
            None
        };
        match problem {
            Some(problem) => {
                first_problem.get_or_insert(problem);
            }
            None if intro.kind == IntroductionKind::Member => members += 1,
            None => unions += 1,
        }
    }
    if members >= 2 || (members >= 1 && unions >= 1) {
        return Ok(());
    }
    Err(first_problem.unwrap_or_else(|| {
        Violation::new(
            "INTRODUCERS_INSUFFICIENT",
            tr!(
                "two official members must introduce the candidate, or one official member and the Youth Union's or trade union's resolution",
                "phải có hai đảng viên chính thức giới thiệu, hoặc một đảng viên chính thức và nghị quyết giới thiệu của Đoàn Thanh niên hoặc Công đoàn"
            ),
        )
    }))
}

fn not_official() -> Violation {
    Violation::new(
        "INTRODUCER_NOT_OFFICIAL",
        tr!(
            "an introducer is not an official member on the vote's date",
            "có người giới thiệu chưa là đảng viên chính thức vào ngày biểu quyết"
        ),
    )
}

fn known_too_short(rules: &Rulebook, months: i32) -> Violation {
    Violation::new(
        "INTRODUCER_KNOWN_TOO_SHORT",
        tr!(
            "an introducer has known the candidate for {months} months; at least {} are required",
            "có người giới thiệu mới biết người xin vào Đảng {months} tháng; phải ít nhất {} tháng",
            rules.introducer_known_months
        ),
    )
}

/// Everything the branch's admission vote depends on.
pub struct BranchVoteFacts<'a> {
    pub vote_date: NaiveDate,
    pub birth_date: NaiveDate,
    pub education: GeneralEducation,
    pub difficult_area_exception: bool,
    pub over_age_consent: bool,
    pub literacy_consent: bool,
    pub certificate_date: Option<NaiveDate>,
    pub documents: &'a [(FormCode, NaiveDate)],
    /// The grassroots committee's latest conclusion on the background: its day and whether
    /// the standard is met.
    pub background: Option<(NaiveDate, bool)>,
    pub introductions: &'a [IntroductionFacts],
}

/// Everything that must hold before the branch may vote at all, in a fixed order; the first
/// failure is reported and nothing is recorded. The tally is not among them: a vote short
/// of its share is recorded and reported upward like any other (Hướng dẫn 01-HD/TW 2021,
/// kept by 06-HD/TW 2025: the full result of the vote is reported to the committee above).
pub fn check_branch_vote_conditions(rules: &Rulebook, facts: &BranchVoteFacts<'_>) -> Result<(), Violation> {
    let on = facts.vote_date;
    check_age(rules, facts.birth_date, on, facts.over_age_consent)?;
    check_education(facts.education, facts.difficult_area_exception, facts.literacy_consent)?;
    check_certificate(rules, facts.certificate_date, on)?;
    super::background::check_concluded(facts.background, on)?;
    check_documents(rules, facts.documents, on)?;
    check_introductions(rules, facts.introductions, on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn rules() -> Rulebook {
        Rulebook::charter_2011()
    }

    fn rule_of<T>(r: Result<T, Violation>) -> &'static str {
        r.err().map_or("OK", |v| v.rule)
    }

    #[test]
    fn age_edges_in_months() {
        let born = d(2008, 3, 15);
        assert_eq!(
            rule_of(check_age(&rules(), born, d(2026, 3, 14), false)),
            "AGE_BELOW_MINIMUM",
            "17 years 11 months"
        );
        assert_eq!(
            rule_of(check_age(&rules(), born, d(2026, 3, 15), false)),
            "OK",
            "18 years 0 months"
        );
        let old = d(1966, 3, 15);
        assert_eq!(
            rule_of(check_age(&rules(), old, d(2026, 4, 14), false)),
            "OK",
            "60 years 0 months"
        );
        assert_eq!(
            rule_of(check_age(&rules(), old, d(2026, 4, 15), false)),
            "AGE_ABOVE_MAXIMUM",
            "60 years 1 month"
        );
        assert_eq!(
            rule_of(check_age(&rules(), old, d(2026, 4, 15), true)),
            "OK",
            "with provincial consent"
        );
    }

    #[test]
    fn education_and_its_exceptions() {
        use GeneralEducation::*;
        assert_eq!(rule_of(check_education(LowerSecondary, false, false)), "OK");
        assert_eq!(
            rule_of(check_education(Primary, false, false)),
            "EDUCATION_BELOW_MINIMUM"
        );
        assert_eq!(rule_of(check_education(Primary, true, false)), "OK");
        assert_eq!(
            rule_of(check_education(Literate, true, false)),
            "EDUCATION_BELOW_MINIMUM"
        );
        assert_eq!(rule_of(check_education(Literate, true, true)), "OK");
    }

    /// Valid 60 months, reckoned as the Civil Code reckons a period in months (BLDS 2015
    /// Điều 147–148): through the anniversary, expired the day after, as papers go stale.
    #[test]
    fn certificate_through_the_anniversary_not_the_day_after() {
        let issued = d(2021, 3, 10);
        assert_eq!(
            rule_of(check_certificate(&rules(), Some(issued), d(2026, 3, 10))),
            "OK",
            "the anniversary"
        );
        assert_eq!(
            rule_of(check_certificate(&rules(), Some(issued), d(2026, 3, 11))),
            "CERTIFICATE_EXPIRED",
            "the day after"
        );
        assert_eq!(
            rule_of(check_certificate(&rules(), None, d(2026, 3, 9))),
            "CERTIFICATE_MISSING"
        );
        assert_eq!(
            rule_of(check_certificate(&rules(), Some(d(2026, 4, 1)), d(2026, 3, 9))),
            "CERTIFICATE_MISSING",
            "issued after the vote"
        );
    }

    fn member(known_since: NaiveDate) -> IntroductionFacts {
        IntroductionFacts {
            kind: IntroductionKind::Member,
            introduced_on: d(2026, 1, 5),
            known_since: Some(known_since),
            introducer_official_since: Some(d(2010, 1, 1)),
            replacement: false,
            replaced: false,
        }
    }

    #[test]
    fn introducer_known_11_vs_12_months() {
        let vote = d(2026, 3, 2);
        let long = member(d(2024, 1, 1));
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, member(d(2025, 3, 2))], vote)),
            "OK",
            "12 months"
        );
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, member(d(2025, 3, 3))], vote)),
            "INTRODUCER_KNOWN_TOO_SHORT",
            "11 months"
        );
    }

    /// Quy định 24-QĐ/TW 2021 §3.2.2: an introducer who cannot continue is replaced by
    /// another official member, who needs no 12 months of acquaintance; the replaced
    /// introduction no longer counts.
    #[test]
    fn a_replacement_introducer_needs_no_twelve_months() {
        let vote = d(2026, 3, 2);
        let long = member(d(2024, 1, 1));
        let replaced = IntroductionFacts {
            replaced: true,
            ..member(d(2024, 1, 1))
        };
        let replacement = IntroductionFacts {
            replacement: true,
            ..member(d(2026, 2, 1))
        };
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, replaced, replacement], vote)),
            "OK"
        );
        // The same short acquaintance without the replacement is refused…
        let newcomer = member(d(2026, 2, 1));
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, replaced, newcomer], vote)),
            "INTRODUCER_KNOWN_TOO_SHORT"
        );
        // …and a replaced introduction alone does not count.
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, replaced], vote)),
            "INTRODUCERS_INSUFFICIENT"
        );
        // A replacement must still be an official member on the day.
        let not_official = IntroductionFacts {
            introducer_official_since: None,
            ..replacement
        };
        assert_eq!(
            rule_of(check_introductions(&rules(), &[long, replaced, not_official], vote)),
            "INTRODUCER_NOT_OFFICIAL"
        );
    }

    #[test]
    fn one_member_and_a_union_resolution_suffice() {
        let vote = d(2026, 3, 2);
        let union = IntroductionFacts {
            kind: IntroductionKind::YouthUnion,
            introduced_on: d(2026, 1, 5),
            known_since: None,
            introducer_official_since: None,
            replacement: false,
            replaced: false,
        };
        assert_eq!(
            rule_of(check_introductions(&rules(), &[member(d(2020, 1, 1)), union], vote)),
            "OK"
        );
        assert_eq!(
            rule_of(check_introductions(&rules(), &[union], vote)),
            "INTRODUCERS_INSUFFICIENT"
        );
        let probationer = IntroductionFacts {
            introducer_official_since: None,
            ..member(d(2020, 1, 1))
        };
        assert_eq!(
            rule_of(check_introductions(
                &rules(),
                &[member(d(2020, 1, 1)), probationer],
                vote
            )),
            "INTRODUCER_NOT_OFFICIAL"
        );
        let stale = IntroductionFacts {
            introduced_on: d(2025, 3, 1),
            ..member(d(2020, 1, 1))
        };
        assert_eq!(
            rule_of(check_introductions(&rules(), &[member(d(2020, 1, 1)), stale], vote)),
            "DOSSIER_STALE"
        );
    }

    #[test]
    fn dossier_must_be_complete_and_fresh() {
        let vote = d(2026, 3, 2);
        let full = [
            (FormCode::Knd1, d(2025, 9, 1)),
            (FormCode::Knd2, d(2025, 9, 1)),
            (FormCode::Knd5, d(2025, 3, 2)),
        ];
        assert_eq!(
            rule_of(check_documents(&rules(), &full, vote)),
            "OK",
            "comments exactly 12 months old"
        );
        assert_eq!(
            rule_of(check_documents(&rules(), &full[..2], vote)),
            "DOSSIER_INCOMPLETE"
        );
        let stale = [full[0], full[1], (FormCode::Knd5, d(2025, 3, 1))];
        assert_eq!(rule_of(check_documents(&rules(), &stale, vote)), "DOSSIER_STALE");
    }

    #[test]
    fn exactly_two_thirds_vs_one_vote_short() {
        let share = rules().branch_vote;
        assert!(share.is_met(8, 12));
        assert!(!share.is_met(7, 12));
    }
}
