//! `GET /api/v1/breathing`: the breathing exercises of the library.

use crate::dto::ErrorBody;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use yogaflow_content::BreathingExercise;

#[derive(Debug, Serialize, ToSchema)]
pub struct BreathPatternDto {
    pub inhale: f64,
    pub hold_in: f64,
    pub exhale: f64,
    pub hold_out: f64,
    pub cycle_seconds: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreathingResponse {
    pub slug: String,
    pub name_english: String,
    pub name_sanskrit: Option<String>,
    pub name_sanskrit_ascii: Option<String>,
    pub difficulty_level: String,
    /// Seconds per phase of one breath, for a beginner.
    pub pattern: BreathPatternDto,
    pub default_rounds: u32,
    pub description: String,
    pub instructions: Vec<String>,
    pub benefits: Vec<String>,
    pub cautions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreathingListResponse {
    pub exercises: Vec<BreathingResponse>,
    pub total: usize,
}

fn dto(b: &BreathingExercise) -> BreathingResponse {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    BreathingResponse {
        slug: b.slug.clone(),
        name_english: b.english_name.clone(),
        name_sanskrit: opt(&b.sanskrit_iast),
        name_sanskrit_ascii: opt(&b.sanskrit_ascii),
        difficulty_level: b.difficulty.to_string(),
        pattern: BreathPatternDto {
            inhale: b.pattern.inhale,
            hold_in: b.pattern.hold_in,
            exhale: b.pattern.exhale,
            hold_out: b.pattern.hold_out,
            cycle_seconds: b.pattern.cycle_seconds(),
        },
        default_rounds: b.default_rounds,
        description: b.description.clone(),
        instructions: b.instructions.clone(),
        benefits: b.benefits.clone(),
        cautions: b.cautions.clone(),
    }
}

/// All breathing exercises, easiest first.
#[utoipa::path(get, path = "/api/v1/breathing", tag = "breathing", responses((status = 200, body = BreathingListResponse)))]
pub async fn list(State(state): State<AppState>) -> Json<BreathingListResponse> {
    let mut exercises: Vec<&BreathingExercise> = state.breathing.iter().collect();
    exercises.sort_by(|a, b| {
        a.difficulty
            .rank()
            .cmp(&b.difficulty.rank())
            .then_with(|| a.english_name.cmp(&b.english_name))
    });
    Json(BreathingListResponse {
        total: exercises.len(),
        exercises: exercises.into_iter().map(dto).collect(),
    })
}

/// One breathing exercise by slug.
#[utoipa::path(get, path = "/api/v1/breathing/{slug}", tag = "breathing", params(("slug" = String, Path)),
    responses((status = 200, body = BreathingResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<BreathingResponse>, ApiError> {
    state
        .breathing
        .iter()
        .find(|b| b.slug == slug)
        .map(|b| Json(dto(b)))
        .ok_or(ApiError::NotFound {
            code: "breathing_not_found",
            message: format!("No breathing exercise named {slug}"),
        })
}
