//! A list asks SQL for only the columns the fields it shows read
//! (`candidates::graphql::FIELD_COLUMNS`): every field of `Candidate`, taken from the schema,
//! answers in a list exactly as it answers for the candidate read whole by id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{BaseType, FieldDefinition, Type, TypeKind, TypeSystemDefinition};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use ketnap::seed::synthetic::SYNTHETIC_PASSWORD;

use crate::helpers::{TestApp, assert_ok};
use crate::synthetic::seed_tiny;

/// The name of the type at the bottom of `ty`'s lists and non-nulls.
fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}

/// Each field of `type_name` that needs no argument, with a selection of it: the field
/// alone for a scalar or an enum, else the field with every such leaf of its type.
fn selections(type_name: &str) -> Vec<(String, String)> {
    let document = parse_schema(ketnap::api::sdl()).expect("the SDL parses");
    let mut kinds: HashMap<String, TypeKind> = HashMap::new();
    for definition in document.definitions {
        if let TypeSystemDefinition::Type(t) = definition {
            kinds.insert(t.node.name.node.to_string(), t.node.kind);
        }
    }
    let fields_of = |name: &str| -> Vec<FieldDefinition> {
        match kinds.get(name) {
            Some(TypeKind::Object(o)) => o.fields.iter().map(|f| f.node.clone()).collect(),
            Some(TypeKind::Interface(i)) => i.fields.iter().map(|f| f.node.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let takes_none = |f: &FieldDefinition| f.arguments.iter().all(|a| a.node.ty.node.nullable);
    let is_leaf = |name: &str| matches!(kinds.get(name), Some(TypeKind::Scalar | TypeKind::Enum(_)) | None);
    fields_of(type_name)
        .into_iter()
        .filter(|f| takes_none(f))
        .map(|f| {
            let name = f.name.node.to_string();
            let base = base_name(&f.ty.node);
            let selection = if is_leaf(base) {
                name.clone()
            } else {
                let leaves: Vec<String> = fields_of(base)
                    .into_iter()
                    .filter(|f| f.arguments.is_empty() && is_leaf(base_name(&f.ty.node)))
                    .map(|f| f.name.node.to_string())
                    .collect();
                format!("{name} {{ __typename {} }}", leaves.join(" "))
            };
            (name, selection)
        })
        .collect()
}

async fn every_field_answers_in_a_list_as_read_whole(recording: (TestApp, Arc<Mutex<Vec<String>>>)) {
    let (app, statements) = recording;
    seed_tiny(&app, 11).await;
    // One candidate, first by name, with every nullable column filled and its flags set,
    // so that a column a field reads but the list left out cannot pass as empty.
    app.state
        .db
        .execute_unprepared(
            "UPDATE candidate SET search_key = 'a', occupation = 'Giáo viên', workplace = 'Trường tiểu học', \
             citizen_id = '001090000001', exit_reason = 'chuyển đi', branch_resolution_on = '2024-01-02', \
             decision_signed_on = '2024-01-03', decision_received_on = '2024-01-04', ceremony_on = '2024-01-05', \
             probation_ends_on = '2025-01-05', recognition_commune_on = '2025-01-06', \
             recognition_branch_on = '2025-01-07', official_on = '2025-01-08', exited_on = '2025-01-09', \
             returned_soldier = TRUE, difficult_area_education_exception = TRUE, version = 7, \
             residential_area_id = (SELECT MIN(id) FROM residential_area), \
             readmission_of_member_id = (SELECT MIN(id) FROM member) \
             WHERE id = (SELECT MIN(id) FROM candidate)",
        )
        .await
        .expect("fill one candidate's columns");
    let login = app.login("synthetic-province", SYNTHETIC_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("a token")
        .to_string();
    let fields = selections("Candidate");
    assert!(fields.len() > 40, "the schema's candidate fields: {fields:?}");
    for (name, selection) in &fields {
        // Ordered by name, so the page mixes stages and branches and its sort column is
        // one the fields do not ask for.
        let list = app
            .graphql(
                Some(&token),
                &format!("{{ candidates(first: 60, orderBy: {{ field: NAME }}) {{ edges {{ node {{ id {selection} }} }} }} }}"),
                json!({}),
            )
            .await;
        assert_ok(&list);
        let nodes: Vec<Value> = list["data"]["candidates"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"].clone())
            .collect();
        assert_eq!(nodes.len(), 60, "{name}: {list}");
        for chunk in nodes.chunks(20) {
            let aliased: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(i, node)| format!("c{i}: candidate(id: {}) {{ id {selection} }}", node["id"]))
                .collect();
            let whole = app
                .graphql(Some(&token), &format!("{{ {} }}", aliased.join(" ")), json!({}))
                .await;
            assert_ok(&whole);
            for (i, node) in chunk.iter().enumerate() {
                assert_eq!(
                    &whole["data"][format!("c{i}")],
                    node,
                    "{name} of {} in a list",
                    node["id"]
                );
            }
        }
    }
    // The list shown by name reads its names, not the candidates' other columns; a field
    // outside the map of what fields read reads every column.
    let narrow = page_statement(&app, &token, &statements, "id fullName").await;
    assert!(
        narrow.contains("\"full_name\"") && !narrow.contains("\"citizen_id\""),
        "{narrow}"
    );
    let whole = page_statement(&app, &token, &statements, "id partyAgeFrom").await;
    assert!(whole.contains("\"citizen_id\""), "{whole}");
}

/// The one page statement of a list of five candidates showing `selection`.
async fn page_statement(app: &TestApp, token: &str, statements: &Mutex<Vec<String>>, selection: &str) -> String {
    statements.lock().expect("the record").clear();
    let body = app
        .graphql(
            Some(token),
            &format!("{{ candidates(first: 5) {{ edges {{ node {{ {selection} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_ok(&body);
    let pages: Vec<String> = statements
        .lock()
        .expect("the record")
        .iter()
        .filter(|sql| sql.contains("LIMIT") && sql.contains("FROM \"candidate\""))
        .cloned()
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    pages.into_iter().next().expect("one")
}

recording_tests!(every_field_answers_in_a_list_as_read_whole);
