//! How a stored code is read back (compiled with the `storage` feature only): the one
//! place that knows a result row's layout, so the error for a code the program does not
//! know names the row it came from.

use sea_orm::{DbErr, QueryResult, TryGetError, TryGetable};

/// A code enum as a column stores it (`string_enum!`): what a reader that takes the code
/// from the row itself needs to turn it back, and to name the type when it cannot.
pub trait StoredCode: Sized {
    /// The type's name, as the error for an unknown code says it.
    const NAME: &'static str;
    /// The variant whose code is `code`, if there is one.
    fn from_code(code: &str) -> Option<Self>;
    /// What a record read from a statement that left this column out holds in its place
    /// (the first variant): a list asks only for the columns its fields read
    /// (`columns::Layout::partial`), and no field it shows reads this one.
    const UNREAD: Self;
}

/// The error for `code`, read from `column` of `row` as a `what`, that no variant of `what`
/// has: a database written by another tool or a migration gone wrong. It names the code,
/// the column and the row's id, so whoever reads the log can find and mend the row.
pub fn unknown_code(row: &QueryResult, column: Option<&str>, what: &str, code: &str) -> TryGetError {
    let column = column.unwrap_or("?");
    TryGetError::DbErr(DbErr::Type(format!(
        "unknown {what} code {code:?} in column {column} of the row with id {}",
        row_id(row, column)
    )))
}

/// The id of the row a column was read from, or `?`. A joined select prefixes each side's
/// columns (`A_`, `B_`); the id then carries the same prefix.
fn row_id(row: &QueryResult, column: &str) -> String {
    let prefix = match column.as_bytes() {
        [side, b'_', ..] if side.is_ascii_uppercase() => &column[..2],
        _ => "",
    };
    let id = format!("{prefix}id");
    i32::try_get_by(row, id.as_str())
        .map(i64::from)
        .or_else(|_| i64::try_get_by(row, id.as_str()))
        .map_or_else(|_| "?".to_owned(), |id| id.to_string())
}
