//! Load benchmark: the real server on a fresh database with the demo data, driven over
//! HTTP by concurrent clients. Prints throughput and latency percentiles per scenario.
//!
//! `cargo bench --bench load` (SQLite in a temporary file), or with
//! `KETNAP_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketnap_bench` for
//! PostgreSQL (the database is created when missing and emptied first). Requests and
//! concurrency: `KETNAP_BENCH_REQUESTS` (default 2000 per scenario), `KETNAP_BENCH_CONCURRENCY`
//! (default 16). Traffic goes to 127.0.0.1 only.

use std::time::{Duration, Instant};

use ketnap::settings::{Secret, Settings};
use ketnap::startup::Application;
use serde_json::{Value, json};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Scenario {
    name: &'static str,
    query: &'static str,
    variables: Value,
}

async fn run(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    scenario: &Scenario,
    requests: usize,
    concurrency: usize,
) {
    let started = Instant::now();
    let mut handles = Vec::new();
    let per_worker = requests.div_ceil(concurrency);
    for _ in 0..concurrency {
        let (client, url, token) = (client.clone(), url.to_string(), token.to_string());
        let body = json!({ "query": scenario.query, "variables": scenario.variables });
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_worker);
            for _ in 0..per_worker {
                let t = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .expect("request");
                let value: Value = response.json().await.expect("JSON");
                assert!(value.get("errors").is_none(), "{value}");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for handle in handles {
        latencies.extend(handle.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{:<28} {:>6} req  {:>8.0} req/s  p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms",
        scenario.name,
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99)
    );
}

#[tokio::main]
async fn main() {
    let requests = env_usize("KETNAP_BENCH_REQUESTS", 2000);
    let concurrency = env_usize("KETNAP_BENCH_CONCURRENCY", 16);
    let dir = std::env::temp_dir().join(format!("ketnap-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = std::env::var("KETNAP_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.sqlite?mode=rwc", dir.display()));
    if url.starts_with("postgres") {
        use sea_orm::ConnectionTrait;
        let (base, name) = url.rsplit_once('/').expect("a database name");
        let admin = sea_orm::Database::connect(format!("{base}/postgres"))
            .await
            .expect("PostgreSQL");
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await
            .expect("drop");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create");
    }
    let mut settings = Settings::new(url.clone());
    settings.port = 0;
    settings.database.database_max_connections = 16;
    settings.auth.jwt_secret = Some(Secret::new("bench-signing-key-0123456789-abcdefghijkl"));
    let app = Application::build(settings).await.expect("server");
    let state = app.state().clone();
    let seeding = Instant::now();
    ketnap::seed::demo::seed(&state.db, &state.auth.passwords)
        .await
        .expect("demo data");
    println!(
        "database: {}  demo data loaded in {:.1} s",
        ketnap::db::redact_url(&url),
        seeding.elapsed().as_secs_f64()
    );
    let address = format!("http://127.0.0.1:{}/graphql", app.port());
    let server = tokio::spawn(app.run_until_stopped(std::future::pending()));

    let client = reqwest::Client::new();
    let login = |user: &str| json!({ "query": "mutation($u: String!) { login(input: {username: $u, password: \"ketnap-demo-2026\"}) { accessToken } }", "variables": { "u": user } });
    let token = |body: Value| {
        body["data"]["login"]["accessToken"]
            .as_str()
            .expect("a token")
            .to_string()
    };
    let district = token(
        client
            .post(&address)
            .json(&login("demo.district"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    let province = token(
        client
            .post(&address)
            .json(&login("demo.province"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    let units: Value = client
        .post(&address)
        .bearer_auth(&province)
        .json(&json!({ "query": "{ orgUnits(first: 100) { nodes { id code } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_of = |code: &str| {
        units["data"]["orgUnits"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == code)
            .unwrap()["id"]
            .clone()
    };

    println!("{requests} requests per scenario, {concurrency} concurrent clients\n");
    let scenarios = [
        Scenario {
            name: "me",
            query: "{ me { username role } }",
            variables: json!({}),
        },
        Scenario {
            name: "candidates (50, nested)",
            query: "query { candidates(first: 50) { totalCount nodes { id fullName stage branch { name } mentors { member { fullName } } documents { formCode } resolutions { kind approved } nextDeadline { kind dueOn } } } }",
            variables: json!({}),
        },
        Scenario {
            name: "deadlines (overdue)",
            query: "{ deadlines(first: 20, filter: {overdueOnly: true}) { totalCount nodes { kind dueOn candidate { fullName } } } }",
            variables: json!({}),
        },
        Scenario {
            name: "admissionProgress (YTD)",
            query: "query($u: ID!) { admissionProgress(unitId: $u, period: {yearToDate: \"2023-09-30\"}) { own { admitted ofTarget { text } } samePeriodLastYear children { rank admitted } } }",
            variables: json!({ "u": id_of("SL.BS") }),
        },
        Scenario {
            name: "newMemberBreakdown (city)",
            query: "query($u: ID!) { newMemberBreakdown(unitId: $u, period: {range: {from: \"2016-01-01\", to: \"2020-12-31\"}}) { total aged18To30 { text } ethnicity { key count } professionalLevel { key count } } }",
            variables: json!({ "u": id_of("SL.TP") }),
        },
    ];
    for scenario in &scenarios {
        let token = if scenario.name.contains("city") {
            &province
        } else {
            &district
        };
        run(&client, &address, token, scenario, requests, concurrency).await;
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
