//! Deadlines falling due: each process checks, while someone listens, which candidates'
//! next deadline is due today or passed yesterday (Vietnam's date), and tells its
//! subscribers of those it had not seen at the last check. Every process reads the same
//! stored deadlines, so each tells its own subscribers without telling the others.

use std::collections::HashSet;
use std::time::Duration;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use entity::candidate;

use super::{DueDeadline, Event, Hub};
use crate::domain::deadline::DeadlineKind;
use crate::error::AppResult;

/// The deadlines due as of one check: each candidate's, with its day and whether passed.
pub struct Due(HashSet<(i32, NaiveDate, bool)>);

/// Check every `deadline_check_secs` until the process ends.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run(db: DatabaseConnection, hub: Hub) {
    let every = Duration::from_secs(hub.settings().deadline_check_secs.max(1));
    loop {
        tokio::time::sleep(every).await;
        if let Err(err) = check(&db, &hub).await {
            tracing::warn!(error = %err, "checking the deadlines falling due failed");
        }
    }
}

/// One check: tell of what fell due since the last one (nothing read while no one listens).
#[tracing::instrument(level = "debug", skip_all)]
async fn check(db: &DatabaseConnection, hub: &Hub) -> AppResult<()> {
    let mut state = hub.inner.due.lock().await;
    if !hub.listening() {
        *state = None;
        return Ok(());
    }
    let today = crate::clock::today();
    let now = due_on(db, today).await?;
    let Some(before) = state.as_ref() else {
        *state = Some(baseline(&now));
        return Ok(());
    };
    // A deadline due yesterday and passed today is a new key: it is told again, as passed.
    let fresh: Vec<DueDeadline> = now.iter().filter(|d| !before.0.contains(&key(d))).cloned().collect();
    *state = Some(baseline(&now));
    drop(state);
    for deadline in fresh {
        hub.publish(Event::Deadline(std::sync::Arc::new(deadline)));
    }
    Ok(())
}

/// Before a deadline subscription's first event: what is due now is taken as known, so
/// the subscriber hears of what falls due from now on.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn start_listening(db: &DatabaseConnection, hub: &Hub) -> AppResult<()> {
    let mut state = hub.inner.due.lock().await;
    if state.is_none() {
        *state = Some(baseline(&due_on(db, crate::clock::today()).await?));
    }
    Ok(())
}

fn key(deadline: &DueDeadline) -> (i32, NaiveDate, bool) {
    (deadline.candidate_id, deadline.due_on, deadline.overdue)
}

fn baseline(due: &[DueDeadline]) -> Due {
    Due(due.iter().map(key).collect())
}

/// The deadlines due on `today` or passed on the day before, with where each reaches.
#[tracing::instrument(level = "debug", skip_all)]
async fn due_on(db: &DatabaseConnection, today: NaiveDate) -> AppResult<Vec<DueDeadline>> {
    let yesterday = today.pred_opt().unwrap_or(today);
    let rows: Vec<(i32, i32, Option<DeadlineKind>, Option<NaiveDate>)> = candidate::Entity::find()
        .select_only()
        .column(candidate::Column::Id)
        .column(candidate::Column::BranchId)
        .column(candidate::Column::NextDueKind)
        .column(candidate::Column::NextDueOn)
        .filter(candidate::Column::NextDueOn.between(yesterday, today))
        .into_tuple()
        .all(db)
        .await?;
    let units: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let reach = super::source::reach_of(db, &units).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(candidate_id, unit_id, kind, due_on)| {
            let (kind, due_on) = (kind?, due_on?);
            Some(DueDeadline {
                candidate_id,
                unit_id,
                kind,
                due_on,
                overdue: due_on < today,
                reach: reach.get(&unit_id).cloned().unwrap_or_default(),
            })
        })
        .collect())
}
