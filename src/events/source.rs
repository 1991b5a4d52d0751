//! Where a process's live events come from: the audit trail as it grows, told by
//! PostgreSQL's notifications or read in order on SQLite (see the module above).

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use sea_orm::{ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use entity::{audit_event, org_unit_closure as closure};

use super::{Event, Hub, Recorded};
use crate::domain::stage::Stage;
use crate::error::AppResult;

/// The PostgreSQL channel the audit trail's trigger notifies with each new event's number.
pub const CHANNEL: &str = "ketnap_audit";

/// How often SQLite's reader looks for events it was not told of (other processes' writes).
const POLL: Duration = Duration::from_millis(250);

/// How many events one read takes.
const BATCH: u64 = 500;

/// How many delivered event numbers are remembered, so none is delivered twice.
const REMEMBERED: usize = 4096;

/// Feed `hub` from the audit trail of `db` until the process ends. `url` is the database's,
/// for PostgreSQL's listening connection of its own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run(db: DatabaseConnection, url: String, hub: Hub) {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            // Kept across reconnections, so that each catches up from the last event told.
            let mut delivered = Delivered::default();
            loop {
                if let Err(err) = listen(&db, &url, &hub, &mut delivered).await {
                    tracing::warn!(error = %err, "listening for audit events failed; retrying in 5 seconds");
                }
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
        _ => poll(&db, &hub).await,
    }
}

/// PostgreSQL: each notification names an event; read those named together, then deliver.
/// A lost connection is reopened by the listener; what committed meanwhile is read after
/// the last event delivered.
#[tracing::instrument(level = "debug", skip_all)]
async fn listen(db: &DatabaseConnection, url: &str, hub: &Hub, delivered: &mut Delivered) -> anyhow::Result<()> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    // (Re)connected: what committed while no connection listened is read from the trail.
    catch_up(db, hub, delivered).await?;
    loop {
        let Some(first) = listener.try_recv().await? else {
            catch_up(db, hub, delivered).await?;
            continue;
        };
        let mut ids: Vec<i64> = first.payload().parse().ok().into_iter().collect();
        while let Some(next) = listener.next_buffered() {
            ids.extend(next.payload().parse::<i64>().ok());
        }
        if !hub.listening() {
            // Nobody to tell; but a catch-up after a lost connection starts from here, not
            // from whatever was delivered last, long ago.
            delivered.last = ids.iter().copied().chain(delivered.last).max();
            continue;
        }
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::Id.is_in(ids))
            .order_by_asc(audit_event::Column::Id)
            .all(db)
            .await?;
        deliver(db, hub, rows, delivered).await?;
    }
}

/// Deliver the events recorded after the last one told, while someone listens: a few
/// batches at most, so that a long outage does not flood the subscribers with history.
#[tracing::instrument(level = "debug", skip_all)]
async fn catch_up(db: &DatabaseConnection, hub: &Hub, delivered: &mut Delivered) -> AppResult<()> {
    const MOST_BATCHES: usize = 10;
    for _ in 0..MOST_BATCHES {
        let Some(last) = delivered.last else { return Ok(()) };
        if !hub.listening() {
            return Ok(());
        }
        let rows = after(db, last).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let newest = rows.last().map(|r| r.id);
        deliver(db, hub, rows, delivered).await?;
        delivered.last = delivered.last.max(newest);
    }
    Ok(())
}

/// SQLite: while someone listens, read the events after the last one delivered, when this
/// process commits an act and otherwise every [`POLL`].
#[tracing::instrument(level = "debug", skip_all)]
async fn poll(db: &DatabaseConnection, hub: &Hub) {
    let mut delivered = Delivered::default();
    loop {
        tokio::select! {
            _ = super::WRITTEN.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
        if let Err(err) = poll_once(db, hub, &mut delivered).await {
            tracing::warn!(error = %err, "reading audit events failed");
        }
    }
}

#[tracing::instrument(level = "debug", skip_all)]
async fn poll_once(db: &DatabaseConnection, hub: &Hub, delivered: &mut Delivered) -> AppResult<()> {
    let mut cursor = hub.inner.cursor.lock().await;
    if !hub.listening() {
        *cursor = None;
        return Ok(());
    }
    let Some(last) = *cursor else {
        // Someone began listening without taking the cursor ([`start_listening`]).
        *cursor = Some(latest(db).await?);
        return Ok(());
    };
    let rows = after(db, last).await?;
    if let Some(row) = rows.last() {
        *cursor = Some(row.id);
    }
    drop(cursor);
    deliver(db, hub, rows, delivered).await
}

/// Before a subscription's first event: on SQLite, the events delivered from now on follow
/// the last one on record (read now, when no one listened before).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn start_listening(db: &DatabaseConnection, hub: &Hub) -> AppResult<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        return Ok(());
    }
    let mut cursor = hub.inner.cursor.lock().await;
    if cursor.is_none() {
        *cursor = Some(latest(db).await?);
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
async fn latest(db: &DatabaseConnection) -> AppResult<i64> {
    let max: Option<Option<i64>> = audit_event::Entity::find()
        .select_only()
        .column_as(audit_event::Column::Id.max(), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

#[tracing::instrument(level = "debug", skip_all)]
async fn after(db: &DatabaseConnection, last: i64) -> AppResult<Vec<audit_event::Model>> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::Id.gt(last))
        .order_by_asc(audit_event::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?)
}

/// The event numbers delivered lately, so that catching up never delivers one twice.
#[derive(Default)]
struct Delivered {
    last: Option<i64>,
    seen: HashSet<i64>,
    order: VecDeque<i64>,
}

impl Delivered {
    /// Whether `id` is new; remembered if so.
    fn first_time(&mut self, id: i64) -> bool {
        if !self.seen.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > REMEMBERED
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        self.last = Some(self.last.map_or(id, |last| last.max(id)));
        true
    }
}

/// Turn audit rows into events, with where each reaches, and hand them to the hub.
#[tracing::instrument(level = "debug", skip_all)]
async fn deliver(
    db: &DatabaseConnection,
    hub: &Hub,
    rows: Vec<audit_event::Model>,
    delivered: &mut Delivered,
) -> AppResult<()> {
    let rows: Vec<_> = rows.into_iter().filter(|row| delivered.first_time(row.id)).collect();
    if rows.is_empty() {
        return Ok(());
    }
    let mut events: Vec<Recorded> = rows.iter().map(recorded).collect();
    let units: Vec<i32> = events
        .iter()
        .flat_map(|e| [e.unit_id, e.left_unit_id])
        .flatten()
        .collect();
    let reach = reach_of(db, &units).await?;
    for event in &mut events {
        let of = |unit: Option<i32>| unit.and_then(|u| reach.get(&u).cloned()).unwrap_or_default();
        event.reach = of(event.unit_id);
        event.left_reach = of(event.left_unit_id);
    }
    for event in events {
        hub.publish(Event::Recorded(std::sync::Arc::new(event)));
    }
    Ok(())
}

/// An audit row as subscribers hear of it: the stage after the act and, for a candidate
/// who moved, the branch left; nothing else of the snapshots.
fn recorded(row: &audit_event::Model) -> Recorded {
    let candidate_after = row.after.as_ref().map(|after| after.get("candidate").unwrap_or(after));
    let stage = candidate_after
        .and_then(|c| c.get("stage"))
        .and_then(|s| s.as_str())
        .and_then(Stage::parse);
    let branch_before = row
        .before
        .as_ref()
        .and_then(|b| b.get("branch_id"))
        .and_then(serde_json::Value::as_i64)
        .and_then(|id| i32::try_from(id).ok());
    let left_unit_id = branch_before.filter(|before| Some(*before) != row.unit_id && row.entity_type == "Candidate");
    Recorded {
        id: row.id,
        act: row.act.clone(),
        entity_type: row.entity_type.clone(),
        entity_id: row.entity_id,
        unit_id: row.unit_id,
        left_unit_id,
        stage,
        occurred_at: row.occurred_at,
        reach: Vec::new(),
        left_reach: Vec::new(),
    }
}

/// Each of `units` with itself and every unit now above it: one read.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn reach_of(db: &DatabaseConnection, units: &[i32]) -> AppResult<HashMap<i32, Vec<i32>>> {
    let wanted: HashSet<i32> = units.iter().copied().collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let links: Vec<(i32, i32)> = closure::Entity::find()
        .select_only()
        .column(closure::Column::DescendantId)
        .column(closure::Column::AncestorId)
        .filter(closure::Column::DescendantId.is_in(wanted))
        .filter(closure::Column::ValidTo.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut reach: HashMap<i32, Vec<i32>> = HashMap::new();
    for (unit, above) in links {
        reach.entry(unit).or_default().push(above);
    }
    Ok(reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_delivered_once() {
        let mut delivered = Delivered::default();
        assert!(delivered.first_time(5));
        assert!(!delivered.first_time(5));
        assert!(delivered.first_time(3));
        assert_eq!(delivered.last, Some(5));
        for id in 10..(10 + REMEMBERED as i64) {
            delivered.first_time(id);
        }
        assert!(delivered.seen.len() <= REMEMBERED);
    }

    #[test]
    fn a_transfer_names_the_branch_left() {
        let row = audit_event::Model {
            id: 1,
            occurred_at: chrono::Utc::now(),
            actor_user_id: Some(1),
            actor_role: "DISTRICT".into(),
            request_id: None,
            act: "transferCandidate".into(),
            entity_type: "Candidate".into(),
            entity_id: 9,
            unit_id: Some(20),
            before: Some(serde_json::json!({ "branch_id": 10, "stage": "SOURCE_LIST" })),
            after: Some(serde_json::json!({ "candidate": { "branch_id": 20, "stage": "SOURCE_LIST" } })),
        };
        let event = recorded(&row);
        assert_eq!(event.left_unit_id, Some(10));
        assert_eq!(event.stage, Some(Stage::SourceList));
        let stayed = audit_event::Model {
            before: Some(serde_json::json!({ "branch_id": 20 })),
            ..row
        };
        assert_eq!(recorded(&stayed).left_unit_id, None);
    }
}
