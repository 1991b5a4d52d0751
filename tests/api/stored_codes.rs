//! A code in the database that the program does not know (written by another tool, or by a
//! migration gone wrong) is an error where it is read, never a value silently dropped or
//! defaulted: the field answers `INTERNAL` and no value stands in for it.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{TestApp, error_code};
use crate::workflow::{Roles, act_ok, person};

async fn an_unknown_stored_code_is_an_error_not_a_default(app: TestApp) {
    let roles = Roles::of(&app).await;
    let listed = person("Lò Thị Mai", "2001-05-05", "2025-01-06");
    let c = act_ok(&app, &roles.branch, "addToSourceList", listed).await;
    let id = c["id"].as_str().unwrap().to_string();
    let db = &app.state.db;
    let set = |column: &str, value: &str| {
        Statement::from_string(
            db.get_database_backend(),
            format!("UPDATE candidate SET {column} = '{value}' WHERE full_name = 'Lò Thị Mai'"),
        )
    };
    // Each column with the field that reads it and the code it held.
    let columns = [
        ("gender", "gender", "FEMALE"),
        ("general_education", "generalEducation", "UPPER_SECONDARY"),
        ("source_organisation", "sourceOrganisation", "YOUTH_UNION"),
        ("stage", "stage", "SOURCE_LIST"),
    ];
    for (column, field, held) in columns {
        db.execute_raw(set(column, "NOT_A_CODE"))
            .await
            .expect("store an unknown code");
        let query = format!("query($id: ID!) {{ candidate(id: $id) {{ id {field} }} }}");
        let body = app.graphql(Some(&roles.branch), &query, json!({ "id": id })).await;
        assert_eq!(error_code(&body), "INTERNAL", "{column}: {body}");
        assert_eq!(
            body["errors"][0]["path"],
            json!(["candidate", field]),
            "{column}: {body}"
        );
        let value = &body["data"]["candidate"][field];
        assert!(
            value.is_null(),
            "{column}: a value stood in for the unknown code: {body}"
        );
        db.execute_raw(set(column, held)).await.expect("put the code back");
        let body = app.graphql(Some(&roles.branch), &query, json!({ "id": id })).await;
        assert_eq!(body["data"]["candidate"][field], held, "{column}: {body}");
    }
}

db_tests!(an_unknown_stored_code_is_an_error_not_a_default);
