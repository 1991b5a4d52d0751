//! The district dashboard at `/dashboard/`: a single-page client of the public GraphQL API
//! (its source in `dashboard/`, built into `assets/dashboard/` and compiled into the binary,
//! since deployments are often offline). Served with a policy that lets the page reach its
//! own origin only, and an entity tag so a browser revalidates rather than downloads.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

/// Scripts, styles and connections from this origin only; inline styles for the charts'
/// tooltips; no framing.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

struct Asset {
    name: &'static str,
    bytes: &'static [u8],
    content_type: &'static str,
    etag: HeaderValue,
}

macro_rules! asset {
    ($name:literal, $content_type:literal) => {
        (
            $name,
            include_bytes!(concat!("../../assets/dashboard/", $name)).as_slice(),
            $content_type,
        )
    };
}

/// The built bundle, by file name.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        asset!("index.html", "text/html; charset=utf-8"),
        asset!("app.js", "text/javascript; charset=utf-8"),
        asset!("app.css", "text/css; charset=utf-8"),
    ]
    .into_iter()
    .map(|(name, bytes, content_type)| {
        let digest = Sha256::digest(bytes);
        let tag = digest[..12].iter().map(|b| format!("{b:02x}")).collect::<String>();
        Asset {
            name,
            bytes,
            content_type,
            etag: HeaderValue::from_str(&format!("\"{tag}\"")).expect("a hex entity tag"),
        }
    })
    .collect()
});

fn serve(name: &str, request: &HeaderMap) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag || t.trim() == "*"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
        (header::ETAG, asset.etag.clone()),
        // Names carry no hash: revalidate every time, cheaply by the tag.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ];
    if fresh {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, asset.bytes).into_response()
    }
}

/// `/dashboard`: to the page, whose address ends in a slash.
pub async fn enter() -> Redirect {
    Redirect::permanent("/dashboard/")
}

/// `/dashboard/`: the page.
pub async fn page(request: HeaderMap) -> Response {
    serve("index.html", &request)
}

/// `/dashboard/assets/{name}`: its scripts and styles.
pub async fn assets(Path(name): Path<String>, request: HeaderMap) -> Response {
    if name == "index.html" {
        return StatusCode::NOT_FOUND.into_response();
    }
    serve(&name, &request)
}
