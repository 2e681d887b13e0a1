//! Sequences users build: create, replace, duplicate, delete, and share through
//! an unguessable link anyone can open. Private by default; another user's
//! sequence answers 404 and never changes.

use super::sequences::sequence_body;
use crate::auth::extract::{JsonBody, VerifiedUser};
use crate::auth::secrets::{digest, new_token};
use crate::dto::{ErrorBody, SequenceResponse};
use crate::error::ApiError;
use crate::params::path_id;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_core::catalog::{
    Difficulty, FocusArea, Sequence, SequenceDraft, Side, SlotDraft, Style,
};
use yogaflow_core::error::FieldError;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotWrite {
    pub pose_id: i64,
    /// 10-600 seconds.
    pub duration_seconds: i64,
    /// `right` or `left` for sided poses; absent for others.
    pub side: Option<String>,
    pub note: Option<String>,
    /// 1.0 clients send positions; when given they must be unique, and set the order.
    pub position_order: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SequenceWrite {
    pub name: String,
    pub description: Option<String>,
    pub difficulty_level: String,
    pub focus_area: String,
    pub style: String,
    /// Defaults to the holds plus transitions, rounded up.
    pub duration_minutes: Option<u32>,
    /// Seconds between poses (0-60, default 10).
    pub transition_seconds: Option<u32>,
    pub poses: Vec<SlotWrite>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareResponse {
    /// Anyone with this link can open and practice the sequence until it is revoked.
    pub share_url: String,
    pub token: String,
}

fn field(name: impl Into<String>, kind: &'static str, msg: impl Into<String>) -> FieldError {
    FieldError::new("body", name, kind, msg)
}

/// Turns a request into a checked draft owned by `owner` (admins reuse the same
/// rules for presets).
pub(crate) async fn draft(
    state: &AppState,
    owner: i64,
    w: SequenceWrite,
) -> Result<SequenceDraft, ApiError> {
    let mut errors = Vec::new();
    let difficulty = Difficulty::parse(&w.difficulty_level).or_else(|| {
        errors.push(field(
            "difficulty_level",
            "unknown_value",
            format!(
                "difficulty_level must be one of: {}",
                Difficulty::expected()
            ),
        ));
        None
    });
    let focus = FocusArea::parse(&w.focus_area).or_else(|| {
        errors.push(field(
            "focus_area",
            "unknown_value",
            format!("focus_area must be one of: {}", FocusArea::expected()),
        ));
        None
    });
    let style = Style::parse(&w.style).or_else(|| {
        errors.push(field(
            "style",
            "unknown_value",
            format!("style must be one of: {}", Style::expected()),
        ));
        None
    });
    let name = w.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push(field("name", "invalid", "name must be 1 to 100 characters"));
    }
    let description = w.description.unwrap_or_default();
    if description.chars().count() > 2000 {
        errors.push(field(
            "description",
            "too_long",
            "description must be at most 2000 characters",
        ));
    }
    let transition = w.transition_seconds.unwrap_or(10);
    if transition > 60 {
        errors.push(field(
            "transition_seconds",
            "out_of_range",
            "transition_seconds must be 0 to 60",
        ));
    }
    let mut slots = w.poses;
    if slots.iter().all(|s| s.position_order.is_some()) && !slots.is_empty() {
        let mut positions: Vec<i64> = slots.iter().filter_map(|s| s.position_order).collect();
        positions.sort_unstable();
        positions.dedup();
        if positions.len() != slots.len() {
            errors.push(field(
                "poses",
                "invalid",
                "position_order values must be unique",
            ));
        }
        slots.sort_by_key(|s| s.position_order);
    }
    let all = state.catalog.poses(&state.db).await?;
    let mut drafted = Vec::with_capacity(slots.len());
    for (i, slot) in slots.into_iter().enumerate() {
        let Some(pose) = all.iter().find(|p| p.id == slot.pose_id) else {
            errors.push(field(
                format!("poses[{i}].pose_id"),
                "unknown_value",
                "no pose has that id",
            ));
            continue;
        };
        let side = match slot.side.as_deref() {
            None => None,
            Some(s) => match Side::parse(s) {
                Some(side) => Some(side),
                None => {
                    errors.push(field(
                        format!("poses[{i}].side"),
                        "unknown_value",
                        "side must be right or left",
                    ));
                    None
                }
            },
        };
        if pose.sided && side.is_none() && slot.side.is_none() {
            errors.push(field(
                format!("poses[{i}].side"),
                "missing",
                format!(
                    "{} is done on each side: say right or left",
                    pose.english_name
                ),
            ));
        }
        if !pose.sided && side.is_some() {
            errors.push(field(
                format!("poses[{i}].side"),
                "invalid",
                format!("{} has no sides", pose.english_name),
            ));
        }
        let note = slot.note.unwrap_or_default();
        if note.chars().count() > 200 {
            errors.push(field(
                format!("poses[{i}].note"),
                "too_long",
                "a note is at most 200 characters",
            ));
        }
        drafted.push(SlotDraft {
            pose_id: pose.id,
            seconds: u32::try_from(slot.duration_seconds).unwrap_or(0),
            side,
            note,
        });
    }
    let (Some(difficulty), Some(focus_area), Some(style)) = (difficulty, focus, style) else {
        return Err(ApiError::Validation(errors));
    };
    let mut d = SequenceDraft {
        slug: None,
        name,
        description,
        difficulty,
        focus_area,
        style,
        duration_minutes: 1,
        transition_seconds: transition,
        is_preset: false,
        owner_id: Some(owner),
        slots: drafted,
    };
    d.duration_minutes = w
        .duration_minutes
        .unwrap_or_else(|| d.estimated_seconds().div_ceil(60).max(1));
    if let Err(mut rules) = d.check() {
        errors.append(&mut rules);
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound {
        code: "sequence_not_found",
        message: format!("Sequence with ID {id} not found"),
    }
}

async fn respond(state: &AppState, id: i64) -> Result<Json<SequenceResponse>, ApiError> {
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(Json(sequence_body(state, &seq).await?))
}

/// Create a sequence of one's own (private until shared).
#[utoipa::path(post, path = "/api/v1/sequences", tag = "my sequences", security(("bearer" = [])), request_body = SequenceWrite,
    responses((status = 201, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    JsonBody(body): JsonBody<SequenceWrite>,
) -> Result<(StatusCode, Json<SequenceResponse>), ApiError> {
    let d = draft(&state, auth.user.id, body).await?;
    let id = state.db.create_user_sequence(&d, state.clock.now()).await?;
    Ok((StatusCode::CREATED, respond(&state, id).await?))
}

/// Replace one of one's own sequences.
#[utoipa::path(put, path = "/api/v1/sequences/{sequence_id}", tag = "my sequences", security(("bearer" = [])), request_body = SequenceWrite,
    params(("sequence_id" = i64, Path)),
    responses((status = 200, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<SequenceWrite>,
) -> Result<Json<SequenceResponse>, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let d = draft(&state, auth.user.id, body).await?;
    if !state
        .db
        .replace_user_sequence(id, &d, state.clock.now())
        .await?
    {
        return Err(not_found(id));
    }
    respond(&state, id).await
}

/// Delete one of one's own sequences.
#[utoipa::path(delete, path = "/api/v1/sequences/{sequence_id}", tag = "my sequences", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    if state.db.delete_user_sequence(id, auth.user.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

/// Copy a preset or one of one's own sequences into a new private sequence.
#[utoipa::path(post, path = "/api/v1/sequences/{sequence_id}/duplicate", tag = "my sequences", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 201, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn duplicate(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<(StatusCode, Json<SequenceResponse>), ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let source: Sequence = state
        .db
        .get_sequence(id)
        .await?
        .filter(|s| s.is_preset || s.owner_id == Some(auth.user.id))
        .ok_or_else(|| not_found(id))?;
    let name: String = format!("{} (my copy)", source.name)
        .chars()
        .take(100)
        .collect();
    let d = SequenceDraft {
        slug: None,
        name,
        description: source.description.clone(),
        difficulty: source.difficulty,
        focus_area: source.focus_area,
        style: source.style,
        duration_minutes: source.duration_minutes,
        transition_seconds: source.transition_seconds,
        is_preset: false,
        owner_id: Some(auth.user.id),
        slots: source
            .slots
            .iter()
            .map(|s| SlotDraft {
                pose_id: s.pose_id,
                seconds: s.seconds,
                side: s.side,
                note: s.note.clone(),
            })
            .collect(),
    };
    let new_id = state.db.create_user_sequence(&d, state.clock.now()).await?;
    Ok((StatusCode::CREATED, respond(&state, new_id).await?))
}

/// Create (or replace) the share link of one's own sequence.
#[utoipa::path(post, path = "/api/v1/sequences/{sequence_id}/share", tag = "my sequences", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 200, body = ShareResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn share(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<Json<ShareResponse>, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let token = new_token();
    if !state
        .db
        .set_share_hash(id, auth.user.id, Some(&digest(&token)))
        .await?
    {
        return Err(not_found(id));
    }
    Ok(Json(ShareResponse {
        share_url: format!("{}/shared/{token}", state.config.public_url),
        token,
    }))
}

/// Revoke the share link; the old link stops working at once.
#[utoipa::path(delete, path = "/api/v1/sequences/{sequence_id}/share", tag = "my sequences", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unshare(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    if state.db.set_share_hash(id, auth.user.id, None).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

/// Open a shared sequence; no account needed.
#[utoipa::path(get, path = "/api/v1/shared/{token}", tag = "my sequences", params(("token" = String, Path)),
    responses((status = 200, body = SequenceResponse), (status = 404, body = ErrorBody, description = "Unknown or revoked link"), (status = 422, body = ErrorBody)))]
pub async fn open_shared(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<SequenceResponse>, ApiError> {
    let missing = || ApiError::NotFound {
        code: "share_link_not_found",
        message: "This share link does not exist or was revoked.".into(),
    };
    if token.len() > 100 {
        return Err(missing());
    }
    let seq = state
        .db
        .shared_sequence(&digest(&token))
        .await?
        .ok_or_else(missing)?;
    Ok(Json(sequence_body(&state, &seq).await?))
}
