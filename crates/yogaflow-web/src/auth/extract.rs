//! Request extractors for authentication and JSON bodies: `AuthUser` (a valid
//! access token of a live session), `VerifiedUser` (the same, with a verified
//! email), `Client` (address and agent, for rate limits and logs) and `JsonBody`
//! (strict JSON with every problem reported as a named 4xx).

use super::client_ip::{bucket, client_ip};
use super::service::{Authenticated, RequestCtx};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use yogaflow_core::error::{AccountError, FieldError};

/// The authenticated caller.
pub struct AuthUser(pub Authenticated);

/// The caller when signed in, `None` for anonymous requests. A credential that
/// is present but invalid is still a 401: silently treating it as anonymous would
/// hide the caller's own private data without saying why.
pub struct OptionalUser(pub Option<Authenticated>);

impl FromRequestParts<AppState> for OptionalUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let has_cookie = crate::api::auth::cookie(
            &parts.headers,
            crate::api::auth::session_cookie_name(state.secure_cookies),
        )
        .is_some();
        if !parts.headers.contains_key(header::AUTHORIZATION) && !has_cookie {
            return Ok(OptionalUser(None));
        }
        AuthUser::from_request_parts(parts, state)
            .await
            .map(|AuthUser(a)| OptionalUser(Some(a)))
    }
}

/// The authenticated caller, whose email address is verified.
pub struct VerifiedUser(pub Authenticated);

/// The bearer token of a request, when exactly one `Authorization: Bearer` is sent.
fn bearer(headers: &HeaderMap) -> Result<&str, AccountError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let first = values.next().ok_or(AccountError::NotAuthenticated)?;
    if values.next().is_some() {
        return Err(AccountError::InvalidToken);
    }
    let text = first.to_str().map_err(|_| AccountError::InvalidToken)?;
    let (scheme, token) = text.split_once(' ').ok_or(AccountError::InvalidToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AccountError::InvalidToken);
    }
    Ok(token.trim())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // A bearer token wins; browsers without one use the session cookie.
        if !parts.headers.contains_key(header::AUTHORIZATION)
            && let Some(value) = crate::api::auth::cookie(
                &parts.headers,
                crate::api::auth::session_cookie_name(state.secure_cookies),
            )
        {
            return Ok(AuthUser(state.accounts.authenticate_cookie(&value).await?));
        }
        let token = bearer(&parts.headers)?;
        let auth = state.accounts.authenticate(token).await?;
        Ok(AuthUser(auth))
    }
}

impl FromRequestParts<AppState> for VerifiedUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthUser(auth) = AuthUser::from_request_parts(parts, state).await?;
        if !auth.user.email_verified {
            return Err(AccountError::EmailNotVerified.into());
        }
        Ok(VerifiedUser(auth))
    }
}

/// The authenticated caller, who is an admin. Anonymous callers (and bad
/// credentials) get 401; signed-in users who are not admins get 403.
pub struct AdminUser(pub Authenticated);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AuthUser(auth) = AuthUser::from_request_parts(parts, state).await?;
        if auth.user.role != yogaflow_core::accounts::Role::Admin {
            return Err(ApiError::Forbidden {
                code: "admin_only",
                message: "Only admins can change the library.".into(),
            });
        }
        Ok(AdminUser(auth))
    }
}

/// Who is calling: the client address as configuration allows us to trust it,
/// its rate-limit bucket and its user agent.
pub struct Client {
    pub bucket: String,
    pub ctx: RequestCtx,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let ip = client_ip(peer, &parts.headers, &state.trusted_proxies);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        Ok(Client {
            bucket: bucket(ip),
            ctx: RequestCtx {
                ip: ip.to_string(),
                user_agent,
            },
        })
    }
}

/// Largest JSON body accepted on API routes.
pub const JSON_LIMIT: usize = 64 * 1024;
/// Deepest nesting accepted; real requests are two levels deep.
const MAX_DEPTH: usize = 32;

/// Nesting depth of a JSON text, ignoring brackets inside strings.
fn depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The field a serde error message names, for the 422 `detail`.
fn named_field(message: &str) -> String {
    for marker in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(rest) = message.split(marker).nth(1)
            && let Some(name) = rest.split('`').next()
        {
            return name.to_owned();
        }
    }
    "body".into()
}

/// A JSON request body: `application/json` only (415 otherwise), at most
/// [`JSON_LIMIT`] bytes (413), well-formed (400), and matching the expected shape
/// with no unknown fields (422 naming the field).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        if bytes.len() > JSON_LIMIT {
            return Err(ApiError::PayloadTooLarge);
        }
        if depth(&bytes) > MAX_DEPTH {
            return Err(ApiError::BadRequest {
                code: "malformed_json",
                message: "The JSON body is nested too deeply.".into(),
            });
        }
        match serde_json::from_slice::<T>(&bytes) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) if e.is_data() => {
                let msg = e.to_string();
                let field = named_field(&msg);
                let clean = msg.split(" at line").next().unwrap_or(&msg).to_owned();
                Err(ApiError::Validation(vec![FieldError::new(
                    "body", field, "invalid", clean,
                )]))
            }
            Err(_) => Err(ApiError::BadRequest {
                code: "malformed_json",
                message: "The request body is not valid JSON.".into(),
            }),
        }
    }
}

/// An optional JSON body: `None` when the request has no body (1.0 clients send
/// some values in the query string instead), otherwise [`JsonBody`]'s rules.
pub struct MaybeJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MaybeJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty_by_header = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0");
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if empty_by_header
            || (!has_type
                && !req.headers().contains_key(header::TRANSFER_ENCODING)
                && !req.headers().contains_key(header::CONTENT_LENGTH))
        {
            return Ok(MaybeJson(None));
        }
        JsonBody::<T>::from_request(req, state)
            .await
            .map(|JsonBody(v)| MaybeJson(Some(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(depth(br#"{"a": "[[[[", "b": [1, {"c": 2}]}"#), 3);
        assert_eq!(depth(&[b'['; 10_000]), 10_000);
    }

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(
            named_field("unknown field `role`, expected one of `email`"),
            "role"
        );
        assert_eq!(named_field("missing field `email` at line 1"), "email");
    }
}
