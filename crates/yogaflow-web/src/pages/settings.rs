//! `/profile`: the settings page. Each section is its own small form that posts
//! back here; success redirects (so a reload never posts twice) and a refusal
//! re-renders the page with the message next to the field in that section.

use super::account::message;
use super::catalog::Choice;
use super::chrome::Chrome;
use super::error::{PageError, render};
use super::form::Form;
use super::form_errors::FormErrors;
use super::viewer::SignedIn;
use crate::api::auth::clear_session_cookie;
use crate::api::{favorites, profile};
use crate::auth::extract::{AuthUser, Client, JsonBody, VerifiedUser};
use crate::auth::service::Authenticated;
use crate::dto_auth::ProfileUpdate;
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yogaflow_core::catalog::Difficulty;

pub struct Device {
    pub sid: String,
    pub agent: String,
    pub last_used: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    /// Which section the errors (or the saved notice) belong to.
    section: &'static str,
    errors: FormErrors,
    saved: Option<&'static str>,
    name: String,
    email: String,
    verified: bool,
    time_zone: String,
    levels: Vec<Choice>,
    sessions_goal: String,
    minutes_goal: String,
    devices: Vec<Device>,
}

impl SettingsPage {
    /// The error for a field, only when it belongs to `section`.
    fn error(&self, section: &str, field: &str) -> Option<&str> {
        if self.section == section {
            self.errors.field(field)
        } else {
            None
        }
    }

    fn general(&self, section: &str) -> Option<&str> {
        if self.section == section {
            self.errors.general.as_deref()
        } else {
            None
        }
    }
}

const SAVED: [(&str, &str); 5] = [
    ("profile", "Your profile is saved."),
    ("goals", "Your weekly goals are saved."),
    (
        "password",
        "Your password is changed. Other devices were signed out.",
    ),
    (
        "email",
        "Check your new inbox: confirm the change with the link we sent there.",
    ),
    ("devices", "That device is signed out."),
];

async fn page(
    state: &AppState,
    auth: &Authenticated,
    section: &'static str,
    errors: FormErrors,
    saved: Option<&'static str>,
) -> Result<SettingsPage, PageError> {
    let goals = favorites::get_goals(State(state.clone()), AuthUser(auth.clone()))
        .await?
        .0;
    let devices = state
        .accounts
        .sessions(auth)
        .await?
        .into_iter()
        .map(|s| Device {
            current: s.id == auth.session.id,
            agent: if s.user_agent.is_empty() {
                "Unknown browser".to_owned()
            } else {
                s.user_agent.chars().take(90).collect()
            },
            last_used: s
                .last_used_at
                .format(&time::format_description::well_known::Rfc3339)
                .map(|t| t.get(..16).unwrap_or(&t).replace('T', " "))
                .unwrap_or_default(),
            sid: s.sid,
        })
        .collect();
    let u = &auth.user;
    Ok(SettingsPage {
        chrome: Chrome::new("Settings", "profile", Some(auth))
            .here("/profile")
            .script("prefs.js"),
        section,
        errors,
        saved,
        name: u.name.clone(),
        email: u.email.clone(),
        verified: u.email_verified,
        time_zone: u.time_zone.clone(),
        levels: Difficulty::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str(),
                label: super::view::label(d.as_str()),
                selected: *d == u.experience_level,
            })
            .collect(),
        sessions_goal: goals
            .sessions
            .goal
            .map(|g| g.to_string())
            .unwrap_or_default(),
        minutes_goal: goals
            .minutes
            .goal
            .map(|g| g.to_string())
            .unwrap_or_default(),
        devices,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let saved = query
        .pairs
        .iter()
        .find(|(k, _)| k == "saved")
        .and_then(|(_, v)| SAVED.iter().find(|(s, _)| s == v))
        .map(|(_, m)| *m);
    render(&page(&state, &user.auth, "", FormErrors::default(), saved).await?)
}

fn saved(section: &str) -> Response {
    Redirect::to(&format!("/profile?saved={section}#{section}")).into_response()
}

/// Re-renders the page with `e` shown in `section`, or the error page for outages.
async fn refused(
    state: &AppState,
    auth: &Authenticated,
    section: &'static str,
    e: ApiError,
) -> Result<Response, PageError> {
    let errors = FormErrors::from_api(e)?;
    let mut r = render(&page(state, auth, section, errors, None).await?)?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    experience_level: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn save_profile(
    State(state): State<AppState>,
    user: SignedIn,
    Form(f): Form<ProfileForm>,
) -> Result<Response, PageError> {
    let body = ProfileUpdate {
        name: Some(f.name),
        experience_level: Some(f.experience_level),
        time_zone: Some(f.time_zone.trim().to_owned()),
        email: None,
    };
    match profile::update_profile(
        State(state.clone()),
        AuthUser(user.auth.clone()),
        JsonBody(body),
    )
    .await
    {
        Ok(_) => Ok(saved("profile")),
        Err(e) => refused(&state, &user.auth, "profile", e).await,
    }
}

#[derive(Deserialize)]
pub struct GoalsForm {
    #[serde(default)]
    sessions_per_week: String,
    #[serde(default)]
    minutes_per_week: String,
}

fn goal(field: &'static str, v: &str) -> Result<Option<u32>, ApiError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| {
        ApiError::Validation(vec![yogaflow_core::error::FieldError::new(
            "body",
            field,
            "invalid",
            "Enter a whole number, or leave it empty for no goal",
        )])
    })
}

pub async fn save_goals(
    State(state): State<AppState>,
    user: SignedIn,
    Form(f): Form<GoalsForm>,
) -> Result<Response, PageError> {
    let parsed = goal("sessions_per_week", &f.sessions_per_week)
        .and_then(|s| goal("minutes_per_week", &f.minutes_per_week).map(|m| (s, m)));
    let (sessions, minutes) = match parsed {
        Ok(v) => v,
        Err(e) => return refused(&state, &user.auth, "goals", e).await,
    };
    if !user.auth.user.email_verified {
        let e = ApiError::Forbidden {
            code: "email_not_verified",
            message:
                "Please confirm your email address first; the link is in the email we sent you."
                    .into(),
        };
        return refused(&state, &user.auth, "goals", e).await;
    }
    let body = favorites::GoalsRequest {
        sessions_per_week: sessions,
        minutes_per_week: minutes,
    };
    match favorites::set_goals(
        State(state.clone()),
        VerifiedUser(user.auth.clone()),
        JsonBody(body),
    )
    .await
    {
        Ok(_) => Ok(saved("goals")),
        Err(e) => refused(&state, &user.auth, "goals", e).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    user: SignedIn,
    client: Client,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    if f.new_password != f.confirm {
        let e = ApiError::Validation(vec![yogaflow_core::error::FieldError::new(
            "body",
            "confirm",
            "mismatch",
            "The two new passwords are not the same",
        )]);
        return refused(&state, &user.auth, "password", e).await;
    }
    match state
        .accounts
        .change_password(
            &user.auth,
            &f.current_password,
            &f.new_password,
            &client.ctx,
        )
        .await
    {
        Ok(()) => Ok(saved("password")),
        Err(e) => refused(&state, &user.auth, "password", e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    current_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    user: SignedIn,
    client: Client,
    Form(f): Form<EmailForm>,
) -> Result<Response, PageError> {
    match state
        .accounts
        .request_email_change(&user.auth, &f.new_email, &f.current_password, &client.ctx)
        .await
    {
        Ok(()) => Ok(saved("email")),
        Err(e) => refused(&state, &user.auth, "email", e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct DeviceForm {
    #[serde(default)]
    sid: String,
}

pub async fn end_device(
    State(state): State<AppState>,
    user: SignedIn,
    Form(f): Form<DeviceForm>,
) -> Result<Response, PageError> {
    state.accounts.end_session(&user.auth, &f.sid).await?;
    if f.sid == user.auth.session.sid {
        let mut r = Redirect::to("/login").into_response();
        r.headers_mut()
            .append(header::SET_COOKIE, clear_session_cookie(&state));
        return Ok(r);
    }
    Ok(saved("devices"))
}

pub async fn end_everywhere(
    State(state): State<AppState>,
    user: SignedIn,
    client: Client,
) -> Result<Response, PageError> {
    state
        .accounts
        .end_all_sessions(&user.auth, &client.ctx)
        .await?;
    let mut r = message(
        "Signed out everywhere",
        "Every device that was signed in to your account, this one included, is now signed out.",
        Some(("/login", "Sign in again")),
    )?;
    r.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(r)
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    current_password: String,
}

pub async fn delete_account(
    State(state): State<AppState>,
    user: SignedIn,
    client: Client,
    Form(f): Form<DeleteForm>,
) -> Result<Response, PageError> {
    match state
        .accounts
        .delete_account(&user.auth, &f.current_password, &client.ctx)
        .await
    {
        Ok(()) => {
            let mut r = message(
                "Your account is deleted",
                "Your account, your practice history and your sequences are gone. Thank you for practising with us.",
                Some(("/", "Back to the start")),
            )?;
            r.headers_mut()
                .append(header::SET_COOKIE, clear_session_cookie(&state));
            Ok(r)
        }
        Err(e) => refused(&state, &user.auth, "delete", e.into()).await,
    }
}
