//! `GET /api/v1/sequences` and friends: the preset library (and, for signed-in
//! users later, their own sequences).

use super::{json_bytes, serialize};
use crate::auth::extract::OptionalUser;
use crate::dto::{
    ErrorBody, FocusAreasResponse, PoseResponse, SequenceCategoriesResponse, SequenceListItem,
    SequenceListResponse, SequencePoseDto, SequenceResponse, StylesResponse, timestamp,
};
use crate::error::ApiError;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use std::collections::HashMap;
use yogaflow_core::catalog::{FocusArea, SequenceQuery, Style};
use yogaflow_core::error::{CatalogError, Resource};

/// List sequences: presets (and the caller's own, once accounts exist).
#[utoipa::path(get, path = "/api/v1/sequences", tag = "sequences",
    params(
        ("page" = Option<u32>, Query, description = "1-based, default 1"),
        ("page_size" = Option<u32>, Query, description = "1-100, default 20"),
        ("search" = Option<String>, Query, description = "part of the name, any case, diacritics ignored"),
        ("difficulty" = Option<String>, Query, description = "beginner, intermediate, advanced"),
        ("focus_area" = Option<String>, Query, description = "flexibility, strength, relaxation, balance, core, energy"),
        ("style" = Option<String>, Query, description = "vinyasa, yin, restorative, hatha, power, gentle"),
        ("min_duration" = Option<u32>, Query, description = "minutes, inclusive, 1-999"),
        ("max_duration" = Option<u32>, Query, description = "minutes, inclusive, 1-999"),
        ("preset_only" = Option<bool>, Query, description = "true: presets only; false: user-made only"),
    ),
    responses(
        (status = 200, body = SequenceListResponse),
        (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ))]
pub async fn list_sequences(
    State(state): State<AppState>,
    OptionalUser(viewer): OptionalUser,
    query: QueryPairs,
) -> Result<Response, ApiError> {
    let viewer = viewer.map(|a| a.user.id);
    // Only anonymous answers are shared through the cache: a signed-in list
    // includes the caller's own sequences.
    let key = format!("sequences?{}", query.raw);
    if viewer.is_none()
        && let Some(hit) = state.catalog.get(&key)
    {
        return Ok(json_bytes(hit));
    }
    let q = SequenceQuery::parse(&query.pairs)?;
    let page = state.db.list_sequences(&q, viewer).await?;
    let (p, page_size, total_pages) = q.page.report(page.total);
    let body = SequenceListResponse {
        sequences: page
            .items
            .iter()
            .map(|(s, n, secs)| SequenceListItem::new(s, *n, *secs))
            .collect(),
        total: page.total,
        page: p,
        page_size,
        total_pages,
    };
    let cached = serialize(&body, Some(page.total))?;
    if viewer.is_none() {
        state.catalog.put(key, cached.clone());
    }
    Ok(json_bytes(cached))
}

/// One sequence with its poses in order.
#[utoipa::path(get, path = "/api/v1/sequences/{sequence_id}", tag = "sequences",
    params(("sequence_id" = i64, Path, description = "The sequence's id")),
    responses(
        (status = 200, body = SequenceResponse),
        (status = 404, body = ErrorBody, description = "No such sequence, or one the caller may not see"),
        (status = 422, body = ErrorBody),
    ))]
pub async fn get_sequence(
    State(state): State<AppState>,
    OptionalUser(viewer): OptionalUser,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    // Only presets are ever cached, and presets are visible to everyone.
    let key = format!("sequence/{raw}");
    if let Some(hit) = state.catalog.get(&key) {
        return Ok(json_bytes(hit));
    }
    let id = path_id(&raw, "sequence_id")?;
    let viewer = viewer.map(|a| a.user.id);
    // Another user's private sequence is indistinguishable from a missing one
    // (1.0 leaked them).
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .filter(|s| s.is_preset || (viewer.is_some() && s.owner_id == viewer))
        .ok_or(CatalogError::NotFound {
            resource: Resource::Sequence,
            id,
        })?;
    let body = sequence_body(&state, &seq).await?;
    let cached = serialize(&body, None)?;
    if seq.is_preset {
        state.catalog.put(key, cached.clone());
    }
    Ok(json_bytes(cached))
}

/// The full answer for one sequence: its slots with their poses.
pub(crate) async fn sequence_body(
    state: &AppState,
    seq: &yogaflow_core::catalog::Sequence,
) -> Result<SequenceResponse, ApiError> {
    let stored = state.db.poses_of_sequence(seq.id).await?;
    let poses: HashMap<i64, &yogaflow_core::catalog::Pose> =
        stored.iter().map(|p| (p.id, p)).collect();
    let mut slots = Vec::with_capacity(seq.slots.len());
    for slot in &seq.slots {
        let pose = poses
            .get(&slot.pose_id)
            .ok_or_else(|| ApiError::Internal(format!("slot {} names a missing pose", slot.id)))?;
        slots.push(SequencePoseDto {
            sequence_pose_id: slot.id,
            pose_id: slot.pose_id,
            position_order: slot.position,
            duration_seconds: slot.seconds,
            side: slot.side.map(|s| s.to_string()),
            note: (!slot.note.is_empty()).then(|| slot.note.clone()),
            pose: PoseResponse::from(*pose),
        });
    }
    Ok(SequenceResponse {
        sequence_id: seq.id,
        slug: seq.slug.clone(),
        name: seq.name.clone(),
        description: (!seq.description.is_empty()).then(|| seq.description.clone()),
        difficulty_level: seq.difficulty.to_string(),
        duration_minutes: seq.duration_minutes,
        focus_area: seq.focus_area.to_string(),
        style: seq.style.to_string(),
        is_preset: seq.is_preset,
        created_by: seq.owner_id,
        pose_count: u32::try_from(seq.slots.len()).unwrap_or(u32::MAX),
        transition_seconds: seq.transition_seconds,
        created_at: timestamp(seq.created_at),
        updated_at: timestamp(seq.updated_at),
        poses: slots,
        total_duration_seconds: seq.hold_seconds(),
        estimated_duration_seconds: seq.estimated_seconds(),
    })
}

/// Counts of preset sequences by level, focus, style and length.
#[utoipa::path(get, path = "/api/v1/sequences/categories", tag = "sequences",
    responses((status = 200, body = SequenceCategoriesResponse), (status = 503, body = ErrorBody)))]
pub async fn sequence_categories(
    State(state): State<AppState>,
) -> Result<Json<SequenceCategoriesResponse>, ApiError> {
    let f = state.db.sequence_facets().await?;
    Ok(Json(SequenceCategoriesResponse {
        by_difficulty: f.by_difficulty.into_iter().collect(),
        by_focus_area: f.by_focus_area.into_iter().collect(),
        by_style: f.by_style.into_iter().collect(),
        by_duration: f.by_duration.into_iter().collect(),
    }))
}

/// The six focus areas.
#[utoipa::path(get, path = "/api/v1/sequences/focus-areas", tag = "sequences",
    responses((status = 200, body = FocusAreasResponse)))]
pub async fn focus_areas() -> Json<FocusAreasResponse> {
    Json(FocusAreasResponse {
        focus_areas: FocusArea::ALL.iter().map(ToString::to_string).collect(),
    })
}

/// The six styles.
#[utoipa::path(get, path = "/api/v1/sequences/styles", tag = "sequences",
    responses((status = 200, body = StylesResponse)))]
pub async fn styles() -> Json<StylesResponse> {
    Json(StylesResponse {
        styles: Style::ALL.iter().map(ToString::to_string).collect(),
    })
}
