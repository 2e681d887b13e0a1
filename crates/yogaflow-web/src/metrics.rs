//! Prometheus metrics: requests and latency per route template (never the raw
//! path, so the number of series stays bounded), authentication events,
//! database trouble, the mail outbox depth and connection-pool use.
//!
//! They are served on a separate listener (`YOGAFLOW_METRICS_BIND`, no token:
//! bind it where only the scraper reaches) and/or at `/metrics` on the main
//! listener for a bearer token (`YOGAFLOW_METRICS_TOKEN`); without a token that
//! path is an ordinary 404.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        // Only an empty bucket list is refused, and ours is not empty.
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (by an embedding program);
        // ours then stays empty rather than failing.
        let _ = metrics::set_global_recorder(recorder);
        // Histograms buffer samples until upkeep folds them in.
        let upkeep = handle.clone();
        let _ = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                }
            });
        handle
    })
}

/// A fixed label for the method: unknown methods share one.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts each request and its latency under the route template it matched
/// (`/api/v1/poses/{pose_id}`), or `unmatched`.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(
        "http_request_duration_seconds",
        "method" => method,
        "route" => route.clone()
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "http_requests_total",
        "method" => method,
        "route" => route,
        "status" => status
    )
    .increment(1);
    response
}

/// One authentication event (`login_failure`, `lockout`, `rate_limited`,
/// `refresh_token_reuse`, …) with its outcome; both come from fixed lists.
pub fn auth_event(event: &'static str, outcome: &'static str) {
    metrics::counter!("yogaflow_auth_events_total", "event" => event, "outcome" => outcome)
        .increment(1);
}

/// The exposition text, with the gauges read now.
pub async fn render(state: &AppState) -> String {
    let pool = state.db.pool_stats();
    metrics::gauge!("yogaflow_db_pool_connections", "state" => "open").set(f64::from(pool.open));
    metrics::gauge!("yogaflow_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!("yogaflow_db_pool_connections", "state" => "in_use")
        .set(f64::from(pool.open.saturating_sub(pool.idle)));
    metrics::gauge!("yogaflow_db_pool_max_connections").set(f64::from(pool.max));
    match state.db.pending_mail_count().await {
        #[allow(clippy::cast_precision_loss)]
        Ok(n) => metrics::gauge!("yogaflow_mail_outbox_pending").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "cannot read the mail outbox depth for metrics"),
    }
    let handle = handle();
    handle.run_upkeep();
    handle.render()
}

fn exposition(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// `GET /metrics` on the main listener: answers only a request carrying the
/// configured token; without one configured the path does not exist.
pub async fn protected(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return ApiError::not_found().into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    use subtle::ConstantTimeEq as _;
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return ApiError::Unauthorized {
            code: "invalid_token",
            message: "Send the metrics token as a bearer token.".into(),
        }
        .into_response();
    }
    exposition(render(&state).await)
}

async fn open(State(state): State<AppState>) -> Response {
    exposition(render(&state).await)
}

/// The separate metrics listener: `GET /metrics` only, no token.
pub fn listener_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(open)).with_state(state)
}
