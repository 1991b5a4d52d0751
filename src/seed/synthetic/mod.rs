//! `ketnap seed synthetic`: deterministic generated data at province or national scale,
//! for benchmarks and for trying Ketnap at the size it is used at. The same seed number
//! always yields the same rows, on SQLite and on PostgreSQL alike.
//!
//! Rows go in by the thousand (multi-row inserts in one transaction, ids assigned here),
//! never through the API one act at a time; the deadlines are then computed by the same
//! batched statement a rule change uses.
//!
//! A province is shaped like a real one: 10 districts of 25 communes, 2,350 branches (9 or
//! 10 a commune), 2,611 units; 60,000 candidates in every stage with district 5 holding
//! 6,000; 100,000 members who joined over ten years, with their audit events; targets,
//! courses and residential areas. National scale is 34 such provinces whose communes are
//! placed directly under their province on 1 July 2025 (the 2025 reform), the districts
//! closing that day.

mod people;
mod tree;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};

use entity::org_unit;

use crate::accounts::service::{NewUser, insert_user};
use crate::auth::password::Passwords;
use crate::domain::role::AccountType;
use crate::error::{AppError, AppResult, tr};

/// The password of the synthetic data's accounts.
pub const SYNTHETIC_PASSWORD: &str = "ketnap-synthetic-2026";

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub provinces: usize,
    pub districts: usize,
    pub communes_per_district: usize,
    /// Branches of a province, spread over its communes (9 or 10 each at full scale).
    pub branches: usize,
    pub residential_areas_per_commune: usize,
    /// Candidates of a province, in every stage.
    pub candidates: usize,
    /// Of a province's candidates, how many are in its fifth district (the benchmark's).
    pub candidates_in_district_5: usize,
    pub members: usize,
    /// Communes move under their province on 1 July 2025 and the districts close.
    pub reform: bool,
}

impl Shape {
    /// One province: 2,611 units, 60,000 candidates, 100,000 members.
    pub const PROVINCE: Shape = Shape {
        provinces: 1,
        districts: 10,
        communes_per_district: 25,
        branches: 2_350,
        residential_areas_per_commune: 5,
        candidates: 60_000,
        candidates_in_district_5: 6_000,
        members: 100_000,
        reform: false,
    };

    /// 34 provinces of that shape after the 2025 reform: about 89,000 units, 2 million
    /// candidates and 3.4 million members.
    pub const NATIONAL: Shape = Shape {
        provinces: 34,
        reform: true,
        ..Shape::PROVINCE
    };

    /// A few hundred rows of the same shape, for tests.
    pub const TINY: Shape = Shape {
        provinces: 1,
        districts: 5,
        communes_per_district: 2,
        branches: 25,
        residential_areas_per_commune: 2,
        candidates: 400,
        candidates_in_district_5: 100,
        members: 300,
        reform: false,
    };
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Generated {
    pub units: usize,
    pub candidates: usize,
    pub members: usize,
    pub audit_events: usize,
}

/// The reform day of the national shape: communes placed under their province.
pub fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN)
}

/// Generate `shape` from `seed` into an empty, migrated database, as of `today`: the tree,
/// the people, and accounts `synthetic-admin`, `synthetic-province` (the first province)
/// and `synthetic-branch` (the first branch of its fifth district), and, before the reform,
/// `synthetic-district` (that district), password
/// [`SYNTHETIC_PASSWORD`].
pub async fn seed(
    db: &DatabaseConnection,
    passwords: &Passwords,
    shape: Shape,
    seed: u64,
    today: NaiveDate,
) -> AppResult<Generated> {
    if org_unit::Entity::find().count(db).await? > 0 {
        return Err(AppError::rule(
            "DATABASE_NOT_EMPTY",
            tr!(
                "synthetic data goes only into an empty database",
                "dữ liệu tổng hợp chỉ được nạp vào cơ sở dữ liệu trống"
            ),
        ));
    }
    let hash = passwords.hash(SYNTHETIC_PASSWORD).await?;
    let txn = crate::db::begin_write(db).await?;
    let tree = tree::build(shape, today);
    tree::insert(&txn, &tree).await?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let candidates = people::insert_candidates(&txn, &tree, shape, &mut rng, today).await?;
    let members = people::insert_members(&txn, &tree, shape, &mut rng, today).await?;
    let accounts = [
        (
            "synthetic-admin",
            "Quản trị (dữ liệu tổng hợp)",
            AccountType::Admin,
            None,
        ),
        (
            "synthetic-province",
            "Tỉnh 1 (dữ liệu tổng hợp)",
            AccountType::Staff,
            Some(tree.province(0)),
        ),
        (
            "synthetic-district",
            "Huyện 5 (dữ liệu tổng hợp)",
            AccountType::Staff,
            Some(tree.district(0, 4)),
        ),
        (
            "synthetic-branch",
            "Chi bộ 1, huyện 5 (dữ liệu tổng hợp)",
            AccountType::Staff,
            tree.branches[0].get(4).and_then(|d| d.first()).copied(),
        ),
    ];
    let mut admin = 0;
    // After the reform the districts are closed: no account acts for one.
    let accounts = accounts
        .into_iter()
        .filter(|a| !(shape.reform && a.0 == "synthetic-district"));
    for (username, display_name, account_type, unit) in accounts {
        let cmd = NewUser {
            username: username.to_string(),
            display_name: display_name.to_string(),
            password: String::new(),
            account_type,
            org_unit_id: unit,
            min_cell_size: None,
        };
        let user = insert_user(&txn, None, cmd, display_name.to_string(), hash.clone()).await?;
        if account_type == AccountType::Admin {
            admin = user.id;
        }
    }
    tree::insert_targets(&txn, &tree, admin).await?;
    crate::rules::clocks::recompute_deadlines(&txn).await?;
    txn.commit().await?;
    // Fresh statistics, so the planner sees the data's real shape from the first query; on
    // PostgreSQL a vacuum too, so counts can be index-only (a bulk load leaves the
    // visibility map empty: the province's district count takes 29 ms before, 2 ms after).
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        tree::advance_sequences(db).await?;
        db.execute_unprepared("VACUUM ANALYZE").await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(Generated {
        units: tree.units.len(),
        candidates,
        members,
        audit_events: candidates + members,
    })
}
