//! Admin writes to the library: poses and preset sequences created, replaced,
//! deleted and restored one at a time. Each write and its `content_history` row
//! commit in one transaction, and each bumps `catalog_state.version` so every
//! instance drops its cached answers.
//!
//! Concurrency: the caller reads the record and its history head (`base_version`)
//! first; the history row is written as `base_version + 1`, so two admins who
//! edited the same record from the same version cannot both succeed (the second
//! gets [`AdminWrite::Conflict`] instead of silently overwriting the first).

use crate::timestamp::to_micros;
use crate::{Db, StoreError, on_pool};
use time::OffsetDateTime;
use yogaflow_core::catalog::{ContentAction, ContentKind, PoseDraft, SequenceDraft};

/// Who changed what, and the record before and after as JSON text.
#[derive(Debug, Clone)]
pub struct ContentChange<'a> {
    pub actor: i64,
    pub action: ContentAction,
    /// The history version the caller read the record at (0 when none yet).
    pub base_version: i64,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub now: OffsetDateTime,
}

/// A sequence that uses a pose, as a refused pose deletion reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceUse {
    pub id: i64,
    pub name: String,
    pub is_preset: bool,
}

/// The result of an admin write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminWrite {
    /// Written: the record's id and its new history version.
    Done { id: i64, version: i64 },
    /// No such record (or, for sequences, not a preset).
    NotFound,
    /// Someone else changed the record since the caller read it; nothing written.
    Conflict,
    /// The pose is used by these sequences; nothing written.
    InUse(Vec<SequenceUse>),
}

/// One version of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: i64,
    pub kind: ContentKind,
    pub target_id: i64,
    pub version: i64,
    pub actor_user_id: Option<i64>,
    pub actor_email: Option<String>,
    pub action: ContentAction,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: OffsetDateTime,
}

const INSERT_POSE: &str = "INSERT INTO poses (slug, v1_id, english_name, sanskrit_iast, sanskrit_ascii, category, \
difficulty, sided, hold_value, hold_unit, breath_cue, description, safety_note, target_areas, props, instructions, \
benefits, contraindications, modifications, common_mistakes, image_urls, search_names, search_body, figure, created_at, updated_at) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) \
RETURNING id";
const INSERT_POSE_WITH_ID: &str = "INSERT INTO poses (slug, v1_id, english_name, sanskrit_iast, sanskrit_ascii, category, \
difficulty, sided, hold_value, hold_unit, breath_cue, description, safety_note, target_areas, props, instructions, \
benefits, contraindications, modifications, common_mistakes, image_urls, search_names, search_body, figure, created_at, updated_at, id) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25, $26) \
RETURNING id";
const UPDATE_POSE: &str = "UPDATE poses SET slug = $1, v1_id = $2, english_name = $3, sanskrit_iast = $4, \
sanskrit_ascii = $5, category = $6, difficulty = $7, sided = $8, hold_value = $9, hold_unit = $10, breath_cue = $11, \
description = $12, safety_note = $13, target_areas = $14, props = $15, instructions = $16, benefits = $17, \
contraindications = $18, modifications = $19, common_mistakes = $20, image_urls = $21, search_names = $22, \
search_body = $23, figure = $24, updated_at = $25 WHERE id = $26";
const DELETE_AREAS: &str = "DELETE FROM pose_target_areas WHERE pose_id = $1";
const INSERT_AREA: &str = "INSERT INTO pose_target_areas (pose_id, area) VALUES ($1, $2)";
const POSE_USES: &str = "SELECT q.id, q.name, q.is_preset FROM sequences q \
WHERE q.id IN (SELECT s.sequence_id FROM sequence_slots s WHERE s.pose_id = $1) ORDER BY q.is_preset DESC, q.name, q.id";
const DELETE_POSE: &str = "DELETE FROM poses WHERE id = $1";

const INSERT_SEQUENCE: &str = "INSERT INTO sequences (slug, name, search_name, description, difficulty, focus_area, \
style, duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, NULL, $10, $10) RETURNING id";
const INSERT_SEQUENCE_WITH_ID: &str = "INSERT INTO sequences (slug, name, search_name, description, difficulty, \
focus_area, style, duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at, id) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, NULL, $10, $10, $11) RETURNING id";
const UPDATE_SEQUENCE: &str = "UPDATE sequences SET slug = $1, name = $2, search_name = $3, description = $4, \
difficulty = $5, focus_area = $6, style = $7, duration_minutes = $8, transition_seconds = $9, updated_at = $10 \
WHERE id = $11 AND is_preset = TRUE";
const DELETE_SLOTS: &str = "DELETE FROM sequence_slots WHERE sequence_id = $1";
const INSERT_SLOT: &str = "INSERT INTO sequence_slots (sequence_id, position, pose_id, seconds, side, note) \
VALUES ($1, $2, $3, $4, $5, $6)";
const BUMP_PRACTICE: &str = "UPDATE users SET practice_version = practice_version + 1 \
WHERE id IN (SELECT p.user_id FROM practice_sessions p WHERE p.sequence_id = $1)";
const DELETE_SEQUENCE: &str = "DELETE FROM sequences WHERE id = $1 AND is_preset = TRUE";
const DELETE_FAVORITES: &str = "DELETE FROM favorites WHERE kind = $1 AND target_id = $2";

const BUMP_VERSION: &str = "UPDATE catalog_state SET version = version + 1 WHERE id = 1";
const INSERT_HISTORY: &str = "INSERT INTO content_history (kind, target_id, version, actor_user_id, action, \
before_json, after_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const HISTORY_HEAD: &str =
    "SELECT COALESCE(MAX(version), 0) FROM content_history WHERE kind = $1 AND target_id = $2";
const HISTORY_LIST: &str = "SELECT h.id, h.kind, h.target_id, h.version, h.actor_user_id, u.email, h.action, \
h.before_json, h.after_json, h.created_at FROM content_history h LEFT JOIN users u ON u.id = h.actor_user_id \
WHERE h.kind = $1 AND h.target_id = $2 ORDER BY h.version DESC";
const HISTORY_ONE: &str = "SELECT h.id, h.kind, h.target_id, h.version, h.actor_user_id, u.email, h.action, \
h.before_json, h.after_json, h.created_at FROM content_history h LEFT JOIN users u ON u.id = h.actor_user_id \
WHERE h.kind = $1 AND h.target_id = $2 AND h.version = $3";

type HistoryRow = (
    i64,
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
);

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn strs<T: std::fmt::Display>(items: &[T]) -> String {
    json(&items.iter().map(ToString::to_string).collect::<Vec<_>>())
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// Binds a pose draft's 24 columns, in the order of the statements above, then `ts` as $25.
macro_rules! bind_pose {
    ($q:expr, $d:expr, $ts:expr) => {
        $q.bind(&$d.slug)
            .bind($d.v1_id)
            .bind(&$d.english_name)
            .bind(&$d.sanskrit_iast)
            .bind(&$d.sanskrit_ascii)
            .bind($d.category.as_str())
            .bind($d.difficulty.as_str())
            .bind($d.sided)
            .bind(small($d.hold.value))
            .bind($d.hold.unit.as_str())
            .bind(&$d.breath_cue)
            .bind(&$d.description)
            .bind(&$d.safety_note)
            .bind(strs(&$d.target_areas))
            .bind(strs(&$d.props))
            .bind(json(&$d.instructions))
            .bind(json(&$d.benefits))
            .bind(json(&$d.contraindications))
            .bind(json(&$d.modifications))
            .bind(json(&$d.common_mistakes))
            .bind(json(&$d.image_urls))
            .bind($d.search_names())
            .bind($d.search_body())
            .bind(&$d.figure)
            .bind($ts)
    };
}

/// Binds a sequence draft's 9 columns, then `ts` as $10.
macro_rules! bind_sequence {
    ($q:expr, $d:expr, $ts:expr) => {
        $q.bind(&$d.slug)
            .bind(&$d.name)
            .bind(yogaflow_core::text::fold(&$d.name))
            .bind(&$d.description)
            .bind($d.difficulty.as_str())
            .bind($d.focus_area.as_str())
            .bind($d.style.as_str())
            .bind(small($d.duration_minutes))
            .bind(small($d.transition_seconds))
            .bind($ts)
    };
}

/// Writes the history row and bumps the catalog version, then commits; a
/// history version taken meanwhile by someone else rolls everything back.
macro_rules! finish {
    ($tx:ident, $kind:expr, $id:expr, $c:expr) => {{ finish!($tx, $kind, $id, $c, $c.base_version) }};
    ($tx:ident, $kind:expr, $id:expr, $c:expr, $base:expr) => {{
        let version = $base + 1;
        let inserted = sqlx::query(INSERT_HISTORY)
            .bind($kind.as_str())
            .bind($id)
            .bind(version)
            .bind($c.actor)
            .bind($c.action.as_str())
            .bind($c.before)
            .bind($c.after)
            .bind(to_micros($c.now))
            .execute(&mut *$tx)
            .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => AdminWrite::Conflict,
            Err(e) => return Err(e.into()),
            Ok(_) => {
                sqlx::query(BUMP_VERSION).execute(&mut *$tx).await?;
                $tx.commit().await?;
                AdminWrite::Done { id: $id, version }
            }
        }
    }};
}

fn entry(row: HistoryRow) -> Result<HistoryEntry, StoreError> {
    let (id, kind, target_id, version, actor_user_id, actor_email, action, before, after, at) = row;
    Ok(HistoryEntry {
        id,
        kind: ContentKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("history kind {kind}")))?,
        target_id,
        version,
        actor_user_id,
        actor_email,
        action: ContentAction::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("history action {action}")))?,
        before_json: before,
        after_json: after,
        created_at: crate::timestamp::from_micros(at),
    })
}

impl Db {
    /// The newest history version of a record (0 when it has none).
    ///
    /// # Errors
    /// Database failures.
    pub async fn history_head(&self, kind: ContentKind, id: i64) -> Result<i64, StoreError> {
        let v: i64 = on_pool!(self, p => sqlx::query_scalar(HISTORY_HEAD).bind(kind.as_str()).bind(id).fetch_one(p).await)?;
        Ok(v)
    }

    /// The sequence that has `slug`, if any.
    ///
    /// # Errors
    /// Database failures.
    pub async fn sequence_with_slug(&self, slug: &str) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "SELECT id FROM sequences WHERE slug = $1";
        let id: Option<i64> =
            on_pool!(self, p => sqlx::query_scalar(SQL).bind(slug).fetch_optional(p).await)?;
        Ok(id)
    }

    /// The ids of every preset sequence, in id order (for `content export`).
    ///
    /// # Errors
    /// Database failures.
    pub async fn preset_ids(&self) -> Result<Vec<i64>, StoreError> {
        const SQL: &str = "SELECT id FROM sequences WHERE is_preset = TRUE ORDER BY id";
        let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(SQL).fetch_all(p).await)?;
        Ok(ids)
    }

    /// Every version of a record, newest first.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn content_history(
        &self,
        kind: ContentKind,
        id: i64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows: Vec<HistoryRow> = on_pool!(self, p => sqlx::query_as(HISTORY_LIST).bind(kind.as_str()).bind(id).fetch_all(p).await)?;
        rows.into_iter().map(entry).collect()
    }

    /// One version of a record.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn history_version(
        &self,
        kind: ContentKind,
        id: i64,
        version: i64,
    ) -> Result<Option<HistoryEntry>, StoreError> {
        let row: Option<HistoryRow> = on_pool!(self, p => sqlx::query_as(HISTORY_ONE).bind(kind.as_str()).bind(id).bind(version).fetch_optional(p).await)?;
        row.map(entry).transpose()
    }

    /// Stores a pose (under `id` when given, as a restore of a deleted pose does).
    ///
    /// # Errors
    /// Database failures, including a slug or id already taken.
    pub async fn admin_insert_pose(
        &self,
        id: Option<i64>,
        draft: &PoseDraft,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let ts = to_micros(change.now);
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let new_id: i64 = match id {
                None => bind_pose!(sqlx::query_scalar(INSERT_POSE), draft, ts).fetch_one(&mut *tx).await?,
                Some(id) => bind_pose!(sqlx::query_scalar(INSERT_POSE_WITH_ID), draft, ts).bind(id).fetch_one(&mut *tx).await?,
            };
            for area in &draft.target_areas {
                sqlx::query(INSERT_AREA).bind(new_id).bind(area.as_str()).execute(&mut *tx).await?;
            }
            // SQLite may hand out a deleted record's id again: its history goes on.
            let head: i64 = sqlx::query_scalar(HISTORY_HEAD).bind(ContentKind::Pose.as_str()).bind(new_id).fetch_one(&mut *tx).await?;
            finish!(tx, ContentKind::Pose, new_id, change, head.max(change.base_version))
        });
        Ok(outcome)
    }

    /// Replaces a pose.
    ///
    /// # Errors
    /// Database failures, including a slug already taken.
    pub async fn admin_update_pose(
        &self,
        id: i64,
        draft: &PoseDraft,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let ts = to_micros(change.now);
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = bind_pose!(sqlx::query(UPDATE_POSE), draft, ts).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                AdminWrite::NotFound
            } else {
                sqlx::query(DELETE_AREAS).bind(id).execute(&mut *tx).await?;
                for area in &draft.target_areas {
                    sqlx::query(INSERT_AREA).bind(id).bind(area.as_str()).execute(&mut *tx).await?;
                }
                finish!(tx, ContentKind::Pose, id, change)
            }
        });
        Ok(outcome)
    }

    /// Deletes a pose that no sequence uses; otherwise reports the sequences and
    /// writes nothing. Practice history keeps its rows (their pose becomes NULL).
    ///
    /// # Errors
    /// Database failures.
    pub async fn admin_delete_pose(
        &self,
        id: i64,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let uses: Vec<(i64, String, bool)> = sqlx::query_as(POSE_USES).bind(id).fetch_all(&mut *tx).await?;
            if uses.is_empty() {
                let n = sqlx::query(DELETE_POSE).bind(id).execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    AdminWrite::NotFound
                } else {
                    sqlx::query(DELETE_FAVORITES).bind("pose").bind(id).execute(&mut *tx).await?;
                    finish!(tx, ContentKind::Pose, id, change)
                }
            } else {
                AdminWrite::InUse(uses.into_iter().map(|(id, name, is_preset)| SequenceUse { id, name, is_preset }).collect())
            }
        });
        Ok(outcome)
    }

    /// Stores a preset sequence (under `id` when given, as a restore does).
    ///
    /// # Errors
    /// Database failures, including a slug or id already taken or a missing pose.
    pub async fn admin_insert_sequence(
        &self,
        id: Option<i64>,
        draft: &SequenceDraft,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let ts = to_micros(change.now);
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let new_id: i64 = match id {
                None => bind_sequence!(sqlx::query_scalar(INSERT_SEQUENCE), draft, ts).fetch_one(&mut *tx).await?,
                Some(id) => bind_sequence!(sqlx::query_scalar(INSERT_SEQUENCE_WITH_ID), draft, ts).bind(id).fetch_one(&mut *tx).await?,
            };
            for (i, slot) in draft.slots.iter().enumerate() {
                sqlx::query(INSERT_SLOT).bind(new_id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(slot.pose_id)
                    .bind(small(slot.seconds)).bind(slot.side.map(|s| s.as_str())).bind(&slot.note).execute(&mut *tx).await?;
            }
            let head: i64 = sqlx::query_scalar(HISTORY_HEAD).bind(ContentKind::Sequence.as_str()).bind(new_id).fetch_one(&mut *tx).await?;
            finish!(tx, ContentKind::Sequence, new_id, change, head.max(change.base_version))
        });
        Ok(outcome)
    }

    /// Replaces a preset sequence and its slots.
    ///
    /// # Errors
    /// Database failures, including a slug already taken or a missing pose.
    pub async fn admin_update_sequence(
        &self,
        id: i64,
        draft: &SequenceDraft,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let ts = to_micros(change.now);
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = bind_sequence!(sqlx::query(UPDATE_SEQUENCE), draft, ts).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                AdminWrite::NotFound
            } else {
                sqlx::query(DELETE_SLOTS).bind(id).execute(&mut *tx).await?;
                for (i, slot) in draft.slots.iter().enumerate() {
                    sqlx::query(INSERT_SLOT).bind(id).bind(i32::try_from(i + 1).unwrap_or(i32::MAX)).bind(slot.pose_id)
                        .bind(small(slot.seconds)).bind(slot.side.map(|s| s.as_str())).bind(&slot.note).execute(&mut *tx).await?;
                }
                finish!(tx, ContentKind::Sequence, id, change)
            }
        });
        Ok(outcome)
    }

    /// Deletes a preset sequence. Sessions practised with it keep their rows
    /// (the sequence becomes NULL) and their owners' statistics are recomputed.
    ///
    /// # Errors
    /// Database failures.
    pub async fn admin_delete_sequence(
        &self,
        id: i64,
        change: &ContentChange<'_>,
    ) -> Result<AdminWrite, StoreError> {
        let outcome = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(BUMP_PRACTICE).bind(id).execute(&mut *tx).await?;
            let n = sqlx::query(DELETE_SEQUENCE).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                AdminWrite::NotFound
            } else {
                sqlx::query(DELETE_FAVORITES).bind("sequence").bind(id).execute(&mut *tx).await?;
                finish!(tx, ContentKind::Sequence, id, change)
            }
        });
        Ok(outcome)
    }
}
