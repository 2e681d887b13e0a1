//! The favorite buttons on pose and sequence pages: plain form posts that come
//! back to the page they were pressed on. The rules are the API's own
//! (`api::favorites::set`), including "verified email first".

use super::error::PageError;
use super::form::Form;
use super::viewer::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yogaflow_store::FavoriteKind;

#[derive(Deserialize)]
pub struct Toggle {
    favorite: String,
}

async fn toggle(
    state: AppState,
    user: SignedIn,
    kind: FavoriteKind,
    raw: &str,
    t: &Toggle,
) -> Result<(), PageError> {
    if !user.auth.user.email_verified {
        return Err(ApiError::Forbidden {
            code: "email_not_verified",
            message:
                "Please confirm your email address first; the link is in the email we sent you."
                    .into(),
        }
        .into());
    }
    crate::api::favorites::set(state, user.auth.user.id, kind, raw, t.favorite == "add").await?;
    Ok(())
}

pub async fn toggle_pose(
    State(state): State<AppState>,
    user: SignedIn,
    Path(raw): Path<String>,
    Form(t): Form<Toggle>,
) -> Result<Response, PageError> {
    toggle(state, user, FavoriteKind::Pose, &raw, &t).await?;
    Ok(Redirect::to(&format!("/poses/{raw}")).into_response())
}

pub async fn toggle_sequence(
    State(state): State<AppState>,
    user: SignedIn,
    Path(raw): Path<String>,
    Form(t): Form<Toggle>,
) -> Result<Response, PageError> {
    toggle(state, user, FavoriteKind::Sequence, &raw, &t).await?;
    Ok(Redirect::to(&format!("/sequences/{raw}")).into_response())
}
