//! Favorites (`/api/v1/favorites`) and weekly goals (`/api/v1/goals`).
//! Both need a verified email to change, like everything a user saves.

use crate::auth::extract::{AuthUser, JsonBody, VerifiedUser};
use crate::dto::{ErrorBody, PoseResponse, SequenceListItem};
use crate::error::ApiError;
use crate::params::path_id;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_core::error::FieldError;
use yogaflow_core::practice::Zone;
use yogaflow_core::practice::stats::calendar;
use yogaflow_store::FavoriteKind;

#[derive(Debug, Serialize, ToSchema)]
pub struct FavoritesResponse {
    pub poses: Vec<PoseResponse>,
    pub sequences: Vec<SequenceListItem>,
}

/// The caller's favorite poses and sequences, newest first.
#[utoipa::path(get, path = "/api/v1/favorites", tag = "favorites", security(("bearer" = [])),
    responses((status = 200, body = FavoritesResponse), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<FavoritesResponse>, ApiError> {
    let all = state.catalog.poses(&state.db).await?;
    let poses = state
        .db
        .favorites(auth.user.id, FavoriteKind::Pose)
        .await?
        .into_iter()
        .filter_map(|id| all.iter().find(|p| p.id == id).map(PoseResponse::from))
        .collect();
    let mut sequences = Vec::new();
    for id in state
        .db
        .favorites(auth.user.id, FavoriteKind::Sequence)
        .await?
    {
        // A sequence that became private to someone else silently drops out.
        if let Some(s) = state
            .db
            .get_sequence(id)
            .await?
            .filter(|s| s.is_preset || s.owner_id == Some(auth.user.id))
        {
            sequences.push(SequenceListItem::new(
                &s,
                u32::try_from(s.slots.len()).unwrap_or(u32::MAX),
                s.hold_seconds(),
            ));
        }
    }
    Ok(Json(FavoritesResponse { poses, sequences }))
}

async fn check_target(
    state: &AppState,
    user_id: i64,
    kind: FavoriteKind,
    id: i64,
) -> Result<(), ApiError> {
    let exists = match kind {
        FavoriteKind::Pose => state
            .catalog
            .poses(&state.db)
            .await?
            .iter()
            .any(|p| p.id == id),
        FavoriteKind::Sequence => state
            .db
            .get_sequence(id)
            .await?
            .is_some_and(|s| s.is_preset || s.owner_id == Some(user_id)),
    };
    if exists {
        Ok(())
    } else {
        let (code, what) = match kind {
            FavoriteKind::Pose => ("pose_not_found", "Pose"),
            FavoriteKind::Sequence => ("sequence_not_found", "Sequence"),
        };
        Err(ApiError::NotFound {
            code,
            message: format!("{what} with ID {id} not found"),
        })
    }
}

pub(crate) async fn set(
    state: AppState,
    user_id: i64,
    kind: FavoriteKind,
    raw: &str,
    on: bool,
) -> Result<StatusCode, ApiError> {
    let id = path_id(
        raw,
        if kind == FavoriteKind::Pose {
            "pose_id"
        } else {
            "sequence_id"
        },
    )?;
    if on {
        check_target(&state, user_id, kind, id).await?;
        state
            .db
            .add_favorite(user_id, kind, id, state.clock.now())
            .await?;
    } else {
        state.db.remove_favorite(user_id, kind, id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a pose as a favorite (idempotent).
#[utoipa::path(put, path = "/api/v1/favorites/poses/{pose_id}", tag = "favorites", security(("bearer" = [])), params(("pose_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_pose(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    set(state, auth.user.id, FavoriteKind::Pose, &raw, true).await
}

/// Remove a pose from favorites (idempotent).
#[utoipa::path(delete, path = "/api/v1/favorites/poses/{pose_id}", tag = "favorites", security(("bearer" = [])), params(("pose_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove_pose(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    set(state, auth.user.id, FavoriteKind::Pose, &raw, false).await
}

/// Mark a sequence as a favorite (idempotent).
#[utoipa::path(put, path = "/api/v1/favorites/sequences/{sequence_id}", tag = "favorites", security(("bearer" = [])), params(("sequence_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_sequence(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    set(state, auth.user.id, FavoriteKind::Sequence, &raw, true).await
}

/// Remove a sequence from favorites (idempotent).
#[utoipa::path(delete, path = "/api/v1/favorites/sequences/{sequence_id}", tag = "favorites", security(("bearer" = [])), params(("sequence_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove_sequence(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    set(state, auth.user.id, FavoriteKind::Sequence, &raw, false).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalsRequest {
    /// Sessions per week (1-50), or null for no goal.
    pub sessions_per_week: Option<u32>,
    /// Minutes per week (5-3000), or null for no goal.
    pub minutes_per_week: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalProgress {
    pub goal: Option<u32>,
    pub done: u64,
    /// 0-100; null without a goal.
    pub percent: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalsResponse {
    /// Monday of the current week in the user's time zone.
    pub week_start: String,
    pub sessions: GoalProgress,
    pub minutes: GoalProgress,
}

fn progress(goal: Option<u32>, done: u64) -> GoalProgress {
    let percent = goal
        .filter(|g| *g > 0)
        .map(|g| u32::try_from((done * 100 / u64::from(g)).min(100)).unwrap_or(100));
    GoalProgress {
        goal,
        done,
        percent,
    }
}

async fn goals_view(
    state: &AppState,
    user: &yogaflow_core::accounts::User,
) -> Result<GoalsResponse, ApiError> {
    use jiff::ToSpan as _;
    let zone = Zone::parse(&user.time_zone).unwrap_or_else(Zone::utc);
    let today = zone.date(state.clock.now());
    let monday = today
        .checked_sub(i64::from(today.weekday().to_monday_zero_offset()).days())
        .unwrap_or(today);
    let facts = state
        .facts
        .get(&state.db, user.id, user.practice_version)
        .await?;
    let week = calendar(&facts, &zone, monday, today);
    let sessions: u64 = week.iter().map(|d| u64::from(d.session_count)).sum();
    let minutes: u64 = week.iter().map(|d| d.total_duration_seconds).sum::<u64>() / 60;
    let (sg, mg) = state.db.goals(user.id).await?;
    Ok(GoalsResponse {
        week_start: monday.to_string(),
        sessions: progress(sg, sessions),
        minutes: progress(mg, minutes),
    })
}

/// Weekly goals and this week's progress (practice days follow the user's time zone).
#[utoipa::path(get, path = "/api/v1/goals", tag = "favorites", security(("bearer" = [])),
    responses((status = 200, body = GoalsResponse), (status = 401, body = ErrorBody)))]
pub async fn get_goals(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<GoalsResponse>, ApiError> {
    Ok(Json(goals_view(&state, &auth.user).await?))
}

/// Set weekly goals.
#[utoipa::path(put, path = "/api/v1/goals", tag = "favorites", security(("bearer" = [])), request_body = GoalsRequest,
    responses((status = 200, body = GoalsResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_goals(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    JsonBody(body): JsonBody<GoalsRequest>,
) -> Result<Json<GoalsResponse>, ApiError> {
    let mut errors = Vec::new();
    if body
        .sessions_per_week
        .is_some_and(|n| !(1..=50).contains(&n))
    {
        errors.push(FieldError::new(
            "body",
            "sessions_per_week",
            "out_of_range",
            "sessions_per_week must be 1 to 50",
        ));
    }
    if body
        .minutes_per_week
        .is_some_and(|n| !(5..=3000).contains(&n))
    {
        errors.push(FieldError::new(
            "body",
            "minutes_per_week",
            "out_of_range",
            "minutes_per_week must be 5 to 3000",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    state
        .db
        .set_goals(auth.user.id, body.sessions_per_week, body.minutes_per_week)
        .await?;
    Ok(Json(goals_view(&state, &auth.user).await?))
}
