//! The viewer's own sequences (`/my-sequences`) and the sequence builder
//! (`/my-sequences/new`, `/my-sequences/{id}/edit`).
//!
//! The pages are rendered here; `builder.js` does the editing and calls the
//! JSON API (`POST`/`PUT /api/v1/sequences`, duplicate, share, delete) with the
//! browser's session cookie. The pose library and the sequence being edited
//! travel in a JSON data block.

use super::chrome::Chrome;
use super::error::{PageError, render};
use super::player::data_block;
use super::view::label;
use super::viewer::SignedIn;
use crate::params::path_id;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use yogaflow_core::catalog::sequence::{
    MAX_SLOT_SECONDS, MAX_SLOTS, MAX_TOTAL_SECONDS, MIN_SLOT_SECONDS, MIN_SLOTS,
};
use yogaflow_core::catalog::{Difficulty, FocusArea, Sequence, SequenceQuery, Style};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/my-sequences", get(list))
        .route("/my-sequences/new", get(new))
        .route("/my-sequences/{sequence_id}/edit", get(edit))
}

/// The API's own limits (see `api/my_sequences.rs`), shown as a checklist.
const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 2000;
const TRANSITION_MAX: u32 = 60;
/// Most sequences one list page shows before it stops reading.
const LIST_PAGES: u32 = 20;

/// One of the viewer's sequences in the list.
struct MineCard {
    id: i64,
    name: String,
    description: String,
    level: String,
    focus: String,
    minutes: u32,
    pose_count: u32,
    shared: bool,
}

#[derive(Template)]
#[template(path = "my_sequences.html")]
struct MinePage {
    chrome: Chrome,
    cards: Vec<MineCard>,
    verified: bool,
}

/// Every sequence the viewer owns, by name.
async fn own_sequences(
    state: &AppState,
    owner: i64,
) -> Result<Vec<(Sequence, u32, u32)>, PageError> {
    let mut out = Vec::new();
    for page in 1..=LIST_PAGES {
        let q = SequenceQuery::parse(&[
            ("preset_only".into(), "false".into()),
            ("page_size".into(), "100".into()),
            ("page".into(), page.to_string()),
        ])?;
        let found = state.db.list_sequences(&q, Some(owner)).await?;
        let n = found.items.len();
        out.extend(found.items);
        if n < 100 || out.len() as u64 >= found.total {
            break;
        }
    }
    Ok(out)
}

/// `GET /my-sequences`.
pub async fn list(State(state): State<AppState>, viewer: SignedIn) -> Result<Response, PageError> {
    let owner = viewer.auth.user.id;
    let mut cards = Vec::new();
    for (s, slots, _) in own_sequences(&state, owner).await? {
        cards.push(MineCard {
            id: s.id,
            shared: state.db.is_shared(s.id).await?,
            name: s.name,
            description: s.description,
            level: label(s.difficulty.as_str()),
            focus: label(s.focus_area.as_str()),
            minutes: s.duration_minutes,
            pose_count: slots,
        });
    }
    render(&MinePage {
        chrome: Chrome::new("My sequences", "mine", Some(&viewer.auth))
            .here(&viewer.here)
            .script("api.js")
            .script("builder.js"),
        cards,
        verified: viewer.auth.user.email_verified,
    })
}

/// A pose the builder can add.
#[derive(Serialize)]
struct PoseChoice {
    id: i64,
    name: String,
    sanskrit: String,
    sided: bool,
    hold: u32,
    category: String,
    category_label: String,
}

#[derive(Serialize)]
struct SlotEdit {
    pose_id: i64,
    seconds: u32,
    side: Option<&'static str>,
    note: String,
}

#[derive(Serialize)]
struct SequenceEdit {
    id: i64,
    name: String,
    description: String,
    difficulty_level: &'static str,
    focus_area: &'static str,
    style: &'static str,
    transition_seconds: u32,
    slots: Vec<SlotEdit>,
}

/// The numbers behind the checklist, so the page and the API cannot disagree.
#[derive(Serialize)]
struct Rules {
    name_max: usize,
    description_max: usize,
    min_slots: usize,
    max_slots: usize,
    min_hold: u32,
    max_hold: u32,
    max_total: u32,
    transition_max: u32,
}

#[derive(Serialize)]
struct BuilderData {
    sequence: Option<SequenceEdit>,
    poses: Vec<PoseChoice>,
    rules: Rules,
}

pub struct Opt {
    value: &'static str,
    label: String,
    selected: bool,
}

fn options(all: impl Iterator<Item = &'static str>, current: &str) -> Vec<Opt> {
    all.map(|v| Opt {
        value: v,
        label: label(v),
        selected: v == current,
    })
    .collect()
}

#[derive(Template)]
#[template(path = "builder.html")]
struct BuilderPage {
    chrome: Chrome,
    heading: String,
    id: Option<i64>,
    name: String,
    description: String,
    transition: u32,
    levels: Vec<Opt>,
    focuses: Vec<Opt>,
    styles: Vec<Opt>,
    categories: Vec<Opt>,
    verified: bool,
    data: String,
    /// Set for an admin editing a preset: saves go to the admin API, and the
    /// page lists the preset's history.
    admin: bool,
    versions: Vec<super::admin::Version>,
}

pub async fn builder_page(
    state: &AppState,
    viewer: &SignedIn,
    seq: Option<&Sequence>,
    admin: Option<Vec<super::admin::Version>>,
) -> Result<Response, PageError> {
    let mut poses: Vec<PoseChoice> = state
        .catalog
        .poses(&state.db)
        .await?
        .iter()
        .map(|p| PoseChoice {
            id: p.id,
            name: p.english_name.clone(),
            sanskrit: p.sanskrit_iast.clone(),
            sided: p.sided,
            hold: p.hold.seconds().clamp(MIN_SLOT_SECONDS, MAX_SLOT_SECONDS),
            category: p.category.as_str().to_owned(),
            category_label: label(p.category.as_str()),
        })
        .collect();
    poses.sort_by(|a, b| a.name.cmp(&b.name));
    let categories: Vec<&'static str> = yogaflow_core::catalog::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| poses.iter().any(|p| p.category == *c))
        .collect();
    let edit = seq.map(|s| SequenceEdit {
        id: s.id,
        name: s.name.clone(),
        description: s.description.clone(),
        difficulty_level: s.difficulty.as_str(),
        focus_area: s.focus_area.as_str(),
        style: s.style.as_str(),
        transition_seconds: s.transition_seconds,
        slots: s
            .slots
            .iter()
            .map(|x| SlotEdit {
                pose_id: x.pose_id,
                seconds: x.seconds,
                side: x.side.map(|d| d.as_str()),
                note: x.note.clone(),
            })
            .collect(),
    });
    let data = data_block(&BuilderData {
        sequence: edit,
        poses,
        rules: Rules {
            name_max: NAME_MAX,
            description_max: DESCRIPTION_MAX,
            min_slots: MIN_SLOTS,
            max_slots: MAX_SLOTS,
            min_hold: MIN_SLOT_SECONDS,
            max_hold: MAX_SLOT_SECONDS,
            max_total: MAX_TOTAL_SECONDS,
            transition_max: TRANSITION_MAX,
        },
    })?;
    let heading = match seq {
        Some(s) => format!("Edit “{}”", s.name),
        None => "New sequence".to_owned(),
    };
    render(&BuilderPage {
        chrome: Chrome::new(
            heading.clone(),
            if admin.is_some() { "admin" } else { "mine" },
            Some(&viewer.auth),
        )
        .here(&viewer.here)
        .script("api.js")
        .script("builder.js"),
        heading,
        id: seq.map(|s| s.id),
        name: seq.map(|s| s.name.clone()).unwrap_or_default(),
        description: seq.map(|s| s.description.clone()).unwrap_or_default(),
        transition: seq.map_or(10, |s| s.transition_seconds),
        levels: options(
            Difficulty::ALL.iter().map(|c| c.as_str()),
            seq.map_or("beginner", |s| s.difficulty.as_str()),
        ),
        focuses: options(
            FocusArea::ALL.iter().map(|c| c.as_str()),
            seq.map_or("", |s| s.focus_area.as_str()),
        ),
        styles: options(
            Style::ALL.iter().map(|c| c.as_str()),
            seq.map_or("", |s| s.style.as_str()),
        ),
        categories: options(categories.into_iter(), ""),
        verified: viewer.auth.user.email_verified,
        data,
        admin: admin.is_some(),
        versions: admin.unwrap_or_default(),
    })
}

/// `GET /my-sequences/new`.
pub async fn new(State(state): State<AppState>, viewer: SignedIn) -> Result<Response, PageError> {
    builder_page(&state, &viewer, None, None).await
}

/// `GET /my-sequences/{id}/edit`: only the owner's own sequences; anything
/// else is a 404, as in the API.
pub async fn edit(
    State(state): State<AppState>,
    viewer: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&raw, "sequence_id").map_err(|_| PageError::not_found())?;
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .filter(|s| !s.is_preset && s.owner_id == Some(viewer.auth.user.id))
        .ok_or_else(PageError::not_found)?;
    builder_page(&state, &viewer, Some(&seq), None).await
}
