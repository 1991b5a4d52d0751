//! Relay conventions: bounded pages with opaque cursors, `totalCount` computed only when
//! asked for, and opaque global IDs.

use std::future::Future;
use std::pin::Pin;

use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields, OpaqueCursor};
use async_graphql::{ID, Object};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::access::Keyset;
use crate::error::{AppError, AppResult, tr};

pub const DEFAULT_PAGE_SIZE: i32 = 20;
pub const MAX_PAGE_SIZE: i32 = 100;
/// Longer than any cursor this server hands out.
pub const MAX_CURSOR_CHARS: usize = 200;

/// The complexity of a connection field: its children count once per requested item
/// (`first`, or `last` going backward).
pub fn connection_complexity(child_complexity: usize, first: Option<i32>, last: Option<i32>) -> usize {
    let size = first.or(last).unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE) as usize;
    size.saturating_mul(child_complexity).saturating_add(2)
}

/// A validated page request: `first` items after the `after` cursor, or `last` items before
/// the `before` cursor (or at the end), each within 1–100.
pub struct PageRequest<K> {
    pub limit: u64,
    pub cursor: Option<K>,
    /// Toward the start of the list (`last`, `before`).
    pub backward: bool,
}

fn decode<K: Serialize + DeserializeOwned>(field: &'static str, cursor: Option<String>) -> AppResult<Option<K>> {
    if cursor.as_ref().is_some_and(|c| c.len() > MAX_CURSOR_CHARS) {
        return Err(AppError::validation(
            field,
            tr!(
                "at most {MAX_CURSOR_CHARS} characters",
                "tối đa {MAX_CURSOR_CHARS} ký tự"
            ),
        ));
    }
    cursor
        .map(|cursor| {
            OpaqueCursor::<K>::decode_cursor(&cursor).map(|c| c.0).map_err(|_| {
                AppError::validation(
                    field,
                    tr!("not a cursor of this list", "không phải con trỏ của danh sách này"),
                )
            })
        })
        .transpose()
}

impl<K: Serialize + DeserializeOwned> PageRequest<K> {
    pub fn parse(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Self> {
        let backward = last.is_some() || before.is_some();
        if backward && (first.is_some() || after.is_some()) {
            return Err(AppError::validation(
                "last",
                tr!(
                    "page forward (`first`, `after`) or backward (`last`, `before`), not both",
                    "chỉ lật trang tiến (`first`, `after`) hoặc lùi (`last`, `before`), không dùng cả hai"
                ),
            ));
        }
        let (field, size) = if backward { ("last", last) } else { ("first", first) };
        let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(AppError::validation(
                field,
                tr!(
                    "must be between 1 and {MAX_PAGE_SIZE}",
                    "phải trong khoảng từ 1 đến {MAX_PAGE_SIZE}"
                ),
            ));
        }
        let cursor = if backward {
            decode("before", before)?
        } else {
            decode("after", after)?
        };
        Ok(PageRequest {
            limit: size as u64,
            cursor,
            backward,
        })
    }

    /// The page as the services read it.
    pub fn keyset(&self) -> Keyset<K>
    where
        K: Clone,
    {
        Keyset {
            cursor: self.cursor.clone(),
            limit: self.limit,
            backward: self.backward,
        }
    }

    /// Turn the rows fetched with `limit + 1` as the limit (going backward, nearest first)
    /// into a connection page, in the list's order.
    pub fn finish<M, N>(
        &self,
        mut rows: Vec<M>,
        key: impl Fn(&M) -> K,
        node: impl Fn(M) -> N,
        total: TotalCount,
    ) -> Connection<OpaqueCursor<K>, N, TotalCount, EmptyFields>
    where
        N: async_graphql::OutputType,
        K: Send + Sync,
    {
        let more = rows.len() as u64 > self.limit;
        rows.truncate(self.limit as usize);
        let (has_previous, has_next) = if self.backward {
            rows.reverse();
            (more, self.cursor.is_some())
        } else {
            (self.cursor.is_some(), more)
        };
        let mut connection = Connection::with_additional_fields(has_previous, has_next, total);
        connection.edges.extend(
            rows.into_iter()
                .map(|row| Edge::new(OpaqueCursor(key(&row)), node(row))),
        );
        connection
    }
}

type CountFuture = Pin<Box<dyn Future<Output = AppResult<u64>> + Send>>;

/// The `totalCount` of a connection, counted by the database only when selected.
pub struct TotalCount(Box<dyn Fn() -> CountFuture + Send + Sync>);

impl TotalCount {
    pub fn new<F, Fut>(count: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = AppResult<u64>> + Send + 'static,
    {
        TotalCount(Box::new(move || Box::pin(count())))
    }
}

#[Object]
impl TotalCount {
    /// How many items the whole list holds, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.0)().await?)
    }
}

/// An opaque global ID for a record of `typename`: `typename:id` in URL-safe base64, built
/// in a buffer on the stack (every node of every list has one).
pub fn global_id(typename: &str, id: i32) -> ID {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(id).as_bytes();
    let mut text = [0u8; 64];
    let len = typename.len() + 1 + digits.len();
    if len > text.len() {
        return ID(URL_SAFE_NO_PAD.encode(format!("{typename}:{id}")));
    }
    text[..typename.len()].copy_from_slice(typename.as_bytes());
    text[typename.len()] = b':';
    text[typename.len() + 1..len].copy_from_slice(digits);
    ID(URL_SAFE_NO_PAD.encode(&text[..len]))
}

/// The type name and record id inside a global ID, when it is one of ours.
pub fn parse_global_id(id: &ID) -> Option<(String, i32)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (typename, raw) = text.split_once(':')?;
    Some((typename.to_string(), raw.parse().ok()?))
}

/// The record id inside a global ID that must name a `typename`; `field` names the input.
pub fn expect_global_id(id: &ID, typename: &str, field: &str) -> AppResult<i32> {
    match parse_global_id(id) {
        Some((found, raw)) if found == typename => Ok(raw),
        _ => Err(AppError::validation(
            field,
            tr!("not the ID of a {typename}", "không phải ID của một {typename}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_check_their_type() {
        let id = global_id("OrgUnit", 42);
        assert_eq!(id.as_str(), URL_SAFE_NO_PAD.encode("OrgUnit:42"));
        assert_eq!(parse_global_id(&id), Some(("OrgUnit".into(), 42)));
        assert_eq!(
            parse_global_id(&global_id("Candidate", -7)),
            Some(("Candidate".into(), -7))
        );
        assert_eq!(
            parse_global_id(&global_id("Candidate", i32::MAX)),
            Some(("Candidate".into(), i32::MAX))
        );
        let long = "T".repeat(70);
        assert_eq!(parse_global_id(&global_id(&long, i32::MIN)), Some((long, i32::MIN)));
        assert_eq!(expect_global_id(&id, "OrgUnit", "id").unwrap(), 42);
        assert!(expect_global_id(&id, "User", "id").is_err());
        assert!(expect_global_id(&ID("garbage".into()), "OrgUnit", "id").is_err());
    }

    #[test]
    fn page_size_is_bounded() {
        assert!(PageRequest::<i32>::parse(Some(0), None, None, None).is_err());
        assert!(PageRequest::<i32>::parse(Some(101), None, None, None).is_err());
        assert_eq!(PageRequest::<i32>::parse(None, None, None, None).unwrap().limit, 20);
        assert!(PageRequest::<i32>::parse(Some(5), Some("%%%".into()), None, None).is_err());
        assert!(PageRequest::<i32>::parse(None, None, Some(101), None).is_err());
        assert!(
            PageRequest::<i32>::parse(Some(5), None, Some(5), None).is_err(),
            "both ways at once"
        );
        let back = PageRequest::<i32>::parse(None, None, Some(5), None).unwrap();
        assert!(back.backward && back.cursor.is_none() && back.limit == 5);
    }

    #[test]
    fn connection_complexity_multiplies_by_first() {
        assert_eq!(connection_complexity(3, Some(100), None), 302);
        assert_eq!(connection_complexity(3, None, None), 62);
        assert_eq!(connection_complexity(3, Some(100_000), None), 302);
        assert_eq!(connection_complexity(3, None, Some(100)), 302);
    }
}
