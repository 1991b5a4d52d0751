//! `/dashboard/` as the server serves it: the page and every asset it names, compiled in,
//! under a policy that keeps the page on its own origin, revalidated by entity tag. What the
//! page does in a browser is `tests/dashboard/run.mjs`'s (headless Chromium, `.ci/run`).

use crate::helpers::TestApp;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn the_root_and_the_bare_path_lead_to_the_page(app: TestApp) {
    let client = no_redirects();
    for (path, status) in [("/", 307), ("/dashboard", 308)] {
        let response = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_eq!(response.headers()["location"], "/dashboard/", "{path}");
    }
}

async fn the_page_and_each_asset_it_names_are_served(app: TestApp) {
    let page = app
        .client
        .get(format!("{}/dashboard/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();

    // Every script and stylesheet the page names is on this server, under the dashboard.
    let named: Vec<&str> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| html.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(named.iter().any(|n| n.ends_with(".js")), "{html}");
    assert!(named.iter().any(|n| n.ends_with(".css")), "{html}");
    for name in &named {
        if name.starts_with("data:") || name.starts_with('#') {
            continue;
        }
        assert!(
            name.starts_with("/dashboard/assets/"),
            "{name} is not one of the page's own assets"
        );
        let asset = app.client.get(format!("{}{name}", app.address)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{name}");
        let kind = asset.headers()["content-type"].to_str().unwrap().to_string();
        let expected = if name.ends_with(".js") {
            "text/javascript"
        } else if name.ends_with(".css") {
            "text/css"
        } else {
            ""
        };
        assert!(kind.starts_with(expected), "{name}: {kind}");
        assert!(!asset.bytes().await.unwrap().is_empty(), "{name}");
    }
    let missing = app
        .client
        .get(format!("{}/dashboard/assets/nothing.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

async fn a_browser_revalidates_by_entity_tag(app: TestApp) {
    let url = format!("{}/dashboard/assets/app.js", app.address);
    let first = app.client.get(&url).send().await.unwrap();
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let tag = first.headers()["etag"].clone();
    let again = app
        .client
        .get(&url)
        .header("if-none-match", tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], tag);
    assert!(again.bytes().await.unwrap().is_empty());
    let changed = app
        .client
        .get(&url)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

server_tests!(
    the_root_and_the_bare_path_lead_to_the_page,
    the_page_and_each_asset_it_names_are_served,
    a_browser_revalidates_by_entity_tag,
);
