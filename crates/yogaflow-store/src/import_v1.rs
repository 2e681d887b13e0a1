//! Writes for `yogaflow import-v1`: each 1.0 record lands together with its row
//! in `import_v1_map`, in one transaction, so an interrupted import resumes
//! where it stopped and a repeated one moves nothing twice.

use crate::timestamp::to_micros;
use crate::user_sequences::INSERT_SLOT;
use crate::{Db, StoreError, on_pool};
use std::collections::HashMap;
use time::OffsetDateTime;
use yogaflow_core::catalog::{Difficulty, SequenceDraft};
use yogaflow_core::practice::{SessionKind, SessionStatus};

/// The kinds of 1.0 record the map remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    User,
    Sequence,
    Session,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::User => "user",
            ImportKind::Sequence => "sequence",
            ImportKind::Session => "session",
        }
    }
}

/// A 1.0 account as it is stored here: the bcrypt hash is kept as it is (the
/// sign-in upgrades it to Argon2id), and the role is always `user`.
pub struct ImportedUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub experience_level: Difficulty,
    pub email_verified: bool,
    pub created_at: OffsetDateTime,
    pub last_login: Option<OffsetDateTime>,
}

/// A 1.0 practice session, already ended.
pub struct ImportedSession {
    pub user_id: i64,
    pub kind: SessionKind,
    pub sequence_id: Option<i64>,
    pub status: SessionStatus,
    pub started_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub duration_seconds: u32,
}

const MAP: &str =
    "INSERT INTO import_v1_map (kind, old_id, new_id, imported_at) VALUES ($1, $2, $3, $4)";

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Db {
    /// The 1.0 ids of `kind` imported so far, with their id here, or `None`
    /// when that record has been deleted here since.
    ///
    /// # Errors
    /// Database failures.
    pub async fn import_v1_ids(
        &self,
        kind: ImportKind,
    ) -> Result<HashMap<i64, Option<i64>>, StoreError> {
        // One text per kind: table names cannot be bound.
        let sql = match kind {
            ImportKind::User => {
                "SELECT m.old_id, t.id FROM import_v1_map m LEFT JOIN users t ON t.id = m.new_id WHERE m.kind = 'user'"
            }
            ImportKind::Sequence => {
                "SELECT m.old_id, t.id FROM import_v1_map m LEFT JOIN sequences t ON t.id = m.new_id WHERE m.kind = 'sequence'"
            }
            ImportKind::Session => {
                "SELECT m.old_id, t.id FROM import_v1_map m LEFT JOIN practice_sessions t ON t.id = m.new_id WHERE m.kind = 'session'"
            }
        };
        let rows: Vec<(i64, Option<i64>)> =
            on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows.into_iter().collect())
    }

    /// Our pose id for each 1.0 pose id (the library keeps 1.0's numbers in `v1_id`).
    ///
    /// # Errors
    /// Database failures.
    pub async fn pose_ids_by_v1(&self) -> Result<HashMap<i64, i64>, StoreError> {
        const SQL: &str = "SELECT v1_id, id FROM poses WHERE v1_id IS NOT NULL";
        let rows: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await)?;
        Ok(rows.into_iter().collect())
    }

    /// Library presets by name, lowercased: 1.0's presets are matched by name.
    ///
    /// # Errors
    /// Database failures.
    pub async fn preset_ids_by_name(&self) -> Result<HashMap<String, i64>, StoreError> {
        const SQL: &str =
            "SELECT name, id FROM sequences WHERE is_preset = TRUE AND slug IS NOT NULL";
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(n, id)| (n.to_lowercase(), id))
            .collect())
    }

    /// Stores a 1.0 account; `None` when the email is already registered here.
    ///
    /// # Errors
    /// Database failures, including a 1.0 id already in the map (a concurrent
    /// import); nothing is written then.
    pub async fn import_v1_user(
        &self,
        u: &ImportedUser<'_>,
        old_id: i64,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        // tokens_valid_after = now: nothing issued before the import is valid.
        const SQL: &str = "INSERT INTO users (email, name, password_hash, role, experience_level, email_verified, \
             time_zone, tokens_valid_after, created_at, updated_at, last_login) \
             VALUES ($1, $2, $3, 'user', $4, $5, 'UTC', $6, $7, $6, $8) ON CONFLICT (email) DO NOTHING RETURNING id";
        let ts = to_micros(now);
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(SQL)
                .bind(u.email).bind(u.name).bind(u.password_hash).bind(u.experience_level.as_str())
                .bind(u.email_verified).bind(ts).bind(to_micros(u.created_at)).bind(u.last_login.map(to_micros))
                .fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                sqlx::query(MAP).bind(ImportKind::User.as_str()).bind(old_id).bind(id).bind(ts).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            id
        });
        Ok(id)
    }

    /// Stores a 1.0 sequence as its owner's own (private) sequence.
    ///
    /// # Errors
    /// Database failures; nothing is written then.
    pub async fn import_v1_sequence(
        &self,
        draft: &SequenceDraft,
        old_id: i64,
        created_at: OffsetDateTime,
        updated_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO sequences (slug, name, search_name, description, difficulty, focus_area, style, \
             duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at) \
             VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9, $10, $11) RETURNING id";
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(&draft.name).bind(yogaflow_core::text::fold(&draft.name)).bind(&draft.description)
                .bind(draft.difficulty.as_str()).bind(draft.focus_area.as_str()).bind(draft.style.as_str())
                .bind(small(draft.duration_minutes)).bind(small(draft.transition_seconds)).bind(draft.owner_id)
                .bind(to_micros(created_at)).bind(to_micros(updated_at))
                .fetch_one(&mut *tx).await?;
            for (i, slot) in draft.slots.iter().enumerate() {
                sqlx::query(INSERT_SLOT).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(slot.pose_id)
                    .bind(small(slot.seconds)).bind(slot.side.map(|s| s.as_str())).bind(&slot.note).execute(&mut *tx).await?;
            }
            sqlx::query(MAP).bind(ImportKind::Sequence.as_str()).bind(old_id).bind(id).bind(to_micros(now)).execute(&mut *tx).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Stores a 1.0 practice session and marks its owner's practice as changed.
    ///
    /// # Errors
    /// Database failures; nothing is written then.
    pub async fn import_v1_session(
        &self,
        s: &ImportedSession,
        old_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO practice_sessions (user_id, kind, sequence_id, breathing_slug, status, paused, \
             started_at, completed_at, duration_seconds, planned_seconds) \
             VALUES ($1, $2, $3, NULL, $4, FALSE, $5, $6, $7, NULL) RETURNING id";
        const BUMP: &str = "UPDATE users SET practice_version = practice_version + 1 WHERE id = $1";
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(s.user_id).bind(s.kind.as_str()).bind(s.sequence_id).bind(s.status.as_str())
                .bind(to_micros(s.started_at)).bind(s.completed_at.map(to_micros)).bind(small(s.duration_seconds))
                .fetch_one(&mut *tx).await?;
            sqlx::query(MAP).bind(ImportKind::Session.as_str()).bind(old_id).bind(id).bind(to_micros(now)).execute(&mut *tx).await?;
            sqlx::query(BUMP).bind(s.user_id).execute(&mut *tx).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }
}
