//! The one error type of the service layer, and its single mapping to GraphQL errors.
//!
//! Services return [`AppError`]; resolvers pass it up unchanged. [`classify_all`], run on
//! every response, turns every error into a stable `extensions.code` (plus `field`, `rule`
//! or `limit`), and is the only place where that happens. Internal errors are logged
//! with their cause chain and answered with a bare "internal error".

use std::fmt;

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
use sea_orm::{DbErr, SqlErr};

/// The stable codes a client may see in `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RuleViolation,
    Conflict,
    RateLimited,
    QueryLimitExceeded,
    GraphqlParseFailed,
    GraphqlValidationFailed,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::RuleViolation => "RULE_VIOLATION",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::QueryLimitExceeded => "QUERY_LIMIT_EXCEEDED",
            Code::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Code::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Code::Internal => "INTERNAL",
        }
    }
}

/// Which bound a refused request crossed (`extensions.limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Depth,
    Complexity,
    Aliases,
    RootFields,
    Batch,
    BodySize,
    PageSize,
    Timeout,
    DocumentSize,
    Tokens,
    ExpandedSelections,
    Directives,
    Variables,
    /// One uploaded file's size.
    FileSize,
    /// The bytes of scans one candidate's dossier may hold.
    CandidateFiles,
    /// How many files one request may upload.
    Files,
    /// How many subscriptions a connection or an account may hold.
    Subscriptions,
    /// How far a subscriber may fall behind the events before it is dropped.
    SlowConsumer,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Depth => "DEPTH",
            Limit::Complexity => "COMPLEXITY",
            Limit::Aliases => "ALIASES",
            Limit::RootFields => "ROOT_FIELDS",
            Limit::Batch => "BATCH",
            Limit::BodySize => "BODY_SIZE",
            Limit::PageSize => "PAGE_SIZE",
            Limit::Timeout => "TIMEOUT",
            Limit::DocumentSize => "DOCUMENT_SIZE",
            Limit::Tokens => "TOKENS",
            Limit::ExpandedSelections => "EXPANDED_SELECTIONS",
            Limit::Directives => "DIRECTIVES",
            Limit::Variables => "VARIABLES",
            Limit::FileSize => "FILE_SIZE",
            Limit::CandidateFiles => "CANDIDATE_FILES",
            Limit::Files => "FILES",
            Limit::Subscriptions => "SUBSCRIPTIONS",
            Limit::SlowConsumer => "SLOW_CONSUMER",
        }
    }
}

/// What went wrong, in the terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An input is malformed; `field` names it (dotted path inside `input`).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Several rows of an uploaded file are malformed; nothing was imported.
    #[error("{field}: {} problem(s) in {} row(s); nothing was imported", problems.len(), distinct_rows(problems))]
    InvalidRows { field: String, problems: Vec<RowProblem> },
    /// The input is well-formed but a business rule refuses the act.
    #[error("{message}")]
    RuleViolation { rule: &'static str, message: String },
    /// Missing, or outside the actor's scope: the two answer alike.
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// In scope, but the actor's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Unauthenticated(String),
    /// The record changed under the caller, or a uniqueness rule was hit.
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{message}")]
    LimitExceeded { limit: Limit, message: String },
    #[error("internal error")]
    Unexpected(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

fn distinct_rows(problems: &[RowProblem]) -> usize {
    problems
        .iter()
        .map(|p| p.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// One problem in one row of an uploaded file. Rows are numbered as a spreadsheet shows
/// them: the header is row 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl From<crate::domain::violation::Violation> for AppError {
    fn from(v: crate::domain::violation::Violation) -> Self {
        AppError::RuleViolation {
            rule: v.rule,
            message: v.message,
        }
    }
}

impl AppError {
    /// `BAD_USER_INPUT` for `field` unless `value` has at most `max` characters.
    pub fn at_most(field: &str, value: &str, max: usize) -> AppResult<()> {
        if value.len() > max && value.chars().count() > max {
            return Err(AppError::validation(field, format!("at most {max} characters")));
        }
        Ok(())
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn rule(rule: &'static str, message: impl Into<String>) -> Self {
        AppError::RuleViolation {
            rule,
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str) -> Self {
        AppError::NotFound { what }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    pub fn code(&self) -> Code {
        match self {
            AppError::Validation { .. } | AppError::InvalidRows { .. } => Code::BadUserInput,
            AppError::RuleViolation { .. } => Code::RuleViolation,
            AppError::NotFound { .. } => Code::NotFound,
            AppError::Forbidden(_) => Code::Forbidden,
            AppError::Unauthenticated(_) => Code::Unauthenticated,
            AppError::Conflict(_) => Code::Conflict,
            AppError::RateLimited { .. } => Code::RateLimited,
            AppError::LimitExceeded { .. } => Code::QueryLimitExceeded,
            AppError::Unexpected(_) => Code::Internal,
        }
    }

    /// The extensions a client sees: `code`, and `field`, `rule`, `limit` or `retryAfter`.
    fn extensions(&self) -> ErrorExtensionValues {
        let mut ext = ErrorExtensionValues::default();
        ext.set("code", self.code().as_str());
        match self {
            AppError::Validation { field, .. } => ext.set("field", field.as_str()),
            AppError::InvalidRows { field, problems } => {
                ext.set("field", field.as_str());
                let list = problems
                    .iter()
                    .map(|p| {
                        let mut item = async_graphql::indexmap::IndexMap::new();
                        item.insert(async_graphql::Name::new("row"), Value::from(p.row as u64));
                        item.insert(async_graphql::Name::new("column"), Value::from(p.column.as_str()));
                        item.insert(async_graphql::Name::new("message"), Value::from(p.message.as_str()));
                        Value::Object(item)
                    })
                    .collect::<Vec<_>>();
                ext.set("problems", Value::List(list));
            }
            AppError::RuleViolation { rule, .. } => ext.set("rule", *rule),
            AppError::RateLimited { retry_after_secs } => ext.set("retryAfter", Value::from(*retry_after_secs)),
            AppError::LimitExceeded { limit, .. } => ext.set("limit", limit.as_str()),
            _ => {}
        }
        ext
    }

    /// The error as a GraphQL error outside any resolver (HTTP-level refusals).
    pub fn to_server_error(&self) -> ServerError {
        let mut err = ServerError::new(self.to_string(), None);
        err.extensions = Some(self.extensions());
        err
    }
}

/// Database errors: a unique or foreign-key violation is a conflict the caller can act on;
/// anything else is unexpected. The single place where constraint errors are recognised.
impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("a record with the same unique value already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => AppError::Conflict(
                "the record is referenced by, or refers to, another record that prevents this change".into(),
            ),
            _ => AppError::Unexpected(anyhow::Error::new(err).context("database operation failed")),
        }
    }
}

/// Give every error of `response` its stable code: the one place where that happens, run by
/// the HTTP handler on every response the schema gives.
pub(crate) fn classify_all(response: &mut Response) {
    for error in &mut response.errors {
        classify(error);
    }
}

/// Give `error` its code. Errors raised by our services carry an [`AppError`] as source;
/// the rest come from the GraphQL engine itself.
pub(crate) fn classify(error: &mut ServerError) {
    if let Some(app) = error.source::<AppError>() {
        if let AppError::Unexpected(cause) = app {
            tracing::error!(error = ?cause, path = ?error.path, "request failed");
        }
        let (message, extensions) = (app.to_string(), app.extensions());
        error.message = message;
        error.extensions = Some(extensions);
        return;
    }
    let has_code = error.extensions.as_ref().is_some_and(|ext| ext.get("code").is_some());
    if has_code {
        return;
    }
    // Engine errors inside execution are input coercion failures (a variable or argument of
    // the wrong shape); without a path they come from parsing or validation.
    let code = if error.path.is_empty() {
        Code::GraphqlValidationFailed
    } else {
        Code::BadUserInput
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
