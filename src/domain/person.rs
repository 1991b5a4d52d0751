//! Attributes of a person that the rules and the reports use.

use super::macros::string_enum;
use crate::lang::Text;
use crate::tr;

string_enum! {
    pub enum Gender {
        Male = "MALE",
        Female = "FEMALE",
    }
}

string_enum! {
    /// General education (giáo dục phổ thông), lowest first.
    pub enum GeneralEducation {
        /// Can read and write (biết đọc, biết viết).
        Literate = "LITERATE",
        /// Completed primary school (tiểu học).
        Primary = "PRIMARY",
        /// Completed lower secondary school (trung học cơ sở).
        LowerSecondary = "LOWER_SECONDARY",
        /// Completed upper secondary school (trung học phổ thông).
        UpperSecondary = "UPPER_SECONDARY",
    }
}

string_enum! {
    /// Professional qualification (chuyên môn, nghiệp vụ), lowest first.
    pub enum ProfessionalLevel {
        None = "NONE",
        Elementary = "ELEMENTARY",
        Intermediate = "INTERMEDIATE",
        College = "COLLEGE",
        University = "UNIVERSITY",
        Master = "MASTER",
        Doctor = "DOCTOR",
    }
}

string_enum! {
    /// Political theory (lý luận chính trị), lowest first.
    pub enum PoliticalTheoryLevel {
        None = "NONE",
        Elementary = "ELEMENTARY",
        Intermediate = "INTERMEDIATE",
        Advanced = "ADVANCED",
        Bachelor = "BACHELOR",
    }
}

string_enum! {
    /// Who introduced the candidate to the branch (đoàn thể giới thiệu).
    pub enum SourceOrganisation {
        YouthUnion = "YOUTH_UNION",
        WomensUnion = "WOMENS_UNION",
        FarmersUnion = "FARMERS_UNION",
        VeteransAssociation = "VETERANS_ASSOCIATION",
        TradeUnion = "TRADE_UNION",
        FatherlandFront = "FATHERLAND_FRONT",
        Branch = "BRANCH",
    }
}

string_enum! {
    /// The 16 religions recognised in Viet Nam (as in the 2019 census), none, or another.
    pub enum Religion {
        None = "NONE",
        Buddhism = "BUDDHISM",
        Catholicism = "CATHOLICISM",
        Protestantism = "PROTESTANTISM",
        CaoDai = "CAO_DAI",
        HoaHao = "HOA_HAO",
        Islam = "ISLAM",
        Bahai = "BAHAI",
        PureLandLayBuddhism = "PURE_LAND_LAY_BUDDHISM",
        SeventhDayAdventism = "SEVENTH_DAY_ADVENTISM",
        TuAnHieuNghia = "TU_AN_HIEU_NGHIA",
        MinhSuDao = "MINH_SU_DAO",
        MinhLyDao = "MINH_LY_DAO",
        Brahmanism = "BRAHMANISM",
        LatterDaySaints = "LATTER_DAY_SAINTS",
        HieuNghiaTaLon = "HIEU_NGHIA_TA_LON",
        BuuSonKyHuong = "BUU_SON_KY_HUONG",
        Other = "OTHER",
    }
}

string_enum! {
    /// A member's standing in the registry.
    pub enum MemberStatus {
        /// Đảng viên dự bị.
        Probationary = "PROBATIONARY",
        /// Đảng viên chính thức.
        Official = "OFFICIAL",
        /// Xóa tên.
        StruckOff = "STRUCK_OFF",
        /// Left the Party otherwise: expelled (khai trừ) or resigned (xin ra Đảng).
        Left = "LEFT",
        /// Moved to an organisation outside this system (chuyển sinh hoạt đi).
        TransferredOut = "TRANSFERRED_OUT",
    }
}

/// A citizen identity number (căn cước công dân): 12 digits, spaces ignored.
pub fn parse_citizen_id(input: &str) -> Result<String, Text> {
    if input.chars().count() > 20 {
        return Err(tr!("at most 20 characters", "tối đa 20 ký tự"));
    }
    let id: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(tr!(
            "a citizen identity number has 12 digits",
            "số định danh cá nhân gồm 12 chữ số"
        ));
    }
    Ok(id)
}
