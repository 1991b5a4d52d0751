//! The admission dossier: its forms, relatives, introductions, resolutions and decisions.

use super::macros::string_enum;

string_enum! {
    /// A form of the admission dossier, by its official code.
    pub enum FormCode {
        /// Đơn xin vào Đảng.
        Knd1 = "1-KNĐ",
        /// Lý lịch của người xin vào Đảng.
        Knd2 = "2-KNĐ",
        /// Giấy giới thiệu người xin vào Đảng (by an official member).
        Knd3 = "3-KNĐ",
        /// Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng (Youth Union).
        Knd4 = "4-KNĐ",
        /// Nghị quyết giới thiệu đoàn viên công đoàn vào Đảng (trade union).
        Knd4A = "4A-KNĐ",
        /// Tổng hợp ý kiến nhận xét của tổ chức đoàn thể và chi ủy nơi cư trú.
        Knd5 = "5-KNĐ",
        /// Tổng hợp ý kiến nhận xét của tổ chức đoàn thể nơi làm việc.
        Knd5B = "5B-KNĐ",
        /// Tổng hợp ý kiến nhận xét của chi ủy nơi cư trú.
        Knd5C = "5C-KNĐ",
        /// Nghị quyết đề nghị kết nạp (branch).
        Knd6 = "6-KNĐ",
        /// Báo cáo thẩm định (section committee).
        Knd7 = "7-KNĐ",
        /// Nghị quyết đề nghị kết nạp (grassroots committee).
        Knd8 = "8-KNĐ",
        /// Quyết định kết nạp đảng viên.
        Knd9 = "9-KNĐ",
        /// Bản tự kiểm điểm của đảng viên dự bị.
        Knd10 = "10-KNĐ",
        /// Bản nhận xét đảng viên dự bị của đảng viên giúp đỡ.
        Knd11 = "11-KNĐ",
        /// Tổng hợp ý kiến nhận xét đảng viên dự bị.
        Knd12 = "12-KNĐ",
        /// Nghị quyết đề nghị công nhận đảng viên chính thức (branch).
        Knd13 = "13-KNĐ",
        /// Báo cáo thẩm định công nhận đảng viên chính thức (section committee).
        Knd14 = "14-KNĐ",
        /// Nghị quyết đề nghị công nhận đảng viên chính thức (grassroots committee).
        Knd15 = "15-KNĐ",
        /// Quyết định công nhận đảng viên chính thức.
        Knd16 = "16-KNĐ",
        /// Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.
        CnNtvd = "CN-NTVĐ",
    }
}

string_enum! {
    /// A relative whose background is verified (thẩm tra lý lịch).
    pub enum Relation {
        Father = "FATHER",
        Mother = "MOTHER",
        /// Whoever raised the candidate (người nuôi dưỡng).
        Guardian = "GUARDIAN",
        FatherInLaw = "FATHER_IN_LAW",
        MotherInLaw = "MOTHER_IN_LAW",
        Spouse = "SPOUSE",
        /// An adult child.
        Child = "CHILD",
    }
}

string_enum! {
    pub enum VerificationOutcome {
        Pending = "PENDING",
        Passed = "PASSED",
        Failed = "FAILED",
        /// Skipped: a close relative is already a member and the declaration is complete.
        NotRequired = "NOT_REQUIRED",
    }
}

string_enum! {
    /// Why an introducer could not continue and was replaced (Quy định 24-QĐ/TW 2021
    /// §3.2.2, as in 29-QĐ/TW 2016 §3.2.2: "trường hợp người giới thiệu chuyển sinh hoạt
    /// đảng, bị kỷ luật, bị chết hoặc lý do khác không tiếp tục giới thiệu được thì chi bộ
    /// phân công đảng viên chính thức khác giúp đỡ và giới thiệu", the replacement not needing
    /// to have worked with the candidate for 12 months).
    pub enum ReplacementReason {
        /// Transferred to another organisation (chuyển sinh hoạt đảng).
        Transferred = "TRANSFERRED",
        /// Disciplined (bị kỷ luật).
        Disciplined = "DISCIPLINED",
        /// Died (từ trần).
        Deceased = "DECEASED",
        /// Another reason the introducer cannot continue.
        Other = "OTHER",
    }
}

string_enum! {
    /// How a candidate is introduced.
    pub enum IntroductionKind {
        /// By an official member (3-KNĐ).
        Member = "MEMBER",
        /// By the Youth Union's resolution (4-KNĐ).
        YouthUnion = "YOUTH_UNION",
        /// By the trade union's resolution (4A-KNĐ).
        TradeUnion = "TRADE_UNION",
    }
}

string_enum! {
    pub enum CourseKind {
        /// Lớp bồi dưỡng nhận thức về Đảng (for candidates).
        Awareness = "AWARENESS",
        /// Lớp bồi dưỡng đảng viên mới (for probationers).
        NewMember = "NEW_MEMBER",
    }
}

string_enum! {
    pub enum ResolutionKind {
        BranchAdmission = "BRANCH_ADMISSION",
        SectionAppraisal = "SECTION_APPRAISAL",
        CommuneAdmission = "COMMUNE_ADMISSION",
        BranchRecognition = "BRANCH_RECOGNITION",
        CommuneRecognition = "COMMUNE_RECOGNITION",
        /// The branch proposes striking a probationer off (xóa tên).
        BranchStrikeOff = "BRANCH_STRIKE_OFF",
        /// The grassroots committee votes on the branch's proposal to strike off.
        CommuneStrikeOff = "COMMUNE_STRIKE_OFF",
    }
}

string_enum! {
    pub enum DecisionKind {
        Admission = "ADMISSION",
        Recognition = "RECOGNITION",
        StrikeOff = "STRIKE_OFF",
    }
}
