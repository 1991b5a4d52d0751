//! Every connection pages both ways: forward with `first`/`after` and backward with
//! `last`/`before` visit the same items in the same order, whatever the page size, ties in
//! the sort key included; and the schema holds no connection this test does not walk.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok};
use crate::workflow::{act_ok, person};

/// A list to walk: its query, with `PAGE` where the page arguments go, and where the
/// connection sits in the answer.
struct List {
    name: String,
    query: String,
    path: Vec<&'static str>,
}

fn list(name: &str, query: &str, path: &[&'static str]) -> List {
    List {
        name: name.into(),
        query: query.into(),
        path: path.to_vec(),
    }
}

const SELECTION: &str = "{ edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }";

/// The cursors of every item of `list`, read `size` at a time, forward or backward.
async fn walk(app: &TestApp, token: &str, list: &List, size: i32, backward: bool) -> Vec<String> {
    let page = if backward {
        "last: $size, before: $cursor"
    } else {
        "first: $size, after: $cursor"
    };
    let query = format!(
        "query($size: Int, $cursor: String) {{ {} }}",
        list.query.replace("PAGE", page).replace("SELECTION", SELECTION)
    );
    let (mut all, mut cursor) = (Vec::new(), Value::Null);
    for _ in 0..500 {
        let body = app
            .graphql(Some(token), &query, json!({ "size": size, "cursor": cursor }))
            .await;
        assert_ok(&body);
        let mut connection = &body["data"];
        for step in &list.path {
            connection = &connection[step];
        }
        let cursors: Vec<String> = connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no edges in {body}", list.name))
            .iter()
            .map(|e| e["cursor"].as_str().unwrap().to_string())
            .collect();
        assert!(
            cursors.len() <= size as usize,
            "{}: a page larger than asked",
            list.name
        );
        let info = &connection["pageInfo"];
        if backward {
            all.splice(0..0, cursors);
            if info["hasPreviousPage"] != true {
                return all;
            }
            cursor = info["startCursor"].clone();
        } else {
            all.extend(cursors);
            if info["hasNextPage"] != true {
                return all;
            }
            cursor = info["endCursor"].clone();
        }
    }
    panic!("{}: the walk did not end", list.name)
}

/// Every `(type, field)` of the schema that answers a connection.
fn connections_in_schema() -> std::collections::BTreeSet<String> {
    let sdl = ketnap::api::sdl();
    let (mut found, mut owner, mut field) = (std::collections::BTreeSet::new(), String::new(), String::new());
    for line in sdl.lines() {
        if let Some(rest) = line.strip_prefix("type ") {
            owner = rest.split_whitespace().next().unwrap_or_default().to_string();
        } else if let Some(rest) = line.strip_prefix('\t')
            && let Some(name) = rest.strip_suffix('(')
        {
            field = name.to_string();
        } else if line.starts_with("\t): ") && line.ends_with("Connection!") {
            found.insert(format!("{owner}.{field}"));
        } else if let Some(rest) = line.strip_prefix('\t')
            && let Some((name, ty)) = rest.split_once(": ")
            && ty.ends_with("Connection!")
        {
            found.insert(format!("{owner}.{name}"));
        }
    }
    found
}

async fn every_connection_pages_both_ways(app: TestApp) {
    let (branch, sibling) = (app.token_for("demo.branch").await, app.token_for("demo.banchang").await);
    // Candidates with ties in every sort key, two of them listed twice (possible duplicates).
    for (i, (name, listed_on)) in [
        ("Lò Thị An", "2024-03-01"),
        ("Lò Thị An", "2024-03-01"),
        ("Lò Văn Bình", "2024-03-02"),
        ("Lò Thị Chi", "2024-03-01"),
        ("Lò Văn Dũng", "2024-03-03"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = person(name, "1999-04-04", listed_on);
        p["citizenId"] = json!(format!("00109900010{i}"));
        act_ok(&app, &branch, "addToSourceList", p).await;
        if i < 3 {
            let mut twin = person(name, "1999-04-04", listed_on);
            twin["citizenId"] = json!(format!("00109900010{i}"));
            act_ok(&app, &sibling, "addToSourceList", twin).await;
        }
    }
    // Deadlines, two on one day.
    for (on, every_third) in [("2026-12-10", false), ("2026-12-20", true)] {
        use sea_orm::{EntityTrait, QueryFilter, sea_query::Expr};
        let day = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
        let which = if every_third { "id % 3 = 0" } else { "id % 3 <> 0" };
        entity::candidate::Entity::update_many()
            .col_expr(entity::candidate::Column::NextDueOn, Expr::value(day))
            .col_expr(
                entity::candidate::Column::NextDueKind,
                Expr::value("ADMISSION_DECISION"),
            )
            .filter(Expr::cust(which))
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    let roles = crate::workflow::Roles::of(&app).await;
    for starts in ["2024-04-01", "2024-05-01", "2024-06-01"] {
        crate::workflow::awareness_course(&app, &roles, starts).await;
    }
    let token = app.token_for("demo.district").await;
    let district = app.unit_id("SL.BS").await;
    let commune = app.unit_id("SL.BS.TL").await;
    let mut lists = vec![
        list("Query.orgUnits", "orgUnits(PAGE) SELECTION", &["orgUnits"]),
        list("Query.members", "members(PAGE) SELECTION", &["members"]),
        list("Query.courses", "courses(PAGE) SELECTION", &["courses"]),
        list("Query.deadlines", "deadlines(PAGE) SELECTION", &["deadlines"]),
        list(
            "Query.possibleDuplicates",
            "possibleDuplicates(PAGE) SELECTION",
            &["possibleDuplicates"],
        ),
        list(
            "OrgUnit.children",
            &format!("orgUnit(id: \"{district}\") {{ children(PAGE) SELECTION }}"),
            &["orgUnit", "children"],
        ),
        list(
            "OrgUnit.residentialAreas",
            &format!("orgUnit(id: \"{commune}\") {{ residentialAreas(PAGE) SELECTION }}"),
            &["orgUnit", "residentialAreas"],
        ),
    ];
    for field in ["CREATED", "NAME", "LISTED_ON", "NEXT_DUE_ON"] {
        for direction in ["ASC", "DESC"] {
            lists.push(list(
                "Query.candidates",
                &format!("candidates(orderBy: {{field: {field}, direction: {direction}}}, PAGE) SELECTION"),
                &["candidates"],
            ));
        }
    }
    let walked: std::collections::BTreeSet<String> = lists.iter().map(|l| l.name.clone()).collect();
    assert_eq!(
        walked,
        connections_in_schema(),
        "a connection of the schema is not walked here"
    );

    for list in &lists {
        let whole = walk(&app, &token, list, 100, false).await;
        assert!(
            whole.len() >= 2,
            "{}: too few items to page ({})",
            list.name,
            whole.len()
        );
        for size in [1, 2, 3] {
            assert_eq!(
                walk(&app, &token, list, size, false).await,
                whole,
                "{} forward by {size}",
                list.name
            );
            assert_eq!(
                walk(&app, &token, list, size, true).await,
                whole,
                "{} backward by {size}",
                list.name
            );
        }
    }
    // One way at a time.
    let body = app
        .graphql(
            Some(&token),
            "{ orgUnits(first: 2, last: 2) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
}

db_tests!(every_connection_pages_both_ways);
