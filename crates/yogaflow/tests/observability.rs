//! Metrics: who may read them, and that they are labelled by route template
//! (bounded series), with auth events, pool use and the outbox depth.

mod common;

use common::{Backend, Server};
use serde_json::json;

const TOKEN: &str = "metrics-token-for-tests-5c1e7a90b3d2";

async fn get(s: &Server, url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = s.http.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn metrics_are_hidden_without_a_token_setting() {
    let s = Server::start(Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    assert_eq!(get(&s, &s.url("/metrics"), None).await.0, 404);
    assert_eq!(get(&s, &s.url("/metrics"), Some(TOKEN)).await.0, 404);
    assert!(s.metrics_url.is_none(), "no separate listener unless asked");
}

#[tokio::test]
async fn metrics_need_the_token_and_use_route_templates() {
    let s = Server::start_with(
        Backend::Sqlite,
        &[
            ("YOGAFLOW_METRICS_TOKEN", TOKEN),
            ("YOGAFLOW_AUTH_RATE_PER_MINUTE", "3"),
        ],
    )
    .unwrap_or_else(|| panic!("server"));
    assert_eq!(get(&s, &s.url("/metrics"), None).await.0, 401);
    assert_eq!(
        get(&s, &s.url("/metrics"), Some("wrong-token")).await.0,
        401
    );

    for id in [1, 2, 3] {
        assert_eq!(
            get(&s, &s.url(&format!("/api/v1/poses/{id}")), None)
                .await
                .0,
            200
        );
    }
    get(&s, &s.url("/no/such/page/4711"), None).await;
    for _ in 0..5 {
        s.post_json(
            "/api/v1/auth/login",
            json!({"email": "nobody@example.org", "password": "not the password"}),
            None,
        )
        .await;
    }

    let (status, text) = get(&s, &s.url("/metrics"), Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert!(
        text.contains(
            r#"http_requests_total{method="GET",route="/api/v1/poses/{pose_id}",status="200"} 3"#
        ),
        "{text}"
    );
    assert!(!text.contains("/api/v1/poses/1\""), "no raw paths");
    assert!(!text.contains("4711"), "unknown paths share one label");
    assert!(text.contains(r#"route="unmatched""#), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "latency histogram: {text}"
    );
    assert!(
        text.contains(r#"yogaflow_auth_events_total{event="login_failure""#),
        "{text}"
    );
    assert!(
        text.contains(r#"yogaflow_auth_events_total{event="rate_limited",outcome="login"}"#),
        "{text}"
    );
    assert!(text.contains("yogaflow_db_pool_connections{state=\"in_use\"}"));
    assert!(text.contains("yogaflow_db_pool_max_connections"));
    assert!(text.contains("yogaflow_mail_outbox_pending"));
    assert!(!text.contains("nobody@example.org"), "no emails in metrics");
}

#[tokio::test]
async fn a_separate_listener_serves_metrics_without_a_token() {
    let s = Server::start_with(Backend::Sqlite, &[("YOGAFLOW_METRICS_BIND", "127.0.0.1:0")])
        .unwrap_or_else(|| panic!("server"));
    let url = s
        .metrics_url
        .clone()
        .unwrap_or_else(|| panic!("metrics listener"));
    get(&s, &s.url("/health"), None).await;
    let (status, text) = get(&s, &url, None).await;
    assert_eq!(status, 200);
    assert!(text.contains(r#"route="/health""#), "{text}");
    // The public listener still hides them (no token configured).
    assert_eq!(get(&s, &s.url("/metrics"), None).await.0, 404);
    // The metrics listener serves nothing else.
    let other = url.replace("/metrics", "/api/v1/poses");
    assert_eq!(get(&s, &other, None).await.0, 404);
}

#[tokio::test]
async fn a_server_fault_reaches_sentry_with_request_id_and_route_and_no_secrets() {
    let sentry = common::FakeSentry::start();
    let s = Server::start_with(
        Backend::Sqlite,
        &[
            ("SENTRY_DSN", sentry.dsn.as_str()),
            ("YOGAFLOW_AUTH_RATE_PER_MINUTE", "1000"),
        ],
    )
    .unwrap_or_else(|| panic!("server"));
    let token = s.verified_token("sam.secret@example.org", 0).await;

    // Break the database under the running server: its next favorites query
    // fails in a way no client can cause, which is a 500.
    let db = s.dir.0.join("yogaflow.db");
    let url = format!("sqlite:{}", db.display());
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sqlx::query("DROP TABLE favorites")
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    pool.close().await;

    let r = s
        .http
        .get(s.url("/api/v1/favorites?email=sam.secret@example.org"))
        .bearer_auth(&token)
        .header("cookie", "yf_session=cookie-secret-4b1d9e77a0c3f25e8d61")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 500);
    let request_id = r
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(!request_id.is_empty());

    let envelopes = sentry.envelopes(1).await;
    let event = envelopes
        .iter()
        .find(|e| e.contains(&request_id))
        .unwrap_or_else(|| panic!("no event with {request_id} in {envelopes:?}"));
    assert!(event.contains(r#""route":"/api/v1/favorites""#), "{event}");
    assert!(
        event.contains("no such table"),
        "the cause is reported: {event}"
    );
    for secret in [
        token.as_str(),
        "sam.secret",
        "cookie-secret",
        "yf_session",
        "maple kettle",
    ] {
        assert!(!event.contains(secret), "{secret} leaked: {event}");
    }
}
