//! Typed settings. Each has a default, may be set from the environment (`KETNAP_…`) and is
//! overridden by a command-line flag; clap applies that order. Settings are passed down
//! explicitly, never read from a global. Secrets are redacted from `Debug` output.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Where the bytes of scanned papers are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileStorage {
    /// In the database itself, in chunks (the default: the embedded default stays one file).
    Database,
    /// In a directory of the server's (`--file-directory`), one file per version.
    Directory,
}

/// Scanned papers: where they are kept and how large they may be.
#[derive(Debug, Clone, Args)]
pub struct FileSettings {
    /// Where the bytes of uploaded scans are kept: `database` or `directory`.
    #[arg(long, env = "KETNAP_FILE_STORAGE", value_enum, default_value_t = FileStorage::Database)]
    pub file_storage: FileStorage,

    /// The directory scans are kept in with `--file-storage directory` (created if missing).
    #[arg(long, env = "KETNAP_FILE_DIRECTORY")]
    pub file_directory: Option<std::path::PathBuf>,

    /// Largest scan, in bytes.
    #[arg(long, env = "KETNAP_MAX_FILE_BYTES", default_value_t = FileSettings::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: u64,

    /// Most bytes of scans one candidate's dossier may hold, every version counted.
    #[arg(long, env = "KETNAP_MAX_CANDIDATE_FILE_BYTES", default_value_t = FileSettings::DEFAULT_MAX_CANDIDATE_FILE_BYTES)]
    pub max_candidate_file_bytes: u64,

    /// Most files one request may upload.
    #[arg(long, env = "KETNAP_MAX_FILES_PER_REQUEST", default_value_t = 4)]
    pub max_files_per_request: usize,
}

impl FileSettings {
    pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
    pub const DEFAULT_MAX_CANDIDATE_FILE_BYTES: u64 = 100 * 1024 * 1024;

    /// The largest multipart body a request may send: its files and its operations.
    pub fn max_multipart_bytes(&self, max_body_bytes: usize) -> usize {
        let files = self.max_file_bytes.saturating_mul(self.max_files_per_request as u64);
        usize::try_from(files)
            .unwrap_or(usize::MAX)
            .saturating_add(max_body_bytes)
    }
}

impl Default for FileSettings {
    fn default() -> Self {
        FileSettings {
            file_storage: FileStorage::Database,
            file_directory: None,
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
            max_candidate_file_bytes: Self::DEFAULT_MAX_CANDIDATE_FILE_BYTES,
            max_files_per_request: 4,
        }
    }
}

/// The origins of the usual local development servers (Vite, Create React App, Angular),
/// allowed in dev mode when no origin is set.
pub const DEV_ORIGINS: [&str; 6] = [
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://localhost:4200",
    "http://127.0.0.1:4200",
];

/// How the server runs: `dev` favours a quick start, `production` refuses unsafe settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Dev,
    Production,
}

/// A secret value: parsed like a string, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseSettings {
    /// Database URL: `sqlite://FILE?mode=rwc` (the embedded default, created when missing)
    /// or `postgres://user@host:5432/db`.
    #[arg(long, env = "KETNAP_DATABASE_URL", default_value = DatabaseSettings::DEFAULT_URL)]
    pub database_url: String,

    /// Largest number of pooled database connections.
    #[arg(long, env = "KETNAP_DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,

    /// When SQLite acknowledges a write: `full` (the default) once it is on disk, so a
    /// power loss or OS crash cannot take back an acknowledged act; `normal` sooner,
    /// and the last acts before such a crash may be lost (a killed process loses
    /// nothing either way). PostgreSQL follows its server's `synchronous_commit`.
    #[arg(long, env = "KETNAP_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteDurability::Full)]
    pub sqlite_synchronous: SqliteDurability,

    /// PostgreSQL only: a read replica (a streaming standby of the primary) that answers
    /// the reports, so that a province's dashboards do not load the database every act
    /// writes to. Without it, reports read the primary.
    #[arg(long, env = "KETNAP_READ_DATABASE_URL")]
    pub read_database_url: Option<String>,

    /// How far behind the primary, in seconds, the replica may be for a report to read it;
    /// further behind, reports read the primary until it catches up. Each report states
    /// where it was read and how old its figures may be.
    #[arg(long, env = "KETNAP_READ_MAX_LAG_SECS", default_value_t = 30)]
    pub read_max_lag_secs: u32,

    /// PostgreSQL only: pooled connections for reports (on the replica when one is set,
    /// otherwise a pool of their own on the primary).
    #[arg(long, env = "KETNAP_REPORT_MAX_CONNECTIONS", default_value_t = 4)]
    pub report_max_connections: u32,

    /// PostgreSQL only: the working memory of a report's sorts and groupings
    /// (`work_mem`), so that a province's term breakdown sorts in memory.
    #[arg(long, env = "KETNAP_REPORT_WORK_MEM", default_value = "32MB")]
    pub report_work_mem: String,
}

/// SQLite's `synchronous` setting in WAL mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteDurability {
    Full,
    Normal,
}

impl DatabaseSettings {
    pub const DEFAULT_URL: &'static str = "sqlite://ketnap.sqlite?mode=rwc";

    pub fn new(database_url: impl Into<String>) -> Self {
        DatabaseSettings {
            database_url: database_url.into(),
            database_max_connections: 10,
            sqlite_synchronous: SqliteDurability::Full,
            read_database_url: None,
            read_max_lag_secs: 30,
            report_max_connections: 4,
            report_work_mem: "32MB".into(),
        }
    }
}

/// Password hashing and tokens.
#[derive(Debug, Clone, Args)]
pub struct AuthSettings {
    /// HMAC key that signs access tokens (at least 32 bytes). Required in production;
    /// in dev mode a random key is generated at each start when it is missing.
    #[arg(long, env = "KETNAP_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// `iss` claim of access tokens.
    #[arg(long, env = "KETNAP_JWT_ISSUER", default_value = "ketnap")]
    pub jwt_issuer: String,

    /// `aud` claim of access tokens.
    #[arg(long, env = "KETNAP_JWT_AUDIENCE", default_value = "ketnap-api")]
    pub jwt_audience: String,

    /// Lifetime of an access token in seconds (at most 900).
    #[arg(long, env = "KETNAP_ACCESS_TOKEN_TTL_SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(30..=900))]
    pub access_token_ttl_secs: u64,

    /// Lifetime of a refresh token in hours; each refresh issues a new one.
    #[arg(long, env = "KETNAP_REFRESH_TOKEN_TTL_HOURS", default_value_t = 24 * 14,
          value_parser = clap::value_parser!(u64).range(1..=24 * 366))]
    pub refresh_token_ttl_hours: u64,

    /// Longest a session lasts from its sign-in, however often it is refreshed; then the
    /// user signs in again.
    #[arg(long, env = "KETNAP_SESSION_MAX_HOURS", default_value_t = 24 * 30,
          value_parser = clap::value_parser!(u64).range(1..=24 * 366))]
    pub session_max_hours: u64,

    /// Password hashes computed at once; more requests wait.
    #[arg(long, env = "KETNAP_PASSWORD_HASH_CONCURRENCY", default_value_t = 2)]
    pub password_hash_concurrency: usize,

    /// Failed logins allowed per account in one throttle window.
    #[arg(long, env = "KETNAP_LOGIN_FAILURES_PER_ACCOUNT", default_value_t = 5)]
    pub login_failures_per_account: u32,

    /// Failed logins allowed per client address in one throttle window.
    #[arg(long, env = "KETNAP_LOGIN_FAILURES_PER_ADDRESS", default_value_t = 20)]
    pub login_failures_per_address: u32,

    /// Length of the failed-login throttle window in seconds.
    #[arg(long, env = "KETNAP_LOGIN_THROTTLE_WINDOW_SECS", default_value_t = 900)]
    pub login_throttle_window_secs: u64,

    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    #[arg(long, env = "KETNAP_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Reporting accounts: breakdown cells (and sums of cells) from 1 to this count minus
    /// one are withheld, unless the account sets its own. Staff are unaffected.
    #[arg(long, env = "KETNAP_REPORTING_MIN_CELL_SIZE", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub reporting_min_cell_size: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            jwt_secret: None,
            jwt_issuer: "ketnap".into(),
            jwt_audience: "ketnap-api".into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_hours: 24 * 14,
            session_max_hours: 24 * 30,
            password_hash_concurrency: 2,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_throttle_window_secs: 900,
            trust_forwarded_for: false,
            reporting_min_cell_size: 3,
        }
    }
}

/// Bounds on what one request may ask.
#[derive(Debug, Clone, Args)]
pub struct LimitSettings {
    /// Deepest selection nesting allowed.
    #[arg(long, env = "KETNAP_MAX_QUERY_DEPTH", default_value_t = 15)]
    pub max_query_depth: usize,

    /// Largest query complexity (each field 1; a connection multiplies by `first`).
    #[arg(long, env = "KETNAP_MAX_QUERY_COMPLEXITY", default_value_t = 10_000)]
    pub max_query_complexity: usize,

    /// Most aliased fields in one document.
    #[arg(long, env = "KETNAP_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,

    /// Most root fields in one operation.
    #[arg(long, env = "KETNAP_MAX_ROOT_FIELDS", default_value_t = 20)]
    pub max_root_fields: usize,

    /// Largest GraphQL document (the `query` text) in bytes.
    #[arg(long, env = "KETNAP_MAX_DOCUMENT_BYTES", default_value_t = 64 * 1024)]
    pub max_document_bytes: usize,

    /// Most lexical tokens in one document, counted before it is parsed.
    #[arg(long, env = "KETNAP_MAX_DOCUMENT_TOKENS", default_value_t = 10_000)]
    pub max_document_tokens: usize,

    /// Most selections (fields and directives) an operation holds once its fragments are
    /// expanded, counted without expanding them.
    #[arg(long, env = "KETNAP_MAX_EXPANDED_SELECTIONS", default_value_t = 5_000)]
    pub max_expanded_selections: usize,

    /// Most directives on one field.
    #[arg(long, env = "KETNAP_MAX_DIRECTIVES_PER_FIELD", default_value_t = 5)]
    pub max_directives_per_field: usize,

    /// Most values (every number, string and list item) in one request's variables.
    #[arg(long, env = "KETNAP_MAX_VARIABLE_VALUES", default_value_t = 10_000)]
    pub max_variable_values: usize,

    /// Most operations in one batched request.
    #[arg(long, env = "KETNAP_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,

    /// Largest request body in bytes.
    #[arg(long, env = "KETNAP_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Seconds a request may run before it is abandoned.
    #[arg(long, env = "KETNAP_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Serve schema introspection (default: on in dev mode, off in production).
    #[arg(long, env = "KETNAP_INTROSPECTION")]
    pub introspection: Option<bool>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            max_query_depth: 15,
            max_query_complexity: 10_000,
            max_aliases: 30,
            max_root_fields: 20,
            max_document_bytes: 64 * 1024,
            max_document_tokens: 10_000,
            max_expanded_selections: 5_000,
            max_directives_per_field: 5,
            max_variable_values: 10_000,
            max_batch: 10,
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            introspection: None,
        }
    }
}

impl LimitSettings {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

/// Subscriptions (GraphQL over WebSocket): their bounds and their clocks.
#[derive(Debug, Clone, Args)]
pub struct LiveSettings {
    /// Most subscriptions one WebSocket connection may hold at once.
    #[arg(long, env = "KETNAP_MAX_SUBSCRIPTIONS_PER_CONNECTION", default_value_t = 10)]
    pub max_subscriptions_per_connection: usize,

    /// Most subscriptions one account may hold at once, over all its connections to this process.
    #[arg(long, env = "KETNAP_MAX_SUBSCRIPTIONS_PER_ACCOUNT", default_value_t = 30)]
    pub max_subscriptions_per_account: usize,

    /// Seconds between the server's heartbeats (WebSocket pings); a connection that answers
    /// nothing for two of them is closed.
    #[arg(long, env = "KETNAP_HEARTBEAT_SECS", default_value_t = 30)]
    pub heartbeat_secs: u64,

    /// Seconds between two checks of the deadlines falling due.
    #[arg(long, env = "KETNAP_DEADLINE_CHECK_SECS", default_value_t = 60)]
    pub deadline_check_secs: u64,

    /// Events a subscriber may fall behind by before it is dropped as too slow.
    #[arg(long, env = "KETNAP_EVENT_BUFFER", default_value_t = 256)]
    pub event_buffer: usize,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            max_subscriptions_per_connection: 10,
            max_subscriptions_per_account: 30,
            heartbeat_secs: 30,
            deadline_check_secs: 60,
            event_buffer: 256,
        }
    }
}

/// Everything `ketnap serve` needs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// `dev` (the default) or `production`.
    #[arg(long, env = "KETNAP_MODE", value_enum, default_value_t = Mode::Dev)]
    pub mode: Mode,

    /// Address to listen on.
    #[arg(long, env = "KETNAP_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "KETNAP_PORT", default_value_t = 8080)]
    pub port: u16,

    #[command(flatten)]
    pub database: DatabaseSettings,

    #[command(flatten)]
    pub auth: AuthSettings,

    #[command(flatten)]
    pub limits: LimitSettings,

    #[command(flatten)]
    pub files: FileSettings,

    #[command(flatten)]
    pub live: LiveSettings,

    /// Serve `/metrics` on a listener of its own at this address (`127.0.0.1:9464`), not on
    /// the API's port.
    #[arg(long, env = "KETNAP_METRICS_ADDRESS")]
    pub metrics_address: Option<std::net::SocketAddr>,

    /// Require this bearer token of whoever scrapes `/metrics`; with neither setting,
    /// `/metrics` is served on the API's port in dev mode only.
    #[arg(long, env = "KETNAP_METRICS_TOKEN")]
    pub metrics_token: Option<Secret>,

    /// How many documents automatic persisted queries remember (0 turns them off).
    #[arg(long, env = "KETNAP_PERSISTED_QUERY_CACHE", default_value_t = 1000)]
    pub persisted_query_cache: usize,

    /// Trusted documents: a manifest of the only operations that run (Apollo's
    /// persisted-query manifest, or a map of SHA-256 hashes to documents).
    #[arg(long, env = "KETNAP_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<std::path::PathBuf>,

    /// Serve GraphiQL at `/graphiql` and to a browser's `GET /graphql` (default: on in dev
    /// mode, off in production).
    #[arg(long, env = "KETNAP_GRAPHIQL")]
    pub graphiql: Option<bool>,

    /// Origins a browser may call the API from, comma-separated (`https://dashboard.example.vn`);
    /// none by default in production, the local development servers' in dev mode.
    #[arg(long = "cors-origins", env = "KETNAP_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
}

impl Settings {
    /// Settings for a server on `database_url` with every other value at its default.
    pub fn new(database_url: impl Into<String>) -> Self {
        Settings {
            mode: Mode::Dev,
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            database: DatabaseSettings::new(database_url),
            auth: AuthSettings::default(),
            limits: LimitSettings::default(),
            files: FileSettings::default(),
            live: LiveSettings::default(),
            metrics_address: None,
            metrics_token: None,
            persisted_query_cache: 1000,
            trusted_documents: None,
            graphiql: None,
            cors_origins: Vec::new(),
        }
    }

    /// The origins a browser may call from: those set, or with none set the local
    /// development servers' in dev mode and none in production.
    pub fn allowed_origins(&self) -> Vec<String> {
        if !self.cors_origins.is_empty() || self.mode == Mode::Production {
            return self.cors_origins.clone();
        }
        DEV_ORIGINS.iter().map(|o| o.to_string()).collect()
    }

    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql.unwrap_or(self.mode == Mode::Dev)
    }

    pub fn introspection_enabled(&self) -> bool {
        self.limits.introspection.unwrap_or(self.mode == Mode::Dev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn programmatic_defaults_match_the_command_line_defaults() {
        // Guard against the two lists of defaults drifting apart.
        let parsed = Probe::try_parse_from(["ketnap", "--database-url", "x"])
            .unwrap()
            .settings;
        let built = Settings::new("x");
        assert_eq!(format!("{parsed:?}"), format!("{built:?}"));
    }

    #[test]
    fn secrets_are_not_printed() {
        let mut settings = Settings::new("x");
        settings.auth.jwt_secret = Some(Secret::new("super-secret-signing-key"));
        assert!(!format!("{settings:?}").contains("super-secret"));
    }
}
