//! `GET /api/v1/poses/{id}/figure.svg`: the pose drawn from the body model, as a
//! self-contained SVG (no script, no external reference), mirrored for the left
//! side of sided poses, with an ETag and a week of caching.

use crate::error::ApiError;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yogaflow_core::catalog::Pose;
use yogaflow_core::error::{CatalogError, FieldError, Resource};
use yogaflow_figures::{Figure, alt_text, render_svg_titled};

/// The pose's figure as stored with it, mirrored for the left side of a sided
/// pose; `None` when it has none. Descriptions are checked when written, so one
/// that no longer reads (never expected) is logged and drawn as no figure.
pub fn pose_figure(pose: &Pose, left: bool) -> Option<Figure> {
    let text = pose.figure.as_deref()?;
    match yogaflow_core::catalog::read_figure(&pose.slug, text) {
        Ok(f) if left && pose.sided => Some(f.mirror()),
        Ok(f) => Some(f),
        Err(problems) => {
            tracing::warn!(
                pose_id = pose.id,
                problems = problems.len(),
                "figure skipped"
            );
            None
        }
    }
}

/// The pose's figure as SVG, titled with its name and alt text: from the answer
/// cache, or drawn and cached. Pages inline exactly these bytes, so a page and the
/// API never draw a pose differently. `None` when the pose has no figure.
pub fn pose_svg(state: &AppState, pose: &Pose, left: bool) -> Option<bytes::Bytes> {
    let left = left && pose.sided;
    let key = format!("figure/{}/{}", pose.id, if left { "left" } else { "right" });
    if let Some(hit) = state.catalog.get(&key) {
        return Some(hit.body);
    }
    let figure = pose_figure(pose, left)?;
    let title = format!("{}: {}", pose.english_name, alt_text(&figure));
    let body = bytes::Bytes::from(render_svg_titled(&figure, &title));
    state.catalog.put(
        key,
        crate::catalog_cache::Cached {
            body: body.clone(),
            total: None,
        },
    );
    Some(body)
}

fn no_figure(id: i64) -> ApiError {
    ApiError::NotFound {
        code: "figure_not_found",
        message: format!("Pose {id} has no figure yet"),
    }
}

/// The drawing of a pose.
#[utoipa::path(get, path = "/api/v1/poses/{pose_id}/figure.svg", tag = "poses",
    params(("pose_id" = i64, Path), ("side" = Option<String>, Query, description = "right (default) or left; left mirrors sided poses")),
    responses((status = 200, description = "image/svg+xml"), (status = 304, description = "Not modified (ETag)"),
        (status = 404, body = crate::dto::ErrorBody), (status = 422, body = crate::dto::ErrorBody)))]
pub async fn figure(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    query: QueryPairs,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let sides: Vec<&str> = query
        .pairs
        .iter()
        .filter(|(k, _)| k == "side")
        .map(|(_, v)| v.as_str())
        .collect();
    let left = match sides.as_slice() {
        [] | ["right"] => false,
        ["left"] => true,
        _ => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "query",
                "side",
                "unknown_value",
                "side must be right or left, once",
            )]));
        }
    };
    let poses = state.catalog.poses(&state.db).await?;
    let pose = poses
        .iter()
        .find(|p| p.id == id)
        .ok_or(CatalogError::NotFound {
            resource: Resource::Pose,
            id,
        })?;
    let body = pose_svg(&state, pose, left).ok_or_else(|| no_figure(id))?;
    let etag = format!(
        "\"{}\"",
        &crate::auth::secrets::digest(&String::from_utf8_lossy(&body))[..32]
    );
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=604800"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(r)
}

/// The in-between frames of a move from one pose to the next.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TransitionResponse {
    /// SVG documents, in order, strictly between the two poses.
    pub frames: Vec<String>,
}

const MAX_FRAMES: u32 = 24;

/// Reads `name` as a pose id, `side` as right/left, `frames` as a small count.
fn transition_params(q: &QueryPairs) -> Result<(i64, bool, i64, bool, u32), ApiError> {
    let mut errors = Vec::new();
    let id = |key: &'static str, errors: &mut Vec<FieldError>| -> i64 {
        match crate::params::single(&q.pairs, key) {
            Ok(Some(v)) => v.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "query",
                    key,
                    "invalid",
                    format!("{key} must be a pose id"),
                ));
                0
            }),
            Ok(None) => {
                errors.push(FieldError::new(
                    "query",
                    key,
                    "missing",
                    format!("{key} is required"),
                ));
                0
            }
            Err(e) => {
                errors.push(e);
                0
            }
        }
    };
    let side = |key: &'static str, errors: &mut Vec<FieldError>| -> bool {
        match crate::params::single(&q.pairs, key) {
            Ok(None | Some("right")) => false,
            Ok(Some("left")) => true,
            Ok(Some(_)) => {
                errors.push(FieldError::new(
                    "query",
                    key,
                    "unknown_value",
                    format!("{key} must be right or left"),
                ));
                false
            }
            Err(e) => {
                errors.push(e);
                false
            }
        }
    };
    let from = id("from", &mut errors);
    let to = id("to", &mut errors);
    let from_left = side("from_side", &mut errors);
    let to_left = side("to_side", &mut errors);
    let frames = match crate::params::single(&q.pairs, "frames") {
        Ok(None) => 8,
        Ok(Some(v)) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_FRAMES).contains(n))
            .unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "query",
                    "frames",
                    "out_of_range",
                    "frames must be 1 to 24",
                ));
                8
            }),
        Err(e) => {
            errors.push(e);
            8
        }
    };
    if errors.is_empty() {
        Ok((from, from_left, to, to_left, frames))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Frames that move one pose's figure into the next by blending joint angles,
/// for the practice player's animated transitions (it skips them when the user
/// prefers reduced motion).
#[utoipa::path(get, path = "/api/v1/figures/transition", tag = "poses",
    params(("from" = i64, Query), ("to" = i64, Query),
        ("from_side" = Option<String>, Query, description = "right (default) or left"),
        ("to_side" = Option<String>, Query, description = "right (default) or left"),
        ("frames" = Option<u32>, Query, description = "1-24, default 8")),
    responses((status = 200, body = TransitionResponse), (status = 404, body = crate::dto::ErrorBody), (status = 422, body = crate::dto::ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Response, ApiError> {
    let (from, from_left, to, to_left, frames) = transition_params(&query)?;
    let key = format!("transition/{from}/{from_left}/{to}/{to_left}/{frames}");
    if let Some(hit) = state.catalog.get(&key) {
        return Ok(super::json_bytes(hit));
    }
    let poses = state.catalog.poses(&state.db).await?;
    let figure_of = |id: i64, left: bool| -> Result<Figure, ApiError> {
        let pose = poses
            .iter()
            .find(|p| p.id == id)
            .ok_or(CatalogError::NotFound {
                resource: Resource::Pose,
                id,
            })?;
        pose_figure(pose, left).ok_or_else(|| no_figure(id))
    };
    let (a, b) = (figure_of(from, from_left)?, figure_of(to, to_left)?);
    let body = TransitionResponse {
        frames: (1..=frames)
            .map(|i| {
                let t = f64::from(i) / f64::from(frames + 1);
                render_svg_titled(
                    &yogaflow_figures::interpolate(&a, &b, t),
                    "Moving to the next pose",
                )
            })
            .collect(),
    };
    let cached = super::serialize(&body, None)?;
    state.catalog.put(key, cached.clone());
    Ok(super::json_bytes(cached))
}
