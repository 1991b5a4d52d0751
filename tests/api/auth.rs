//! Sign-in, sessions and token checks.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{DEMO_PASSWORD, TEST_JWT_SECRET, TestApp, assert_error, assert_ok, error_code};

const ME: &str = "{ me { username role orgUnit { name kind } } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken refreshToken user { username } } }";
const LOGOUT: &str = "mutation($t: String!) { logout(input: {refreshToken: $t}) { revoked } }";

async fn login_succeeds_and_me_answers(app: TestApp) {
    let body = app.login("demo.branch", DEMO_PASSWORD).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["login"]["user"],
        json!({ "username": "demo.branch", "role": "BRANCH" })
    );
    let token = body["data"]["login"]["accessToken"].as_str().unwrap();
    let me = app.graphql(Some(token), ME, json!({})).await;
    assert_ok(&me);
    assert_eq!(
        me["data"]["me"],
        json!({ "username": "demo.branch", "role": "BRANCH", "orgUnit": { "name": "Chi bộ thôn Nà Lầu", "kind": "BRANCH" } })
    );
}

async fn unknown_user_and_wrong_password_answer_alike(app: TestApp) {
    let wrong_password = app.login("demo.branch", "not-the-password").await;
    let unknown_user = app.login("nobody.here", DEMO_PASSWORD).await;
    assert_error(&wrong_password, "UNAUTHENTICATED");
    assert_error(&unknown_user, "UNAUTHENTICATED");
    assert_eq!(
        wrong_password["errors"][0]["message"],
        unknown_user["errors"][0]["message"]
    );
    assert_eq!(wrong_password["data"], Value::Null);
}

async fn repeated_failures_are_throttled(app: TestApp) {
    for _ in 0..5 {
        assert_error(
            &app.login("demo.commune", "wrong-password-guess").await,
            "UNAUTHENTICATED",
        );
    }
    // Even the right password is refused until the window ends.
    let body = app.login("demo.commune", DEMO_PASSWORD).await;
    assert_error(&body, "RATE_LIMITED");
    assert!(body["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() > 0);
    // Other accounts are not affected.
    assert_ok(&app.login("demo.branch", DEMO_PASSWORD).await);
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.login("demo.district", DEMO_PASSWORD).await;
    let r1 = first["data"]["login"]["refreshToken"].as_str().unwrap().to_string();

    let second = app.graphql(None, REFRESH, json!({ "t": r1 })).await;
    assert_ok(&second);
    let r2 = second["data"]["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(r1, r2);
    let access = second["data"]["refreshSession"]["accessToken"].as_str().unwrap();
    assert_ok(&app.graphql(Some(access), ME, json!({})).await);

    // r1 was used: presenting it again is a theft signal and closes the whole session.
    assert_error(&app.graphql(None, REFRESH, json!({ "t": r1 })).await, "UNAUTHENTICATED");
    assert_error(&app.graphql(None, REFRESH, json!({ "t": r2 })).await, "UNAUTHENTICATED");

    // A separate sign-in is a separate family and still works.
    let other = app.login("demo.district", DEMO_PASSWORD).await;
    let r3 = other["data"]["login"]["refreshToken"].as_str().unwrap();
    assert_ok(&app.graphql(None, REFRESH, json!({ "t": r3 })).await);
}

/// Move every session of the test database back so it began `days` ago.
async fn sessions_began_days_ago(app: &TestApp, days: i64) {
    use entity::refresh_token;
    use sea_orm::{EntityTrait, sea_query::Expr};
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::SessionStartedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::days(days)),
        )
        .exec(&app.state.db)
        .await
        .expect("backdate the sessions");
}

async fn a_session_ends_thirty_days_after_sign_in(app: TestApp) {
    const REFRESH_UNTIL: &str =
        "mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { refreshToken refreshTokenExpiresAt } }";
    let body = app.login("demo.district", DEMO_PASSWORD).await;
    let r1 = body["data"]["login"]["refreshToken"].as_str().unwrap().to_string();

    // Signed in 29 days ago: the refresh works, but the new token lasts only the one day left.
    sessions_began_days_ago(&app, 29).await;
    let body = app.graphql(None, REFRESH_UNTIL, json!({ "t": r1 })).await;
    assert_ok(&body);
    let until: chrono::DateTime<chrono::Utc> = body["data"]["refreshSession"]["refreshTokenExpiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let left = until - chrono::Utc::now();
    assert!(
        left > chrono::Duration::hours(23) && left <= chrono::Duration::hours(24),
        "{left}"
    );
    let r2 = body["data"]["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_string();

    // Past 30 days the session is over, however fresh its refresh token.
    sessions_began_days_ago(&app, 31).await;
    let body = app.graphql(None, REFRESH, json!({ "t": r2 })).await;
    assert_error(&body, "UNAUTHENTICATED");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("maximum length"),
        "{body}"
    );
    // Signing in again starts a new session.
    let body = app.login("demo.district", DEMO_PASSWORD).await;
    let r3 = body["data"]["login"]["refreshToken"].as_str().unwrap();
    assert_ok(&app.graphql(None, REFRESH, json!({ "t": r3 })).await);
}

async fn logout_revokes_the_session(app: TestApp) {
    let body = app.login("demo.province", DEMO_PASSWORD).await;
    let refresh = body["data"]["login"]["refreshToken"].as_str().unwrap();
    let out = app.graphql(None, LOGOUT, json!({ "t": refresh })).await;
    assert_eq!(out["data"]["logout"]["revoked"], true, "{out}");
    assert_error(
        &app.graphql(None, REFRESH, json!({ "t": refresh })).await,
        "UNAUTHENTICATED",
    );
    let again = app.graphql(None, LOGOUT, json!({ "t": refresh })).await;
    assert_eq!(again["data"]["logout"]["revoked"], false, "{again}");
}

fn claims(overrides: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "sub": "1", "role": "BRANCH", "org": 4, "iat": now, "exp": now + 600,
        "iss": "ketnap", "aud": "ketnap-api", "jti": "test"
    });
    for (key, value) in overrides.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

fn sign(claims: &Value, key: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap()
}

async fn bad_tokens_are_refused(app: TestApp) {
    // A token signed with the right key and right claims is accepted: the test can fail.
    let good = sign(&claims(json!({})), TEST_JWT_SECRET);
    assert_ok(&app.graphql(Some(&good), ME, json!({})).await);

    let hour_ago = chrono::Utc::now().timestamp() - 3600;
    let expired = sign(
        &claims(json!({ "iat": hour_ago - 900, "exp": hour_ago })),
        TEST_JWT_SECRET,
    );
    let forged = sign(&claims(json!({})), "another-key-that-is-long-enough-0123456789");
    let wrong_audience = sign(&claims(json!({ "aud": "someone-else" })), TEST_JWT_SECRET);
    let wrong_issuer = sign(&claims(json!({ "iss": "someone-else" })), TEST_JWT_SECRET);
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(json!({})).to_string())
    );
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &claims(json!({})),
        &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
    )
    .unwrap();
    for (what, token) in [
        ("expired", expired),
        ("forged", forged),
        ("wrong audience", wrong_audience),
        ("wrong issuer", wrong_issuer),
        ("alg none", unsigned),
        ("other algorithm", hs512),
        ("garbage", "not.a.token".to_string()),
    ] {
        let body = app.graphql(Some(&token), ME, json!({})).await;
        assert_eq!(crate::helpers::error_code(&body), "UNAUTHENTICATED", "{what}: {body}");
    }
    assert_error(&app.graphql(None, ME, json!({})).await, "UNAUTHENTICATED");
}

async fn deactivated_account_cannot_sign_in_or_refresh(app: TestApp) {
    let session = app.login("demo.branch", DEMO_PASSWORD).await;
    let refresh = session["data"]["login"]["refreshToken"].as_str().unwrap().to_string();
    let user_id = {
        let token = session["data"]["login"]["accessToken"].as_str().unwrap();
        app.graphql(Some(token), "{ me { id } }", json!({})).await["data"]["me"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let admin = app.token_for("demo.admin").await;
    let body = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { username isActive } } }",
            json!({ "id": user_id }),
        )
        .await;
    assert_eq!(body["data"]["deactivateUser"]["user"]["isActive"], false, "{body}");
    assert_error(&app.login("demo.branch", DEMO_PASSWORD).await, "UNAUTHENTICATED");
    assert_error(
        &app.graphql(None, REFRESH, json!({ "t": refresh })).await,
        "UNAUTHENTICATED",
    );

    let body = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { reactivateUser(input: {id: $id}) { user { isActive } } }",
            json!({ "id": user_id }),
        )
        .await;
    assert_eq!(body["data"]["reactivateUser"]["user"]["isActive"], true, "{body}");
    assert_ok(&app.login("demo.branch", DEMO_PASSWORD).await);
}

async fn accounts_are_created_by_a_superior(app: TestApp) {
    const CREATE: &str =
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { username role orgUnit { code } } } }";
    let district = app.token_for("demo.district").await;
    let commune = app.unit_id("SL.BS.HB").await;
    let input = json!({ "username": "hb.secretary", "displayName": "Văn phòng Đảng ủy xã Hòa Bình", "password": "a long enough password", "orgUnitId": commune });
    let body = app.graphql(Some(&district), CREATE, json!({ "i": input })).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["createUser"]["user"],
        json!({ "username": "hb.secretary", "role": "COMMUNE", "orgUnit": { "code": "SL.BS.HB" } })
    );
    assert_ok(&app.login("hb.secretary", "a long enough password").await);

    // The same name again is a conflict; a short password is bad input.
    assert_error(
        &app.graphql(Some(&district), CREATE, json!({ "i": input })).await,
        "CONFLICT",
    );
    let mut short = input.clone();
    short["username"] = json!("another.one");
    short["password"] = json!("short");
    let body = app.graphql(Some(&district), CREATE, json!({ "i": short })).await;
    assert_error(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "password");

    // A commune may not create accounts for a unit outside its subtree.
    let tan_lap = app.token_for("demo.commune").await;
    let mut outside = input.clone();
    outside["username"] = json!("outside.user");
    assert_error(
        &app.graphql(Some(&tan_lap), CREATE, json!({ "i": outside })).await,
        "NOT_FOUND",
    );
}

/// Two instances on one database share one budget of guesses, and a refresh token used on
/// one instance is recognised as reused on the other. (On SQLite the second instance
/// shares the file, which is what the embedded default's single instance amounts to.)
async fn instances_share_the_throttle_and_reuse_detection(app: TestApp) {
    let other = app.another_instance().await;
    let login = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { refreshToken } }";
    let guess = |at: &str| {
        let (app, at) = (&app, at.to_string());
        async move {
            app.graphql_at(
                &at,
                None,
                login,
                json!({ "u": "demo.commune", "p": "wrong-password-guess" }),
            )
            .await
        }
    };
    // Five guesses, alternating between the instances, spend the account's budget.
    for i in 0..5 {
        let at = if i % 2 == 0 {
            app.address.clone()
        } else {
            other.address.clone()
        };
        assert_error(&guess(&at).await, "UNAUTHENTICATED");
    }
    for at in [&app.address, &other.address] {
        let body = app
            .graphql_at(at, None, login, json!({ "u": "demo.commune", "p": DEMO_PASSWORD }))
            .await;
        assert_error(&body, "RATE_LIMITED");
    }
    // Guesses sent at once to both instances are counted before any is checked: of ten
    // for a fresh account, at most five reach the password check. (The client address has
    // a budget of twenty, and has spent seventeen by the end of this.)
    let many: Vec<_> = (0..10)
        .map(|i| {
            let at = if i % 2 == 0 {
                app.address.clone()
            } else {
                other.address.clone()
            };
            let app = &app;
            async move {
                app.graphql_at(
                    &at,
                    None,
                    login,
                    json!({ "u": "demo.district", "p": "wrong-password-guess" }),
                )
                .await
            }
        })
        .collect();
    let answers = futures_util::future::join_all(many).await;
    let checked = answers.iter().filter(|b| error_code(b) == "UNAUTHENTICATED").count();
    assert!(checked <= 5, "{checked} guesses reached the password check");

    // A refresh token used on one instance and presented again on the other.
    let first = app
        .graphql_at(
            &app.address,
            None,
            login,
            json!({ "u": "demo.branch", "p": DEMO_PASSWORD }),
        )
        .await;
    let r1 = first["data"]["login"]["refreshToken"].as_str().unwrap().to_string();
    assert_ok(&app.graphql_at(&app.address, None, REFRESH, json!({ "t": r1 })).await);
    let reused = app.graphql_at(&other.address, None, REFRESH, json!({ "t": r1 })).await;
    assert_error(&reused, "UNAUTHENTICATED");
    assert!(
        reused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{reused}"
    );
}

db_tests!(
    instances_share_the_throttle_and_reuse_detection,
    login_succeeds_and_me_answers,
    unknown_user_and_wrong_password_answer_alike,
    repeated_failures_are_throttled,
    refresh_rotates_and_reuse_revokes_the_family,
    a_session_ends_thirty_days_after_sign_in,
    logout_revokes_the_session,
    bad_tokens_are_refused,
    deactivated_account_cannot_sign_in_or_refresh,
    accounts_are_created_by_a_superior,
);
