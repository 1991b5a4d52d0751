//! Subscriptions over graphql-transport-ws: a district hears the acts of its own branches
//! and of no other district, on either instance of a deployment; deadlines falling due;
//! report figures changing; an expired token ends the connection; the bounds hold.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{TestApp, assert_ok};
use crate::workflow::{Roles, act_ok, person};

/// How long a test waits for an event before it says none came.
const PATIENCE: Duration = Duration::from_secs(10);

/// A graphql-transport-ws client, as the `graphql-ws` library speaks it.
pub struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What the server sent, once the heartbeats are set aside.
#[derive(Debug)]
pub enum Heard {
    Message(Value),
    Closed(u16, String),
}

impl Socket {
    /// Open `/graphql` of the server at `address` and send `connection_init` with `payload`.
    pub async fn open(address: &str, payload: Value) -> Socket {
        let url = format!("{}/graphql", address.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("a WebSocket request");
        request
            .headers_mut()
            .insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
        let (ws, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("open the WebSocket");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws")
        );
        let mut socket = Socket { ws };
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        socket
    }

    /// Open and sign in with `token`; wait for `connection_ack`.
    pub async fn signed_in(address: &str, token: &str) -> Socket {
        let mut socket = Socket::open(address, json!({ "authorization": format!("Bearer {token}") })).await;
        match socket.next().await {
            Heard::Message(m) if m["type"] == "connection_ack" => socket,
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }

    pub async fn send(&mut self, message: Value) {
        self.ws
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send a message");
    }

    /// Start the operation `query` as `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message or the close, within [`PATIENCE`].
    pub async fn next(&mut self) -> Heard {
        self.next_within(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("nothing heard within {PATIENCE:?}"))
    }

    /// The next message or the close within `wait`, if any.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Heard> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.ws.next()).await.ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Some(Heard::Message(serde_json::from_str(&text).expect("a JSON message")));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((1005, String::new()), |f| (f.code.into(), f.reason.to_string()));
                    return Some(Heard::Closed(code, reason));
                }
                Some(Ok(_)) => continue, // pings (answered by the library) and pongs
                Some(Err(_)) | None => return Some(Heard::Closed(1006, "the connection dropped".into())),
            }
        }
    }

    /// The payload of the next `next` message for `id` (other ids' are skipped).
    pub async fn event(&mut self, id: &str) -> Value {
        loop {
            match self.next().await {
                Heard::Message(m) if m["type"] == "next" && m["id"] == id => return m["payload"].clone(),
                Heard::Message(m) if m["id"] != id => continue,
                other => panic!("expected an event for {id}, got {other:?}"),
            }
        }
    }

    /// Nothing more for `id` within `wait`.
    pub async fn quiet(&mut self, id: &str, wait: Duration) {
        while let Some(heard) = self.next_within(wait).await {
            if let Heard::Message(m) = &heard
                && m["id"] != id
            {
                continue;
            }
            panic!("expected nothing for {id}, got {heard:?}");
        }
    }
}

/// Subscribe with `query` as `id`, let the subscription stand, have the demo branch list
/// `name`; the event heard for `id`, and the candidate listed.
async fn hear_a_listing(app: &TestApp, socket: &mut Socket, id: &str, query: &str, name: &str) -> (Value, Value) {
    socket.subscribe(id, query, json!({})).await;
    // Acts committed once the subscription stands are heard; give it a moment to.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let branch = app.token_for("demo.branch").await;
    let candidate = act_ok(
        app,
        &branch,
        "addToSourceList",
        person(name, "1999-04-04", "2024-03-01"),
    )
    .await;
    (socket.event(id).await, candidate)
}

const ACTS: &str = "subscription($w: ID) { actRecorded(withinId: $w) { eventId candidateId act stage unitId occurredAt unit { code } } }";

/// The district hears an act of its branch, with no personal field, and not one recorded
/// in another district; so does a second instance's subscriber.
async fn a_district_hears_its_own_branches_only(app: TestApp) {
    let roles = Roles::of(&app).await;
    let elsewhere = app.token_for("demo.banmoi").await;
    let other_instance = app.another_instance().await;
    let mut here = Socket::signed_in(&app.address, &roles.district).await;
    let mut there = Socket::signed_in(&other_instance.address, &roles.district).await;
    here.subscribe("acts", ACTS, json!({})).await;
    there.subscribe("acts", ACTS, json!({})).await;
    // Acts committed once the subscriptions stand are heard; give them a moment to.
    tokio::time::sleep(Duration::from_millis(300)).await;

    act_ok(
        &app,
        &elsewhere,
        "addToSourceList",
        person("Lò Văn Khác", "1998-03-03", "2024-03-01"),
    )
    .await;
    let candidate = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Thị Nghe", "1999-04-04", "2024-03-01"),
    )
    .await;
    for socket in [&mut here, &mut there] {
        let event = socket.event("acts").await;
        assert!(event.get("errors").is_none(), "{event}");
        let heard = &event["data"]["actRecorded"];
        assert_eq!(
            heard["candidateId"], candidate["id"],
            "the act of the other district came first: {heard}"
        );
        assert_eq!(heard["act"], "addToSourceList");
        assert_eq!(heard["stage"], "SOURCE_LIST");
        assert_eq!(heard["unit"]["code"], "SL.BS.TL.NL");
        socket.quiet("acts", Duration::from_millis(700)).await;
    }
}

/// A subscription within a unit outside the account's subtree is refused as a missing unit.
async fn a_unit_out_of_scope_is_not_found(app: TestApp) {
    let roles = Roles::of(&app).await;
    let elsewhere = app.unit_id("SL.PS").await;
    let mut socket = Socket::signed_in(&app.address, &roles.district).await;
    socket.subscribe("x", ACTS, json!({ "w": elsewhere })).await;
    match socket.next().await {
        Heard::Message(m) if m["type"] == "next" => {
            assert_eq!(m["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND", "{m}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A reporting account hears the act, and is refused the candidate behind it.
async fn a_reporting_account_hears_no_person(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (token, _) = crate::reports::reporter(&app, &roles).await;
    let mut socket = Socket::signed_in(&app.address, &token).await;
    let query = "subscription { actRecorded { act unitId candidate { fullName } } }";
    let (event, _) = hear_a_listing(&app, &mut socket, "acts", query, "Lò Thị Kín").await;
    assert_eq!(event["data"]["actRecorded"]["act"], "addToSourceList", "{event}");
    assert_eq!(event["data"]["actRecorded"]["candidate"], Value::Null, "{event}");
    assert_eq!(event["errors"][0]["extensions"]["code"], "FORBIDDEN", "{event}");
}

/// The district's figures change when its branch lists a candidate: the pipeline and the
/// funnel, at the branch.
async fn report_figures_name_what_changed(app: TestApp) {
    let roles = Roles::of(&app).await;
    let mut socket = Socket::signed_in(&app.address, &roles.district).await;
    let query = "subscription { reportFiguresChanged { unitId changedUnit { code } reports cause } }";
    let (event, _) = hear_a_listing(&app, &mut socket, "figures", query, "Lò Thị Số").await;
    let changed = &event["data"]["reportFiguresChanged"];
    assert_eq!(changed["unitId"], app.unit_id("SL.BS").await.as_str(), "{event}");
    assert_eq!(changed["changedUnit"]["code"], "SL.BS.TL.NL");
    assert_eq!(changed["cause"], "addToSourceList");
    assert_eq!(changed["reports"], json!(["ADMISSION_FUNNEL", "PIPELINE_SUMMARY"]));
}

fn quick_deadline_checks(settings: &mut ketnap::settings::Settings) {
    settings.live.deadline_check_secs = 1;
}

/// A deadline that falls due is told once, to the district above the candidate.
async fn a_deadline_falling_due_is_told(app: TestApp) {
    let roles = Roles::of(&app).await;
    let candidate = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Thị Hạn", "1999-04-04", "2024-03-01"),
    )
    .await;
    let mut socket = Socket::signed_in(&app.address, &roles.district).await;
    socket
        .subscribe(
            "due",
            "subscription { deadlineReached { candidateId kind dueOn status unit { code } } }",
            json!({}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The stored deadline as an act of the branch would leave it, due today.
    let (_, id) =
        ketnap::graphql::relay::parse_global_id(&async_graphql::ID(candidate["id"].as_str().unwrap().to_string()))
            .unwrap();
    let today = ketnap::clock::today();
    let db = &app.state.db;
    let statement = sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE candidate SET next_due_on = $1, next_due_kind = 'ADMISSION_DECISION' WHERE id = $2"
            }
            _ => "UPDATE candidate SET next_due_on = ?, next_due_kind = 'ADMISSION_DECISION' WHERE id = ?",
        },
        [today.into(), id.into()],
    );
    sea_orm::ConnectionTrait::execute_raw(db, statement).await.unwrap();
    let event = socket.event("due").await;
    let due = &event["data"]["deadlineReached"];
    assert_eq!(due["candidateId"], candidate["id"], "{event}");
    assert_eq!(due["status"], "DUE");
    assert_eq!(due["kind"], "ADMISSION_DECISION");
    assert_eq!(due["dueOn"], today.to_string());
    assert_eq!(due["unit"]["code"], "SL.BS.TL.NL");
    socket.quiet("due", Duration::from_millis(2500)).await;
}

fn short_tokens(settings: &mut ketnap::settings::Settings) {
    settings.auth.access_token_ttl_secs = 3;
}

/// The connection closes (4403) when its token expires; a bad token is refused (4401).
async fn an_expired_token_ends_the_subscription(app: TestApp) {
    let token = app.token_for("demo.district").await;
    let mut socket = Socket::signed_in(&app.address, &token).await;
    socket.subscribe("acts", ACTS, json!({})).await;
    match socket.next().await {
        Heard::Closed(code, reason) => assert_eq!(code, 4403, "{reason}"),
        other => panic!("expected the connection to close, got {other:?}"),
    }
    let mut refused = Socket::open(&app.address, json!({ "authorization": "Bearer not-a-token" })).await;
    match refused.next().await {
        Heard::Closed(code, _) => assert_eq!(code, 4401),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let mut anonymous = Socket::open(&app.address, json!({})).await;
    match anonymous.next().await {
        Heard::Closed(code, _) => assert_eq!(code, 4401),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn quick_heartbeat(settings: &mut ketnap::settings::Settings) {
    settings.live.heartbeat_secs = 1;
}

/// A reporting account's API token revoked while it listens loses its connection (4403) at
/// the next check, every two heartbeats; a staff connection beside it stays. (A staff
/// account's access token lapses within its lifetime, as over HTTP: README, "Signing in".)
async fn a_revoked_token_stops_hearing(app: TestApp) {
    let roles = Roles::of(&app).await;
    let (token, token_id) = crate::reports::reporter(&app, &roles).await;
    let mut revoked = Socket::signed_in(&app.address, &token).await;
    revoked.subscribe("acts", ACTS, json!({})).await;
    let mut staying = Socket::signed_in(&app.address, &roles.district).await;
    staying.subscribe("acts", ACTS, json!({})).await;
    // Both still listen after a check has passed (each read all along, so each answers the
    // heartbeat).
    tokio::join!(
        revoked.quiet("acts", Duration::from_millis(2500)),
        staying.quiet("acts", Duration::from_millis(2500)),
    );
    let body = app
        .graphql(
            Some(&roles.district),
            "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { __typename } }",
            json!({ "id": token_id }),
        )
        .await;
    assert_ok(&body);
    let (heard, ()) = tokio::join!(
        revoked.next_within(Duration::from_secs(6)),
        staying.quiet("acts", Duration::from_secs(5)),
    );
    match heard {
        Some(Heard::Closed(code, reason)) => assert_eq!(code, 4403, "{reason}"),
        other => panic!("expected the revoked token's connection to close, got {other:?}"),
    }
}

fn two_per_connection(settings: &mut ketnap::settings::Settings) {
    settings.live.max_subscriptions_per_connection = 2;
    settings.live.max_subscriptions_per_account = 3;
}

/// Subscriptions are bounded per connection and per account; a finished one gives its seat
/// back. (A subscriber that falls behind is dropped: `live::graphql`'s unit tests.)
async fn subscriptions_are_bounded(app: TestApp) {
    let roles = Roles::of(&app).await;
    let mut first = Socket::signed_in(&app.address, &roles.district).await;
    // Started together, subscriptions take their seats in no set order: one at a time.
    first.subscribe("a", ACTS, json!({})).await;
    first.subscribe("b", ACTS, json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.subscribe("c", ACTS, json!({})).await;
    let refused = first.event("c").await;
    assert_eq!(
        refused["errors"][0]["extensions"]["limit"], "SUBSCRIPTIONS",
        "{refused}"
    );
    let mut second = Socket::signed_in(&app.address, &roles.district).await;
    second.subscribe("d", ACTS, json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    second.subscribe("e", ACTS, json!({})).await;
    let refused = second.event("e").await;
    assert_eq!(
        refused["errors"][0]["extensions"]["limit"], "SUBSCRIPTIONS",
        "{refused}"
    );
    first.send(json!({ "id": "a", "type": "complete" })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    second.subscribe("f", ACTS, json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let candidate = act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Thị Chỗ", "1999-04-04", "2024-03-01"),
    )
    .await;
    let event = second.event("f").await;
    assert_eq!(event["data"]["actRecorded"]["candidateId"], candidate["id"], "{event}");
}

/// Each event is read afresh: a later act's event shows what the earlier acts changed, not
/// what the subscription read for an earlier event.
async fn each_event_reads_the_records_anew(app: TestApp) {
    let roles = Roles::of(&app).await;
    let mut socket = Socket::signed_in(&app.address, &roles.district).await;
    let query = "subscription { actRecorded { act candidate { mentors { member { id } } } } }";
    let (event, candidate) = hear_a_listing(&app, &mut socket, "acts", query, "Lò Thị Mới").await;
    assert_eq!(
        event["data"]["actRecorded"]["candidate"]["mentors"],
        json!([]),
        "{event}"
    );
    let members = crate::workflow::official_members(&app, &roles.branch, "SL.BS.TL.NL").await;
    act_ok(
        &app,
        &roles.branch,
        "assignMentor",
        json!({ "candidateId": candidate["id"], "memberId": members[0], "assignedOn": "2024-03-02" }),
    )
    .await;
    let event = socket.event("acts").await;
    assert_eq!(event["data"]["actRecorded"]["act"], "assignMentor", "{event}");
    assert_eq!(
        event["data"]["actRecorded"]["candidate"]["mentors"],
        json!([{ "member": { "id": members[0] } }]),
        "{event}"
    );
}

fn two_at_once(settings: &mut ketnap::settings::Settings) {
    settings.limits.max_batch = 2;
}

/// Queries over one connection run at most as many at once as a batch may hold: of five sent
/// in one write, two run and three are refused (`QUERY_LIMIT_EXCEEDED`, limit `BATCH`); once
/// answered, their seats are free again.
async fn queries_on_a_connection_are_bounded(app: TestApp) {
    let token = app.token_for("demo.district").await;
    let mut socket = Socket::signed_in(&app.address, &token).await;
    let query = "{ candidates(first: 100) { totalCount } }";
    for id in ["q1", "q2", "q3", "q4", "q5"] {
        let message = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
        socket.ws.feed(Message::text(message.to_string())).await.unwrap();
    }
    socket.ws.flush().await.unwrap();
    let (mut answered, mut refused) = (0, 0);
    while answered + refused < 5 {
        let Heard::Message(message) = socket.next().await else {
            panic!("the connection closed");
        };
        if message["type"] != "next" {
            continue;
        }
        let payload = &message["payload"];
        if payload["data"]["candidates"]["totalCount"].is_number() {
            answered += 1;
        } else {
            assert_eq!(
                payload["errors"][0]["extensions"]["code"], "QUERY_LIMIT_EXCEEDED",
                "{message}"
            );
            assert_eq!(payload["errors"][0]["extensions"]["limit"], "BATCH", "{message}");
            refused += 1;
        }
    }
    assert_eq!((answered, refused), (2, 3));
    socket.subscribe("again", query, json!({})).await;
    let again = socket.event("again").await;
    assert!(again["data"]["candidates"]["totalCount"].is_number(), "{again}");
}

db_tests!(
    a_district_hears_its_own_branches_only,
    a_unit_out_of_scope_is_not_found,
    a_reporting_account_hears_no_person,
    report_figures_name_what_changed,
    each_event_reads_the_records_anew,
);

mod deadlines {
    use super::*;
    db_tests!(with super::quick_deadline_checks; a_deadline_falling_due_is_told);
}

mod expiry {
    use super::*;
    server_tests!(with super::short_tokens; an_expired_token_ends_the_subscription);
}

mod closed {
    use super::*;
    server_tests!(with super::quick_heartbeat; a_revoked_token_stops_hearing);
}

mod at_once {
    use super::*;
    server_tests!(with super::two_at_once; queries_on_a_connection_are_bounded);
}

mod bounded {
    use super::*;
    server_tests!(with super::two_per_connection; subscriptions_are_bounded);
}
