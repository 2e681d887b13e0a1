//! The library's admin API at 1.0's paths: poses (`/poses`) and preset sequences
//! (`/admin/sequences`) created, replaced and deleted, every change kept as a
//! version (who, when, before and after) that can be listed and restored.
//! Versions hold the record in this API's own request shape, so a restore goes
//! through exactly the rules a new write does.

use super::my_sequences::{SequenceWrite, SlotWrite, draft as sequence_draft};
use super::sequences::sequence_body;
use crate::auth::extract::{AdminUser, JsonBody};
use crate::dto::{ErrorBody, PoseResponse, SequenceResponse, timestamp};
use crate::error::ApiError;
use crate::params::{QueryPairs, path_id, single};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_core::catalog::{
    Category, ContentAction, ContentKind, Difficulty, Hold, HoldUnit, PoseDraft, Prop, Sequence,
    SequenceDraft, TargetArea, slugify,
};
use yogaflow_core::error::FieldError;
use yogaflow_store::{AdminWrite, ContentChange, HistoryEntry};

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldWrite {
    /// 1-600 seconds, or 1-120 breaths.
    pub value: u32,
    /// `seconds` (default) or `breaths`.
    #[serde(default = "seconds")]
    pub unit: String,
}

fn seconds() -> String {
    "seconds".into()
}

/// A whole pose, as created or replaced (PUT replaces every field; what is left
/// out takes its default).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoseWrite {
    /// Lowercase letters, digits and hyphens; made from `name_english` when absent.
    /// Kept when a replacement leaves it out.
    #[serde(default)]
    pub slug: Option<String>,
    /// Required, 1-255 characters, not blank.
    pub name_english: String,
    /// IAST with diacritics.
    #[serde(default)]
    pub name_sanskrit: Option<String>,
    #[serde(default)]
    pub name_sanskrit_ascii: Option<String>,
    pub category: String,
    pub difficulty_level: String,
    /// Practised once per side.
    #[serde(default)]
    pub sided: bool,
    /// Default 30 seconds.
    #[serde(default)]
    pub hold: Option<HoldWrite>,
    #[serde(default)]
    pub target_areas: Vec<String>,
    #[serde(default)]
    pub props: Vec<String>,
    #[serde(default)]
    pub breath_cue: Option<String>,
    /// Required, not blank.
    pub description: String,
    /// At least one step; no blank step.
    pub instructions: Vec<String>,
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub contraindications: Vec<String>,
    #[serde(default)]
    pub modifications: Vec<String>,
    #[serde(default)]
    pub common_mistakes: Vec<String>,
    #[serde(default)]
    pub safety_note: Option<String>,
    /// Uploaded images' URLs (`/api/v1/upload/images/…`) or https links.
    #[serde(default)]
    pub image_urls: Vec<String>,
    /// The figure description (the figure file format without its `slug` line;
    /// see `POST /api/v1/admin/figures/preview`). Left out or null keeps the
    /// current figure, so 1.0's clients cannot erase drawings they know nothing
    /// of; an empty string removes it.
    #[serde(default)]
    pub figure: Option<String>,
}

/// One version of a pose or sequence.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryVersion {
    pub version: i64,
    /// `create`, `update`, `delete` or `restore`.
    pub action: String,
    /// The admin who made the change (null once their account is deleted).
    pub actor_user_id: Option<i64>,
    pub actor_email: Option<String>,
    pub created_at: String,
    /// Top-level fields whose value differs between `before` and `after`.
    pub changed_fields: Vec<String>,
    /// The record before the change, in the write shape (null for a creation).
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    /// The record after the change (null for a deletion).
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryResponse {
    /// `pose` or `sequence`.
    pub kind: String,
    pub target_id: i64,
    /// Newest first.
    pub versions: Vec<HistoryVersion>,
}

fn field(name: impl Into<String>, kind: &'static str, msg: impl Into<String>) -> FieldError {
    FieldError::new("body", name, kind, msg)
}

fn vocabulary<T>(
    errors: &mut Vec<FieldError>,
    name: &str,
    values: &[String],
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> Vec<T> {
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        match parse(v) {
            Some(t) => out.push(t),
            None => errors.push(field(
                format!("{name}[{i}]"),
                "unknown_value",
                format!("{name} must be among: {}", expected()),
            )),
        }
    }
    out
}

/// Turns a request into a checked pose draft.
fn pose_draft(
    w: PoseWrite,
    slug: String,
    v1_id: Option<i64>,
    current_figure: Option<&str>,
) -> Result<PoseDraft, ApiError> {
    let mut errors = Vec::new();
    let figure = match w.figure.as_deref().map(str::trim) {
        None => current_figure.map(str::to_owned),
        Some("") => None,
        Some(text) => match yogaflow_core::catalog::canonical_figure(&slug, text) {
            Ok(canonical) => Some(canonical),
            // Kept as written, so the draft's own check reports each problem.
            Err(_) => Some(text.to_owned()),
        },
    };
    let category = Category::parse(&w.category);
    if category.is_none() {
        errors.push(field(
            "category",
            "unknown_value",
            format!("category must be one of: {}", Category::expected()),
        ));
    }
    let difficulty = Difficulty::parse(&w.difficulty_level);
    if difficulty.is_none() {
        errors.push(field(
            "difficulty_level",
            "unknown_value",
            format!(
                "difficulty_level must be one of: {}",
                Difficulty::expected()
            ),
        ));
    }
    let hold = w.hold.unwrap_or(HoldWrite {
        value: 30,
        unit: seconds(),
    });
    let unit = HoldUnit::parse(&hold.unit);
    if unit.is_none() {
        errors.push(field(
            "hold.unit",
            "unknown_value",
            format!("hold.unit must be one of: {}", HoldUnit::expected()),
        ));
    }
    let target_areas = vocabulary(
        &mut errors,
        "target_areas",
        &w.target_areas,
        TargetArea::parse,
        TargetArea::expected,
    );
    let props = vocabulary(&mut errors, "props", &w.props, Prop::parse, Prop::expected);
    let (Some(category), Some(difficulty), Some(unit)) = (category, difficulty, unit) else {
        return Err(ApiError::Validation(errors));
    };
    let d = PoseDraft {
        slug,
        v1_id,
        english_name: w.name_english.trim().to_owned(),
        sanskrit_iast: w.name_sanskrit.unwrap_or_default().trim().to_owned(),
        sanskrit_ascii: w.name_sanskrit_ascii.unwrap_or_default().trim().to_owned(),
        category,
        difficulty,
        sided: w.sided,
        hold: Hold {
            value: hold.value,
            unit,
        },
        target_areas,
        props,
        breath_cue: w.breath_cue.unwrap_or_default(),
        description: w.description,
        instructions: w.instructions,
        benefits: w.benefits,
        contraindications: w.contraindications,
        modifications: w.modifications,
        common_mistakes: w.common_mistakes,
        safety_note: w.safety_note.unwrap_or_default(),
        image_urls: w.image_urls,
        figure,
    };
    if let Err(mut rules) = d.check() {
        errors.append(&mut rules);
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// A stored pose in the write shape: what its history versions hold.
fn pose_write(d: &PoseDraft) -> PoseWrite {
    PoseWrite {
        slug: Some(d.slug.clone()),
        name_english: d.english_name.clone(),
        name_sanskrit: some(&d.sanskrit_iast),
        name_sanskrit_ascii: some(&d.sanskrit_ascii),
        category: d.category.to_string(),
        difficulty_level: d.difficulty.to_string(),
        sided: d.sided,
        hold: Some(HoldWrite {
            value: d.hold.value,
            unit: d.hold.unit.to_string(),
        }),
        target_areas: d.target_areas.iter().map(ToString::to_string).collect(),
        props: d.props.iter().map(ToString::to_string).collect(),
        breath_cue: some(&d.breath_cue),
        description: d.description.clone(),
        instructions: d.instructions.clone(),
        benefits: d.benefits.clone(),
        contraindications: d.contraindications.clone(),
        modifications: d.modifications.clone(),
        common_mistakes: d.common_mistakes.clone(),
        safety_note: some(&d.safety_note),
        image_urls: d.image_urls.clone(),
        // Always present in a version, so a restore brings back "no figure" too.
        figure: Some(d.figure.clone().unwrap_or_default()),
    }
}

/// A stored preset in the write shape, with its slug.
fn sequence_snapshot(s: &Sequence) -> serde_json::Value {
    let write = SequenceWrite {
        name: s.name.clone(),
        description: Some(s.description.clone()),
        difficulty_level: s.difficulty.to_string(),
        focus_area: s.focus_area.to_string(),
        style: s.style.to_string(),
        duration_minutes: Some(s.duration_minutes),
        transition_seconds: Some(s.transition_seconds),
        poses: s
            .slots
            .iter()
            .map(|slot| SlotWrite {
                pose_id: slot.pose_id,
                duration_seconds: i64::from(slot.seconds),
                side: slot.side.map(|x| x.to_string()),
                note: some(&slot.note),
                position_order: Some(i64::from(slot.position)),
            })
            .collect(),
    };
    let mut value = serde_json::to_value(write).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("slug".into(), s.slug.clone().into());
    }
    value
}

fn to_text<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(format!("snapshot: {e}")))
}

fn pose_not_found(id: i64) -> ApiError {
    ApiError::NotFound {
        code: "pose_not_found",
        message: format!("Pose with ID {id} not found"),
    }
}

fn sequence_not_found(id: i64) -> ApiError {
    ApiError::NotFound {
        code: "sequence_not_found",
        message: format!("Preset sequence with ID {id} not found"),
    }
}

fn conflict() -> ApiError {
    ApiError::Conflict {
        code: "edit_conflict",
        message: "Someone else changed this record meanwhile. Reload it and try again.".into(),
    }
}

fn slug_taken(slug: &str) -> ApiError {
    ApiError::Validation(vec![field(
        "slug",
        "taken",
        format!("another record already uses the slug {slug}"),
    )])
}

/// The slug a pose write asks for, checked for format and for uniqueness.
async fn pose_slug(
    state: &AppState,
    asked: Option<&str>,
    current: Option<&str>,
    name: &str,
    id: Option<i64>,
) -> Result<String, ApiError> {
    let slug = match (asked, current) {
        (Some(s), _) => s.trim().to_owned(),
        (None, Some(c)) => c.to_owned(),
        (None, None) => slugify(name),
    };
    let poses = state.catalog.poses(&state.db).await?;
    if poses.iter().any(|p| p.slug == slug && Some(p.id) != id) {
        return Err(slug_taken(&slug));
    }
    Ok(slug)
}

/// A free slug for a preset: the wanted one, or it with `-2`, `-3`… appended.
async fn sequence_slug(
    state: &AppState,
    wanted: &str,
    id: Option<i64>,
) -> Result<String, ApiError> {
    let base = match slugify(wanted) {
        s if s.is_empty() => "sequence".to_owned(),
        s => s.chars().take(70).collect::<String>(),
    };
    for n in 1..100 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        match state.db.sequence_with_slug(&candidate).await? {
            Some(other) if Some(other) != id => {}
            _ => return Ok(candidate),
        }
    }
    Err(slug_taken(&base))
}

async fn pose_answer(state: &AppState, id: i64) -> Result<Json<PoseResponse>, ApiError> {
    state.catalog.refresh(&state.db).await?;
    let pose = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(|| pose_not_found(id))?;
    Ok(Json(PoseResponse::from(&pose)))
}

async fn sequence_answer(state: &AppState, id: i64) -> Result<Json<SequenceResponse>, ApiError> {
    state.catalog.refresh(&state.db).await?;
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .ok_or_else(|| sequence_not_found(id))?;
    Ok(Json(sequence_body(state, &seq).await?))
}

fn written(outcome: AdminWrite, missing: ApiError) -> Result<i64, ApiError> {
    match outcome {
        AdminWrite::Done { id, .. } => Ok(id),
        AdminWrite::NotFound => Err(missing),
        AdminWrite::Conflict => Err(conflict()),
        AdminWrite::InUse(_) => Err(ApiError::Internal("unexpected in-use answer".into())),
    }
}

/// Create a pose (admins only).
#[utoipa::path(post, path = "/api/v1/poses", tag = "admin", security(("bearer" = [])), request_body = PoseWrite,
    responses((status = 201, body = PoseResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Edited meanwhile"), (status = 422, body = ErrorBody, description = "Each broken rule, by field")))]
pub async fn create_pose(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<PoseWrite>,
) -> Result<(StatusCode, Json<PoseResponse>), ApiError> {
    let slug = pose_slug(&state, body.slug.as_deref(), None, &body.name_english, None).await?;
    let draft = pose_draft(body, slug, None, None)?;
    let after = to_text(&pose_write(&draft))?;
    let change = ContentChange {
        actor: admin.user.id,
        action: ContentAction::Create,
        base_version: 0,
        before: None,
        after: Some(&after),
        now: state.clock.now(),
    };
    let id = written(
        state.db.admin_insert_pose(None, &draft, &change).await?,
        ApiError::not_found(),
    )?;
    Ok((StatusCode::CREATED, pose_answer(&state, id).await?))
}

/// Replace a pose (admins only); every field is written.
#[utoipa::path(put, path = "/api/v1/poses/{pose_id}", tag = "admin", security(("bearer" = [])), request_body = PoseWrite,
    params(("pose_id" = i64, Path)),
    responses((status = 200, body = PoseResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Edited meanwhile"), (status = 422, body = ErrorBody)))]
pub async fn replace_pose(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<PoseWrite>,
) -> Result<Json<PoseResponse>, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let base_version = state.db.history_head(ContentKind::Pose, id).await?;
    let current = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(|| pose_not_found(id))?;
    let slug = pose_slug(
        &state,
        body.slug.as_deref(),
        Some(&current.slug),
        &body.name_english,
        Some(id),
    )
    .await?;
    let draft = pose_draft(body, slug, current.v1_id, current.figure.as_deref())?;
    let before = to_text(&pose_write(&current.draft))?;
    let after = to_text(&pose_write(&draft))?;
    let change = ContentChange {
        actor: admin.user.id,
        action: ContentAction::Update,
        base_version,
        before: Some(&before),
        after: Some(&after),
        now: state.clock.now(),
    };
    written(
        state.db.admin_update_pose(id, &draft, &change).await?,
        pose_not_found(id),
    )?;
    pose_answer(&state, id).await
}

/// Delete a pose (admins only). Refused with 409 while any sequence uses it:
/// the answer lists the presets (and counts users' own sequences) to edit first.
/// With `remove_from_presets=true` the pose is first taken out of the presets
/// that use it (each change a version of that preset), provided no user's own
/// sequence uses it and every preset keeps at least 3 poses; otherwise nothing changes.
#[utoipa::path(delete, path = "/api/v1/poses/{pose_id}", tag = "admin", security(("bearer" = [])),
    params(("pose_id" = i64, Path),
        ("remove_from_presets" = Option<bool>, Query, description = "take the pose out of the presets that use it, then delete it")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Sequences use the pose (code pose_in_use, with `sequences` and `private_sequences`), or it was edited meanwhile"),
        (status = 422, body = ErrorBody, description = "The id is not a whole number, or remove_from_presets is not true or false")))]
pub async fn delete_pose(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(raw): Path<String>,
    query: QueryPairs,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let remove = match single(&query.pairs, "remove_from_presets")
        .map_err(|e| ApiError::Validation(vec![e]))?
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "query",
                "remove_from_presets",
                "not_a_boolean",
                "remove_from_presets must be true or false",
            )]));
        }
    };
    let current = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(|| pose_not_found(id))?;
    let mut uses = try_delete_pose(&state, admin.user.id, &current).await?;
    if remove && !uses.is_empty() && uses.iter().all(|u| u.is_preset) {
        let mut drafts = Vec::new();
        for u in &uses {
            let seq = current_preset(&state, u.id).await?.ok_or_else(conflict)?;
            let head = state.db.history_head(ContentKind::Sequence, u.id).await?;
            let mut d = as_draft(&seq);
            d.slots.retain(|s| s.pose_id != id);
            if d.check().is_err() {
                return Err(ApiError::Conflict {
                    code: "pose_in_use",
                    message: format!(
                        "Taking {} out of {} would leave it too short. Edit that sequence first.",
                        current.english_name, seq.name
                    ),
                });
            }
            drafts.push((seq, d, head));
        }
        for (seq, d, head) in &drafts {
            write_sequence(
                &state,
                admin.user.id,
                seq.id,
                seq,
                d,
                *head,
                ContentAction::Update,
            )
            .await?;
        }
        uses = try_delete_pose(&state, admin.user.id, &current).await?;
    }
    if uses.is_empty() {
        state.catalog.refresh(&state.db).await?;
        return Ok(StatusCode::NO_CONTENT);
    }
    let presets: Vec<(i64, String)> = uses
        .iter()
        .filter(|u| u.is_preset)
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let private = uses.len() - presets.len();
    let mut message = format!(
        "{} is used by {} sequence{}",
        current.english_name,
        uses.len(),
        if uses.len() == 1 { "" } else { "s" }
    );
    if !presets.is_empty() {
        let names: Vec<&str> = presets.iter().map(|(_, n)| n.as_str()).collect();
        message.push_str(&format!(" ({})", names.join(", ")));
    }
    if private > 0 {
        message.push_str(&format!(
            ", {private} of them users' own, which only their owners can change"
        ));
    } else {
        message
            .push_str(". Remove it from those sequences, or delete with remove_from_presets=true");
    }
    message.push('.');
    Err(ApiError::InUse {
        message,
        sequences: presets,
        private_sequences: private,
    })
}

/// Deletes a pose no sequence uses; otherwise returns the sequences using it.
async fn try_delete_pose(
    state: &AppState,
    actor: i64,
    current: &yogaflow_core::catalog::Pose,
) -> Result<Vec<yogaflow_store::SequenceUse>, ApiError> {
    let base_version = state.db.history_head(ContentKind::Pose, current.id).await?;
    let before = to_text(&pose_write(&current.draft))?;
    let change = ContentChange {
        actor,
        action: ContentAction::Delete,
        base_version,
        before: Some(&before),
        after: None,
        now: state.clock.now(),
    };
    match state.db.admin_delete_pose(current.id, &change).await? {
        AdminWrite::InUse(uses) => Ok(uses),
        other => {
            written(other, pose_not_found(current.id))?;
            Ok(Vec::new())
        }
    }
}

/// A stored preset as the draft that would store it again.
fn as_draft(seq: &Sequence) -> SequenceDraft {
    SequenceDraft {
        slug: seq.slug.clone(),
        name: seq.name.clone(),
        description: seq.description.clone(),
        difficulty: seq.difficulty,
        focus_area: seq.focus_area,
        style: seq.style,
        duration_minutes: seq.duration_minutes,
        transition_seconds: seq.transition_seconds,
        is_preset: true,
        owner_id: None,
        slots: seq
            .slots
            .iter()
            .map(|s| yogaflow_core::catalog::SlotDraft {
                pose_id: s.pose_id,
                seconds: s.seconds,
                side: s.side,
                note: s.note.clone(),
            })
            .collect(),
    }
}

async fn preset_draft(
    state: &AppState,
    admin: i64,
    body: SequenceWrite,
    slug: String,
) -> Result<SequenceDraft, ApiError> {
    let mut d = sequence_draft(state, admin, body).await?;
    d.owner_id = None;
    d.is_preset = true;
    d.slug = Some(slug);
    Ok(d)
}

async fn current_preset(state: &AppState, id: i64) -> Result<Option<Sequence>, ApiError> {
    Ok(state.db.get_sequence(id).await?.filter(|s| s.is_preset))
}

/// Create a preset sequence (admins only); the same rules as users' sequences.
#[utoipa::path(post, path = "/api/v1/admin/sequences", tag = "admin", security(("bearer" = [])), request_body = SequenceWrite,
    responses((status = 201, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Each broken rule, by field: blank name, fewer than 3 poses, unknown pose ids, repeated positions…")))]
pub async fn create_sequence(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<SequenceWrite>,
) -> Result<(StatusCode, Json<SequenceResponse>), ApiError> {
    let slug = sequence_slug(&state, &body.name, None).await?;
    let draft = preset_draft(&state, admin.user.id, body, slug).await?;
    let after = to_text(&sequence_snapshot(&as_sequence(&draft)))?;
    let mut change = pending(admin.user.id, &state);
    change.after = Some(&after);
    let id = written(
        state
            .db
            .admin_insert_sequence(None, &draft, &change)
            .await?,
        ApiError::not_found(),
    )?;
    Ok((StatusCode::CREATED, sequence_answer(&state, id).await?))
}

/// A draft as the stored sequence it becomes, for its history snapshot.
fn as_sequence(d: &SequenceDraft) -> Sequence {
    Sequence {
        id: 0,
        slug: d.slug.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        difficulty: d.difficulty,
        focus_area: d.focus_area,
        style: d.style,
        duration_minutes: d.duration_minutes,
        transition_seconds: d.transition_seconds,
        is_preset: true,
        owner_id: None,
        slots: d
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| yogaflow_core::catalog::SequenceSlot {
                id: 0,
                position: u32::try_from(i + 1).unwrap_or(u32::MAX),
                pose_id: s.pose_id,
                seconds: s.seconds,
                side: s.side,
                note: s.note.clone(),
            })
            .collect(),
        created_at: time::OffsetDateTime::UNIX_EPOCH,
        updated_at: time::OffsetDateTime::UNIX_EPOCH,
    }
}

fn pending<'a>(actor: i64, state: &AppState) -> ContentChange<'a> {
    ContentChange {
        actor,
        action: ContentAction::Create,
        base_version: 0,
        before: None,
        after: None,
        now: state.clock.now(),
    }
}

/// Replace a preset sequence (admins only); users' own sequences are not theirs to edit.
#[utoipa::path(put, path = "/api/v1/admin/sequences/{sequence_id}", tag = "admin", security(("bearer" = [])), request_body = SequenceWrite,
    params(("sequence_id" = i64, Path)),
    responses((status = 200, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace_sequence(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<SequenceWrite>,
) -> Result<Json<SequenceResponse>, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let base_version = state.db.history_head(ContentKind::Sequence, id).await?;
    let current = current_preset(&state, id)
        .await?
        .ok_or_else(|| sequence_not_found(id))?;
    let slug = current.slug.clone().unwrap_or_default();
    let draft = preset_draft(&state, admin.user.id, body, slug).await?;
    write_sequence(
        &state,
        admin.user.id,
        id,
        &current,
        &draft,
        base_version,
        ContentAction::Update,
    )
    .await?;
    sequence_answer(&state, id).await
}

/// Replaces a stored preset and records before and after.
async fn write_sequence(
    state: &AppState,
    actor: i64,
    id: i64,
    current: &Sequence,
    draft: &SequenceDraft,
    base_version: i64,
    action: ContentAction,
) -> Result<(), ApiError> {
    let before = to_text(&sequence_snapshot(current))?;
    let next = as_sequence(draft);
    let after = to_text(&sequence_snapshot(&next))?;
    let change = ContentChange {
        actor,
        action,
        base_version,
        before: Some(&before),
        after: Some(&after),
        now: state.clock.now(),
    };
    written(
        state.db.admin_update_sequence(id, draft, &change).await?,
        sequence_not_found(id),
    )?;
    Ok(())
}

/// Delete a preset sequence (admins only). Sessions practised with it stay in
/// their owners' history.
#[utoipa::path(delete, path = "/api/v1/admin/sequences/{sequence_id}", tag = "admin", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete_sequence(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let base_version = state.db.history_head(ContentKind::Sequence, id).await?;
    let current = current_preset(&state, id)
        .await?
        .ok_or_else(|| sequence_not_found(id))?;
    let before = to_text(&sequence_snapshot(&current))?;
    let change = ContentChange {
        actor: admin.user.id,
        action: ContentAction::Delete,
        base_version,
        before: Some(&before),
        after: None,
        now: state.clock.now(),
    };
    written(
        state.db.admin_delete_sequence(id, &change).await?,
        sequence_not_found(id),
    )?;
    state.catalog.refresh(&state.db).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn parse_json(text: Option<&String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(t).ok())
}

fn changed_fields(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(|v| v.as_object()).unwrap_or(&empty);
    let a = after.and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut keys: Vec<String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| b.get(*k) != a.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn history_body(kind: ContentKind, id: i64, entries: Vec<HistoryEntry>) -> HistoryResponse {
    HistoryResponse {
        kind: kind.to_string(),
        target_id: id,
        versions: entries
            .into_iter()
            .map(|e| {
                let before = parse_json(e.before_json.as_ref());
                let after = parse_json(e.after_json.as_ref());
                HistoryVersion {
                    version: e.version,
                    action: e.action.to_string(),
                    actor_user_id: e.actor_user_id,
                    actor_email: e.actor_email,
                    created_at: timestamp(e.created_at),
                    changed_fields: changed_fields(before.as_ref(), after.as_ref()),
                    before,
                    after,
                }
            })
            .collect(),
    }
}

/// A pose as an admin edits it: the write shape (with its figure description)
/// and the history version it is at.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPose {
    pub pose_id: i64,
    /// The newest history version (0 before any admin change).
    pub version: i64,
    /// The whole record, ready to change and send back with PUT.
    pub record: PoseWrite,
}

/// A pose in the write shape, figure description included (admins only).
#[utoipa::path(get, path = "/api/v1/admin/poses/{pose_id}", tag = "admin", security(("bearer" = [])),
    params(("pose_id" = i64, Path)),
    responses((status = 200, body = AdminPose), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn admin_pose(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(raw): Path<String>,
) -> Result<Json<AdminPose>, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let version = state.db.history_head(ContentKind::Pose, id).await?;
    let pose = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(|| pose_not_found(id))?;
    Ok(Json(AdminPose {
        pose_id: id,
        version,
        record: pose_write(&pose.draft),
    }))
}

/// Every version of a pose, newest first (admins only); kept after a deletion.
#[utoipa::path(get, path = "/api/v1/admin/poses/{pose_id}/history", tag = "admin", security(("bearer" = [])),
    params(("pose_id" = i64, Path)),
    responses((status = 200, body = HistoryResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pose_history(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(raw): Path<String>,
) -> Result<Json<HistoryResponse>, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let entries = state.db.content_history(ContentKind::Pose, id).await?;
    if entries.is_empty() && state.db.get_pose(id).await?.is_none() {
        return Err(pose_not_found(id));
    }
    Ok(Json(history_body(ContentKind::Pose, id, entries)))
}

/// Every version of a preset sequence, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/sequences/{sequence_id}/history", tag = "admin", security(("bearer" = [])),
    params(("sequence_id" = i64, Path)),
    responses((status = 200, body = HistoryResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sequence_history(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(raw): Path<String>,
) -> Result<Json<HistoryResponse>, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let entries = state.db.content_history(ContentKind::Sequence, id).await?;
    if entries.is_empty() && current_preset(&state, id).await?.is_none() {
        return Err(sequence_not_found(id));
    }
    Ok(Json(history_body(ContentKind::Sequence, id, entries)))
}

/// The record a version left behind: its `after`, or for a deletion its `before`.
fn version_state(entry: &HistoryEntry) -> Result<serde_json::Value, ApiError> {
    parse_json(entry.after_json.as_ref().or(entry.before_json.as_ref()))
        .ok_or_else(|| ApiError::Internal("history version holds no record".into()))
}

fn version_not_found(version: i64) -> ApiError {
    ApiError::NotFound {
        code: "version_not_found",
        message: format!("Version {version} not found"),
    }
}

/// Restore a pose to an earlier version (admins only). Writes a new version;
/// a deleted pose comes back under its old id. The version must still pass
/// today's rules.
#[utoipa::path(post, path = "/api/v1/admin/poses/{pose_id}/history/{version}/restore", tag = "admin", security(("bearer" = [])),
    params(("pose_id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = PoseResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn restore_pose(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((raw, raw_version)): Path<(String, String)>,
) -> Result<Json<PoseResponse>, ApiError> {
    let id = path_id(&raw, "pose_id")?;
    let version = path_id(&raw_version, "version")?;
    let base_version = state.db.history_head(ContentKind::Pose, id).await?;
    let entry = state
        .db
        .history_version(ContentKind::Pose, id, version)
        .await?
        .ok_or_else(|| version_not_found(version))?;
    let write: PoseWrite = serde_json::from_value(version_state(&entry)?)
        .map_err(|e| ApiError::Internal(format!("stored version: {e}")))?;
    let current = state.db.get_pose(id).await?;
    let slug = pose_slug(
        &state,
        write.slug.as_deref(),
        None,
        &write.name_english,
        Some(id),
    )
    .await?;
    // Versions written before figures were kept with poses hold none: the
    // current figure stays then.
    let draft = pose_draft(
        write,
        slug,
        current.as_ref().and_then(|p| p.v1_id),
        current.as_ref().and_then(|p| p.figure.as_deref()),
    )?;
    let before = current
        .as_ref()
        .map(|p| to_text(&pose_write(&p.draft)))
        .transpose()?;
    let after = to_text(&pose_write(&draft))?;
    let change = ContentChange {
        actor: admin.user.id,
        action: ContentAction::Restore,
        base_version,
        before: before.as_deref(),
        after: Some(&after),
        now: state.clock.now(),
    };
    let outcome = if current.is_some() {
        state.db.admin_update_pose(id, &draft, &change).await?
    } else {
        state
            .db
            .admin_insert_pose(Some(id), &draft, &change)
            .await?
    };
    written(outcome, pose_not_found(id))?;
    pose_answer(&state, id).await
}

/// Restore a preset sequence to an earlier version (admins only). Poses it
/// names must still exist; a deleted preset comes back under its old id.
#[utoipa::path(post, path = "/api/v1/admin/sequences/{sequence_id}/history/{version}/restore", tag = "admin", security(("bearer" = [])),
    params(("sequence_id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = SequenceResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn restore_sequence(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((raw, raw_version)): Path<(String, String)>,
) -> Result<Json<SequenceResponse>, ApiError> {
    let id = path_id(&raw, "sequence_id")?;
    let version = path_id(&raw_version, "version")?;
    let base_version = state.db.history_head(ContentKind::Sequence, id).await?;
    let entry = state
        .db
        .history_version(ContentKind::Sequence, id, version)
        .await?
        .ok_or_else(|| version_not_found(version))?;
    let mut snapshot = version_state(&entry)?;
    let slug = snapshot
        .as_object_mut()
        .and_then(|m| m.remove("slug"))
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let write: SequenceWrite = serde_json::from_value(snapshot)
        .map_err(|e| ApiError::Internal(format!("stored version: {e}")))?;
    let slug = sequence_slug(&state, &slug, Some(id)).await?;
    let draft = preset_draft(&state, admin.user.id, write, slug).await?;
    match current_preset(&state, id).await? {
        Some(current) => {
            write_sequence(
                &state,
                admin.user.id,
                id,
                &current,
                &draft,
                base_version,
                ContentAction::Restore,
            )
            .await?;
        }
        None => {
            if state.db.get_sequence(id).await?.is_some() {
                // The id now belongs to a user's own sequence.
                return Err(conflict());
            }
            let after = to_text(&sequence_snapshot(&as_sequence(&draft)))?;
            let mut change = pending(admin.user.id, &state);
            change.action = ContentAction::Restore;
            change.base_version = base_version;
            change.after = Some(&after);
            written(
                state
                    .db
                    .admin_insert_sequence(Some(id), &draft, &change)
                    .await?,
                sequence_not_found(id),
            )?;
        }
    }
    sequence_answer(&state, id).await
}
