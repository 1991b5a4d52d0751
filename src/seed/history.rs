//! The two published histories of DOMAIN.md, so the reports show their figures:
//!
//! - a provincial city, 2016–2020: 11 awareness courses trained 741 candidates, 9 new-member
//!   courses 521 probationers, 467 admitted (2017: 140 of a target of 90, 2018: 91 of 90,
//!   2019: 73 of 60, 2020: 55 of 60);
//! - a border district by the end of September 2023: 59 admitted of a target of 60 (39 in the
//!   same period of 2022), 37 of them aged 18–30 and 35 of college or university level;
//!   one of its communes admitted 6 in the first half of 2023 against a yearly target of 5,
//!   and 20 since the start of the 2020–2025 term against a term target of 25.
//!
//! Targets are set through the targets service by the demo accounts of the superior units;
//! the admissions are recorded as closed historical paths (candidate, member, courses) in one
//! transaction, as a data migration from paper records would.

use super::actor;
use super::border_district::border_district;
use crate::audit::service::{self as audit, Event};
use crate::domain::dossier::CourseKind;
use crate::domain::ethnicity::Ethnicity;
use crate::domain::months::add_months;
use crate::domain::period::{TargetBasis, TargetKey, age_in_years};
use crate::domain::person::{
    Gender, GeneralEducation, MemberStatus, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation,
};
use crate::domain::stage::Stage;
use crate::domain::text;
use crate::error::{AppError, AppResult};
use crate::targets::service as targets;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use entity::{candidate, course, course_enrolment, member, org_unit};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};

pub(super) fn d(y: i32, m: u32, day: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("bad history date {y}-{m}-{day}")))
}

/// The target `by` assigns to `unit` for `key`, as its superior's resolution set it.
pub(super) async fn assign_target(
    db: &DatabaseConnection,
    by: &crate::access::Actor,
    unit: i32,
    key: TargetKey,
    target: u32,
) -> AppResult<()> {
    targets::set(db, by, unit, key, TargetBasis::Assigned, target, None).await?;
    Ok(())
}

pub(super) async fn unit_id(db: &DatabaseConnection, code: &str) -> AppResult<i32> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("demo unit {code} is missing")))?
        .id)
}

const FAMILY: [&str; 10] = [
    "Nguyễn", "Hoàng", "Nông", "Lò", "Vi", "Bế", "Triệu", "Hà", "Lương", "Đàm",
];

const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dung", "Giang", "Hạnh", "Khoa", "Linh", "Minh", "Nga", "Phương", "Quân",
];

const ETHNIC: [Ethnicity; 6] = [
    Ethnicity::Tay,
    Ethnicity::Nung,
    Ethnicity::Kinh,
    Ethnicity::Dao,
    Ethnicity::Hmong,
    Ethnicity::Tay,
];

/// One person's closed path, as paper records give it.
pub(super) struct Admission {
    pub(super) branch_id: i32,
    pub(super) serial: usize,
    pub(super) age_at_joining: i32,
    pub(super) professional: ProfessionalLevel,
    /// None: trained but never admitted.
    pub(super) ceremony: Option<NaiveDate>,
    /// (awareness course, certificate date).
    pub(super) awareness: Option<(i32, NaiveDate)>,
    /// (new-member course, certificate date).
    pub(super) new_member: Option<(i32, NaiveDate)>,
}

pub(super) async fn record(txn: &DatabaseTransaction, a: &Admission, today: NaiveDate) -> AppResult<()> {
    let i = a.serial;
    let gender = if i % 5 < 2 { Gender::Female } else { Gender::Male };
    let middle = if gender == Gender::Female { "Thị" } else { "Văn" };
    let name = format!("{} {middle} {}", FAMILY[i % 10], GIVEN[(i / 10) % 12]);
    let ethnicity = ETHNIC[i % 6];
    let source = match i % 7 {
        0..=3 => SourceOrganisation::YouthUnion,
        4 => SourceOrganisation::WomensUnion,
        5 => SourceOrganisation::FarmersUnion,
        _ => SourceOrganisation::VeteransAssociation,
    };
    let anchor = a
        .ceremony
        .or(a.awareness.map(|(_, d)| d))
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("an empty history record")))?;
    // Born so that the age on the anchor day is exactly `age_at_joining`.
    let birth = NaiveDate::from_ymd_opt(
        anchor.year() - a.age_at_joining,
        1 + (i % 12) as u32,
        1 + (i % 27) as u32,
    )
    .unwrap_or(anchor);
    let birth = if age_in_years(birth, anchor) == a.age_at_joining {
        birth
    } else {
        birth - Duration::days(366)
    };
    let listed = a
        .awareness
        .map_or(anchor - Duration::days(200), |(_, d)| d - Duration::days(60));
    let (stage, decision, official, exited) = match a.ceremony {
        Some(ceremony) => {
            let official = add_months(ceremony, 12);
            let stage = if official <= today {
                Stage::Official
            } else {
                Stage::Probationary
            };
            (
                stage,
                Some(ceremony - Duration::days(15)),
                (official <= today).then_some(official),
                None,
            )
        }
        None => (Stage::Dropped, None, None, Some(listed + Duration::days(400))),
    };
    let now = Utc::now();
    let c = candidate::ActiveModel {
        branch_id: Set(a.branch_id),
        search_key: Set(text::search_key(&name)),
        full_name: Set(name.clone()),
        gender: Set(gender),
        birth_date: Set(birth),
        ethnicity: Set(ethnicity),
        religion: Set(Religion::None),
        general_education: Set(GeneralEducation::UpperSecondary),
        professional_level: Set(a.professional),
        political_theory_level: Set(PoliticalTheoryLevel::None),
        occupation: Set(None),
        workplace: Set(None),
        residential_area_id: Set(None),
        citizen_id: Set(None),
        source_organisation: Set(source),
        returned_soldier: Set(i.is_multiple_of(9)),
        difficult_area_education_exception: Set(false),
        stage: Set(stage),
        listed_on: Set(listed),
        branch_resolution_on: Set(decision.map(|d| d - Duration::days(40))),
        decision_extended: Set(false),
        decision_signed_on: Set(decision),
        ceremony_on: Set(a.ceremony),
        probation_ends_on: Set(a.ceremony.map(|c| add_months(c, 12))),
        recognition_commune_on: Set(None),
        official_on: Set(official),
        exited_on: Set(exited),
        exit_reason: Set(exited.map(|_| "Không đủ điều kiện kết nạp".to_string())),
        next_due_kind: Set(None),
        next_due_on: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (course_id, date) in [a.awareness, a.new_member].into_iter().flatten() {
        course_enrolment::ActiveModel {
            course_id: Set(course_id),
            candidate_id: Set(c.id),
            branch_id: Set(c.branch_id),
            enrolled_on: Set(date - Duration::days(4)),
            certificate_number: Set(Some(format!("LS-{}-{}", course_id, c.id))),
            certificate_date: Set(Some(date)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    if let Some(ceremony) = a.ceremony {
        member::ActiveModel {
            branch_id: Set(a.branch_id),
            admitted_in_id: Set(a.branch_id),
            full_name: Set(name),
            search_key: Set(c.search_key.clone()),
            gender: Set(Some(gender)),
            birth_date: Set(Some(birth)),
            ethnicity: Set(Some(ethnicity)),
            residential_area_id: Set(None),
            status: Set(if official.is_some() {
                MemberStatus::Official
            } else {
                MemberStatus::Probationary
            }),
            decision_date: Set(decision),
            joined_on: Set(Some(ceremony)),
            official_on: Set(official),
            candidate_id: Set(Some(c.id)),
            version: Set(1),
            age_at_joining: Set(Some(age_in_years(birth, ceremony))),
            religion: Set(Some(Religion::None)),
            general_education: Set(Some(GeneralEducation::UpperSecondary)),
            professional_level: Set(Some(a.professional)),
            source_organisation: Set(Some(source)),
            returned_soldier: Set(Some(i.is_multiple_of(9))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn new_course(
    txn: &DatabaseTransaction,
    organiser: i32,
    kind: CourseKind,
    name: String,
    starts: NaiveDate,
    ends: NaiveDate,
) -> AppResult<i32> {
    Ok(course::ActiveModel {
        kind: Set(kind),
        organiser_unit_id: Set(organiser),
        name: Set(name),
        starts_on: Set(starts),
        ends_on: Set(ends),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

/// `n` days spread evenly over a year from `from` to `to`.
pub(super) fn spread(from: NaiveDate, to: NaiveDate, n: usize, k: usize) -> NaiveDate {
    let span = (to - from).num_days().max(1);
    from + Duration::days(span * k as i64 / n.max(1) as i64)
}

/// A provincial city, 2016–2020.
async fn city(db: &DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    let province = actor(db, "demo.province").await?;
    let city = unit_id(db, "SL.TP").await?;
    for (year, target) in [(2016, 100), (2017, 90), (2018, 90), (2019, 60), (2020, 60)] {
        assign_target(db, &province, city, TargetKey::Year(year), target).await?;
    }
    assign_target(
        db,
        &province,
        city,
        TargetKey::Term {
            start_year: 2015,
            end_year: 2020,
        },
        420,
    )
    .await?;
    let branches = [
        unit_id(db, "SL.TP.MK.TDP1").await?,
        unit_id(db, "SL.TP.MK.TDP2").await?,
        unit_id(db, "SL.TP.QT.KP3").await?,
    ];

    let txn = crate::db::begin_write(db).await?;
    // 11 awareness courses, 741 certificates.
    let awareness_sizes = [70, 70, 70, 68, 68, 66, 66, 66, 66, 66, 65];
    let awareness_starts = [
        d(2016, 1, 11)?,
        d(2016, 5, 9)?,
        d(2016, 9, 12)?,
        d(2017, 3, 6)?,
        d(2017, 9, 11)?,
        d(2018, 3, 5)?,
        d(2018, 9, 10)?,
        d(2019, 3, 4)?,
        d(2019, 9, 9)?,
        d(2020, 3, 2)?,
        d(2020, 8, 3)?,
    ];
    let mut awareness = Vec::new();
    for (k, (start, size)) in awareness_starts.iter().zip(awareness_sizes).enumerate() {
        let course = new_course(
            &txn,
            city,
            CourseKind::Awareness,
            format!("Lớp bồi dưỡng nhận thức về Đảng khóa {}", k + 1),
            *start,
            *start + Duration::days(4),
        )
        .await?;
        for _ in 0..size {
            awareness.push((course, *start + Duration::days(4)));
        }
    }
    // 9 new-member courses; each probationer attends the first one after the ceremony.
    let new_member_starts = [
        d(2016, 3, 14)?,
        d(2016, 10, 10)?,
        d(2017, 5, 8)?,
        d(2017, 11, 6)?,
        d(2018, 6, 4)?,
        d(2019, 1, 7)?,
        d(2019, 8, 5)?,
        d(2020, 4, 6)?,
        d(2020, 12, 14)?,
    ];
    let mut new_member_courses = Vec::new();
    for (k, start) in new_member_starts.iter().enumerate() {
        let course = new_course(
            &txn,
            city,
            CourseKind::NewMember,
            format!("Lớp bồi dưỡng đảng viên mới khóa {}", k + 1),
            *start,
            *start + Duration::days(3),
        )
        .await?;
        new_member_courses.push((course, *start, *start + Duration::days(3)));
    }
    let after = |ceremony: NaiveDate| {
        new_member_courses
            .iter()
            .find(|(_, start, _)| *start > ceremony)
            .map(|(c, _, end)| (*c, *end))
    };

    // Ceremonies: 54 in late 2015, then 108, 140, 91, 73 and 55 (the last before the
    // December 2020 course).
    let mut ceremonies = Vec::new();
    for k in 0..54 {
        ceremonies.push(spread(d(2015, 10, 1)?, d(2015, 12, 28)?, 54, k));
    }
    for (year, count) in [(2016, 108), (2017, 140), (2018, 91), (2019, 73), (2020, 55)] {
        let last = if year == 2020 {
            d(2020, 12, 10)?
        } else {
            d(year, 12, 28)?
        };
        for k in 0..count {
            ceremonies.push(spread(d(year, 1, 5)?, last, count, k));
        }
    }
    // 420 of the 741 trained were admitted by 2020; 47 admitted in 2016 were trained in 2015;
    // the 54 admitted in 2015 too.
    let mut serial = 0;
    let mut trained = awareness.into_iter();
    let mut written = 0;
    for (k, ceremony) in ceremonies.iter().enumerate() {
        let awareness = if k < 54 + 47 { None } else { trained.next() };
        let a = Admission {
            branch_id: branches[k % 3],
            serial,
            age_at_joining: 19 + (k % 23) as i32,
            professional: [
                ProfessionalLevel::None,
                ProfessionalLevel::Intermediate,
                ProfessionalLevel::College,
                ProfessionalLevel::University,
            ][k % 4],
            ceremony: Some(*ceremony),
            awareness,
            new_member: after(*ceremony),
        };
        record(&txn, &a, today).await?;
        serial += 1;
        written += 1;
    }
    // The remaining 321 trained were never admitted.
    for (k, course) in trained.enumerate() {
        let a = Admission {
            branch_id: branches[k % 3],
            serial,
            age_at_joining: 20 + (k % 15) as i32,
            professional: ProfessionalLevel::Intermediate,
            ceremony: None,
            awareness: Some(course),
            new_member: None,
        };
        record(&txn, &a, today).await?;
        serial += 1;
        written += 1;
    }
    audit_import(&txn, city, written).await?;
    txn.commit().await?;
    Ok(written)
}

pub(super) async fn audit_import(txn: &DatabaseTransaction, unit: i32, records: usize) -> AppResult<()> {
    let event = Event {
        act: "importHistory",
        entity_type: "OrgUnit",
        entity_id: unit,
        unit_id: Some(unit),
        before: None,
        after: Some(serde_json::json!({ "records": records, "source": "published report (demo)" })),
    };
    audit::record(txn, None, event).await
}

/// Load both published histories (the demo tree must be in place).
pub async fn seed_published(db: &DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    Ok(city(db, today).await? + border_district(db, today).await?)
}
