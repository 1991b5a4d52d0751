//! Bounds on a single operation, checked before anything costly runs. Every refusal is
//! `QUERY_LIMIT_EXCEEDED` with the `limit` that was crossed.
//!
//! The order matters for cost: the document's size, its tokens and nesting are counted
//! by a linear scan before it is parsed; once parsed, the selections it would hold with
//! its fragments expanded, its depth, its root fields and its directives are counted
//! with each fragment measured once (never expanded), so a document whose fragments fan
//! out to millions of fields is refused in microseconds. Only then do validation (with
//! its own depth and complexity) and execution run. A request without an account may
//! only sign in (and read the schema where introspection is on).
//!
//! These checks run in the HTTP handler before the schema executes, not as a schema
//! extension: with any extension registered, async-graphql sends every field of every
//! response through the extension chain (a registry lookup and boxed futures per field).

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{Name, Request, ServerError, ServerResult, Value};

use crate::auth::actor::Authentication;
use crate::error::{AppError, Limit, Text, tr};
use crate::settings::Settings;

/// What a request without an account may run.
const SIGN_IN_FIELDS: &[&str] = &["login", "refreshSession", "logout", "__typename"];
const INTROSPECTION_FIELDS: &[&str] = &["__schema", "__type", "__typename"];

/// The deepest nesting of braces, brackets and parentheses the parser is handed.
pub(crate) const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
    pub max_document_bytes: usize,
    pub max_document_tokens: usize,
    pub max_expanded_selections: usize,
    pub max_directives_per_field: usize,
    pub max_variable_values: usize,
    /// Whether the schema may be read (then also without an account).
    pub introspection: bool,
}

impl QueryLimits {
    pub fn new(settings: &Settings) -> Self {
        let s = &settings.limits;
        QueryLimits {
            max_depth: s.max_query_depth,
            max_complexity: s.max_query_complexity,
            max_aliases: s.max_aliases,
            max_root_fields: s.max_root_fields,
            max_document_bytes: s.max_document_bytes,
            max_document_tokens: s.max_document_tokens,
            max_expanded_selections: s.max_expanded_selections,
            max_directives_per_field: s.max_directives_per_field,
            max_variable_values: s.max_variable_values,
            introspection: settings.introspection_enabled(),
        }
    }
}

fn refuse(limit: Limit, message: Text) -> ServerError {
    AppError::LimitExceeded { limit, message }.into_server_error()
}

/// What async-graphql answers when validation finds a query more complex than the schema's
/// `limit_complexity`.
const ENGINE_TOO_COMPLEX: &str = "Query is too complex.";

impl QueryLimits {
    /// The complexity refusal in our terms, in place of the engine's own message (the
    /// schema is built with `limit_complexity(max_complexity)`).
    pub fn restate(&self, error: &mut ServerError) {
        if error.message == ENGINE_TOO_COMPLEX && error.extensions.is_none() {
            *error = refuse(
                Limit::Complexity,
                tr!(
                    "the query's complexity is more than {} (lower `first` on nested lists)",
                    "độ phức tạp của truy vấn vượt quá {} (hãy giảm `first` ở các danh sách lồng nhau)",
                    self.max_complexity
                ),
            );
        }
    }

    /// Every check that runs before validation, cheapest first, on the request of
    /// `authentication`.
    pub fn admit(&self, request: &mut Request, authentication: &Authentication) -> ServerResult<()> {
        let bytes = request.query.len();
        if bytes > self.max_document_bytes {
            return Err(refuse(
                Limit::DocumentSize,
                tr!(
                    "the document has {bytes} bytes; at most {} are allowed",
                    "văn bản truy vấn dài {bytes} byte; chỉ được tối đa {}",
                    self.max_document_bytes
                ),
            ));
        }
        let scan = scan(&request.query, self.max_document_tokens);
        if scan.tokens > self.max_document_tokens {
            return Err(refuse(
                Limit::Tokens,
                tr!(
                    "the document has more than {} tokens",
                    "văn bản truy vấn có hơn {} từ tố",
                    self.max_document_tokens
                ),
            ));
        }
        if scan.nesting > MAX_NESTING {
            return Err(refuse(
                Limit::Depth,
                tr!(
                    "the document nests brackets more than {MAX_NESTING} deep",
                    "văn bản truy vấn lồng ngoặc sâu hơn {MAX_NESTING} cấp"
                ),
            ));
        }
        let values: usize = request
            .variables
            .values()
            .map(|v| count_values(v, self.max_variable_values))
            .sum();
        if values > self.max_variable_values {
            return Err(refuse(
                Limit::Variables,
                tr!(
                    "the variables hold more than {} values",
                    "các biến chứa hơn {} giá trị",
                    self.max_variable_values
                ),
            ));
        }
        let operation_name = request.operation_name.clone();
        let document = request.parsed_query().map_err(|mut error| {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", crate::error::Code::GraphqlParseFailed.as_str());
            error
        })?;
        self.measure(document)?;
        if !self.introspection {
            refuse_introspection(document, operation_name.as_deref())?;
        }
        if !matches!(authentication, Authentication::Actor(_)) {
            self.check_anonymous(document, operation_name.as_deref(), authentication)?;
        }
        Ok(())
    }

    fn measure(&self, document: &ExecutableDocument) -> ServerResult<()> {
        let aliases = count_aliases(document);
        if aliases > self.max_aliases {
            return Err(refuse(
                Limit::Aliases,
                tr!(
                    "the document uses {aliases} aliases; at most {} are allowed",
                    "văn bản truy vấn dùng {aliases} bí danh; chỉ được tối đa {}",
                    self.max_aliases
                ),
            ));
        }
        let mut measure = Measure {
            document,
            fragments: HashMap::new(),
            max_directives: self.max_directives_per_field,
        };
        for (_, operation) in document.operations.iter() {
            let op = &operation.node;
            if op.directives.len() > self.max_directives_per_field {
                return Err(too_many_directives(self.max_directives_per_field));
            }
            let shape = measure.set(&op.selection_set.node)?;
            if shape.selections > self.max_expanded_selections as u64 {
                return Err(refuse(
                    Limit::ExpandedSelections,
                    tr!(
                        "with its fragments expanded an operation holds {} selections; at most {} are allowed",
                        "khi mở rộng các fragment, thao tác có {} trường chọn; chỉ được tối đa {}",
                        shape.selections,
                        self.max_expanded_selections
                    ),
                ));
            }
            if shape.root_fields > self.max_root_fields as u64 {
                return Err(refuse(
                    Limit::RootFields,
                    tr!(
                        "an operation selects {} root fields; at most {} are allowed",
                        "thao tác chọn {} trường gốc; chỉ được tối đa {}",
                        shape.root_fields,
                        self.max_root_fields
                    ),
                ));
            }
            if shape.depth > self.max_depth as u64 {
                return Err(refuse(
                    Limit::Depth,
                    tr!(
                        "the query is nested {} levels deep; at most {} are allowed",
                        "truy vấn lồng sâu {} cấp; chỉ được tối đa {}",
                        shape.depth,
                        self.max_depth
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Without an account only the sign-in mutations run (and, where introspection is on,
    /// the schema may be read); anything else answers as an unauthenticated request.
    fn check_anonymous(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        authentication: &Authentication,
    ) -> ServerResult<()> {
        for (name, operation) in document.operations.iter() {
            if let (Some(wanted), Some(name)) = (operation_name, name)
                && wanted != name.as_str()
            {
                continue;
            }
            let op = &operation.node;
            let allowed: &[&str] = match op.ty {
                OperationType::Mutation => SIGN_IN_FIELDS,
                OperationType::Query if self.introspection => INTROSPECTION_FIELDS,
                _ => &[],
            };
            let mut names = Vec::new();
            root_field_names(document, &op.selection_set.node, &mut Vec::new(), &mut names);
            if names.is_empty() || names.iter().any(|n| !allowed.contains(&n.as_str())) {
                let refusal = match authentication.actor() {
                    Err(err) => err,
                    Ok(_) => AppError::Unauthenticated(tr!("sign in first", "hãy đăng nhập trước")),
                };
                return Err(refusal.into_server_error());
            }
        }
        Ok(())
    }
}

/// Where introspection is off, an operation that reads the schema (`__schema`, `__type`) is
/// refused before it runs, rather than answered with `null`.
fn refuse_introspection(document: &ExecutableDocument, operation_name: Option<&str>) -> ServerResult<()> {
    for (name, operation) in document.operations.iter() {
        if let (Some(wanted), Some(name)) = (operation_name, name)
            && wanted != name.as_str()
        {
            continue;
        }
        let mut names = Vec::new();
        root_field_names(
            document,
            &operation.node.selection_set.node,
            &mut Vec::new(),
            &mut names,
        );
        if names.iter().any(|n| n == "__schema" || n == "__type") {
            return Err(crate::error::protocol_error(
                crate::error::Code::GraphqlValidationFailed.as_str(),
                tr!(
                    "introspection is disabled on this server",
                    "máy chủ này đã tắt truy vấn lược đồ (introspection)"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a document's text is within the bounds checked before parsing (size, tokens,
/// nesting), for a caller that must parse it early (the GET route, to refuse mutations).
pub fn text_within_bounds(text: &str, limits: &crate::settings::LimitSettings) -> bool {
    if text.len() > limits.max_document_bytes {
        return false;
    }
    let s = scan(text, limits.max_document_tokens);
    s.tokens <= limits.max_document_tokens && s.nesting <= MAX_NESTING
}

fn too_many_directives(max: usize) -> ServerError {
    refuse(
        Limit::Directives,
        tr!(
            "a field carries more than {max} directives",
            "một trường mang hơn {max} chỉ thị (directive)"
        ),
    )
}

/// What a linear scan of the document's text finds.
struct Scan {
    tokens: usize,
    nesting: usize,
}

/// Count lexical tokens and the deepest bracket nesting, stopping once past `max_tokens`.
/// Strings, block strings and comments count as one token or none; this is a bound, not
/// a parser, and errs on the side of counting more.
fn scan(text: &str, max_tokens: usize) -> Scan {
    let bytes = text.as_bytes();
    let (mut i, mut tokens, mut depth, mut nesting) = (0, 0, 0usize, 0usize);
    while i < bytes.len() && tokens <= max_tokens {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            // A comment ends at a line terminator: `\n`, `\r` or both, as the parser reads it.
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 3;
                tokens += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                tokens += 1;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                nesting = nesting.max(depth);
                i += 1;
                tokens += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
                tokens += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                tokens += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                i += 3;
                tokens += 1;
            }
            _ => {
                i += 1;
                tokens += 1;
            }
        }
    }
    Scan { tokens, nesting }
}

/// Values in a variable, stopping once past `max`.
fn count_values(value: &Value, max: usize) -> usize {
    match value {
        Value::List(items) => {
            let mut n = 1;
            for item in items {
                if n > max {
                    break;
                }
                n += count_values(item, max - n.min(max));
            }
            n
        }
        Value::Object(fields) => {
            let mut n = 1;
            for item in fields.values() {
                if n > max {
                    break;
                }
                n += count_values(item, max - n.min(max));
            }
            n
        }
        _ => 1,
    }
}

/// The size of a selection set with its fragments expanded, measured without expanding.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// Fields, fragment spreads and directives.
    selections: u64,
    /// Nesting of fields.
    depth: u64,
    /// Fields at the top level of the set, through fragments.
    root_fields: u64,
}

struct Measure<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment's shape once measured; `None` while it is being measured, so that
    /// a spread of a fragment inside itself is seen as the cycle it is.
    fragments: HashMap<&'a Name, Option<Shape>>,
    max_directives: usize,
}

impl<'a> Measure<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> ServerResult<Shape> {
        let mut shape = Shape::default();
        for item in &set.items {
            let directives = item.node.directives().len();
            if directives > self.max_directives {
                return Err(too_many_directives(self.max_directives));
            }
            let (child, own, field) = match &item.node {
                Selection::Field(f) => (self.set(&f.node.selection_set.node)?, 1, true),
                Selection::InlineFragment(f) => (self.set(&f.node.selection_set.node)?, 0, false),
                Selection::FragmentSpread(s) => (self.fragment(&s.node.fragment_name.node)?, 1, false),
            };
            shape.selections = shape
                .selections
                .saturating_add(own + directives as u64)
                .saturating_add(child.selections);
            if field {
                shape.depth = shape.depth.max(child.depth.saturating_add(1));
                shape.root_fields = shape.root_fields.saturating_add(1);
            } else {
                shape.depth = shape.depth.max(child.depth);
                shape.root_fields = shape.root_fields.saturating_add(child.root_fields);
            }
        }
        Ok(shape)
    }

    fn fragment(&mut self, name: &'a Name) -> ServerResult<Shape> {
        match self.fragments.get(name) {
            Some(Some(shape)) => return Ok(*shape),
            Some(None) => {
                return Err(refuse(
                    Limit::ExpandedSelections,
                    tr!(
                        "the fragment `{name}` spreads itself",
                        "fragment `{name}` tự trải chính nó"
                    ),
                ));
            }
            None => {}
        }
        // An unknown fragment costs nothing here; validation refuses it.
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(Shape::default());
        };
        if fragment.node.directives.len() > self.max_directives {
            return Err(too_many_directives(self.max_directives));
        }
        self.fragments.insert(name, None);
        let shape = self.set(&fragment.node.selection_set.node)?;
        self.fragments.insert(name, Some(shape));
        Ok(shape)
    }
}

/// The names of the fields selected at the root, through fragments, each fragment once.
fn root_field_names<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut Vec<&'a Name>,
    names: &mut Vec<Name>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => names.push(f.node.name.node.clone()),
            Selection::InlineFragment(f) => root_field_names(document, &f.node.selection_set.node, seen, names),
            Selection::FragmentSpread(s) => {
                let name = &s.node.fragment_name.node;
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                if let Some(f) = document.fragments.get(name) {
                    root_field_names(document, &f.node.selection_set.node, seen, names);
                }
            }
        }
    }
}

fn count_aliases(document: &ExecutableDocument) -> usize {
    let in_operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| aliases_in(&op.node.selection_set.node))
        .sum();
    let in_fragments: usize = document
        .fragments
        .values()
        .map(|f| aliases_in(&f.node.selection_set.node))
        .sum();
    in_operations + in_fragments
}

fn aliases_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + aliases_in(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => aliases_in(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests;
