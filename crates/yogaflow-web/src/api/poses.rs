//! `GET /api/v1/poses`, `/poses/{id}` and `/poses/{id}/related`.

use super::{json_bytes, serialize};
use crate::dto::{ErrorBody, PoseListResponse, PoseResponse, RelatedPosesResponse};
use crate::error::ApiError;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use yogaflow_core::catalog::PoseQuery;
use yogaflow_core::catalog::related::related;
use yogaflow_core::error::{CatalogError, Resource};

/// List poses, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/poses", tag = "poses",
    params(
        ("page" = Option<u32>, Query, description = "1-based page (page mode, default 1)"),
        ("page_size" = Option<u32>, Query, description = "1-100, default 20"),
        ("offset" = Option<u32>, Query, description = "offset mode when offset or limit is given"),
        ("limit" = Option<u32>, Query, description = "1-100, default 20"),
        ("search" = Option<String>, Query, description = "English or Sanskrit name (with or without diacritics) or description; name matches first; at most 200 characters"),
        ("category" = Option<String>, Query, description = "standing, seated, balancing, backbends, forward_bends, twists, inversions, arm_balances, restorative"),
        ("difficulty" = Option<String>, Query, description = "beginner, intermediate, advanced"),
        ("target_area" = Option<String>, Query, description = "one of the 20 target areas; matches any area of a pose"),
    ),
    responses(
        (status = 200, body = PoseListResponse, description = "A page of poses; header X-Total-Count carries the total"),
        (status = 422, body = ErrorBody, description = "A parameter is malformed, out of range, unknown or repeated"),
        (status = 503, body = ErrorBody, description = "The database is unavailable"),
    ))]
pub async fn list_poses(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Response, ApiError> {
    let key = format!("poses?{}", query.raw);
    if let Some(hit) = state.catalog.get(&key) {
        return Ok(json_bytes(hit));
    }
    let q = PoseQuery::parse(&query.pairs)?;
    let (poses, total) = state.db.list_poses(&q).await?;
    let (page, page_size, total_pages) = q.page.report(total);
    let body = PoseListResponse {
        poses: poses.iter().map(PoseResponse::from).collect(),
        total,
        page,
        page_size,
        total_pages,
    };
    let cached = serialize(&body, Some(total))?;
    state.catalog.put(key, cached.clone());
    Ok(json_bytes(cached))
}

/// One pose.
#[utoipa::path(get, path = "/api/v1/poses/{pose_id}", tag = "poses",
    params(("pose_id" = i64, Path, description = "The pose's id")),
    responses(
        (status = 200, body = PoseResponse),
        (status = 404, body = ErrorBody, description = "No pose with that id"),
        (status = 422, body = ErrorBody, description = "The id is not a whole number"),
    ))]
pub async fn get_pose(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let key = format!("pose/{raw}");
    if let Some(hit) = state.catalog.get(&key) {
        return Ok(json_bytes(hit));
    }
    let id = path_id(&raw, "pose_id")?;
    let pose = state.db.get_pose(id).await?.ok_or(CatalogError::NotFound {
        resource: Resource::Pose,
        id,
    })?;
    let cached = serialize(&PoseResponse::from(&pose), None)?;
    state.catalog.put(key, cached.clone());
    Ok(json_bytes(cached))
}

/// Similar poses and progressions, in an order that does not depend on the database.
#[utoipa::path(get, path = "/api/v1/poses/{pose_id}/related", tag = "poses",
    params(("pose_id" = i64, Path, description = "The pose's id")),
    responses(
        (status = 200, body = RelatedPosesResponse),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn related_poses(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let all = state.catalog.poses(&state.db).await?;
    let pose = all
        .iter()
        .find(|p| p.id == id)
        .ok_or(CatalogError::NotFound {
            resource: Resource::Pose,
            id,
        })?;
    let r = related(pose, &all);
    let body = RelatedPosesResponse {
        similar: r.similar.into_iter().map(PoseResponse::from).collect(),
        progressions: r.progressions.into_iter().map(PoseResponse::from).collect(),
    };
    Ok(json_bytes(serialize(&body, None)?))
}
