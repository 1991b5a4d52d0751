//! Reading a GraphQL-over-HTTP request strictly: its parameters are `query`,
//! `operationName`, `variables` and `extensions`, and nothing else. A misspelt key
//! (`qeury`) is refused with 400 rather than run as an empty document, and a `POST` must say
//! what it carries (`application/json`, or `multipart/form-data` for uploads): anything else
//! answers 415.

use async_graphql::{BatchRequest, Extensions, Request, Variables};
use serde::Deserialize;

use crate::error::{Text, tr};

/// The parameters of one operation in a JSON body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Variables>,
    extensions: Option<Extensions>,
}

/// The parameters of a `GET`, each JSON-encoded but the document and the name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct QueryParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// Why a request is not one.
#[derive(Debug)]
pub struct Malformed(pub Text);

impl Params {
    fn into_request(self) -> Result<Request, Malformed> {
        let extensions = self.extensions.unwrap_or_default();
        let query = match self.query {
            Some(query) => query,
            // A persisted query may come by its hash alone (see `persisted`).
            None if extensions.0.contains_key("persistedQuery") => String::new(),
            None => return Err(Malformed(tr!("the request has no `query`", "yêu cầu không có `query`"))),
        };
        let mut request = Request::new(query).variables(self.variables.unwrap_or_default());
        request.operation_name = self.operation_name.filter(|name| !name.is_empty());
        request.extensions = extensions;
        Ok(request)
    }
}

/// The operations of a JSON body: one object, or a batch of them.
pub fn from_json(body: &[u8]) -> Result<BatchRequest, Malformed> {
    let batch = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'[');
    let fail = |e: serde_json::Error| {
        Malformed(tr!(
            "the body is not a GraphQL request: {e}",
            "phần thân không phải là một yêu cầu GraphQL: {e}"
        ))
    };
    if batch {
        let all: Vec<Params> = serde_json::from_slice(body).map_err(fail)?;
        let requests = all.into_iter().map(Params::into_request).collect::<Result<_, _>>()?;
        Ok(BatchRequest::Batch(requests))
    } else {
        let one: Params = serde_json::from_slice(body).map_err(fail)?;
        Ok(BatchRequest::Single(one.into_request()?))
    }
}

/// The operation of a `GET`'s query string.
pub fn from_query_string(query: &str) -> Result<BatchRequest, Malformed> {
    let params: QueryParams = serde_urlencoded::from_str(query).map_err(|e| {
        Malformed(tr!(
            "the query string is not a GraphQL request: {e}",
            "chuỗi truy vấn không phải là một yêu cầu GraphQL: {e}"
        ))
    })?;
    let json = |what: &str, text: Option<String>| -> Result<Option<serde_json::Value>, Malformed> {
        text.filter(|t| !t.is_empty())
            .map(|t| {
                serde_json::from_str(&t)
                    .map_err(|e| Malformed(tr!("`{what}` is not JSON: {e}", "`{what}` không phải là JSON: {e}")))
            })
            .transpose()
    };
    let variables = json("variables", params.variables)?
        .map(|v| {
            serde_json::from_value(v).map_err(|e| {
                Malformed(tr!(
                    "`variables` is not an object: {e}",
                    "`variables` không phải là một đối tượng: {e}"
                ))
            })
        })
        .transpose()?;
    let extensions = json("extensions", params.extensions)?
        .map(|v| {
            serde_json::from_value(v).map_err(|e| {
                Malformed(tr!(
                    "`extensions` is not an object: {e}",
                    "`extensions` không phải là một đối tượng: {e}"
                ))
            })
        })
        .transpose()?;
    Params {
        query: params.query,
        operation_name: params.operation_name,
        variables,
        extensions,
    }
    .into_request()
    .map(BatchRequest::Single)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(batch: BatchRequest) -> Request {
        match batch {
            BatchRequest::Single(r) => r,
            BatchRequest::Batch(_) => panic!("a batch"),
        }
    }

    #[test]
    fn a_misspelt_key_is_refused() {
        assert!(from_json(br#"{"qeury": "{ __typename }"}"#).is_err());
        assert!(from_json(br#"{"variables": {}}"#).is_err(), "no query");
        assert!(from_query_string("qeury=%7B__typename%7D").is_err());
    }

    #[test]
    fn every_parameter_is_read() {
        let r = single(
            from_json(br#"{"query": "query A { me { id } }", "operationName": "A", "variables": {"x": 1}, "extensions": {"k": true}}"#)
                .unwrap(),
        );
        assert_eq!(r.operation_name.as_deref(), Some("A"));
        assert!(r.variables.contains_key(&async_graphql::Name::new("x")));
        assert!(r.extensions.0.contains_key("k"));
        let r = single(
            from_query_string("query=query%20A%7B__typename%7D&operationName=A&variables=%7B%22x%22%3A1%7D").unwrap(),
        );
        assert_eq!(r.operation_name.as_deref(), Some("A"));
        assert!(r.variables.contains_key(&async_graphql::Name::new("x")));
    }

    #[test]
    fn a_persisted_query_may_come_by_its_hash() {
        let r =
            single(from_json(br#"{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab"}}}"#).unwrap());
        assert!(r.query.is_empty());
    }

    #[test]
    fn a_batch_is_a_list() {
        match from_json(br#" [{"query": "{a}"}, {"query": "{b}"}]"#).unwrap() {
            BatchRequest::Batch(all) => assert_eq!(all.len(), 2),
            BatchRequest::Single(_) => panic!("not a batch"),
        }
    }
}
