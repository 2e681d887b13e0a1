//! Recommendations and the private iCalendar feed of a user's practice.

use crate::auth::extract::{AuthUser, VerifiedUser};
use crate::auth::secrets::{digest, new_token};
use crate::dto::{ErrorBody, SequenceListItem};
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;
use utoipa::ToSchema;
use yogaflow_core::catalog::{Page, Sequence, SequenceQuery};
use yogaflow_core::practice::recommend::{Candidate, Practitioner, recommend};
use yogaflow_core::practice::stats::compute;
use yogaflow_core::practice::{SessionStatus, Zone};
use yogaflow_store::FavoriteKind;

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDto {
    pub sequence: SequenceListItem,
    /// Why we suggest it, in plain sentences.
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationsResponse {
    pub recommendations: Vec<RecommendationDto>,
}

/// Every sequence the user may practice: presets and their own.
async fn visible_sequences(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<(Sequence, u32, u32)>, ApiError> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let q = SequenceQuery {
            page: Page::Numbered { page, size: 100 },
            ..SequenceQuery::parse(&[]).map_err(ApiError::Validation)?
        };
        let batch = state.db.list_sequences(&q, Some(user_id)).await?;
        let done = batch.items.len() < 100;
        all.extend(batch.items);
        if done || page >= 50 {
            return Ok(all);
        }
        page += 1;
    }
}

/// Sequences suggested for the caller, from their level, goals and history.
#[utoipa::path(get, path = "/api/v1/recommendations", tag = "practice", security(("bearer" = [])),
    responses((status = 200, body = RecommendationsResponse), (status = 401, body = ErrorBody)))]
pub async fn recommendations(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<RecommendationsResponse>, ApiError> {
    let user = &auth.user;
    let zone = Zone::parse(&user.time_zone).unwrap_or_else(Zone::utc);
    let now = state.clock.now();
    let facts = state
        .facts
        .get(&state.db, user.id, user.practice_version)
        .await?;
    let stats = compute(&facts, &zone, now);
    let week_ago = now - time::Duration::days(7);
    let fortnight_ago = now - time::Duration::days(14);
    let mut times: HashMap<i64, (u32, bool)> = HashMap::new();
    for f in facts.iter().filter(|f| f.status.counts_as_practice()) {
        if let Some((id, _)) = &f.sequence {
            let e = times.entry(*id).or_insert((0, false));
            e.0 += 1;
            e.1 |= f.started_at >= week_ago;
        }
    }
    let sequences = visible_sequences(&state, user.id).await?;
    let favorites = state.db.favorites(user.id, FavoriteKind::Sequence).await?;
    let recent_focus = sequences
        .iter()
        .filter(|(s, _, _)| {
            facts.iter().any(|f| {
                f.started_at >= fortnight_ago
                    && f.status != SessionStatus::InProgress
                    && f.sequence.as_ref().is_some_and(|(id, _)| *id == s.id)
            })
        })
        .map(|(s, _, _)| s.focus_area)
        .collect();
    let (_, minutes_goal) = state.db.goals(user.id).await?;
    let this_week: u32 = stats.minutes_per_week.last().map_or(0, |w| w.1);
    let who = Practitioner {
        level: user.experience_level,
        usual_minutes: (stats.total_sessions > 0).then(|| {
            u32::try_from(stats.average_session_duration_seconds / 60).unwrap_or(u32::MAX)
        }),
        minutes_left_this_week: minutes_goal.map(|g| g.saturating_sub(this_week)),
        recent_focus,
    };
    let candidates: Vec<Candidate> = sequences
        .iter()
        .map(|(s, _, _)| {
            let (n, last_week) = times.get(&s.id).copied().unwrap_or((0, false));
            Candidate {
                id: s.id,
                name: s.name.clone(),
                difficulty: s.difficulty,
                focus_area: s.focus_area,
                minutes: s.duration_minutes,
                times_practised: n,
                practised_last_week: last_week,
                favorite: favorites.contains(&s.id),
            }
        })
        .collect();
    let by_id: HashMap<i64, &(Sequence, u32, u32)> =
        sequences.iter().map(|t| (t.0.id, t)).collect();
    let recommendations = recommend(&candidates, &who, 5)
        .into_iter()
        .filter_map(|r| {
            by_id.get(&r.id).map(|(s, n, secs)| RecommendationDto {
                sequence: SequenceListItem::new(s, *n, *secs),
                reasons: r.reasons,
            })
        })
        .collect();
    Ok(Json(RecommendationsResponse { recommendations }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedResponse {
    /// Subscribe to this address in a calendar app. Keep it private: anyone
    /// with it can read your practice times.
    pub url: String,
}

/// Create (or replace) the private calendar-feed address; an older one stops working.
#[utoipa::path(post, path = "/api/v1/calendar/feed", tag = "practice", security(("bearer" = [])),
    responses((status = 200, body = FeedResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_feed(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
) -> Result<Json<FeedResponse>, ApiError> {
    let token = new_token();
    state
        .db
        .set_calendar_feed(auth.user.id, Some(&digest(&token)))
        .await?;
    Ok(Json(FeedResponse {
        url: format!(
            "{}/api/v1/calendar.ics?token={token}",
            state.config.public_url
        ),
    }))
}

/// Revoke the calendar-feed address.
#[utoipa::path(delete, path = "/api/v1/calendar/feed", tag = "practice", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn revoke_feed(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<StatusCode, ApiError> {
    state.db.set_calendar_feed(auth.user.id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Escapes text for an iCalendar value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

fn ics_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The user's practice as an iCalendar feed, read with the private token.
#[utoipa::path(get, path = "/api/v1/calendar.ics", tag = "practice",
    params(("token" = String, Query, description = "From POST /api/v1/calendar/feed")),
    responses((status = 200, description = "text/calendar"), (status = 404, body = ErrorBody, description = "Unknown or revoked token"), (status = 422, body = ErrorBody)))]
pub async fn feed(State(state): State<AppState>, query: QueryPairs) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound {
        code: "feed_not_found",
        message: "This calendar address does not exist or was revoked.".into(),
    };
    let token = query
        .pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if token.is_empty() || token.len() > 100 {
        return Err(missing());
    }
    let user = state
        .db
        .user_by_calendar_feed(&digest(token))
        .await?
        .ok_or_else(missing)?;
    let (sessions, _) = state
        .db
        .history(user.id, &yogaflow_store::HistoryFilter::default(), 1000, 0)
        .await?;
    let now = ics_time(state.clock.now());
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//YogaFlow//Practice//EN\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:YogaFlow practice\r\n",
    );
    for s in sessions.iter().filter(|s| s.status.counts_as_practice()) {
        let minutes = s.duration_seconds.div_ceil(60);
        let what = s
            .sequence_name
            .clone()
            .unwrap_or_else(|| match s.kind.as_str() {
                "breathing" => "Breathing practice".into(),
                "meditation" => "Meditation".into(),
                _ => "Free practice".into(),
            });
        let end = s.started_at + time::Duration::seconds(i64::from(s.duration_seconds.max(60)));
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:yogaflow-session-{}\r\nDTSTAMP:{now}\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:{}\r\nEND:VEVENT\r\n",
            s.id,
            ics_time(s.started_at),
            ics_time(end),
            ics_text(&format!("Yoga: {what} ({minutes} min)"))
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    let mut response = out.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}
