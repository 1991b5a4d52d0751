//! Writing audit events.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, Set};
use serde::Serialize;

use entity::audit_event;

use crate::access::Actor;

/// The entity type a candidate's events are recorded under; its timeline reads them back.
pub const CANDIDATE: &str = "Candidate";
use crate::error::{AppError, AppResult};

/// One act on one record, as it will be stored.
pub struct Event {
    /// What was done, in the API's words (e.g. `createOrgUnit`).
    pub act: &'static str,
    pub entity_type: &'static str,
    pub entity_id: i32,
    /// The unit whose subtree may read the event.
    pub unit_id: Option<i32>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Event {
    /// `act` on the `entity_type` record `entity_id`, readable from the subtree of `unit_id`,
    /// with no state before or after until they are given.
    pub fn new(act: &'static str, entity_type: &'static str, entity_id: i32, unit_id: Option<i32>) -> Event {
        Event {
            act,
            entity_type,
            entity_id,
            unit_id,
            before: None,
            after: None,
        }
    }

    /// The state before the act, as it was snapshotted.
    pub fn before(self, before: Option<serde_json::Value>) -> Event {
        Event { before, ..self }
    }

    /// The state after the act: `after` as the audit trail keeps it.
    pub fn after(self, after: &impl Serialize) -> AppResult<Event> {
        Ok(Event {
            after: Some(snapshot(after)?),
            ..self
        })
    }
}

/// The last step of a write: append `event` in `txn`, then commit it, so the change and its
/// record land together or not at all.
#[tracing::instrument(level = "debug", skip_all, fields(act = event.act))]
pub async fn commit(txn: DatabaseTransaction, actor: &Actor, event: Event) -> AppResult<()> {
    record(&txn, Some(actor), event).await?;
    txn.commit().await?;
    crate::events::written();
    Ok(())
}

/// A record as the audit trail keeps it.
pub fn snapshot(record: &impl Serialize) -> AppResult<serde_json::Value> {
    serde_json::to_value(record)
        .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("serialising an audit snapshot")))
}

/// Append `event` on `txn`, the transaction that makes the change. `actor` is `None` for
/// acts of the system itself (command-line administration, seeding).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(txn: &impl ConnectionTrait, actor: Option<&Actor>, event: Event) -> AppResult<()> {
    audit_event::ActiveModel {
        occurred_at: Set(Utc::now()),
        actor_user_id: Set(actor.map(|a| a.user_id)),
        actor_role: Set(actor.map_or("SYSTEM", |a| a.role.as_str()).to_string()),
        request_id: Set(actor.and_then(|a| a.request_id.clone())),
        act: Set(event.act.to_string()),
        entity_type: Set(event.entity_type.to_string()),
        entity_id: Set(event.entity_id),
        unit_id: Set(event.unit_id),
        before: Set(event.before),
        after: Set(event.after),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
