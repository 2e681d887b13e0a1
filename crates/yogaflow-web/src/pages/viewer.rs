//! Who is looking at a page. Pages read only the browser session cookie: a
//! stale or revoked cookie simply means "signed out" (the page offers sign-in),
//! where the API would answer 401.

use super::error::PageError;
use crate::api::auth::{cookie, session_cookie_name};
use crate::auth::service::Authenticated;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub struct Viewer {
    pub auth: Option<Authenticated>,
    /// The path and query of this page, for "come back here after sign-in".
    pub here: String,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let auth = match cookie(&parts.headers, session_cookie_name(state.secure_cookies)) {
            Some(v) => state.accounts.authenticate_cookie(&v).await.ok(),
            None => None,
        };
        Ok(Viewer { auth, here })
    }
}

/// A page that needs an account: anonymous visitors are sent to sign in and
/// brought back afterwards.
pub struct SignedIn {
    pub auth: Authenticated,
    pub here: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let v = Viewer::from_request_parts(parts, state).await?;
        match v.auth {
            Some(auth) => Ok(SignedIn { auth, here: v.here }),
            None => Err(PageError::SignIn { next: v.here }),
        }
    }
}

/// Only same-site paths may be a "next" target: `/x` but never `//evil.example`,
/// `/\evil`, or a full URL, so sign-in cannot be turned into an open redirect.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_owned()
        }
        _ => "/dashboard".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/poses?page=2")), "/poses?page=2");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\nb",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/dashboard", "{bad}");
        }
        assert_eq!(safe_next(None), "/dashboard");
    }
}
