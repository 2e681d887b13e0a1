//! Cross-site request forgery protection for cookie-authenticated requests.
//!
//! A request that changes state and authenticates with the browser session
//! cookie (not a bearer token) must prove it comes from our own pages: the
//! browser's `Sec-Fetch-Site` says `same-origin` (or `none`, typed by the user),
//! or its `Origin` equals the configured public origin. Cross-site submissions,
//! and cookie requests that carry neither header, are refused with 403. The same
//! check guards sign-in against login CSRF. Bearer-token clients are not affected:
//! a browser never attaches a bearer token on its own.

use crate::api::auth::session_cookie_name;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `Some(true)` same origin, `Some(false)` another site, `None` no browser signal.
fn same_origin(headers: &HeaderMap, public_origin: &str) -> Option<bool> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return Some(matches!(site, "same-origin" | "none"));
    }
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|origin| origin.trim_end_matches('/') == public_origin)
}

fn rejected() -> Response {
    tracing::info!(target: "security", event = "permission_denied", reason = "csrf", "security event");
    ApiError::Forbidden {
        code: "csrf_rejected",
        message: "This request did not come from a YogaFlow page.".into(),
    }
    .into_response()
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !changes_state(request.method()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let public = public_origin(&state.config.public_url);
    let has_cookie =
        crate::api::auth::cookie(headers, session_cookie_name(state.secure_cookies)).is_some();
    let cookie_auth = has_cookie && !headers.contains_key(header::AUTHORIZATION);
    let verdict = same_origin(headers, &public);
    if cookie_auth && verdict != Some(true) {
        return rejected();
    }
    // Login CSRF: a page elsewhere must not sign a browser into our site.
    if matches!(request.uri().path(), "/api/v1/auth/login" | "/login") && verdict == Some(false) {
        return rejected();
    }
    next.run(request).await
}

/// `scheme://host[:port]` of the public URL.
fn public_origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn browser_signals_decide_the_origin() {
        let mut h = HeaderMap::new();
        assert_eq!(same_origin(&h, "https://yoga.example"), None);
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert_eq!(same_origin(&h, "https://yoga.example"), Some(false));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://yoga.example"),
        );
        assert_eq!(same_origin(&h, "https://yoga.example"), Some(true));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(
            same_origin(&h, "https://yoga.example"),
            Some(false),
            "Fetch Metadata wins"
        );
        assert_eq!(
            public_origin("https://yoga.example/app/"),
            "https://yoga.example"
        );
    }
}
