//! What a branch's vote is measured against: the official members on its registry on the
//! vote date, minus those the rules let it leave out, each named with the reason.

use super::macros::string_enum;
use super::violation::Violation;
use crate::lang::Text;
use crate::tr;

string_enum! {
    /// Why an official member is not counted in the total a branch meeting's vote is
    /// measured against (Quy định 45-QĐ/TW 2011 §16.3a, kept by the later rules
    /// implementing the Charter, and Quy chế bầu cử trong Đảng, Điều 32: "trừ số đảng viên
    /// đã được giới thiệu sinh hoạt tạm thời ở đảng bộ khác, đảng viên đã được miễn công
    /// tác và sinh hoạt đảng không có mặt …, số đảng viên bị đình chỉ sinh hoạt đảng, bị
    /// khởi tố, truy tố, tạm giam").
    pub enum LeftOutReason {
        /// Introduced to another organisation for temporary activity (sinh hoạt tạm thời).
        AttachedElsewhere = "ATTACHED_ELSEWHERE",
        /// Exempted from work and activity (miễn công tác và sinh hoạt đảng) and not present;
        /// an exempted member who attends and votes is counted.
        ExemptedAndAbsent = "EXEMPTED_AND_ABSENT",
        /// Suspended from Party activity (đình chỉ sinh hoạt đảng).
        Suspended = "SUSPENDED",
        /// Prosecuted, indicted or held in custody (bị khởi tố, truy tố, tạm giam).
        ProsecutedOrDetained = "PROSECUTED_OR_DETAINED",
    }
}

/// The members a branch vote is measured against: `registry` official members on the day,
/// less `left_out` of them. `VOTE_NOBODY_COUNTED` when nobody is left to count.
pub fn members_counted(registry: u32, left_out: usize) -> Result<u32, Violation> {
    let left_out = u32::try_from(left_out).unwrap_or(u32::MAX);
    match registry.checked_sub(left_out) {
        Some(counted) if counted > 0 => Ok(counted),
        _ => Err(Violation::new(
            "VOTE_NOBODY_COUNTED",
            tr!(
                "the registry holds {registry} official member(s) on the day and {left_out} are left out: nobody is left to count",
                "ngày đó danh sách có {registry} đảng viên chính thức và {left_out} người không tính: không còn ai để tính"
            ),
        )),
    }
}

/// Whether the question of a probationer's standing goes to the competent committee: the
/// branch has voted `failed` times, to recognise or to strike off, without two thirds of
/// its counted members either way (Quy định 29-QĐ/TW 2016 §4.2 c, 24-QĐ/TW 2021 §4.2.3:
/// "đã qua 3 lần biểu quyết nhưng không đủ hai phần ba … thì báo cáo cấp ủy cấp trên trực
/// tiếp và cấp ủy có thẩm quyền xem xét, quyết định").
pub fn referred_up(failed: u32, votes_before_referral: u32) -> bool {
    failed >= votes_before_referral
}

/// A tally that can be: someone may vote, and no more vote for than may. Otherwise the
/// input field at fault and why.
pub fn check_tally(votes_for: u32, eligible: u32) -> Result<(), (&'static str, Text)> {
    if eligible == 0 {
        return Err(("eligibleVoters", tr!("must be at least 1", "phải có ít nhất 1 người")));
    }
    if votes_for > eligible {
        return Err((
            "votesFor",
            tr!(
                "{votes_for} votes for, but only {eligible} may vote",
                "{votes_for} phiếu tán thành, nhưng chỉ {eligible} người có quyền biểu quyết"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_may_be_unanimous_but_not_more() {
        assert_eq!(check_tally(9, 9), Ok(()));
        assert_eq!(check_tally(0, 9), Ok(()));
        assert_eq!(check_tally(10, 9).unwrap_err().0, "votesFor");
        assert_eq!(check_tally(0, 0).unwrap_err().0, "eligibleVoters");
    }

    #[test]
    fn left_out_members_come_off_the_registry() {
        assert_eq!(members_counted(12, 0), Ok(12));
        assert_eq!(members_counted(12, 3), Ok(9));
        assert_eq!(members_counted(3, 3).unwrap_err().rule, "VOTE_NOBODY_COUNTED");
        assert_eq!(members_counted(2, 3).unwrap_err().rule, "VOTE_NOBODY_COUNTED");
    }

    #[test]
    fn the_third_failed_vote_refers_the_question_up() {
        assert!(!referred_up(2, 3));
        assert!(referred_up(3, 3));
    }
}
