//! Pose figures inlined into pages. The SVG is the same text the figure
//! endpoint serves (and shares its cache entry), so a page and the API never
//! draw a pose differently.

use crate::catalog_cache::Cached;
use crate::state::AppState;
use yogaflow_core::catalog::Pose;
use yogaflow_figures::{alt_text, render_svg_titled};

/// The figure's SVG, or `None` for a pose without a figure description.
pub fn svg(state: &AppState, pose: &Pose, left: bool) -> Option<String> {
    let left = left && pose.sided;
    let key = format!("figure/{}/{}", pose.id, if left { "left" } else { "right" });
    if let Some(hit) = state.catalog.get(&key) {
        return Some(String::from_utf8_lossy(&hit.body).into_owned());
    }
    let figure = crate::api::figures::pose_figure(pose, left)?;
    let title = format!("{}: {}", pose.english_name, alt_text(&figure));
    let svg = render_svg_titled(&figure, &title);
    state.catalog.put(
        key,
        Cached {
            body: bytes::Bytes::from(svg.clone()),
            total: None,
        },
    );
    Some(svg)
}
