//! Practice sessions: start, pause, and end exactly once; the history list; and
//! the facts statistics are computed from.

use crate::dynamic::{Arg, Sql, bind_args};
use crate::timestamp::{from_micros, to_micros};
use crate::{Db, StoreError, on_pool};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;
use yogaflow_core::catalog::Side;
use yogaflow_core::practice::stats::SessionFact;
use yogaflow_core::practice::{SessionKind, SessionStatus};

/// A stored session, with the name of its sequence when it has one.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: i64,
    pub user_id: i64,
    pub kind: SessionKind,
    pub sequence_id: Option<i64>,
    pub breathing_slug: Option<String>,
    pub status: SessionStatus,
    pub paused: bool,
    pub started_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub duration_seconds: u32,
    pub planned_seconds: Option<u32>,
    pub sequence_name: Option<String>,
    pub sequence_difficulty: Option<String>,
    pub sequence_focus_area: Option<String>,
}

macro_rules! session_select {
    () => {
        "SELECT s.id, s.user_id, s.kind, s.sequence_id, s.breathing_slug, s.status, s.paused, s.started_at, \
         s.completed_at, s.duration_seconds, s.planned_seconds, q.name AS sequence_name, \
         q.difficulty AS sequence_difficulty, q.focus_area AS sequence_focus_area \
         FROM practice_sessions s LEFT JOIN sequences q ON q.id = s.sequence_id"
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    user_id: i64,
    kind: String,
    sequence_id: Option<i64>,
    breathing_slug: Option<String>,
    status: String,
    paused: bool,
    started_at: i64,
    completed_at: Option<i64>,
    duration_seconds: i32,
    planned_seconds: Option<i32>,
    sequence_name: Option<String>,
    sequence_difficulty: Option<String>,
    sequence_focus_area: Option<String>,
}

impl TryFrom<Row> for SessionRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(SessionRecord {
            id: r.id,
            user_id: r.user_id,
            kind: SessionKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("kind {}", r.kind)))?,
            sequence_id: r.sequence_id,
            breathing_slug: r.breathing_slug,
            status: SessionStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {}", r.status)))?,
            paused: r.paused,
            started_at: from_micros(r.started_at),
            completed_at: r.completed_at.map(from_micros),
            duration_seconds: u32::try_from(r.duration_seconds).unwrap_or(0),
            planned_seconds: r.planned_seconds.and_then(|p| u32::try_from(p).ok()),
            sequence_name: r.sequence_name,
            sequence_difficulty: r.sequence_difficulty,
            sequence_focus_area: r.sequence_focus_area,
        })
    }
}

/// A session to open.
pub struct NewPracticeSession<'a> {
    pub user_id: i64,
    pub kind: SessionKind,
    pub sequence_id: Option<i64>,
    pub breathing_slug: Option<&'a str>,
    pub planned_seconds: Option<u32>,
}

/// One pose practised, as the player reports it.
#[derive(Debug, Clone, Copy)]
pub struct PractisedPose {
    pub pose_id: i64,
    pub seconds: u32,
    pub side: Option<Side>,
}

/// Filters of the history list.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub status: Option<SessionStatus>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Db {
    /// Marks the user's practice as changed; called after every change, so a
    /// cache labelled with an older version is always reloaded.
    ///
    /// # Errors
    /// Database failures.
    pub async fn bump_practice_version(&self, user_id: i64) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET practice_version = practice_version + 1 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// # Errors
    /// Database failures.
    pub async fn start_session(
        &self,
        s: &NewPracticeSession<'_>,
        now: OffsetDateTime,
    ) -> Result<SessionRecord, StoreError> {
        const SQL: &str = "INSERT INTO practice_sessions (user_id, kind, sequence_id, breathing_slug, status, paused, started_at, duration_seconds, planned_seconds) \
             VALUES ($1, $2, $3, $4, 'in_progress', FALSE, $5, 0, $6) RETURNING id";
        let id: i64 = on_pool!(self, p => sqlx::query_scalar(SQL).bind(s.user_id).bind(s.kind.as_str()).bind(s.sequence_id)
            .bind(s.breathing_slug).bind(to_micros(now)).bind(s.planned_seconds.map(small)).fetch_one(p).await)?;
        self.practice_session(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("session vanished".into()))
    }

    /// # Errors
    /// Database failures.
    pub async fn practice_session(&self, id: i64) -> Result<Option<SessionRecord>, StoreError> {
        const SQL: &str = concat!(session_select!(), " WHERE s.id = $1");
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
        row.map(SessionRecord::try_from).transpose()
    }

    /// The user's most recent session still in progress.
    ///
    /// # Errors
    /// Database failures.
    pub async fn current_session(&self, user_id: i64) -> Result<Option<SessionRecord>, StoreError> {
        const SQL: &str = concat!(
            session_select!(),
            " WHERE s.user_id = $1 AND s.status = 'in_progress' ORDER BY s.started_at DESC, s.id DESC LIMIT 1"
        );
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).fetch_optional(p).await)?;
        row.map(SessionRecord::try_from).transpose()
    }

    /// Records progress of a session in progress (pause or resume); `false` when
    /// it is not the user's or has ended.
    ///
    /// # Errors
    /// Database failures.
    pub async fn set_session_progress(
        &self,
        id: i64,
        user_id: i64,
        duration: u32,
        paused: bool,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE practice_sessions SET duration_seconds = $3, paused = $4 WHERE id = $1 AND user_id = $2 AND status = 'in_progress'";
        let n = on_pool!(self, p => sqlx::query(SQL).bind(id).bind(user_id).bind(small(duration)).bind(paused).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 1 {
            self.bump_practice_version(user_id).await?;
        }
        Ok(n == 1)
    }

    /// Ends a session exactly once, with the poses practised, in one transaction;
    /// `false` when it had already ended (or is not the user's), in which case
    /// nothing changes, so concurrent double submits count once.
    ///
    /// # Errors
    /// Database failures; nothing is written then.
    pub async fn finish_session(
        &self,
        id: i64,
        user_id: i64,
        status: SessionStatus,
        duration: u32,
        poses: &[PractisedPose],
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE practice_sessions SET status = $3, duration_seconds = $4, completed_at = $5, paused = FALSE \
             WHERE id = $1 AND user_id = $2 AND status = 'in_progress'";
        const POSE: &str = "INSERT INTO session_poses (session_id, position, pose_id, seconds, side) VALUES ($1, $2, $3, $4, $5)";
        let done = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(SQL).bind(id).bind(user_id).bind(status.as_str()).bind(small(duration)).bind(to_micros(now))
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                for (i, pose) in poses.iter().enumerate() {
                    sqlx::query(POSE).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(pose.pose_id)
                        .bind(small(pose.seconds)).bind(pose.side.map(Side::as_str)).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                true
            } else {
                false
            }
        });
        if done {
            self.bump_practice_version(user_id).await?;
        }
        Ok(done)
    }

    /// One page of a user's sessions, newest first, and how many match.
    ///
    /// # Errors
    /// Database failures.
    pub async fn history(
        &self,
        user_id: i64,
        f: &HistoryFilter,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<SessionRecord>, u64), StoreError> {
        let filters = |sql: &mut Sql| {
            sql.push(" WHERE s.user_id = ").push_arg(Arg::I64(user_id));
            if let Some(st) = f.status {
                sql.push(" AND s.status = ")
                    .push_arg(Arg::Text(st.as_str().into()));
            }
            if let Some(from) = f.from {
                sql.push(" AND s.started_at >= ")
                    .push_arg(Arg::I64(to_micros(from)));
            }
            if let Some(to) = f.to {
                sql.push(" AND s.started_at <= ")
                    .push_arg(Arg::I64(to_micros(to)));
            }
        };
        let mut list = Sql::default();
        list.push(session_select!());
        filters(&mut list);
        list.push(" ORDER BY s.started_at DESC, s.id DESC LIMIT ")
            .push_arg(Arg::I64(i64::from(limit)))
            .push(" OFFSET ")
            .push_arg(Arg::I64(i64::try_from(offset).unwrap_or(i64::MAX)));
        let mut count = Sql::default();
        count.push("SELECT COUNT(*) FROM practice_sessions s");
        filters(&mut count);
        let rows: Vec<Row> = on_pool!(self, p => bind_args!(sqlx::query_as(AssertSqlSafe(list.text.clone())), &list.args).fetch_all(p).await)?;
        let total: i64 = on_pool!(self, p => bind_args!(sqlx::query_scalar(AssertSqlSafe(count.text.clone())), &count.args).fetch_one(p).await)?;
        let records = rows
            .into_iter()
            .map(SessionRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok((records, u64::try_from(total).unwrap_or(0)))
    }

    /// Every session of a user as statistics facts (ended ones and those in progress).
    ///
    /// # Errors
    /// Database failures.
    pub async fn session_facts(&self, user_id: i64) -> Result<Vec<SessionFact>, StoreError> {
        let packed: Option<String> = on_pool!(self, p => sqlx::query_scalar(crate::facts::PACKED_FACTS).bind(user_id).fetch_one(p).await)?;
        let names: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(crate::facts::SEQUENCE_NAMES).bind(user_id).fetch_all(p).await)?;
        Ok(crate::facts::unpack(packed, names)
            .into_iter()
            .map(|(f, _)| f)
            .collect())
    }

    /// `(pose id, English name, times practised, seconds)` of a user's most
    /// practised poses, at most `limit`.
    ///
    /// # Errors
    /// Database failures.
    pub async fn most_practiced_poses(
        &self,
        user_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
        const SQL: &str = "SELECT sp.pose_id, p.english_name, COUNT(*) AS times, SUM(sp.seconds) AS seconds \
             FROM session_poses sp JOIN practice_sessions s ON s.id = sp.session_id JOIN poses p ON p.id = sp.pose_id \
             WHERE s.user_id = $1 AND s.status IN ('completed', 'partial') \
             GROUP BY sp.pose_id, p.english_name ORDER BY COUNT(*) DESC, p.english_name LIMIT $2";
        Ok(
            on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(i64::from(limit)).fetch_all(p).await)?,
        )
    }
}

/// One pose of a practised session, in order.
#[derive(Debug, Clone)]
pub struct SessionPoseRecord {
    pub session_id: i64,
    pub position: u32,
    pub pose_id: Option<i64>,
    pub seconds: u32,
    pub side: Option<String>,
}

type SessionPoseRow = (i64, i32, Option<i64>, i32, Option<String>);

impl Db {
    /// The poses practised in sessions of `user_id` (one session, or all when
    /// `session_id` is `None`), in order.
    ///
    /// # Errors
    /// Database failures.
    pub async fn session_poses(
        &self,
        user_id: i64,
        session_id: Option<i64>,
    ) -> Result<Vec<SessionPoseRecord>, StoreError> {
        const SQL: &str = "SELECT sp.session_id, sp.position, sp.pose_id, sp.seconds, sp.side FROM session_poses sp \
             JOIN practice_sessions s ON s.id = sp.session_id WHERE s.user_id = $1 AND ($2 = 0 OR s.id = $2) \
             ORDER BY sp.session_id, sp.position";
        let rows: Vec<SessionPoseRow> = on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(session_id.unwrap_or(0)).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(session_id, position, pose_id, seconds, side)| SessionPoseRecord {
                    session_id,
                    position: u32::try_from(position).unwrap_or(0),
                    pose_id,
                    seconds: u32::try_from(seconds).unwrap_or(0),
                    side,
                },
            )
            .collect())
    }
}
