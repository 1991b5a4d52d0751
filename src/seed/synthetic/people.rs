//! The synthetic people: candidates spread over every stage with dates that follow the
//! path in order, and members who joined over ten years, each with an audit event.

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{DatabaseTransaction, Set};
use serde_json::json;

use entity::{audit_event, candidate, member};

use super::Shape;
use super::tree::{BATCH, Tree, insert_batched};
use crate::audit::service::CANDIDATE;
use crate::domain::ethnicity::Ethnicity;
use crate::domain::months::add_months;
use crate::domain::person::{
    Gender, GeneralEducation, MemberStatus, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation,
};
use crate::domain::stage::Stage;
use crate::domain::text;
use crate::error::AppResult;

const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lò", "Triệu",
];
const MIDDLE: [&str; 4] = ["Văn", "Thị", "Đức", "Minh"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hòa", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Quang",
    "Thảo",
];

/// Of every 100 candidates, how many stand at each stage (every stage of a tree without
/// sections), and the days the path to it takes at the least.
const STAGES: [(Stage, u32, i64); 14] = [
    (Stage::SourceList, 40, 0),
    (Stage::BranchApproved, 6, 400),
    (Stage::CommuneResolved, 4, 400),
    (Stage::AdmissionDecided, 3, 450),
    (Stage::Probationary, 22, 475),
    (Stage::RecognitionBranchApproved, 3, 880),
    (Stage::RecognitionCommuneResolved, 2, 880),
    (Stage::Official, 12, 880),
    (Stage::StrikeOffProposed, 1, 880),
    (Stage::StrikeOffCommuneResolved, 1, 880),
    (Stage::RecognitionReferred, 1, 880),
    (Stage::Dropped, 2, 30),
    (Stage::Rejected, 2, 400),
    (Stage::Withdrawn, 1, 30),
];

fn pick_stage(rng: &mut fastrand::Rng) -> (Stage, i64) {
    let mut roll = rng.u32(0..100);
    for (stage, share, span) in STAGES {
        if roll < share {
            return (stage, span);
        }
        roll -= share;
    }
    (Stage::SourceList, 0)
}

fn name(rng: &mut fastrand::Rng) -> (String, Gender) {
    let middle = MIDDLE[rng.usize(..MIDDLE.len())];
    let full = format!(
        "{} {} {}",
        FAMILY[rng.usize(..FAMILY.len())],
        middle,
        GIVEN[rng.usize(..GIVEN.len())]
    );
    (
        full,
        if middle == "Thị" {
            Gender::Female
        } else {
            Gender::Male
        },
    )
}

fn one_of<T: Copy>(rng: &mut fastrand::Rng, all: &[T]) -> T {
    all[rng.usize(..all.len())]
}

/// Mostly Kinh, as in most provinces; one in five of another people.
fn ethnicity(rng: &mut fastrand::Rng) -> Ethnicity {
    if rng.u32(0..5) == 0 {
        one_of(rng, Ethnicity::ALL)
    } else {
        Ethnicity::Kinh
    }
}

fn days(rng: &mut fastrand::Rng, range: std::ops::RangeInclusive<i64>) -> Duration {
    Duration::days(rng.i64(range))
}

/// The branch of candidate `i` of province `p`: district 5 holds its share, the others the
/// rest evenly.
fn branch_of(tree: &Tree, shape: Shape, p: usize, i: usize, rng: &mut fastrand::Rng) -> i32 {
    let districts = &tree.branches[p];
    let district = if i < shape.candidates_in_district_5 || districts.len() == 1 {
        4.min(districts.len() - 1)
    } else {
        let others = districts.len() - 1;
        let d = (i - shape.candidates_in_district_5) % others;
        if d >= 4 { d + 1 } else { d }
    };
    one_of(rng, &districts[district])
}

fn event(act: &str, entity_type: &str, entity_id: i32, unit_id: i32, on: NaiveDate) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        occurred_at: Set(on.and_time(NaiveTime::MIN).and_utc() + Duration::hours(9)),
        actor_user_id: Set(None),
        actor_role: Set("SYSTEM".into()),
        request_id: Set(None),
        act: Set(act.into()),
        entity_type: Set(entity_type.into()),
        entity_id: Set(entity_id),
        unit_id: Set(Some(unit_id)),
        before: Set(None),
        after: Set(Some(json!({ "synthetic": true }))),
        ..Default::default()
    }
}

/// One candidate at a random stage, every date of its path in order and none after `today`.
fn candidate_row(
    id: i32,
    branch: i32,
    area: Option<i32>,
    rng: &mut fastrand::Rng,
    today: NaiveDate,
) -> candidate::ActiveModel {
    let (stage, span) = pick_stage(rng);
    // Probationers are mostly within their year; the others anywhere in the last years.
    let extra = if stage == Stage::Probationary { 0..=300 } else { 0..=900 };
    let listed = today - Duration::days(span) - days(rng, extra);
    let reached = |from: Stage| stage_order(stage) >= stage_order(from);
    let branch_resolution = reached(Stage::BranchApproved).then(|| listed + days(rng, 250..=400));
    let signed = branch_resolution
        .filter(|_| reached(Stage::AdmissionDecided))
        .map(|d| d + days(rng, 20..=45));
    let received = signed.map(|d| d + days(rng, 1..=5));
    let ceremony = received
        .filter(|_| reached(Stage::Probationary))
        .map(|d| d + days(rng, 5..=25));
    let probation_ends = ceremony.map(|d| add_months(d, 12));
    let recognition_branch = probation_ends
        .filter(|_| reached(Stage::RecognitionBranchApproved))
        .map(|d| d + days(rng, 3..=20));
    let recognition_commune = recognition_branch
        .filter(|_| reached(Stage::RecognitionCommuneResolved))
        .map(|d| d + days(rng, 3..=15));
    let exited = matches!(stage, Stage::Dropped | Stage::Withdrawn | Stage::Rejected)
        .then(|| branch_resolution.unwrap_or(listed) + days(rng, 10..=25));
    let (full_name, gender) = name(rng);
    let now = Utc::now();
    candidate::ActiveModel {
        id: Set(id),
        branch_id: Set(branch),
        search_key: Set(text::search_key(&full_name)),
        full_name: Set(full_name),
        gender: Set(gender),
        birth_date: Set(listed - Duration::days(365 * rng.i64(18..=40)) - days(rng, 0..=364)),
        ethnicity: Set(ethnicity(rng)),
        religion: Set(if rng.u32(0..10) == 0 {
            one_of(rng, Religion::ALL)
        } else {
            Religion::None
        }),
        general_education: Set(if rng.u32(0..10) == 0 {
            GeneralEducation::LowerSecondary
        } else {
            GeneralEducation::UpperSecondary
        }),
        professional_level: Set(one_of(rng, ProfessionalLevel::ALL)),
        political_theory_level: Set(PoliticalTheoryLevel::None),
        occupation: Set(None),
        workplace: Set(None),
        residential_area_id: Set(area),
        citizen_id: Set(None),
        source_organisation: Set(one_of(rng, SourceOrganisation::ALL)),
        returned_soldier: Set(rng.u32(0..20) == 0),
        difficult_area_education_exception: Set(false),
        stage: Set(stage),
        listed_on: Set(listed),
        branch_resolution_on: Set(branch_resolution),
        decision_extended: Set(false),
        decision_signed_on: Set(signed),
        decision_received_on: Set(received),
        ceremony_on: Set(ceremony),
        probation_ends_on: Set(probation_ends),
        recognition_commune_on: Set(recognition_commune),
        recognition_branch_on: Set(recognition_branch),
        recognition_decision_extended: Set(false),
        official_on: Set((stage == Stage::Official).then_some(probation_ends).flatten()),
        exited_on: Set(exited),
        exit_reason: Set(exited.map(|_| "Dữ liệu tổng hợp".to_string())),
        next_due_kind: Set(None),
        next_due_on: Set(None),
        readmission_of_member_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Where a stage lies on the path, for "has the path reached it": the exits and the
/// strike-off branch count from the step they leave at.
fn stage_order(stage: Stage) -> u8 {
    match stage {
        Stage::SourceList | Stage::Dropped | Stage::Withdrawn => 0,
        Stage::BranchApproved | Stage::SectionAppraised | Stage::Rejected => 1,
        Stage::CommuneResolved => 2,
        Stage::AdmissionDecided => 3,
        Stage::Probationary => 4,
        Stage::RecognitionBranchApproved
        | Stage::StrikeOffProposed
        | Stage::RecognitionReferred
        | Stage::StrikeOffCommuneResolved => 5,
        Stage::RecognitionCommuneResolved => 6,
        Stage::Official | Stage::StruckOff => 7,
    }
}

/// Every province's candidates, with an `addToSourceList` event each; how many.
pub(super) async fn insert_candidates(
    txn: &DatabaseTransaction,
    tree: &Tree,
    shape: Shape,
    rng: &mut fastrand::Rng,
    today: NaiveDate,
) -> AppResult<usize> {
    let mut id = 0;
    for p in 0..shape.provinces {
        insert_with_events(txn, shape.candidates, |i| {
            id += 1;
            let branch = branch_of(tree, shape, p, i, rng);
            let row = candidate_row(id, branch, area_of(tree, branch, rng), rng, today);
            let listed = *row.listed_on.as_ref();
            (row, event("addToSourceList", CANDIDATE, id, branch, listed))
        })
        .await?;
    }
    Ok(id as usize)
}

/// `count` rows made by `make` from their index, each with its audit event, `BATCH` rows
/// to a statement.
async fn insert_with_events<A>(
    txn: &DatabaseTransaction,
    count: usize,
    mut make: impl FnMut(usize) -> (A, audit_event::ActiveModel),
) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut done = 0;
    while done < count {
        let n = (count - done).min(BATCH);
        let (rows, events): (Vec<A>, Vec<_>) = (done..done + n).map(&mut make).unzip();
        insert_batched(txn, rows).await?;
        insert_batched(txn, events).await?;
        done += n;
    }
    Ok(())
}

/// A residential area of the branch's commune, or none for one in ten.
fn area_of(tree: &Tree, branch: i32, rng: &mut fastrand::Rng) -> Option<i32> {
    let first = tree.first_area.get(tree.commune_of.get(&branch)?)?;
    let per = tree.shape.residential_areas_per_commune as i32;
    (rng.u32(0..10) != 0).then(|| first + rng.i32(0..per))
}

/// Every province's members, joined over the last ten years (probationers in the last one),
/// with an `importMembers` event each; how many.
pub(super) async fn insert_members(
    txn: &DatabaseTransaction,
    tree: &Tree,
    shape: Shape,
    rng: &mut fastrand::Rng,
    today: NaiveDate,
) -> AppResult<usize> {
    let mut id = 0;
    let now = Utc::now();
    for p in 0..shape.provinces {
        let branches: Vec<i32> = tree.branches[p].iter().flatten().copied().collect();
        insert_with_events(txn, shape.members, |_| {
            id += 1;
            let branch = one_of(rng, &branches);
            let decided = today - days(rng, 30..=3650);
            let joined = decided + days(rng, 10..=30);
            let official = add_months(joined, 12);
            let age = rng.i32(18..=45);
            let (full_name, gender) = name(rng);
            let row = member::ActiveModel {
                id: Set(id),
                branch_id: Set(branch),
                admitted_in_id: Set(branch),
                search_key: Set(text::search_key(&full_name)),
                full_name: Set(full_name),
                gender: Set(Some(gender)),
                birth_date: Set(Some(joined - Duration::days(365 * i64::from(age)) - days(rng, 0..=364))),
                ethnicity: Set(Some(ethnicity(rng))),
                residential_area_id: Set(area_of(tree, branch, rng)),
                status: Set(if official <= today {
                    MemberStatus::Official
                } else {
                    MemberStatus::Probationary
                }),
                decision_date: Set(Some(decided)),
                joined_on: Set(Some(joined)),
                official_on: Set((official <= today).then_some(official)),
                candidate_id: Set(None),
                version: Set(1),
                age_at_joining: Set(Some(age)),
                religion: Set(Some(Religion::None)),
                general_education: Set(Some(GeneralEducation::UpperSecondary)),
                professional_level: Set(Some(one_of(rng, ProfessionalLevel::ALL))),
                source_organisation: Set(Some(one_of(rng, SourceOrganisation::ALL))),
                returned_soldier: Set(Some(false)),
                citizen_id: Set(None),
                left_on: Set(None),
                left_reason: Set(None),
                record_expunged_on: Set(None),
                party_age_from: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            };
            (row, event("importMembers", "Member", id, branch, joined))
        })
        .await?;
    }
    Ok(id as usize)
}
