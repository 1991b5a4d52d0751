//! The scope predicates used in SQL, against a naive model of the tree, over random trees
//! and random sequences of moves, closures and transfers (property-based): "unit X is in
//! Y's subtree on day D" is what the closure table answers through `subtree_ids_on`, and
//! what the scope of every read (`Scoped::visible`) answers for today, for units and for
//! the candidates transferred between them.

use ketnap_domain::{ethnicity::Ethnicity, org::OrgKind, person, stage::Stage};
use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use entity::{candidate, org_unit};
use ketnap::access::{Scope, Scoped, subtree_ids_on};
use ketnap::org::tree;

#[derive(Debug, Clone)]
enum Op {
    /// Move unit `unit` under `parent`, `after` days after the previous act.
    Move { unit: usize, parent: usize, after: i64 },
    /// Close a unit: it stays where it is in the tree.
    Close { unit: usize, after: i64 },
    /// Transfer candidate `candidate` to unit `to`.
    Transfer { candidate: usize, to: usize },
}

#[derive(Debug, Clone)]
struct Case {
    /// `parents[i]` is the parent of unit i (a unit before it), or a root.
    parents: Vec<Option<usize>>,
    /// The unit each candidate is listed in at first.
    candidates: Vec<usize>,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..10).prop_flat_map(|n| {
        let parents = (0..n)
            .map(|i| {
                if i == 0 {
                    Just(None).boxed()
                } else {
                    prop_oneof![1 => Just(None), 6 => (0..i).prop_map(Some)].boxed()
                }
            })
            .collect::<Vec<_>>();
        let candidates = proptest::collection::vec(0..n, 0..5);
        let op = prop_oneof![
            4 => (0..n, 0..n, 0i64..40).prop_map(|(unit, parent, after)| Op::Move { unit, parent, after }),
            1 => (0..n, 0i64..40).prop_map(|(unit, after)| Op::Close { unit, after }),
            2 => (0usize..5, 0..n).prop_map(|(candidate, to)| Op::Transfer { candidate, to }),
        ];
        (parents, candidates, proptest::collection::vec(op, 0..12)).prop_map(|(parents, candidates, ops)| Case {
            parents,
            candidates,
            ops,
        })
    })
}

/// The naive model: each unit's parent from each day on.
struct Model {
    /// (day, unit, new parent), in the order applied.
    moves: Vec<(NaiveDate, usize, Option<usize>)>,
}

impl Model {
    fn parent_on(&self, unit: usize, day: NaiveDate) -> Option<usize> {
        self.moves
            .iter()
            .rfind(|(d, u, _)| *u == unit && *d <= day)
            .and_then(|(_, _, p)| *p)
    }

    fn within_on(&self, unit: usize, root: usize, day: NaiveDate) -> bool {
        let mut at = Some(unit);
        for _ in 0..64 {
            match at {
                Some(u) if u == root => return true,
                Some(u) => at = self.parent_on(u, day),
                None => return false,
            }
        }
        panic!("a cycle in the model");
    }
}

async fn insert_unit(db: &DatabaseConnection, code: String, parent: Option<i32>, day: NaiveDate) -> i32 {
    let now = Utc::now();
    let unit = org_unit::ActiveModel {
        kind: Set(OrgKind::Branch),
        name: Set(code.clone()),
        search_key: Set(code.to_lowercase()),
        code: Set(code),
        parent_id: Set(parent),
        active_from: Set(day),
        closed_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert a unit");
    tree::attach_new(db, unit.id, parent, day)
        .await
        .expect("attach the unit");
    unit.id
}

async fn insert_candidate(db: &DatabaseConnection, branch: i32, day: NaiveDate) -> i32 {
    let now = Utc::now();
    candidate::ActiveModel {
        branch_id: Set(branch),
        full_name: Set("Người Thử".into()),
        search_key: Set("nguoi thu".into()),
        gender: Set(person::Gender::Female),
        birth_date: Set(NaiveDate::from_ymd_opt(1999, 1, 1).unwrap()),
        ethnicity: Set(Ethnicity::Kinh),
        religion: Set(person::Religion::None),
        general_education: Set(person::GeneralEducation::UpperSecondary),
        professional_level: Set(person::ProfessionalLevel::None),
        political_theory_level: Set(person::PoliticalTheoryLevel::None),
        source_organisation: Set(person::SourceOrganisation::YouthUnion),
        returned_soldier: Set(false),
        difficult_area_education_exception: Set(false),
        stage: Set(Stage::SourceList),
        listed_on: Set(day),
        decision_extended: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert a candidate")
    .id
}

async fn ids_of(db: &DatabaseConnection, stmt: sea_orm::sea_query::SelectStatement) -> BTreeSet<i32> {
    use sea_orm::ConnectionTrait;
    db.query_all(&stmt)
        .await
        .expect("run the predicate")
        .iter()
        .map(|r| r.try_get_by_index::<i32>(0).expect("an id"))
        .collect()
}

async fn check(db: &DatabaseConnection, serial: usize, case: Case) -> Result<(), TestCaseError> {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut ids = Vec::new();
    let mut model = Model { moves: Vec::new() };
    for (i, parent) in case.parents.iter().enumerate() {
        let id = insert_unit(db, format!("P{serial}.{i}"), parent.map(|p| ids[p]), start).await;
        ids.push(id);
        model.moves.push((start, i, *parent));
    }
    let mut candidates = Vec::new();
    let mut placed = Vec::new();
    for unit in &case.candidates {
        candidates.push(insert_candidate(db, ids[*unit], start).await);
        placed.push(*unit);
    }
    let mut day = start;
    for op in &case.ops {
        match *op {
            Op::Move { unit, parent, after } => {
                day += Duration::days(after);
                // The service refuses a move under the unit itself or its own subtree.
                if model.within_on(parent, unit, day) || model.parent_on(unit, day) == Some(parent) {
                    continue;
                }
                tree::move_subtree(db, ids[unit], ids[parent], day).await.expect("move");
                model.moves.push((day, unit, Some(parent)));
            }
            Op::Close { unit, after } => {
                day += Duration::days(after);
                let mut row: org_unit::ActiveModel = org_unit::Entity::find_by_id(ids[unit])
                    .one(db)
                    .await
                    .expect("read the unit")
                    .expect("the unit")
                    .into();
                row.closed_on = Set(Some(day));
                row.update(db).await.expect("close");
            }
            Op::Transfer { candidate: c, to } => {
                if c >= candidates.len() {
                    continue;
                }
                candidate::Entity::update_many()
                    .col_expr(candidate::Column::BranchId, sea_orm::sea_query::Expr::value(ids[to]))
                    .filter(candidate::Column::Id.eq(candidates[c]))
                    .exec(db)
                    .await
                    .expect("transfer");
                placed[c] = to;
            }
        }
    }
    let index: HashMap<i32, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let last = day + Duration::days(1);
    for root in 0..ids.len() {
        // Dated: every day from the first to the day after the last act.
        let mut d = start - Duration::days(1);
        while d <= last {
            let found: BTreeSet<usize> = ids_of(db, subtree_ids_on(ids[root], d))
                .await
                .iter()
                .map(|id| index[id])
                .collect();
            let expected: BTreeSet<usize> = (0..ids.len())
                .filter(|&u| d >= start && model.within_on(u, root, d))
                .collect();
            prop_assert_eq!(&found, &expected, "subtree of {} on {}: {:?}", root, d, case);
            d += Duration::days(7);
        }
        // Today, through the scope every read uses.
        let scope = Scope::Subtree(ids[root]);
        let units: BTreeSet<usize> = ketnap::access::find_many::<org_unit::Entity>(db, scope, &ids)
            .await
            .expect("scoped units")
            .iter()
            .map(|u| index[&u.id])
            .collect();
        let expected: BTreeSet<usize> = (0..ids.len())
            .filter(|&u| model.within_on(u, root, NaiveDate::MAX))
            .collect();
        prop_assert_eq!(&units, &expected, "scope of {}: {:?}", root, case);
        let seen: BTreeSet<i32> = candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(candidates.clone()))
            .filter(candidate::Entity::visible(scope))
            .all(db)
            .await
            .expect("scoped candidates")
            .iter()
            .map(|c| c.id)
            .collect();
        let expected: BTreeSet<i32> = candidates
            .iter()
            .zip(&placed)
            .filter(|(_, unit)| model.within_on(**unit, root, NaiveDate::MAX))
            .map(|(c, _)| *c)
            .collect();
        prop_assert_eq!(&seen, &expected, "candidates seen from {}: {:?}", root, case);
    }
    Ok(())
}

#[test]
fn scope_in_sql_agrees_with_the_tree_model() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let folder = std::env::temp_dir().join("ketnap-tests");
    std::fs::create_dir_all(&folder).expect("a test folder");
    let path = folder.join(format!("tree-model-{}.sqlite", uuid::Uuid::new_v4()));
    let db = runtime.block_on(async {
        let settings = ketnap::settings::DatabaseSettings::new(format!("sqlite://{}?mode=rwc", path.display()));
        let db = ketnap::db::connect(&settings).await.expect("open the database");
        ketnap::db::migrate(&db).await.expect("migrate");
        db
    });
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    let serial = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&case(), |case| {
        let n = serial.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        runtime.block_on(check(&db, n, case))
    });
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result.unwrap();
}
