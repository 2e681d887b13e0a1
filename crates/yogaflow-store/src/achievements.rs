//! Earned achievements, awarded in the same transaction as the session that
//! earns them: a session either ends and awards, or neither happens, and the
//! primary key (user, code) makes every award happen exactly once.

use crate::practice::PractisedPose;
use crate::timestamp::{from_micros, to_micros};
use crate::{Db, StoreError, on_pool};
use std::collections::HashMap;
use time::OffsetDateTime;
use yogaflow_core::catalog::{Category, Side};
use yogaflow_core::practice::stats::SessionFact;
use yogaflow_core::practice::{SessionKind, SessionStatus};

/// Everything achievement rules read about one user.
#[derive(Debug, Clone, Default)]
pub struct AwardInput {
    pub facts: Vec<SessionFact>,
    pub kinds: Vec<(SessionKind, SessionStatus, OffsetDateTime)>,
    /// Per category: (distinct poses practised, poses in the library).
    pub mastery: HashMap<Category, (u64, u64)>,
}

const FACTS: &str = "SELECT s.started_at, s.duration_seconds, s.status, s.sequence_id, q.name, s.kind \
     FROM practice_sessions s LEFT JOIN sequences q ON q.id = s.sequence_id WHERE s.user_id = $1";
const PRACTISED: &str = "SELECT p.category, COUNT(DISTINCT sp.pose_id) FROM session_poses sp \
     JOIN practice_sessions s ON s.id = sp.session_id JOIN poses p ON p.id = sp.pose_id \
     WHERE s.user_id = $1 AND s.status IN ('completed', 'partial') GROUP BY p.category";
const TOTALS: &str = "SELECT category, COUNT(*) FROM poses GROUP BY category";
const FINISH: &str = "UPDATE practice_sessions SET status = $3, duration_seconds = $4, completed_at = $5, paused = FALSE \
     WHERE id = $1 AND user_id = $2 AND status = 'in_progress'";
const POSE: &str = "INSERT INTO session_poses (session_id, position, pose_id, seconds, side) VALUES ($1, $2, $3, $4, $5)";
const AWARD: &str = "INSERT INTO user_achievements (user_id, code, earned_at, session_id) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (user_id, code) DO NOTHING";

type FactRow = (i64, i32, String, Option<i64>, Option<String>, String);

fn assemble(
    rows: Vec<FactRow>,
    practised: Vec<(String, i64)>,
    totals: Vec<(String, i64)>,
) -> AwardInput {
    let mut input = AwardInput::default();
    for (at, d, st, seq, name, kind) in rows {
        let (Some(status), Some(kind)) = (SessionStatus::parse(&st), SessionKind::parse(&kind))
        else {
            continue;
        };
        let started_at = from_micros(at);
        input.facts.push(SessionFact {
            started_at,
            duration_seconds: u32::try_from(d).unwrap_or(0),
            status,
            sequence: seq.zip(name),
        });
        input.kinds.push((kind, status, started_at));
    }
    let done: HashMap<String, i64> = practised.into_iter().collect();
    for (category, total) in totals {
        if let Some(c) = Category::parse(&category) {
            let n = done.get(&category).copied().unwrap_or(0);
            input.mastery.insert(
                c,
                (
                    u64::try_from(n).unwrap_or(0),
                    u64::try_from(total).unwrap_or(0),
                ),
            );
        }
    }
    input
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Db {
    /// What achievement rules need to know about a user, now.
    ///
    /// # Errors
    /// Database failures.
    pub async fn award_input(&self, user_id: i64) -> Result<AwardInput, StoreError> {
        let rows: Vec<FactRow> =
            on_pool!(self, p => sqlx::query_as(FACTS).bind(user_id).fetch_all(p).await)?;
        let practised: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(PRACTISED).bind(user_id).fetch_all(p).await)?;
        let totals: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(TOTALS).fetch_all(p).await)?;
        Ok(assemble(rows, practised, totals))
    }

    /// `(code, earned at)` of every achievement the user holds.
    ///
    /// # Errors
    /// Database failures.
    pub async fn earned_achievements(
        &self,
        user_id: i64,
    ) -> Result<Vec<(String, OffsetDateTime)>, StoreError> {
        const SQL: &str = "SELECT code, earned_at FROM user_achievements WHERE user_id = $1 ORDER BY earned_at, code";
        let rows: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(c, t)| (c, from_micros(t))).collect())
    }

    /// Ends a session exactly once with its poses, then, in the same
    /// transaction, asks `evaluate` which achievements the user now holds and
    /// awards those not yet held. `None` when the session had already ended;
    /// otherwise the codes unlocked by this session.
    ///
    /// # Errors
    /// Database failures; nothing is written then.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_session_awarding(
        &self,
        id: i64,
        user_id: i64,
        status: SessionStatus,
        duration: u32,
        poses: &[PractisedPose],
        now: OffsetDateTime,
        evaluate: impl FnOnce(&AwardInput) -> Vec<String>,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let ts = to_micros(now);
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(FINISH).bind(id).bind(user_id).bind(status.as_str()).bind(small(duration)).bind(ts)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                for (i, pose) in poses.iter().enumerate() {
                    sqlx::query(POSE).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(pose.pose_id)
                        .bind(small(pose.seconds)).bind(pose.side.map(Side::as_str)).execute(&mut *tx).await?;
                }
                let rows: Vec<FactRow> = sqlx::query_as(FACTS).bind(user_id).fetch_all(&mut *tx).await?;
                let practised: Vec<(String, i64)> = sqlx::query_as(PRACTISED).bind(user_id).fetch_all(&mut *tx).await?;
                let totals: Vec<(String, i64)> = sqlx::query_as(TOTALS).fetch_all(&mut *tx).await?;
                let input = assemble(rows, practised, totals);
                let mut unlocked = Vec::new();
                for code in evaluate(&input) {
                    let added = sqlx::query(AWARD).bind(user_id).bind(&code).bind(ts).bind(id)
                        .execute(&mut *tx).await?.rows_affected();
                    if added == 1 {
                        unlocked.push(code);
                    }
                }
                tx.commit().await?;
                Some(unlocked)
            } else {
                None
            }
        });
        Ok(result)
    }
}
