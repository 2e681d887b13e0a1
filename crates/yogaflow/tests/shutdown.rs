//! Graceful shutdown on SIGTERM: readiness turns 503 at once, requests already
//! accepted get their whole answer, and the process exits 0 within the drain
//! time even when a request would run longer.

mod common;

use common::{Backend, Server};
use std::time::{Duration, Instant};

/// Password hashes run one at a time, so a burst of sign-ins stays in flight
/// for a while; the rate limit is out of the way.
const SLOW_SIGN_INS: &[(&str, &str)] = &[
    ("YOGAFLOW_HASH_CONCURRENCY", "1"),
    ("YOGAFLOW_AUTH_RATE_PER_MINUTE", "100000"),
];

/// Starts `n` sign-ins (each costs one password hash); each task yields the
/// status and whether the body was complete JSON, and when it arrived.
fn sign_ins(s: &Server, n: usize) -> Vec<tokio::task::JoinHandle<(Result<u16, String>, Instant)>> {
    (0..n)
        .map(|i| {
            let (http, url) = (s.http.clone(), s.url("/api/v1/auth/login"));
            tokio::spawn(async move {
                let body = serde_json::json!({
                    "email": format!("nobody{i}@example.org"),
                    "password": "maple kettle drift river"
                });
                let answer = async {
                    let r = http
                        .post(url)
                        .json(&body)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    let status = r.status().as_u16();
                    let body: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
                    if body["status_code"].as_u64() == Some(u64::from(status)) {
                        Ok(status)
                    } else {
                        Err(format!("incomplete answer {status}: {body}"))
                    }
                }
                .await;
                (answer, Instant::now())
            })
        })
        .collect()
}

#[tokio::test]
async fn sigterm_lets_accepted_requests_finish_then_exits_0() {
    let mut env = SLOW_SIGN_INS.to_vec();
    env.extend([
        ("YOGAFLOW_DRAIN_NOTICE_SECONDS", "0"),
        ("YOGAFLOW_DRAIN_SECONDS", "30"),
    ]);
    let mut s = Server::start_with(Backend::Sqlite, &env).unwrap_or_else(|| panic!("server"));
    let requests = sign_ins(&s, 6);
    // Long enough for every connection to be accepted, far shorter than six
    // hashes in a row.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let signalled = Instant::now();
    s.terminate();
    let mut after_signal = 0;
    for r in requests {
        let (answer, at) = r.await.unwrap_or_else(|e| panic!("{e}"));
        // 401 (no such account), or 503 when the hash queue waited too long
        // on a busy machine: either way a whole answer, not a cut connection.
        assert!(
            matches!(answer, Ok(401 | 503)),
            "every accepted request gets its answer: {answer:?}"
        );
        if at > signalled {
            after_signal += 1;
        }
    }
    assert!(
        after_signal > 0,
        "some requests were still running when SIGTERM came"
    );
    let status = s.exited(Duration::from_secs(15)).await;
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", s.logs());
    // The port is closed once the process is gone.
    assert!(s.http.get(s.url("/health/live")).send().await.is_err());
}

#[tokio::test]
async fn readiness_answers_503_while_draining_and_requests_are_still_served() {
    let mut s = Server::start_with(
        Backend::Sqlite,
        &[
            ("YOGAFLOW_DRAIN_NOTICE_SECONDS", "2"),
            ("YOGAFLOW_DRAIN_SECONDS", "10"),
        ],
    )
    .unwrap_or_else(|| panic!("server"));
    assert_eq!(s.get("/health/ready").await.status(), 200);
    let signalled = Instant::now();
    s.terminate();
    let body = loop {
        let r = s.get("/health/ready").await;
        if r.status() == 503 {
            break r.json::<serde_json::Value>().await.unwrap_or_default();
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(1),
            "readiness still 200 a second after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(body["code"], "draining", "{body}");
    // The notice period: load balancers see 503 while requests still work.
    assert_eq!(s.get("/api/v1/poses?search=tree").await.status(), 200);
    assert_eq!(s.get("/health/live").await.status(), 200);
    let status = s.exited(Duration::from_secs(15)).await;
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", s.logs());
    assert!(
        signalled.elapsed() >= Duration::from_secs(2),
        "the notice was kept"
    );
}

#[tokio::test]
async fn the_drain_time_bounds_shutdown() {
    let mut env = SLOW_SIGN_INS.to_vec();
    env.extend([
        ("YOGAFLOW_DRAIN_NOTICE_SECONDS", "0"),
        ("YOGAFLOW_DRAIN_SECONDS", "1"),
    ]);
    let mut s = Server::start_with(Backend::Sqlite, &env).unwrap_or_else(|| panic!("server"));
    // More hashing than the drain time allows.
    let requests = sign_ins(&s, 12);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    s.terminate();
    let status = s.exited(Duration::from_secs(10)).await;
    let took = signalled.elapsed();
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", s.logs());
    assert!(took < Duration::from_secs(4), "exited after {took:?}");
    assert!(s.logs().contains("drain time ran out"), "{}", s.logs());
    for r in requests {
        r.abort();
    }
}
