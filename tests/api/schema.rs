//! The committed `schema.graphql` is the schema the server serves, and every item of it an
//! integrator reads says what it is.

use async_graphql::Positioned;
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{InterfaceType, ObjectType, TypeKind, TypeSystemDefinition};

#[test]
fn committed_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let current = ketnap::api::sdl();
    assert!(
        committed == current,
        "schema.graphql is stale: regenerate it with `cargo run -- export-schema --output schema.graphql` and commit it"
    );
}

/// The types, fields, arguments, input fields and enum values of `sdl` that have no
/// description, as `Type`, `Type.item` or `Type.field(argument)`, in the order of the SDL.
fn undescribed(sdl: &str) -> Vec<String> {
    let document = parse_schema(sdl).expect("the SDL parses");
    let blank = |d: &Option<Positioned<String>>| d.as_ref().is_none_or(|d| d.node.trim().is_empty());
    let mut missing = Vec::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(t) = definition else {
            continue;
        };
        let t = t.node;
        let name = t.name.node.to_string();
        if blank(&t.description) {
            missing.push(name.clone());
        }
        let items: Vec<(String, bool)> = match &t.kind {
            TypeKind::Object(ObjectType { fields, .. }) | TypeKind::Interface(InterfaceType { fields, .. }) => fields
                .iter()
                .flat_map(|f| {
                    let field = f.node.name.node.to_string();
                    let arguments = f
                        .node
                        .arguments
                        .iter()
                        .map(|a| (format!("{field}({})", a.node.name.node), blank(&a.node.description)));
                    std::iter::once((field.clone(), blank(&f.node.description)))
                        .chain(arguments)
                        .collect::<Vec<_>>()
                })
                .collect(),
            TypeKind::InputObject(i) => i
                .fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), blank(&f.node.description)))
                .collect(),
            TypeKind::Enum(e) => e
                .values
                .iter()
                .map(|v| (v.node.value.node.to_string(), blank(&v.node.description)))
                .collect(),
            TypeKind::Scalar | TypeKind::Union(_) => Vec::new(),
        };
        missing.extend(
            items
                .into_iter()
                .filter(|(_, blank)| *blank)
                .map(|(item, _)| format!("{name}.{item}")),
        );
    }
    missing
}

/// Every type, field, input field and enum value of the schema has a description: a
/// frontend developer or a district clerk reads the schema, not the code.
#[test]
fn every_item_of_the_schema_is_described() {
    let missing = undescribed(&ketnap::api::sdl());
    assert!(
        missing.is_empty(),
        "{} items of the schema have no description (write a `///` doc comment on the Rust item): {missing:#?}",
        missing.len()
    );
}

#[test]
fn the_check_names_every_undescribed_item() {
    let sdl = r#"
"""Described."""
type A { """Described.""" a: Int  b(x: Int): Int  """Described.""" h("Described." y: Int, z: Int): Int }
type B { c: Int }
"""Described."""
interface I { "Described." d(w: Int): Int  e: Int }
"""Described."""
input C { """Described.""" f: Int  g: Int = 1 }
"""Described."""
enum D { """Described.""" E  F }
"""   """
scalar S
union U = A | B
schema { query: A }
"#;
    assert_eq!(
        undescribed(sdl),
        [
            "A.b", "A.b(x)", "A.h(z)", "B", "B.c", "I.d(w)", "I.e", "C.g", "D.F", "S", "U"
        ]
    );
}
