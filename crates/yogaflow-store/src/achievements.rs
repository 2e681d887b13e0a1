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

const PRACTISED: &str = "SELECT p.category, COUNT(DISTINCT sp.pose_id) FROM session_poses sp \
     JOIN practice_sessions s ON s.id = sp.session_id JOIN poses p ON p.id = sp.pose_id \
     WHERE s.user_id = $1 AND s.status IN ('completed', 'partial') GROUP BY p.category";
const TOTALS: &str = "SELECT category, COUNT(*) FROM poses GROUP BY category";
const FINISH: &str = "UPDATE practice_sessions SET status = $3, duration_seconds = $4, completed_at = $5, paused = FALSE \
     WHERE id = $1 AND user_id = $2 AND status = 'in_progress'";
const POSE: &str = "INSERT INTO session_poses (session_id, position, pose_id, seconds, side) VALUES ($1, $2, $3, $4, $5)";
const AWARD: &str = "INSERT INTO user_achievements (user_id, code, earned_at, session_id) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (user_id, code) DO NOTHING";

fn assemble(
    packed: Option<String>,
    names: Vec<(i64, String)>,
    practised: Vec<(String, i64)>,
    totals: Vec<(String, i64)>,
) -> AwardInput {
    let mut input = AwardInput::default();
    for (fact, kind) in crate::facts::unpack(packed, names) {
        input.kinds.push((kind, fact.status, fact.started_at));
        input.facts.push(fact);
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
        let packed: Option<String> = on_pool!(self, p => sqlx::query_scalar(crate::facts::PACKED_FACTS).bind(user_id).fetch_one(p).await)?;
        let names: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(crate::facts::SEQUENCE_NAMES).bind(user_id).fetch_all(p).await)?;
        let practised: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(PRACTISED).bind(user_id).fetch_all(p).await)?;
        let totals: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(TOTALS).fetch_all(p).await)?;
        Ok(assemble(packed, names, practised, totals))
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
                let packed: Option<String> = sqlx::query_scalar(crate::facts::PACKED_FACTS).bind(user_id).fetch_one(&mut *tx).await?;
                let names: Vec<(i64, String)> = sqlx::query_as(crate::facts::SEQUENCE_NAMES).bind(user_id).fetch_all(&mut *tx).await?;
                let practised: Vec<(String, i64)> = sqlx::query_as(PRACTISED).bind(user_id).fetch_all(&mut *tx).await?;
                let totals: Vec<(String, i64)> = sqlx::query_as(TOTALS).fetch_all(&mut *tx).await?;
                let input = assemble(packed, names, practised, totals);
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
        if result.is_some() {
            self.bump_practice_version(user_id).await?;
        }
        Ok(result)
    }
}
