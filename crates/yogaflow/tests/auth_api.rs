//! Accounts over HTTP, on SQLite and PostgreSQL: registration without
//! enumeration, verification, sign-in with lockout, token rotation and
//! revocation, password reset and change, email change, deletion and export.

mod common;

use common::{Backend, Server};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = "maple kettle drift river";
const NEW_PASSWORD: &str = "copper lantern orchard wave";

/// Auth tests exercise many requests from one address; the rate-limit tests
/// below use the real default.
const RELAXED: &[(&str, &str)] = &[
    ("YOGAFLOW_AUTH_RATE_PER_MINUTE", "100000"),
    ("YOGAFLOW_REFRESH_GRACE_SECONDS", "0"),
];

fn start(backend: Backend) -> Option<Server> {
    Server::start_with(backend, RELAXED)
}

/// Registers and verifies `email`, returning nothing; panics on any surprise.
async fn verified_user(s: &Server, email: &str, mails_before: usize) {
    let (status, _) = s
        .post_json(
            "/api/v1/auth/register",
            json!({"email": email, "name": "Test Person", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, 202);
    let token = s
        .token_from_mail(email, "/verify-email", mails_before + 1)
        .await;
    let (status, body) = s
        .post_json("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn login(s: &Server, email: &str, password: &str) -> (u16, Value) {
    s.post_json(
        "/api/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await
}

fn access(body: &Value) -> String {
    body["tokens"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn refresh_token(body: &Value) -> String {
    body["tokens"]["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

macro_rules! both {
    ($name:ident, |$s:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn body($s: Server) $body
            #[tokio::test]
            async fn sqlite() {
                body(start(Backend::Sqlite).unwrap_or_else(|| panic!("server"))).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(s) = start(Backend::Postgres) {
                    body(s).await;
                }
            }
        }
    };
}

both!(register_verify_sign_in_and_out, |s| {
    let (status, body) = s
        .post_json(
            "/api/v1/auth/register",
            json!({"email": " Alice@Example.ORG ", "name": "Alice", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, 202);
    assert!(
        body.get("tokens").is_none() && body.get("access_token").is_none(),
        "no tokens before sign-in: {body}"
    );
    let mails = s.mails(1).await;
    assert!(
        mails[0].contains(&format!("{}/verify-email?token=", s.base)),
        "links use the public URL"
    );
    let token = s
        .token_from_mail("alice@example.org", "/verify-email", 1)
        .await;
    assert_eq!(token.len(), 43);

    // Browsing and signing in work before verification.
    let (status, body) = login(&s, "ALICE@example.org", PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["email_verified"], false);
    assert_eq!(body["tokens"]["token_type"], "bearer");
    assert!(
        body["tokens"]["expires_in"]
            .as_i64()
            .is_some_and(|e| e <= 900),
        "short-lived access token"
    );

    let (status, body) = s
        .post_json("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(
        (status, body["email"].as_str()),
        (200, Some("alice@example.org"))
    );
    let (status, body) = s
        .post_json("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_link")),
        "single use"
    );

    let (_, body) = login(&s, "alice@example.org", PASSWORD).await;
    let token = access(&body);
    let (status, me) = s.get_auth("/api/v1/auth/me", &token).await;
    assert_eq!((status, me["email_verified"].as_bool()), (200, Some(true)));
    assert_eq!(me["role"], "user");
    for forbidden in ["password_hash", "tokens_valid_after"] {
        assert!(me.get(forbidden).is_none());
    }
    let (status, _) = s
        .post_json("/api/v1/auth/logout", json!({}), Some(&token))
        .await;
    assert_eq!(status, 200);
    let (status, body) = s.get_auth("/api/v1/auth/me", &token).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("token_revoked"))
    );
});

both!(registration_never_reveals_a_taken_address, |s| {
    let first = s
        .post_json(
            "/api/v1/auth/register",
            json!({"email": "bob@example.org", "name": "Bob", "password": PASSWORD}),
            None,
        )
        .await;
    let again = s
        .post_json(
            "/api/v1/auth/register",
            json!({"email": "BOB@example.org ", "name": "Mallory", "password": NEW_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(first, again, "same status and body");
    let mails = s.mails(2).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].contains("/forgot-password"),
        "the owner is told someone tried to register"
    );
    assert_eq!(login(&s, "bob@example.org", PASSWORD).await.0, 200);
    assert_eq!(
        login(&s, "bob@example.org", NEW_PASSWORD).await.0,
        401,
        "no second account, no overwrite"
    );
    // An admin-looking address gets no privilege (1.0 made it an admin).
    s.post_json(
        "/api/v1/auth/register",
        json!({"email": "eve@admin.yogaflow.com", "name": "Eve", "password": PASSWORD}),
        None,
    )
    .await;
    let (_, body) = login(&s, "eve@admin.yogaflow.com", PASSWORD).await;
    assert_eq!(body["user"]["role"], "user");
});

both!(
    password_rules_are_enforced_and_the_full_length_counts,
    |s| {
        for (password, kind) in [
            ("fourteen chars", "too_short"),
            ("password1234567", "too_guessable"),
            ("yogaflowyogaflow", "too_guessable"),
            ("carolexample2024", "too_guessable"),
        ] {
            let (status, body) = s
                .post_json(
                    "/api/v1/auth/register",
                    json!({"email": "carol@example.org", "name": "Carol", "password": password}),
                    None,
                )
                .await;
            assert_eq!(status, 422, "{password}");
            assert_eq!(body["detail"][0]["field"], "password");
            assert_eq!(body["detail"][0]["type"], kind, "{password}: {body}");
        }
        let too_long = "a b c d e f g h ".repeat(17);
        let (status, _) = s
            .post_json(
                "/api/v1/auth/register",
                json!({"email": "carol@example.org", "name": "Carol", "password": too_long}),
                None,
            )
            .await;
        assert_eq!(status, 422);
        // 256 characters are accepted, and every one of them matters.
        let long: String = (0..64)
            .map(|i| {
                format!(
                    "{}{} ",
                    ["fig", "oak", "sky", "jam", "owl", "bay", "elm"][i % 7],
                    i
                )
            })
            .collect::<String>()
            .chars()
            .take(256)
            .collect();
        assert_eq!(long.chars().count(), 256);
        let (status, body) = s
            .post_json(
                "/api/v1/auth/register",
                json!({"email": "carol@example.org", "name": "Carol", "password": long}),
                None,
            )
            .await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(login(&s, "carol@example.org", &long).await.0, 200);
        let mut changed: Vec<char> = long.chars().collect();
        changed[200] = if changed[200] == 'x' { 'y' } else { 'x' };
        let changed: String = changed.into_iter().collect();
        assert_eq!(login(&s, "carol@example.org", &changed).await.0, 401);
        // Accents typed composed or decomposed are the same password (NFKC).
        s.post_json("/api/v1/auth/register", json!({"email": "dora@example.org", "name": "Dora", "password": "cafe\u{301} lantern orchard"}), None).await;
        assert_eq!(
            login(&s, "dora@example.org", "caf\u{e9} lantern orchard")
                .await
                .0,
            200
        );
    }
);

both!(
    sign_in_failures_look_the_same_and_lock_without_locking_out_the_owner,
    |s| {
        verified_user(&s, "erin@example.org", 0).await;
        // A browser where Erin signed in before carries a device cookie.
        let r = s
            .http
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"email": "erin@example.org", "password": PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let cookie = r
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let device = cookie.split(';').next().unwrap_or("").to_owned();

        let wrong = login(&s, "erin@example.org", "not the password at all").await;
        let unknown = login(&s, "nobody@example.org", "not the password at all").await;
        assert_eq!(wrong.0, 401);
        assert_eq!(
            wrong, unknown,
            "wrong password and unknown email answer alike"
        );
        for _ in 0..4 {
            login(&s, "erin@example.org", "not the password at all").await;
            login(&s, "nobody@example.org", "not the password at all").await;
        }
        // Five failures: the right password is now refused from unknown clients,
        // with the very same answer, and the same happens for an unknown address.
        let locked = login(&s, "erin@example.org", PASSWORD).await;
        assert_eq!(locked, wrong, "a lock is not revealed");
        assert_eq!(
            login(&s, "nobody@example.org", "anything else entirely").await,
            wrong
        );
        assert!(s.logs().contains("\"event\":\"lockout\""));
        // Erin's own browser still gets in.
        let r = s
            .http
            .post(s.url("/api/v1/auth/login"))
            .header("cookie", &device)
            .json(&json!({"email": "erin@example.org", "password": PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "the owner's device is not locked out");
        // The owner was told about the lock, and a reset clears it for new devices too.
        let mails_now = s.mails(2).await.len();
        s.post_json(
            "/api/v1/auth/forgot-password",
            json!({"email": "erin@example.org"}),
            None,
        )
        .await;
        let token = s
            .token_from_mail("erin@example.org", "/reset-password", mails_now + 1)
            .await;
        let (status, _) = s
            .post_json(
                "/api/v1/auth/reset-password",
                json!({"token": token, "new_password": NEW_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            login(&s, "erin@example.org", NEW_PASSWORD).await.0,
            200,
            "reset clears the lock"
        );
    }
);

both!(refresh_rotates_and_a_replayed_token_ends_the_family, |s| {
    verified_user(&s, "finn@example.org", 0).await;
    let (_, body) = s
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "finn@example.org", "password": PASSWORD, "remember_me": true}),
            None,
        )
        .await;
    let first = refresh_token(&body);
    // 1.0 clients send the token in the query string; new clients in a JSON body.
    let r = s
        .http
        .post(s.url(&format!("/api/v1/auth/refresh?refresh_token={first}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let second: Value = r.json().await.unwrap_or_default();
    let second_refresh = second["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(second_refresh, first, "rotated");
    let (status, _) = s
        .get_auth(
            "/api/v1/auth/me",
            second["access_token"].as_str().unwrap_or_default(),
        )
        .await;
    assert_eq!(status, 200);
    // The server under test allows no grace, so the replay is theft: the whole
    // family dies, the newest token included.
    let (status, body) = s
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refresh_token": first}),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("token_revoked"))
    );
    let (status, _) = s
        .post_json(
            "/api/v1/auth/refresh",
            json!({"refresh_token": second_refresh}),
            None,
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = s
        .get_auth(
            "/api/v1/auth/me",
            second["access_token"].as_str().unwrap_or_default(),
        )
        .await;
    assert_eq!(status, 401, "access tokens of the family die too");
    assert!(s.logs().contains("refresh_token_reuse"));
    // Unknown and malformed tokens are 401 or 422, never 500.
    assert_eq!(
        s.post_json(
            "/api/v1/auth/refresh",
            json!({"refresh_token": "nope"}),
            None
        )
        .await
        .0,
        401
    );
    assert_eq!(
        s.post_json("/api/v1/auth/refresh", json!({}), None).await.0,
        422
    );
});

both!(malformed_forged_and_wrong_type_tokens_are_401, |s| {
    verified_user(&s, "gia@example.org", 0).await;
    let (_, body) = login(&s, "gia@example.org", PASSWORD).await;
    let good = access(&body);
    let parts: Vec<&str> = good.split('.').collect();
    let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let candidates = vec![
        String::new(),
        "garbage".into(),
        format!("{}.{}", parts[0], parts[1]),
        format!("{none_header}.{}.", parts[1]),
        format!("{none_header}.{}", parts[1]),
        format!("{}.{}.{}x", parts[0], parts[1], parts[2]),
        format!("{}.{}a.{}", parts[0], parts[1], parts[2]),
        refresh_token(&body),
        "x".repeat(16 * 1024),
    ];
    for token in candidates {
        let r = s
            .http
            .get(s.url("/api/v1/auth/me"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            r.status() == 401 || r.status() == 431 || r.status() == 400,
            "{}: {}",
            r.status(),
            token.chars().take(40).collect::<String>()
        );
    }
    let r = s
        .http
        .get(s.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(body["error"], "Not authenticated");
    let r = s
        .http
        .get(s.url("/api/v1/auth/me"))
        .header("authorization", format!("Bearer {good}"))
        .header("authorization", format!("Bearer {good}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 401, "two Authorization headers");
});

both!(mass_assignment_and_bad_bodies_are_refused, |s| {
    for extra in [
        json!({"role": "admin"}),
        json!({"email_verified": true}),
        json!({"user_id": 1}),
    ] {
        let mut body = json!({"email": "hal@example.org", "name": "Hal", "password": PASSWORD});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let (status, resp) = s.post_json("/api/v1/auth/register", body, None).await;
        assert_eq!(status, 422, "{resp}");
    }
    assert_eq!(
        login(&s, "hal@example.org", PASSWORD).await.0,
        401,
        "no account was created"
    );
    verified_user(&s, "hal@example.org", 0).await;
    let (_, body) = login(&s, "hal@example.org", PASSWORD).await;
    let token = access(&body);
    for bad in [
        json!({"role": "admin"}),
        json!({"email_verified": false}),
        json!({"email": "x@example.org"}),
        json!({"experience_level": "guru"}),
        json!({"time_zone": "Mars/Olympus Mons"}),
    ] {
        let (status, _) = s
            .send_json(Method::PUT, "/api/v1/profile", bad.clone(), Some(&token))
            .await;
        assert_eq!(status, 422, "{bad}");
    }
    let (_, me) = s.get_auth("/api/v1/profile", &token).await;
    assert_eq!(me["role"], "user");
    let (status, me) = s
        .send_json(
            Method::PUT,
            "/api/v1/profile",
            json!({"name": "Hal 9", "time_zone": "Asia/Tokyo", "experience_level": "intermediate"}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (status, me["name"].as_str(), me["time_zone"].as_str()),
        (200, Some("Hal 9"), Some("Asia/Tokyo"))
    );
    // Wrong content type, broken JSON, deep nesting, oversized bodies.
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 415);
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 400);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 400);
    let big = format!("{{\"email\": \"{}\"}}", "a".repeat(70 * 1024));
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 413);
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": \"a\u{0}@x.org\", \"password\": \"x\"}")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.status().is_client_error(),
        "NUL in a string: {}",
        r.status()
    );
});

both!(password_change_and_reset_revoke_sessions, |s| {
    verified_user(&s, "ivy@example.org", 0).await;
    let (_, a) = login(&s, "ivy@example.org", PASSWORD).await;
    let (_, b) = login(&s, "ivy@example.org", PASSWORD).await;
    let (status, body) = s
        .send_json(
            Method::PUT,
            "/api/v1/profile/password",
            json!({"current_password": "wrong password here", "new_password": NEW_PASSWORD}),
            Some(&access(&a)),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("wrong_password"))
    );
    let (status, _) = s
        .send_json(
            Method::PUT,
            "/api/v1/profile/password",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
            Some(&access(&a)),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&a)).await.0,
        200,
        "the session that changed it stays"
    );
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&b)).await.0,
        401,
        "other sessions end at once"
    );
    assert_eq!(
        s.post_json(
            "/api/v1/auth/refresh",
            json!({"refresh_token": refresh_token(&b)}),
            None
        )
        .await
        .0,
        401
    );
    assert_eq!(login(&s, "ivy@example.org", PASSWORD).await.0, 401);
    let mails = s.mails(2).await.len();

    // Forgot password answers alike for known and unknown addresses.
    let known = s
        .post_json(
            "/api/v1/auth/forgot-password",
            json!({"email": "ivy@example.org"}),
            None,
        )
        .await;
    let unknown = s
        .post_json(
            "/api/v1/auth/forgot-password",
            json!({"email": "nobody@example.org"}),
            None,
        )
        .await;
    assert_eq!(known, unknown);
    assert_eq!(known.0, 202);
    let token = s
        .token_from_mail("ivy@example.org", "/reset-password", mails + 1)
        .await;
    assert_eq!(
        s.mails(mails + 1).await.len(),
        mails + 1,
        "no mail for the unknown address"
    );
    let (status, _) = s
        .post_json(
            "/api/v1/auth/reset-password",
            json!({"token": token, "new_password": "short"}),
            None,
        )
        .await;
    assert_eq!(status, 422, "a weak password does not use up the link");
    let (status, _) = s
        .post_json(
            "/api/v1/auth/reset-password",
            json!({"token": token, "new_password": "quiet harbor pebble fern"}),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = s
        .post_json(
            "/api/v1/auth/reset-password",
            json!({"token": token, "new_password": "another fresh pass phrase"}),
            None,
        )
        .await;
    assert_eq!(status, 400, "single use");
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&a)).await.0,
        401,
        "reset ends every session"
    );
    assert_eq!(
        login(&s, "ivy@example.org", "quiet harbor pebble fern")
            .await
            .0,
        200
    );
});

both!(host_header_cannot_poison_reset_links, |s| {
    verified_user(&s, "jay@example.org", 0).await;
    let r = s
        .http
        .post(s.url("/api/v1/auth/forgot-password"))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .json(&json!({"email": "jay@example.org"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 202);
    let mails = s.mails(2).await;
    let last = mails.last().cloned().unwrap_or_default();
    assert!(!last.contains("evil.example"));
    assert!(last.contains(&format!("{}/reset-password?token=", s.base)));
});

both!(email_change_needs_verification_and_confirmation, |s| {
    s.post_json(
        "/api/v1/auth/register",
        json!({"email": "kim@example.org", "name": "Kim", "password": PASSWORD}),
        None,
    )
    .await;
    let (_, body) = login(&s, "kim@example.org", PASSWORD).await;
    let (status, body2) = s
        .post_json(
            "/api/v1/profile/email",
            json!({"new_email": "kim@new.example", "current_password": PASSWORD}),
            Some(&access(&body)),
        )
        .await;
    assert_eq!(
        (status, body2["code"].as_str()),
        (403, Some("email_not_verified"))
    );
    let token = s
        .token_from_mail("kim@example.org", "/verify-email", 1)
        .await;
    s.post_json("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await;
    let (status, _) = s
        .post_json(
            "/api/v1/profile/email",
            json!({"new_email": "kim@new.example", "current_password": "wrong password value"}),
            Some(&access(&body)),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = s
        .post_json(
            "/api/v1/profile/email",
            json!({"new_email": "Kim@New.example", "current_password": PASSWORD}),
            Some(&access(&body)),
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&body)).await.1["email"],
        "kim@example.org",
        "nothing changes before confirmation"
    );
    let token = s
        .token_from_mail("kim@new.example", "/confirm-email", 2)
        .await;
    let (status, resp) = s
        .post_json(
            "/api/v1/profile/email/confirm",
            json!({"token": token}),
            None,
        )
        .await;
    assert_eq!(
        (status, resp["email"].as_str()),
        (200, Some("kim@new.example"))
    );
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&body)).await.0,
        401,
        "sessions end"
    );
    let mails = s.mails(3).await;
    assert!(
        mails
            .last()
            .is_some_and(|m| m.to_lowercase().contains("to: kim@example.org")),
        "the old address is told"
    );
    assert_eq!(login(&s, "kim@new.example", PASSWORD).await.0, 200);
    assert_eq!(login(&s, "kim@example.org", PASSWORD).await.0, 401);
});

both!(sessions_list_end_one_and_end_all, |s| {
    verified_user(&s, "lee@example.org", 0).await;
    let (_, a) = login(&s, "lee@example.org", PASSWORD).await;
    let (_, b) = login(&s, "lee@example.org", PASSWORD).await;
    let (_, c) = login(&s, "lee@example.org", PASSWORD).await;
    let (status, list) = s.get_auth("/api/v1/auth/sessions", &access(&a)).await;
    assert_eq!(status, 200);
    let sessions = list["sessions"].as_array().cloned().unwrap_or_default();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions.iter().filter(|x| x["current"] == true).count(), 1);
    let other = sessions
        .iter()
        .find(|x| x["current"] == false)
        .and_then(|x| x["session_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let r = s
        .http
        .delete(s.url(&format!("/api/v1/auth/sessions/{other}")))
        .bearer_auth(access(&a))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    let mut statuses = vec![
        s.get_auth("/api/v1/auth/me", &access(&b)).await.0,
        s.get_auth("/api/v1/auth/me", &access(&c)).await.0,
    ];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        vec![200, 401],
        "exactly the chosen device is signed out"
    );
    let r = s
        .http
        .delete(s.url("/api/v1/auth/sessions/not-a-session"))
        .bearer_auth(access(&a))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);
    // Another user cannot end Lee's sessions.
    verified_user(&s, "max@example.org", 1).await;
    let (_, m) = login(&s, "max@example.org", PASSWORD).await;
    let sid = sessions[0]["session_id"].as_str().unwrap_or_default();
    let r = s
        .http
        .delete(s.url(&format!("/api/v1/auth/sessions/{sid}")))
        .bearer_auth(access(&m))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);
    let r = s
        .http
        .delete(s.url("/api/v1/auth/sessions"))
        .bearer_auth(access(&a))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    for t in [&a, &b, &c] {
        assert_eq!(
            s.get_auth("/api/v1/auth/me", &access(t)).await.0,
            401,
            "signed out everywhere"
        );
    }
    assert_eq!(
        s.get_auth("/api/v1/auth/me", &access(&m)).await.0,
        200,
        "other users are untouched"
    );
});

both!(export_and_delete_my_account, |s| {
    verified_user(&s, "nia@example.org", 0).await;
    let (_, a) = login(&s, "nia@example.org", PASSWORD).await;
    let r = s
        .http
        .get(s.url("/api/v1/profile/export"))
        .bearer_auth(access(&a))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let export: Value = r.json().await.unwrap_or_default();
    assert_eq!(export["user"]["email"], "nia@example.org");
    assert_eq!(export["sessions"].as_array().map(Vec::len), Some(1));
    let (status, _) = s
        .send_json(
            Method::DELETE,
            "/api/v1/profile",
            json!({"current_password": "not my password ok"}),
            Some(&access(&a)),
        )
        .await;
    assert_eq!(status, 400);
    let r = s
        .http
        .delete(s.url("/api/v1/profile"))
        .bearer_auth(access(&a))
        .json(&json!({"current_password": PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    assert_eq!(s.get_auth("/api/v1/auth/me", &access(&a)).await.0, 401);
    assert_eq!(login(&s, "nia@example.org", PASSWORD).await.0, 401);
    // The address is free again.
    let (status, _) = s
        .post_json(
            "/api/v1/auth/register",
            json!({"email": "nia@example.org", "name": "Nia", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, 202);
});

#[tokio::test]
async fn logs_hold_no_passwords_tokens_or_plain_emails() {
    let s = start(Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    verified_user(&s, "canary.person@example.org", 0).await;
    let (_, body) = login(&s, "canary.person@example.org", PASSWORD).await;
    login(&s, "canary.person@example.org", "wrong canary password").await;
    s.post_json(
        "/api/v1/auth/refresh",
        json!({"refresh_token": refresh_token(&body)}),
        None,
    )
    .await;
    s.post_json(
        "/api/v1/auth/forgot-password",
        json!({"email": "canary.person@example.org"}),
        None,
    )
    .await;
    let logs = s.logs();
    assert!(logs.contains("c***@example.org"), "emails appear masked");
    for secret in [
        PASSWORD,
        "wrong canary password",
        "canary.person@example.org",
        &access(&body),
        &refresh_token(&body),
    ] {
        assert!(!logs.contains(secret), "the log holds {secret}");
    }
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            serde_json::from_str::<Value>(line).is_ok(),
            "not a JSON line: {line}"
        );
    }
}

#[tokio::test]
async fn auth_responses_are_never_cached() {
    let s = start(Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": "x@example.org", "password": "whatever it is"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.headers()["cache-control"], "no-store");
    let r = s.get("/api/v1/poses").await;
    assert!(
        r.headers()
            .get("cache-control")
            .is_none_or(|v| v != "no-store"),
        "public catalog stays cacheable"
    );
}

#[tokio::test]
async fn https_deployments_send_hsts_and_secure_host_cookies() {
    let mut env = RELAXED.to_vec();
    env.push(("YOGAFLOW_PUBLIC_URL", "https://yoga.example"));
    let s = Server::start_with(Backend::Sqlite, &env).unwrap_or_else(|| panic!("server"));
    let r = s.get("/health").await;
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap_or("")
            .contains("max-age=63072000")
    );
    s.post_json(
        "/api/v1/auth/register",
        json!({"email": "olu@example.org", "name": "Olu", "password": PASSWORD}),
        None,
    )
    .await;
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": "olu@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cookie = r.headers()["set-cookie"].to_str().unwrap_or("").to_owned();
    assert!(
        cookie.starts_with("__Host-yf_device=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/")
            && !cookie.contains("Domain"),
        "{cookie}"
    );
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("origin", "https://yoga.example")
        .json(&json!({"email": "olu@example.org", "password": PASSWORD, "session_cookie": true}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("yf_session"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        session.starts_with("__Host-yf_session=")
            && session.contains("; Secure")
            && session.contains("HttpOnly"),
        "{session}"
    );
}

/// Signs in a browser-style session and returns the `name=value` cookie pair.
async fn cookie_sign_in(s: &Server, email: &str) -> String {
    let r = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .header("origin", &s.base)
        .json(&json!({"email": email, "password": PASSWORD, "session_cookie": true}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("yf_session="))
        .cloned()
        .unwrap_or_else(|| panic!("no session cookie in {cookies:?}"));
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && session.contains("Path=/"),
        "{session}"
    );
    session.split(';').next().unwrap_or_default().to_owned()
}

both!(
    browser_sessions_use_an_http_only_cookie_and_refuse_cross_site_changes,
    |s| {
        verified_user(&s, "pia@example.org", 0).await;
        let cookie = cookie_sign_in(&s, "pia@example.org").await;
        let me = s
            .http
            .get(s.url("/api/v1/auth/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(me.status(), 200);
        assert_eq!(me.headers()["cache-control"], "no-store");
        let change = |origin: Option<&str>, site: Option<&str>| {
            let mut req = s
                .http
                .put(s.url("/api/v1/profile"))
                .header("cookie", &cookie)
                .json(&json!({"name": "Pia P"}));
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            if let Some(f) = site {
                req = req.header("sec-fetch-site", f);
            }
            req.send()
        };
        let evil = change(Some("https://evil.example"), None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(evil.status(), 403);
        let body: Value = evil.json().await.unwrap_or_default();
        assert_eq!(body["code"], "csrf_rejected");
        assert_eq!(
            change(None, Some("cross-site"))
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0),
            403
        );
        assert_eq!(
            change(None, None)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0),
            403,
            "no browser signal, no change"
        );
        assert_eq!(
            change(Some(&s.base), None)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0),
            200
        );
        assert_eq!(
            change(None, Some("same-origin"))
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0),
            200
        );
        // A page elsewhere cannot sign a browser in (login CSRF).
        let r = s
            .http
            .post(s.url("/api/v1/auth/login"))
            .header("origin", "https://evil.example")
            .json(
                &json!({"email": "pia@example.org", "password": PASSWORD, "session_cookie": true}),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 403);
        // A forged cookie value is refused.
        let (name, value) = cookie.split_once('=').unwrap_or_default();
        let forged = format!("{name}={}x", value);
        let r = s
            .http
            .get(s.url("/api/v1/auth/me"))
            .header("cookie", forged)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 401);
        // Logging out clears the cookie and ends the session everywhere.
        let r = s
            .http
            .post(s.url("/api/v1/auth/logout"))
            .header("cookie", &cookie)
            .header("origin", &s.base)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()
                .get_all("set-cookie")
                .iter()
                .any(|v| v.to_str().unwrap_or("").contains("Max-Age=0"))
        );
        let r = s
            .http
            .get(s.url("/api/v1/auth/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 401);
    }
);
