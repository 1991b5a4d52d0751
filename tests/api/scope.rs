//! Scope at every depth, generated from the schema: for each account of a fixture with
//! transfers (within a commune, across communes, across districts) and moved and closed
//! units, every field reachable from every root field and from `node()` is selected, and
//! every record id in the answers must lie in the account's scope. Nothing here lists the
//! fields: a new field is walked as soon as it is in the schema. What the test knows is
//! the owner of each kind of record, from the database, and a naive model of the tree
//! (the chain of `parent_id`s) to judge scope by.

use std::collections::{BTreeSet, HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok};
use crate::workflow::{Ready, Roles, act_ok, prepare};

const INTROSPECTION: &str = r#"
query {
  __schema {
    queryType { name }
    mutationType { name }
    types {
      kind name
      fields { name args { name description defaultValue type { ...T } } type { ...T } }
      inputFields { name description defaultValue type { ...T } }
      enumValues { name }
      possibleTypes { name }
    }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
"#;

/// The schema as introspection tells it.
pub struct Introspected {
    types: HashMap<String, Value>,
    pub query: String,
    pub mutation: String,
}

/// A type reference, unwrapped: the named type and whether the outer layer is non-null.
pub fn named(ty: &Value) -> (&str, &str) {
    let mut t = ty;
    while t["name"].is_null() {
        t = &t["ofType"];
    }
    (
        t["kind"].as_str().unwrap_or_default(),
        t["name"].as_str().unwrap_or_default(),
    )
}

pub fn required(ty: &Value) -> bool {
    ty["kind"] == "NON_NULL"
}

impl Introspected {
    pub async fn of(app: &TestApp, token: &str) -> Introspected {
        let body = app.graphql(Some(token), INTROSPECTION, json!({})).await;
        assert_ok(&body);
        let schema = &body["data"]["__schema"];
        let types = schema["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap().to_string(), t.clone()))
            .collect();
        Introspected {
            types,
            query: schema["queryType"]["name"].as_str().unwrap().to_string(),
            mutation: schema["mutationType"]["name"].as_str().unwrap().to_string(),
        }
    }

    pub fn ty(&self, name: &str) -> &Value {
        &self.types[name]
    }

    pub fn fields(&self, name: &str) -> Vec<Value> {
        self.types[name]["fields"].as_array().cloned().unwrap_or_default()
    }

    /// A value of input type `ty` as a GraphQL literal, made from the type alone; IDs are
    /// `id`. `None` when a required part cannot be made.
    pub fn literal(&self, ty: &Value, id: &str, depth: usize) -> Option<String> {
        match ty["kind"].as_str()? {
            "NON_NULL" => self.literal(&ty["ofType"], id, depth),
            "LIST" => Some(format!("[{}]", self.literal(&ty["ofType"], id, depth)?)),
            "SCALAR" => Some(match ty["name"].as_str()? {
                "ID" => format!("\"{id}\""),
                "Int" => "2024".into(),
                "Float" => "1.0".into(),
                "Boolean" => "false".into(),
                "Date" => "\"2024-06-28\"".into(),
                "DateTime" => "\"2024-06-28T00:00:00Z\"".into(),
                _ => "\"x\"".into(),
            }),
            "ENUM" => {
                let t = self.ty(ty["name"].as_str()?);
                Some(t["enumValues"][0]["name"].as_str()?.to_string())
            }
            "INPUT_OBJECT" => {
                if depth > 4 {
                    return None;
                }
                let t = self.ty(ty["name"].as_str()?);
                let fields = t["inputFields"].as_array()?;
                let mut parts = Vec::new();
                for f in fields
                    .iter()
                    .filter(|f| required(&f["type"]) && f["defaultValue"].is_null())
                {
                    parts.push(format!(
                        "{}: {}",
                        f["name"].as_str()?,
                        self.literal(&f["type"], id, depth + 1)?
                    ));
                }
                // An input whose fields are all optional (a @oneOf choice): its first field.
                if parts.is_empty() {
                    let f = fields.first()?;
                    parts.push(format!(
                        "{}: {}",
                        f["name"].as_str()?,
                        self.literal(&f["type"], id, depth + 1)?
                    ));
                }
                Some(format!("{{{}}}", parts.join(", ")))
            }
            _ => None,
        }
    }

    /// The arguments of a field: every required one made from its type, and `first`
    /// small so that pages stay short.
    fn arguments(&self, field: &Value, id: &str) -> Option<String> {
        let mut parts = Vec::new();
        for arg in field["args"].as_array().into_iter().flatten() {
            let name = arg["name"].as_str()?;
            if name == "first" {
                parts.push("first: 10".to_string());
            } else if required(&arg["type"]) && arg["defaultValue"].is_null() {
                parts.push(format!("{name}: {}", self.literal(&arg["type"], id, 0)?));
            }
        }
        Some(if parts.is_empty() {
            String::new()
        } else {
            format!("({})", parts.join(", "))
        })
    }

    /// Every field of `type_name`, recursively. Each record type is expanded once per
    /// document (and nothing past a depth bound); elsewhere it is selected by its
    /// `__typename` and `id` alone, so every reference is still checked and the document
    /// stays small.
    pub fn selection(&self, type_name: &str, expanded: &mut HashSet<String>, depth: usize, id: &str) -> String {
        let t = self.ty(type_name);
        let mut out = vec!["__typename".to_string()];
        if matches!(t["kind"].as_str(), Some("INTERFACE" | "UNION")) {
            for p in t["possibleTypes"].as_array().into_iter().flatten() {
                let p = p["name"].as_str().unwrap();
                out.push(format!("... on {p} {{ {} }}", self.selection(p, expanded, depth, id)));
            }
            return out.join(" ");
        }
        // Records (types with an `id`) are expanded once per document; value types (a
        // report's rows, edges, page info) every time, since they hold references of
        // their own.
        let record = self.fields(type_name).iter().any(|f| f["name"] == "id");
        let stop = depth >= 8 || (record && !expanded.insert(type_name.to_string()));
        for field in self.fields(type_name) {
            let name = field["name"].as_str().unwrap();
            let (kind, child) = named(&field["type"]);
            let Some(args) = self.arguments(&field, id) else {
                continue;
            };
            match kind {
                "SCALAR" | "ENUM" if !stop || name == "id" => out.push(format!("{name}{args}")),
                "SCALAR" | "ENUM" => {}
                _ if stop => {}
                _ => {
                    let sub = self.selection(child, expanded, depth + 1, id);
                    out.push(format!("{name}{args} {{ {sub} }}"));
                }
            }
        }
        out.join(" ")
    }
}

/// Every `(typename, record id)` in a response, from objects with a global `id`.
fn records(value: &Value, found: &mut BTreeSet<(String, i32)>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(_)), Some(Value::String(id))) = (map.get("__typename"), map.get("id"))
                && let Some(record) = decode(id)
            {
                found.insert(record);
            }
            map.values().for_each(|v| records(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| records(v, found)),
        _ => {}
    }
}

pub fn decode(id: &str) -> Option<(String, i32)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    let (typename, raw) = text.split_once(':')?;
    Some((typename.to_string(), raw.parse().ok()?))
}

pub fn encode(typename: &str, id: i32) -> String {
    URL_SAFE_NO_PAD.encode(format!("{typename}:{id}"))
}

/// The naive model of the tree: each unit's parent, as the `org_unit` table says now.
pub struct Tree {
    parent: HashMap<i32, Option<i32>>,
}

impl Tree {
    pub async fn load(app: &TestApp) -> Tree {
        let rows = query(app, "SELECT id, parent_id FROM org_unit").await;
        Tree {
            parent: rows
                .iter()
                .map(|r| {
                    (
                        r.try_get::<i32>("", "id").unwrap(),
                        r.try_get::<Option<i32>>("", "parent_id").unwrap(),
                    )
                })
                .collect(),
        }
    }

    /// Whether `unit` is `root` or below it, walking up the parents.
    pub fn within(&self, unit: i32, root: i32) -> bool {
        let mut at = Some(unit);
        let mut hops = 0;
        while let Some(u) = at {
            if u == root {
                return true;
            }
            at = self.parent.get(&u).copied().flatten();
            hops += 1;
            assert!(hops < 100, "a cycle in the tree");
        }
        false
    }
}

pub async fn query(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    let db = &app.state.db;
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .expect("run the reference query")
}

pub async fn one_int(app: &TestApp, sql: String) -> Option<i32> {
    query(app, &sql)
        .await
        .first()
        .and_then(|r| r.try_get::<Option<i32>>("", "v").ok().flatten())
}

/// Who is looking: their user id and unit (none for the administrator).
pub struct Viewer {
    pub name: String,
    pub token: String,
    pub user_id: i32,
    pub unit: Option<i32>,
}

/// A scan of the application, a background verification and a consent on record: they
/// move with the candidate, and must be seen only where the candidate is.
async fn papers_that_move_with_the_candidate(app: &TestApp, roles: &Roles, id: &str) {
    let body = app
        .graphql(
            Some(&roles.branch),
            "query($id: ID!) { candidate(id: $id) { documents { id } } }",
            json!({ "id": id }),
        )
        .await;
    let document = body["data"]["candidate"]["documents"][0]["id"].clone();
    let attach = "mutation($i: AttachScanInput!) { attachScan(input: $i) { file { id } } }";
    let vars = json!({ "i": { "recordId": document, "file": null } });
    let path = vec!["i".to_string(), "file".to_string()];
    let body = app.graphql_uploading(Some(&roles.branch), attach, vars, &[path]).await;
    assert!(body["errors"].is_null(), "{body}");
    let check = json!({ "candidateId": id, "verifyingBody": "Đảng ủy xã Tân Lập", "sentOn": "2024-05-01" });
    act_ok(app, &roles.branch, "sendBackgroundCheck", check).await;
    let consent = json!({ "candidateId": id, "caseCode": "READMISSION", "documentNumber": "9-CV/TU", "consentedOn": "2024-05-01" });
    act_ok(app, &roles.district, "recordHigherConsent", consent).await;
}

/// Whether `viewer` may see the record, by the rules of "Who sees what" applied to the
/// naive tree. A record type the test does not know fails the test, so a new type must be
/// given its owner here.
async fn visible(app: &TestApp, tree: &Tree, viewer: &Viewer, (typename, id): &(String, i32)) -> bool {
    let Some(root) = viewer.unit else { return true };
    let owner = |sql: &str| one_int(app, sql.replace("{id}", &id.to_string()));
    let unit = match typename.as_str() {
        "OrgUnit" => Some(*id),
        "Candidate" => owner("SELECT branch_id AS v FROM candidate WHERE id = {id}").await,
        "Member" => owner("SELECT branch_id AS v FROM member WHERE id = {id}").await,
        "ResidentialArea" => {
            let commune = owner("SELECT commune_id AS v FROM residential_area WHERE id = {id}").await;
            // An area is seen below its commune too, where its people live.
            return commune.is_some_and(|c| tree.within(c, root) || tree.within(root, c));
        }
        "AdmissionTarget" => owner("SELECT unit_id AS v FROM admission_target WHERE id = {id}").await,
        "MentorAssignment" => {
            owner("SELECT c.branch_id AS v FROM mentor_assignment m JOIN candidate c ON c.id = m.candidate_id WHERE m.id = {id}")
                .await
        }
        "Relative" => {
            owner("SELECT c.branch_id AS v FROM relative r JOIN candidate c ON c.id = r.candidate_id WHERE r.id = {id}").await
        }
        "DossierDocument" | "Resolution" | "Decision" | "CourseEnrolment" | "ScannedFile" | "BackgroundCheck"
        | "HigherConsent" => {
            let table = match typename.as_str() {
                "DossierDocument" => "dossier_document",
                "Resolution" => "resolution",
                "Decision" => "decision",
                "CourseEnrolment" => "course_enrolment",
                "BackgroundCheck" => "background_check",
                "HigherConsent" => "higher_consent",
                _ => "scanned_file",
            };
            owner(&format!(
                "SELECT c.branch_id AS v FROM {table} r JOIN candidate c ON c.id = r.candidate_id WHERE r.id = {{id}}"
            ))
            .await
        }
        "Introduction" => {
            owner("SELECT c.branch_id AS v FROM introduction i JOIN candidate c ON c.id = i.candidate_id WHERE i.id = {id}")
                .await
        }
        "Course" => {
            let organiser = owner("SELECT organiser_unit_id AS v FROM course WHERE id = {id}").await;
            // A course is seen below its organiser too, where its candidates attend.
            return organiser.is_some_and(|o| tree.within(o, root) || tree.within(root, o));
        }
        "User" => {
            if *id == viewer.user_id {
                return true;
            }
            owner("SELECT org_unit_id AS v FROM app_user WHERE id = {id}").await
        }
        "ApiToken" => {
            owner("SELECT u.org_unit_id AS v FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = {id}")
                .await
        }
        // The rulebook is the same for everyone.
        "RulebookVersion" => return true,
        other => panic!("the scope test does not know who owns a {other}; add it to `visible`"),
    };
    unit.is_some_and(|u| tree.within(u, root))
}

/// Walk every root field, then `node` for each id in `probe`, as `viewer`; every record in
/// the answers must be visible to them. Returns the records seen.
pub async fn walk(
    app: &TestApp,
    schema: &Introspected,
    tree: &Tree,
    viewer: &Viewer,
    probe: &BTreeSet<(String, i32)>,
) -> BTreeSet<(String, i32)> {
    let own_unit = viewer
        .unit
        .map(|u| encode("OrgUnit", u))
        .unwrap_or_else(|| encode("OrgUnit", 1));
    let mut documents = Vec::new();
    for field in schema.fields(&schema.query) {
        let name = field["name"].as_str().unwrap();
        if name == "node" {
            continue;
        }
        let (_, ty) = named(&field["type"]);
        let Some(args) = schema.arguments(&field, &own_unit) else {
            continue;
        };
        let sub = match schema.ty(ty)["kind"].as_str().unwrap() {
            "SCALAR" | "ENUM" => String::new(),
            _ => format!("{{ {} }}", schema.selection(ty, &mut HashSet::new(), 0, &own_unit)),
        };
        documents.push(format!("{{ {name}{args} {sub} }}"));
    }
    // Each possible type of `node` expanded in full.
    let node = schema.ty("Node")["possibleTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let p = p["name"].as_str().unwrap();
            format!(
                "... on {p} {{ {} }}",
                schema.selection(p, &mut HashSet::new(), 0, &own_unit)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    for chunk in probe.iter().collect::<Vec<_>>().chunks(10) {
        let fields: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, (t, id))| format!("n{i}: node(id: \"{}\") {{ {node} }}", encode(t, *id)))
            .collect();
        documents.push(format!("{{ {} }}", fields.join(" ")));
    }
    let mut seen = BTreeSet::new();
    for document in documents {
        let body = app.graphql(Some(&viewer.token), &document, json!({})).await;
        // No request may fail as a whole, nor fail inside: only expected refusals.
        for error in body["errors"].as_array().into_iter().flatten() {
            let code = error["extensions"]["code"].as_str().unwrap_or_default();
            assert!(
                ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT", "RULE_VIOLATION"].contains(&code),
                "{}: {document}\n→ {error}",
                viewer.name
            );
        }
        let mut found = BTreeSet::new();
        records(&body["data"], &mut found);
        for record in &found {
            assert!(
                visible(app, tree, viewer, record).await,
                "{} sees {record:?}, outside its scope, in\n{document}",
                viewer.name
            );
        }
        seen.extend(found);
    }
    seen
}

/// The fixture: three candidates prepared in Nà Lầu (mentor, introducers and course of
/// Biên Sơn), then moved within the commune, to another commune and to another
/// district; a branch moved to another commune; a branch closed.
pub async fn fixture(app: &TestApp) -> Roles {
    let roles = Roles::of(app).await;
    let moves = [
        ("Lò Thị Một", "SL.BS.TL.KM", &roles.commune),
        ("Lò Thị Hai", "SL.BS.HB.BC", &roles.district),
        ("Lò Thị Ba", "SL.TP.MK.TDP1", &roles.province),
    ];
    for (name, to, by) in moves {
        let id = prepare(
            app,
            &roles,
            Ready {
                name,
                ..Ready::default()
            },
        )
        .await;
        papers_that_move_with_the_candidate(app, &roles, &id).await;
        let to = app.unit_id(to).await;
        act_ok(
            app,
            by,
            "transferCandidate",
            json!({ "candidateId": id, "toBranchId": to, "transferredOn": "2024-06-20" }),
        )
        .await;
    }
    // One candidate stays where it was listed.
    prepare(
        app,
        &roles,
        Ready {
            name: "Lò Thị Bốn",
            ..Ready::default()
        },
    )
    .await;
    let body = app
        .graphql(
            Some(&roles.district),
            "mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { orgUnit { id } } }",
            json!({ "i": { "id": app.unit_id("SL.BS.TL.THCS").await, "newParentId": app.unit_id("SL.BS.HB").await, "effectiveOn": "2025-01-01" } }),
        )
        .await;
    assert_ok(&body);
    let body = app
        .graphql(
            Some(&roles.district),
            "mutation($i: CloseOrgUnitInput!) { closeOrgUnit(input: $i) { orgUnit { id } } }",
            json!({ "i": { "id": app.unit_id("SL.BS.HB.NP").await, "closedOn": "2025-06-30" } }),
        )
        .await;
    assert_ok(&body);
    roles
}

pub async fn viewer(app: &TestApp, name: &str, token: String) -> Viewer {
    let body = app
        .graphql(Some(&token), "{ me { id orgUnit { id } } }", json!({}))
        .await;
    assert_ok(&body);
    let me = &body["data"]["me"];
    Viewer {
        name: name.to_string(),
        user_id: decode(me["id"].as_str().unwrap()).unwrap().1,
        unit: me["orgUnit"]["id"].as_str().map(|id| decode(id).unwrap().1),
        token,
    }
}

async fn every_field_at_every_depth_stays_in_scope(app: TestApp) {
    let roles = fixture(&app).await;
    let schema = Introspected::of(&app, &roles.admin).await;
    let tree = Tree::load(&app).await;

    // Everything there is, as the administrator sees it: the ids `node` is probed with.
    let admin = viewer(&app, "demo.admin", roles.admin.clone()).await;
    let everything = walk(&app, &schema, &tree, &admin, &BTreeSet::new()).await;
    let kinds: HashSet<&str> = everything.iter().map(|(t, _)| t.as_str()).collect();
    for kind in [
        "OrgUnit",
        "Candidate",
        "Member",
        "Course",
        "MentorAssignment",
        "Relative",
        "User",
    ] {
        assert!(kinds.contains(kind), "the walk found no {kind}: {kinds:?}");
    }

    let mut viewers = Vec::new();
    for name in [
        "demo.branch",
        "demo.banchang",
        "demo.commune",
        "demo.hoabinh",
        "demo.district",
        "demo.banmoi",
        "demo.province",
    ] {
        viewers.push(viewer(&app, name, app.token_for(name).await).await);
    }
    let ward = crate::workflow_access_token(&app, &roles.province, "SL.TP.MK.TDP1", "scope.tdp1").await;
    viewers.push(viewer(&app, "scope.tdp1", ward).await);
    let (report_token, _) = crate::reports::reporter(&app, &roles).await;
    let mut reporting = viewer(&app, "dashboard.bienson", roles.district.clone()).await;
    reporting.name = "dashboard.bienson".into();
    reporting.token = report_token;

    for v in viewers.iter().chain([&reporting]) {
        let seen = walk(&app, &schema, &tree, v, &everything).await;
        // The walk is not empty for staff: each sees at least its own unit.
        if v.name != "dashboard.bienson" {
            assert!(seen.iter().any(|(t, _)| t == "OrgUnit"), "{} saw no unit", v.name);
        }
    }
}

/// A server whose query bounds do not stop the walk.
pub fn unbounded(settings: &mut ketnap::settings::Settings) {
    settings.limits.max_query_depth = 64;
    settings.limits.max_query_complexity = usize::MAX / 4;
    settings.limits.max_aliases = 10_000;
    settings.limits.max_root_fields = 10_000;
    settings.limits.max_expanded_selections = 10_000_000;
    settings.limits.max_document_tokens = 10_000_000;
    settings.limits.max_document_bytes = 16 * 1024 * 1024;
}

db_tests!(with crate::scope::unbounded; every_field_at_every_depth_stays_in_scope);
