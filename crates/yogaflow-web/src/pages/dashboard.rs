//! `/dashboard`: today's suggestion, streak, weekly goals, recent sessions and
//! an unfinished session to resume. Every figure comes from the same handlers
//! the JSON API serves, so the page and the API always agree.

use super::chrome::Chrome;
use super::error::{PageError, render};
use super::view::{label, minutes_text};
use super::viewer::SignedIn;
use crate::api::{favorites, insights, practice};
use crate::auth::extract::AuthUser;
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct Suggestion {
    pub id: i64,
    pub name: String,
    pub minutes: u32,
    pub level: String,
    pub reasons: Vec<String>,
}

pub struct Goal {
    pub what: &'static str,
    pub done: u64,
    pub goal: u32,
    pub percent: u32,
}

pub struct SessionLine {
    pub when: String,
    pub what: String,
    pub length: String,
    pub status: String,
    pub sequence_id: Option<i64>,
}

pub struct Unfinished {
    pub sequence_id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    first_name: String,
    suggestions: Vec<Suggestion>,
    streak: u32,
    best_streak: u32,
    total_sessions: u32,
    total_time: String,
    goals: Vec<Goal>,
    recent: Vec<SessionLine>,
    unfinished: Option<Unfinished>,
}

/// `2026-11-28T07:05:00Z` → `2026-11-28 07:05` (the API's timestamps are UTC;
/// the history page shows local days).
pub fn short_time(ts: &str) -> String {
    ts.get(..16)
        .map_or_else(|| ts.to_owned(), |s| s.replace('T', " "))
}

pub fn session_line(h: &crate::dto_practice::HistoryItem) -> SessionLine {
    SessionLine {
        when: short_time(&h.started_at),
        what: h.sequence_name.clone().unwrap_or_else(|| label(&h.kind)),
        length: minutes_text(h.duration_seconds),
        status: label(&h.completion_status),
        sequence_id: h.sequence_id,
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    let auth = user.auth;
    let recs = insights::recommendations(State(state.clone()), AuthUser(auth.clone()))
        .await?
        .0;
    let stats = practice::stats(
        State(state.clone()),
        AuthUser(auth.clone()),
        QueryPairs::default(),
    )
    .await?
    .0;
    let goals = favorites::get_goals(State(state.clone()), AuthUser(auth.clone()))
        .await?
        .0;
    let history = practice::history(
        State(state.clone()),
        AuthUser(auth.clone()),
        QueryPairs::from_pairs(vec![("page_size".into(), "5".into())]),
    )
    .await?
    .0;
    let unfinished = match practice::current(State(state.clone()), AuthUser(auth.clone())).await {
        Ok(s) => match s.0.sequence_id {
            Some(id) => state.db.get_sequence(id).await?.map(|q| Unfinished {
                sequence_id: id,
                name: q.name,
            }),
            None => None,
        },
        Err(ApiError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let mut goal_rows = Vec::new();
    for (what, g) in [("sessions", &goals.sessions), ("minutes", &goals.minutes)] {
        if let Some(goal) = g.goal {
            goal_rows.push(Goal {
                what,
                done: g.done,
                goal,
                percent: g.percent.unwrap_or(0),
            });
        }
    }
    let first_name = auth
        .user
        .name
        .split_whitespace()
        .next()
        .unwrap_or("there")
        .to_owned();
    render(&DashboardPage {
        chrome: Chrome::new("Today", "dashboard", Some(&auth)).here(&user.here),
        first_name,
        suggestions: recs
            .recommendations
            .into_iter()
            .take(3)
            .map(|r| Suggestion {
                id: r.sequence.sequence_id,
                name: r.sequence.name,
                minutes: r.sequence.duration_minutes,
                level: label(&r.sequence.difficulty_level),
                reasons: r.reasons,
            })
            .collect(),
        streak: stats.current_streak_days,
        best_streak: stats.best_streak_days,
        total_sessions: stats.total_sessions,
        total_time: minutes_text(
            u32::try_from(stats.total_practice_time_seconds).unwrap_or(u32::MAX),
        ),
        goals: goal_rows,
        recent: history.sessions.iter().map(session_line).collect(),
        unfinished,
    })
}
