//! The one place that turns failures into HTTP status codes and YogaFlow's JSON
//! error body: 1.0's `{"error": …, "status_code": …}` plus a stable `code`, and
//! for 422 a `detail` list naming each bad field.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use yogaflow_core::error::{AccountError, CatalogError, FieldError, Resource};
use yogaflow_store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    BadRequest {
        code: &'static str,
        message: String,
    },
    Unauthorized {
        code: &'static str,
        message: String,
    },
    Forbidden {
        code: &'static str,
        message: String,
    },
    NotFound {
        code: &'static str,
        message: String,
    },
    PayloadTooLarge,
    UnsupportedMediaType,
    /// An upload that is not a PNG, JPEG or WebP image (judged by its bytes).
    UnsupportedImage,
    /// A pose that sequences still use; `sequences` lists the presets by id and name.
    InUse {
        message: String,
        sequences: Vec<(i64, String)>,
        private_sequences: usize,
    },
    TooManyRequests {
        retry_after_secs: u64,
    },
    Conflict {
        code: &'static str,
        message: String,
    },
    Validation(Vec<FieldError>),
    MethodNotAllowed,
    /// A dependency is down or saturated; the client may retry.
    Unavailable {
        code: &'static str,
        message: String,
    },
    /// The database is out of space (507); nothing was written.
    InsufficientStorage,
    /// A fault of ours; the cause is logged, never sent.
    Internal(String),
}

impl ApiError {
    pub fn not_found() -> Self {
        ApiError::NotFound {
            code: "not_found",
            message: "Not Found".into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedImage => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::InUse { .. } => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        ApiError::Validation(errors)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Unavailable(_) => {
                metrics::counter!("yogaflow_db_errors_total", "kind" => "unavailable").increment(1);
                tracing::warn!(error.cause = %e, "database unavailable");
            }
            StoreError::Full(_) => {
                metrics::counter!("yogaflow_db_errors_total", "kind" => "full").increment(1);
                tracing::error!(error.cause = %e, "database storage full");
            }
            _ => {}
        }
        match &e {
            StoreError::Full(_) => ApiError::InsufficientStorage,
            StoreError::Unavailable(_) => ApiError::Unavailable {
                code: "database_unavailable",
                message: "The service is busy or restarting. Please try again shortly.".into(),
            },
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::NotFound { resource, .. } => ApiError::NotFound {
                code: match resource {
                    Resource::Pose => "pose_not_found",
                    Resource::Sequence => "sequence_not_found",
                },
                message: e.to_string(),
            },
            CatalogError::Invalid(fields) => ApiError::Validation(fields),
            CatalogError::Store(m) => ApiError::Internal(m),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        let message = e.to_string();
        match e {
            AccountError::InvalidCredentials => ApiError::Unauthorized {
                code: "invalid_credentials",
                message,
            },
            AccountError::NotAuthenticated => ApiError::Unauthorized {
                code: "not_authenticated",
                message,
            },
            AccountError::InvalidToken => ApiError::Unauthorized {
                code: "invalid_token",
                message,
            },
            AccountError::Revoked => ApiError::Unauthorized {
                code: "token_revoked",
                message,
            },
            AccountError::InvalidLink => ApiError::BadRequest {
                code: "invalid_link",
                message,
            },
            AccountError::WrongCurrentPassword => ApiError::BadRequest {
                code: "wrong_password",
                message,
            },
            AccountError::EmailUnavailable => ApiError::BadRequest {
                code: "email_unavailable",
                message,
            },
            AccountError::EmailNotVerified => ApiError::Forbidden {
                code: "email_not_verified",
                message,
            },
            AccountError::Forbidden => ApiError::Forbidden {
                code: "forbidden",
                message,
            },
            AccountError::RateLimited { retry_after_secs } => {
                ApiError::TooManyRequests { retry_after_secs }
            }
            AccountError::Busy => ApiError::Unavailable {
                code: "busy",
                message,
            },
            AccountError::StorageFull => ApiError::InsufficientStorage,
            AccountError::Invalid(fields) => ApiError::Validation(fields),
            AccountError::Store(cause) => ApiError::Internal(cause),
        }
    }
}

fn detail(f: &FieldError) -> serde_json::Value {
    json!({
        "loc": [f.location, f.field],
        "field": f.field,
        "msg": f.message,
        "type": f.kind,
    })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = status.as_u16();
        let body = match &self {
            ApiError::BadRequest { code: c, message }
            | ApiError::Unauthorized { code: c, message }
            | ApiError::Forbidden { code: c, message }
            | ApiError::Conflict { code: c, message }
            | ApiError::NotFound { code: c, message } => {
                json!({"error": message, "status_code": code, "code": c})
            }
            ApiError::PayloadTooLarge => json!({
                "error": "The request body is too large.",
                "status_code": code,
                "code": "payload_too_large",
            }),
            ApiError::UnsupportedMediaType => json!({
                "error": "Send the body as application/json.",
                "status_code": code,
                "code": "unsupported_media_type",
            }),
            ApiError::UnsupportedImage => json!({
                "error": "Upload a PNG, JPEG or WebP image.",
                "status_code": code,
                "code": "unsupported_image",
            }),
            ApiError::InUse {
                message,
                sequences,
                private_sequences,
            } => json!({
                "error": message,
                "status_code": code,
                "code": "pose_in_use",
                "sequences": sequences
                    .iter()
                    .map(|(id, name)| json!({"sequence_id": id, "name": name}))
                    .collect::<Vec<_>>(),
                "private_sequences": private_sequences,
            }),
            ApiError::TooManyRequests { retry_after_secs } => json!({
                "error": "Too many requests. Please slow down.",
                "status_code": code,
                "code": "rate_limited",
                "retry_after": retry_after_secs,
            }),
            ApiError::Validation(fields) => json!({
                "error": "Validation Error",
                "status_code": code,
                "code": "validation_failed",
                "message": "Request validation failed",
                "detail": fields.iter().map(detail).collect::<Vec<_>>(),
            }),
            ApiError::MethodNotAllowed => json!({
                "error": "Method Not Allowed",
                "status_code": code,
                "code": "method_not_allowed",
            }),
            ApiError::Unavailable { code: c, message } => {
                json!({"error": message, "status_code": code, "code": c})
            }
            ApiError::InsufficientStorage => json!({
                "error": "The server is out of storage space. Nothing was saved; please try again later.",
                "status_code": code,
                "code": "insufficient_storage",
            }),
            ApiError::Internal(cause) => {
                tracing::error!(error.cause = %cause, "request failed");
                json!({
                    "error": "Internal Server Error",
                    "status_code": code,
                    "code": "internal_error",
                    "message": "An unexpected error occurred. Please try again later.",
                })
            }
        };
        let mut response = (status, Json(body)).into_response();
        match &self {
            ApiError::Internal(cause) => {
                response
                    .extensions_mut()
                    .insert(crate::reporting::Failure::Internal(cause.clone()));
            }
            ApiError::InsufficientStorage => {
                response
                    .extensions_mut()
                    .insert(crate::reporting::Failure::Internal(
                        "database storage full".into(),
                    ));
            }
            _ => {}
        }
        let headers = response.headers_mut();
        match &self {
            ApiError::Unavailable { .. } | ApiError::InsufficientStorage => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    headers.insert(header::RETRY_AFTER, v);
                }
            }
            ApiError::Unauthorized { .. } => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// Unknown routes answer 404 in the JSON shape.
pub async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Known routes called with the wrong method answer 405 in the JSON shape.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_map_to_503_and_507_with_retry_after() {
        let busy = ApiError::from(StoreError::Unavailable(sqlx::Error::PoolTimedOut));
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        let full = ApiError::from(StoreError::Full(sqlx::Error::Protocol("full".into())));
        assert_eq!(full.status(), StatusCode::INSUFFICIENT_STORAGE);
        for e in [busy, full] {
            let r = e.into_response();
            assert!(r.headers().contains_key(header::RETRY_AFTER));
        }
    }
}
