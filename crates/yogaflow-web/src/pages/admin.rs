//! The admin pages: find a pose, edit every field, see its version history and
//! restore an earlier version, and upload images. Each form posts back here and
//! calls the admin API's own handlers, so the rules (validation, history in the
//! same transaction, "edited meanwhile") are the API's.

use super::catalog::Choice;
use super::chrome::Chrome;
use super::error::{PageError, render};
use super::form::Form;
use super::form_errors::FormErrors;
use super::view::label;
use super::viewer::SignedIn;
use crate::api::admin::{self, HoldWrite, PoseWrite};
use crate::auth::extract::{AdminUser, JsonBody};
use crate::error::ApiError;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yogaflow_core::accounts::Role;
use yogaflow_core::catalog::{Category, Difficulty, Pose, PoseQuery, Prop, TargetArea};

/// An admin looking at an admin page; anyone else gets the 403 page (or is
/// sent to sign in first).
pub(super) struct Admin(pub(super) SignedIn);

impl Admin {
    pub(super) fn check(user: SignedIn) -> Result<Admin, PageError> {
        if user.auth.user.role == Role::Admin {
            Ok(Admin(user))
        } else {
            Err(ApiError::Forbidden {
                code: "admin_only",
                message: "Only admins can change the library.".into(),
            }
            .into())
        }
    }
}

pub struct PoseRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub level: String,
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    chrome: Chrome,
    search: String,
    rows: Vec<PoseRow>,
    total: u64,
    presets: Vec<PoseRow>,
}

pub async fn index(
    State(state): State<AppState>,
    user: SignedIn,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let search = query
        .pairs
        .iter()
        .find(|(k, v)| k == "search" && !v.trim().is_empty())
        .map(|(_, v)| v.clone());
    let mut pairs = vec![("page_size".to_owned(), "100".to_owned())];
    if let Some(s) = &search {
        pairs.push(("search".into(), s.clone()));
    }
    let q = PoseQuery::parse(&pairs)?;
    let (poses, total) = state.db.list_poses(&q).await?;
    let mut presets = Vec::new();
    let mut page = 1;
    loop {
        let sq = yogaflow_core::catalog::SequenceQuery::parse(&[
            ("preset_only".into(), "true".into()),
            ("page_size".into(), "100".into()),
            ("page".into(), page.to_string()),
        ])?;
        let found = state.db.list_sequences(&sq, None).await?;
        let n = found.items.len();
        presets.extend(found.items.iter().map(|(s, _, _)| PoseRow {
            id: s.id,
            name: s.name.clone(),
            category: label(s.focus_area.as_str()),
            level: label(s.difficulty.as_str()),
        }));
        if n < 100 {
            break;
        }
        page += 1;
    }
    render(&IndexPage {
        chrome: Chrome::new("Library admin", "admin", Some(&user.auth)).here(&user.here),
        search: search.unwrap_or_default(),
        rows: poses
            .iter()
            .map(|p| PoseRow {
                id: p.id,
                name: p.english_name.clone(),
                category: label(p.category.as_str()),
                level: label(p.difficulty.as_str()),
            })
            .collect(),
        total,
        presets,
    })
}

/// History entries as the pages list them, newest first.
fn versions(history: admin::HistoryResponse) -> Vec<Version> {
    history
        .versions
        .into_iter()
        .map(|v| Version {
            restorable: v.before.is_some(),
            version: v.version,
            action: label(&v.action),
            who: v.actor_email.unwrap_or_else(|| "a former admin".into()),
            when: v
                .created_at
                .get(..16)
                .unwrap_or(&v.created_at)
                .replace('T', " "),
            changed: v.changed_fields.join(", "),
        })
        .collect()
}

pub struct Version {
    pub version: i64,
    pub action: String,
    pub who: String,
    pub when: String,
    pub changed: String,
    pub restorable: bool,
}

/// The form's values, as typed (lists one item per line; the target areas and
/// props arrive as repeated checkbox fields).
#[derive(Default)]
pub struct PoseForm {
    name_english: String,
    name_sanskrit: String,
    name_sanskrit_ascii: String,
    category: String,
    difficulty_level: String,
    sided: Option<String>,
    hold_value: String,
    hold_unit: String,
    target_areas: Vec<String>,
    props: Vec<String>,
    breath_cue: String,
    description: String,
    instructions: String,
    benefits: String,
    contraindications: String,
    modifications: String,
    common_mistakes: String,
    safety_note: String,
    image_urls: String,
    /// `None` when the form had no figure field at all (then the figure stays).
    figure: Option<String>,
}

impl PoseForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = PoseForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name_english" => f.name_english = v,
                "name_sanskrit" => f.name_sanskrit = v,
                "name_sanskrit_ascii" => f.name_sanskrit_ascii = v,
                "category" => f.category = v,
                "difficulty_level" => f.difficulty_level = v,
                "sided" => f.sided = Some(v),
                "hold_value" => f.hold_value = v,
                "hold_unit" => f.hold_unit = v,
                "target_areas" => f.target_areas.push(v),
                "props" => f.props.push(v),
                "breath_cue" => f.breath_cue = v,
                "description" => f.description = v,
                "instructions" => f.instructions = v,
                "benefits" => f.benefits = v,
                "contraindications" => f.contraindications = v,
                "modifications" => f.modifications = v,
                "common_mistakes" => f.common_mistakes = v,
                "safety_note" => f.safety_note = v,
                "image_urls" => f.image_urls = v,
                "figure" => f.figure = Some(v),
                _ => {}
            }
        }
        f
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PoseForm {
    fn from_pose(p: &Pose) -> Self {
        PoseForm {
            name_english: p.english_name.clone(),
            name_sanskrit: p.sanskrit_iast.clone(),
            name_sanskrit_ascii: p.sanskrit_ascii.clone(),
            category: p.category.as_str().into(),
            difficulty_level: p.difficulty.as_str().into(),
            sided: p.sided.then(|| "on".into()),
            hold_value: p.hold.value.to_string(),
            hold_unit: p.hold.unit.as_str().into(),
            target_areas: p.target_areas.iter().map(|a| a.as_str().into()).collect(),
            props: p.props.iter().map(|a| a.as_str().into()).collect(),
            breath_cue: p.breath_cue.clone(),
            description: p.description.clone(),
            instructions: p.instructions.join("\n"),
            benefits: p.benefits.join("\n"),
            contraindications: p.contraindications.join("\n"),
            modifications: p.modifications.join("\n"),
            common_mistakes: p.common_mistakes.join("\n"),
            safety_note: p.safety_note.clone(),
            image_urls: p.image_urls.join("\n"),
            figure: Some(p.figure.clone().unwrap_or_default()),
        }
    }

    /// The API's write shape. A hold that is not a number becomes 0, which the
    /// API refuses with a named field error.
    fn to_write(&self) -> PoseWrite {
        PoseWrite {
            slug: None,
            name_english: self.name_english.trim().to_owned(),
            name_sanskrit: optional(&self.name_sanskrit),
            name_sanskrit_ascii: optional(&self.name_sanskrit_ascii),
            category: self.category.clone(),
            difficulty_level: self.difficulty_level.clone(),
            sided: self.sided.is_some(),
            hold: Some(HoldWrite {
                value: self.hold_value.trim().parse().unwrap_or(0),
                unit: if self.hold_unit.is_empty() {
                    "seconds".into()
                } else {
                    self.hold_unit.clone()
                },
            }),
            target_areas: self.target_areas.clone(),
            props: self.props.clone(),
            breath_cue: optional(&self.breath_cue),
            description: self.description.trim().to_owned(),
            instructions: lines(&self.instructions),
            benefits: lines(&self.benefits),
            contraindications: lines(&self.contraindications),
            modifications: lines(&self.modifications),
            common_mistakes: lines(&self.common_mistakes),
            safety_note: optional(&self.safety_note),
            image_urls: lines(&self.image_urls),
            // An emptied box removes the figure; the API keeps it only when the
            // field is left out altogether.
            figure: self.figure.as_ref().map(|t| t.replace("\r\n", "\n")),
        }
    }
}

fn choices(all: impl Iterator<Item = &'static str>, picked: &[String]) -> Vec<Choice> {
    all.map(|v| Choice {
        value: v,
        label: label(v),
        selected: picked.iter().any(|p| p == v),
    })
    .collect()
}

#[derive(Template)]
#[template(path = "admin_pose.html")]
struct PosePage {
    chrome: Chrome,
    id: i64,
    f: PoseForm,
    categories: Vec<Choice>,
    levels: Vec<Choice>,
    areas: Vec<Choice>,
    props: Vec<Choice>,
    /// The figure drawn from the description in the form (so a refused save still
    /// shows what was typed); `None` when there is none or it does not read, which
    /// the form's field error explains. `admin.js` redraws it on each edit.
    figure: Option<crate::api::figure_preview::PreviewResponse>,
    errors: FormErrors,
    saved: Option<&'static str>,
    versions: Vec<Version>,
}

async fn pose_page(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    f: PoseForm,
    errors: FormErrors,
    saved: Option<&'static str>,
) -> Result<PosePage, PageError> {
    let pose = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let history = admin::pose_history(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(id.to_string()),
    )
    .await?
    .0;
    let versions = versions(history);
    Ok(PosePage {
        chrome: Chrome::new(
            format!("Edit {}", pose.english_name),
            "admin",
            Some(&user.auth),
        )
        .here(&user.here)
        .script("api.js")
        .script("admin.js"),
        id,
        categories: choices(
            Category::ALL.iter().map(|c| c.as_str()),
            std::slice::from_ref(&f.category),
        ),
        levels: choices(
            Difficulty::ALL.iter().map(|c| c.as_str()),
            std::slice::from_ref(&f.difficulty_level),
        ),
        areas: choices(TargetArea::ALL.iter().map(|c| c.as_str()), &f.target_areas),
        props: choices(Prop::ALL.iter().map(|c| c.as_str()), &f.props),
        figure: f
            .figure
            .as_deref()
            .or(pose.figure.as_deref())
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| crate::api::figure_preview::draw(t, false).ok()),
        f,
        errors,
        saved,
        versions,
    })
}

pub async fn edit_pose(
    State(state): State<AppState>,
    user: SignedIn,
    Path(raw): Path<String>,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let id = path_id(&raw, "pose_id").map_err(|_| PageError::not_found())?;
    let pose = state
        .db
        .get_pose(id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let saved = match query
        .pairs
        .iter()
        .find(|(k, _)| k == "saved")
        .map(|(_, v)| v.as_str())
    {
        Some("pose") => Some("Saved. The public pages show the change now."),
        Some("restored") => Some(
            "Restored. The earlier version is current again, and the history keeps every step.",
        ),
        _ => None,
    };
    let form = PoseForm::from_pose(&pose);
    render(&pose_page(&state, &user, id, form, FormErrors::default(), saved).await?)
}

pub async fn save_pose(
    State(state): State<AppState>,
    user: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let f = PoseForm::from_pairs(pairs);
    let id = path_id(&raw, "pose_id").map_err(|_| PageError::not_found())?;
    let result = admin::replace_pose(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(id.to_string()),
        JsonBody(f.to_write()),
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/poses/{id}?saved=pose")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_api(e)?;
            let mut r = render(&pose_page(&state, &user, id, f, errors, None).await?)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// How to put a record back as it was just before version `v`.
enum Undo {
    /// An earlier version holds that state: restore it (recorded as a restore).
    Restore(i64),
    /// `v` is the first change since the library was loaded: write its
    /// "before" back (recorded as an update).
    WriteBack(serde_json::Value),
}

fn undo(history: &admin::HistoryResponse, v: i64) -> Result<Undo, PageError> {
    let change = history
        .versions
        .iter()
        .find(|x| x.version == v)
        .ok_or_else(PageError::not_found)?;
    let earlier = history
        .versions
        .iter()
        .filter(|x| x.version < v && x.after.is_some())
        .map(|x| x.version)
        .max();
    match (earlier, &change.before) {
        (Some(p), _) => Ok(Undo::Restore(p)),
        (None, Some(before)) => Ok(Undo::WriteBack(before.clone())),
        (None, None) => Err(PageError::not_found()),
    }
}

/// A stored version in its write shape. Versions carry the slug beside the
/// write fields; a replacement without it keeps the record's own slug.
fn stored<T: serde::de::DeserializeOwned>(mut v: serde_json::Value) -> Result<T, PageError> {
    if let Some(map) = v.as_object_mut() {
        map.remove("slug");
    }
    serde_json::from_value(v).map_err(|e| ApiError::Internal(format!("stored version: {e}")).into())
}

/// Undoes one change: the pose goes back to how it was just before version
/// `v`. When an earlier version holds that state it is restored through the
/// API's restore (recorded as a restore); for the first change since the
/// library was loaded, the state before it is written back as an update.
pub async fn restore_pose(
    State(state): State<AppState>,
    user: SignedIn,
    Path((raw, raw_version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let id = path_id(&raw, "pose_id").map_err(|_| PageError::not_found())?;
    let v = path_id(&raw_version, "version").map_err(|_| PageError::not_found())?;
    let history = admin::pose_history(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(id.to_string()),
    )
    .await?
    .0;
    match undo(&history, v)? {
        Undo::Restore(p) => {
            let _restored = admin::restore_pose(
                State(state.clone()),
                AdminUser(user.auth.clone()),
                Path((id.to_string(), p.to_string())),
            )
            .await?;
        }
        Undo::WriteBack(before) => {
            let _restored = admin::replace_pose(
                State(state.clone()),
                AdminUser(user.auth.clone()),
                Path(id.to_string()),
                JsonBody(stored::<PoseWrite>(before)?),
            )
            .await?;
        }
    }
    Ok(Redirect::to(&format!("/admin/poses/{id}?saved=restored")).into_response())
}

pub async fn new_sequence(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    super::builder::builder_page(&state, &user, None, Some(Vec::new())).await
}

/// A preset in the builder, saving through the admin API, with its history.
pub async fn edit_sequence(
    State(state): State<AppState>,
    user: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let id = path_id(&raw, "sequence_id").map_err(|_| PageError::not_found())?;
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .filter(|s| s.is_preset)
        .ok_or_else(PageError::not_found)?;
    let history = admin::sequence_history(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(id.to_string()),
    )
    .await?
    .0;
    super::builder::builder_page(&state, &user, Some(&seq), Some(versions(history))).await
}

/// Undoes one change to a preset, like [`restore_pose`].
pub async fn restore_sequence(
    State(state): State<AppState>,
    user: SignedIn,
    Path((raw, raw_version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let Admin(user) = Admin::check(user)?;
    let id = path_id(&raw, "sequence_id").map_err(|_| PageError::not_found())?;
    let v = path_id(&raw_version, "version").map_err(|_| PageError::not_found())?;
    let history = admin::sequence_history(
        State(state.clone()),
        AdminUser(user.auth.clone()),
        Path(id.to_string()),
    )
    .await?
    .0;
    match undo(&history, v)? {
        Undo::Restore(p) => {
            let _restored = admin::restore_sequence(
                State(state.clone()),
                AdminUser(user.auth.clone()),
                Path((id.to_string(), p.to_string())),
            )
            .await?;
        }
        Undo::WriteBack(before) => {
            let _restored = admin::replace_sequence(
                State(state.clone()),
                AdminUser(user.auth.clone()),
                Path(id.to_string()),
                JsonBody(stored::<crate::api::my_sequences::SequenceWrite>(before)?),
            )
            .await?;
        }
    }
    Ok(Redirect::to(&format!("/admin/sequences/{id}/edit")).into_response())
}
