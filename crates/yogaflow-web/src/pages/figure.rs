//! Pose figures inlined into pages: the very bytes the figure endpoint serves
//! (and its cache entry), so a page and the API never draw a pose differently.

use crate::state::AppState;
use yogaflow_core::catalog::Pose;

/// The figure's SVG, or `None` for a pose without a figure description.
pub fn svg(state: &AppState, pose: &Pose, left: bool) -> Option<String> {
    crate::api::figures::pose_svg(state, pose, left)
        .map(|body| String::from_utf8_lossy(&body).into_owned())
}
