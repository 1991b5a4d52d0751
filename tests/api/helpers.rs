//! The test harness: a real server on port 0 over a fresh database cloned from a migrated
//! and seeded template, and helpers to speak GraphQL to it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

use ketnap::settings::{Secret, Settings};
use ketnap::startup::Application;
use ketnap::state::AppState;

/// The signing key of test servers, so tests can forge tokens that differ in one respect.
pub const TEST_JWT_SECRET: &str = "test-signing-key-0123456789-abcdefghijklmnop";
pub const DEMO_PASSWORD: &str = ketnap::seed::demo::DEMO_PASSWORD;

/// Run each listed `async fn name(app: TestApp)` once on SQLite and once on PostgreSQL,
/// as `sqlite::name` and `postgres::name`; `with configure;` first adjusts the settings.
macro_rules! db_tests {
    (with $configure:path; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, $configure).await;
                    super::$name(app).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Postgres, $configure).await;
                    super::$name(app).await
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        db_tests!(with crate::helpers::defaults; $($name),*);
    };
}

/// Run each listed `async fn name(observed)` on a server built by `TestApp::$spawn`, which
/// hands the test what it observes of the server's SQL with the app, once on SQLite and once
/// on PostgreSQL, as `$module::sqlite::name` and `$module::postgres::name`.
macro_rules! observed_tests {
    ($module:ident, $spawn:ident; $($name:ident),* $(,)?) => {
        mod $module {
            mod sqlite {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let app = crate::helpers::TestApp::$spawn(crate::helpers::Backend::Sqlite).await;
                        super::super::$name(app).await
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let app = crate::helpers::TestApp::$spawn(crate::helpers::Backend::Postgres).await;
                        super::super::$name(app).await
                    }
                )*
            }
        }
    };
}

/// Run each listed `async fn name(counting: (TestApp, Arc<AtomicUsize>))` on a server whose
/// every SQL statement is counted, as `counting::sqlite::name` and `counting::postgres::name`.
macro_rules! counting_tests {
    ($($name:ident),* $(,)?) => {
        observed_tests!(counting, spawn_counting; $($name),*);
    };
}

/// Run each listed `async fn name(recording: (TestApp, Arc<Mutex<Vec<String>>>))` on a
/// server whose every SQL statement is kept, as `recording::sqlite::name` and
/// `recording::postgres::name`.
macro_rules! recording_tests {
    ($($name:ident),* $(,)?) => {
        observed_tests!(recording, spawn_recording; $($name),*);
    };
}

/// Tests of what does not depend on the database (the HTTP layer, the limits): run once, on
/// the embedded default (SQLite), as `server::name`.
macro_rules! server_tests {
    (with $configure:path; $($name:ident),* $(,)?) => {
        mod server {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, $configure).await;
                    super::$name(app).await
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        server_tests!(with crate::helpers::defaults; $($name),*);
    };
}

/// The test servers' settings as they are.
pub fn defaults(_: &mut Settings) {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
fn postgres_admin_url() -> String {
    std::env::var("KETNAP_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn postgres_url_for(database: &str) -> String {
    url_on(&postgres_admin_url(), database)
}

/// The URL of `database` on the server of `admin` (a URL with a database).
fn url_on(admin: &str, database: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    format!("{base}/{database}")
}

/// The replica pair of `scripts/replica-pair` (a primary and its streaming standby), started
/// when it is not running: the primary's URL and the standby's, without a database.
pub fn replica_pair() -> (String, String) {
    static PAIR: OnceLock<(String, String)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/replica-pair");
        let out = std::process::Command::new(script)
            .arg("start")
            .output()
            .expect("run scripts/replica-pair");
        assert!(
            out.status.success(),
            "scripts/replica-pair start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let field = |key: &str| {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .map(str::to_string)
                .unwrap_or_else(|| panic!("scripts/replica-pair printed no {key}: {text}"))
        };
        (field("primary="), field("standby="))
    })
    .clone()
}

/// Identifies this build of the test binary: templates are rebuilt whenever it changes,
/// so a migration or seed change never meets a stale template.
fn build_key() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let exe = std::env::current_exe().expect("the test binary knows its path");
        let meta = std::fs::metadata(&exe).expect("the test binary can be read");
        let mut hasher = DefaultHasher::new();
        (exe, meta.len(), meta.modified().ok()).hash(&mut hasher);
        format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
    })
}

fn test_settings(url: String) -> Settings {
    let mut settings = Settings::new(url);
    settings.port = 0;
    settings.database.database_max_connections = 5;
    settings.auth.jwt_secret = Some(Secret::new(TEST_JWT_SECRET));
    settings
}

/// Migrate and seed a new database at `url`.
async fn build_template(url: &str) -> DatabaseConnection {
    let settings = test_settings(url.to_string());
    let db = ketnap::db::connect(&settings.database)
        .await
        .expect("open the template database");
    ketnap::db::migrate(&db).await.expect("migrate the template database");
    let auth = ketnap::auth::Auth::from_settings(&settings).expect("auth machinery");
    // The tree, registries and accounts. Demo candidates are dated back from today, so
    // tests make their own instead.
    ketnap::seed::demo::seed_tree(&db, &auth.passwords)
        .await
        .expect("seed the template database");
    db
}

/// A database for one test, removed when the test ends.
enum TestDatabase {
    Sqlite {
        path: PathBuf,
    },
    /// On the server of `admin` (the tests' server, or the replica pair's primary).
    Postgres {
        name: String,
        admin: String,
    },
}

impl TestDatabase {
    fn url(&self) -> String {
        match self {
            TestDatabase::Sqlite { path } => format!("sqlite://{}?mode=rwc", path.display()),
            TestDatabase::Postgres { name, admin } => url_on(admin, name),
        }
    }

    async fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => Self::create_sqlite().await,
            Backend::Postgres => Self::create_postgres().await,
        }
    }

    async fn create_sqlite() -> TestDatabase {
        let dir = std::env::temp_dir().join("ketnap-tests");
        std::fs::create_dir_all(&dir).expect("create the test database folder");
        let template = dir.join(format!("template-{}.sqlite", build_key()));
        if !template.exists() {
            // Build under a private name, then rename: concurrent test processes never see
            // a half-built template.
            let partial = dir.join(format!("template-{}-{}.partial", build_key(), uuid::Uuid::new_v4()));
            let db = build_template(&format!("sqlite://{}?mode=rwc", partial.display())).await;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint the template");
            db.close().await.expect("close the template");
            std::fs::rename(&partial, &template).expect("publish the template");
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
            }
            // Templates of earlier builds are of no further use.
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with("template-") && name.ends_with(".sqlite") && entry.path() != template {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let path = dir.join(format!("test-{}.sqlite", uuid::Uuid::new_v4()));
        std::fs::copy(&template, &path).expect("copy the template database");
        TestDatabase::Sqlite { path }
    }

    async fn create_postgres() -> TestDatabase {
        let admin = Database::connect(postgres_admin_url()).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {} ({e}). Start it, set KETNAP_TEST_POSTGRES_URL, \
                 or run `scripts/test`, which runs the SQLite half alone and says so when PostgreSQL is absent.",
                postgres_admin_url()
            )
        });
        let template = format!("ketnap_tmpl_{}", build_key());
        // One process builds the template while the others wait on the advisory lock.
        admin
            .execute_unprepared("SELECT pg_advisory_lock(738201)")
            .await
            .expect("take the template lock");
        let exists = admin
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"),
            ))
            .await
            .expect("look for the template")
            .is_some();
        if !exists {
            let stale = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT datname FROM pg_database WHERE datname LIKE 'ketnap_tmpl_%'".to_string(),
                ))
                .await
                .expect("list old templates");
            for row in stale {
                let name: String = row.try_get("", "datname").expect("datname");
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
            }
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{template}\""))
                .await
                .expect("create the template");
            let db = build_template(&postgres_url_for(&template)).await;
            db.close().await.expect("close the template");
        }
        admin
            .execute_unprepared("SELECT pg_advisory_unlock(738201)")
            .await
            .expect("release the template lock");
        let name = format!("ketnap_t_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""))
            .await
            .expect("clone the template");
        admin.close().await.expect("close the admin connection");
        TestDatabase::Postgres {
            name,
            admin: postgres_admin_url(),
        }
    }

    /// A migrated database with the demo tree on the replica pair's primary, once its
    /// standby has replayed it.
    async fn create_on_pair(primary: &str, standby: &str) -> TestDatabase {
        let admin_url = format!("{primary}/postgres");
        let admin = Database::connect(&admin_url).await.expect("reach the pair's primary");
        let name = format!("ketnap_r_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create the database");
        admin.close().await.expect("close the admin connection");
        let database = TestDatabase::Postgres { name, admin: admin_url };
        build_template(&database.url()).await.close().await.expect("close");
        // The standby has all of it once it has replayed the primary's WAL up to here.
        let lsn_sql = |sql: &str| sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Postgres, sql.to_string());
        let admin = Database::connect(&format!("{primary}/postgres"))
            .await
            .expect("reach the pair's primary");
        let written: String = admin
            .query_one_raw(lsn_sql("SELECT pg_current_wal_lsn()::text AS lsn"))
            .await
            .expect("read the primary's position")
            .expect("a row")
            .try_get("", "lsn")
            .expect("a position");
        admin.close().await.expect("close the admin connection");
        let standby_admin = Database::connect(&format!("{standby}/postgres"))
            .await
            .expect("reach the standby");
        let caught_up = format!("SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn AS done");
        for _ in 0..100 {
            let done = standby_admin
                .query_one_raw(lsn_sql(&caught_up))
                .await
                .ok()
                .flatten()
                .and_then(|row| row.try_get::<bool>("", "done").ok());
            if done == Some(true) {
                standby_admin.close().await.expect("close the standby connection");
                return database;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the standby did not replay the new database");
    }

    fn name(&self) -> &str {
        match self {
            TestDatabase::Sqlite { .. } => "",
            TestDatabase::Postgres { name, .. } => name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            TestDatabase::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            TestDatabase::Postgres { name, admin } => {
                let (name, admin) = (name.clone(), admin.clone());
                // Drop runs inside the test's runtime; use a separate one on its own thread.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let admin = Database::connect(admin).await.ok()?;
                        admin
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .await
                            .ok()?;
                        admin.close().await.ok()
                    })
                })
                .join();
            }
        }
    }
}

/// A running server on its own database.
pub struct TestApp {
    pub address: String,
    /// `/metrics`'s own listener, when the settings give it one.
    pub metrics_address: Option<String>,
    pub state: AppState,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    // Declared last: dropped after the server has stopped.
    _database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Start a server with settings adjusted by `configure`.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        ketnap::telemetry::init_for_tests();
        let database = TestDatabase::create(backend).await;
        let mut settings = test_settings(database.url());
        configure(&mut settings);
        let app = Application::build(settings).await.expect("build the application");
        Self::run(app, database)
    }

    /// Start a server on a database of the replica pair's primary whose reports read its
    /// standby; `configure` adjusts the settings. Also the URL of the database on the
    /// standby.
    pub async fn spawn_with_replica(configure: impl FnOnce(&mut Settings)) -> (TestApp, String) {
        ketnap::telemetry::init_for_tests();
        let (primary, standby) = replica_pair();
        let database = TestDatabase::create_on_pair(&primary, &standby).await;
        let on_standby = url_on(&format!("{standby}/postgres"), database.name());
        let mut settings = test_settings(database.url());
        settings.database.read_database_url = Some(on_standby.clone());
        configure(&mut settings);
        let app = Application::build(settings).await.expect("build the application");
        (Self::run(app, database), on_standby)
    }

    /// Start a server whose every SQL statement is counted.
    pub async fn spawn_counting(backend: Backend) -> (TestApp, Arc<AtomicUsize>) {
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let app = Self::spawn_observing(backend, move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .await;
        (app, statements)
    }

    /// A server whose every SQL statement is kept, in the order run.
    pub async fn spawn_recording(backend: Backend) -> (TestApp, Arc<std::sync::Mutex<Vec<String>>>) {
        let statements = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = statements.clone();
        let app = Self::spawn_observing(backend, move |sql| {
            record.lock().expect("the record").push(sql.to_owned());
        })
        .await;
        (app, statements)
    }

    /// A server that hands every SQL statement it runs to `observe`.
    async fn spawn_observing(backend: Backend, observe: impl Fn(&str) + Clone + Send + Sync + 'static) -> TestApp {
        ketnap::telemetry::init_for_tests();
        let database = TestDatabase::create(backend).await;
        let settings = test_settings(database.url());
        let mut db = ketnap::db::connect(&settings.database)
            .await
            .expect("open the test database");
        let mut reports = ketnap::replica::ReportDatabase::open(&settings.database, &db)
            .await
            .expect("open the report pools");
        let observe = move |info: &sea_orm::metric::Info<'_>| {
            if std::env::var_os("TEST_SQL").is_some() {
                eprintln!("SQL {}", info.statement.sql.chars().take(90).collect::<String>());
            }
            observe(&info.statement.sql);
        };
        // Set before the connections are cloned into the server, so every clone counts: the
        // primary's and, on PostgreSQL, the report pool's.
        reports.set_metric_callback(observe.clone());
        db.set_metric_callback(observe);
        let app = Application::build_with_pools(settings, db, reports)
            .await
            .expect("build the application");
        Self::run(app, database)
    }

    fn run(app: Application, database: TestDatabase) -> TestApp {
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app.metrics_port().map(|port| format!("http://127.0.0.1:{port}"));
        let state = app.state().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until_stopped(async move {
                let _ = stopped.await;
            })
            .await
            .expect("the server runs");
        });
        TestApp {
            address,
            metrics_address,
            state,
            client: reqwest::Client::new(),
            stop: Some(stop),
            server: Some(server),
            _database: database,
        }
    }

    /// A second server on the same database, as a second instance of a deployment behind
    /// a balancer; it stops when dropped.
    pub async fn another_instance(&self) -> Instance {
        let settings = (*self.state.settings).clone();
        let app = Application::build(settings).await.expect("build the second instance");
        let address = format!("http://127.0.0.1:{}", app.port());
        let server = tokio::spawn(async move {
            let _ = app.run_until_stopped(std::future::pending::<()>()).await;
        });
        Instance { address, server }
    }

    /// POST a GraphQL request to this server or another instance; returns the JSON body.
    pub async fn graphql_at(&self, address: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{address}/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .expect("send the request")
            .json()
            .await
            .expect("a JSON response")
    }

    /// POST a GraphQL request; returns the JSON body.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.graphql_uploading_in(None, token, query, variables, &[]).await
    }

    /// POST a GraphQL request whose variables take files at `uploads` (dotted paths in the
    /// variables): as a multipart request (graphql-multipart-request-spec) with a small PDF
    /// in each file part, or as JSON when there are none. Returns the JSON body.
    pub async fn graphql_uploading(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        uploads: &[Vec<String>],
    ) -> Value {
        self.graphql_uploading_in(None, token, query, variables, uploads).await
    }

    /// [`TestApp::graphql_uploading`] with `Accept-Language: lang` (none when `None`).
    pub async fn graphql_uploading_in(
        &self,
        lang: Option<&str>,
        token: Option<&str>,
        query: &str,
        variables: Value,
        uploads: &[Vec<String>],
    ) -> Value {
        let request = self.client.post(format!("{}/graphql", self.address));
        let mut request = match lang {
            Some(lang) => request.header("accept-language", lang),
            None => request,
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if uploads.is_empty() {
            let body = json!({ "query": query, "variables": variables });
            let response = request.json(&body).send().await.expect("send the request");
            return response.json().await.expect("a JSON response");
        }
        let map: serde_json::Map<String, Value> = uploads
            .iter()
            .enumerate()
            .map(|(i, path)| (i.to_string(), json!([format!("variables.{}", path.join("."))])))
            .collect();
        let operations = json!({ "query": query, "variables": variables });
        let mut form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", Value::Object(map).to_string());
        for i in 0..uploads.len() {
            let part = reqwest::multipart::Part::bytes(b"%PDF-1.4\n%test\n".to_vec()).file_name("scan.pdf");
            form = form.part(i.to_string(), part);
        }
        let response = request.multipart(form).send().await.expect("send the request");
        response.json().await.expect("a JSON response")
    }

    /// Sign in; returns the whole `login` payload.
    pub async fn login(&self, username: &str, password: &str) -> Value {
        self.graphql(
            None,
            "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken refreshToken user { username role } } }",
            json!({ "u": username, "p": password }),
        )
        .await
    }

    /// Sign in as a demo account; returns its access token.
    pub async fn token_for(&self, username: &str) -> String {
        let body = self.login(username, DEMO_PASSWORD).await;
        body["data"]["login"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login as {username} failed: {body}"))
            .to_string()
    }

    /// The global ID of the unit with `code`, looked up as the administrator.
    pub async fn unit_id(&self, code: &str) -> String {
        let token = self.token_for("demo.admin").await;
        let body = self
            .graphql(
                Some(&token),
                "{ orgUnits(first: 100, filter: {includeClosed: true}) { nodes { id code } } }",
                json!({}),
            )
            .await;
        body["data"]["orgUnits"]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["code"] == code))
            .and_then(|n| n["id"].as_str())
            .unwrap_or_else(|| panic!("no unit with code {code}: {body}"))
            .to_string()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// Another server on a test's database.
pub struct Instance {
    pub address: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body}"))
}

/// Assert the response failed with `code` (and, for rule violations, `rule`).
#[track_caller]
pub fn assert_error(body: &Value, code: &str) {
    assert_eq!(error_code(body), code, "{body}");
}

#[track_caller]
pub fn assert_rule(body: &Value, rule: &str) {
    assert_eq!(error_code(body), "RULE_VIOLATION", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["rule"], rule, "{body}");
}

#[track_caller]
pub fn assert_ok(body: &Value) {
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
}
