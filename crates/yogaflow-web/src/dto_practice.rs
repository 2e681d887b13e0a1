//! Wire shapes of practice tracking: 1.0's `SessionResponse`, history, stats and
//! calendar, plus what 1.0 never had (kinds, pauses, best streak, weekly minutes).

use crate::dto::timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_store::SessionRecord;

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionStatistics {
    pub total_sessions: u32,
    pub total_practice_time_seconds: u64,
    pub average_duration_seconds: u64,
    pub completion_rate_percent: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub session_id: i64,
    pub user_id: i64,
    pub sequence_id: Option<i64>,
    /// `sequence`, `free`, `breathing` or `meditation`.
    pub kind: String,
    pub breathing_slug: Option<String>,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub duration_seconds: u32,
    /// `in_progress`, `completed`, `partial` or `abandoned`.
    pub completion_status: String,
    pub paused: bool,
    /// Sum of the sequence's holds when the session started.
    pub planned_seconds: Option<u32>,
    /// Filled in by `/sessions/complete` (1.0's shape).
    pub statistics: Option<SessionStatistics>,
    /// Achievements this session unlocked (completion responses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newly_unlocked: Option<Vec<AchievementDto>>,
    /// The poses practiced, in order (`GET /sessions/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poses: Option<Vec<PractisedPoseDto>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PractisedPoseDto {
    /// Null when an administrator has since removed the pose.
    pub pose_id: Option<i64>,
    pub position: u32,
    pub seconds: u32,
    pub side: Option<String>,
}

impl From<&yogaflow_store::SessionPoseRecord> for PractisedPoseDto {
    fn from(p: &yogaflow_store::SessionPoseRecord) -> Self {
        PractisedPoseDto {
            pose_id: p.pose_id,
            position: p.position,
            seconds: p.seconds,
            side: p.side.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AchievementDto {
    pub code: String,
    pub name: String,
    pub description: String,
    pub progress: u64,
    pub target: u64,
    pub earned_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AchievementsResponse {
    pub earned: Vec<AchievementDto>,
    pub locked: Vec<AchievementDto>,
}

impl From<&SessionRecord> for SessionResponse {
    fn from(s: &SessionRecord) -> Self {
        SessionResponse {
            session_id: s.id,
            user_id: s.user_id,
            sequence_id: s.sequence_id,
            kind: s.kind.as_str().into(),
            breathing_slug: s.breathing_slug.clone(),
            started_at: timestamp(s.started_at),
            completed_at: s.completed_at.map(timestamp),
            duration_seconds: s.duration_seconds,
            completion_status: s.status.as_str().into(),
            paused: s.paused,
            planned_seconds: s.planned_seconds,
            statistics: None,
            newly_unlocked: None,
            poses: None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// A preset or one of the caller's sequences; null or absent for free practice.
    pub sequence_id: Option<i64>,
    /// Defaults to `sequence` with a sequence, else `free`.
    pub kind: Option<String>,
    /// Required for `breathing`: a slug from `GET /api/v1/breathing`.
    pub breathing_slug: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoseDone {
    pub pose_id: i64,
    pub seconds: i64,
    pub side: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    pub session_id: i64,
    pub duration_seconds: i64,
    /// Accepted for 1.0 clients; the `poses` list is what is stored.
    pub poses_completed: Option<i64>,
    /// `completed` (default), `partial` or `abandoned`.
    pub completion_status: Option<String>,
    /// The poses practiced, in order.
    pub poses: Option<Vec<PoseDone>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseRequest {
    pub duration_so_far: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbandonRequest {
    pub duration_seconds: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    pub session_id: i64,
    pub user_id: i64,
    pub sequence_id: Option<i64>,
    pub kind: String,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub duration_seconds: u32,
    pub completion_status: String,
    pub sequence_name: Option<String>,
    pub sequence_difficulty: Option<String>,
    pub sequence_focus_area: Option<String>,
}

impl From<&SessionRecord> for HistoryItem {
    fn from(s: &SessionRecord) -> Self {
        HistoryItem {
            session_id: s.id,
            user_id: s.user_id,
            sequence_id: s.sequence_id,
            kind: s.kind.as_str().into(),
            started_at: timestamp(s.started_at),
            completed_at: s.completed_at.map(timestamp),
            duration_seconds: s.duration_seconds,
            completion_status: s.status.as_str().into(),
            sequence_name: s.sequence_name.clone(),
            sequence_difficulty: s.sequence_difficulty.clone(),
            sequence_focus_area: s.sequence_focus_area.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryResponse {
    pub sessions: Vec<HistoryItem>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SequenceCount {
    pub sequence_id: i64,
    pub name: String,
    pub practice_count: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoseCount {
    pub pose_id: i64,
    pub name: String,
    pub practice_count: i64,
    pub total_seconds: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekMinutes {
    /// The Monday that starts the week, in the user's time zone.
    pub week_start: String,
    pub minutes: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RangeTotals {
    pub from: String,
    pub to: String,
    pub sessions: u32,
    pub practice_time_seconds: u64,
    pub days_practiced: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsResponse {
    pub total_sessions: u32,
    pub completed_sessions: u32,
    pub partial_sessions: u32,
    pub total_practice_time_seconds: u64,
    pub total_practice_time_hours: f64,
    pub average_session_duration_minutes: f64,
    pub current_streak_days: u32,
    pub best_streak_days: u32,
    pub completion_rate_percentage: f64,
    pub sessions_last_30_days: u32,
    pub most_practiced_sequences: Vec<SequenceCount>,
    pub most_practiced_poses: Vec<PoseCount>,
    pub minutes_per_week: Vec<WeekMinutes>,
    /// Sessions per weekday, keyed `monday` … `sunday`.
    pub sessions_by_weekday: std::collections::BTreeMap<String, u32>,
    /// Sessions by local time of day: `morning` 5-12, `afternoon` 12-17, `evening` 17-22, `night` 22-5.
    pub sessions_by_time_of_day: std::collections::BTreeMap<String, u32>,
    pub time_zone: String,
    /// Totals for `?from=&to=` when given.
    pub range: Option<RangeTotals>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`, a day in the user's time zone (1.0's key).
    pub date: String,
    pub session_count: u32,
    pub total_duration_seconds: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarMonth {
    pub year: i16,
    pub month: i8,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarResponse {
    pub months: Vec<CalendarMonth>,
    pub total_days_practiced: u32,
}
