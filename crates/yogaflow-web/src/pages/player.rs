//! The practice player (`/practice/...`), the breathing guide (`/breathing`)
//! and the meditation timer (`/meditate`).
//!
//! Each page renders its structure in HTML and hands the timings to its script
//! in a `<script type="application/json">` data block, which the browser never
//! executes, so the strict content security policy holds. The scripts record
//! practice through the JSON Practice API with the browser's session cookie.

use super::chrome::Chrome;
use super::error::{PageError, render};
use super::figure;
use super::view::{label, minutes_text, seconds_text};
use super::viewer::Viewer;
use crate::params::{QueryPairs, path_id};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use yogaflow_core::catalog::Sequence;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practice/{sequence_id}", get(practice))
        .route("/practice/shared/{token}", get(practice_shared))
        .route("/breathing", get(breathing_list))
        .route("/breathing/{slug}", get(breathing_guide))
        .route("/meditate", get(meditate))
}

/// The fastest a test may run the timers.
const MAX_SPEED: u32 = 50;

/// How many times faster than real time the timers run: the `speed` query
/// parameter (1–50) for browser tests, honoured everywhere but production.
pub fn speed_factor(environment: &str, raw: Option<&str>) -> u32 {
    if environment.eq_ignore_ascii_case("production") {
        return 1;
    }
    raw.and_then(|r| r.trim().parse::<u32>().ok())
        .filter(|n| (1..=MAX_SPEED).contains(n))
        .unwrap_or(1)
}

fn speed_of(state: &AppState, query: &QueryPairs) -> u32 {
    let raw = query
        .pairs
        .iter()
        .find(|(k, _)| k == "speed")
        .map(|(_, v)| v.as_str());
    speed_factor(&state.config.environment, raw)
}

/// JSON for a `<script type="application/json">` block: nothing in it can close
/// the element or open a comment, whatever the strings contain.
pub fn data_block<T: Serialize>(value: &T) -> Result<String, PageError> {
    let json = serde_json::to_string(value)
        .map_err(|e| PageError::Api(crate::error::ApiError::Internal(e.to_string())))?;
    Ok(json.replace("</", "<\\/").replace("<!--", "<\\u0021--"))
}

/// How the page may record what is practised.
#[derive(Serialize)]
struct Recording {
    /// `sequence`, `free`, `breathing` or `meditation`; absent when not recording.
    kind: Option<&'static str>,
    sequence_id: Option<i64>,
    breathing_slug: Option<String>,
}

impl Recording {
    fn off() -> Self {
        Recording {
            kind: None,
            sequence_id: None,
            breathing_slug: None,
        }
    }
}

/// Why a session will or will not be kept, in words for the page.
fn recording_note(viewer: &Viewer, will_record: bool) -> String {
    match &viewer.auth {
        None => "You are not signed in: practise as long as you like, but this session will not be kept in a history. Sign in to keep a record.".into(),
        Some(a) if !a.user.email_verified => {
            "Confirm your email address to keep a record of your practice. You can practise now; this session will not be saved.".into()
        }
        Some(_) if will_record => "This session will be saved to your history.".into(),
        Some(_) => "This session will not be saved to your history.".into(),
    }
}

fn can_record(viewer: &Viewer) -> bool {
    viewer.auth.as_ref().is_some_and(|a| a.user.email_verified)
}

/// One pose of the running order, as the player script reads it.
#[derive(Serialize)]
pub struct PlayerSlot {
    pub pose_id: i64,
    pub name: String,
    pub sanskrit: String,
    /// `right`, `left` or empty.
    pub side: String,
    pub seconds: u32,
    /// The first few instructions of the pose.
    pub cues: Vec<String>,
    pub breath: String,
    pub note: String,
    pub svg: String,
}

#[derive(Serialize)]
struct PlayerData {
    name: String,
    transition_seconds: u32,
    speed: u32,
    record: Recording,
    slots: Vec<PlayerSlot>,
}

/// The player's slots, with each figure facing the slot's side.
pub async fn player_slots(state: &AppState, seq: &Sequence) -> Result<Vec<PlayerSlot>, PageError> {
    let all = state.catalog.poses(&state.db).await?;
    let mut out = Vec::with_capacity(seq.slots.len());
    for s in &seq.slots {
        let Some(p) = all.iter().find(|p| p.id == s.pose_id) else {
            continue;
        };
        let side = s.side.map(|x| x.as_str().to_owned()).unwrap_or_default();
        out.push(PlayerSlot {
            pose_id: p.id,
            name: p.english_name.clone(),
            sanskrit: p.sanskrit_iast.clone(),
            seconds: s.seconds,
            cues: p.instructions.iter().take(3).cloned().collect(),
            breath: p.breath_cue.clone(),
            note: s.note.clone(),
            svg: figure::svg(state, p, side == "left").unwrap_or_default(),
            side,
        });
    }
    Ok(out)
}

/// A line of the running order shown before the start.
struct OrderLine {
    name: String,
    side: String,
    time: String,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    chrome: Chrome,
    name: String,
    total_time: String,
    pose_count: usize,
    order: Vec<OrderLine>,
    recording_note: String,
    will_record: bool,
    speed: u32,
    back_url: String,
    data: String,
}

async fn player_page(
    state: &AppState,
    viewer: &Viewer,
    seq: &Sequence,
    record: Recording,
    speed: u32,
    back_url: String,
) -> Result<Response, PageError> {
    let slots = player_slots(state, seq).await?;
    let mine = viewer
        .auth
        .as_ref()
        .is_some_and(|a| seq.owner_id == Some(a.user.id));
    let section = if mine { "mine" } else { "sequences" };
    let will_record = record.kind.is_some();
    let total = slots.iter().map(|s| s.seconds).sum::<u32>().saturating_add(
        seq.transition_seconds
            .saturating_mul(u32::try_from(slots.len().saturating_sub(1)).unwrap_or(0)),
    );
    let order = slots
        .iter()
        .map(|s| OrderLine {
            name: s.name.clone(),
            side: label(&s.side),
            time: seconds_text(s.seconds),
        })
        .collect();
    let data = data_block(&PlayerData {
        name: seq.name.clone(),
        transition_seconds: seq.transition_seconds,
        speed,
        record,
        slots,
    })?;
    render(&PracticePage {
        chrome: Chrome::new(
            format!("Practise {}", seq.name),
            section,
            viewer.auth.as_ref(),
        )
        .here(&viewer.here)
        .script("api.js")
        .script("speech.js")
        .script("player.js"),
        name: seq.name.clone(),
        total_time: minutes_text(total),
        pose_count: seq.slots.len(),
        order,
        recording_note: recording_note(viewer, will_record),
        will_record,
        speed,
        back_url,
        data,
    })
}

/// `GET /practice/{sequence_id}`: a preset, or one of the viewer's own sequences.
pub async fn practice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let id = path_id(&raw, "sequence_id").map_err(|_| PageError::not_found())?;
    let seq = state
        .db
        .get_sequence(id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let mine = viewer
        .auth
        .as_ref()
        .is_some_and(|a| seq.owner_id == Some(a.user.id));
    if !seq.is_preset && !mine {
        return Err(PageError::not_found());
    }
    let record = if can_record(&viewer) {
        Recording {
            kind: Some("sequence"),
            sequence_id: Some(seq.id),
            breathing_slug: None,
        }
    } else {
        Recording::off()
    };
    let speed = speed_of(&state, &query);
    player_page(
        &state,
        &viewer,
        &seq,
        record,
        speed,
        format!("/sequences/{id}"),
    )
    .await
}

/// `GET /practice/shared/{token}`: a sequence someone shared. The Practice API
/// only links sessions to presets and one's own sequences, so another person's
/// shared sequence is kept as free practice, with the poses done.
pub async fn practice_shared(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    query: QueryPairs,
) -> Result<Response, PageError> {
    if token.len() > 100 {
        return Err(PageError::not_found());
    }
    let seq = state
        .db
        .shared_sequence(&crate::auth::secrets::digest(&token))
        .await?
        .ok_or_else(PageError::not_found)?;
    let record = match &viewer.auth {
        Some(a) if a.user.email_verified => {
            let own_or_preset = seq.is_preset || seq.owner_id == Some(a.user.id);
            Recording {
                kind: Some(if own_or_preset { "sequence" } else { "free" }),
                sequence_id: own_or_preset.then_some(seq.id),
                breathing_slug: None,
            }
        }
        _ => Recording::off(),
    };
    let speed = speed_of(&state, &query);
    player_page(
        &state,
        &viewer,
        &seq,
        record,
        speed,
        format!("/shared/{token}"),
    )
    .await
}

/// One breathing exercise in the list.
struct BreathingCard {
    slug: String,
    name: String,
    sanskrit: String,
    level: String,
    description: String,
    pattern: String,
}

/// `4 in · 7 hold · 8 out`, leaving out empty phases.
fn pattern_text(p: &yogaflow_content::BreathPattern) -> String {
    let parts = [
        (p.inhale, "in"),
        (p.hold_in, "hold"),
        (p.exhale, "out"),
        (p.hold_out, "hold"),
    ];
    parts
        .iter()
        .filter(|(s, _)| *s > 0.0)
        .map(|(s, w)| format!("{} {w}", trim_number(*s)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Template)]
#[template(path = "breathing.html")]
struct BreathingListPage {
    chrome: Chrome,
    cards: Vec<BreathingCard>,
}

/// `GET /breathing`: every breathing exercise, easiest first.
pub async fn breathing_list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let mut all: Vec<&yogaflow_content::BreathingExercise> = state.breathing.iter().collect();
    all.sort_by(|a, b| {
        a.difficulty
            .rank()
            .cmp(&b.difficulty.rank())
            .then_with(|| a.english_name.cmp(&b.english_name))
    });
    render(&BreathingListPage {
        chrome: Chrome::new("Breathing exercises", "breathing", viewer.auth.as_ref())
            .here(&viewer.here),
        cards: all
            .into_iter()
            .map(|b| BreathingCard {
                slug: b.slug.clone(),
                name: b.english_name.clone(),
                sanskrit: b.sanskrit_iast.clone(),
                level: label(&b.difficulty.to_string()),
                description: b.description.clone(),
                pattern: pattern_text(&b.pattern),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct BreathData {
    name: String,
    inhale: f64,
    hold_in: f64,
    exhale: f64,
    hold_out: f64,
    rounds: u32,
    speed: u32,
    record: Recording,
}

#[derive(Template)]
#[template(path = "breathing_guide.html")]
struct BreathingGuidePage {
    chrome: Chrome,
    name: String,
    sanskrit: String,
    level: String,
    description: String,
    pattern: String,
    rounds: u32,
    instructions: Vec<String>,
    benefits: Vec<String>,
    cautions: Vec<String>,
    recording_note: String,
    data: String,
}

/// `GET /breathing/{slug}`: the guide, kept in history as a breathing session.
pub async fn breathing_guide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let b = state
        .breathing
        .iter()
        .find(|b| b.slug == slug)
        .ok_or_else(PageError::not_found)?;
    let record = if can_record(&viewer) {
        Recording {
            kind: Some("breathing"),
            sequence_id: None,
            breathing_slug: Some(b.slug.clone()),
        }
    } else {
        Recording::off()
    };
    let will_record = record.kind.is_some();
    let data = data_block(&BreathData {
        name: b.english_name.clone(),
        inhale: b.pattern.inhale,
        hold_in: b.pattern.hold_in,
        exhale: b.pattern.exhale,
        hold_out: b.pattern.hold_out,
        rounds: b.default_rounds.max(1),
        speed: speed_of(&state, &query),
        record,
    })?;
    render(&BreathingGuidePage {
        chrome: Chrome::new(b.english_name.clone(), "breathing", viewer.auth.as_ref())
            .here(&viewer.here)
            .script("api.js")
            .script("speech.js")
            .script("breathe.js"),
        name: b.english_name.clone(),
        sanskrit: b.sanskrit_iast.clone(),
        level: label(&b.difficulty.to_string()),
        description: b.description.clone(),
        pattern: pattern_text(&b.pattern),
        rounds: b.default_rounds.max(1),
        instructions: b.instructions.clone(),
        benefits: b.benefits.clone(),
        cautions: b.cautions.clone(),
        recording_note: recording_note(&viewer, will_record),
        data,
    })
}

#[derive(Serialize)]
struct MeditateData {
    speed: u32,
    record: Recording,
}

#[derive(Template)]
#[template(path = "meditate.html")]
struct MeditatePage {
    chrome: Chrome,
    recording_note: String,
    data: String,
}

/// `GET /meditate`: a silent timer with optional interval bells.
pub async fn meditate(
    State(state): State<AppState>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let record = if can_record(&viewer) {
        Recording {
            kind: Some("meditation"),
            sequence_id: None,
            breathing_slug: None,
        }
    } else {
        Recording::off()
    };
    let will_record = record.kind.is_some();
    let data = data_block(&MeditateData {
        speed: speed_of(&state, &query),
        record,
    })?;
    render(&MeditatePage {
        chrome: Chrome::new("Meditation timer", "breathing", viewer.auth.as_ref())
            .here(&viewer.here)
            .script("api.js")
            .script("speech.js")
            .script("breathe.js"),
        recording_note: recording_note(&viewer, will_record),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_is_for_tests_only() {
        assert_eq!(speed_factor("development", Some("10")), 10);
        assert_eq!(speed_factor("development", Some("50")), 50);
        assert_eq!(speed_factor("development", Some("51")), 1);
        assert_eq!(speed_factor("development", Some("0")), 1);
        assert_eq!(speed_factor("development", Some("fast")), 1);
        assert_eq!(speed_factor("development", None), 1);
        assert_eq!(speed_factor("production", Some("10")), 1);
        assert_eq!(speed_factor("Production", Some("10")), 1);
    }

    #[test]
    fn data_blocks_cannot_close_their_element() {
        let s =
            data_block(&vec!["</script><script>alert(1)</script>", "<!-- x"]).unwrap_or_default();
        assert!(!s.contains("</") && !s.contains("<!--"), "{s}");
        let back: Vec<String> = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
        assert_eq!(back[1], "<!-- x");
    }

    #[test]
    fn patterns_read_briefly() {
        let p = yogaflow_content::BreathPattern {
            inhale: 4.0,
            hold_in: 7.0,
            exhale: 8.0,
            hold_out: 0.0,
        };
        assert_eq!(pattern_text(&p), "4 in · 7 hold · 8 out");
        assert_eq!(trim_number(5.5), "5.5");
    }
}
