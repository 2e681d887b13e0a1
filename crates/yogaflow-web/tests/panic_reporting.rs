//! A handler panic is answered with the generic 500 and reported to Sentry
//! (here a fake ingestion endpoint on loopback) with the request id and the
//! route template, with the email and token in the panic message redacted.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::routing::get;
use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// Accepts POSTs on loopback, answers 200 and keeps each body.
fn fake_ingestion() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut data = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
                let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if data.len() >= end + 4 + length {
                    let body = String::from_utf8_lossy(&data[end + 4..end + 4 + length]);
                    if let Ok(mut r) = store.lock() {
                        r.push(body.into_owned());
                    }
                    break;
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
        }
    });
    (format!("http://publickey@127.0.0.1:{port}/1"), received)
}

async fn boom() -> &'static str {
    panic!("boom for pat@example.org holding eyJhbGciOiJIUzI1NiJ9a1b2c3d4e5f6g7h8")
}

#[tokio::test]
async fn a_panic_is_reported_with_request_id_and_route() {
    let (dsn, received) = fake_ingestion();
    let mut options = sentry::ClientOptions::new();
    options.dsn = Some(dsn.parse().unwrap_or_else(|e| panic!("dsn: {e}")));
    options.before_send = Some(Arc::new(yogaflow_web::reporting::scrub));
    let _guard = sentry::init(options);

    // The same layers, in the same order, as the application's router.
    let app: Router = Router::new()
        .route("/api/v1/boom/{id}", get(boom))
        .layer(CatchPanicLayer::custom(
            yogaflow_web::reporting::panic_response,
        ))
        .layer(axum::middleware::from_fn(yogaflow_web::reporting::report))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    let request = Request::get("/api/v1/boom/7")
        .header("authorization", "Bearer top-secret-token-9f8e7d6c5b4a")
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let response = app.oneshot(request).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 500);
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(!request_id.is_empty());

    if let Some(client) = sentry::Hub::current().client() {
        client.flush(Some(Duration::from_secs(5)));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let envelopes = loop {
        let got = received.lock().map(|r| r.clone()).unwrap_or_default();
        if !got.is_empty() || Instant::now() > deadline {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let event = envelopes
        .iter()
        .find(|e| e.contains(&request_id))
        .unwrap_or_else(|| panic!("no event with {request_id} in {envelopes:?}"));
    assert!(event.contains(r#""route":"/api/v1/boom/{id}""#), "{event}");
    assert!(event.contains(r#""failure":"panic""#), "{event}");
    assert!(
        event.contains("handler panicked: boom for [email]"),
        "{event}"
    );
    for secret in ["pat@example.org", "eyJhbGci", "top-secret-token"] {
        assert!(!event.contains(secret), "{secret} leaked: {event}");
    }
}
