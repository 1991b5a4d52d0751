//! The synthetic tree: units with ids assigned here, their closure rows (moved under the
//! province on the reform day at national scale), and the residential areas.

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set, Statement};

use entity::{admission_target, course, org_unit, org_unit_closure, residential_area};

use super::{Shape, reform_day};
use crate::domain::dossier::CourseKind;
use crate::domain::org::OrgKind;
use crate::domain::period::{PeriodKind, TargetBasis};
use crate::domain::text;
use crate::error::AppResult;

/// Rows a multi-row insert carries: well inside both engines' limit on bound parameters.
pub(super) const BATCH: usize = 500;

/// One generated unit.
pub(super) struct Unit {
    pub id: i32,
    pub kind: OrgKind,
    pub parent: Option<i32>,
    pub code: String,
    pub name: String,
    /// The province the unit belongs to (its index).
    pub province: usize,
    /// The district (index within the province) the unit was created under, if any.
    pub district: Option<usize>,
    /// The ids of the unit's province and of the district it was created under.
    pub province_id: i32,
    pub district_id: Option<i32>,
}

/// The generated tree, and where each level's units are.
pub(super) struct Tree {
    pub units: Vec<Unit>,
    /// Branch ids by province, then district.
    pub branches: Vec<Vec<Vec<i32>>>,
    /// Residential areas: id, commune id, code, name.
    pub areas: Vec<(i32, i32, String, String)>,
    /// The first of each commune's areas, by commune id (its areas follow in order).
    pub first_area: std::collections::HashMap<i32, i32>,
    /// The commune of each branch.
    pub commune_of: std::collections::HashMap<i32, i32>,
    pub founded: NaiveDate,
    pub today: NaiveDate,
    pub shape: Shape,
}

impl Tree {
    pub fn province(&self, p: usize) -> i32 {
        self.units
            .iter()
            .find(|u| u.kind == OrgKind::Province && u.province == p)
            .map_or(0, |u| u.id)
    }

    pub fn district(&self, p: usize, d: usize) -> i32 {
        self.units
            .iter()
            .find(|u| u.kind == OrgKind::District && u.province == p && u.district == Some(d))
            .map_or(0, |u| u.id)
    }
}

/// Lay out `shape`'s units, depth first, ids from 1.
pub(super) fn build(shape: Shape, today: NaiveDate) -> Tree {
    let founded = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut units = Vec::new();
    let mut branches = Vec::new();
    let mut commune_of = std::collections::HashMap::new();
    let communes = shape.districts * shape.communes_per_district;
    for p in 0..shape.provinces {
        let province = (units.len() + 1) as i32;
        units.push(Unit {
            id: province,
            kind: OrgKind::Province,
            parent: None,
            code: format!("T{:02}", p + 1),
            name: format!("Đảng bộ tỉnh Tổng hợp {}", p + 1),
            province: p,
            district: None,
            province_id: province,
            district_id: None,
        });
        let mut by_district = Vec::new();
        let mut commune_index = 0;
        for d in 0..shape.districts {
            let district = (units.len() + 1) as i32;
            units.push(Unit {
                id: district,
                kind: OrgKind::District,
                parent: Some(province),
                code: format!("T{:02}H{:02}", p + 1, d + 1),
                name: format!("Huyện ủy Tổng hợp {}.{}", p + 1, d + 1),
                province: p,
                district: Some(d),
                province_id: province,
                district_id: None,
            });
            let mut in_district = Vec::new();
            for c in 0..shape.communes_per_district {
                let commune = (units.len() + 1) as i32;
                units.push(Unit {
                    id: commune,
                    kind: OrgKind::Commune,
                    parent: Some(if shape.reform { province } else { district }),
                    code: format!("T{:02}H{:02}X{:02}", p + 1, d + 1, c + 1),
                    name: format!("Đảng bộ xã Tổng hợp {}.{}.{}", p + 1, d + 1, c + 1),
                    province: p,
                    district: Some(d),
                    province_id: province,
                    district_id: Some(district),
                });
                // The province's branches spread evenly: the first communes take one more.
                let count = shape.branches / communes + usize::from(commune_index < shape.branches % communes);
                commune_index += 1;
                for b in 0..count {
                    let branch = (units.len() + 1) as i32;
                    units.push(Unit {
                        id: branch,
                        kind: OrgKind::Branch,
                        parent: Some(commune),
                        code: format!("T{:02}H{:02}X{:02}C{:02}", p + 1, d + 1, c + 1, b + 1),
                        name: format!("Chi bộ thôn Tổng hợp {}.{}.{}.{}", p + 1, d + 1, c + 1, b + 1),
                        province: p,
                        district: Some(d),
                        province_id: province,
                        district_id: Some(district),
                    });
                    in_district.push(branch);
                    commune_of.insert(branch, commune);
                }
            }
            by_district.push(in_district);
        }
        branches.push(by_district);
    }
    let mut areas = Vec::new();
    for commune in units.iter().filter(|u| u.kind == OrgKind::Commune) {
        for a in 0..shape.residential_areas_per_commune {
            let id = areas.len() as i32 + 1;
            areas.push((
                id,
                commune.id,
                format!("{}T{:02}", commune.code, a + 1),
                format!("Thôn {} ({})", a + 1, commune.name),
            ));
        }
    }
    let first_area = areas.iter().rev().map(|a| (a.1, a.0)).collect();
    Tree {
        units,
        branches,
        areas,
        first_area,
        commune_of,
        founded,
        today,
        shape,
    }
}

/// The closure rows of the tree: each unit under each of its ancestors, with the dates the
/// link held (ancestor, descendant, depth, from, to).
fn closure_rows(tree: &Tree) -> Vec<(i32, i32, i32, NaiveDate, Option<NaiveDate>)> {
    let by_id: std::collections::HashMap<i32, &Unit> = tree.units.iter().map(|u| (u.id, u)).collect();
    let reform = reform_day();
    let mut rows = Vec::new();
    for unit in &tree.units {
        rows.push((unit.id, unit.id, 0, tree.founded, None));
        // The chain as first created: through the district.
        let mut chain = Vec::new();
        let mut at = unit;
        while let Some(parent) = at.parent {
            let parent = by_id[&parent];
            chain.push(parent);
            at = parent;
        }
        let through_district = tree.shape.reform && matches!(unit.kind, OrgKind::Commune | OrgKind::Branch);
        if !through_district {
            for (depth, ancestor) in chain.iter().enumerate() {
                rows.push((ancestor.id, unit.id, depth as i32 + 1, tree.founded, None));
            }
            continue;
        }
        // Until the reform the commune sat under its district; from it, under the province.
        let (district, province) = (unit.district_id.unwrap_or(0), unit.province_id);
        let below_commune = usize::from(unit.kind == OrgKind::Branch);
        if below_commune == 1 {
            rows.push((chain[0].id, unit.id, 1, tree.founded, None));
        }
        let d = below_commune as i32;
        rows.push((district, unit.id, d + 1, tree.founded, Some(reform)));
        rows.push((province, unit.id, d + 2, tree.founded, Some(reform)));
        rows.push((province, unit.id, d + 1, reform, None));
    }
    rows
}

/// Write the tree: units, closure, residential areas, and a yearly awareness course per
/// district for the last five years.
pub(super) async fn insert(txn: &DatabaseTransaction, tree: &Tree) -> AppResult<()> {
    let now = Utc::now();
    let reform = reform_day();
    let units = tree.units.iter().map(|u| org_unit::ActiveModel {
        id: Set(u.id),
        kind: Set(u.kind),
        code: Set(u.code.clone()),
        search_key: Set(text::search_key(&u.name)),
        name: Set(u.name.clone()),
        parent_id: Set(u.parent),
        active_from: Set(tree.founded),
        closed_on: Set((tree.shape.reform && u.kind == OrgKind::District).then_some(reform)),
        created_at: Set(now),
        updated_at: Set(now),
    });
    insert_batched(txn, units).await?;
    let closure =
        closure_rows(tree).into_iter().map(
            |(ancestor, descendant, depth, from, to)| org_unit_closure::ActiveModel {
                ancestor_id: Set(ancestor),
                descendant_id: Set(descendant),
                depth: Set(depth),
                valid_from: Set(from),
                valid_to: Set(to),
                ..Default::default()
            },
        );
    insert_batched(txn, closure).await?;
    let areas = tree
        .areas
        .iter()
        .map(|(id, commune, code, name)| residential_area::ActiveModel {
            id: Set(*id),
            commune_id: Set(*commune),
            code: Set(code.clone()),
            search_key: Set(text::search_key(name)),
            name: Set(name.clone()),
            created_at: Set(now),
        });
    insert_batched(txn, areas).await?;
    let year = tree.today.year();
    let courses = tree.units.iter().filter(|u| u.kind == OrgKind::District).flat_map(|u| {
        (year - 4..=year).map(move |y| course::ActiveModel {
            kind: Set(CourseKind::Awareness),
            organiser_unit_id: Set(u.id),
            name: Set(format!("Lớp bồi dưỡng nhận thức về Đảng {y}, {}", u.name)),
            starts_on: Set(NaiveDate::from_ymd_opt(y, 3, 1).unwrap_or(NaiveDate::MIN)),
            ends_on: Set(NaiveDate::from_ymd_opt(y, 3, 5).unwrap_or(NaiveDate::MIN)),
            created_at: Set(now),
            ..Default::default()
        })
    });
    insert_batched(txn, courses).await?;
    Ok(())
}

/// A target for each district and commune this year, set by `by_user`.
pub(super) async fn insert_targets(txn: &DatabaseTransaction, tree: &Tree, by_user: i32) -> AppResult<()> {
    let now = Utc::now();
    let year = tree.today.year();
    let targets = tree
        .units
        .iter()
        .filter(|u| matches!(u.kind, OrgKind::District | OrgKind::Commune))
        .map(|u| admission_target::ActiveModel {
            unit_id: Set(u.id),
            period_kind: Set(PeriodKind::Year),
            start_year: Set(year),
            end_year: Set(year),
            target: Set(if u.kind == OrgKind::District { 250 } else { 10 }),
            set_by_user_id: Set(by_user),
            note: Set(None),
            basis: Set(TargetBasis::Assigned),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    insert_batched(txn, targets).await?;
    Ok(())
}

/// Insert `rows`, `BATCH` to a statement.
pub(super) async fn insert_batched<A>(txn: &DatabaseTransaction, rows: impl IntoIterator<Item = A>) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
        A::Entity::insert_many(batch).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// PostgreSQL's id sequences do not see ids given explicitly: move each past the largest.
pub(super) async fn advance_sequences(db: &DatabaseConnection) -> AppResult<()> {
    for table in ["org_unit", "candidate", "member", "residential_area"] {
        db.execute_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ),
        ))
        .await?;
    }
    Ok(())
}
