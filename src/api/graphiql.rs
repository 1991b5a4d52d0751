//! GraphiQL at `/graphiql`, with its scripts and styles compiled into the binary:
//! deployments are often offline, so nothing is fetched from a CDN.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Ketnap GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script src="/graphiql/assets/react.production.min.js"></script>
  <script src="/graphiql/assets/react-dom.production.min.js"></script>
  <script src="/graphiql/assets/graphiql.min.js"></script>
  <script src="/graphiql/assets/start.js"></script>
</body>
</html>
"#;

const START: &str = r#"const defaultQuery = `# Welcome to Ketnap.
#
# 1. Sign in with the mutation below (demo accounts: demo.branch, demo.commune,
#    demo.district, demo.province, demo.admin; password ketnap-demo-2026).
# 2. Copy accessToken into the Headers tab:
#    { "Authorization": "Bearer <accessToken>" }
# 3. Run the "Me" query.

mutation Login {
  login(input: { username: "demo.branch", password: "ketnap-demo-2026" }) {
    accessToken
    refreshToken
    user { username role }
  }
}

query Me {
  me {
    username
    role
    orgUnit { name kind parent { name } }
  }
  orgUnits(first: 20) {
    totalCount
    nodes { id kind code name }
  }
}
`;
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
root.render(React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }));
"#;

pub async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// The bundled assets, by file name.
fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        "graphiql.min.css" => (
            include_bytes!("../../assets/graphiql/graphiql.min.css").as_slice(),
            "text/css; charset=utf-8",
        ),
        "graphiql.min.js" => (
            include_bytes!("../../assets/graphiql/graphiql.min.js").as_slice(),
            "text/javascript; charset=utf-8",
        ),
        "react.production.min.js" => (
            include_bytes!("../../assets/graphiql/react.production.min.js").as_slice(),
            "text/javascript; charset=utf-8",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js").as_slice(),
            "text/javascript; charset=utf-8",
        ),
        "start.js" => (START.as_bytes(), "text/javascript; charset=utf-8"),
        _ => return None,
    })
}

pub async fn assets(Path(name): Path<String>) -> Response {
    match asset(&name) {
        Some((bytes, content_type)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
