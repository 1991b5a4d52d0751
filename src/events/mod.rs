//! Live events: what a subscriber hears of as it happens. The audit trail is their source:
//! every act appends an event in the transaction that makes it (`audit`), so what is heard
//! is exactly what committed, whichever process or command wrote it.
//!
//! - On PostgreSQL a trigger on `audit_event` notifies the channel [`source::CHANNEL`] with
//!   the new event's number; the notification is delivered when the transaction commits, to
//!   every Ketnap process listening on that database, and each reads the events it names.
//! - On SQLite (one process) the events are read in order from the last one delivered, when
//!   an act of this process commits ([`written`]) and otherwise four times a second; writes
//!   are serial there, so the numbers arrive in commit order.
//!
//! Each process fans its events out through one bounded [`Hub`]: a subscriber that falls
//! behind by more than the buffer is dropped, not buffered without limit. Nothing is read
//! from the database while no one subscribes.

pub mod deadlines;
pub mod source;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::broadcast;

use crate::access::Scope;
use crate::domain::deadline::DeadlineKind;
use crate::domain::stage::Stage;
use crate::error::{AppError, AppResult, Limit, Text, tr};
use crate::settings::LiveSettings;

/// An event of the audit trail as subscribers hear it: no personal field, no snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The audit event's number.
    pub id: i64,
    /// The act, named as the mutation that did it.
    pub act: String,
    pub entity_type: String,
    pub entity_id: i32,
    /// The unit whose subtree may read the event; `None` for a change of the whole system
    /// (the rulebook, the calendar).
    pub unit_id: Option<i32>,
    /// For a candidate who moved, the branch they left.
    pub left_unit_id: Option<i32>,
    /// A candidate's stage after the act.
    pub stage: Option<Stage>,
    pub occurred_at: DateTime<Utc>,
    /// `unit_id` and every unit now above it.
    pub reach: Vec<i32>,
    /// `left_unit_id` and every unit now above it.
    pub left_reach: Vec<i32>,
}

/// A candidate's next deadline falling due today, or passed since yesterday.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DueDeadline {
    pub candidate_id: i32,
    /// The candidate's branch.
    pub unit_id: i32,
    pub kind: DeadlineKind,
    pub due_on: NaiveDate,
    /// Passed (the due day is behind us), rather than due today.
    pub overdue: bool,
    /// `unit_id` and every unit now above it.
    pub reach: Vec<i32>,
}

#[derive(Debug, Clone)]
pub enum Event {
    Recorded(Arc<Recorded>),
    Deadline(Arc<DueDeadline>),
}

/// Whether `reach` (a unit and the units above it) lies within `scope` and, when given,
/// within the unit `within`.
pub fn reaches(reach: &[i32], scope: Scope, within: Option<i32>) -> bool {
    let in_scope = match scope {
        Scope::All => true,
        Scope::Subtree(root) => reach.contains(&root),
        Scope::Nothing => false,
    };
    in_scope && within.is_none_or(|unit| reach.contains(&unit))
}

/// One process's fan-out of live events to its subscribers, with the bounds on them.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Event>,
    settings: LiveSettings,
    /// Subscriptions held per account, over all its connections.
    per_account: Mutex<HashMap<i32, usize>>,
    /// SQLite: the last event delivered, while someone listens ([`source`]).
    cursor: tokio::sync::Mutex<Option<i64>>,
    /// The deadlines due as last checked, while someone listens ([`deadlines`]).
    due: tokio::sync::Mutex<Option<deadlines::Due>>,
    /// Set when the server shuts down: every connection closes.
    closing: tokio::sync::watch::Sender<bool>,
}

impl Hub {
    pub fn new(settings: &LiveSettings) -> Hub {
        let (sender, _) = broadcast::channel(settings.event_buffer.max(1));
        Hub {
            inner: Arc::new(Inner {
                sender,
                settings: settings.clone(),
                per_account: Mutex::new(HashMap::new()),
                cursor: tokio::sync::Mutex::new(None),
                due: tokio::sync::Mutex::new(None),
                closing: tokio::sync::watch::Sender::new(false),
            }),
        }
    }

    pub fn settings(&self) -> &LiveSettings {
        &self.inner.settings
    }

    /// Whether anyone listens in this process.
    pub fn listening(&self) -> bool {
        self.inner.sender.receiver_count() > 0
    }

    /// Hand `event` to every subscriber of this process.
    pub fn publish(&self, event: Event) {
        // No receiver is not an error: no one listens.
        let _ = self.inner.sender.send(event);
    }

    /// A seat for one more subscription of `user_id` on a connection holding `connection`,
    /// within both bounds; it is given back when dropped. Then the events from now on.
    pub fn admit(&self, user_id: i32, connection: &ConnectionSeats) -> AppResult<(Seat, broadcast::Receiver<Event>)> {
        let settings = &self.inner.settings;
        let held = connection.0.fetch_add(1, Ordering::SeqCst);
        let connection_seat = ConnectionSeat(connection.0.clone());
        if held >= settings.max_subscriptions_per_connection {
            return Err(too_many(tr!(
                "a connection holds at most {} subscriptions at once",
                "mỗi kết nối chỉ giữ tối đa {} lượt theo dõi (subscription) cùng lúc",
                settings.max_subscriptions_per_connection
            )));
        }
        let mut per_account = self.inner.per_account.lock().unwrap_or_else(|e| e.into_inner());
        let count = per_account.entry(user_id).or_default();
        if *count >= settings.max_subscriptions_per_account {
            return Err(too_many(tr!(
                "an account holds at most {} subscriptions at once, over all its connections",
                "mỗi tài khoản chỉ giữ tối đa {} lượt theo dõi (subscription) cùng lúc, tính trên mọi kết nối",
                settings.max_subscriptions_per_account
            )));
        }
        *count += 1;
        let seat = Seat {
            hub: self.clone(),
            user_id,
            _connection: connection_seat,
        };
        Ok((seat, self.inner.sender.subscribe()))
    }

    fn release(&self, user_id: i32) {
        let mut per_account = self.inner.per_account.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = per_account.get_mut(&user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                per_account.remove(&user_id);
            }
        }
    }

    /// The server is shutting down: tell every connection to close.
    pub fn close(&self) {
        self.inner.closing.send_replace(true);
    }

    /// Changes once, when the server shuts down.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }

    /// How many subscriptions this process holds.
    pub fn subscriptions(&self) -> usize {
        let per_account = self.inner.per_account.lock().unwrap_or_else(|e| e.into_inner());
        per_account.values().sum()
    }
}

fn too_many(message: Text) -> AppError {
    AppError::LimitExceeded {
        limit: Limit::Subscriptions,
        message,
    }
}

/// The subscriptions one connection holds, counted.
#[derive(Debug, Clone, Default)]
pub struct ConnectionSeats(Arc<AtomicUsize>);

struct ConnectionSeat(Arc<AtomicUsize>);

impl Drop for ConnectionSeat {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One subscription's place within the bounds, held as long as the subscription runs.
pub struct Seat {
    hub: Hub,
    user_id: i32,
    _connection: ConnectionSeat,
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.hub.release(self.user_id);
    }
}

/// Rung after an act of this process commits, so that SQLite's reader delivers it at once.
static WRITTEN: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// An act committed in this process: wake the readers of the audit trail.
pub fn written() {
    WRITTEN.notify_waiters();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reaches_the_units_above_it_only() {
        let reach = [7, 3, 1];
        assert!(reaches(&reach, Scope::Subtree(3), None));
        assert!(reaches(&reach, Scope::All, Some(7)));
        assert!(!reaches(&reach, Scope::Subtree(4), None));
        assert!(!reaches(&reach, Scope::Subtree(3), Some(8)));
        assert!(!reaches(&reach, Scope::Nothing, None));
    }

    #[test]
    fn seats_are_bounded_per_connection_and_per_account() {
        let settings = LiveSettings {
            max_subscriptions_per_connection: 2,
            max_subscriptions_per_account: 3,
            ..LiveSettings::default()
        };
        let hub = Hub::new(&settings);
        let (first, second) = (ConnectionSeats::default(), ConnectionSeats::default());
        let a = hub.admit(1, &first).expect("one");
        let b = hub.admit(1, &first).expect("two");
        assert!(hub.admit(1, &first).is_err(), "a third on one connection");
        let c = hub.admit(1, &second).expect("a third on another connection");
        assert!(hub.admit(1, &second).is_err(), "a fourth for the account");
        assert!(hub.admit(2, &second).is_ok(), "another account has its own");
        assert_eq!(hub.subscriptions(), 3);
        drop((a, b, c));
        assert_eq!(hub.subscriptions(), 0);
        assert!(hub.admit(1, &first).is_ok(), "seats are given back");
    }
}
