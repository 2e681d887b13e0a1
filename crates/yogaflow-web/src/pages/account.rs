//! Sign up, sign in and out, email verification and password reset, as plain
//! HTML forms that work without JavaScript. The rules are the account service's
//! (the same calls the JSON API makes); this file only turns them into pages.
//!
//! One-time links arrive as `?token=…`. The token is moved at once into a short
//! HttpOnly cookie scoped to that page and the browser is redirected to the bare
//! path, so the token does not stay in the address bar, the history, or the
//! `Referer` of anything the page loads.

use super::chrome::Chrome;
use super::error::{PageError, render};
use super::form::Form;
use super::form_errors::FormErrors;
use super::viewer::{Viewer, safe_next};
use crate::api::auth::{clear_session_cookie, cookie, device_cookie_name, login_cookies};
use crate::auth::extract::Client;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yogaflow_core::catalog::Difficulty;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    errors: FormErrors,
    email: String,
    next: String,
    remember: bool,
}

pub async fn login_form(
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(q.next.as_deref());
    if viewer.auth.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render(&LoginPage {
        chrome: Chrome::new("Sign in", "login", None),
        errors: FormErrors::default(),
        email: String::new(),
        next,
        remember: false,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    remember_me: Option<String>,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(f.next.as_deref());
    let remember = f.remember_me.is_some();
    let device = cookie(&headers, device_cookie_name(state.secure_cookies));
    let result = state
        .accounts
        .login(
            &f.email,
            &f.password,
            remember,
            device.as_deref(),
            true,
            &client.ctx,
        )
        .await;
    match result {
        Ok((_, issued)) => {
            let mut r = Redirect::to(&next).into_response();
            for c in login_cookies(&state, &issued, remember) {
                r.headers_mut().append(header::SET_COOKIE, c);
            }
            Ok(r)
        }
        Err(e) => {
            let errors = match ApiError::from(e) {
                ApiError::Unauthorized { .. } => FormErrors::general(
                    "That email and password do not match an account. Check both, or reset your password.",
                ),
                other => FormErrors::from_api(other)?,
            };
            let mut r = render(&LoginPage {
                chrome: Chrome::new("Sign in", "login", None),
                errors,
                email: f.email,
                next,
                remember,
            })?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    client: Client,
) -> Result<Response, PageError> {
    if let Some(auth) = &viewer.auth {
        state.accounts.logout(auth, &client.ctx).await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(r)
}

pub struct Level {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    errors: FormErrors,
    name: String,
    email: String,
    levels: Vec<Level>,
}

fn levels(current: &str) -> Vec<Level> {
    Difficulty::ALL
        .iter()
        .map(|d| Level {
            value: d.as_str(),
            label: super::view::label(d.as_str()),
            selected: d.as_str() == current,
        })
        .collect()
}

pub async fn register_form(viewer: Viewer) -> Result<Response, PageError> {
    if viewer.auth.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    render(&RegisterPage {
        chrome: Chrome::new("Create your account", "register", None),
        errors: FormErrors::default(),
        name: String::new(),
        email: String::new(),
        levels: levels("beginner"),
    })
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    experience_level: String,
}

pub async fn register(
    State(state): State<AppState>,
    client: Client,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let level = (!f.experience_level.is_empty()).then_some(f.experience_level.as_str());
    match state
        .accounts
        .register(&f.email, &f.name, &f.password, level, &client.ctx)
        .await
    {
        Ok(()) => message(
            "Check your inbox",
            "Thank you for joining. We have sent a link to confirm your email address; open it to finish setting up your account. If nothing arrives in a few minutes, look in your spam folder or ask for a new link.",
            Some(("/login", "Go to sign in")),
        ),
        Err(e) => {
            let errors = FormErrors::from_api(e.into())?;
            let mut r = render(&RegisterPage {
                chrome: Chrome::new("Create your account", "register", None),
                errors,
                levels: levels(&f.experience_level),
                name: f.name,
                email: f.email,
            })?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    body: String,
    link: Option<(&'static str, &'static str)>,
}

pub fn message(
    heading: &str,
    body: &str,
    link: Option<(&'static str, &'static str)>,
) -> Result<Response, PageError> {
    render(&MessagePage {
        chrome: Chrome::new(heading, "", None),
        heading: heading.to_owned(),
        body: body.to_owned(),
        link,
    })
}

/// The short-lived cookie that carries a one-time link's token for `path`.
fn token_cookie_name(path: &str) -> &'static str {
    match path {
        "/reset-password" => "yf_reset",
        "/confirm-email" => "yf_confirm",
        _ => "yf_verify",
    }
}

/// Moves `?token=` into a cookie for `path` and sends the browser to the bare path.
fn stash_token(state: &AppState, path: &'static str, token: &str) -> Response {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let name = token_cookie_name(path);
    let mut r = Redirect::to(path).into_response();
    // Tokens are URL-safe; anything else is not one of ours and is dropped.
    if token.len() <= 200
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{name}={token}; Path={path}; Max-Age=900; HttpOnly; SameSite=Lax{secure}"
        ))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn clear_token(state: &AppState, path: &'static str) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let name = token_cookie_name(path);
    HeaderValue::from_str(&format!(
        "{name}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("yf_verify=; Max-Age=0"))
}

#[derive(Template)]
#[template(path = "confirm_link.html")]
struct ConfirmLinkPage {
    chrome: Chrome,
    heading: &'static str,
    body: &'static str,
    action: &'static str,
    button: &'static str,
    has_token: bool,
}

/// `GET /verify-email` and `/confirm-email`: a button, so that mail scanners
/// following links cannot use them up.
async fn confirm_link_page(
    state: &AppState,
    headers: &HeaderMap,
    q: &NextQuery,
    path: &'static str,
    page: ConfirmLinkPage,
) -> Result<Response, PageError> {
    if let Some(t) = &q.token {
        return Ok(stash_token(state, path, t));
    }
    let has_token = cookie(headers, token_cookie_name(path)).is_some();
    render(&ConfirmLinkPage { has_token, ..page })
}

pub async fn verify_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, PageError> {
    confirm_link_page(
        &state,
        &headers,
        &q,
        "/verify-email",
        ConfirmLinkPage {
            chrome: Chrome::new("Confirm your email", "", None),
            heading: "Confirm your email address",
            body: "One click and your account is ready to keep your practice history.",
            action: "/verify-email",
            button: "Confirm my email",
            has_token: false,
        },
    )
    .await
}

pub async fn confirm_email_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, PageError> {
    confirm_link_page(
        &state,
        &headers,
        &q,
        "/confirm-email",
        ConfirmLinkPage {
            chrome: Chrome::new("Confirm your new email", "", None),
            heading: "Confirm your new email address",
            body: "Confirm the change and we will use this address from now on.",
            action: "/confirm-email",
            button: "Use this address",
            has_token: false,
        },
    )
    .await
}

fn link_failed() -> Result<Response, PageError> {
    message(
        "That link did not work",
        "The link may have expired or already been used. You can ask for a new one.",
        Some(("/resend-verification", "Send a new link")),
    )
}

pub async fn verify(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Some(token) = cookie(&headers, token_cookie_name("/verify-email")) else {
        return link_failed();
    };
    let mut r = match state.accounts.verify_email(&token, &client.ctx).await {
        Ok(_) => message(
            "Your email is confirmed",
            "Thank you. Your account is ready: sign in and start your first practice.",
            Some(("/dashboard", "Start practising")),
        )?,
        Err(_) => link_failed()?,
    };
    r.headers_mut()
        .append(header::SET_COOKIE, clear_token(&state, "/verify-email"));
    Ok(r)
}

pub async fn confirm_email(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let Some(token) = cookie(&headers, token_cookie_name("/confirm-email")) else {
        return link_failed();
    };
    let mut r = match state
        .accounts
        .confirm_email_change(&token, &client.ctx)
        .await
    {
        Ok(_) => message(
            "Your new email is set",
            "From now on we will write to your new address. For your safety, please sign in again.",
            Some(("/login", "Sign in")),
        )?,
        Err(_) => link_failed()?,
    };
    r.headers_mut()
        .append(header::SET_COOKIE, clear_token(&state, "/confirm-email"));
    Ok(r)
}

#[derive(Template)]
#[template(path = "email_only.html")]
struct EmailOnlyPage {
    chrome: Chrome,
    heading: &'static str,
    intro: &'static str,
    action: &'static str,
    button: &'static str,
    errors: FormErrors,
    email: String,
}

fn forgot_page(errors: FormErrors, email: String) -> EmailOnlyPage {
    EmailOnlyPage {
        chrome: Chrome::new("Reset your password", "", None),
        heading: "Forgot your password?",
        intro: "Tell us the email address of your account and we will send you a link to choose a new password.",
        action: "/forgot-password",
        button: "Send the link",
        errors,
        email,
    }
}

fn resend_page(errors: FormErrors, email: String) -> EmailOnlyPage {
    EmailOnlyPage {
        chrome: Chrome::new("Confirm your email", "", None),
        heading: "Send a new confirmation link",
        intro: "Links expire after a while. Enter your email address and we will send a fresh one.",
        action: "/resend-verification",
        button: "Send a new link",
        errors,
        email,
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_form() -> Result<Response, PageError> {
    render(&forgot_page(FormErrors::default(), String::new()))
}

pub async fn forgot(
    State(state): State<AppState>,
    client: Client,
    Form(f): Form<EmailForm>,
) -> Result<Response, PageError> {
    match state.accounts.forgot_password(&f.email, &client.ctx).await {
        // The same answer whether or not the address has an account.
        Ok(()) => message(
            "Check your inbox",
            "If that address belongs to an account, a link to choose a new password is on its way. It works for one hour.",
            Some(("/login", "Back to sign in")),
        ),
        Err(e) => render(&forgot_page(FormErrors::from_api(e.into())?, f.email)),
    }
}

pub async fn resend_form(viewer: Viewer) -> Result<Response, PageError> {
    let email = viewer.auth.map(|a| a.user.email).unwrap_or_default();
    render(&resend_page(FormErrors::default(), email))
}

pub async fn resend(
    State(state): State<AppState>,
    Form(f): Form<EmailForm>,
) -> Result<Response, PageError> {
    match state.accounts.resend_verification(&f.email).await {
        Ok(()) => message(
            "Check your inbox",
            "If that address has an account still waiting for confirmation, a new link is on its way.",
            Some(("/login", "Back to sign in")),
        ),
        Err(e) => render(&resend_page(FormErrors::from_api(e.into())?, f.email)),
    }
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    chrome: Chrome,
    errors: FormErrors,
    has_token: bool,
}

pub async fn reset_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, PageError> {
    if let Some(t) = &q.token {
        return Ok(stash_token(&state, "/reset-password", t));
    }
    render(&ResetPage {
        chrome: Chrome::new("Choose a new password", "", None),
        errors: FormErrors::default(),
        has_token: cookie(&headers, token_cookie_name("/reset-password")).is_some(),
    })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn reset(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let Some(token) = cookie(&headers, token_cookie_name("/reset-password")) else {
        return message(
            "That link did not work",
            "The reset link may have expired or already been used. Ask for a new one.",
            Some(("/forgot-password", "Send a new link")),
        );
    };
    let page = |errors| ResetPage {
        chrome: Chrome::new("Choose a new password", "", None),
        errors,
        has_token: true,
    };
    if f.password != f.confirm {
        let e = ApiError::Validation(vec![yogaflow_core::error::FieldError::new(
            "body",
            "confirm",
            "mismatch",
            "The two passwords are not the same",
        )]);
        return render(&page(FormErrors::from_api(e)?));
    }
    match state
        .accounts
        .reset_password(&token, &f.password, &client.ctx)
        .await
    {
        Ok(_) => {
            let mut r = message(
                "Your password is changed",
                "You are signed out on every device. Sign in with your new password.",
                Some(("/login", "Sign in")),
            )?;
            r.headers_mut()
                .append(header::SET_COOKIE, clear_token(&state, "/reset-password"));
            r.headers_mut()
                .append(header::SET_COOKIE, clear_session_cookie(&state));
            Ok(r)
        }
        Err(e) => {
            let api = ApiError::from(e);
            if matches!(api, ApiError::Validation(_)) {
                render(&page(FormErrors::from_api(api)?))
            } else {
                message(
                    "That link did not work",
                    "The reset link may have expired or already been used. Ask for a new one.",
                    Some(("/forgot-password", "Send a new link")),
                )
            }
        }
    }
}
