//! Every stored code is typed where the entity reads it: a code in the database that the
//! program does not know (written by another tool, or by a migration gone wrong) is a read
//! error naming the code, the column and the row, never a value silently dropped or
//! defaulted; through the API the field answers `INTERNAL` and no value stands in.

use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ColumnTrait, ColumnType, ConnectionTrait, DatabaseConnection, EntityTrait, IdenStatic, Iterable, QueryFilter,
    Statement, TransactionTrait,
};
use serde_json::json;

use crate::helpers::{TestApp, error_code};
use crate::workflow::{Roles, act_ok, person};

/// Text columns that hold free text rather than a code. The audit trail's act, role and
/// entity names are a log: they are read back as they were written, whatever the program's
/// vocabulary is now, and shown as text.
const FREE_TEXT: &[&str] = &[
    "admission_delegation.decision_number",
    "admission_target.note",
    "api_token.name",
    "api_token.token_hash",
    "api_token.prefix",
    "app_user.username",
    "app_user.display_name",
    "app_user.password_hash",
    "audit_event.actor_role",
    "audit_event.request_id",
    "audit_event.act",
    "audit_event.entity_type",
    "candidate.full_name",
    "candidate.search_key",
    "candidate.occupation",
    "candidate.workplace",
    "candidate.citizen_id",
    "candidate.exit_reason",
    "course.name",
    "course_enrolment.certificate_number",
    "decision.number",
    "decision.reason",
    "dossier_document.note",
    "member.full_name",
    "member.search_key",
    "member.citizen_id",
    "mentor_assignment.end_reason",
    "org_unit.code",
    "org_unit.name",
    "org_unit.search_key",
    "public_holiday.name",
    "refresh_token.family_id",
    "refresh_token.token_hash",
    "relative.full_name",
    "relative.note",
    "residential_area.code",
    "residential_area.name",
    "residential_area.search_key",
    "resolution.note",
    "rulebook_version.source",
];

/// The columns that hold a code, each with the domain type it is read as.
const TYPED: &[(&str, &str)] = &[
    ("admission_target.period_kind", "PeriodKind"),
    ("admission_target.basis", "TargetBasis"),
    ("app_user.account_type", "AccountType"),
    ("candidate.gender", "Gender"),
    ("candidate.ethnicity", "Ethnicity"),
    ("candidate.religion", "Religion"),
    ("candidate.general_education", "GeneralEducation"),
    ("candidate.professional_level", "ProfessionalLevel"),
    ("candidate.political_theory_level", "PoliticalTheoryLevel"),
    ("candidate.source_organisation", "SourceOrganisation"),
    ("candidate.stage", "Stage"),
    ("candidate.next_due_kind", "DeadlineKind"),
    ("course.kind", "CourseKind"),
    ("decision.kind", "DecisionKind"),
    ("dossier_document.form_code", "FormCode"),
    ("introduction.kind", "IntroductionKind"),
    ("introduction.replacement_reason", "ReplacementReason"),
    ("member.gender", "Gender"),
    ("member.ethnicity", "Ethnicity"),
    ("member.status", "MemberStatus"),
    ("member.religion", "Religion"),
    ("member.general_education", "GeneralEducation"),
    ("member.professional_level", "ProfessionalLevel"),
    ("member.source_organisation", "SourceOrganisation"),
    ("member.left_reason", "LeftReason"),
    ("org_unit.kind", "OrgKind"),
    ("org_unit_succession.kind", "SuccessionKind"),
    ("public_holiday.kind", "DayKind"),
    ("relative.relation", "Relation"),
    ("relative.verification_outcome", "VerificationOutcome"),
    ("resolution.kind", "ResolutionKind"),
    ("vote_exclusion.reason", "LeftOutReason"),
];

const NO_ROW: &str = ": no row to try";

/// What reading one row of `E` answers once each of its text columns holds a code nobody
/// knows, one column at a time, each in a transaction rolled back: `(table.column, row id,
/// error)` for each column, the error `None` when the read took the text as it was.
async fn corrupt_each_text_column<E: EntityTrait>(db: &DatabaseConnection) -> Vec<(String, i64, Option<String>)> {
    let table = E::default().table_name().to_string();
    let backend = db.get_database_backend();
    let Some(first) = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT id FROM {table} ORDER BY id LIMIT 1"),
        ))
        .await
        .expect("read a row")
    else {
        return vec![(format!("{table}{NO_ROW}"), 0, None)];
    };
    let id: i64 = first
        .try_get::<i32>("", "id")
        .map(i64::from)
        .or_else(|_| first.try_get::<i64>("", "id"))
        .expect("an id");
    let mut outcomes = Vec::new();
    for column in E::Column::iter() {
        if !matches!(column.def().get_column_type(), ColumnType::String(_) | ColumnType::Text) {
            continue;
        }
        let name = column.as_str().to_string();
        let txn = db.begin().await.expect("begin");
        txn.execute_raw(Statement::from_string(
            backend,
            format!("UPDATE {table} SET {name} = 'ZZZ' WHERE id = {id}"),
        ))
        .await
        .expect("store an unknown code");
        use sea_orm::sea_query::ExprTrait;
        let read = E::find()
            .filter(Expr::col(Alias::new("id")).eq(Expr::val(id)))
            .one(&txn)
            .await;
        txn.rollback().await.expect("roll back");
        let error = match read {
            Ok(row) => {
                assert!(row.is_some(), "{table}.{name}: the row vanished");
                None
            }
            Err(err) => Some(err.to_string()),
        };
        outcomes.push((format!("{table}.{name}"), id, error));
    }
    outcomes
}

/// A row in each table the demo data leaves empty, so that every column is tried.
async fn rows_the_demo_lacks(db: &DatabaseConnection) {
    use chrono::Utc;
    use entity::{admission_delegation, api_token, app_user, org_unit, org_unit_succession, refresh_token};
    use sea_orm::{ActiveModelTrait, Set};
    let now = Utc::now();
    let today = now.date_naive();
    let user = app_user::Entity::find()
        .one(db)
        .await
        .expect("read")
        .expect("an account")
        .id;
    let units = org_unit::Entity::find().all(db).await.expect("read units");
    admission_delegation::ActiveModel {
        unit_id: Set(units[0].id),
        granted_on: Set(today),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("a delegation");
    api_token::ActiveModel {
        user_id: Set(user),
        name: Set("dashboard".into()),
        token_hash: Set("hash".into()),
        prefix: Set("kt_".into()),
        created_by_user_id: Set(user),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("an API token");
    org_unit_succession::ActiveModel {
        predecessor_id: Set(units[1].id),
        successor_id: Set(units[2].id),
        effective_on: Set(today),
        kind: Set(ketnap_domain::succession::SuccessionKind::Merger),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("a succession");
    refresh_token::ActiveModel {
        user_id: Set(user),
        family_id: Set("family".into()),
        session_started_at: Set(now),
        token_hash: Set("hash".into()),
        issued_at: Set(now),
        expires_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("a refresh token");
}

async fn every_stored_code_is_typed(app: TestApp) {
    let db = &app.state.db;
    let today = ketnap::clock::today();
    ketnap::seed::demo_workflow::seed_candidates(db, today)
        .await
        .expect("seed the workflow");
    ketnap::seed::history::seed_published(db, today)
        .await
        .expect("seed the history");
    rows_the_demo_lacks(db).await;
    let mut outcomes = Vec::new();
    macro_rules! each_entity {
        ($($module:ident),* $(,)?) => {
            $( outcomes.extend(corrupt_each_text_column::<entity::$module::Entity>(db).await); )*
        };
    }
    each_entity!(
        admission_delegation,
        admission_target,
        api_token,
        app_user,
        audit_event,
        candidate,
        course,
        course_enrolment,
        decision,
        dossier_document,
        introduction,
        member,
        mentor_assignment,
        org_unit,
        org_unit_succession,
        public_holiday,
        refresh_token,
        relative,
        residential_area,
        resolution,
        rulebook_version,
        vote_exclusion,
    );
    let untried: Vec<&String> = outcomes.iter().map(|o| &o.0).filter(|c| c.ends_with(NO_ROW)).collect();
    assert!(untried.is_empty(), "tables with no row to try: {untried:?}");
    let mut typed = Vec::new();
    for (column, id, error) in &outcomes {
        match error {
            None => assert!(
                FREE_TEXT.contains(&column.as_str()),
                "{column} reads any text back: type it as a code, or list it as free text"
            ),
            Some(error) => {
                let (_, code) = TYPED
                    .iter()
                    .find(|(typed, _)| typed == column)
                    .unwrap_or_else(|| panic!("{column} is not listed as typed: {error}"));
                let field = column.split_once('.').expect("table.column").1;
                let expected = format!("unknown {code} code \"ZZZ\" in column {field} of the row with id {id}");
                assert!(error.ends_with(&expected), "{column}: {error}");
                typed.push(column.as_str());
            }
        }
    }
    let listed: Vec<&str> = TYPED.iter().map(|(column, _)| *column).collect();
    assert_eq!(typed, listed, "the typed columns");
}

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
        db.execute_raw(set(column, "ZZZ")).await.expect("store an unknown code");
        let query = format!("query($id: ID!) {{ candidate(id: $id) {{ id {field} }} }}");
        let body = app.graphql(Some(&roles.branch), &query, json!({ "id": id })).await;
        assert_eq!(error_code(&body), "INTERNAL", "{column}: {body}");
        assert_eq!(body["errors"][0]["path"], json!(["candidate"]), "{column}: {body}");
        assert!(
            body["data"]["candidate"].is_null(),
            "{column}: a value stood in for the unknown code: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            !message.contains("ZZZ"),
            "{column}: the stored code leaked to the client: {body}"
        );
        db.execute_raw(set(column, held)).await.expect("put the code back");
        let body = app.graphql(Some(&roles.branch), &query, json!({ "id": id })).await;
        assert_eq!(body["data"]["candidate"][field], held, "{column}: {body}");
    }
}

/// A report counts stored codes too: a new member whose gender is a code nobody knows, or a
/// candidate whose stage is, fails the report that counts it (`INTERNAL`, the code kept out
/// of the message) rather than showing a bucket of its own or being left out of the sums;
/// once the code is mended the report answers again.
async fn a_report_counts_no_unknown_code(app: TestApp) {
    let roles = Roles::of(&app).await;
    crate::reports::import(
        &app,
        &roles.commune,
        "SL.BS.TL.NL",
        &["Lò Thị A,dự bị,Nữ,1995-03-01,Thái,2025-02-01,2025-03-01,UNIVERSITY,YOUTH_UNION,không"],
    )
    .await;
    act_ok(
        &app,
        &roles.branch,
        "addToSourceList",
        person("Lò Thị Mai", "2001-05-05", "2025-01-06"),
    )
    .await;
    let db = &app.state.db;
    let set = |table: &str, column: &str, value: &str, name: &str| {
        Statement::from_string(
            db.get_database_backend(),
            format!("UPDATE {table} SET {column} = '{value}' WHERE full_name = '{name}'"),
        )
    };
    let unit = app.unit_id("SL.BS.TL").await;
    let breakdown =
        "query($u: ID!) { newMemberBreakdown(unitId: $u, period: { year: 2025 }) { total gender { key count } } }";
    let pipeline = "query($u: ID!) { pipelineSummary(unitId: $u) { byStage { stage count } } }";
    let cases = [
        (
            breakdown,
            "newMemberBreakdown",
            "member",
            "gender",
            "FEMALE",
            "Lò Thị A",
        ),
        (
            pipeline,
            "pipelineSummary",
            "candidate",
            "stage",
            "SOURCE_LIST",
            "Lò Thị Mai",
        ),
    ];
    for (query, report, table, column, held, name) in cases {
        db.execute_raw(set(table, column, "ZZZ", name))
            .await
            .expect("store an unknown code");
        let body = app.graphql(Some(&roles.commune), query, json!({ "u": unit })).await;
        assert_eq!(error_code(&body), "INTERNAL", "{report}: {body}");
        assert_eq!(body["errors"][0]["path"], json!([report]), "{report}: {body}");
        assert!(
            body["data"].is_null(),
            "{report}: figures stood in for the unknown code: {body}"
        );
        assert!(
            !body.to_string().contains("ZZZ"),
            "{report}: the stored code leaked: {body}"
        );
        db.execute_raw(set(table, column, held, name))
            .await
            .expect("put the code back");
        let body = app.graphql(Some(&roles.commune), query, json!({ "u": unit })).await;
        assert!(body["errors"].is_null(), "{report}: {body}");
    }
    let body = app.graphql(Some(&roles.commune), breakdown, json!({ "u": unit })).await;
    assert_eq!(
        body["data"]["newMemberBreakdown"],
        json!({ "total": 1, "gender": [{ "key": "FEMALE", "count": 1 }] })
    );
}

db_tests!(
    a_report_counts_no_unknown_code,
    an_unknown_stored_code_is_an_error_not_a_default,
    every_stored_code_is_typed
);
