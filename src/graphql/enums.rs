//! GraphQL mirrors of the domain's enums, with the descriptions integrators read. The
//! domain stays free of GraphQL; `mirror_enum!` writes the conversions both ways.

use crate::domain;

macro_rules! mirror_enum {
    (
        $(#[$meta:meta])*
        $name:ident => $domain:path {
            $( $(#[doc = $doc:literal])* $variant:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $doc])* $variant ),*
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                use $domain as D;
                match value {
                    $( D::$variant => $name::$variant ),*
                }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                use $domain as D;
                match value {
                    $( $name::$variant => D::$variant ),*
                }
            }
        }
    };
}
pub(crate) use mirror_enum;

mirror_enum! {
    /// Where a candidate stands on the path to full membership.
    CandidateStage => domain::stage::Stage {
        /// On the branch's source list, being cultivated (danh sách cảm tình đảng).
        SourceList,
        /// The branch resolved to propose admission (nghị quyết chi bộ, 6-KNĐ).
        BranchApproved,
        /// Appraised by the section committee (đảng ủy bộ phận thẩm định, 7-KNĐ).
        SectionAppraised,
        /// The grassroots committee voted (nghị quyết đảng ủy cơ sở, 8-KNĐ); awaiting the decision.
        CommuneResolved,
        /// Admission decided (quyết định kết nạp, 9-KNĐ); awaiting the ceremony.
        AdmissionDecided,
        /// Admitted; on probation (đảng viên dự bị).
        Probationary,
        /// The branch proposed recognition (13-KNĐ).
        RecognitionBranchApproved,
        /// The grassroots committee voted on recognition (15-KNĐ).
        RecognitionCommuneResolved,
        /// Full member (đảng viên chính thức, 16-KNĐ).
        Official,
        /// The branch did not recognise the probationer (its recognition vote fell short, or
        /// it resolved to strike off); the proposal goes to the grassroots committee.
        StrikeOffProposed,
        /// The grassroots committee voted on striking off; awaiting the decision.
        StrikeOffCommuneResolved,
        /// The branch voted three times without two thirds either to recognise or to strike
        /// off; the competent committee decides either way.
        RecognitionReferred,
        /// Dropped from the source list (đưa ra khỏi danh sách).
        Dropped,
        /// Rejected at a vote or decision.
        Rejected,
        /// Withdrew the application (rút đơn).
        Withdrawn,
        /// Not recognised after probation (xóa tên).
        StruckOff,
    }
}

mirror_enum! {
    /// Gender (giới tính).
    Gender => domain::person::Gender {
        /// Nam.
        Male,
        /// Nữ.
        Female,
    }
}

mirror_enum! {
    /// General education (trình độ giáo dục phổ thông).
    GeneralEducation => domain::person::GeneralEducation {
        /// Can read and write (biết đọc, biết viết).
        Literate,
        /// Primary school (tiểu học).
        Primary,
        /// Lower secondary school (trung học cơ sở).
        LowerSecondary,
        /// Upper secondary school (trung học phổ thông).
        UpperSecondary,
    }
}

mirror_enum! {
    /// Professional qualification (trình độ chuyên môn, nghiệp vụ).
    ProfessionalLevel => domain::person::ProfessionalLevel {
        /// None (chưa qua đào tạo).
        None,
        /// Elementary (sơ cấp).
        Elementary,
        /// Intermediate (trung cấp).
        Intermediate,
        /// College (cao đẳng).
        College,
        /// University (đại học).
        University,
        /// Master (thạc sĩ).
        Master,
        /// Doctor (tiến sĩ).
        Doctor,
    }
}

mirror_enum! {
    /// Political theory (trình độ lý luận chính trị).
    PoliticalTheoryLevel => domain::person::PoliticalTheoryLevel {
        /// None.
        None,
        /// Elementary (sơ cấp).
        Elementary,
        /// Intermediate (trung cấp).
        Intermediate,
        /// Advanced (cao cấp).
        Advanced,
        /// Bachelor (cử nhân).
        Bachelor,
    }
}

mirror_enum! {
    /// Who introduced the candidate to the branch (đoàn thể giới thiệu).
    SourceOrganisation => domain::person::SourceOrganisation {
        /// Ho Chi Minh Communist Youth Union (Đoàn TNCS Hồ Chí Minh).
        YouthUnion,
        /// Women's Union (Hội Liên hiệp Phụ nữ).
        WomensUnion,
        /// Farmers' Union (Hội Nông dân).
        FarmersUnion,
        /// Veterans' Association (Hội Cựu chiến binh).
        VeteransAssociation,
        /// Trade union (Công đoàn).
        TradeUnion,
        /// Fatherland Front (Mặt trận Tổ quốc).
        FatherlandFront,
        /// Found by the branch itself (chi bộ tự phát hiện).
        Branch,
    }
}

mirror_enum! {
    /// Religion (tôn giáo).
    Religion => domain::person::Religion {
        /// None (không).
        None,
        /// Phật giáo.
        Buddhism,
        /// Công giáo.
        Catholicism,
        /// Tin Lành.
        Protestantism,
        /// Cao Đài.
        CaoDai,
        /// Phật giáo Hòa Hảo.
        HoaHao,
        /// Hồi giáo.
        Islam,
        /// Baha'i.
        Bahai,
        /// Tịnh độ Cư sĩ Phật hội Việt Nam.
        PureLandLayBuddhism,
        /// Cơ đốc Phục lâm.
        SeventhDayAdventism,
        /// Phật giáo Tứ Ân Hiếu Nghĩa.
        TuAnHieuNghia,
        /// Minh Sư đạo.
        MinhSuDao,
        /// Minh Lý đạo – Tam Tông Miếu.
        MinhLyDao,
        /// Bà-la-môn.
        Brahmanism,
        /// Giáo hội Các Thánh hữu Ngày sau của Chúa Giê-su Ky-tô (Mặc Môn).
        LatterDaySaints,
        /// Phật giáo Hiếu Nghĩa Tà Lơn.
        HieuNghiaTaLon,
        /// Bửu Sơn Kỳ Hương.
        BuuSonKyHuong,
        /// Another religion.
        Other,
    }
}

mirror_enum! {
    /// A member's standing in the registry.
    MemberStatus => domain::person::MemberStatus {
        /// Probationary member (đảng viên dự bị).
        Probationary,
        /// Full member (đảng viên chính thức).
        Official,
        /// Struck off (xóa tên).
        StruckOff,
        /// Left the Party otherwise: expelled (khai trừ) or resigned (xin ra Đảng).
        Left,
        /// Moved to an organisation outside this system (chuyển sinh hoạt đi).
        TransferredOut,
    }
}

mirror_enum! {
    /// Why a former member left the Party, as the rules on re-admission distinguish it
    /// (Quy định 294-QĐ/TW 2025 §3.5).
    LeftReason => domain::readmission::LeftReason {
        /// Struck off (xóa tên) for a reason the rules do not exclude.
        StruckOff,
        /// Expelled (khai trừ) for a reason the rules do not exclude.
        Expelled,
        /// Resigned because of special family hardship.
        ResignedForFamilyHardship,
        /// Convicted of a less serious offence: 60 months after the record is expunged.
        MinorConviction,
        /// Abandoned Party activity (tự bỏ sinh hoạt đảng): never re-admitted.
        AbandonedActivity,
        /// Resigned (làm đơn xin ra Đảng) without family hardship: never re-admitted.
        Resigned,
        /// Caused serious internal disunity: never re-admitted.
        SeriousDisunity,
        /// Convicted of corruption: never re-admitted.
        CorruptionConviction,
        /// Convicted of a serious offence or worse: never re-admitted.
        SeriousConviction,
    }
}

mirror_enum! {
    /// A form of the admission dossier.
    FormCode => domain::dossier::FormCode {
        /// 1-KNĐ: application (đơn xin vào Đảng).
        Knd1,
        /// 2-KNĐ: background declaration (lý lịch người xin vào Đảng).
        Knd2,
        /// 3-KNĐ: introduction by an official member (giấy giới thiệu).
        Knd3,
        /// 4-KNĐ: Youth Union's resolution introducing the candidate.
        Knd4,
        /// 4A-KNĐ: trade union's resolution introducing the candidate.
        Knd4A,
        /// 5-KNĐ: summary of comments of mass organisations and the residence's committee.
        Knd5,
        /// 5B-KNĐ: summary of comments at the workplace.
        Knd5B,
        /// 5C-KNĐ: comments of the residence's branch committee.
        Knd5C,
        /// 6-KNĐ: the branch's resolution proposing admission.
        Knd6,
        /// 7-KNĐ: the section committee's appraisal.
        Knd7,
        /// 8-KNĐ: the grassroots committee's resolution.
        Knd8,
        /// 9-KNĐ: the admission decision.
        Knd9,
        /// 10-KNĐ: the probationer's self-review.
        Knd10,
        /// 11-KNĐ: the mentor's assessment of the probationer.
        Knd11,
        /// 12-KNĐ: summary of comments on the probationer.
        Knd12,
        /// 13-KNĐ: the branch's resolution proposing recognition.
        Knd13,
        /// 14-KNĐ: the section committee's appraisal of recognition.
        Knd14,
        /// 15-KNĐ: the grassroots committee's resolution on recognition.
        Knd15,
        /// 16-KNĐ: the recognition decision.
        Knd16,
        /// CN-NTVĐ: awareness-course certificate.
        CnNtvd,
    }
}

mirror_enum! {
    /// A relative whose background is verified.
    Relation => domain::dossier::Relation {
        /// Cha.
        Father,
        /// Mẹ.
        Mother,
        /// Whoever raised the candidate (người nuôi dưỡng).
        Guardian,
        /// Cha vợ / cha chồng.
        FatherInLaw,
        /// Mẹ vợ / mẹ chồng.
        MotherInLaw,
        /// Vợ / chồng.
        Spouse,
        /// Adult child (con đã trưởng thành).
        Child,
    }
}

mirror_enum! {
    /// Outcome of a background verification (thẩm tra lý lịch).
    VerificationOutcome => domain::dossier::VerificationOutcome {
        /// Not verified yet.
        Pending,
        /// Verified; no obstacle found.
        Passed,
        /// The political standard is not met.
        Failed,
        /// Not needed: a close relative is already a member and the declaration is complete.
        NotRequired,
    }
}

mirror_enum! {
    /// How the candidate is introduced.
    IntroductionKind => domain::dossier::IntroductionKind {
        /// By an official member (3-KNĐ).
        Member,
        /// By the Youth Union's resolution (4-KNĐ).
        YouthUnion,
        /// By the trade union's resolution (4A-KNĐ).
        TradeUnion,
    }
}

mirror_enum! {
    /// A training course's kind.
    CourseKind => domain::dossier::CourseKind {
        /// Awareness course for candidates (lớp bồi dưỡng nhận thức về Đảng).
        Awareness,
        /// Course for new members on probation (lớp bồi dưỡng đảng viên mới).
        NewMember,
    }
}

mirror_enum! {
    /// A vote on a candidate.
    ResolutionKind => domain::dossier::ResolutionKind {
        /// The branch's admission vote (6-KNĐ).
        BranchAdmission,
        /// The section committee's appraisal (7-KNĐ).
        SectionAppraisal,
        /// The grassroots committee's admission vote (8-KNĐ).
        CommuneAdmission,
        /// The branch's recognition vote (13-KNĐ).
        BranchRecognition,
        /// The grassroots committee's recognition vote (15-KNĐ).
        CommuneRecognition,
        /// The branch's resolution proposing to strike a probationer off.
        BranchStrikeOff,
        /// The grassroots committee's vote on striking a probationer off.
        CommuneStrikeOff,
    }
}

mirror_enum! {
    /// Why an official member is not counted in a branch vote's total (Quy định 45-QĐ/TW
    /// 2011 §16.3a and its successors).
    LeftOutReason => domain::vote::LeftOutReason {
        /// Attending another organisation temporarily (sinh hoạt tạm thời).
        AttachedElsewhere,
        /// Exempted from work and activity and not present (miễn công tác và sinh hoạt đảng).
        ExemptedAndAbsent,
        /// Suspended from Party activity (đình chỉ sinh hoạt đảng).
        Suspended,
        /// Prosecuted, indicted or held in custody (bị khởi tố, truy tố, tạm giam).
        ProsecutedOrDetained,
    }
}

mirror_enum! {
    /// Why an introducer could not continue and was replaced (Quy định 24-QĐ/TW 2021 §3.2.2).
    ReplacementReason => domain::dossier::ReplacementReason {
        /// Transferred to another organisation (chuyển sinh hoạt đảng).
        Transferred,
        /// Disciplined (bị kỷ luật).
        Disciplined,
        /// Died (từ trần).
        Deceased,
        /// Another reason the introducer cannot continue.
        Other,
    }
}

mirror_enum! {
    /// How units succeeded one another.
    SuccessionKind => domain::succession::SuccessionKind {
        /// Several units merged into one (sáp nhập): everything passes to the successor.
        Merger,
        /// A unit split into several (chia tách): each successor receives a part.
        Split,
    }
}

mirror_enum! {
    /// Whose target a figure is measured against.
    TargetBasis => domain::period::TargetBasis {
        /// Assigned by the direct superior (giao chỉ tiêu).
        Assigned,
        /// The unit's own congress or annual resolution.
        OwnResolution,
    }
}

mirror_enum! {
    /// A decision of the deciding unit's standing committee.
    DecisionKind => domain::dossier::DecisionKind {
        /// Admission (9-KNĐ).
        Admission,
        /// Recognition as a full member (16-KNĐ).
        Recognition,
        /// Strike-off of a probationer not recognised (xóa tên).
        StrikeOff,
    }
}

mirror_enum! {
    /// A step with a deadline.
    DeadlineKind => domain::deadline::DeadlineKind {
        /// Admission decision: within 60 working days of the branch resolution.
        AdmissionDecision,
        /// Ceremony: within 30 working days of the day the branch received the decision.
        Ceremony,
        /// Branch recognition vote: within 30 working days after probation ends.
        RecognitionVote,
        /// Recognition decision: within 30 working days of the branch's recognition resolution.
        RecognitionDecision,
        /// Strike-off decision: on the recognition decision's clock, from the branch's resolution.
        StrikeOffDecision,
    }
}

mirror_enum! {
    /// An ethnic group (dân tộc), by the official list of 54.
    Ethnicity => domain::ethnicity::Ethnicity {
        /// 01 Kinh.
        Kinh,
        /// 02 Tày.
        Tay,
        /// 03 Thái.
        Thai,
        /// 04 Hoa.
        Hoa,
        /// 05 Khmer.
        Khmer,
        /// 06 Mường.
        Muong,
        /// 07 Nùng.
        Nung,
        /// 08 Mông.
        Hmong,
        /// 09 Dao.
        Dao,
        /// 10 Gia Rai.
        GiaRai,
        /// 11 Ngái.
        Ngai,
        /// 12 Ê Đê.
        EDe,
        /// 13 Ba Na.
        BaNa,
        /// 14 Xơ Đăng.
        XoDang,
        /// 15 Sán Chay.
        SanChay,
        /// 16 Cơ Ho.
        CoHo,
        /// 17 Chăm.
        Cham,
        /// 18 Sán Dìu.
        SanDiu,
        /// 19 Hrê.
        Hre,
        /// 20 Mnông.
        Mnong,
        /// 21 Ra Glai.
        RaGlai,
        /// 22 Xtiêng.
        Xtieng,
        /// 23 Bru-Vân Kiều.
        BruVanKieu,
        /// 24 Thổ.
        Tho,
        /// 25 Giáy.
        Giay,
        /// 26 Cơ Tu.
        CoTu,
        /// 27 Gié Triêng.
        GieTrieng,
        /// 28 Mạ.
        Ma,
        /// 29 Khơ Mú.
        KhoMu,
        /// 30 Co.
        Co,
        /// 31 Tà Ôi.
        TaOi,
        /// 32 Chơ Ro.
        ChoRo,
        /// 33 Kháng.
        Khang,
        /// 34 Xinh Mun.
        XinhMun,
        /// 35 Hà Nhì.
        HaNhi,
        /// 36 Chu Ru.
        ChuRu,
        /// 37 Lào.
        Lao,
        /// 38 La Chí.
        LaChi,
        /// 39 La Ha.
        LaHa,
        /// 40 Phù Lá.
        PhuLa,
        /// 41 La Hủ.
        LaHu,
        /// 42 Lự.
        Lu,
        /// 43 Lô Lô.
        LoLo,
        /// 44 Chứt.
        Chut,
        /// 45 Mảng.
        Mang,
        /// 46 Pà Thẻn.
        PaThen,
        /// 47 Cơ Lao.
        CoLao,
        /// 48 Cống.
        Cong,
        /// 49 Bố Y.
        BoY,
        /// 50 Si La.
        SiLa,
        /// 51 Pu Péo.
        PuPeo,
        /// 52 Brâu.
        Brau,
        /// 53 Ơ Đu.
        ODu,
        /// 54 Rơ Măm.
        RoMam,
    }
}
