//! Practice sessions (`/sessions/*`), history, statistics and the calendar.
//! Recording practice needs a verified email; reading one's own history does not.

use crate::auth::extract::{AuthUser, JsonBody, MaybeJson, VerifiedUser};
use crate::dto::ErrorBody;
use crate::dto_practice::{
    AbandonRequest, AchievementDto, AchievementsResponse, CalendarDay, CalendarMonth,
    CalendarResponse, CompleteRequest, HistoryItem, HistoryResponse, PauseRequest, PoseCount,
    RangeTotals, SequenceCount, SessionResponse, SessionStatistics, StartRequest, StatsResponse,
    WeekMinutes,
};
use crate::error::ApiError;
use crate::params::{QueryPairs, path_id, single};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::ToSpan as _;
use jiff::civil::Date;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use yogaflow_core::catalog::Side;
use yogaflow_core::error::FieldError;
use yogaflow_core::practice::achievements::{self, Achievement, catalogue};
use yogaflow_core::practice::session::{check_duration, final_status};
use yogaflow_core::practice::stats::{calendar, compute};
use yogaflow_core::practice::{SessionKind, SessionStatus, Zone};
use yogaflow_store::{HistoryFilter, NewPracticeSession, PractisedPose, SessionRecord};

fn invalid(field: &str, kind: &'static str, msg: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![FieldError::new("body", field, kind, msg)])
}

fn session_not_found(id: i64) -> ApiError {
    ApiError::NotFound {
        code: "session_not_found",
        message: format!("Session with ID {id} not found"),
    }
}

fn zone_of(user: &yogaflow_core::accounts::User) -> Zone {
    Zone::parse(&user.time_zone).unwrap_or_else(Zone::utc)
}

/// The caller's session, or 404 (another user's session is indistinguishable
/// from a missing one).
async fn own_session(state: &AppState, id: i64, user_id: i64) -> Result<SessionRecord, ApiError> {
    state
        .db
        .practice_session(id)
        .await?
        .filter(|s| s.user_id == user_id)
        .ok_or_else(|| session_not_found(id))
}

/// Start a practice session.
#[utoipa::path(post, path = "/api/v1/sessions/start", tag = "practice", security(("bearer" = [])), request_body = StartRequest,
    responses((status = 201, body = SessionResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "email_not_verified"),
        (status = 404, body = ErrorBody, description = "No such sequence"), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    JsonBody(body): JsonBody<StartRequest>,
) -> Result<(StatusCode, Json<SessionResponse>), ApiError> {
    let kind = match body.kind.as_deref() {
        None if body.sequence_id.is_some() => SessionKind::Sequence,
        None => SessionKind::Free,
        Some(k) => SessionKind::parse(k).ok_or_else(|| {
            invalid(
                "kind",
                "unknown_value",
                "kind must be sequence, free, breathing or meditation",
            )
        })?,
    };
    let mut planned = None;
    match (kind, body.sequence_id) {
        (SessionKind::Sequence, None) => {
            return Err(invalid(
                "sequence_id",
                "missing",
                "a sequence session needs sequence_id",
            ));
        }
        (SessionKind::Sequence, Some(id)) => {
            let seq = state
                .db
                .get_sequence(id)
                .await?
                .filter(|s| s.is_preset || s.owner_id == Some(auth.user.id))
                .ok_or(ApiError::NotFound {
                    code: "sequence_not_found",
                    message: format!("Sequence with ID {id} not found"),
                })?;
            planned = Some(seq.hold_seconds());
        }
        (_, Some(_)) => {
            return Err(invalid(
                "sequence_id",
                "invalid",
                "only sequence sessions have a sequence_id",
            ));
        }
        _ => {}
    }
    let breathing = match kind {
        SessionKind::Breathing => {
            let slug = body.breathing_slug.as_deref().ok_or_else(|| {
                invalid(
                    "breathing_slug",
                    "missing",
                    "a breathing session needs breathing_slug",
                )
            })?;
            if !state.breathing.iter().any(|b| b.slug == slug) {
                return Err(invalid(
                    "breathing_slug",
                    "unknown_value",
                    "no breathing exercise has that slug",
                ));
            }
            Some(slug)
        }
        _ if body.breathing_slug.is_some() => {
            return Err(invalid(
                "breathing_slug",
                "invalid",
                "only breathing sessions have a breathing_slug",
            ));
        }
        _ => None,
    };
    let record = state
        .db
        .start_session(
            &NewPracticeSession {
                user_id: auth.user.id,
                kind,
                sequence_id: body.sequence_id,
                breathing_slug: breathing,
                planned_seconds: planned,
            },
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(SessionResponse::from(&record))))
}

fn parse_poses(
    poses: Option<Vec<crate::dto_practice::PoseDone>>,
) -> Result<Vec<PractisedPose>, ApiError> {
    let poses = poses.unwrap_or_default();
    if poses.len() > 500 {
        return Err(invalid(
            "poses",
            "too_large",
            "at most 500 poses per session",
        ));
    }
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(poses.len());
    for (i, p) in poses.into_iter().enumerate() {
        let seconds = u32::try_from(p.seconds).ok().filter(|s| *s <= 14_400);
        let side = match p.side.as_deref() {
            None => Some(None),
            Some(s) => Side::parse(s).map(Some),
        };
        match (seconds, side) {
            (Some(seconds), Some(side)) => out.push(PractisedPose {
                pose_id: p.pose_id,
                seconds,
                side,
            }),
            _ => errors.push(FieldError::new(
                "body",
                format!("poses[{i}]"),
                "invalid",
                "seconds must be 0-14400 and side right or left",
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

async fn statistics(
    state: &AppState,
    user: &yogaflow_core::accounts::User,
) -> Result<SessionStatistics, ApiError> {
    // Called right after a session ends: read the version that change produced.
    let user = state
        .db
        .user_by_id(user.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let facts = state
        .facts
        .get(&state.db, user.id, user.practice_version)
        .await?;
    let s = compute(&facts, &zone_of(&user), state.clock.now());
    Ok(SessionStatistics {
        total_sessions: s.total_sessions,
        total_practice_time_seconds: s.total_practice_time_seconds,
        average_duration_seconds: s.average_session_duration_seconds,
        completion_rate_percent: (s.completion_rate_percentage * 10.0).round() / 10.0,
    })
}

/// End a session. Ending it again returns the first result and counts once.
#[utoipa::path(post, path = "/api/v1/sessions/complete", tag = "practice", security(("bearer" = [])), request_body = CompleteRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    JsonBody(body): JsonBody<CompleteRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    let session = own_session(&state, body.session_id, auth.user.id).await?;
    let mut unlocked = Vec::new();
    if session.status == SessionStatus::InProgress {
        let now = state.clock.now();
        let duration = check_duration(
            body.duration_seconds,
            session.started_at,
            now,
            "duration_seconds",
        )
        .map_err(|e| ApiError::Validation(vec![e]))?;
        let requested = match body.completion_status.as_deref() {
            None => SessionStatus::Completed,
            Some(s) => SessionStatus::parse(s)
                .filter(|s| *s != SessionStatus::InProgress)
                .ok_or_else(|| {
                    invalid(
                        "completion_status",
                        "unknown_value",
                        "completion_status must be completed, partial or abandoned",
                    )
                })?,
        };
        let poses = parse_poses(body.poses)?;
        let known = state.catalog.poses(&state.db).await?;
        if let Some(i) = poses
            .iter()
            .position(|p| !known.iter().any(|k| k.id == p.pose_id))
        {
            return Err(invalid(
                &format!("poses[{i}].pose_id"),
                "unknown_value",
                "no pose has that id",
            ));
        }
        let status = final_status(requested, duration, session.planned_seconds);
        // Losing a race with a concurrent completion is fine: the first one wins
        // and every caller gets its result below.
        unlocked = finish(
            &state, &auth.user, session.id, status, duration, &poses, now,
        )
        .await?;
    }
    let stored = own_session(&state, body.session_id, auth.user.id).await?;
    let mut response = SessionResponse::from(&stored);
    response.statistics = Some(statistics(&state, &auth.user).await?);
    response.newly_unlocked = Some(unlocked);
    Ok(Json(response))
}

/// Record progress and pause (1.0's shape).
#[utoipa::path(put, path = "/api/v1/sessions/{session_id}/pause", tag = "practice", security(("bearer" = [])), request_body = PauseRequest,
    params(("session_id" = i64, Path)),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The session has ended"), (status = 422, body = ErrorBody)))]
pub async fn pause(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<PauseRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    progress(&state, &auth.user, &raw, Some(body.duration_so_far), true).await
}

/// Resume a paused session.
#[utoipa::path(post, path = "/api/v1/sessions/{session_id}/resume", tag = "practice", security(("bearer" = [])),
    params(("session_id" = i64, Path)),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
) -> Result<Json<SessionResponse>, ApiError> {
    progress(&state, &auth.user, &raw, None, false).await
}

async fn progress(
    state: &AppState,
    user: &yogaflow_core::accounts::User,
    raw: &str,
    duration: Option<i64>,
    paused: bool,
) -> Result<Json<SessionResponse>, ApiError> {
    let id = path_id(raw, "session_id")?;
    let session = own_session(state, id, user.id).await?;
    let duration = match duration {
        Some(d) => check_duration(d, session.started_at, state.clock.now(), "duration_so_far")
            .map_err(|e| ApiError::Validation(vec![e]))?,
        None => session.duration_seconds,
    };
    if !state
        .db
        .set_session_progress(id, user.id, duration, paused)
        .await?
    {
        return Err(ended(id));
    }
    Ok(Json(SessionResponse::from(
        &own_session(state, id, user.id).await?,
    )))
}

/// Ends a session and awards what it unlocks, in one transaction; the
/// achievements unlocked (empty when the session had already ended).
async fn finish(
    state: &AppState,
    user: &yogaflow_core::accounts::User,
    id: i64,
    status: SessionStatus,
    duration: u32,
    poses: &[PractisedPose],
    now: OffsetDateTime,
) -> Result<Vec<AchievementDto>, ApiError> {
    let zone = zone_of(user);
    let codes = state
        .db
        .finish_session_awarding(id, user.id, status, duration, poses, now, |input| {
            let p = achievements::progress(
                &input.facts,
                &input.kinds,
                input.mastery.clone(),
                &zone,
                now,
            );
            catalogue(&p)
                .into_iter()
                .filter(Achievement::earned)
                .map(|a| a.code)
                .collect()
        })
        .await?
        .unwrap_or_default();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let all = catalogue(&achievement_progress(state, user).await?);
    Ok(all
        .into_iter()
        .filter(|a| codes.contains(&a.code))
        .map(|a| dto(a, Some(now)))
        .collect())
}

async fn achievement_progress(
    state: &AppState,
    user: &yogaflow_core::accounts::User,
) -> Result<yogaflow_core::practice::achievements::Progress, ApiError> {
    let input = state.db.award_input(user.id).await?;
    Ok(achievements::progress(
        &input.facts,
        &input.kinds,
        input.mastery,
        &zone_of(user),
        state.clock.now(),
    ))
}

fn dto(a: Achievement, earned_at: Option<OffsetDateTime>) -> AchievementDto {
    AchievementDto {
        code: a.code,
        name: a.name,
        description: a.description,
        progress: a.progress,
        target: a.target,
        earned_at: earned_at.map(crate::dto::timestamp),
    }
}

/// Earned achievements with their dates, and locked ones with progress.
#[utoipa::path(get, path = "/api/v1/achievements", tag = "practice", security(("bearer" = [])),
    responses((status = 200, body = AchievementsResponse), (status = 401, body = ErrorBody)))]
pub async fn achievements(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<AchievementsResponse>, ApiError> {
    let held: std::collections::HashMap<String, OffsetDateTime> = state
        .db
        .earned_achievements(auth.user.id)
        .await?
        .into_iter()
        .collect();
    let mut earned = Vec::new();
    let mut locked = Vec::new();
    for mut a in catalogue(&achievement_progress(&state, &auth.user).await?) {
        match held.get(&a.code) {
            Some(at) => {
                a.progress = a.target;
                earned.push(dto(a, Some(*at)));
            }
            None => locked.push(dto(a, None)),
        }
    }
    Ok(Json(AchievementsResponse { earned, locked }))
}

fn ended(id: i64) -> ApiError {
    ApiError::Conflict {
        code: "session_ended",
        message: format!("Session {id} has already ended and cannot change."),
    }
}

/// Leave a session early; kept as partial when at least half was practiced.
#[utoipa::path(post, path = "/api/v1/sessions/{session_id}/abandon", tag = "practice", security(("bearer" = [])), request_body(content = Option<AbandonRequest>),
    params(("session_id" = i64, Path)),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn abandon(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Path(raw): Path<String>,
    MaybeJson(body): MaybeJson<AbandonRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    let id = path_id(&raw, "session_id")?;
    let session = own_session(&state, id, auth.user.id).await?;
    if session.status != SessionStatus::InProgress {
        return Err(ended(id));
    }
    let now = state.clock.now();
    let duration = match body.and_then(|b| b.duration_seconds) {
        Some(d) => check_duration(d, session.started_at, now, "duration_seconds")
            .map_err(|e| ApiError::Validation(vec![e]))?,
        None => session.duration_seconds,
    };
    let status = final_status(SessionStatus::Abandoned, duration, session.planned_seconds);
    finish(&state, &auth.user, id, status, duration, &[], now).await?;
    Ok(Json(SessionResponse::from(
        &own_session(&state, id, auth.user.id).await?,
    )))
}

/// The caller's most recent unfinished session.
#[utoipa::path(get, path = "/api/v1/sessions/current", tag = "practice", security(("bearer" = [])),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "No active session")))]
pub async fn current(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
) -> Result<Json<SessionResponse>, ApiError> {
    let s = state
        .db
        .current_session(auth.user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "no_active_session",
            message: "No active session found".into(),
        })?;
    Ok(Json(SessionResponse::from(&s)))
}

/// One of the caller's sessions.
#[utoipa::path(get, path = "/api/v1/sessions/{session_id}", tag = "practice", security(("bearer" = [])),
    params(("session_id" = i64, Path)),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_session(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    Path(raw): Path<String>,
) -> Result<Json<SessionResponse>, ApiError> {
    let id = path_id(&raw, "session_id")?;
    let record = own_session(&state, id, auth.user.id).await?;
    let mut response = SessionResponse::from(&record);
    response.poses = Some(
        state
            .db
            .session_poses(auth.user.id, Some(id))
            .await?
            .iter()
            .map(crate::dto_practice::PractisedPoseDto::from)
            .collect(),
    );
    Ok(Json(response))
}

/// A date parameter: `YYYY-MM-DD` (a day in the user's zone) or an RFC 3339 instant.
/// `end_of_day` picks the last instant of a bare date.
fn instant_param(
    pairs: &[(String, String)],
    key: &str,
    zone: &Zone,
    end_of_day: bool,
) -> Result<Option<OffsetDateTime>, FieldError> {
    let Some(raw) = single(pairs, key)? else {
        return Ok(None);
    };
    let bad = || {
        FieldError::new(
            "query",
            key,
            "invalid",
            format!("{key} must be a date (YYYY-MM-DD) or an RFC 3339 date and time"),
        )
    };
    if let Ok(t) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Ok(Some(t));
    }
    let date: Date = raw.parse().map_err(|_| bad())?;
    let day = if end_of_day {
        date.tomorrow().map_err(|_| bad())?
    } else {
        date
    };
    let start = zone.start_of(day).ok_or_else(bad)?;
    Ok(Some(if end_of_day {
        start - time::Duration::microseconds(1)
    } else {
        start
    }))
}

fn date_param(pairs: &[(String, String)], key: &str) -> Result<Option<Date>, FieldError> {
    let Some(raw) = single(pairs, key)? else {
        return Ok(None);
    };
    let text = raw.get(..10).unwrap_or(raw);
    text.parse::<Date>().map(Some).map_err(|_| {
        FieldError::new(
            "query",
            key,
            "invalid",
            format!("{key} must be a date, YYYY-MM-DD"),
        )
    })
}

/// The caller's sessions, newest first (free practice included).
#[utoipa::path(get, path = "/api/v1/history", tag = "practice", security(("bearer" = [])),
    params(("page" = Option<u32>, Query), ("page_size" = Option<u32>, Query), ("status" = Option<String>, Query, description = "in_progress, completed, partial, abandoned"),
        ("start_date" = Option<String>, Query, description = "YYYY-MM-DD (your time zone) or RFC 3339; inclusive"), ("end_date" = Option<String>, Query, description = "inclusive")),
    responses((status = 200, body = HistoryResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    query: QueryPairs,
) -> Result<Json<HistoryResponse>, ApiError> {
    let zone = zone_of(&auth.user);
    let mut errors = Vec::new();
    let paging: Vec<(String, String)> = query
        .pairs
        .iter()
        .filter(|(k, _)| k == "page" || k == "page_size")
        .cloned()
        .collect();
    let page = match yogaflow_core::catalog::SequenceQuery::parse(&paging) {
        Ok(q) => q.page,
        Err(mut e) => {
            errors.append(&mut e);
            yogaflow_core::catalog::Page::Numbered { page: 1, size: 20 }
        }
    };
    let mut filter = HistoryFilter::default();
    let status = single(&query.pairs, "status").unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    match status {
        None => {}
        Some(s) => match SessionStatus::parse(s) {
            Some(st) => filter.status = Some(st),
            None => errors.push(FieldError::new(
                "query",
                "status",
                "unknown_value",
                "status must be in_progress, completed, partial or abandoned",
            )),
        },
    }
    match instant_param(&query.pairs, "start_date", &zone, false) {
        Ok(v) => filter.from = v,
        Err(e) => errors.push(e),
    }
    match instant_param(&query.pairs, "end_date", &zone, true) {
        Ok(v) => filter.to = v,
        Err(e) => errors.push(e),
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (records, total) = state
        .db
        .history(auth.user.id, &filter, page.limit(), page.offset())
        .await?;
    let (p, page_size, total_pages) = page.report(total);
    Ok(Json(HistoryResponse {
        sessions: records.iter().map(HistoryItem::from).collect(),
        total,
        page: p,
        page_size,
        total_pages,
    }))
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const TIMES_OF_DAY: [&str; 4] = ["morning", "afternoon", "evening", "night"];

/// The caller's statistics (1.0's fields and more), in their time zone.
#[utoipa::path(get, path = "/api/v1/stats", tag = "practice", security(("bearer" = [])),
    params(("from" = Option<String>, Query, description = "YYYY-MM-DD: with `to`, adds totals for that range"), ("to" = Option<String>, Query)),
    responses((status = 200, body = StatsResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    query: QueryPairs,
) -> Result<Json<StatsResponse>, ApiError> {
    let zone = zone_of(&auth.user);
    let from = date_param(&query.pairs, "from").map_err(|e| ApiError::Validation(vec![e]))?;
    let to = date_param(&query.pairs, "to").map_err(|e| ApiError::Validation(vec![e]))?;
    // One cache lookup serves both the session facts and the pose counts.
    let practice = state
        .facts
        .practice(&state.db, auth.user.id, auth.user.practice_version)
        .await?;
    let facts = &practice.facts;
    let s = compute(facts, &zone, state.clock.now());
    let range = match (from, to) {
        (Some(f), Some(t)) if f <= t => {
            let days = calendar(facts, &zone, f, t);
            Some(RangeTotals {
                from: f.to_string(),
                to: t.to_string(),
                sessions: days.iter().map(|d| d.session_count).sum(),
                practice_time_seconds: days.iter().map(|d| d.total_duration_seconds).sum(),
                days_practiced: u32::try_from(days.len()).unwrap_or(u32::MAX),
            })
        }
        (None, None) => None,
        _ => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "query",
                "from",
                "invalid",
                "give both from and to, with from not after to",
            )]));
        }
    };
    let poses = practice.poses.clone();
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    Ok(Json(StatsResponse {
        total_sessions: s.total_sessions,
        completed_sessions: s.completed_sessions,
        partial_sessions: s.partial_sessions,
        total_practice_time_seconds: s.total_practice_time_seconds,
        total_practice_time_hours: round2(s.total_practice_time_seconds as f64 / 3600.0),
        average_session_duration_minutes: round2(s.average_session_duration_seconds as f64 / 60.0),
        current_streak_days: s.current_streak_days,
        best_streak_days: s.best_streak_days,
        completion_rate_percentage: s.completion_rate_percentage,
        sessions_last_30_days: s.sessions_last_30_days,
        most_practiced_sequences: s
            .most_practiced_sequences
            .into_iter()
            .map(|(sequence_id, name, practice_count)| SequenceCount {
                sequence_id,
                name,
                practice_count,
            })
            .collect(),
        most_practiced_poses: poses
            .into_iter()
            .map(|(pose_id, name, practice_count, total_seconds)| PoseCount {
                pose_id,
                name,
                practice_count,
                total_seconds,
            })
            .collect(),
        minutes_per_week: s
            .minutes_per_week
            .into_iter()
            .map(|(d, minutes)| WeekMinutes {
                week_start: d.to_string(),
                minutes,
            })
            .collect(),
        sessions_by_weekday: WEEKDAYS
            .iter()
            .zip(s.sessions_by_weekday)
            .map(|(k, v)| ((*k).to_owned(), v))
            .collect(),
        sessions_by_time_of_day: TIMES_OF_DAY
            .iter()
            .zip(s.sessions_by_time_of_day)
            .map(|(k, v)| ((*k).to_owned(), v))
            .collect(),
        time_zone: auth.user.time_zone.clone(),
        range,
    }))
}

/// Practice per day, grouped by month (1.0's shape), in the caller's time zone.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "practice", security(("bearer" = [])),
    params(("start_date" = Option<String>, Query, description = "YYYY-MM-DD; default 90 days before end_date"), ("end_date" = Option<String>, Query, description = "YYYY-MM-DD; default today")),
    responses((status = 200, body = CalendarResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn calendar_view(
    State(state): State<AppState>,
    AuthUser(auth): AuthUser,
    query: QueryPairs,
) -> Result<Json<CalendarResponse>, ApiError> {
    let zone = zone_of(&auth.user);
    let today = zone.date(state.clock.now());
    let end = date_param(&query.pairs, "end_date")
        .map_err(|e| ApiError::Validation(vec![e]))?
        .unwrap_or(today);
    let start = date_param(&query.pairs, "start_date")
        .map_err(|e| ApiError::Validation(vec![e]))?
        .unwrap_or_else(|| end.checked_sub(90.days()).unwrap_or(end));
    if start > end || !end.since(start).is_ok_and(|span| span.get_days() <= 3700) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "query",
            "start_date",
            "out_of_range",
            "start_date must be before end_date and at most ten years earlier",
        )]));
    }
    let facts = state
        .facts
        .get(&state.db, auth.user.id, auth.user.practice_version)
        .await?;
    let days = calendar(&facts, &zone, start, end);
    let mut months: Vec<CalendarMonth> = Vec::new();
    for d in &days {
        let (y, m) = (d.date.year(), d.date.month());
        if months
            .last()
            .is_none_or(|last| last.year != y || last.month != m)
        {
            months.push(CalendarMonth {
                year: y,
                month: m,
                days: Vec::new(),
            });
        }
        if let Some(last) = months.last_mut() {
            last.days.push(CalendarDay {
                date: d.date.to_string(),
                session_count: d.session_count,
                total_duration_seconds: d.total_duration_seconds,
            });
        }
    }
    Ok(Json(CalendarResponse {
        months,
        total_days_practiced: u32::try_from(days.len()).unwrap_or(u32::MAX),
    }))
}
