//! `GET /` and the health checks: `/health` (1.0's static answer), `/health/live`
//! (the process runs) and `/health/ready` (its dependencies answer).

use crate::dto::ErrorBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use std::time::Duration;
use utoipa::ToSchema;

/// How long a readiness probe waits for each dependency.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Serialize, ToSchema)]
pub struct RootInfo {
    name: &'static str,
    version: &'static str,
    status: &'static str,
    environment: String,
    docs: &'static str,
    openapi: &'static str,
}

/// API information, as 1.0 answered it.
#[utoipa::path(get, path = "/", tag = "health", responses((status = 200, body = RootInfo)))]
pub async fn root(State(state): State<AppState>) -> Json<RootInfo> {
    Json(RootInfo {
        name: "YogaFlow API",
        version: state.config.version,
        status: "healthy",
        environment: state.config.environment.clone(),
        docs: "/docs",
        openapi: "/openapi.json",
    })
}

#[derive(Serialize, ToSchema)]
pub struct HealthInfo {
    status: &'static str,
    service: &'static str,
    version: &'static str,
}

/// 1.0's static health answer, kept for its monitors.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = HealthInfo)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthInfo> {
    Json(HealthInfo {
        status: "healthy",
        service: "yogaflow-api",
        version: state.config.version,
    })
}

/// The process is up and answering.
#[utoipa::path(get, path = "/health/live", tag = "health", responses((status = 200, description = "`{\"status\": \"ok\"}`")))]
pub async fn live() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Every dependency answers: the database, and Redis when one is configured;
/// and the server is not shutting down.
#[utoipa::path(get, path = "/health/ready", tag = "health", responses(
    (status = 200, description = "`{\"status\": \"ready\", \"checks\": {\"database\": \"ok\"}}`"),
    (status = 503, body = ErrorBody, description = "A dependency failed (`checks` names it), or the server is draining (`code` is `draining`)"),
))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "error": "Not ready: shutting down",
                "status_code": 503,
                "code": "draining",
                "status": "draining",
            })),
        );
    }
    let mut checks = serde_json::Map::new();
    let mut failing = Vec::new();
    let db = tokio::time::timeout(CHECK_TIMEOUT, state.db.ping()).await;
    let db_ok = matches!(db, Ok(Ok(())));
    checks.insert(
        "database".into(),
        json!(if db_ok { "ok" } else { "unavailable" }),
    );
    if !db_ok {
        failing.push("database");
    }
    if let Some(redis) = &state.redis {
        let mut conn = redis.clone();
        let ping = tokio::time::timeout(
            CHECK_TIMEOUT,
            redis::cmd("PING").query_async::<String>(&mut conn),
        )
        .await;
        let ok = matches!(ping, Ok(Ok(_)));
        checks.insert("redis".into(), json!(if ok { "ok" } else { "unavailable" }));
        if !ok {
            failing.push("redis");
        }
    }
    if failing.is_empty() {
        (
            StatusCode::OK,
            Json(json!({"status": "ready", "checks": checks})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "error": format!("Not ready: {} unavailable", failing.join(", ")),
                "status_code": 503,
                "code": "not_ready",
                "status": "unavailable",
                "failing": failing,
                "checks": checks,
            })),
        )
    }
}
