//! Rate limits that forwarded headers cannot dodge, limits and revocation shared
//! by several instances over one PostgreSQL and one Redis, and what happens when
//! Redis goes away.

mod common;

use common::{Backend, PgDatabase, Server};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "maple kettle drift river";

async fn attempt(s: &Server, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": "who@example.org", "password": "wrong password words"}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn forwarded_headers_from_untrusted_peers_do_not_buy_a_new_budget() {
    let s = Server::start_with(Backend::Sqlite, &[("YOGAFLOW_AUTH_RATE_PER_MINUTE", "5")])
        .unwrap_or_else(|| panic!("server"));
    for i in 0..5 {
        let ip = format!("10.9.{i}.{i}");
        let r = attempt(
            &s,
            &[
                ("x-forwarded-for", &ip),
                ("x-real-ip", &ip),
                ("forwarded", &format!("for={ip}")),
                ("true-client-ip", &ip),
                ("cf-connecting-ip", &ip),
            ],
        )
        .await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    let r = attempt(&s, &[("x-forwarded-for", "10.200.0.1")]).await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(
        (body["code"].as_str(), body["status_code"].as_u64()),
        (Some("rate_limited"), Some(429))
    );
    // Every auth endpoint has its own budget and enforces it.
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/forgot-password",
        "/api/v1/auth/reset-password",
        "/api/v1/auth/verify-email",
        "/api/v1/auth/resend-verification",
        "/api/v1/auth/refresh",
    ] {
        let mut last = 0;
        for _ in 0..16 {
            let r = s
                .http
                .post(s.url(path))
                .json(&json!({}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            last = r.status().as_u16();
            if last == 429 {
                break;
            }
        }
        assert_eq!(last, 429, "{path} is rate-limited");
    }
    assert!(s.logs().contains("\"event\":\"rate_limited\""));
}

#[tokio::test]
async fn a_trusted_proxy_passes_on_the_real_client() {
    let s = Server::start_with(
        Backend::Sqlite,
        &[
            ("YOGAFLOW_AUTH_RATE_PER_MINUTE", "3"),
            ("YOGAFLOW_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    )
    .unwrap_or_else(|| panic!("server"));
    for _ in 0..3 {
        assert_eq!(
            attempt(&s, &[("x-forwarded-for", "203.0.113.7")])
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        attempt(&s, &[("x-forwarded-for", "203.0.113.7")])
            .await
            .status(),
        429,
        "that client is spent"
    );
    // A client-supplied leftmost value does not change who the proxy says it is.
    assert_eq!(
        attempt(&s, &[("x-forwarded-for", "198.51.100.1, 203.0.113.7")])
            .await
            .status(),
        429
    );
    assert_eq!(
        attempt(&s, &[("x-forwarded-for", "203.0.113.8")])
            .await
            .status(),
        401,
        "another client has its own budget"
    );
}

/// A private Redis on a free port, so one test can stop it without touching others.
struct PrivateRedis {
    child: Child,
    url: String,
}

impl PrivateRedis {
    fn start() -> Option<PrivateRedis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(PrivateRedis {
                    child,
                    url: format!("redis://127.0.0.1:{port}"),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Two instances over one database (and optionally one Redis).
fn pair(db_url: &str, redis: Option<&str>, rate: &str) -> (Server, Server) {
    let mut env = vec![
        ("DATABASE_URL", db_url),
        ("YOGAFLOW_AUTH_RATE_PER_MINUTE", rate),
        (
            "SECRET_KEY",
            "a shared test key 4f9c2b7e1d8a6f3c0b5e9d2a7c4f1e8b",
        ),
        ("YOGAFLOW_PUBLIC_URL", "http://yoga.test"),
    ];
    if let Some(r) = redis {
        env.push(("REDIS_URL", r));
    }
    let a = Server::start_shared(&env);
    let b = Server::start_shared(&env);
    (a, b)
}

async fn sign_in(s: &Server, email: &str) -> String {
    let (status, body) = s
        .post_json(
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["tokens"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn two_instances_share_revocation_lockout_and_rate_limits() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let Some(redis) = PrivateRedis::start() else {
        panic!("redis-server is needed for this test")
    };
    let (a, b) = pair(&pg.url, Some(&redis.url), "6");
    a.post_json(
        "/api/v1/auth/register",
        json!({"email": "pat@example.org", "name": "Pat", "password": PASSWORD}),
        None,
    )
    .await;
    let token = sign_in(&a, "pat@example.org").await;
    assert_eq!(
        b.get_auth("/api/v1/auth/me", &token).await.0,
        200,
        "a token from A works on B"
    );
    a.post_json("/api/v1/auth/logout", json!({}), Some(&token))
        .await;
    assert_eq!(
        b.get_auth("/api/v1/auth/me", &token).await.0,
        401,
        "logout on A is seen by B at once"
    );

    // Lockout counters live in the database: failures spread over both count once.
    for i in 0..5 {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            s.post_json(
                "/api/v1/auth/login",
                json!({"email": "pat@example.org", "password": "wrong words again"}),
                None
            )
            .await
            .0,
            401
        );
    }
    let locked = b
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "pat@example.org", "password": PASSWORD}),
            None,
        )
        .await
        .0;
    assert_eq!(
        locked, 429,
        "the shared per-IP budget of 6 is spent across both instances"
    );
    tokio::time::sleep(Duration::from_secs(11)).await;
    let after = a
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "pat@example.org", "password": PASSWORD}),
            None,
        )
        .await
        .0;
    assert_eq!(
        after, 401,
        "the email stays locked after five failures spread over two instances"
    );
    drop(redis);
}

#[tokio::test]
async fn with_redis_stopped_revocation_holds_and_limits_still_apply() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let Some(mut redis) = PrivateRedis::start() else {
        panic!("redis-server is needed for this test")
    };
    let (a, b) = pair(&pg.url, Some(&redis.url), "4");
    a.post_json(
        "/api/v1/auth/register",
        json!({"email": "quinn@example.org", "name": "Quinn", "password": PASSWORD}),
        None,
    )
    .await;
    let keep = sign_in(&b, "quinn@example.org").await;
    let revoked = sign_in(&a, "quinn@example.org").await;
    redis.stop();
    a.post_json("/api/v1/auth/logout", json!({}), Some(&revoked))
        .await;
    assert_eq!(
        b.get_auth("/api/v1/auth/me", &revoked).await.0,
        401,
        "revoked stays revoked without Redis"
    );
    assert_eq!(
        b.get_auth("/api/v1/auth/me", &keep).await.0,
        200,
        "valid tokens keep working"
    );
    let ready = b.get("/health/ready").await;
    assert_eq!(ready.status(), 503, "readiness names Redis");
    // Each instance now enforces the full limit itself: never unlimited, never 500.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(
            a.post_json(
                "/api/v1/auth/login",
                json!({"email": "x@example.org", "password": "wrong words again"}),
                None,
            )
            .await
            .0,
        );
    }
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    assert!(statuses.contains(&429), "limits still apply: {statuses:?}");
    assert!(a.logs().contains("redis_unavailable"));
    for s in [&a, &b] {
        assert!(
            !s.logs().contains("\"status\":500") && !s.logs().contains("Internal Server Error")
        );
    }
}
