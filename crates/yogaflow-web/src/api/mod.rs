//! `/api/v1` handlers, one module per resource, plus the unversioned health and
//! info routes.

pub mod admin;
pub mod auth;
pub mod breathing;
pub mod favorites;
pub mod figure_preview;
pub mod figures;
pub mod health;
pub mod insights;
pub mod my_sequences;
pub mod poses;
pub mod practice;
pub mod profile;
pub mod sequences;
pub mod uploads;

use crate::catalog_cache::Cached;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

/// A JSON answer from already-serialized bytes, with 1.0's `X-Total-Count` for lists.
pub(crate) fn json_bytes(cached: Cached) -> Response {
    let mut response = cached.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(total) = cached.total
        && let Ok(v) = HeaderValue::from_str(&total.to_string())
    {
        headers.insert("x-total-count", v);
    }
    response
}

/// Serializes `value` for the cache and the client.
pub(crate) fn serialize<T: serde::Serialize>(
    value: &T,
    total: Option<u64>,
) -> Result<Cached, crate::error::ApiError> {
    let body =
        serde_json::to_vec(value).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    Ok(Cached {
        body: Bytes::from(body),
        total,
    })
}
