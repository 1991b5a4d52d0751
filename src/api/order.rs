//! Response fields in the order of the selection set, every time (GraphQL §7.1.1, "Serialized
//! Map Ordering"). The engine resolves the fields of an object concurrently and keeps them in
//! the order they finish (async-graphql issue #612), so two identical requests could answer
//! with their fields in different orders. Each response is put back in the order of the
//! operation it answers: a walk over the data it holds, fragments read where they stand.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// Put `data`, the answer to the operation `operation_name` of `document`, in the order of
/// its selection sets.
pub fn restore(data: &mut Value, document: &ExecutableDocument, operation_name: Option<&str>) {
    let operation = document
        .operations
        .iter()
        .find(|(name, _)| match (operation_name, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        });
    if let Some((_, operation)) = operation {
        reorder(data, &[&operation.node.selection_set.node], document);
    }
}

/// The response keys `sets` select, in order, each with the selection sets below it.
fn fields<'a>(
    sets: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
) -> IndexMap<&'a Name, Vec<&'a SelectionSet>> {
    fn collect<'a>(
        set: &'a SelectionSet,
        document: &'a ExecutableDocument,
        into: &mut IndexMap<&'a Name, Vec<&'a SelectionSet>>,
        depth: usize,
    ) {
        // Validation refuses fragment cycles; this bounds a walk that is never handed one.
        if depth > 64 {
            return;
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let key = &field.node.response_key().node;
                    into.entry(key).or_default().push(&field.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                        collect(&fragment.node.selection_set.node, document, into, depth + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    collect(&inline.node.selection_set.node, document, into, depth + 1);
                }
            }
        }
    }
    let mut found = IndexMap::new();
    for set in sets {
        collect(set, document, &mut found, 0);
    }
    found
}

fn reorder(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    match value {
        Value::List(items) => {
            let wanted = fields(sets, document);
            for item in items {
                apply(item, &wanted, document);
            }
        }
        Value::Object(_) => apply(value, &fields(sets, document), document),
        _ => {}
    }
}

fn apply(value: &mut Value, wanted: &IndexMap<&Name, Vec<&SelectionSet>>, document: &ExecutableDocument) {
    match value {
        Value::List(items) => {
            for item in items {
                apply(item, wanted, document);
            }
        }
        Value::Object(map) => {
            let mut ordered = IndexMap::with_capacity(map.len());
            for (key, below) in wanted {
                if let Some((name, mut child)) = map.swap_remove_entry(*key) {
                    if below.iter().any(|set| !set.items.is_empty()) {
                        reorder(&mut child, below, document);
                    }
                    ordered.insert(name, child);
                }
            }
            // Nothing should be left; if anything is, it keeps its place at the end.
            ordered.extend(map.drain(..));
            *map = ordered;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(value: &Value) -> Vec<String> {
        match value {
            Value::Object(map) => map.keys().map(|k| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn fields_follow_the_selection_and_its_fragments() {
        let document =
            async_graphql::parser::parse_query("query Q { b a: x { ...F z } } fragment F on T { y ... on T { w } }")
                .unwrap();
        let mut data = Value::from_json(serde_json::json!({
            "a": [{ "z": 1, "w": 2, "y": 3 }, { "w": 2, "z": 1, "y": 3 }],
            "b": 4
        }))
        .unwrap();
        restore(&mut data, &document, Some("Q"));
        assert_eq!(keys(&data), ["b", "a"]);
        let Value::Object(map) = &data else { panic!() };
        let Value::List(items) = &map["a"] else { panic!() };
        for item in items {
            assert_eq!(keys(item), ["y", "w", "z"]);
        }
    }
}
