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
    // A candidate enrolled on a course, beside the seeded registries.
    let roles = crate::workflow::Roles::of(&app).await;
    crate::workflow::prepare(&app, &roles, crate::workflow::Ready::default()).await;
    let members = count(&app, "SELECT COUNT(*) AS n FROM member").await;
    assert!(members > 0, "the seeded tree has members");

    // The two newest migrations, down and up over live data: every member's admitting branch
    // is its branch, every enrolment's sending branch the candidate's, and every session
    // began when its first refresh token was issued.
    Migrator::down(db, Some(2))
        .await
        .expect("the newest migrations go down");
    Migrator::up(db, None).await.expect("and comes back up");
    let filled = count(
        &app,
        "SELECT COUNT(*) AS n FROM member WHERE admitted_in_id IS NOT NULL AND admitted_in_id = branch_id",
    )
    .await;
    assert_eq!(filled, members);
    let enrolments = count(&app, "SELECT COUNT(*) AS n FROM course_enrolment").await;
    let sent = count(
        &app,
        "SELECT COUNT(*) AS n FROM course_enrolment e JOIN candidate c ON c.id = e.candidate_id \
         WHERE e.branch_id = c.branch_id",
    )
    .await;
    assert!(enrolments > 0);
    assert_eq!(sent, enrolments);
    let sessions = count(&app, "SELECT COUNT(*) AS n FROM refresh_token").await;
    let started = count(
        &app,
        "SELECT COUNT(*) AS n FROM refresh_token WHERE session_started_at IS NOT NULL AND session_started_at <= issued_at",
    )
    .await;
    assert!(sessions > 0);
    assert_eq!(started, sessions);

    // All of them, down to an empty database and back.
    Migrator::down(db, None).await.expect("every migration goes down");
    assert!(
        Migrator::get_pending_migrations(db).await.expect("list pending").len() == Migrator::migrations().len(),
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
