//! How a page fails: a friendly HTML page with the same status code the API
//! would give (chosen by `ApiError::status`, the one place that picks codes), or
//! a trip to the sign-in page and back.

use super::chrome::Chrome;
use crate::error::ApiError;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

pub enum PageError {
    /// The page needs an account; come back to `next` afterwards.
    SignIn {
        next: String,
    },
    Api(ApiError),
    Render(askama::Error),
}

macro_rules! via_api_error {
    ($($t:ty),+) => {$(
        impl From<$t> for PageError {
            fn from(e: $t) -> Self {
                PageError::Api(e.into())
            }
        }
    )+};
}
via_api_error!(
    ApiError,
    yogaflow_store::StoreError,
    yogaflow_core::error::CatalogError,
    yogaflow_core::error::AccountError,
    Vec<yogaflow_core::error::FieldError>
);

impl PageError {
    pub fn not_found() -> Self {
        PageError::Api(ApiError::not_found())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    heading: &'static str,
    message: String,
}

/// A plain sentence for each kind of failure; the API's own message when it is
/// already written for people.
fn explain(e: &ApiError) -> (&'static str, String) {
    match e {
        ApiError::NotFound { .. } => (
            "We could not find that page",
            "The link may be old, or the pose or sequence may have been removed.".into(),
        ),
        ApiError::Forbidden { message, .. } => ("This page is not for you", message.clone()),
        ApiError::Unauthorized { .. } => (
            "Please sign in again",
            "Your session has ended. Sign in to continue.".into(),
        ),
        ApiError::TooManyRequests { retry_after_secs } => (
            "Let's take a breath",
            format!(
                "That was a lot of tries in a short time. Please wait {retry_after_secs} seconds and try again."
            ),
        ),
        ApiError::Validation(fields) => (
            "Something in the request was not right",
            fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ApiError::Unavailable { .. } => (
            "YogaFlow is catching its breath",
            "We could not reach our database just now. Please try again in a moment.".into(),
        ),
        ApiError::InsufficientStorage => (
            "We could not save that just now",
            "Our storage is full. Nothing was changed; please try again later.".into(),
        ),
        ApiError::Internal(_) => (
            "Something went wrong on our side",
            "It is not your fault. Please try again in a moment.".into(),
        ),
        ApiError::BadRequest { message, .. }
        | ApiError::Conflict { message, .. }
        | ApiError::InUse { message, .. } => ("We could not do that", message.clone()),
        ApiError::PayloadTooLarge => ("That was too much", "The form sent too much data.".into()),
        ApiError::UnsupportedImage => (
            "We could not use that file",
            "Upload a PNG, JPEG or WebP image.".into(),
        ),
        ApiError::UnsupportedMediaType | ApiError::MethodNotAllowed => (
            "We could not do that",
            "This page cannot be used that way.".into(),
        ),
    }
}

pub fn error_page(e: &ApiError) -> Response {
    if let ApiError::Internal(cause) = e {
        tracing::error!(error.cause = %cause, "page failed");
    }
    let status = e.status();
    let (heading, message) = explain(e);
    let page = ErrorPage {
        chrome: Chrome::new(heading, "", None),
        status: status.as_u16(),
        heading,
        message,
    };
    let mut r = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, heading).into_response(),
    };
    if let ApiError::TooManyRequests { retry_after_secs } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if let ApiError::Internal(cause) = e {
        r.extensions_mut()
            .insert(crate::reporting::Failure::Internal(cause.clone()));
    }
    r
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn { next } => {
                let q = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
                Redirect::to(&format!("/login?{q}")).into_response()
            }
            PageError::Api(e) => error_page(&e),
            PageError::Render(e) => {
                tracing::error!(error.cause = %e, "template failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side.",
                )
                    .into_response()
            }
        }
    }
}

/// Renders a template into a response, or the error page.
pub fn render<T: Template>(t: &T) -> Result<Response, PageError> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(PageError::Render)
}

/// Library pages look the same to every signed-out visitor, so their HTML is
/// kept in the catalog answer cache (dropped whenever the library changes, like
/// every catalog answer). Signed-in visitors see their name and favorites, so
/// their pages are always rendered fresh.
pub fn cached_html(state: &crate::state::AppState, key: &str) -> Option<Response> {
    state
        .catalog
        .get(key)
        .map(|hit| Html(hit.body).into_response())
}

/// Renders `t`, keeping the HTML under `key` when given one.
pub fn render_keep<T: Template>(
    state: &crate::state::AppState,
    key: Option<String>,
    t: &T,
) -> Result<Response, PageError> {
    let html = t.render().map_err(PageError::Render)?;
    if let Some(k) = key {
        state.catalog.put(
            k,
            crate::catalog_cache::Cached {
                body: bytes::Bytes::from(html.clone()),
                total: None,
            },
        );
    }
    Ok(Html(html).into_response())
}
