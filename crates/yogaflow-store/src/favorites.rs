//! Favorite poses and sequences, and weekly goals: small per-user settings.

use crate::timestamp::to_micros;
use crate::{Db, StoreError, on_pool};
use time::OffsetDateTime;

/// What a favorite points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FavoriteKind {
    Pose,
    Sequence,
}

impl FavoriteKind {
    fn as_str(self) -> &'static str {
        match self {
            FavoriteKind::Pose => "pose",
            FavoriteKind::Sequence => "sequence",
        }
    }
}

impl Db {
    /// Adds a favorite; adding it again changes nothing.
    ///
    /// # Errors
    /// Database failures.
    pub async fn add_favorite(
        &self,
        user_id: i64,
        kind: FavoriteKind,
        target: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO favorites (user_id, kind, target_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, kind, target_id) DO NOTHING";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(kind.as_str()).bind(target).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Removes a favorite; removing a missing one changes nothing.
    ///
    /// # Errors
    /// Database failures.
    pub async fn remove_favorite(
        &self,
        user_id: i64,
        kind: FavoriteKind,
        target: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "DELETE FROM favorites WHERE user_id = $1 AND kind = $2 AND target_id = $3";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(kind.as_str()).bind(target).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// The ids a user has favorited, newest first.
    ///
    /// # Errors
    /// Database failures.
    pub async fn favorites(
        &self,
        user_id: i64,
        kind: FavoriteKind,
    ) -> Result<Vec<i64>, StoreError> {
        const SQL: &str = "SELECT target_id FROM favorites WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC, target_id";
        Ok(
            on_pool!(self, p => sqlx::query_scalar(SQL).bind(user_id).bind(kind.as_str()).fetch_all(p).await)?,
        )
    }

    /// `(sessions per week, minutes per week)`; `None` where no goal is set.
    ///
    /// # Errors
    /// Database failures.
    pub async fn goals(&self, user_id: i64) -> Result<(Option<u32>, Option<u32>), StoreError> {
        const SQL: &str =
            "SELECT weekly_sessions_goal, weekly_minutes_goal FROM users WHERE id = $1";
        let row: Option<(Option<i32>, Option<i32>)> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).fetch_optional(p).await)?;
        let (s, m) = row.unwrap_or((None, None));
        Ok((
            s.and_then(|v| u32::try_from(v).ok()),
            m.and_then(|v| u32::try_from(v).ok()),
        ))
    }

    /// Sets both goals (`None` clears one).
    ///
    /// # Errors
    /// Database failures.
    pub async fn set_goals(
        &self,
        user_id: i64,
        sessions: Option<u32>,
        minutes: Option<u32>,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE users SET weekly_sessions_goal = $2, weekly_minutes_goal = $3 WHERE id = $1";
        let as_i32 = |v: Option<u32>| v.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(as_i32(sessions)).bind(as_i32(minutes)).execute(p).await.map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// Sets or clears the digest of the user's calendar-feed token.
    ///
    /// # Errors
    /// Database failures.
    pub async fn set_calendar_feed(
        &self,
        user_id: i64,
        hash: Option<&str>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET calendar_feed_hash = $2 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(hash).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// The user whose live feed token has this digest.
    ///
    /// # Errors
    /// Database failures.
    pub async fn user_by_calendar_feed(
        &self,
        hash: &str,
    ) -> Result<Option<yogaflow_core::accounts::User>, StoreError> {
        const SQL: &str = "SELECT id FROM users WHERE calendar_feed_hash = $1";
        let id: Option<i64> =
            on_pool!(self, p => sqlx::query_scalar(SQL).bind(hash).fetch_optional(p).await)?;
        match id {
            Some(id) => self.user_by_id(id).await,
            None => Ok(None),
        }
    }
}
