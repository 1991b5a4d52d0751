//! The committed `schema.graphql` is the schema the server serves.

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
