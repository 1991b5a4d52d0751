//! Every string an operation takes is bounded, and says so: generated from the schema, for
//! each `String` argument and input field of every query and mutation, the description
//! must state "at most N characters", and N + 1 characters must answer `BAD_USER_INPUT`
//! naming the field. A new string input without a bound fails here.

use std::collections::{BTreeMap, BTreeSet};

use crate::error_paths::{fill, id_types, operations, set};

use crate::helpers::TestApp;
use crate::scope::{Introspected, Tree, fixture, viewer, walk};

/// The bound a description states: "At most 200 characters".
fn stated_bound(description: &str) -> Option<usize> {
    let lower = description.to_lowercase();
    let at = lower.find("at most ")?;
    let rest = &lower[at + "at most ".len()..];
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    rest[digits.len()..]
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ',')
        .trim_start()
        .starts_with("characters")
        .then_some(())?;
    digits.parse().ok()
}

async fn every_string_input_is_bounded(app: TestApp) {
    let roles = fixture(&app).await;
    let schema = Introspected::of(&app, &roles.admin).await;
    let tree = Tree::load(&app).await;
    let admin = viewer(&app, "demo.admin", roles.admin.clone()).await;
    let everything = walk(&app, &schema, &tree, &admin, &BTreeSet::new()).await;
    let mut seen: BTreeMap<String, i32> = BTreeMap::new();
    for (t, id) in &everything {
        seen.entry(t.clone()).or_insert(*id);
    }
    let mut unstated = Vec::new();
    let mut unrefused = Vec::new();
    let mut checked = 0;
    for op in operations(&schema) {
        if op.texts.is_empty() {
            continue;
        }
        let types = id_types(&app, &admin.token, &op, &seen).await;
        for text in &op.texts {
            let (path, name) = (&text.path, &text.name);
            let Some(max) = stated_bound(&text.description) else {
                unstated.push(format!("{} {}", op.name, path.join(".")));
                continue;
            };
            let mut vars = fill(&op, &types, &seen);
            set(&mut vars, path, &"x".repeat(max + 1));
            let body = op.run(&app, &admin.token, vars).await;
            let error = &body["errors"][0];
            let field = error["extensions"]["field"].as_str().unwrap_or_default();
            if error["extensions"]["code"] != "BAD_USER_INPUT" || !field.ends_with(name.as_str()) {
                unrefused.push(format!("{} {} (at most {max}): {body}", op.name, path.join(".")));
            }
            checked += 1;
        }
    }
    assert!(
        unstated.is_empty(),
        "string inputs whose description states no bound: {unstated:#?}"
    );
    assert!(
        unrefused.is_empty(),
        "string inputs not refused past their bound: {unrefused:#?}"
    );
    assert!(checked >= 40, "only {checked} string inputs checked");
}

db_tests!(with crate::scope::unbounded; every_string_input_is_bounded);

#[test]
fn bounds_are_read_from_descriptions() {
    assert_eq!(stated_bound("Name. At most 200 characters."), Some(200));
    assert_eq!(stated_bound("at most 1,000,000 characters"), Some(1_000_000));
    assert_eq!(stated_bound("At most 5 units"), None);
    assert_eq!(stated_bound("anything"), None);
}
