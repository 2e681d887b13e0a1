//! The server-rendered web app: every page a practitioner sees. Handlers here
//! gather data (often by calling the same store functions and API handlers the
//! JSON API uses) and hand it to an askama template; templates live in
//! `crates/yogaflow-web/templates`, scripts and styles in `assets/`.

mod about;
mod account;
mod admin;
mod admin_uploads;
pub mod assets;
mod builder;
mod catalog;
mod charts;
mod chrome;
mod dashboard;
mod error;
mod favorites;
mod figure;
mod form;
mod form_errors;
mod player;
mod progress;
mod settings;
mod view;
mod viewer;

use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
pub use error::{PageError, error_page};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/{file}", get(assets::serve))
        .merge(player::routes())
        .merge(builder::routes())
        .route("/poses", get(catalog::poses))
        .route("/poses/{pose_id}", get(catalog::pose))
        .route("/poses/{pose_id}/favorite", post(favorites::toggle_pose))
        .route("/sequences", get(catalog::sequences))
        .route("/sequences/{sequence_id}", get(catalog::sequence))
        .route(
            "/sequences/{sequence_id}/favorite",
            post(favorites::toggle_sequence),
        )
        .route("/shared/{token}", get(catalog::shared))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/admin", get(admin::index))
        .route("/admin/uploads", get(admin_uploads::uploads))
        .route("/admin/uploads/{name}/delete", post(admin_uploads::delete))
        .route(
            "/admin/poses/{pose_id}",
            get(admin::edit_pose).post(admin::save_pose),
        )
        .route(
            "/admin/poses/{pose_id}/history/{version}/restore",
            post(admin::restore_pose),
        )
        .route("/admin/sequences/new", get(admin::new_sequence))
        .route(
            "/admin/sequences/{sequence_id}/edit",
            get(admin::edit_sequence),
        )
        .route(
            "/admin/sequences/{sequence_id}/history/{version}/restore",
            post(admin::restore_sequence),
        )
        .route("/privacy", get(about::privacy))
        .route("/terms", get(about::terms))
        .route("/history", get(progress::history))
        .route("/stats", get(progress::stats))
        .route("/achievements", get(progress::achievements))
        .route("/favorites", get(progress::favorites))
        .route("/profile", get(settings::show).post(settings::save_profile))
        .route("/profile/goals", post(settings::save_goals))
        .route("/profile/password", post(settings::change_password))
        .route("/profile/email", post(settings::change_email))
        .route("/profile/sessions/end", post(settings::end_device))
        .route("/profile/sessions/end-all", post(settings::end_everywhere))
        .route("/profile/delete", post(settings::delete_account))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/register",
            get(account::register_form).post(account::register),
        )
        .route(
            "/verify-email",
            get(account::verify_form).post(account::verify),
        )
        .route(
            "/confirm-email",
            get(account::confirm_email_form).post(account::confirm_email),
        )
        .route(
            "/forgot-password",
            get(account::forgot_form).post(account::forgot),
        )
        .route(
            "/resend-verification",
            get(account::resend_form).post(account::resend),
        )
        .route(
            "/reset-password",
            get(account::reset_form).post(account::reset),
        )
}

/// Browsers asking for `/` get the home page; API clients keep 1.0's JSON.
pub async fn root(state: State<AppState>, viewer: viewer::Viewer, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        catalog::home(state, viewer).await.into_response()
    } else {
        crate::api::health::root(state).await.into_response()
    }
}

/// Unknown paths: a friendly page for people, the JSON shape for the API.
pub async fn fallback(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let e = crate::error::ApiError::not_found();
    if wants_html && !uri.path().starts_with("/api/") {
        error_page(&e)
    } else {
        e.into_response()
    }
}
