//! The migrations on their own: each goes down and comes back up on both databases, and the
//! newest fill their new columns from the data already there.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::TestApp;

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = &app.state.db;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect("run the count")
        .expect("one row");
    row.try_get::<i64>("", "n").expect("a count")
}

async fn migrations_go_down_and_up_again(app: TestApp) {
    let db = &app.state.db;
    // Beside the seeded registries: a probationer admitted in Nà Lầu, trained on its behalf,
    // then transferred to Bản Chang.
    let roles = crate::workflow::Roles::of(&app).await;
    crate::reports::admit_then_transfer(&app, &roles).await;
    let members = count(&app, "SELECT COUNT(*) AS n FROM member").await;
    let enrolments = count(&app, "SELECT COUNT(*) AS n FROM course_enrolment").await;
    let sessions = count(&app, "SELECT COUNT(*) AS n FROM refresh_token").await;
    assert!(members > 1 && enrolments == 1 && sessions > 0);

    // Every migration since the foundation's three, down and up over that data, as the
    // server applies them.
    let due = count(
        &app,
        "SELECT COUNT(*) AS n FROM candidate WHERE next_due_kind = 'RECOGNITION_VOTE'",
    )
    .await;
    assert_eq!(due, 1);
    let since_foundation = u32::try_from(Migrator::migrations().len() - 3).unwrap();
    Migrator::down(db, Some(since_foundation))
        .await
        .expect("the newest migrations go down");
    // A deadline stored before the clocks moved is recomputed once they have.
    db.execute_unprepared("UPDATE candidate SET next_due_kind = NULL, next_due_on = NULL")
        .await
        .expect("forget the stored deadlines");
    ketnap::startup::migrate(db).await.expect("and come back up");
    let recomputed = count(
        &app,
        "SELECT COUNT(*) AS n FROM candidate WHERE next_due_kind = 'RECOGNITION_VOTE' AND next_due_on IS NOT NULL",
    )
    .await;
    assert_eq!(recomputed, due);
    // The audit trail puts the probationer's admission and training in Nà Lầu, not where
    // the member and the candidate are now.
    let in_na_lau = "(SELECT id FROM org_unit WHERE code = 'SL.BS.TL.NL')";
    let moved = count(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM member WHERE candidate_id IS NOT NULL \
             AND admitted_in_id = {in_na_lau} AND branch_id <> admitted_in_id"
        ),
    )
    .await;
    assert_eq!(moved, 1);
    let sent = count(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM course_enrolment e JOIN candidate c ON c.id = e.candidate_id \
             WHERE e.branch_id = {in_na_lau} AND c.branch_id <> e.branch_id"
        ),
    )
    .await;
    assert_eq!(sent, 1);
    // Members with no ceremony on record were admitted where they are registered.
    let registered = count(
        &app,
        "SELECT COUNT(*) AS n FROM member WHERE candidate_id IS NULL AND admitted_in_id = branch_id",
    )
    .await;
    assert_eq!(registered, members - 1);
    // Each session began when its family's first token was issued.
    let started = count(
        &app,
        "SELECT COUNT(*) AS n FROM refresh_token t WHERE session_started_at = \
         (SELECT MIN(f.issued_at) FROM refresh_token f WHERE f.family_id = t.family_id)",
    )
    .await;
    assert_eq!(started, sessions);
    // The new columns are required on both databases (a trigger stands in on SQLite).
    for (table, column) in [
        ("member", "admitted_in_id"),
        ("course_enrolment", "branch_id"),
        ("refresh_token", "session_started_at"),
    ] {
        let emptied = db
            .execute_unprepared(&format!("UPDATE {table} SET {column} = NULL"))
            .await;
        assert!(emptied.is_err(), "{table}.{column} accepted NULL");
    }

    // All of them, down to an empty database and back.
    Migrator::down(db, None).await.expect("every migration goes down");
    assert_eq!(
        Migrator::get_pending_migrations(db).await.expect("list pending").len(),
        Migrator::migrations().len(),
        "nothing is applied after going all the way down"
    );
    Migrator::up(db, None).await.expect("every migration comes back up");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM member").await, 0);
    assert!(
        count(&app, "SELECT COUNT(*) AS n FROM rulebook_version").await > 0,
        "the rulebook is seeded again"
    );
}

db_tests!(migrations_go_down_and_up_again);
