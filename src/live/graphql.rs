//! The `Subscription` root and what its events carry: numbers, codes, dates and units,
//! never a candidate's personal field (a subscriber that may read the candidate asks for
//! `candidate`, read through its scope as any query is).

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use entity::org_unit;

use crate::access::Scope;
use crate::candidates::graphql::Candidate;
use crate::error::{AppError, AppResult, Limit, tr};
use crate::events::{ConnectionSeats, DueDeadline, Event, Recorded, Seat, reaches};
use crate::graphql::context::{ContextExt, Loaders};
use crate::graphql::enums::{CandidateStage, DeadlineKind, mirror_enum};
use crate::graphql::relay::{expect_global_id, global_id};
use crate::graphql::scalars::Date;
use crate::org::graphql::OrgUnit;

mirror_enum! {
    /// A report of the API, as a dashboard panel reads it.
    Report => crate::domain::figures::Report {
        /// `admissionProgress`: admissions against the targets.
        AdmissionProgress,
        /// `newMemberBreakdown`: who the new members are.
        NewMemberBreakdown,
        /// `admissionFunnel`: from the source list to the decision.
        AdmissionFunnel,
        /// `trainingSummary`: courses and their certificates.
        TrainingSummary,
        /// `pipelineSummary`: candidates by stage, deadlines, mentors, certificates expiring.
        PipelineSummary,
        /// `residentialCoverage`: members and branches by residential area.
        ResidentialCoverage,
    }
}

/// Whether a deadline is due today or has passed.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DeadlineStatus {
    /// Today is the last day.
    Due,
    /// The last day was yesterday.
    Overdue,
}

#[derive(Default)]
pub struct LiveSubscription;

/// What the account hears of as it happens. Over the graphql-transport-ws protocol on
/// `/graphql`, signed in by the `connection_init` message's `authorization` (`Bearer <token>`);
/// the connection is closed (4403) when its token expires.
#[Subscription(name = "Subscription")]
impl LiveSubscription {
    /// Each act recorded on a candidate within the account's subtree, or within the unit
    /// `withinId` of it, once its transaction has committed. Reporting accounts may
    /// subscribe: the event carries no personal field.
    async fn act_recorded(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only acts on candidates of this unit's subtree.")] within_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ActRecorded>> + use<>> {
        let listening = Listening::start(ctx, within_id).await?;
        let (scope, within) = (listening.scope, listening.within);
        Ok(listening.stream(move |event| match event {
            Event::Recorded(r) if is_candidate_act(r) && reaches(&r.reach, scope, within) => {
                Some(ActRecorded(r.clone()))
            }
            _ => None,
        }))
    }

    /// Each candidate's next deadline within the account's subtree (or `withinId`) that
    /// falls due (today is its last day) or passes (its last day was yesterday), as the
    /// server's periodic check finds it; those already due when the subscription began are
    /// not repeated.
    async fn deadline_reached(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only deadlines of candidates of this unit's subtree.")] within_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<DeadlineReached>> + use<>> {
        let listening = Listening::start(ctx, within_id).await?;
        crate::events::deadlines::start_listening(ctx.db()?, &ctx.state()?.events).await?;
        let (scope, within) = (listening.scope, listening.within);
        Ok(listening.stream(move |event| match event {
            Event::Deadline(d) if reaches(&d.reach, scope, within) => Some(DeadlineReached(d.clone())),
            _ => None,
        }))
    }

    /// Each change to the figures of a report for the unit `unitId` (default: the
    /// account's own unit, or the whole tree for an administrator): which reports changed
    /// and where below it, so that a dashboard re-reads only those. A candidate who moved
    /// changes the figures of the unit left as well as of the unit joined.
    async fn report_figures_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit whose figures are watched.")] unit_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ReportFiguresChanged>> + use<>> {
        let listening = Listening::start(ctx, unit_id).await?;
        let (scope, within) = (listening.scope, listening.within);
        let watched = within.or(listening.own_unit);
        Ok(listening.stream(move |event| {
            let Event::Recorded(r) = event else {
                return None;
            };
            let reports = crate::domain::figures::changed_by(&r.entity_type, &r.act);
            if reports.is_empty() {
                return None;
            }
            // A change of the whole system (the rulebook, the calendar) reaches every unit.
            let global = r.unit_id.is_none();
            let changed_unit = if global || reaches(&r.reach, scope, within) {
                r.unit_id
            } else if reaches(&r.left_reach, scope, within) {
                r.left_unit_id
            } else {
                return None;
            };
            Some(ReportFiguresChanged {
                unit_id: watched,
                changed_unit_id: changed_unit,
                reports: reports.iter().map(|&r| r.into()).collect(),
                cause: r.act.clone(),
                occurred_at: r.occurred_at,
            })
        }))
    }
}

fn is_candidate_act(r: &Recorded) -> bool {
    r.entity_type == crate::audit::service::CANDIDATE && r.act != "readScan"
}

/// A subscription being set up: its account's scope, the unit it watches, its seat.
struct Listening {
    scope: Scope,
    within: Option<i32>,
    own_unit: Option<i32>,
    seat: Seat,
    receiver: tokio::sync::broadcast::Receiver<Event>,
    /// The subscription's loaders, emptied before each event so that it reads the records
    /// as they are then, not as an earlier event found them.
    loaders: Option<Arc<Loaders>>,
}

impl Listening {
    /// Check the account and the unit asked for (out of scope answers as missing), take a
    /// seat within the bounds and start listening.
    async fn start(ctx: &Context<'_>, within_id: Option<ID>) -> AppResult<Listening> {
        let actor = ctx.report_actor()?;
        let scope = actor.scope();
        let state = ctx.state()?;
        let within = within_id
            .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "withinId"))
            .transpose()?;
        if let Some(unit) = within {
            crate::access::find::<org_unit::Entity>(&state.db, scope, unit).await?;
        }
        let seats = ctx.data::<ConnectionSeats>().map_err(|_| {
            AppError::validation(
                "subscription",
                tr!(
                    "subscriptions are served over WebSocket only",
                    "lượt theo dõi (subscription) chỉ được phục vụ qua WebSocket"
                ),
            )
        })?;
        let (seat, receiver) = state.events.admit(actor.user_id, seats)?;
        crate::events::source::start_listening(&state.db, &state.events).await?;
        Ok(Listening {
            scope,
            within,
            own_unit: actor.unit_id,
            seat,
            receiver,
            loaders: ctx.data_opt::<Arc<Loaders>>().cloned(),
        })
    }

    /// The events `pick` keeps, until the subscriber falls too far behind (then one error
    /// says so and the subscription ends).
    fn stream<T, F>(self, pick: F) -> impl Stream<Item = async_graphql::Result<T>> + use<T, F>
    where
        T: Send + 'static,
        F: FnMut(&Event) -> Option<T> + Send + 'static,
    {
        let loaders = self.loaders;
        let state = (Some((self.seat, self.receiver)), pick);
        futures_util::stream::unfold(state, move |(open, mut pick)| {
            let loaders = loaders.clone();
            async move {
                let (seat, mut receiver) = open?;
                loop {
                    match receiver.recv().await {
                        Ok(event) => {
                            if let Some(item) = pick(&event) {
                                if let Some(loaders) = &loaders {
                                    loaders.forget();
                                }
                                return Some((Ok(item), (Some((seat, receiver)), pick)));
                            }
                        }
                        Err(RecvError::Lagged(missed)) => {
                            let err = AppError::LimitExceeded {
                                limit: Limit::SlowConsumer,
                                message: tr!(
                                    "the subscriber fell {missed} events behind and was dropped; subscribe again and re-read",
                                    "bên theo dõi đã chậm {missed} sự kiện nên bị ngắt; hãy theo dõi lại và đọc lại dữ liệu"
                                ),
                            };
                            return Some((Err(err.into()), (None, pick)));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        })
    }
}

/// The unit `id` as the subscriber may see it now; null when out of its scope.
async fn unit_in_scope(ctx: &Context<'_>, id: Option<i32>) -> async_graphql::Result<Option<OrgUnit>> {
    let Some(id) = id else { return Ok(None) };
    let scope = ctx.report_actor()?.scope();
    match crate::access::find::<org_unit::Entity>(ctx.db()?, scope, id).await {
        Ok(unit) => Ok(Some(OrgUnit(unit))),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// The candidate `id` for a staff account, as it may see it now; null once out of its scope.
async fn candidate_in_scope(ctx: &Context<'_>, id: i32) -> async_graphql::Result<Option<Candidate>> {
    let actor = ctx.actor()?;
    match crate::candidates::service::find(ctx.db()?, actor.scope(), id).await {
        Ok(c) => Ok(Some(Candidate(c))),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

pub struct ActRecorded(Arc<Recorded>);

/// An act recorded on a candidate.
#[Object]
impl ActRecorded {
    /// Number of the audit event, as the candidate's `timeline` numbers it.
    async fn event_id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The candidate acted on.
    async fn candidate_id(&self) -> ID {
        global_id(Candidate::TYPENAME, self.0.entity_id)
    }
    /// The candidate, for a staff account; null once outside what it may see (moved away).
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Candidate>> {
        candidate_in_scope(ctx, self.0.entity_id).await
    }
    /// The act, named as the mutation that did it (e.g. `signAdmissionDecision`).
    async fn act(&self) -> &str {
        &self.0.act
    }
    /// Where the candidate stands after the act.
    async fn stage(&self) -> Option<CandidateStage> {
        self.0.stage.map(Into::into)
    }
    /// The candidate's branch after the act.
    async fn unit_id(&self) -> Option<ID> {
        self.0.unit_id.map(|id| global_id(OrgUnit::TYPENAME, id))
    }
    /// The candidate's branch after the act; null when outside what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        unit_in_scope(ctx, self.0.unit_id).await
    }
    /// When the act was recorded (UTC).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

pub struct DeadlineReached(Arc<DueDeadline>);

/// A candidate's next deadline, due today or passed yesterday.
#[Object]
impl DeadlineReached {
    /// The candidate whose deadline it is.
    async fn candidate_id(&self) -> ID {
        global_id(Candidate::TYPENAME, self.0.candidate_id)
    }
    /// The candidate, for a staff account; null once outside what it may see.
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Candidate>> {
        candidate_in_scope(ctx, self.0.candidate_id).await
    }
    /// The step that is due.
    async fn kind(&self) -> DeadlineKind {
        self.0.kind.into()
    }
    /// The last day for it.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// Due today, or passed.
    async fn status(&self) -> DeadlineStatus {
        if self.0.overdue {
            DeadlineStatus::Overdue
        } else {
            DeadlineStatus::Due
        }
    }
    /// The candidate's branch.
    async fn unit_id(&self) -> ID {
        global_id(OrgUnit::TYPENAME, self.0.unit_id)
    }
    /// The candidate's branch; null when outside what the account may see.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        unit_in_scope(ctx, Some(self.0.unit_id)).await
    }
}

pub struct ReportFiguresChanged {
    unit_id: Option<i32>,
    changed_unit_id: Option<i32>,
    reports: Vec<Report>,
    cause: String,
    occurred_at: DateTime<Utc>,
}

/// The figures of some reports changed for the watched unit.
#[Object]
impl ReportFiguresChanged {
    /// The unit watched; null for an administrator watching the whole tree.
    async fn unit_id(&self) -> Option<ID> {
        self.unit_id.map(|id| global_id(OrgUnit::TYPENAME, id))
    }
    /// Where below it the change happened (a branch, a commune); null for a change of the
    /// whole system (the rulebook, the calendar).
    async fn changed_unit_id(&self) -> Option<ID> {
        self.changed_unit_id.map(|id| global_id(OrgUnit::TYPENAME, id))
    }
    /// The unit where the change happened; null when outside what the account may see.
    async fn changed_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrgUnit>> {
        unit_in_scope(ctx, self.changed_unit_id).await
    }
    /// The reports whose figures changed.
    async fn reports(&self) -> &[Report] {
        &self.reports
    }
    /// The act that changed them, named as its mutation.
    async fn cause(&self) -> &str {
        &self.cause
    }
    /// When it was recorded (UTC).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;
    use crate::settings::LiveSettings;

    fn event(id: i64) -> Event {
        Event::Recorded(Arc::new(Recorded {
            id,
            act: "addToSourceList".into(),
            entity_type: "Candidate".into(),
            entity_id: 1,
            unit_id: Some(7),
            left_unit_id: None,
            stage: None,
            occurred_at: Utc::now(),
            reach: vec![7, 1],
            left_reach: Vec::new(),
        }))
    }

    /// A hub whose subscribers may fall 4 events behind, and one subscription to it.
    fn listening_with_buffer_of_4() -> (crate::events::Hub, Listening) {
        let hub = crate::events::Hub::new(&LiveSettings {
            event_buffer: 4,
            ..LiveSettings::default()
        });
        let (seat, receiver) = hub.admit(1, &ConnectionSeats::default()).unwrap();
        let listening = Listening {
            scope: Scope::Subtree(1),
            within: None,
            own_unit: Some(1),
            seat,
            receiver,
            loaders: None,
        };
        (hub, listening)
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_dropped_with_one_error() {
        let (hub, listening) = listening_with_buffer_of_4();
        let stream = listening.stream(|e| match e {
            Event::Recorded(r) => Some(r.id),
            Event::Deadline(_) => None,
        });
        futures_util::pin_mut!(stream);
        for id in 0..10 {
            hub.publish(event(id));
        }
        let first = stream.next().await.expect("an item");
        let err = first.expect_err("the subscriber fell behind");
        assert!(err.message.contains("fell 6 events behind"), "{}", err.message);
        assert!(stream.next().await.is_none(), "and the subscription ended");
        assert_eq!(hub.subscriptions(), 0, "its seat is given back");
    }

    #[tokio::test]
    async fn a_subscriber_that_keeps_up_hears_every_event_in_order() {
        let (hub, listening) = listening_with_buffer_of_4();
        let stream = listening.stream(|e| match e {
            Event::Recorded(r) if r.id % 2 == 0 => Some(r.id),
            _ => None,
        });
        futures_util::pin_mut!(stream);
        for id in 0..4 {
            hub.publish(event(id));
        }
        assert_eq!(stream.next().await.unwrap().unwrap(), 0);
        assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    }
}
