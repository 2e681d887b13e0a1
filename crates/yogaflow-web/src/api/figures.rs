//! `GET /api/v1/poses/{id}/figure.svg`: the pose drawn from the body model, as a
//! self-contained SVG (no script, no external reference), mirrored for the left
//! side of sided poses, with an ETag and a week of caching.

use crate::error::ApiError;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use yogaflow_core::error::{CatalogError, FieldError, Resource};
use yogaflow_figures::{Figure, alt_text, render_svg_titled};

/// The figures of the bundled library, by pose slug.
pub fn load_embedded() -> HashMap<String, Figure> {
    yogaflow_content::embedded_files("figures/")
        .filter_map(|(path, text)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            match yogaflow_figures::parse_figure(name, text) {
                Ok(f) => Some((f.slug.clone(), f)),
                Err(errors) => {
                    tracing::warn!(file = path, problems = errors.len(), "figure skipped");
                    None
                }
            }
        })
        .collect()
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
    let key = format!("figure/{id}/{}", if left { "left" } else { "right" });
    let cached = match state.catalog.get(&key) {
        Some(hit) => hit,
        None => {
            let poses = state.catalog.poses(&state.db).await?;
            let pose = poses
                .iter()
                .find(|p| p.id == id)
                .ok_or(CatalogError::NotFound {
                    resource: Resource::Pose,
                    id,
                })?;
            let figure = state.figures.get(&pose.slug).ok_or(ApiError::NotFound {
                code: "figure_not_found",
                message: format!("Pose {id} has no figure yet"),
            })?;
            let figure = if left && pose.sided {
                figure.mirror()
            } else {
                figure.clone()
            };
            let title = format!("{}: {}", pose.english_name, alt_text(&figure));
            let svg = render_svg_titled(&figure, &title);
            let value = crate::catalog_cache::Cached {
                body: bytes::Bytes::from(svg),
                total: None,
            };
            state.catalog.put(key, value.clone());
            value
        }
    };
    let etag = format!(
        "\"{}\"",
        &crate::auth::secrets::digest(&String::from_utf8_lossy(&cached.body))[..32]
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
    let mut r = cached.body.into_response();
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
