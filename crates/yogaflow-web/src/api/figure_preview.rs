//! `POST /api/v1/admin/figures/preview`: draws a figure description as it is
//! being typed, for the live preview beside the admin pose form. Nothing is
//! stored; saving goes through the pose's own PUT, which applies the same rules.

use crate::auth::extract::{AdminUser, JsonBody};
use crate::dto::ErrorBody;
use crate::error::ApiError;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_core::catalog::parse_figure_text;
use yogaflow_core::error::FieldError;
use yogaflow_figures::{alt_text, check, render_svg_titled};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// A figure description: the figure file format, with or without a `slug` line.
    pub figure: String,
    /// `left` draws the mirror image, as a sided pose's left side shows.
    #[serde(default)]
    pub side: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    /// The figure as the site draws it (self-contained SVG, no script).
    pub svg: String,
    /// The alt text made from the same description.
    pub alt: String,
    /// Plausibility problems (a joint past its limit, a contact off the floor…).
    /// The figure is drawn anyway so the admin sees what is wrong, but a pose
    /// with any of these cannot be saved.
    pub problems: Vec<String>,
}

/// The drawing of a description, or each reason it cannot be read (as field
/// errors on `figure`). The admin pose page draws its first preview with this too.
///
/// # Errors
/// A description that is too long or not in the figure format.
pub fn draw(text: &str, left: bool) -> Result<PreviewResponse, ApiError> {
    // The slug only names the drawing; a description's own slug line is ignored.
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("slug"))
        .collect::<Vec<_>>()
        .join("\n");
    let figure = parse_figure_text("preview", &text).map_err(|problems| {
        ApiError::Validation(
            problems
                .into_iter()
                .map(|p| FieldError::new("body", "figure", "invalid", format!("figure: {p}")))
                .collect(),
        )
    })?;
    let figure = if left { figure.mirror() } else { figure };
    let alt = alt_text(&figure);
    Ok(PreviewResponse {
        svg: render_svg_titled(&figure, &alt),
        problems: check(&figure).iter().map(ToString::to_string).collect(),
        alt,
    })
}

/// Draw a figure description without saving it (admins only).
#[utoipa::path(post, path = "/api/v1/admin/figures/preview", tag = "admin", security(("bearer" = [])),
    request_body = PreviewRequest,
    responses((status = 200, body = PreviewResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "The description does not parse: each problem, as field `figure`")))]
pub async fn preview(
    AdminUser(_admin): AdminUser,
    JsonBody(body): JsonBody<PreviewRequest>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let left = match body.side.as_deref() {
        None | Some("right") => false,
        Some("left") => true,
        Some(_) => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "body",
                "side",
                "unknown_value",
                "side must be right or left",
            )]));
        }
    };
    draw(&body.figure, left).map(Json)
}
