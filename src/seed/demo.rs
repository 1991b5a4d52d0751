//! The demo tree and accounts (`ketnap seed demo`, `ketnap serve --demo`).
//!
//! A fictional province with both shapes of the tree: a border district (huyện) with three
//! communes, a section and a grassroots branch; a provincial city with two wards; and a
//! commune placed directly under the province by the 2025 reform, the direct superior of
//! its village branches (grassroots branches) and of a school's grassroots committee.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use entity::{member, org_unit, residential_area};

use crate::accounts::service::{NewUser, insert_user};
use crate::auth::password::Passwords;
use crate::domain::ethnicity::Ethnicity;
use crate::domain::org::OrgKind;
use crate::domain::person::{Gender, MemberStatus};
use crate::domain::role::AccountType;
use crate::domain::text;
use crate::error::{AppError, AppResult, tr};
use crate::org::service::{CreateUnit, create_in};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ketnap-demo-2026";

/// (code, parent code, kind, name, active from)
const UNITS: &[(&str, Option<&str>, OrgKind, &str, &str)] = &[
    ("SL", None, OrgKind::Province, "Đảng bộ tỉnh Sơn Lâm", "2015-01-01"),
    (
        "SL.BS",
        Some("SL"),
        OrgKind::District,
        "Đảng bộ huyện Biên Sơn",
        "2015-01-01",
    ),
    (
        "SL.BS.TL",
        Some("SL.BS"),
        OrgKind::Commune,
        "Đảng bộ xã Tân Lập",
        "2015-01-01",
    ),
    (
        "SL.BS.TL.NL",
        Some("SL.BS.TL"),
        OrgKind::Branch,
        "Chi bộ thôn Nà Lầu",
        "2015-01-01",
    ),
    (
        "SL.BS.TL.KM",
        Some("SL.BS.TL"),
        OrgKind::Branch,
        "Chi bộ thôn Khuổi Mạ",
        "2015-01-01",
    ),
    (
        "SL.BS.TL.THCS",
        Some("SL.BS.TL"),
        OrgKind::Branch,
        "Chi bộ Trường THCS Tân Lập",
        "2015-01-01",
    ),
    (
        "SL.BS.HB",
        Some("SL.BS"),
        OrgKind::Commune,
        "Đảng bộ xã Hòa Bình",
        "2015-01-01",
    ),
    (
        "SL.BS.HB.BC",
        Some("SL.BS.HB"),
        OrgKind::Branch,
        "Chi bộ thôn Bản Chang",
        "2015-01-01",
    ),
    (
        "SL.BS.HB.NP",
        Some("SL.BS.HB"),
        OrgKind::Branch,
        "Chi bộ thôn Nà Pàn",
        "2015-01-01",
    ),
    (
        "SL.BS.DT",
        Some("SL.BS"),
        OrgKind::Commune,
        "Đảng bộ xã Đồng Tâm",
        "2015-01-01",
    ),
    (
        "SL.BS.DT.CQ",
        Some("SL.BS.DT"),
        OrgKind::Section,
        "Đảng bộ bộ phận khối cơ quan xã Đồng Tâm",
        "2015-01-01",
    ),
    (
        "SL.BS.DT.CQ.UB",
        Some("SL.BS.DT.CQ"),
        OrgKind::Branch,
        "Chi bộ Ủy ban nhân dân xã",
        "2015-01-01",
    ),
    (
        "SL.BS.DT.CQ.CA",
        Some("SL.BS.DT.CQ"),
        OrgKind::Branch,
        "Chi bộ Công an xã",
        "2015-01-01",
    ),
    (
        "SL.BS.DT.DT1",
        Some("SL.BS.DT"),
        OrgKind::Branch,
        "Chi bộ thôn Đồng Tâm 1",
        "2015-01-01",
    ),
    (
        "SL.BS.BHXH",
        Some("SL.BS"),
        OrgKind::Branch,
        "Chi bộ Bảo hiểm xã hội huyện (chi bộ cơ sở)",
        "2015-01-01",
    ),
    (
        "SL.TP",
        Some("SL"),
        OrgKind::District,
        "Đảng bộ thành phố Sơn Lâm",
        "2015-01-01",
    ),
    (
        "SL.TP.MK",
        Some("SL.TP"),
        OrgKind::Commune,
        "Đảng bộ phường Minh Khai",
        "2015-01-01",
    ),
    (
        "SL.TP.MK.TDP1",
        Some("SL.TP.MK"),
        OrgKind::Branch,
        "Chi bộ tổ dân phố 1",
        "2015-01-01",
    ),
    (
        "SL.TP.MK.TDP2",
        Some("SL.TP.MK"),
        OrgKind::Branch,
        "Chi bộ tổ dân phố 2",
        "2015-01-01",
    ),
    (
        "SL.TP.QT",
        Some("SL.TP"),
        OrgKind::Commune,
        "Đảng bộ phường Quang Trung",
        "2015-01-01",
    ),
    (
        "SL.TP.QT.KP3",
        Some("SL.TP.QT"),
        OrgKind::Branch,
        "Chi bộ khu phố 3",
        "2015-01-01",
    ),
    (
        "SL.PS",
        Some("SL"),
        OrgKind::Commune,
        "Đảng bộ xã Phúc Sơn",
        "2025-07-01",
    ),
    (
        "SL.PS.BM",
        Some("SL.PS"),
        OrgKind::Branch,
        "Chi bộ thôn Bản Mới",
        "2025-07-01",
    ),
    (
        "SL.PS.LC",
        Some("SL.PS"),
        OrgKind::Branch,
        "Chi bộ thôn Lũng Cú",
        "2025-07-01",
    ),
    (
        "SL.PS.THPT",
        Some("SL.PS"),
        OrgKind::Grassroots,
        "Đảng bộ Trường THPT Phúc Sơn",
        "2025-07-01",
    ),
    (
        "SL.PS.THPT.GV",
        Some("SL.PS.THPT"),
        OrgKind::Branch,
        "Chi bộ giáo viên",
        "2025-07-01",
    ),
    (
        "SL.PS.THPT.HC",
        Some("SL.PS.THPT"),
        OrgKind::Branch,
        "Chi bộ hành chính",
        "2025-07-01",
    ),
];

/// (commune code, area code, name)
const AREAS: &[(&str, &str, &str)] = &[
    ("SL.BS.TL", "NL", "Thôn Nà Lầu"),
    ("SL.BS.TL", "KM", "Thôn Khuổi Mạ"),
    ("SL.BS.TL", "BG", "Thôn Bản Giới"),
    ("SL.BS.HB", "BC", "Thôn Bản Chang"),
    ("SL.BS.HB", "NP", "Thôn Nà Pàn"),
    ("SL.BS.HB", "PL", "Thôn Phja Lài"),
    ("SL.BS.DT", "DT1", "Thôn Đồng Tâm 1"),
    ("SL.BS.DT", "DT2", "Thôn Đồng Tâm 2"),
    ("SL.TP.MK", "TDP1", "Tổ dân phố 1"),
    ("SL.TP.MK", "TDP2", "Tổ dân phố 2"),
    ("SL.TP.QT", "KP3", "Khu phố 3"),
    ("SL.PS", "BM", "Thôn Bản Mới"),
    ("SL.PS", "LC", "Thôn Lũng Cú"),
];

/// Family, middle and given names for demo members.
const FAMILY: [&str; 12] = [
    "Nguyễn", "Hoàng", "Nông", "Lò", "Vi", "Bế", "Triệu", "Hà", "Lương", "Trần", "Lê", "Phạm",
];
const MIDDLE: [&str; 4] = ["Văn", "Thị", "Đức", "Minh"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Chiến", "Dũng", "Giang", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Ngọc", "Phúc",
    "Sơn", "Thảo",
];
const ETHNIC: [Ethnicity; 4] = [Ethnicity::Tay, Ethnicity::Nung, Ethnicity::Kinh, Ethnicity::Dao];

/// Official members in each branch's registry: 12 in the demo branch (Nà Lầu), 8 to 13
/// elsewhere. Deterministic, so tests can rely on them.
pub fn member_count(branch_code: &str, index: usize) -> usize {
    if branch_code == "SL.BS.TL.NL" {
        12
    } else {
        8 + index % 6
    }
}

/// (username, display name, account type, unit code)
const ACCOUNTS: &[(&str, &str, AccountType, Option<&str>)] = &[
    (
        "demo.branch",
        "Bí thư Chi bộ thôn Nà Lầu",
        AccountType::Staff,
        Some("SL.BS.TL.NL"),
    ),
    (
        "demo.commune",
        "Văn phòng Đảng ủy xã Tân Lập",
        AccountType::Staff,
        Some("SL.BS.TL"),
    ),
    (
        "demo.district",
        "Ban Tổ chức Huyện ủy Biên Sơn",
        AccountType::Staff,
        Some("SL.BS"),
    ),
    (
        "demo.province",
        "Ban Tổ chức Tỉnh ủy Sơn Lâm",
        AccountType::Staff,
        Some("SL"),
    ),
    ("demo.admin", "Quản trị hệ thống", AccountType::Admin, None),
    (
        "demo.banchang",
        "Bí thư Chi bộ thôn Bản Chang",
        AccountType::Staff,
        Some("SL.BS.HB.BC"),
    ),
    (
        "demo.hoabinh",
        "Văn phòng Đảng ủy xã Hòa Bình",
        AccountType::Staff,
        Some("SL.BS.HB"),
    ),
    (
        "demo.banmoi",
        "Bí thư Chi bộ thôn Bản Mới",
        AccountType::Staff,
        Some("SL.PS.BM"),
    ),
    (
        "demo.phucson",
        "Văn phòng Đảng ủy xã Phúc Sơn",
        AccountType::Staff,
        Some("SL.PS"),
    ),
    (
        "demo.thpt",
        "Đảng ủy Trường THPT Phúc Sơn",
        AccountType::Staff,
        Some("SL.PS.THPT"),
    ),
    (
        "demo.thpt.gv",
        "Bí thư Chi bộ giáo viên Trường THPT Phúc Sơn",
        AccountType::Staff,
        Some("SL.PS.THPT.GV"),
    ),
];

fn date(iso: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("bad demo date {iso}: {e}")))
}

/// Load the demo data into an empty database, in one transaction.
pub async fn seed(db: &DatabaseConnection, passwords: &Passwords) -> AppResult<()> {
    seed_tree(db, passwords).await?;
    super::history::seed_published(db, crate::clock::today()).await?;
    super::demo_workflow::seed_candidates(db, crate::clock::today()).await
}

/// The tree, residential areas, member registries and accounts, in one transaction.
pub async fn seed_tree(db: &DatabaseConnection, passwords: &Passwords) -> AppResult<()> {
    if org_unit::Entity::find().count(db).await? > 0 {
        return Err(AppError::rule(
            "DATABASE_NOT_EMPTY",
            tr!(
                "demo data goes only into an empty database",
                "dữ liệu mẫu chỉ được nạp vào cơ sở dữ liệu trống"
            ),
        ));
    }
    let mut hashes = Vec::with_capacity(ACCOUNTS.len());
    for _ in ACCOUNTS {
        hashes.push(passwords.hash(DEMO_PASSWORD).await?);
    }

    let txn = crate::db::begin_write(db).await?;
    let mut ids: HashMap<&str, i32> = HashMap::new();
    let id_of = |ids: &HashMap<&str, i32>, code: &str| {
        ids.get(code)
            .copied()
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("demo unit {code} is not defined before use")))
    };
    for &(code, parent, kind, name, from) in UNITS {
        let parent_id = parent.map(|p| id_of(&ids, p)).transpose()?;
        let cmd = CreateUnit {
            parent_id,
            kind,
            code: code.to_string(),
            name: name.to_string(),
            active_from: date(from)?,
            delegated_admission_authority: false,
        };
        let unit = create_in(&txn, None, cmd).await?;
        ids.insert(code, unit.id);
    }
    for &(commune, code, name) in AREAS {
        residential_area::ActiveModel {
            commune_id: Set(id_of(&ids, commune)?),
            code: Set(code.to_string()),
            name: Set(name.to_string()),
            search_key: Set(text::search_key(name)),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let now = chrono::Utc::now();
    let branches = UNITS.iter().filter(|u| u.2 == OrgKind::Branch).map(|u| u.0);
    let mut serial = 0usize;
    for (index, code) in branches.enumerate() {
        for _ in 0..member_count(code, index) {
            let (i, year) = (serial, 1985 + (serial % 25) as i32);
            serial += 1;
            let name = format!("{} {} {}", FAMILY[i % 12], MIDDLE[(i / 12) % 4], GIVEN[(i * 7) % 16]);
            let gender = if MIDDLE[(i / 12) % 4] == "Thị" {
                Gender::Female
            } else {
                Gender::Male
            };
            let decided = NaiveDate::from_ymd_opt(year, 1 + (i % 12) as u32, 10).unwrap_or(NaiveDate::MIN);
            let joined = decided + chrono::Duration::days(20);
            member::ActiveModel {
                branch_id: Set(id_of(&ids, code)?),
                admitted_in_id: Set(id_of(&ids, code)?),
                search_key: Set(text::search_key(&name)),
                full_name: Set(name),
                gender: Set(Some(gender)),
                birth_date: Set(NaiveDate::from_ymd_opt(
                    year - 25 - (i % 10) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )),
                ethnicity: Set(Some(ETHNIC[i % 4])),
                residential_area_id: Set(None),
                status: Set(MemberStatus::Official),
                decision_date: Set(Some(decided)),
                joined_on: Set(Some(joined)),
                official_on: Set(Some(crate::domain::months::add_months(joined, 12))),
                candidate_id: Set(None),
                version: Set(1),
                age_at_joining: Set(Some(25 + (i % 10) as i32)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    for (&(username, display_name, account_type, unit), hash) in ACCOUNTS.iter().zip(hashes) {
        let cmd = NewUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            password: String::new(),
            account_type,
            org_unit_id: unit.map(|u| id_of(&ids, u)).transpose()?,
            min_cell_size: None,
        };
        insert_user(&txn, None, cmd, display_name.to_string(), hash).await?;
    }
    txn.commit().await?;
    Ok(())
}
