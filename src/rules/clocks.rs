//! The stored next deadline of each candidate, and the rules a running clock runs by.
//! Acts store the deadline they start; a change of the rules or the calendar recomputes
//! every open one here, in one read of the rules and a statement per distinct deadline,
//! so the rules' administration never calls into the candidates' workflow.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use entity::candidate;

use super::store;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadline::{self, DeadlineKind, Due, PathDates, clock_start};
use crate::domain::rulebook::{self, Rulebook};
use crate::domain::stage::Stage;
use crate::error::{AppError, AppResult, tr};

/// The dates deadlines run from.
pub fn path_dates(c: &candidate::Model) -> PathDates {
    PathDates {
        branch_resolution: c.branch_resolution_on,
        decision_extended: c.decision_extended,
        decision_signed: c.decision_signed_on,
        decision_received: c.decision_received_on,
        ceremony: c.ceremony_on,
        probation_end: c.probation_ends_on,
        recognition_branch_resolution: c.recognition_branch_on,
        recognition_decision_extended: c.recognition_decision_extended,
    }
}

/// The rules a clock started on `start` runs by, to its end: the rulebook version in force
/// that day, and the working calendar from it. A clock started under a rule finishes
/// under it, so a version that comes into force in mid-process neither shortens nor
/// lengthens a running clock. The one place this is decided: the deadline shown
/// (`nextDeadline`, `deadlines`) and the deadline an act is judged by both come from here.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn clock_rules(db: &impl ConnectionTrait, start: NaiveDate) -> AppResult<(Rulebook, WorkingCalendar)> {
    Ok((
        store::rulebook_on(db, start).await?,
        store::calendar_from(db, start).await?,
    ))
}

/// The next deadline of a candidate, by the rules its clock started under.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn next_due(db: &impl ConnectionTrait, c: &candidate::Model) -> AppResult<Option<Due>> {
    let stage = c.stage;
    let dates = path_dates(c);
    let Some(start) = clock_start(stage, &dates) else {
        return Ok(None);
    };
    let (rulebook, calendar) = clock_rules(db, start).await?;
    Ok(deadline::next_due(stage, &dates, &rulebook, &calendar))
}

/// The stages whose candidates wait on a clock.
const CLOCK_STAGES: [Stage; 10] = [
    Stage::BranchApproved,
    Stage::SectionAppraised,
    Stage::CommuneResolved,
    Stage::AdmissionDecided,
    Stage::Probationary,
    Stage::RecognitionBranchApproved,
    Stage::RecognitionCommuneResolved,
    Stage::StrikeOffProposed,
    Stage::StrikeOffCommuneResolved,
    Stage::RecognitionReferred,
];

/// Ids per statement when the recomputed deadlines are written back.
const IDS_PER_UPDATE: usize = 500;

/// Recompute the stored next deadline of every candidate waiting on a clock (after a
/// calendar or rulebook change, or a migration that moved a clock's start), whether or
/// not one was stored before. Reads the open candidates, every rulebook version and the
/// calendar once, works out each deadline in memory by the rules its clock started under
/// (as [`next_due`] does), and writes the changed ones with one statement per distinct
/// deadline. Returns how many changed.
#[tracing::instrument(skip_all)]
pub async fn recompute_deadlines(txn: &DatabaseTransaction) -> AppResult<u64> {
    let open = candidate::Entity::find()
        .filter(candidate::Column::Stage.is_in(CLOCK_STAGES.iter().map(|s| s.as_str())))
        .all(txn)
        .await?;
    let mut clocks = Vec::with_capacity(open.len());
    for c in &open {
        let stage = c.stage;
        let dates = path_dates(c);
        clocks.push((c, stage, clock_start(stage, &dates), dates));
    }
    let starts = clocks.iter().filter_map(|(_, _, start, _)| *start);
    let (versions, calendar) = match (starts.clone().min(), starts.max()) {
        (Some(first), Some(last)) => {
            let end = last.with_year(last.year() + 3).unwrap_or(NaiveDate::MAX);
            (store::rulebooks(txn).await?, store::calendar(txn, first, end).await?)
        }
        _ => (Vec::new(), WorkingCalendar::new([], [])),
    };
    let mut changes: BTreeMap<(Option<DeadlineKind>, Option<NaiveDate>), Vec<i32>> = BTreeMap::new();
    for (c, stage, start, dates) in clocks {
        let due = match start {
            None => None,
            Some(start) => {
                let rules = rulebook::in_force(&versions, start).ok_or_else(|| {
                    AppError::rule(
                        "NO_RULEBOOK_IN_FORCE",
                        tr!(
                            "no rulebook is in force on {start}",
                            "không có bộ quy định nào có hiệu lực vào ngày {start}"
                        ),
                    )
                })?;
                deadline::next_due(stage, &dates, rules, &calendar)
            }
        };
        let stored = (due.map(|d| d.kind), due.map(|d| d.due_on));
        if stored != (c.next_due_kind, c.next_due_on) {
            changes.entry(stored).or_default().push(c.id);
        }
    }
    let mut changed = 0;
    for ((kind, due_on), ids) in changes {
        for chunk in ids.chunks(IDS_PER_UPDATE) {
            changed += write_due(txn, kind, due_on, chunk).await?;
        }
    }
    Ok(changed)
}

#[tracing::instrument(level = "debug", skip_all)]
async fn write_due(
    txn: &impl ConnectionTrait,
    kind: Option<DeadlineKind>,
    due_on: Option<NaiveDate>,
    ids: &[i32],
) -> AppResult<u64> {
    let result = candidate::Entity::update_many()
        .col_expr(candidate::Column::NextDueKind, Expr::value(kind))
        .col_expr(candidate::Column::NextDueOn, Expr::value(due_on))
        .filter(candidate::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(result.rows_affected)
}

/// Store the next deadline of one candidate (after an act).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn store_due(txn: &impl ConnectionTrait, id: i32, due: Option<Due>) -> AppResult<()> {
    write_due(txn, due.map(|d| d.kind), due.map(|d| d.due_on), &[id]).await?;
    Ok(())
}
