//! `/api/v1/auth/*`: sign-up, sign-in, tokens, email verification, password
//! reset and signed-in devices. Every unauthenticated route is rate-limited per
//! client address before any work is done.

use crate::auth::extract::{AuthUser, Client, JsonBody, MaybeJson};
use crate::auth::service::Issued;
use crate::dto::ErrorBody;
use crate::dto_auth::{
    AuthResponse, EmailRequest, LoginRequest, MessageResponse, RefreshRequest, RegisterRequest,
    ResetPasswordRequest, SessionListResponse, SessionResponse, TokenRequest, TokenResponse,
    UserResponse,
};
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yogaflow_core::error::FieldError;

fn tokens(issued: &Issued) -> TokenResponse {
    TokenResponse {
        access_token: issued.access_token.clone(),
        refresh_token: issued.refresh_token.clone(),
        token_type: "bearer",
        expires_in: issued.expires_in,
    }
}

/// The name of the device cookie: `__Host-` (host-only, `Secure`, `Path=/`) when
/// served over https, a plain name on plain-http development setups, where
/// browsers would drop a `__Host-` cookie.
pub(crate) fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-yf_device"
    } else {
        "yf_device"
    }
}

/// The browser session cookie, named like the device cookie.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-yf_session"
    } else {
        "yf_session"
    }
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The cookies a sign-in sets: the device cookie (lockout that cannot be turned
/// against its owner) and, for browsers, the session cookie.
pub(crate) fn login_cookies(state: &AppState, issued: &Issued, remember: bool) -> Vec<HeaderValue> {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let mut out = Vec::new();
    if let Some(value) = &issued.device_cookie {
        let name = device_cookie_name(state.secure_cookies);
        let c = format!("{name}={value}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{secure}");
        out.extend(HeaderValue::from_str(&c).ok());
    }
    if let Some(value) = &issued.session_cookie {
        // Without "remember me" the cookie ends with the browser session.
        let age = if remember { "; Max-Age=2592000" } else { "" };
        let session = session_cookie_name(state.secure_cookies);
        let c = format!("{session}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}");
        out.extend(HeaderValue::from_str(&c).ok());
    }
    out
}

/// Expires the browser session cookie.
pub(crate) fn clear_session_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let name = session_cookie_name(state.secure_cookies);
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("yf_session=; Path=/; Max-Age=0"))
}

fn missing(field: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(
        "body",
        field,
        "missing",
        format!("{field} is required"),
    )])
}

/// Register a new account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 202, body = MessageResponse, description = "The same answer whether or not the address was already registered"),
        (status = 422, body = ErrorBody), (status = 415, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<RegisterRequest>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .register(
            &body.email,
            &body.name,
            &body.password,
            body.experience_level.as_deref(),
            &client.ctx,
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageResponse::new(
            "Thanks! Check your inbox for a link to confirm your email address.",
        )),
    )
        .into_response())
}

/// Sign in.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = AuthResponse),
        (status = 401, body = ErrorBody, description = "Wrong email or password, or too many failures: one answer for all"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let name = device_cookie_name(state.secure_cookies);
    let device = cookie(&headers, name);
    let (user, issued) = state
        .accounts
        .login(
            &body.email,
            &body.password,
            body.remember_me,
            device.as_deref(),
            body.session_cookie,
            &client.ctx,
        )
        .await?;
    let mut response = Json(AuthResponse {
        user: UserResponse::from(&user),
        tokens: tokens(&issued),
    })
    .into_response();
    for c in login_cookies(&state, &issued, body.remember_me) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

/// Sign out this session (its access and refresh tokens stop working everywhere).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    client: Client,
    AuthUser(auth): AuthUser,
) -> Result<Response, ApiError> {
    state.accounts.logout(&auth, &client.ctx).await?;
    let mut response = Json(serde_json::json!({
        "message": "Successfully logged out",
        "detail": "Your session has been invalidated. Please login again to continue."
    }))
    .into_response();
    if auth.via_cookie {
        response
            .headers_mut()
            .append(header::SET_COOKIE, clear_session_cookie(&state));
    }
    Ok(response)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody)))]
pub async fn me(AuthUser(auth): AuthUser) -> Json<UserResponse> {
    Json(UserResponse::from(&auth.user))
}

/// Exchange a refresh token for new tokens (JSON body, or `?refresh_token=` as 1.0 clients send it).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body(content = Option<RefreshRequest>),
    params(("refresh_token" = Option<String>, Query, description = "1.0 clients send the token here")),
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = ErrorBody, description = "Unknown, expired or revoked; a replayed token also ends its session"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    client: Client,
    query: QueryPairs,
    MaybeJson(body): MaybeJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let token = body
        .map(|b| b.refresh_token)
        .or_else(|| {
            query
                .pairs
                .iter()
                .find(|(k, _)| k == "refresh_token")
                .map(|(_, v)| v.clone())
        })
        .ok_or_else(|| missing("refresh_token"))?;
    let (_, issued) = state.accounts.refresh(&token, &client.ctx).await?;
    Ok(Json(tokens(&issued)))
}

fn from_body_or_query(
    body: Option<String>,
    query: &QueryPairs,
    key: &str,
) -> Result<String, ApiError> {
    body.or_else(|| {
        query
            .pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    })
    .ok_or_else(|| missing(key))
}

/// Confirm an email address with the emailed token.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body(content = Option<TokenRequest>),
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody, description = "invalid_link"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn verify_email(
    State(state): State<AppState>,
    client: Client,
    query: QueryPairs,
    MaybeJson(body): MaybeJson<TokenRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    let token = from_body_or_query(body.map(|b| b.token), &query, "token")?;
    let email = state.accounts.verify_email(&token, &client.ctx).await?;
    Ok(Json(MessageResponse {
        message: "Email verified successfully".into(),
        email: Some(email),
    }))
}

/// Send a new verification link (the same answer for every address).
#[utoipa::path(post, path = "/api/v1/auth/resend-verification", tag = "auth", request_body(content = Option<EmailRequest>),
    responses((status = 202, body = MessageResponse), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn resend_verification(
    State(state): State<AppState>,
    query: QueryPairs,
    MaybeJson(body): MaybeJson<EmailRequest>,
) -> Result<Response, ApiError> {
    let email = from_body_or_query(body.map(|b| b.email), &query, "email")?;
    state.accounts.resend_verification(&email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageResponse::new(
            "If that address needs confirming, a new link is on its way.",
        )),
    )
        .into_response())
}

/// Request a password reset link (the same answer for every address).
#[utoipa::path(post, path = "/api/v1/auth/forgot-password", tag = "auth", request_body = EmailRequest,
    responses((status = 202, body = MessageResponse), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn forgot_password(
    State(state): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<EmailRequest>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .forgot_password(&body.email, &client.ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageResponse::new(
            "If an account uses that address, we've sent a link to reset its password.",
        )),
    )
        .into_response())
}

/// Set a new password with the emailed token; signs out every session.
#[utoipa::path(post, path = "/api/v1/auth/reset-password", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody, description = "invalid_link"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<ResetPasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    state
        .accounts
        .reset_password(&body.token, &body.new_password, &client.ctx)
        .await?;
    Ok(Json(MessageResponse::new("Password reset successful")))
}

/// The signed-in devices of the caller.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SessionListResponse), (status = 401, body = ErrorBody)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<SessionListResponse>, ApiError> {
    let sessions = state.accounts.sessions(&auth).await?;
    Ok(Json(SessionListResponse {
        sessions: sessions
            .iter()
            .map(|s| SessionResponse::new(s, auth.session.id))
            .collect(),
    }))
}

/// Sign out one device.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{session_id}", tag = "auth", security(("bearer" = [])),
    params(("session_id" = String, Path, description = "From the session list")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_session(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    Path(sid): Path<String>,
) -> Result<StatusCode, ApiError> {
    if state.accounts.end_session(&auth, &sid).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound {
            code: "session_not_found",
            message: "No such session".into(),
        })
    }
}

/// Sign out everywhere, this device included.
#[utoipa::path(delete, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn end_all_sessions(
    State(state): State<AppState>,
    client: Client,
    AuthUser(auth): AuthUser,
) -> Result<StatusCode, ApiError> {
    state.accounts.end_all_sessions(&auth, &client.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
