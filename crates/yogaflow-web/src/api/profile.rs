//! `/api/v1/profile`: the signed-in user's own account: read and edit, change
//! password and email, export everything, delete everything.

use crate::auth::extract::{AuthUser, Client, JsonBody};
use crate::dto::{ErrorBody, timestamp};
use crate::dto_auth::{
    ChangeEmailRequest, ChangePasswordRequest, MessageResponse, PasswordConfirmation,
    ProfileUpdate, SessionResponse, TokenRequest, UserResponse,
};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use yogaflow_core::catalog::Difficulty;
use yogaflow_core::error::FieldError;

/// The caller's profile.
#[utoipa::path(get, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody)))]
pub async fn get_profile(AuthUser(auth): AuthUser) -> Json<UserResponse> {
    Json(UserResponse::from(&auth.user))
}

/// An IANA zone known to the time zone database compiled into the binary.
fn valid_zone(z: &str) -> bool {
    yogaflow_core::practice::Zone::parse(z).is_some()
}

/// Update name, experience level or time zone.
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])), request_body = ProfileUpdate,
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_profile(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    JsonBody(body): JsonBody<ProfileUpdate>,
) -> Result<Json<UserResponse>, ApiError> {
    let mut errors = Vec::new();
    if body.email.is_some() {
        errors.push(FieldError::new(
            "body",
            "email",
            "invalid",
            "change your email with POST /api/v1/profile/email, which confirms the new address",
        ));
    }
    let name = body.name.as_deref().map(str::trim);
    if name
        .is_some_and(|n| n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control))
    {
        errors.push(FieldError::new(
            "body",
            "name",
            "invalid",
            "name must be 1 to 100 characters",
        ));
    }
    let level = match body.experience_level.as_deref() {
        None => None,
        Some(l) => {
            let parsed = Difficulty::parse(l);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "body",
                    "experience_level",
                    "unknown_value",
                    "experience_level must be beginner, intermediate or advanced",
                ));
            }
            parsed
        }
    };
    if body.time_zone.as_deref().is_some_and(|z| !valid_zone(z)) {
        errors.push(FieldError::new(
            "body",
            "time_zone",
            "invalid",
            "time_zone must be an IANA zone such as Europe/Paris",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.clock.now();
    state
        .db
        .update_profile(auth.user.id, name, level, body.time_zone.as_deref(), now)
        .await?;
    let user = state
        .db
        .user_by_id(auth.user.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(UserResponse::from(&user)))
}

/// Change the password (the current one is required); signs out other devices.
#[utoipa::path(put, path = "/api/v1/profile/password", tag = "profile", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody, description = "wrong_password"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    client: Client,
    AuthUser(auth): AuthUser,
    JsonBody(body): JsonBody<ChangePasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    state
        .accounts
        .change_password(
            &auth,
            &body.current_password,
            &body.new_password,
            &client.ctx,
        )
        .await?;
    Ok(Json(MessageResponse::new("Password changed successfully")))
}

/// Start an email change: a confirmation link goes to the new address.
#[utoipa::path(post, path = "/api/v1/profile/email", tag = "profile", security(("bearer" = [])), request_body = ChangeEmailRequest,
    responses((status = 202, body = MessageResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "email_not_verified"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn request_email_change(
    State(state): State<AppState>,
    client: Client,
    AuthUser(auth): AuthUser,
    JsonBody(body): JsonBody<ChangeEmailRequest>,
) -> Result<Response, ApiError> {
    state
        .accounts
        .request_email_change(&auth, &body.new_email, &body.current_password, &client.ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageResponse::new(
            "Check the new address for a link to confirm the change.",
        )),
    )
        .into_response())
}

/// Confirm an email change with the link sent to the new address; signs out everywhere.
#[utoipa::path(post, path = "/api/v1/profile/email/confirm", tag = "profile", request_body = TokenRequest,
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn confirm_email_change(
    State(state): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<TokenRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    let email = state
        .accounts
        .confirm_email_change(&body.token, &client.ctx)
        .await?;
    Ok(Json(MessageResponse {
        message: "Your email address has been changed. Please sign in again.".into(),
        email: Some(email),
    }))
}

/// Delete the account and all its data (the current password is required).
#[utoipa::path(delete, path = "/api/v1/profile", tag = "profile", security(("bearer" = [])), request_body = PasswordConfirmation,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn delete_account(
    State(state): State<AppState>,
    client: Client,
    AuthUser(auth): AuthUser,
    JsonBody(body): JsonBody<PasswordConfirmation>,
) -> Result<StatusCode, ApiError> {
    state
        .accounts
        .delete_account(&auth, &body.current_password, &client.ctx)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything YogaFlow stores about the caller, as JSON.
#[utoipa::path(get, path = "/api/v1/profile/export", tag = "profile", security(("bearer" = [])),
    responses((status = 200, description = "`{exported_at, user, sessions}`"), (status = 401, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Response, ApiError> {
    let uid = auth.user.id;
    let sessions = state.accounts.sessions(&auth).await?;
    let mut practice = Vec::new();
    let mut offset = 0u64;
    loop {
        let (page, total) = state
            .db
            .history(uid, &yogaflow_store::HistoryFilter::default(), 500, offset)
            .await?;
        let n = page.len() as u64;
        practice.extend(page.iter().map(crate::dto_practice::HistoryItem::from));
        offset += n;
        if n == 0 || offset >= total {
            break;
        }
    }
    let practised_poses = state.db.most_practiced_poses(uid, 10_000).await?;
    let mut own_sequences = Vec::new();
    let owned_query = yogaflow_core::catalog::SequenceQuery {
        preset_only: Some(false),
        page: yogaflow_core::catalog::Page::Numbered { page: 1, size: 100 },
        ..yogaflow_core::catalog::SequenceQuery::parse(&[]).map_err(ApiError::Validation)?
    };
    for (seq, _, _) in state
        .db
        .list_sequences(&owned_query, Some(uid))
        .await?
        .items
    {
        if let Some(full) = state.db.get_sequence(seq.id).await? {
            own_sequences.push(crate::api::sequences::sequence_body(&state, &full).await?);
        }
    }
    let (sessions_goal, minutes_goal) = state.db.goals(uid).await?;
    let body = json!({
        "exported_at": timestamp(state.clock.now()),
        "user": UserResponse::from(&auth.user),
        "sessions": sessions.iter().map(|s| SessionResponse::new(s, auth.session.id)).collect::<Vec<_>>(),
        "practice_sessions": practice,
        "session_poses": state.db.session_poses(uid, None).await?.iter().map(|p| json!({"session_id": p.session_id, "position": p.position, "pose_id": p.pose_id, "seconds": p.seconds, "side": p.side})).collect::<Vec<_>>(),
        "poses_practiced": practised_poses.iter().map(|(id, name, n, secs)| json!({"pose_id": id, "name": name, "practice_count": n, "total_seconds": secs})).collect::<Vec<_>>(),
        "own_sequences": own_sequences,
        "favorites": {
            "pose_ids": state.db.favorites(uid, yogaflow_store::FavoriteKind::Pose).await?,
            "sequence_ids": state.db.favorites(uid, yogaflow_store::FavoriteKind::Sequence).await?,
        },
        "goals": {"sessions_per_week": sessions_goal, "minutes_per_week": minutes_goal},
        "achievements": state.db.earned_achievements(uid).await?.into_iter().map(|(code, at)| json!({"code": code, "earned_at": timestamp(at)})).collect::<Vec<_>>(),
    });
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"yogaflow-export.json\""),
    );
    Ok(response)
}
