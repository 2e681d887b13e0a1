//! `Idempotency-Key` on authenticated POST requests: a client that retries after
//! a lost answer gets the first answer again instead of acting twice. The key is
//! scoped to the signed-in user (another user's key never replays for you); the
//! same key with a different request is a 422; a key whose first request is
//! still running is a 409. Answers are kept 24 hours; server faults (5xx) are not
//! kept, so a retry after one runs again.

use crate::auth::secrets::digest;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yogaflow_core::error::{AccountError, FieldError};
use yogaflow_store::Claim;

const HEADER: &str = "idempotency-key";
const MAX_BODY: usize = 64 * 1024;
const MAX_ANSWER: usize = 1024 * 1024;

fn invalid(message: &str) -> Response {
    ApiError::Validation(vec![FieldError::new(
        "header",
        "Idempotency-Key",
        "invalid",
        message,
    )])
    .into_response()
}

/// Forgets the claim of a request that failed on our side, so a retry runs.
/// The failure is often the database going away, so a release that fails is
/// retried in the background until it is back (for up to a minute, when the claim lapses
/// anyway): a client retrying after the outage is not told "in progress".
async fn release(state: &AppState, user_id: i64, key: String) {
    if state.db.release_idempotency(user_id, &key).await.is_ok() {
        return;
    }
    let db = state.db.clone();
    tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        while db.release_idempotency(user_id, &key).await.is_err()
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    });
}

pub async fn keys(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Image uploads are too large to fingerprint; repeating one only stores another copy.
    if request.method() != Method::POST
        || !request.uri().path().starts_with("/api/v1/")
        || request.uri().path() == "/api/v1/upload/image"
    {
        return next.run(request).await;
    }
    let Some(raw) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let key = match raw.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => return invalid("Idempotency-Key must be 1 to 255 visible ASCII characters"),
    };
    // Keys belong to a user; anonymous requests are handled as if no key was sent.
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::to_owned);
    // Browsers sign in with the session cookie; the web app's player retries
    // with keys too, so those requests are scoped to their user the same way.
    let session = crate::api::auth::cookie(
        request.headers(),
        crate::api::auth::session_cookie_name(state.secure_cookies),
    );
    let found = match (token, session) {
        (Some(t), _) => Some(state.accounts.authenticate(&t).await),
        (None, Some(c)) => Some(state.accounts.authenticate_cookie(&c).await),
        (None, None) => None,
    };
    let Some(user_id) = (match found {
        Some(Ok(a)) => Some(a.user.id),
        // Without the database the key cannot be claimed: running the request
        // unguarded could act twice on a retry, so ask the client to retry.
        Some(Err(e @ (AccountError::Busy | AccountError::Store(_)))) => {
            return ApiError::from(e).into_response();
        }
        Some(Err(_)) | None => None,
    }) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::PayloadTooLarge.into_response();
    };
    let fingerprint = digest(&format!(
        "{} {}\n{}",
        parts.method,
        parts.uri.path(),
        String::from_utf8_lossy(&bytes)
    ));
    match state
        .db
        .claim_idempotency(user_id, &key, &fingerprint, state.clock.now())
        .await
    {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Claim::Seen {
            request_hash,
            answer,
        }) => {
            if request_hash != fingerprint {
                return invalid("this Idempotency-Key was used for a different request");
            }
            match answer {
                None => ApiError::Conflict {
                    code: "request_in_progress",
                    message: "A request with this Idempotency-Key is still being handled.".into(),
                }
                .into_response(),
                Some((status, body)) => {
                    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body)
                        .into_response();
                    r.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    r.headers_mut()
                        .insert("idempotent-replayed", HeaderValue::from_static("true"));
                    r
                }
            }
        }
        Ok(Claim::New) => {
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let status = response.status();
            let (resp_parts, resp_body) = response.into_parts();
            let Ok(answer) = to_bytes(resp_body, MAX_ANSWER).await else {
                release(&state, user_id, key).await;
                return ApiError::Internal("answer too large to keep".into()).into_response();
            };
            if status.is_server_error() {
                release(&state, user_id, key).await;
            } else if let Err(e) = state
                .db
                .finish_idempotency(user_id, &key, status.as_u16(), &answer)
                .await
            {
                // The request has acted: keep the claim so a retry is told "in
                // progress" rather than acting a second time. Unfinished claims
                // lapse after a minute (see the store).
                tracing::warn!(error = %e, "could not store an idempotent answer");
            }
            Response::from_parts(resp_parts, Body::from(answer))
        }
    }
}
