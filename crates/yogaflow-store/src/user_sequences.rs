//! Sequences users make: create, replace, delete, and share through an
//! unguessable link. Every write names the owner, so one user can never touch
//! another's sequence, whatever id they send.

use crate::timestamp::to_micros;
use crate::{Db, StoreError, on_pool};
use time::OffsetDateTime;
use yogaflow_core::catalog::{Sequence, SequenceDraft};

const INSERT: &str = "INSERT INTO sequences (slug, name, search_name, description, difficulty, focus_area, style, \
duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at) \
VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9, $10, $10) RETURNING id";
const UPDATE: &str = "UPDATE sequences SET name = $3, search_name = $4, description = $5, difficulty = $6, focus_area = $7, \
style = $8, duration_minutes = $9, transition_seconds = $10, updated_at = $11 WHERE id = $1 AND owner_id = $2 AND is_preset = FALSE";
const DELETE_SLOTS: &str = "DELETE FROM sequence_slots WHERE sequence_id = $1";
pub(crate) const INSERT_SLOT: &str = "INSERT INTO sequence_slots (sequence_id, position, pose_id, seconds, side, note) VALUES ($1, $2, $3, $4, $5, $6)";

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Db {
    /// Stores a new sequence owned by `draft.owner_id`; returns its id.
    ///
    /// # Errors
    /// Database failures (including a slot naming a missing pose).
    pub async fn create_user_sequence(
        &self,
        draft: &SequenceDraft,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let ts = to_micros(now);
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(&draft.name).bind(yogaflow_core::text::fold(&draft.name)).bind(&draft.description)
                .bind(draft.difficulty.as_str()).bind(draft.focus_area.as_str()).bind(draft.style.as_str())
                .bind(small(draft.duration_minutes)).bind(small(draft.transition_seconds)).bind(draft.owner_id).bind(ts)
                .fetch_one(&mut *tx).await?;
            for (i, slot) in draft.slots.iter().enumerate() {
                sqlx::query(INSERT_SLOT).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(slot.pose_id)
                    .bind(small(slot.seconds)).bind(slot.side.map(|s| s.as_str())).bind(&slot.note).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Replaces a user's sequence; `false` when it is not theirs.
    ///
    /// # Errors
    /// Database failures.
    pub async fn replace_user_sequence(
        &self,
        id: i64,
        draft: &SequenceDraft,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let ts = to_micros(now);
        let done = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(UPDATE).bind(id).bind(draft.owner_id)
                .bind(&draft.name).bind(yogaflow_core::text::fold(&draft.name)).bind(&draft.description)
                .bind(draft.difficulty.as_str()).bind(draft.focus_area.as_str()).bind(draft.style.as_str())
                .bind(small(draft.duration_minutes)).bind(small(draft.transition_seconds)).bind(ts)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(DELETE_SLOTS).bind(id).execute(&mut *tx).await?;
                for (i, slot) in draft.slots.iter().enumerate() {
                    sqlx::query(INSERT_SLOT).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(slot.pose_id)
                        .bind(small(slot.seconds)).bind(slot.side.map(|s| s.as_str())).bind(&slot.note).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                true
            } else {
                false
            }
        });
        Ok(done)
    }

    /// Deletes a user's sequence; `false` when it is not theirs.
    ///
    /// # Errors
    /// Database failures.
    pub async fn delete_user_sequence(&self, id: i64, owner: i64) -> Result<bool, StoreError> {
        const SQL: &str =
            "DELETE FROM sequences WHERE id = $1 AND owner_id = $2 AND is_preset = FALSE";
        let n = on_pool!(self, p => sqlx::query(SQL).bind(id).bind(owner).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 1 {
            // Past sessions lose the sequence's name.
            self.bump_practice_version(owner).await?;
        }
        Ok(n == 1)
    }

    /// Sets or clears the digest of a sequence's share link; `false` when not theirs.
    ///
    /// # Errors
    /// Database failures.
    pub async fn set_share_hash(
        &self,
        id: i64,
        owner: i64,
        hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE sequences SET share_hash = $3 WHERE id = $1 AND owner_id = $2 AND is_preset = FALSE";
        let n = on_pool!(self, p => sqlx::query(SQL).bind(id).bind(owner).bind(hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// The sequence a share link opens, if the link is still live.
    ///
    /// # Errors
    /// Database failures.
    pub async fn shared_sequence(&self, hash: &str) -> Result<Option<Sequence>, StoreError> {
        const SQL: &str = "SELECT id FROM sequences WHERE share_hash = $1";
        let id: Option<i64> =
            on_pool!(self, p => sqlx::query_scalar(SQL).bind(hash).fetch_optional(p).await)?;
        match id {
            Some(id) => self.get_sequence(id).await,
            None => Ok(None),
        }
    }

    /// Whether the sequence currently has a live share link.
    ///
    /// # Errors
    /// Database failures.
    pub async fn is_shared(&self, id: i64) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM sequences WHERE id = $1 AND share_hash IS NOT NULL";
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(SQL).bind(id).fetch_one(p).await)?;
        Ok(n > 0)
    }
}
