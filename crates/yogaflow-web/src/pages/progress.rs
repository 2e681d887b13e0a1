//! `/history` (a month calendar and the sessions of a day), `/stats` (charts
//! drawn on the server), `/achievements` and `/favorites`. Data comes from the
//! JSON API's own handlers.

use super::charts::{Bar, columns, rows};
use super::chrome::Chrome;
use super::dashboard::{SessionLine, session_line};
use super::error::{PageError, render};
use super::view::{PoseCard, SequenceCard, label, minutes_text};
use super::viewer::SignedIn;
use crate::api::practice;
use crate::auth::extract::AuthUser;
use crate::params::QueryPairs;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::ToSpan;
use jiff::civil::Date;
use yogaflow_core::practice::local_time::Zone;
use yogaflow_store::FavoriteKind;

pub struct DayCell {
    pub day: i8,
    pub date: String,
    pub month: String,
    pub sessions: u32,
    pub minutes: u64,
    pub today: bool,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    chrome: Chrome,
    month_title: String,
    weeks: Vec<Vec<Option<DayCell>>>,
    prev_month: String,
    next_month: Option<String>,
    list_title: String,
    sessions: Vec<SessionLine>,
    days_practised: u32,
}

fn pairs(list: &[(&str, String)]) -> QueryPairs {
    QueryPairs::from_pairs(
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn month_of(s: &str) -> Option<Date> {
    let (y, m) = s.split_once('-')?;
    Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()
}

fn ym(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

pub async fn history(
    State(state): State<AppState>,
    user: SignedIn,
    query: QueryPairs,
) -> Result<Response, PageError> {
    let auth = user.auth;
    let zone = Zone::parse(&auth.user.time_zone).unwrap_or_else(Zone::utc);
    let today = zone.date(state.clock.now());
    let get = |k: &str| {
        query
            .pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let first = get("month")
        .and_then(month_of)
        .unwrap_or_else(|| today.first_of_month());
    let last = first.last_of_month();
    let selected: Option<Date> = get("day")
        .and_then(|d| d.parse::<Date>().ok())
        .filter(|d| d.first_of_month() == first);
    let cal = practice::calendar_view(
        State(state.clone()),
        AuthUser(auth.clone()),
        pairs(&[
            ("start_date", first.to_string()),
            ("end_date", last.to_string()),
        ]),
    )
    .await?
    .0;
    let counts: std::collections::HashMap<String, (u32, u64)> = cal
        .months
        .iter()
        .flat_map(|m| m.days.iter())
        .map(|d| (d.date.clone(), (d.session_count, d.total_duration_seconds)))
        .collect();
    let mut weeks: Vec<Vec<Option<DayCell>>> = Vec::new();
    let mut week: Vec<Option<DayCell>> = Vec::new();
    for _ in 0..first.weekday().to_monday_zero_offset() {
        week.push(None);
    }
    let mut d = first;
    loop {
        let key = d.to_string();
        let (sessions, seconds) = counts.get(&key).copied().unwrap_or((0, 0));
        week.push(Some(DayCell {
            day: d.day(),
            date: key,
            month: ym(d),
            sessions,
            minutes: seconds.div_ceil(60),
            today: d == today,
            selected: Some(d) == selected,
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        if d >= last {
            break;
        }
        d = d.tomorrow().map_err(|_| PageError::not_found())?;
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(None);
        }
        weeks.push(week);
    }
    let (from, to, list_title) = match selected {
        Some(day) => (
            day,
            day,
            format!("Sessions on {}", day.strftime("%A %-d %B %Y")),
        ),
        None => (
            first,
            last,
            format!("Sessions in {}", first.strftime("%B %Y")),
        ),
    };
    let history = practice::history(
        State(state.clone()),
        AuthUser(auth.clone()),
        pairs(&[
            ("start_date", from.to_string()),
            ("end_date", to.to_string()),
            ("page_size", "100".into()),
        ]),
    )
    .await?
    .0;
    let prev = first.checked_sub(1.month()).unwrap_or(first);
    let next = first.checked_add(1.month()).ok().filter(|n| *n <= today);
    render(&HistoryPage {
        chrome: Chrome::new("History", "history", Some(&auth)).here(&user.here),
        month_title: first.strftime("%B %Y").to_string(),
        weeks,
        prev_month: ym(prev),
        next_month: next.map(ym),
        list_title,
        sessions: history.sessions.iter().map(session_line).collect(),
        days_practised: cal.total_days_practiced,
    })
}

pub struct TableRow {
    pub label: String,
    pub value: String,
}

pub struct Chart {
    pub id: &'static str,
    pub heading: &'static str,
    pub svg: String,
    pub table: Vec<TableRow>,
    pub empty: bool,
}

fn chart(id: &'static str, heading: &'static str, svg: String, bars: &[Bar], unit: &str) -> Chart {
    Chart {
        id,
        heading,
        svg,
        empty: bars.iter().all(|b| b.value == 0.0),
        table: bars
            .iter()
            .map(|b| TableRow {
                label: b.label.clone(),
                value: format!("{} {}", b.value, super::charts::unit_for(b.value, unit)),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    chrome: Chrome,
    total_sessions: u32,
    total_time: String,
    streak: u32,
    best_streak: u32,
    completion: f64,
    last_30: u32,
    charts: Vec<Chart>,
}

pub async fn stats(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let auth = user.auth;
    let s = practice::stats(
        State(state.clone()),
        AuthUser(auth.clone()),
        QueryPairs::default(),
    )
    .await?
    .0;
    let weeks: Vec<Bar> = s
        .minutes_per_week
        .iter()
        .map(|w| Bar {
            label: w.week_start.get(5..).unwrap_or(&w.week_start).to_owned(),
            value: f64::from(w.minutes),
        })
        .collect();
    let times: Vec<Bar> = ["morning", "afternoon", "evening", "night"]
        .iter()
        .map(|k| Bar {
            label: label(k),
            value: f64::from(s.sessions_by_time_of_day.get(*k).copied().unwrap_or(0)),
        })
        .collect();
    let poses: Vec<Bar> = s
        .most_practiced_poses
        .iter()
        .take(8)
        .map(|p| Bar {
            label: p.name.clone(),
            value: p.practice_count as f64,
        })
        .collect();
    let charts = vec![
        chart(
            "weeks",
            "Minutes per week",
            columns("Minutes practised in each of the recent weeks", &weeks),
            &weeks,
            "min",
        ),
        chart(
            "time-of-day",
            "When you practise",
            columns("Sessions by time of day", &times),
            &times,
            "sessions",
        ),
        chart(
            "poses",
            "Your most practised poses",
            rows("Most practised poses", &poses, "times"),
            &poses,
            "times",
        ),
    ];
    render(&StatsPage {
        chrome: Chrome::new("Your progress", "stats", Some(&auth)).here(&user.here),
        total_sessions: s.total_sessions,
        total_time: minutes_text(u32::try_from(s.total_practice_time_seconds).unwrap_or(u32::MAX)),
        streak: s.current_streak_days,
        best_streak: s.best_streak_days,
        completion: s.completion_rate_percentage,
        last_30: s.sessions_last_30_days,
        charts,
    })
}

pub struct Badge {
    pub name: String,
    pub description: String,
    pub progress: u64,
    pub target: u64,
    pub earned_on: Option<String>,
    pub fresh: bool,
}

#[derive(Template)]
#[template(path = "achievements.html")]
struct AchievementsPage {
    chrome: Chrome,
    earned: Vec<Badge>,
    locked: Vec<Badge>,
}

pub async fn achievements(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    let auth = user.auth;
    let a = practice::achievements(State(state.clone()), AuthUser(auth.clone()))
        .await?
        .0;
    // "New" means earned within the last day: the celebration greets the user
    // on their next visit after the session that earned it.
    let recent = (state.clock.now() - time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let badge = |d: crate::dto_practice::AchievementDto| Badge {
        fresh: d.earned_at.as_deref().is_some_and(|e| e > recent.as_str()),
        earned_on: d
            .earned_at
            .as_deref()
            .map(|e| e.get(..10).unwrap_or(e).to_owned()),
        name: d.name,
        description: d.description,
        progress: d.progress.min(d.target),
        target: d.target,
    };
    render(&AchievementsPage {
        chrome: Chrome::new("Achievements", "stats", Some(&auth)).here(&user.here),
        earned: a.earned.into_iter().map(badge).collect(),
        locked: a.locked.into_iter().map(badge).collect(),
    })
}

#[derive(Template)]
#[template(path = "favorites.html")]
struct FavoritesPage {
    chrome: Chrome,
    poses: Vec<PoseCard>,
    sequences: Vec<SequenceCard>,
}

pub async fn favorites(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, PageError> {
    let auth = user.auth;
    let all = state.catalog.poses(&state.db).await?;
    let pose_ids = state.db.favorites(auth.user.id, FavoriteKind::Pose).await?;
    let poses = pose_ids
        .iter()
        .filter_map(|id| all.iter().find(|p| p.id == *id))
        .map(|p| PoseCard::new(&state, p))
        .collect();
    let mut sequences = Vec::new();
    for id in state
        .db
        .favorites(auth.user.id, FavoriteKind::Sequence)
        .await?
    {
        if let Some(s) = state.db.get_sequence(id).await?
            && (s.is_preset || s.owner_id == Some(auth.user.id))
        {
            let n = u32::try_from(s.slots.len()).unwrap_or(0);
            let hold = s.slots.iter().map(|x| x.seconds).sum();
            sequences.push(SequenceCard::from(&(s, n, hold)));
        }
    }
    render(&FavoritesPage {
        chrome: Chrome::new("Favorites", "dashboard", Some(&auth)).here(&user.here),
        poses,
        sequences,
    })
}
