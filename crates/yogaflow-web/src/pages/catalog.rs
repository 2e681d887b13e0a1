//! The public library: home, pose list and detail, sequence list and detail.
//! Filters are plain GET forms, so browsing works without JavaScript;
//! `library.js` only makes them live.

use super::chrome::Chrome;
use super::error::{PageError, cached_html, render, render_keep};
use super::figure;
use super::view::{PoseCard, SequenceCard, label, minutes_text, seconds_text};
use super::viewer::Viewer;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use yogaflow_core::catalog::related::related;
use yogaflow_core::catalog::{
    Category, Difficulty, FocusArea, Pose, PoseQuery, SequenceQuery, Style, TargetArea,
};
use yogaflow_store::FavoriteKind;

const PAGE_SIZE: &str = "24";
const USED_IN_SHOWN: usize = 8;

/// A form sends every field, empty or not; an empty field means "any".
fn filled(q: &QueryPairs) -> Vec<(String, String)> {
    q.pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .cloned()
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// One `<option>` of a filter select.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

fn choices(all: impl Iterator<Item = &'static str>, current: &str) -> Vec<Choice> {
    all.map(|v| Choice {
        value: v,
        label: label(v),
        selected: v == current,
    })
    .collect()
}

/// Where a list of results stands, with links to the pages either side that
/// keep the filters.
pub struct Pager {
    pub total: u64,
    pub page: u32,
    pub total_pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    fn new(pairs: &[(String, String)], total: u64, page: u32, total_pages: u64) -> Self {
        let link = |to: u32| {
            let mut kept: Vec<(&str, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            kept.push(("page", to.to_string()));
            format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
        };
        Pager {
            total,
            page,
            total_pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (u64::from(page) < total_pages).then(|| link(page + 1)),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    hero: String,
    starters: Vec<SequenceCard>,
    categories: Vec<Choice>,
    pose_count: usize,
}

pub async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let poses = state.catalog.poses(&state.db).await?;
    let hero = poses
        .iter()
        .find(|p| p.slug == "tree-pose")
        .or(poses.first())
        .and_then(|p| figure::svg(&state, p, false))
        .unwrap_or_default();
    let q = SequenceQuery::parse(&[
        ("difficulty".into(), "beginner".into()),
        ("preset_only".into(), "true".into()),
        ("page_size".into(), "3".into()),
    ])?;
    let starters = state
        .db
        .list_sequences(&q, None)
        .await?
        .items
        .iter()
        .map(SequenceCard::from)
        .collect();
    render(&HomePage {
        chrome: Chrome::new("Practise yoga at home", "home", viewer.auth.as_ref())
            .here(&viewer.here),
        hero,
        starters,
        categories: choices(Category::ALL.iter().map(|c| c.as_str()), ""),
        pose_count: poses.len(),
    })
}

#[derive(Template)]
#[template(path = "poses.html")]
struct PosesPage {
    chrome: Chrome,
    search: String,
    categories: Vec<Choice>,
    levels: Vec<Choice>,
    areas: Vec<Choice>,
    cards: Vec<PoseCard>,
    pager: Pager,
}

pub async fn poses(
    State(state): State<AppState>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let key = viewer
        .auth
        .is_none()
        .then(|| format!("page:/poses?{}", query.raw));
    if let Some(hit) = key.as_deref().and_then(|k| cached_html(&state, k)) {
        return Ok(hit);
    }
    let mut pairs = filled(&query);
    pairs.retain(|(k, _)| {
        matches!(
            k.as_str(),
            "search" | "category" | "difficulty" | "target_area" | "page"
        )
    });
    let mut with_size = pairs.clone();
    with_size.push(("page_size".into(), PAGE_SIZE.into()));
    let q = PoseQuery::parse(&with_size)?;
    let (found, total) = state.db.list_poses(&q).await?;
    let (page, _, total_pages) = q.page.report(total);
    let cards = found.iter().map(|p| PoseCard::new(&state, p)).collect();
    render_keep(
        &state,
        key,
        &PosesPage {
            chrome: Chrome::new("Pose library", "poses", viewer.auth.as_ref())
                .here(&viewer.here)
                .script("library.js"),
            search: value(&pairs, "search").to_owned(),
            categories: choices(
                Category::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "category"),
            ),
            levels: choices(
                Difficulty::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "difficulty"),
            ),
            areas: choices(
                TargetArea::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "target_area"),
            ),
            cards,
            pager: Pager::new(&pairs, total, page, total_pages),
        },
    )
}

pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "pose.html")]
struct PosePage {
    chrome: Chrome,
    pose: Pose,
    category: String,
    level: String,
    hold: String,
    areas: Vec<String>,
    props: Vec<String>,
    svg: String,
    left: bool,
    similar: Vec<PoseCard>,
    progressions: Vec<PoseCard>,
    used_in: Vec<Named>,
    more_sequences: usize,
    favorite: Option<bool>,
    fav_action: String,
}

pub async fn pose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let id = path_id(&raw, "pose_id").map_err(|_| PageError::not_found())?;
    let key = viewer
        .auth
        .is_none()
        .then(|| format!("page:/poses/{id}?{}", query.raw));
    if let Some(hit) = key.as_deref().and_then(|k| cached_html(&state, k)) {
        return Ok(hit);
    }
    let all = state.catalog.poses(&state.db).await?;
    let pose = all
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(PageError::not_found)?;
    let left = pose.sided && value(&query.pairs, "side") == "left";
    let r = related(pose, &all);
    let mut used_in: Vec<Named> = state
        .db
        .presets_using_pose(id)
        .await?
        .into_iter()
        .map(|(id, name)| Named { id, name })
        .collect();
    // A resting pose closes nearly every sequence; a short list reads better.
    let more_sequences = used_in.len().saturating_sub(USED_IN_SHOWN);
    used_in.truncate(USED_IN_SHOWN);
    let favorite = match &viewer.auth {
        Some(a) => Some(
            state
                .db
                .favorites(a.user.id, FavoriteKind::Pose)
                .await?
                .contains(&id),
        ),
        None => None,
    };
    render_keep(
        &state,
        key,
        &PosePage {
            chrome: Chrome::new(pose.english_name.clone(), "poses", viewer.auth.as_ref())
                .here(&viewer.here),
            category: label(pose.category.as_str()),
            level: label(pose.difficulty.as_str()),
            hold: match pose.hold.unit {
                yogaflow_core::catalog::HoldUnit::Seconds => seconds_text(pose.hold.value),
                yogaflow_core::catalog::HoldUnit::Breaths => format!("{} breaths", pose.hold.value),
            },
            areas: pose
                .target_areas
                .iter()
                .map(|a| label(a.as_str()))
                .collect(),
            props: pose.props.iter().map(|a| label(a.as_str())).collect(),
            svg: figure::svg(&state, pose, left).unwrap_or_default(),
            left,
            similar: r.similar.iter().map(|p| PoseCard::new(&state, p)).collect(),
            progressions: r
                .progressions
                .iter()
                .map(|p| PoseCard::new(&state, p))
                .collect(),
            used_in,
            more_sequences,
            favorite,
            fav_action: format!("/poses/{id}/favorite"),
            pose: pose.clone(),
        },
    )
}

#[derive(Template)]
#[template(path = "sequences.html")]
struct SequencesPage {
    chrome: Chrome,
    search: String,
    levels: Vec<Choice>,
    focuses: Vec<Choice>,
    styles: Vec<Choice>,
    lengths: Vec<Choice>,
    cards: Vec<SequenceCard>,
    pager: Pager,
}

/// Length buckets offered by the filter: value, minimum, maximum minutes.
const LENGTHS: [(&str, &str, &str); 4] = [
    ("short", "1", "15"),
    ("medium", "16", "30"),
    ("long", "31", "45"),
    ("extended", "46", "999"),
];

pub async fn sequences(
    State(state): State<AppState>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let key = viewer
        .auth
        .is_none()
        .then(|| format!("page:/sequences?{}", query.raw));
    if let Some(hit) = key.as_deref().and_then(|k| cached_html(&state, k)) {
        return Ok(hit);
    }
    let mut pairs = filled(&query);
    pairs.retain(|(k, _)| {
        matches!(
            k.as_str(),
            "search" | "difficulty" | "focus_area" | "style" | "length" | "page"
        )
    });
    let mut parsed: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "length")
        .cloned()
        .collect();
    let length = value(&pairs, "length");
    if let Some((_, min, max)) = LENGTHS.iter().find(|(v, _, _)| *v == length) {
        parsed.push(("min_duration".into(), (*min).into()));
        parsed.push(("max_duration".into(), (*max).into()));
    }
    parsed.push(("preset_only".into(), "true".into()));
    parsed.push(("page_size".into(), PAGE_SIZE.into()));
    let q = SequenceQuery::parse(&parsed)?;
    let found = state.db.list_sequences(&q, None).await?;
    let (page, _, total_pages) = q.page.report(found.total);
    render_keep(
        &state,
        key,
        &SequencesPage {
            chrome: Chrome::new("Guided sequences", "sequences", viewer.auth.as_ref())
                .here(&viewer.here)
                .script("library.js"),
            search: value(&pairs, "search").to_owned(),
            levels: choices(
                Difficulty::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "difficulty"),
            ),
            focuses: choices(
                FocusArea::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "focus_area"),
            ),
            styles: choices(
                Style::ALL.iter().map(|c| c.as_str()),
                value(&pairs, "style"),
            ),
            lengths: LENGTHS
                .iter()
                .zip([
                    "Up to 15 minutes",
                    "16 to 30 minutes",
                    "31 to 45 minutes",
                    "Over 45 minutes",
                ])
                .map(|((v, _, _), l)| Choice {
                    value: v,
                    label: l.to_owned(),
                    selected: *v == length,
                })
                .collect(),
            cards: found.items.iter().map(SequenceCard::from).collect(),
            pager: Pager::new(&pairs, found.total, page, total_pages),
        },
    )
}

/// One pose in a sequence's running order.
pub struct SlotView {
    pub pose_id: i64,
    pub name: String,
    pub sanskrit: String,
    pub side: String,
    pub time: String,
    pub note: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "sequence.html")]
struct SequencePage {
    chrome: Chrome,
    card: SequenceCard,
    slots: Vec<SlotView>,
    total_time: String,
    favorite: Option<bool>,
    fav_action: String,
    /// Set when the page was opened from a share link.
    shared: bool,
    practise_url: String,
}

/// The running order of a sequence, with figures facing the slot's side.
pub async fn slot_views(
    state: &AppState,
    seq: &yogaflow_core::catalog::Sequence,
) -> Result<(Vec<SlotView>, u32), PageError> {
    let all = state.catalog.poses(&state.db).await?;
    let mut total = 0;
    let mut out = Vec::with_capacity(seq.slots.len());
    for s in &seq.slots {
        let Some(p) = all.iter().find(|p| p.id == s.pose_id) else {
            continue;
        };
        total += s.seconds + seq.transition_seconds;
        let left = s.side.is_some_and(|side| side.as_str() == "left");
        out.push(SlotView {
            pose_id: p.id,
            name: p.english_name.clone(),
            sanskrit: p.sanskrit_iast.clone(),
            side: s.side.map(|x| label(x.as_str())).unwrap_or_default(),
            time: seconds_text(s.seconds),
            note: s.note.clone(),
            svg: figure::svg(state, p, left).unwrap_or_default(),
        });
    }
    Ok((out, total))
}

pub async fn sequence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&raw, "sequence_id").map_err(|_| PageError::not_found())?;
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .ok_or_else(PageError::not_found)?;
    // Someone else's own sequence is only reachable through its share link.
    let mine = viewer
        .auth
        .as_ref()
        .is_some_and(|a| seq.owner_id == Some(a.user.id));
    if !seq.is_preset && !mine {
        return Err(PageError::not_found());
    }
    let (slots, total) = slot_views(&state, &seq).await?;
    let favorite = match &viewer.auth {
        Some(a) => Some(
            state
                .db
                .favorites(a.user.id, FavoriteKind::Sequence)
                .await?
                .contains(&id),
        ),
        None => None,
    };
    let hold: u32 = seq.slots.iter().map(|s| s.seconds).sum();
    render(&SequencePage {
        chrome: Chrome::new(
            seq.name.clone(),
            if mine { "mine" } else { "sequences" },
            viewer.auth.as_ref(),
        )
        .here(&viewer.here),
        card: SequenceCard::from(&(
            seq.clone(),
            u32::try_from(seq.slots.len()).unwrap_or(0),
            hold,
        )),
        slots,
        total_time: minutes_text(total),
        favorite,
        fav_action: format!("/sequences/{id}/favorite"),
        shared: false,
        practise_url: format!("/practice/{id}"),
    })
}

/// A shared sequence opens for anyone holding the link, account or not.
pub async fn shared(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    if token.len() > 100 {
        return Err(PageError::not_found());
    }
    let seq = state
        .db
        .shared_sequence(&crate::auth::secrets::digest(&token))
        .await?
        .ok_or_else(PageError::not_found)?;
    let (slots, total) = slot_views(&state, &seq).await?;
    let hold: u32 = seq.slots.iter().map(|s| s.seconds).sum();
    render(&SequencePage {
        chrome: Chrome::new(seq.name.clone(), "sequences", viewer.auth.as_ref()).here(&viewer.here),
        card: SequenceCard::from(&(
            seq.clone(),
            u32::try_from(seq.slots.len()).unwrap_or(0),
            hold,
        )),
        slots,
        total_time: minutes_text(total),
        favorite: None,
        fav_action: String::new(),
        shared: true,
        practise_url: format!("/practice/shared/{token}"),
    })
}
