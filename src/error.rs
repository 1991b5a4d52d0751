//! The one error type of the service layer, and its single mapping to GraphQL errors.
//!
//! Services return [`AppError`]; resolvers pass it up unchanged. [`classify_all`], run on
//! every response, turns every error into a stable `extensions.code` (plus `field`, `rule`
//! or `limit`), and is the only place where that happens. Internal errors are logged
//! with their cause chain and answered with a bare "internal error".
//!
//! Every message is a [`Text`], in English and Vietnamese; the reader's language (from
//! `Accept-Language`) is chosen here too, and nowhere else. `Display` is English, for logs.

use std::fmt;

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};
use sea_orm::{DbErr, SqlErr};

pub use crate::domain::lang::{Lang, Text};
pub(crate) use crate::domain::tr;

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

/// The kinds of record a `NOT_FOUND` names, in both languages.
pub mod noun {
    use super::Text;

    pub const API_TOKEN: Text = Text::fixed("API token", "mã truy cập API");
    pub const BACKGROUND_CHECK: Text = Text::fixed("background check", "yêu cầu thẩm tra lý lịch");
    pub const CANDIDATE: Text = Text::fixed("candidate", "người xin vào Đảng");
    pub const CONSENT: Text = Text::fixed("consent", "ý kiến đồng ý");
    pub const COURSE: Text = Text::fixed("course", "lớp bồi dưỡng");
    pub const DECISION: Text = Text::fixed("decision", "quyết định");
    pub const DOCUMENT: Text = Text::fixed("document", "giấy tờ hồ sơ");
    pub const ENROLMENT: Text = Text::fixed("enrolment", "lượt đăng ký học");
    pub const FILE: Text = Text::fixed("file", "tệp");
    pub const INTRODUCTION: Text = Text::fixed("introduction", "giấy giới thiệu");
    pub const MEMBER: Text = Text::fixed("member", "đảng viên");
    pub const MENTOR_ASSIGNMENT: Text = Text::fixed("mentor assignment", "phân công đảng viên giúp đỡ");
    pub const NODE: Text = Text::fixed("node", "đối tượng");
    pub const ORG_UNIT: Text = Text::fixed("org unit", "tổ chức đảng");
    pub const PUBLIC_HOLIDAY: Text = Text::fixed("public holiday", "ngày nghỉ lễ");
    pub const RELATIVE: Text = Text::fixed("relative", "người thân");
    pub const REPORT: Text = Text::fixed("report", "báo cáo");
    pub const RESIDENTIAL_AREA: Text = Text::fixed("residential area", "địa bàn dân cư");
    pub const RESOLUTION: Text = Text::fixed("resolution", "nghị quyết");
    pub const TARGET: Text = Text::fixed("target", "chỉ tiêu kết nạp");
    pub const USER: Text = Text::fixed("user", "tài khoản");
}

/// What went wrong, in the terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An input is malformed; `field` names it (dotted path inside `input`).
    #[error("{field}: {message}")]
    Validation { field: String, message: Text },
    /// Several rows of an uploaded file are malformed; nothing was imported.
    #[error("{field}: {} problem(s) in {} row(s); nothing was imported", problems.len(), distinct_rows(problems))]
    InvalidRows { field: String, problems: Vec<RowProblem> },
    /// The input is well-formed but a business rule refuses the act.
    #[error("{message}")]
    RuleViolation { rule: &'static str, message: Text },
    /// Missing, or outside the actor's scope: the two answer alike. `what` names the kind
    /// of record.
    #[error("{what} not found")]
    NotFound { what: Text },
    /// In scope, but the actor's role may not do this.
    #[error("{0}")]
    Forbidden(Text),
    #[error("{0}")]
    Unauthenticated(Text),
    /// The record changed under the caller, or a uniqueness rule was hit.
    #[error("{0}")]
    Conflict(Text),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{message}")]
    LimitExceeded { limit: Limit, message: Text },
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
    pub message: Text,
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
            return Err(AppError::validation(
                field,
                tr!("at most {max} characters", "tối đa {max} ký tự"),
            ));
        }
        Ok(())
    }

    pub fn validation(field: impl Into<String>, message: Text) -> Self {
        AppError::Validation {
            field: field.into(),
            message,
        }
    }

    pub fn rule(rule: &'static str, message: Text) -> Self {
        AppError::RuleViolation { rule, message }
    }

    /// `what` names the kind of record, as a noun in both languages.
    pub fn not_found(what: Text) -> Self {
        AppError::NotFound { what }
    }

    pub fn forbidden(message: Text) -> Self {
        AppError::Forbidden(message)
    }

    /// The message in `lang`: what `Display` says in English, and its Vietnamese.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            AppError::Validation { field, message } => format!("{field}: {}", message.vi()),
            AppError::InvalidRows { field, problems } => format!(
                "{field}: {} lỗi ở {} dòng; chưa nhập dòng nào",
                problems.len(),
                distinct_rows(problems)
            ),
            AppError::RuleViolation { message, .. }
            | AppError::Forbidden(message)
            | AppError::Unauthenticated(message)
            | AppError::Conflict(message)
            | AppError::LimitExceeded { message, .. } => message.vi().to_string(),
            AppError::NotFound { what } => format!("không tìm thấy {}", what.vi()),
            AppError::RateLimited { retry_after_secs } => {
                format!("thử quá nhiều lần; hãy thử lại sau {retry_after_secs} giây")
            }
            AppError::Unexpected(_) => "lỗi nội bộ".to_string(),
        }
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
    fn extensions(&self, lang: Lang) -> ErrorExtensionValues {
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
                        item.insert(async_graphql::Name::new("message"), Value::from(p.message.get(lang)));
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

    /// The error as a GraphQL error outside any resolver (an HTTP-level refusal, a limit
    /// crossed before execution): English until [`classify`] puts it in the reader's
    /// language, as it does every error that carries an `AppError`.
    pub fn into_server_error(self) -> ServerError {
        let mut err = ServerError::new(self.to_string(), None);
        err.extensions = Some(self.extensions(Lang::En));
        err.source = Some(std::sync::Arc::new(self));
        err
    }
}

/// Database errors: a unique or foreign-key violation is a conflict the caller can act on;
/// anything else is unexpected. The single place where constraint errors are recognised.
impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(tr!(
                "a record with the same unique value already exists",
                "đã có một bản ghi mang cùng giá trị phải là duy nhất"
            )),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => AppError::Conflict(tr!(
                "the record is referenced by, or refers to, another record that prevents this change",
                "bản ghi đang được bản ghi khác tham chiếu, hoặc tham chiếu tới bản ghi khác, nên không thể thay đổi"
            )),
            _ => AppError::Unexpected(anyhow::Error::new(err).context("database operation failed")),
        }
    }
}

/// A refusal of the GraphQL-over-HTTP protocol itself, with its own `code` (the request is
/// not GraphQL, the document is refused before validation): put in the reader's language by
/// [`classify`] like every other error.
pub(crate) fn protocol_error(code: &str, message: Text) -> ServerError {
    let mut err = ServerError::new(message.en(), None);
    err.extensions.get_or_insert_with(Default::default).set("code", code);
    err.source = Some(std::sync::Arc::new(message));
    err
}

/// Give every error of `response` its stable code and its message in `lang`: the one place
/// where that happens, run by the HTTP and WebSocket handlers on every response the schema
/// gives.
pub(crate) fn classify_all(response: &mut Response, lang: Lang) {
    for error in &mut response.errors {
        classify(error, lang);
    }
}

/// Give `error` its code and its message in `lang`. Errors raised by our services carry an
/// [`AppError`] as source, and protocol refusals a [`Text`]; one with a code and neither
/// keeps its sentence (Apollo's `PersistedQueryNotFound` is matched by clients); the rest
/// come from the GraphQL engine itself, whose sentence a Vietnamese reader gets after one
/// of ours.
pub(crate) fn classify(error: &mut ServerError, lang: Lang) {
    if let Some(app) = error.source::<AppError>() {
        if let AppError::Unexpected(cause) = app {
            tracing::error!(error = ?cause, path = ?error.path, "request failed");
        }
        let (message, extensions) = (app.message(lang), app.extensions(lang));
        error.message = message;
        error.extensions = Some(extensions);
        return;
    }
    if let Some(text) = error.source::<Text>() {
        error.message = text.get(lang).to_string();
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
    if lang == Lang::Vi {
        error.message = format!("{}: {}", engine_lead(code).vi(), error.message);
    }
}

/// What an error the GraphQL engine raised means, in both languages, by its code; the
/// engine's own sentence (naming the fields and types of the document) follows it.
fn engine_lead(code: Code) -> Text {
    match code {
        Code::BadUserInput => Text::fixed("an argument has the wrong shape", "một tham số sai kiểu hoặc sai dạng"),
        _ => Text::fixed(
            "the document does not fit the schema",
            "truy vấn không khớp với lược đồ",
        ),
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
