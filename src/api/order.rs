//! Response fields in the order of the selection set, every time (GraphQL §7.1.1, "Serialized
//! Map Ordering"). The engine resolves the fields of an object concurrently and keeps them in
//! the order they finish (async-graphql issue #612), so two identical requests could answer
//! with their fields in different orders. Each response is put back in the order of the
//! operation it answers: a walk over the data it holds, fragments read where they stand.

use std::rc::Rc;

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
        let mut orders = Orders::default();
        reorder(data, &[&operation.node.selection_set.node], document, &mut orders);
    }
}

/// The orders found so far in one response. Objects that answer the same selection sets
/// (the same nodes of the document, compared by address) with the same keys take the same
/// order (a fragment's type condition is judged by the keys an object holds), so it is
/// found once for all of them: once for the 50 nodes of a page, not 50 times.
#[derive(Default)]
struct Orders<'a> {
    found: Vec<Order<'a>>,
}

struct Order<'a> {
    sets: Vec<&'a SelectionSet>,
    keys: Vec<Name>,
    wanted: Rc<Wanted<'a>>,
}

/// More distinct shapes than this in one response are ordered without being remembered.
const MAX_ORDERS: usize = 64;

impl<'a> Orders<'a> {
    fn for_object(
        &mut self,
        sets: &[&'a SelectionSet],
        document: &'a ExecutableDocument,
        object: &IndexMap<Name, Value>,
    ) -> Rc<Wanted<'a>> {
        let same_sets = |order: &Order| {
            order.sets.len() == sets.len() && order.sets.iter().zip(sets).all(|(a, b)| std::ptr::eq(*a, *b))
        };
        let same_keys = |order: &Order| {
            order.keys.len() == object.len()
                && (order.keys.iter().zip(object.keys()).all(|(a, b)| a == b)
                    || order.keys.iter().all(|k| object.contains_key(k)))
        };
        if let Some(order) = self.found.iter().find(|o| same_sets(o) && same_keys(o)) {
            return order.wanted.clone();
        }
        let wanted = Rc::new(fields_for(sets, document, object));
        if self.found.len() < MAX_ORDERS {
            self.found.push(Order {
                sets: sets.to_vec(),
                keys: object.keys().cloned().collect(),
                wanted: wanted.clone(),
            });
        }
        wanted
    }
}

/// Every response key `set` selects, fragments and all.
fn keys_of<'a>(set: &'a SelectionSet, document: &'a ExecutableDocument, into: &mut Vec<&'a Name>, depth: usize) {
    if depth > 64 {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => into.push(&field.node.response_key().node),
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    keys_of(&fragment.node.selection_set.node, document, into, depth + 1);
                }
            }
            Selection::InlineFragment(inline) => keys_of(&inline.node.selection_set.node, document, into, depth + 1),
        }
    }
}

/// The response keys `sets` select for `object`, in order, each with the selection sets below
/// it. The object's type is not in the answer, so a fragment with a type condition counts
/// only when the object holds every key it selects: of `... on Candidate { id stage }` and
/// `... on OrgUnit { name id }`, a unit takes the second's order.
fn fields_for<'a>(
    sets: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
    object: &IndexMap<Name, Value>,
) -> Wanted<'a> {
    fn applies(set: &SelectionSet, document: &ExecutableDocument, object: &IndexMap<Name, Value>) -> bool {
        let mut keys = Vec::new();
        keys_of(set, document, &mut keys, 0);
        keys.iter().all(|key| object.contains_key(*key))
    }
    fn collect<'a>(
        set: &'a SelectionSet,
        document: &'a ExecutableDocument,
        object: &IndexMap<Name, Value>,
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
                        let set = &fragment.node.selection_set.node;
                        if applies(set, document, object) {
                            collect(set, document, object, into, depth + 1);
                        }
                    }
                }
                Selection::InlineFragment(inline) => {
                    let set = &inline.node.selection_set.node;
                    if inline.node.type_condition.is_none() || applies(set, document, object) {
                        collect(set, document, object, into, depth + 1);
                    }
                }
            }
        }
    }
    let mut found = IndexMap::new();
    for set in sets {
        collect(set, document, object, &mut found, 0);
    }
    found
}

fn reorder<'a>(
    value: &mut Value,
    sets: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
    orders: &mut Orders<'a>,
) {
    match value {
        Value::List(items) => {
            for item in items {
                reorder(item, sets, document, orders);
            }
        }
        Value::Object(map) => {
            let wanted = orders.for_object(sets, document, map);
            reorder_object(map, &wanted, document, orders);
        }
        _ => {}
    }
}

/// The response keys of an object in order, each with the selection sets below it.
type Wanted<'a> = IndexMap<&'a Name, Vec<&'a SelectionSet>>;

/// Put `map` in the order of `wanted`, and what is below it in theirs. An object already in
/// order (the engine's usual answer) is left where it is; only its children are walked.
fn reorder_object<'a>(
    map: &mut IndexMap<Name, Value>,
    wanted: &Wanted<'a>,
    document: &'a ExecutableDocument,
    orders: &mut Orders<'a>,
) {
    let mut walk = |child: &mut Value, below: &Vec<&'a SelectionSet>| {
        if below.iter().any(|set| !set.items.is_empty()) {
            reorder(child, below, document, orders);
        }
    };
    if map.len() == wanted.len() && map.keys().zip(wanted.keys()).all(|(have, want)| have == *want) {
        for ((_, child), below) in map.iter_mut().zip(wanted.values()) {
            walk(child, below);
        }
        return;
    }
    let mut ordered = IndexMap::with_capacity(map.len());
    for (key, below) in wanted {
        if let Some((name, mut child)) = map.swap_remove_entry(*key) {
            walk(&mut child, below);
            ordered.insert(name, child);
        }
    }
    // Nothing should be left; if anything is, it keeps its place at the end.
    ordered.extend(map.drain(..));
    *map = ordered;
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
    fn a_fragment_on_another_type_does_not_set_the_order() {
        let document =
            async_graphql::parser::parse_query("{ node { ... on Candidate { id stage } ... on OrgUnit { name id } } }")
                .unwrap();
        let mut unit = Value::from_json(serde_json::json!({ "node": { "id": "u", "name": "n" } })).unwrap();
        restore(&mut unit, &document, None);
        let Value::Object(map) = &unit else { panic!() };
        assert_eq!(keys(&map["node"]), ["name", "id"]);
        let mut candidate = Value::from_json(serde_json::json!({ "node": { "stage": "s", "id": "c" } })).unwrap();
        restore(&mut candidate, &document, None);
        let Value::Object(map) = &candidate else { panic!() };
        assert_eq!(keys(&map["node"]), ["id", "stage"]);
    }

    #[test]
    fn each_object_of_a_list_takes_the_order_of_the_fragments_it_answers() {
        let document = async_graphql::parser::parse_query(
            "{ nodes { ... on Candidate { id stage } ... on Member { fullName id } ... on OrgUnit { name id parent { name id } } } }",
        )
        .unwrap();
        let mut data = Value::from_json(serde_json::json!({ "nodes": [
            { "id": "u1", "name": "a", "parent": { "id": "p", "name": "b" } },
            { "stage": "s", "id": "c1" },
            { "id": "c2", "stage": "s" },
            { "id": "m1", "fullName": "e" },
            { "name": "c", "id": "u2", "parent": { "id": "p", "name": "b" } },
            { "parent": { "name": "b", "id": "p" }, "name": "d", "id": "u3" },
        ] }))
        .unwrap();
        restore(&mut data, &document, None);
        let Value::Object(map) = &data else { panic!() };
        let Value::List(items) = &map["nodes"] else { panic!() };
        let orders: Vec<Vec<String>> = items.iter().map(keys).collect();
        assert_eq!(orders[0], ["name", "id", "parent"]);
        assert_eq!(orders[1], ["id", "stage"]);
        assert_eq!(orders[2], ["id", "stage"]);
        assert_eq!(orders[3], ["fullName", "id"]);
        assert_eq!(orders[4], ["name", "id", "parent"]);
        assert_eq!(orders[5], ["name", "id", "parent"]);
        for unit in [&items[0], &items[4], &items[5]] {
            let Value::Object(unit) = unit else { panic!() };
            assert_eq!(keys(&unit["parent"]), ["name", "id"]);
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
