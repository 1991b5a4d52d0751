//! Bounds on a single operation, checked before anything runs: selection depth,
//! complexity (a connection counts its children once per requested item), aliases and root
//! fields. Each refusal is `QUERY_LIMIT_EXCEEDED` with the `limit` that was crossed.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use crate::error::{AppError, Limit};
use crate::settings::LimitSettings;

#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
}

impl From<&LimitSettings> for QueryLimits {
    fn from(s: &LimitSettings) -> Self {
        QueryLimits {
            max_depth: s.max_query_depth,
            max_complexity: s.max_query_complexity,
            max_aliases: s.max_aliases,
            max_root_fields: s.max_root_fields,
        }
    }
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn refuse(limit: Limit, message: String) -> ServerError {
    AppError::LimitExceeded { limit, message }.to_server_error()
}

#[async_trait::async_trait]
impl Extension for QueryLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = count_aliases(&document);
        if aliases > self.max_aliases {
            return Err(refuse(
                Limit::Aliases,
                format!(
                    "the document uses {aliases} aliases; at most {} are allowed",
                    self.max_aliases
                ),
            ));
        }
        for (_, operation) in document.operations.iter() {
            let roots = count_root_fields(&operation.node.selection_set.node, &document);
            if roots > self.max_root_fields {
                return Err(refuse(
                    Limit::RootFields,
                    format!(
                        "an operation selects {roots} root fields; at most {} are allowed",
                        self.max_root_fields
                    ),
                ));
            }
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > self.max_depth {
            return Err(vec![refuse(
                Limit::Depth,
                format!(
                    "the query is nested {} levels deep; at most {} are allowed",
                    result.depth, self.max_depth
                ),
            )]);
        }
        if result.complexity > self.max_complexity {
            return Err(vec![refuse(
                Limit::Complexity,
                format!(
                    "the query's complexity is {}; at most {} is allowed (lower `first` on nested lists)",
                    result.complexity, self.max_complexity
                ),
            )]);
        }
        Ok(result)
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

/// Fields selected at the root, looking through fragments (a fragment cycle is cut off by
/// the depth bound; validation rejects it anyway).
fn count_root_fields(set: &SelectionSet, document: &ExecutableDocument) -> usize {
    fn walk(set: &SelectionSet, document: &ExecutableDocument, hops: usize) -> usize {
        if hops > 8 {
            return 0;
        }
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(fragment) => walk(&fragment.node.selection_set.node, document, hops + 1),
                Selection::FragmentSpread(spread) => document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .map_or(0, |f| walk(&f.node.selection_set.node, document, hops + 1)),
            })
            .sum()
    }
    walk(set, document, 0)
}
