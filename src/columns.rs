//! Reading a page of rows by position. sea-orm's derived reader looks every column up by
//! name in every row (a hash of the name each time), checks its SQL type against the Rust
//! type each time, formats an error string for every `NULL` it reads into an `Option`, and,
//! for a joined side (`U_id`), formats the prefixed name first: at 50 rows of 38 columns
//! and their joined units, 44 % of a list request's instructions (callgrind). Here a
//! page's [`Layout`] finds where each column stands the first time a row asks for it,
//! checks its declared type there, and every later row is read by position alone.
//!
//! PostgreSQL describes a statement's columns once, for all its rows, so the check on the
//! declared type holds for every row. SQLite types each value on its own: there every read
//! is still checked, by position.
//!
//! A list may ask SQL for only the columns the fields it shows read ([`Layout::partial`]):
//! a column the statement left out is then read as its type's default (a code as its
//! [`StoredCode::UNREAD`]), which no field of that selection looks at.

use ketnap_domain::storage::{StoredCode, unknown_code};
use sea_orm::sqlx::{self, Column, Row};
use sea_orm::{DbErr, QueryResult};

/// A Rust type a column is read into on either database; its default stands for a column
/// a partial statement left out.
pub trait Cell:
    Default
    + for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
    + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
{
}

impl<T> Cell for T where
    T: Default
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
{
}

/// A record read from a row through [`Cells`], asking for its columns in one order.
pub trait ListRow: Sized {
    fn read(cells: &mut Cells<'_>) -> Result<Self, DbErr>;
}

/// Where the columns a reader asks for stand in one statement's rows, in the order it asks
/// for them, each found by name and type-checked once: a reader asks for a column as one
/// Rust type (or that type's `Option`) on every row. `None`: a partial statement's
/// column left out.
#[derive(Default)]
pub struct Layout {
    prefix: &'static str,
    partial: bool,
    found: Vec<(&'static str, Option<usize>)>,
}

impl Layout {
    /// The layout of the columns named `prefix` + name (a joined side: `U_`).
    pub fn prefixed(prefix: &'static str) -> Self {
        Layout {
            prefix,
            ..Layout::default()
        }
    }

    /// The layout of a statement that asked for only some of the record's columns: one it
    /// left out is read as its default, where a whole statement's missing column is an error.
    pub fn partial() -> Self {
        Layout {
            partial: true,
            ..Layout::default()
        }
    }
}

/// Every row of a page as `M`.
pub fn read_page<M: ListRow>(rows: &[QueryResult]) -> Result<Vec<M>, DbErr> {
    read_page_in(rows, Layout::default())
}

/// Every row of a page as `M`, read in `layout` (a fresh one: [`Layout::partial`] for a
/// statement that names only some of the columns).
pub fn read_page_in<M: ListRow>(rows: &[QueryResult], mut layout: Layout) -> Result<Vec<M>, DbErr> {
    rows.iter()
        .map(|row| M::read(&mut Cells::new(row, &mut layout)))
        .collect()
}

/// One row's columns, read in the order of its page's [`Layout`].
pub struct Cells<'a> {
    row: &'a QueryResult,
    layout: &'a mut Layout,
    next: usize,
}

fn read_error(column: &str, error: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("reading {column}: {error}"))
}

impl<'a> Cells<'a> {
    pub fn new(row: &'a QueryResult, layout: &'a mut Layout) -> Self {
        Cells { row, layout, next: 0 }
    }

    /// The next column, `name`, as a `T` (`Option<T>` for one that may be `NULL`).
    pub fn get<T: Cell>(&mut self, name: &'static str) -> Result<T, DbErr> {
        Ok(self.read(name)?.unwrap_or_default())
    }

    /// The next column, `name`, as a `T`; `None` when a partial statement left it out.
    fn read<T: Cell>(&mut self, name: &'static str) -> Result<Option<T>, DbErr> {
        let row = self.row;
        if let Some(row) = row.try_as_pg_row() {
            let Some(index) = self.position(name, row, <T as sqlx::Type<sqlx::Postgres>>::compatible)? else {
                return Ok(None);
            };
            row.try_get_unchecked(index)
                .map(Some)
                .map_err(|e| read_error(&self.column(name), e))
        } else if let Some(row) = row.try_as_sqlite_row() {
            let Some(index) = self.position(name, row, |_| true)? else {
                return Ok(None);
            };
            row.try_get(index)
                .map(Some)
                .map_err(|e| read_error(&self.column(name), e))
        } else {
            Err(DbErr::Type("a row of neither PostgreSQL nor SQLite".to_owned()))
        }
    }

    /// The next column, `name`, a stored code read back as its `T`; an unknown code is an
    /// error that names the code, the column and the row ([`unknown_code`]).
    pub fn code<T: StoredCode>(&mut self, name: &'static str) -> Result<T, DbErr> {
        match self.stored_code(name)? {
            None => Ok(T::UNREAD),
            Some(code) => code.ok_or_else(|| read_error(&self.column(name), "unexpected NULL")),
        }
    }

    /// The next column, `name`, a stored code that may be `NULL`.
    pub fn optional_code<T: StoredCode>(&mut self, name: &'static str) -> Result<Option<T>, DbErr> {
        Ok(self.stored_code(name)?.flatten())
    }

    /// The next column, `name`, a stored code read back; `None` when a partial statement
    /// left it out.
    fn stored_code<T: StoredCode>(&mut self, name: &'static str) -> Result<Option<Option<T>>, DbErr> {
        let row = self.row;
        let text: Option<String>;
        let code = if let Some(pg) = row.try_as_pg_row() {
            // Borrowed from the row: no string is allocated for the code.
            let Some(index) = self.position(name, pg, <&str as sqlx::Type<sqlx::Postgres>>::compatible)? else {
                return Ok(None);
            };
            pg.try_get_unchecked::<Option<&str>, _>(index)
                .map_err(|e| read_error(&self.column(name), e))?
        } else {
            let Some(read) = self.read::<Option<String>>(name)? else {
                return Ok(None);
            };
            text = read;
            text.as_deref()
        };
        code.map(|code| {
            T::from_code(code).ok_or_else(|| unknown_code(row, Some(&self.column(name)), T::NAME, code).into())
        })
        .transpose()
        .map(Some)
    }

    /// The column's name as the statement has it.
    fn column(&self, name: &str) -> String {
        format!("{}{name}", self.layout.prefix)
    }

    /// Where the next column, `name`, stands in `row`: as the layout remembers it, or found
    /// by name with its declared type checked by `compatible`, and then remembered for the
    /// rows after this one. `None`: a partial statement left it out.
    fn position<R>(
        &mut self,
        name: &'static str,
        row: &R,
        compatible: impl Fn(&<R::Database as sqlx::Database>::TypeInfo) -> bool,
    ) -> Result<Option<usize>, DbErr>
    where
        R: Row,
        for<'s> &'s str: sqlx::ColumnIndex<R>,
    {
        let at = self.next;
        self.next += 1;
        // The same literal, as a reader names it on every row: its address decides, where
        // comparing the text cost more than the rest of the look-up.
        if let Some(&(known, index)) = self.layout.found.get(at)
            && (std::ptr::eq(known, name) || known == name)
        {
            return Ok(index);
        }
        let full = self.column(name);
        let column = match row.try_column(full.as_str()) {
            Ok(column) => column,
            Err(sqlx::Error::ColumnNotFound(_)) if self.layout.partial => {
                if self.layout.found.len() == at {
                    self.layout.found.push((name, None));
                }
                return Ok(None);
            }
            Err(e) => return Err(read_error(&full, e)),
        };
        let declared = column.type_info();
        if !compatible(declared) {
            return Err(read_error(
                &full,
                format!("its SQL type {declared} is not the type the reader asks for"),
            ));
        }
        let index = Some(column.ordinal());
        if self.layout.found.len() == at {
            self.layout.found.push((name, index));
        }
        Ok(index)
    }
}
