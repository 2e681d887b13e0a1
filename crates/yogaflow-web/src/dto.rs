//! The wire shapes of the catalog API. Field names are YogaFlow 1.0's, so its
//! clients keep working; fields 1.0 lacked are added alongside, never renamed.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;
use yogaflow_core::catalog::{Pose, Sequence};

/// RFC 3339 in UTC with a `Z`, e.g. `2026-11-28T00:37:00.253769Z`.
pub fn timestamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// 1.0 sent benefits and contraindications as one text of "• " lines.
fn bullets(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(|i| format!("• {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldDto {
    pub value: u32,
    /// `seconds` or `breaths`.
    pub unit: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoseResponse {
    pub pose_id: i64,
    pub slug: String,
    pub name_english: String,
    /// IAST with diacritics (Tāḍāsana); null for modern poses without one.
    pub name_sanskrit: Option<String>,
    /// Plain spelling used in class and for search (Tadasana).
    pub name_sanskrit_ascii: Option<String>,
    pub category: String,
    pub difficulty_level: String,
    pub description: String,
    pub instructions: Vec<String>,
    /// 1.0 format: "• " lines joined by newlines.
    pub benefits: Option<String>,
    pub contraindications: Option<String>,
    pub benefits_list: Vec<String>,
    pub contraindications_list: Vec<String>,
    pub modifications: Vec<String>,
    pub common_mistakes: Vec<String>,
    pub target_areas: Vec<String>,
    pub props: Vec<String>,
    /// True when practiced once per side.
    pub sided: bool,
    /// `["right", "left"]` for sided poses, empty otherwise.
    pub sides: Vec<String>,
    pub hold: HoldDto,
    pub default_hold_seconds: u32,
    pub breath_cue: String,
    pub safety_note: String,
    /// Uploaded pictures; when there are none, the pose's drawn figure (1.0
    /// clients expect at least one image).
    pub image_urls: Vec<String>,
    /// The pose drawn from YogaFlow's body model (`?side=left` mirrors sided poses).
    pub figure_url: String,
    pub created_at: String,
    pub updated_at: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

impl From<&Pose> for PoseResponse {
    fn from(p: &Pose) -> Self {
        PoseResponse {
            pose_id: p.id,
            slug: p.slug.clone(),
            name_english: p.english_name.clone(),
            name_sanskrit: non_empty(&p.sanskrit_iast),
            name_sanskrit_ascii: non_empty(&p.sanskrit_ascii),
            category: p.category.to_string(),
            difficulty_level: p.difficulty.to_string(),
            description: p.description.clone(),
            instructions: p.instructions.clone(),
            benefits: bullets(&p.benefits),
            contraindications: bullets(&p.contraindications),
            benefits_list: p.benefits.clone(),
            contraindications_list: p.contraindications.clone(),
            modifications: p.modifications.clone(),
            common_mistakes: p.common_mistakes.clone(),
            target_areas: p.target_areas.iter().map(ToString::to_string).collect(),
            props: p.props.iter().map(ToString::to_string).collect(),
            sided: p.sided,
            sides: if p.sided {
                vec!["right".into(), "left".into()]
            } else {
                Vec::new()
            },
            hold: HoldDto {
                value: p.hold.value,
                unit: p.hold.unit.to_string(),
            },
            default_hold_seconds: p.hold.seconds(),
            breath_cue: p.breath_cue.clone(),
            safety_note: p.safety_note.clone(),
            image_urls: if p.image_urls.is_empty() {
                vec![format!("/api/v1/poses/{}/figure.svg", p.id)]
            } else {
                p.image_urls.clone()
            },
            figure_url: format!("/api/v1/poses/{}/figure.svg", p.id),
            created_at: timestamp(p.created_at),
            updated_at: timestamp(p.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoseListResponse {
    pub poses: Vec<PoseResponse>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedPosesResponse {
    pub similar: Vec<PoseResponse>,
    pub progressions: Vec<PoseResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceListItem {
    pub sequence_id: i64,
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub difficulty_level: String,
    pub duration_minutes: u32,
    pub focus_area: String,
    pub style: String,
    pub is_preset: bool,
    pub pose_count: u32,
    /// Sum of the holds, as in 1.0.
    pub total_duration_seconds: u32,
    /// Holds plus transitions between poses.
    pub estimated_duration_seconds: u32,
    pub transition_seconds: u32,
    pub created_at: String,
}

impl SequenceListItem {
    pub fn new(s: &Sequence, pose_count: u32, hold_seconds: u32) -> Self {
        let gaps = pose_count.saturating_sub(1);
        SequenceListItem {
            sequence_id: s.id,
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: non_empty(&s.description),
            difficulty_level: s.difficulty.to_string(),
            duration_minutes: s.duration_minutes,
            focus_area: s.focus_area.to_string(),
            style: s.style.to_string(),
            is_preset: s.is_preset,
            pose_count,
            total_duration_seconds: hold_seconds,
            estimated_duration_seconds: hold_seconds + s.transition_seconds * gaps,
            transition_seconds: s.transition_seconds,
            created_at: timestamp(s.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceListResponse {
    pub sequences: Vec<SequenceListItem>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequencePoseDto {
    pub sequence_pose_id: i64,
    pub pose_id: i64,
    /// 1-based.
    pub position_order: u32,
    pub duration_seconds: u32,
    /// `right`, `left`, or null for poses without sides.
    pub side: Option<String>,
    pub note: Option<String>,
    pub pose: PoseResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceResponse {
    pub sequence_id: i64,
    pub slug: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub difficulty_level: String,
    pub duration_minutes: u32,
    pub focus_area: String,
    pub style: String,
    pub is_preset: bool,
    pub created_by: Option<i64>,
    pub pose_count: u32,
    pub transition_seconds: u32,
    pub created_at: String,
    pub updated_at: String,
    pub poses: Vec<SequencePoseDto>,
    pub total_duration_seconds: u32,
    pub estimated_duration_seconds: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceCategoriesResponse {
    pub by_difficulty: std::collections::BTreeMap<String, i64>,
    pub by_focus_area: std::collections::BTreeMap<String, i64>,
    pub by_style: std::collections::BTreeMap<String, i64>,
    pub by_duration: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FocusAreasResponse {
    pub focus_areas: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StylesResponse {
    pub styles: Vec<String>,
}

/// The JSON body of every 4xx and 5xx answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Human-readable message (1.0's key).
    pub error: String,
    pub status_code: u16,
    /// Stable machine code, e.g. `pose_not_found`, `validation_failed`.
    pub code: String,
    pub message: Option<String>,
    /// For 422: one entry per bad field.
    pub detail: Option<Vec<FieldErrorDto>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorDto {
    /// `["query", "page"]`: where the value came from, then its name.
    pub loc: Vec<String>,
    pub field: String,
    pub msg: String,
    /// A short machine word: `out_of_range`, `unknown_value`, `repeated`, …
    #[serde(rename = "type")]
    pub kind: String,
}
