//! The limits at their edges: each bound met exactly passes, one past it is refused.

use super::*;

#[test]
fn the_scan_counts_tokens_and_nesting() {
    let s = scan(
        r#"query Q($a: [Int!]) { x(a: $a, s: "a b { c") { ...F } } # { comment"#,
        1000,
    );
    assert_eq!((s.tokens, s.nesting), (27, 2));
    let block = scan(r#"{ x(s: """ { [ ( """) }"#, 1000);
    assert_eq!((block.tokens, block.nesting), (8, 2));
    // A bare carriage return ends a comment, as it does for the parser.
    assert_eq!(scan(&format!("#\r{{ a(x: {}) }}", "[".repeat(100)), 1000).nesting, 102);
    // It stops counting once past the bound.
    assert_eq!(scan(&"a ".repeat(10_000), 10).tokens, 11);
}

#[test]
fn fragments_are_measured_once_however_often_spread() {
    // F0 holds two fields; every Fi spreads F(i-1) twice: 2^24 fields expanded.
    let mut text = String::from("query { ...F24 }\nfragment F0 on Query { a b }\n");
    for i in 1..=24 {
        text.push_str(&format!("fragment F{i} on Query {{ ...F{p} ...F{p} }}\n", p = i - 1));
    }
    let document = async_graphql::parser::parse_query(&text).expect("parses");
    let mut m = Measure {
        document: &document,
        fragments: HashMap::new(),
        max_directives: 5,
    };
    let (_, op) = document.operations.iter().next().expect("one operation");
    let shape = m.set(&op.node.selection_set.node).expect("measured");
    assert!(shape.root_fields >= 1 << 25, "{shape:?}");
    assert!(shape.selections > 1 << 25, "{shape:?}");
}

#[test]
fn a_fragment_cycle_is_refused() {
    let text = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let document = async_graphql::parser::parse_query(text).expect("parses");
    let mut m = Measure {
        document: &document,
        fragments: HashMap::new(),
        max_directives: 5,
    };
    let (_, op) = document.operations.iter().next().expect("one operation");
    assert!(m.set(&op.node.selection_set.node).is_err());
}

#[test]
fn nested_variables_are_counted_up_to_the_bound() {
    let list = Value::List(vec![Value::from(1); 50]);
    assert_eq!(count_values(&list, 100), 51);
    assert!(count_values(&Value::List(vec![list.clone(); 50]), 100) > 100);
}

use proptest::prelude::*;

/// The naive measure: expand every spread.
fn expanded(doc: &ExecutableDocument, set: &SelectionSet) -> (u64, u64, u64) {
    let (mut selections, mut depth, mut roots) = (0, 0, 0);
    for item in &set.items {
        let dirs = item.node.directives().len() as u64;
        match &item.node {
            Selection::Field(f) => {
                let (s, d, _) = expanded(doc, &f.node.selection_set.node);
                selections += 1 + dirs + s;
                depth = depth.max(d + 1);
                roots += 1;
            }
            Selection::InlineFragment(f) => {
                let (s, d, r) = expanded(doc, &f.node.selection_set.node);
                selections += dirs + s;
                depth = depth.max(d);
                roots += r;
            }
            Selection::FragmentSpread(sp) => {
                let f = &doc.fragments[&sp.node.fragment_name.node];
                let (s, d, r) = expanded(doc, &f.node.selection_set.node);
                selections += 1 + dirs + s;
                depth = depth.max(d);
                roots += r;
            }
        }
    }
    (selections, depth, roots)
}

proptest! {
    /// Over random documents whose fragments spread earlier ones (and nest fields,
    /// inline fragments and directives), measuring each fragment once gives exactly
    /// what full expansion gives.
    #[test]
    fn measuring_once_equals_expanding(
        fragments in proptest::collection::vec(
            proptest::collection::vec((0u8..4, 0usize..6, any::<bool>()), 1..5),
            1..6,
        ),
    ) {
        // Fragment i holds items: 0 a field, 1 a field with a subselection, 2 an inline
        // fragment, 3 a spread of an earlier fragment (or a field for the first).
        let mut text = String::from("query { ...F0 ");
        text.push_str(&format!("...F{} }}\n", fragments.len() - 1));
        for (i, items) in fragments.iter().enumerate() {
            let mut body = String::new();
            for (kind, target, directive) in items {
                let dir = if *directive { " @include(if: true)" } else { "" };
                match kind {
                    0 => body.push_str(&format!("a{dir} ")),
                    1 => body.push_str(&format!("b{dir} {{ c d }} ")),
                    2 => body.push_str(&format!("...{dir} {{ e f {{ g }} }} ")),
                    _ if i == 0 => body.push_str("h "),
                    _ => body.push_str(&format!("...F{}{dir} ", target % i)),
                }
            }
            text.push_str(&format!("fragment F{i} on Query {{ {body}}}\n"));
        }
        let document = async_graphql::parser::parse_query(&text).expect("parses");
        let mut m = Measure { document: &document, fragments: HashMap::new(), max_directives: 5 };
        let (_, op) = document.operations.iter().next().expect("one operation");
        let shape = m.set(&op.node.selection_set.node).expect("measured");
        let naive = expanded(&document, &op.node.selection_set.node);
        prop_assert_eq!((shape.selections, shape.depth, shape.root_fields), naive, "{}", text);
    }
}
