//! The 54 ethnic groups of Viet Nam, by the General Statistics Office's official codes
//! (danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ).

use super::macros::string_enum;

string_enum! {
    /// An ethnic group (dân tộc).
    pub enum Ethnicity {
        /// 01 Kinh.
        Kinh = "KINH",
        /// 02 Tày.
        Tay = "TAY",
        /// 03 Thái.
        Thai = "THAI",
        /// 04 Hoa.
        Hoa = "HOA",
        /// 05 Khmer.
        Khmer = "KHMER",
        /// 06 Mường.
        Muong = "MUONG",
        /// 07 Nùng.
        Nung = "NUNG",
        /// 08 Mông.
        Hmong = "HMONG",
        /// 09 Dao.
        Dao = "DAO",
        /// 10 Gia Rai.
        GiaRai = "GIA_RAI",
        /// 11 Ngái.
        Ngai = "NGAI",
        /// 12 Ê Đê.
        EDe = "E_DE",
        /// 13 Ba Na.
        BaNa = "BA_NA",
        /// 14 Xơ Đăng.
        XoDang = "XO_DANG",
        /// 15 Sán Chay.
        SanChay = "SAN_CHAY",
        /// 16 Cơ Ho.
        CoHo = "CO_HO",
        /// 17 Chăm.
        Cham = "CHAM",
        /// 18 Sán Dìu.
        SanDiu = "SAN_DIU",
        /// 19 Hrê.
        Hre = "HRE",
        /// 20 Mnông.
        Mnong = "MNONG",
        /// 21 Ra Glai.
        RaGlai = "RA_GLAI",
        /// 22 Xtiêng.
        Xtieng = "XTIENG",
        /// 23 Bru-Vân Kiều.
        BruVanKieu = "BRU_VAN_KIEU",
        /// 24 Thổ.
        Tho = "THO",
        /// 25 Giáy.
        Giay = "GIAY",
        /// 26 Cơ Tu.
        CoTu = "CO_TU",
        /// 27 Gié Triêng.
        GieTrieng = "GIE_TRIENG",
        /// 28 Mạ.
        Ma = "MA",
        /// 29 Khơ Mú.
        KhoMu = "KHO_MU",
        /// 30 Co.
        Co = "CO",
        /// 31 Tà Ôi.
        TaOi = "TA_OI",
        /// 32 Chơ Ro.
        ChoRo = "CHO_RO",
        /// 33 Kháng.
        Khang = "KHANG",
        /// 34 Xinh Mun.
        XinhMun = "XINH_MUN",
        /// 35 Hà Nhì.
        HaNhi = "HA_NHI",
        /// 36 Chu Ru.
        ChuRu = "CHU_RU",
        /// 37 Lào.
        Lao = "LAO",
        /// 38 La Chí.
        LaChi = "LA_CHI",
        /// 39 La Ha.
        LaHa = "LA_HA",
        /// 40 Phù Lá.
        PhuLa = "PHU_LA",
        /// 41 La Hủ.
        LaHu = "LA_HU",
        /// 42 Lự.
        Lu = "LU",
        /// 43 Lô Lô.
        LoLo = "LO_LO",
        /// 44 Chứt.
        Chut = "CHUT",
        /// 45 Mảng.
        Mang = "MANG",
        /// 46 Pà Thẻn.
        PaThen = "PA_THEN",
        /// 47 Cơ Lao.
        CoLao = "CO_LAO",
        /// 48 Cống.
        Cong = "CONG",
        /// 49 Bố Y.
        BoY = "BO_Y",
        /// 50 Si La.
        SiLa = "SI_LA",
        /// 51 Pu Péo.
        PuPeo = "PU_PEO",
        /// 52 Brâu.
        Brau = "BRAU",
        /// 53 Ơ Đu.
        ODu = "O_DU",
        /// 54 Rơ Măm.
        RoMam = "RO_MAM",
    }
}

/// (official code, Vietnamese name), in the order of `Ethnicity::ALL`.
const NAMES: [(&str, &str); 54] = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra Glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Gié Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
];

impl Ethnicity {
    fn index(self) -> usize {
        Self::ALL.iter().position(|e| *e == self).unwrap_or(0)
    }

    /// The two-digit official code ("01" for Kinh).
    pub fn official_code(self) -> &'static str {
        NAMES[self.index()].0
    }

    /// The name in Vietnamese.
    pub fn name_vi(self) -> &'static str {
        NAMES[self.index()].1
    }

    /// Every group but the Kinh majority is an ethnic minority (dân tộc thiểu số).
    pub fn is_minority(self) -> bool {
        self != Ethnicity::Kinh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_four_groups_with_distinct_codes() {
        assert_eq!(Ethnicity::ALL.len(), 54);
        let codes: std::collections::BTreeSet<_> = Ethnicity::ALL.iter().map(|e| e.official_code()).collect();
        assert_eq!(codes.len(), 54);
        assert_eq!(
            (Ethnicity::Kinh.official_code(), Ethnicity::RoMam.official_code()),
            ("01", "54")
        );
        assert_eq!(Ethnicity::Hmong.name_vi(), "Mông");
        assert!(!Ethnicity::Kinh.is_minority() && Ethnicity::Tay.is_minority());
    }
}
