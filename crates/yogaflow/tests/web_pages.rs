//! The server-rendered pages over plain HTTP, on SQLite and PostgreSQL: the
//! strict CSP and no inline script or style on any page, sign-in that only
//! returns to same-site paths, one-time tokens moved out of the URL, form errors
//! as 422 pages, private pages behind sign-in, and shared rate-limit budgets.

#[macro_use]
mod common;

use common::{Server, no_redirects};

/// A GET as a browser sends it (HTML wanted, redirects not followed), with the
/// session cookie when given.
async fn get_page(s: &Server, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = no_redirects()
        .get(s.url(path))
        .header("accept", "text/html");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// A browser-like form post from our own pages.
async fn post_form(
    s: &Server,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = no_redirects()
        .post(s.url(path))
        .header("sec-fetch-site", "same-origin")
        .form(form);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// The `name=value` part of the `Set-Cookie` for `name`.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Registers and verifies through the API, then signs in with the form.
async fn signed_in_cookie(s: &Server, email: &str, mails_before: usize) -> String {
    s.verified_token(email, mails_before).await;
    let r = post_form(
        s,
        "/login",
        &[("email", email), ("password", "maple kettle drift river")],
        None,
    )
    .await;
    assert_eq!(r.status(), 303);
    set_cookie(&r, "yf_session").unwrap_or_else(|| panic!("no session cookie"))
}

const PUBLIC_PAGES: [&str; 11] = [
    "/",
    "/poses",
    "/poses/1",
    "/sequences",
    "/sequences/1",
    "/login",
    "/register",
    "/forgot-password",
    "/reset-password",
    "/privacy",
    "/terms",
];

on_both_databases!(every_page_is_strict_csp_html_with_no_inline_code, |s| {
    for path in PUBLIC_PAGES {
        let r = get_page(&s, path, None).await;
        assert_eq!(r.status(), 200, "{path}");
        let csp = r
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let html = r.text().await.unwrap_or_default();
        assert!(html.starts_with("<!doctype html>"), "{path}");
        assert!(!html.contains(" style=\""), "{path} has a style attribute");
        assert!(!html.contains("<style"), "{path} has a style element");
        // Every script is an external module from our own fingerprinted assets.
        for tag in html.split("<script").skip(1) {
            let open = tag.split('>').next().unwrap_or_default();
            assert!(
                open.contains("src=\"/assets/") || open.contains("type=\"application/json\""),
                "{path} has an inline script: <script{open}>"
            );
        }
        assert!(
            !html.contains(" on") || !html.contains("onclick="),
            "{path} has a handler attribute"
        );
    }
});

on_both_databases!(assets_are_fingerprinted_compressed_and_cached, |s| {
    let html = s.get("/poses").await.text().await.unwrap_or_default();
    let css = html
        .split("href=\"")
        .filter_map(|p| p.split('"').next())
        .find(|u| u.starts_with("/assets/app.") && u.ends_with(".css"))
        .unwrap_or_else(|| panic!("no stylesheet link"))
        .to_owned();
    let r = s
        .http
        .get(s.url(&css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["content-type"], "text/css; charset=utf-8");
    assert!(h.get("etag").is_some());
    // reqwest here does not decompress, so the gzip header is what was sent.
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(s.get("/assets/app.0000000000.css").await.status(), 404);
});

on_both_databases!(
    unknown_pages_are_friendly_for_people_and_json_for_the_api,
    |s| {
        let r = get_page(&s, "/no-such-page", None).await;
        assert_eq!(r.status(), 404);
        assert!(
            r.text()
                .await
                .unwrap_or_default()
                .contains("We could not find that page")
        );
        let api = s.get_json("/api/v1/nothing-here", 404).await;
        assert_eq!(api["status_code"], 404);
        for path in [
            "/poses/999999",
            "/poses/abc",
            "/sequences/0",
            "/shared/not-a-token",
        ] {
            let r = get_page(&s, path, None).await;
            assert_eq!(r.status(), 404, "{path}");
        }
        // Bad filter values are a 422 page, not a 500.
        let r = s.get("/poses?category=flying").await;
        assert_eq!(r.status(), 422);
        // The API root keeps 1.0's JSON for clients that do not ask for HTML.
        let root = s.get_json("/", 200).await;
        assert_eq!(root["name"], "YogaFlow API");
    }
);

on_both_databases!(sign_in_returns_only_to_same_site_paths, |s| {
    s.verified_token("mira@example.com", 0).await;
    for (next, expected) in [
        ("/poses?page=2", "/poses?page=2"),
        ("//evil.example/x", "/dashboard"),
        ("https://evil.example/", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
    ] {
        let r = post_form(
            &s,
            "/login",
            &[
                ("email", "mira@example.com"),
                ("password", "maple kettle drift river"),
                ("next", next),
            ],
            None,
        )
        .await;
        assert_eq!(r.status(), 303, "{next}");
        assert_eq!(r.headers()["location"], expected, "{next}");
    }
    // A wrong password re-renders the form with a message, and no cookie.
    let r = post_form(
        &s,
        "/login",
        &[
            ("email", "mira@example.com"),
            ("password", "wrong wrong wrong"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(set_cookie(&r, "yf_session").is_none());
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("do not match an account")
    );
});

on_both_databases!(another_site_cannot_submit_our_forms, |s| {
    let cookie = signed_in_cookie(&s, "lee@example.com", 0).await;
    // Login CSRF: a page elsewhere cannot sign a browser in.
    let r = no_redirects()
        .post(s.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("email", "lee@example.com"),
            ("password", "maple kettle drift river"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403);
    // A signed-in browser's cookie does not let another site change settings.
    let r = no_redirects()
        .post(s.url("/profile/goals"))
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .form(&[("sessions_per_week", "5"), ("minutes_per_week", "")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403);
    let r = post_form(
        &s,
        "/profile/goals",
        &[("sessions_per_week", "5"), ("minutes_per_week", "")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 303);
});

on_both_databases!(one_time_tokens_leave_the_address_bar, |s| {
    let (status, _) = s
        .post_json(
            "/api/v1/auth/register",
            serde_json::json!({"email": "ines@example.com", "name": "Inês", "password": "maple kettle drift river"}),
            None,
        )
        .await;
    assert_eq!(status, 202);
    let token = s
        .token_from_mail("ines@example.com", "/verify-email", 1)
        .await;
    let r = get_page(&s, &format!("/verify-email?token={token}"), None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/verify-email");
    let raw = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("yf_verify="))
        .unwrap_or_else(|| panic!("no token cookie"))
        .to_owned();
    assert!(
        raw.contains("HttpOnly")
            && raw.contains("Path=/verify-email")
            && raw.contains("Max-Age=900"),
        "{raw}"
    );
    let cookie = raw.split(';').next().unwrap_or_default().to_owned();
    // Opening the page alone does not use the link up; the button does.
    let r = post_form(&s, "/verify-email", &[], Some(&cookie)).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Your email is confirmed")
    );
    // Used once: the same token is refused.
    let r = post_form(&s, "/verify-email", &[], Some(&cookie)).await;
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("That link did not work")
    );
});

on_both_databases!(form_errors_sit_next_to_their_fields, |s| {
    let r = post_form(
        &s,
        "/register",
        &[
            ("name", ""),
            ("email", "not-an-email"),
            ("password", "short"),
            ("experience_level", "beginner"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap_or_default();
    for id in ["name-error", "email-error"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.contains("aria-invalid=\"true\""));
    let r = post_form(
        &s,
        "/register",
        &[
            ("name", "Ana"),
            ("email", "ana@example.com"),
            ("password", "short"),
            ("experience_level", "beginner"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap_or_default();
    assert!(
        html.contains("id=\"password-error\""),
        "password-error missing"
    );
    // What was typed is kept, except the password.
    assert!(html.contains("value=\"ana@example.com\"") && !html.contains("short"));
    // Garbage bodies get the friendly page, never a 500.
    let r = no_redirects()
        .post(s.url("/register"))
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%%%=&&&=%zz")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.status().is_client_error(), "{}", r.status());
});

on_both_databases!(private_pages_need_an_account_and_stay_private, |s| {
    for path in [
        "/dashboard",
        "/history",
        "/stats",
        "/achievements",
        "/favorites",
        "/profile",
    ] {
        let r = get_page(&s, path, None).await;
        assert_eq!(r.status(), 303, "{path}");
        let loc = r.headers()["location"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert!(loc.starts_with("/login?next=%2F"), "{path}: {loc}");
    }
    let cookie = signed_in_cookie(&s, "ravi@example.com", 0).await;
    for path in [
        "/dashboard",
        "/history",
        "/history?month=2026-02",
        "/history?day=2026-11-03&month=2026-11",
        "/stats",
        "/achievements",
        "/favorites",
        "/profile",
    ] {
        let r = get_page(&s, path, Some(&cookie)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    // Someone else's own sequence is a 404, as in the API.
    let other = s.verified_token("other@example.com", 2).await;
    let (status, body) = s
        .post_json(
            "/api/v1/sequences",
            serde_json::json!({"name": "Mine only", "description": "", "difficulty_level": "beginner",
                "focus_area": "flexibility", "style": "gentle",
                "poses": [{"pose_id": 6, "duration_seconds": 30}, {"pose_id": 7, "duration_seconds": 30},
                    {"pose_id": 5, "duration_seconds": 60}]}),
            Some(&other),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["sequence_id"].as_i64().unwrap_or_default();
    let r = get_page(&s, &format!("/sequences/{id}"), Some(&cookie)).await;
    assert_eq!(r.status(), 404);
});

on_both_databases!(favorites_and_goals_work_without_javascript, |s| {
    let cookie = signed_in_cookie(&s, "zoe@example.com", 0).await;
    let r = post_form(
        &s,
        "/poses/3/favorite",
        &[("favorite", "add")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/poses/3");
    let page = s
        .http
        .get(s.url("/favorites"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("href=\"/poses/3\""));
    let r = post_form(
        &s,
        "/poses/999999/favorite",
        &[("favorite", "add")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = post_form(
        &s,
        "/profile/goals",
        &[("sessions_per_week", "lots"), ("minutes_per_week", "")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("Enter a whole number")
    );
});

on_both_databases!(form_sign_in_spends_the_same_budget_as_the_api, |s| {
    // The login budget is per client and shared by the form and the API, so
    // switching between them cannot double an attacker's tries.
    let mut limited = None;
    for i in 0..40 {
        let r = if i % 2 == 0 {
            post_form(
                &s,
                "/login",
                &[("email", "x@example.com"), ("password", "nope nope nope")],
                None,
            )
            .await
            .status()
            .as_u16()
        } else {
            s.post_json(
                "/api/v1/auth/login",
                serde_json::json!({"email": "x@example.com", "password": "nope nope nope"}),
                None,
            )
            .await
            .0
        };
        if r == 429 {
            limited = Some(i);
            break;
        }
    }
    let at = limited.unwrap_or_else(|| panic!("never rate limited"));
    // Ten a minute per client: separate budgets would allow about twenty.
    assert!(at <= 11, "limited only after {at} tries");
    // The form's answer is a page.
    let r = post_form(
        &s,
        "/login",
        &[("email", "x@example.com"), ("password", "nope")],
        None,
    )
    .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert!(
        r.text()
            .await
            .unwrap_or_default()
            .contains("<!doctype html>")
    );
});

on_both_databases!(browser_retries_with_an_idempotency_key_act_once, |s| {
    // The player signs in with the session cookie and retries with the same key;
    // the second call must replay the first answer, not start a second session.
    let cookie = signed_in_cookie(&s, "noor@example.com", 0).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = no_redirects()
            .post(s.url("/api/v1/sessions/start"))
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &cookie)
            .header("idempotency-key", "player-start-1")
            .json(&serde_json::json!({"sequence_id": 1}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 201);
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        ids.push(body["session_id"].as_i64().unwrap_or_default());
    }
    assert!(ids[0] > 0 && ids[0] == ids[1], "{ids:?}");
});

on_both_databases!(admin_pages_are_for_admins_only, |s| {
    for path in ["/admin", "/admin/poses/1", "/admin/uploads"] {
        let r = get_page(&s, path, None).await;
        assert_eq!(r.status(), 303, "{path}");
    }
    let cookie = signed_in_cookie(&s, "plain@example.com", 0).await;
    for path in ["/admin", "/admin/poses/1", "/admin/uploads"] {
        let r = get_page(&s, path, Some(&cookie)).await;
        assert_eq!(r.status(), 403, "{path}");
    }
    // A user's form post cannot change a pose.
    let r = post_form(
        &s,
        "/admin/poses/1",
        &[
            ("name_english", "Hacked"),
            ("description", "x"),
            ("instructions", "x"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 403);
    let pose = s.get_json("/api/v1/poses/1", 200).await;
    assert_ne!(pose["name_english"], "Hacked");

    // An admin's refused edit shows the message next to the field, and nothing changes.
    let mut grant = common::bin();
    grant
        .arg("--data-dir")
        .arg(&s.dir.0)
        .args(["admin", "grant", "--email", "plain@example.com"]);
    if let Some(pg) = &s.pg {
        grant.env("DATABASE_URL", &pg.url);
    }
    assert!(grant.output().map(|o| o.status.success()).unwrap_or(false));
    let r = post_form(
        &s,
        "/admin/poses/1",
        &[
            ("name_english", "Mountain"),
            ("category", "standing"),
            ("difficulty_level", "beginner"),
            ("hold_value", "30"),
            ("hold_unit", "seconds"),
            ("description", ""),
            ("instructions", ""),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("id=\"description-error\""), "no field error");
    assert_eq!(
        s.get_json("/api/v1/poses/1", 200).await["name_english"],
        pose["name_english"]
    );
    // A form that carries no figure field (an older page, a script) keeps the
    // pose's figure: only an emptied box removes it.
    let figure = s.get("/api/v1/poses/1/figure.svg").await;
    assert_eq!(figure.status(), 200);
    let r = post_form(
        &s,
        "/admin/poses/1",
        &[
            ("name_english", "Mountain Pose"),
            ("category", "standing"),
            ("difficulty_level", "beginner"),
            ("hold_value", "30"),
            ("hold_unit", "seconds"),
            ("description", "Stand tall with the feet together."),
            ("instructions", "Stand tall."),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.get("/api/v1/poses/1/figure.svg").await.status(), 200);
});
