//! The published history of a border district: its targets, admissions and residential
//! coverage over the 2020–2025 term, imported as a district would import them.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entity::residential_area;

use super::actor;
use super::history::{Admission, assign_target, audit_import, d, record, spread, unit_id};
use crate::domain::period::TargetKey;
use crate::domain::person::ProfessionalLevel;
use crate::error::AppResult;
use crate::org::areas::AreaStatus;

/// A border district, 2020 to September 2023, with its commune Tân Lập.
pub(super) async fn border_district(db: &DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    let (province, district) = (actor(db, "demo.province").await?, actor(db, "demo.district").await?);
    let bien_son = unit_id(db, "SL.BS").await?;
    let term = TargetKey::Term {
        start_year: 2020,
        end_year: 2025,
    };
    for (key, target) in [(TargetKey::Year(2023), 60), (TargetKey::Year(2022), 50), (term, 250)] {
        assign_target(db, &province, bien_son, key, target).await?;
    }
    let (tan_lap, hoa_binh, dong_tam, bhxh) = (
        unit_id(db, "SL.BS.TL").await?,
        unit_id(db, "SL.BS.HB").await?,
        unit_id(db, "SL.BS.DT").await?,
        unit_id(db, "SL.BS.BHXH").await?,
    );
    for (unit, target) in [(tan_lap, 5), (hoa_binh, 25), (dong_tam, 22), (bhxh, 3)] {
        assign_target(db, &district, unit, TargetKey::Year(2023), target).await?;
    }
    assign_target(
        db,
        &district,
        tan_lap,
        TargetKey::Term {
            start_year: 2020,
            end_year: 2025,
        },
        25,
    )
    .await?;

    let branches_of = |codes: &'static [&'static str]| async move {
        let mut ids = Vec::new();
        for code in codes {
            ids.push(unit_id(db, code).await?);
        }
        AppResult::Ok(ids)
    };
    let tl = branches_of(&["SL.BS.TL.NL", "SL.BS.TL.KM", "SL.BS.TL.THCS"]).await?;
    let hb = branches_of(&["SL.BS.HB.BC", "SL.BS.HB.NP"]).await?;
    let dt = branches_of(&["SL.BS.DT.CQ.UB", "SL.BS.DT.CQ.CA", "SL.BS.DT.DT1"]).await?;
    let bh = branches_of(&["SL.BS.BHXH"]).await?;
    // (branches, first day, last day, admissions)
    let batches: Vec<(&Vec<i32>, NaiveDate, NaiveDate, usize)> = vec![
        (&tl, d(2020, 2, 1)?, d(2020, 12, 20)?, 5),
        (&hb, d(2020, 2, 1)?, d(2020, 12, 20)?, 15),
        (&dt, d(2020, 2, 1)?, d(2020, 12, 20)?, 14),
        (&bh, d(2020, 2, 1)?, d(2020, 12, 20)?, 2),
        (&tl, d(2021, 2, 1)?, d(2021, 12, 20)?, 4),
        (&hb, d(2021, 2, 1)?, d(2021, 12, 20)?, 16),
        (&dt, d(2021, 2, 1)?, d(2021, 12, 20)?, 15),
        (&bh, d(2021, 2, 1)?, d(2021, 12, 20)?, 3),
        // 2022 to the end of September: 39.
        (&tl, d(2022, 1, 10)?, d(2022, 9, 26)?, 4),
        (&hb, d(2022, 1, 10)?, d(2022, 9, 26)?, 17),
        (&dt, d(2022, 1, 10)?, d(2022, 9, 26)?, 16),
        (&bh, d(2022, 1, 10)?, d(2022, 9, 26)?, 2),
        (&tl, d(2022, 10, 10)?, d(2022, 12, 20)?, 1),
        (&hb, d(2022, 10, 10)?, d(2022, 12, 20)?, 3),
        (&dt, d(2022, 10, 10)?, d(2022, 12, 20)?, 2),
        (&bh, d(2022, 10, 10)?, d(2022, 12, 20)?, 1),
    ];
    let txn = crate::db::begin_write(db).await?;
    const FIRST_SERIAL: usize = 5_000;
    let mut serial = FIRST_SERIAL;
    for (branches, from, to, count) in batches {
        for k in 0..count {
            let a = Admission {
                branch_id: branches[k % branches.len()],
                serial,
                age_at_joining: 20 + (serial % 25) as i32,
                professional: [
                    ProfessionalLevel::Intermediate,
                    ProfessionalLevel::College,
                    ProfessionalLevel::University,
                ][serial % 3],
                ceremony: Some(spread(from, to, count, k)),
                awareness: None,
                new_member: None,
            };
            record(&txn, &a, today).await?;
            serial += 1;
        }
    }
    // 2023 to the end of September: 59, of whom 37 aged 18-30 and 35 of college or university
    // level; Tân Lập's 6 all in the first half.
    let units_2023: Vec<(&Vec<i32>, NaiveDate, NaiveDate, usize)> = vec![
        (&tl, d(2023, 1, 9)?, d(2023, 6, 26)?, 6),
        (&hb, d(2023, 1, 9)?, d(2023, 9, 25)?, 26),
        (&dt, d(2023, 1, 9)?, d(2023, 9, 25)?, 24),
        (&bh, d(2023, 1, 9)?, d(2023, 9, 25)?, 3),
    ];
    let mut k2023 = 0usize;
    for (branches, from, to, count) in units_2023 {
        for k in 0..count {
            let young = k2023 < 37;
            let professional = match k2023 {
                0..=19 => ProfessionalLevel::University,
                20..=34 => ProfessionalLevel::College,
                35..=48 => ProfessionalLevel::Intermediate,
                _ => ProfessionalLevel::None,
            };
            // Interleave so the young and the qualified are spread across units.
            let a = Admission {
                branch_id: branches[k % branches.len()],
                serial,
                age_at_joining: if young {
                    19 + (k2023 % 12) as i32
                } else {
                    31 + (k2023 % 14) as i32
                },
                professional,
                ceremony: Some(spread(from, to, count, k)),
                awareness: None,
                new_member: None,
            };
            record(&txn, &a, today).await?;
            serial += 1;
            k2023 += 1;
        }
    }
    let written = serial - FIRST_SERIAL;
    audit_import(&txn, bien_son, written).await?;
    txn.commit().await?;

    // Residential areas of the district's communes, 2022 and 2023.
    let areas = residential_area::Entity::find()
        .filter(residential_area::Column::CommuneId.is_in([tan_lap, hoa_binh, dong_tam]))
        .all(db)
        .await?;
    let status = |code: &str, year: i32| -> (u32, bool, bool) {
        match (code, year) {
            ("NL", _) => (12, true, true),
            ("KM", 2022) => (8, true, false),
            ("KM", _) => (9, true, true),
            ("BG", 2022) => (0, false, false),
            ("BG", _) => (1, false, false),
            ("BC", _) => (9, true, true),
            ("NP", _) => (7, true, false),
            ("PL", 2022) => (1, false, false),
            ("PL", _) => (3, false, true),
            ("DT1", _) => (10, true, true),
            ("DT2", 2022) => (0, false, false),
            _ => (2, false, true),
        }
    };
    for area in &areas {
        for year in [2022, 2023] {
            let (members_living, has_own_branch, head_is_member) = status(&area.code, year);
            crate::org::areas::record_area_status(
                db,
                &district,
                area.id,
                AreaStatus {
                    year,
                    members_living,
                    has_own_branch,
                    head_is_member,
                },
            )
            .await?;
        }
    }
    Ok(written)
}
