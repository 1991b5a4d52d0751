//! What a branch's vote is measured against: the official members on its registry on the
//! vote date, minus those the rules let it leave out, each named with the reason.

use super::macros::string_enum;
use super::rulebook::Fraction;
use super::violation::Violation;

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
            format!(
                "the registry holds {registry} official member(s) on the day and {left_out} are left out: nobody is left to count"
            ),
        )),
    }
}

/// Whether a branch's resolution to strike a probationer off carries: when so many vote for
/// it that recognition could no longer reach its share of the same members (the two
/// questions are one: is the probationer fit to be a full member; Điều lệ Đảng 2011,
/// Điều 5 khoản 3).
pub fn strike_off_carries(recognition_share: Fraction, votes_for_strike_off: u32, counted: u32) -> bool {
    let could_recognise = counted.saturating_sub(votes_for_strike_off);
    !recognition_share.is_met(could_recognise, counted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_out_members_come_off_the_registry() {
        assert_eq!(members_counted(12, 0), Ok(12));
        assert_eq!(members_counted(12, 3), Ok(9));
        assert_eq!(members_counted(3, 3).unwrap_err().rule, "VOTE_NOBODY_COUNTED");
        assert_eq!(members_counted(2, 3).unwrap_err().rule, "VOTE_NOBODY_COUNTED");
    }

    #[test]
    fn a_strike_off_carries_when_recognition_no_longer_could() {
        let two_thirds = Fraction::new(2, 3).unwrap();
        // 9 counted: recognition needs 6, so 4 votes to strike off leave only 5 — it carries;
        // 3 leave 6, who could still recognise — it does not.
        assert!(strike_off_carries(two_thirds, 4, 9));
        assert!(!strike_off_carries(two_thirds, 3, 9));
        assert!(strike_off_carries(two_thirds, 9, 9));
        assert!(!strike_off_carries(two_thirds, 0, 9));
    }
}
