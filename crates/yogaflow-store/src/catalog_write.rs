//! Loading the bundled library: upsert by slug, inside one transaction, touching
//! only what changed. An entry is rewritten only when its file changed since the
//! last load (a fingerprint per row), so admins' edits survive restarts. User data (sessions, users' own sequences) is never deleted,
//! and a pose that left the library stays until an admin removes it.

use crate::timestamp::to_micros;
use crate::{Db, StoreError, on_pool};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use yogaflow_core::catalog::{Pose, PoseDraft, SequenceDraft};

/// What a library load changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub poses_added: usize,
    pub poses_updated: usize,
    pub poses_unchanged: usize,
    pub sequences_added: usize,
    pub sequences_updated: usize,
    pub sequences_unchanged: usize,
}

impl LoadReport {
    pub fn changed(&self) -> bool {
        self.poses_added + self.poses_updated + self.sequences_added + self.sequences_updated > 0
    }
}

const UPSERT_POSE: &str = "INSERT INTO poses (slug, v1_id, english_name, sanskrit_iast, sanskrit_ascii, category, \
difficulty, sided, hold_value, hold_unit, breath_cue, description, safety_note, target_areas, props, instructions, \
benefits, contraindications, modifications, common_mistakes, image_urls, search_names, search_body, created_at, updated_at, content_hash, figure) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25, $26) \
ON CONFLICT (slug) DO UPDATE SET v1_id = excluded.v1_id, english_name = excluded.english_name, \
sanskrit_iast = excluded.sanskrit_iast, sanskrit_ascii = excluded.sanskrit_ascii, category = excluded.category, \
difficulty = excluded.difficulty, sided = excluded.sided, hold_value = excluded.hold_value, hold_unit = excluded.hold_unit, \
breath_cue = excluded.breath_cue, description = excluded.description, safety_note = excluded.safety_note, \
target_areas = excluded.target_areas, props = excluded.props, instructions = excluded.instructions, \
benefits = excluded.benefits, contraindications = excluded.contraindications, modifications = excluded.modifications, \
common_mistakes = excluded.common_mistakes, search_names = excluded.search_names, search_body = excluded.search_body, \
updated_at = excluded.updated_at, content_hash = excluded.content_hash, figure = excluded.figure RETURNING id";

const DELETE_AREAS: &str = "DELETE FROM pose_target_areas WHERE pose_id = $1";
const INSERT_AREA: &str = "INSERT INTO pose_target_areas (pose_id, area) VALUES ($1, $2)";

const UPSERT_SEQUENCE: &str = "INSERT INTO sequences (slug, name, search_name, description, difficulty, focus_area, \
style, duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at, content_hash) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) \
ON CONFLICT (slug) DO UPDATE SET name = excluded.name, search_name = excluded.search_name, \
description = excluded.description, difficulty = excluded.difficulty, focus_area = excluded.focus_area, \
style = excluded.style, duration_minutes = excluded.duration_minutes, transition_seconds = excluded.transition_seconds, \
is_preset = excluded.is_preset, updated_at = excluded.updated_at, content_hash = excluded.content_hash RETURNING id";

const DELETE_SLOTS: &str = "DELETE FROM sequence_slots WHERE sequence_id = $1";
const INSERT_SLOT: &str = "INSERT INTO sequence_slots (sequence_id, position, pose_id, seconds, side, note) \
VALUES ($1, $2, $3, $4, $5, $6)";
const BUMP_VERSION: &str = "UPDATE catalog_state SET version = version + 1 WHERE id = 1";
const PRESET_SLUGS: &str = "SELECT id, slug, content_hash FROM sequences WHERE slug IS NOT NULL";
const POSE_HASHES: &str = "SELECT slug, content_hash FROM poses";
const SET_POSE_HASH: &str = "UPDATE poses SET content_hash = $1 WHERE slug = $2";
const ADD_MISSING_FIGURE: &str = "UPDATE poses SET figure = $1 WHERE slug = $2 AND figure IS NULL";
const SET_SEQUENCE_HASH: &str = "UPDATE sequences SET content_hash = $1 WHERE slug = $2";

/// The `before` of every record whose latest version is an admin's deletion.
const DELETED: &str = "SELECT h.kind, h.before_json FROM content_history h WHERE h.action = 'delete' \
AND h.version = (SELECT MAX(x.version) FROM content_history x WHERE x.kind = h.kind AND x.target_id = h.target_id)";
/// Slugs of library records an admin has changed.
const EDITED_POSES: &str = "SELECT DISTINCT p.slug FROM poses p JOIN content_history h ON h.kind = 'pose' AND h.target_id = p.id";
const EDITED_SEQUENCES: &str = "SELECT DISTINCT q.slug FROM sequences q \
JOIN content_history h ON h.kind = 'sequence' AND h.target_id = q.id WHERE q.slug IS NOT NULL";

/// What admins did to library entries, so a load does not undo it.
#[derive(Default)]
struct AdminMarks {
    /// Slugs whose latest change is a deletion (by kind): a load does not bring them back.
    deleted_poses: HashSet<String>,
    deleted_sequences: HashSet<String>,
    /// Slugs an admin changed: with no fingerprint yet, the admin's version stays.
    edited_poses: HashSet<String>,
    edited_sequences: HashSet<String>,
}

/// A stable fingerprint (64-bit FNV-1a, hex) of what a content file says.
fn fingerprint<T: std::fmt::Debug>(entry: &T) -> String {
    fingerprint_text(&format!("{entry:?}"))
}

fn fingerprint_text(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The fingerprint a pose file had before poses carried their figure: the
/// draft's text without the (then absent) `figure` field. A stored fingerprint
/// equal to it means the pose was loaded from this very file, so an upgrade
/// only has to add the figure, and an admin's edits to the rest stay.
///
/// Public so a test can put a database in its pre-figure state.
pub fn pose_fingerprint_before_figures(file: &PoseDraft) -> String {
    let mut f = file.clone();
    f.figure = None;
    let text = format!("{f:?}");
    match text.strip_suffix(", figure: None }") {
        Some(head) => fingerprint_text(&format!("{head} }}")),
        None => fingerprint_text(&text),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn strs<T: std::fmt::Display>(items: &[T]) -> String {
    json(&items.iter().map(ToString::to_string).collect::<Vec<_>>())
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// True when the stored sequence already says what `draft` says.
fn same_sequence(stored: &yogaflow_core::catalog::Sequence, draft: &SequenceDraft) -> bool {
    stored.name == draft.name
        && stored.description == draft.description
        && stored.difficulty == draft.difficulty
        && stored.focus_area == draft.focus_area
        && stored.style == draft.style
        && stored.duration_minutes == draft.duration_minutes
        && stored.transition_seconds == draft.transition_seconds
        && stored.is_preset == draft.is_preset
        && stored.slots.len() == draft.slots.len()
        && stored.slots.iter().zip(&draft.slots).all(|(a, b)| {
            a.pose_id == b.pose_id && a.seconds == b.seconds && a.side == b.side && a.note == b.note
        })
}

impl Db {
    async fn admin_marks(&self) -> Result<AdminMarks, StoreError> {
        let mut marks = AdminMarks::default();
        let deleted: Vec<(String, Option<String>)> =
            on_pool!(self, p => sqlx::query_as(DELETED).fetch_all(p).await)?;
        for (kind, before) in deleted {
            let slug = before
                .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                .and_then(|v| v.get("slug").and_then(|s| s.as_str()).map(str::to_owned));
            match (kind.as_str(), slug) {
                ("pose", Some(slug)) => marks.deleted_poses.insert(slug),
                ("sequence", Some(slug)) => marks.deleted_sequences.insert(slug),
                _ => false,
            };
        }
        let poses: Vec<String> =
            on_pool!(self, p => sqlx::query_scalar(EDITED_POSES).fetch_all(p).await)?;
        marks.edited_poses = poses.into_iter().collect();
        let seqs: Vec<String> =
            on_pool!(self, p => sqlx::query_scalar(EDITED_SEQUENCES).fetch_all(p).await)?;
        marks.edited_sequences = seqs.into_iter().collect();
        Ok(marks)
    }

    /// Upserts the library's poses, then its presets (built by `presets` from the
    /// slug → id map), in one transaction.
    ///
    /// # Errors
    /// Database failures; nothing is written then.
    pub async fn load_library(
        &self,
        poses: &[PoseDraft],
        presets: impl FnOnce(&HashMap<String, i64>) -> Vec<SequenceDraft>,
        now: OffsetDateTime,
    ) -> Result<LoadReport, StoreError> {
        let existing: HashMap<String, Pose> = self
            .all_poses()
            .await?
            .into_iter()
            .map(|p| (p.slug.clone(), p))
            .collect();
        let mut report = LoadReport::default();
        let mut ids: HashMap<String, i64> =
            existing.iter().map(|(s, p)| (s.clone(), p.id)).collect();
        let ts = to_micros(now);

        let marks = self.admin_marks().await?;
        let pose_hashes: HashMap<String, Option<String>> =
            on_pool!(self, p => sqlx::query_as::<_, (String, Option<String>)>(POSE_HASHES).fetch_all(p).await)?
                .into_iter()
                .collect();
        let existing_seqs: Vec<(i64, String, Option<String>)> =
            on_pool!(self, p => sqlx::query_as(PRESET_SLUGS).fetch_all(p).await)?;
        let mut stored_seqs = HashMap::new();
        let mut seq_hashes = HashMap::new();
        for (id, slug, hash) in existing_seqs {
            if let Some(seq) = self.get_sequence(id).await? {
                seq_hashes.insert(slug.clone(), hash);
                stored_seqs.insert(slug, seq);
            }
        }

        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for draft in poses {
                let mut file = draft.clone();
                file.image_urls.clear();
                let hash = fingerprint(&file);
                // The file did not change since it was last loaded: what the
                // database holds (perhaps an admin's edit) stays.
                if pose_hashes.get(&draft.slug).is_some_and(|h| h.as_deref() == Some(hash.as_str())) {
                    report.poses_unchanged += 1;
                    continue;
                }
                if pose_hashes.get(&draft.slug).is_some_and(|h| h.as_deref() == Some(pose_fingerprint_before_figures(&file).as_str())) {
                    let added = sqlx::query(ADD_MISSING_FIGURE).bind(&draft.figure).bind(&draft.slug)
                        .execute(&mut *tx).await?.rows_affected();
                    sqlx::query(SET_POSE_HASH).bind(&hash).bind(&draft.slug).execute(&mut *tx).await?;
                    if added > 0 && draft.figure.is_some() {
                        report.poses_updated += 1;
                    } else {
                        report.poses_unchanged += 1;
                    }
                    continue;
                }
                // Deleted by an admin: it stays deleted (a restore brings it back).
                if !existing.contains_key(&draft.slug) && marks.deleted_poses.contains(&draft.slug) {
                    report.poses_unchanged += 1;
                    continue;
                }
                // Changed by an admin before any fingerprint was kept (a restore):
                // the admin's version stays until the file changes.
                if pose_hashes.get(&draft.slug).is_some_and(Option::is_none) && marks.edited_poses.contains(&draft.slug) {
                    sqlx::query(SET_POSE_HASH).bind(&hash).bind(&draft.slug).execute(&mut *tx).await?;
                    report.poses_unchanged += 1;
                    continue;
                }
                let unchanged = existing.get(&draft.slug).is_some_and(|old| {
                    let mut old = old.draft.clone();
                    old.image_urls.clone_from(&draft.image_urls);
                    old == *draft
                });
                if unchanged {
                    sqlx::query(SET_POSE_HASH).bind(&hash).bind(&draft.slug).execute(&mut *tx).await?;
                    report.poses_unchanged += 1;
                    continue;
                }
                if existing.contains_key(&draft.slug) {
                    report.poses_updated += 1;
                } else {
                    report.poses_added += 1;
                }
                let id: i64 = sqlx::query_scalar(UPSERT_POSE)
                    .bind(&draft.slug)
                    .bind(draft.v1_id)
                    .bind(&draft.english_name)
                    .bind(&draft.sanskrit_iast)
                    .bind(&draft.sanskrit_ascii)
                    .bind(draft.category.as_str())
                    .bind(draft.difficulty.as_str())
                    .bind(draft.sided)
                    .bind(small(draft.hold.value))
                    .bind(draft.hold.unit.as_str())
                    .bind(&draft.breath_cue)
                    .bind(&draft.description)
                    .bind(&draft.safety_note)
                    .bind(strs(&draft.target_areas))
                    .bind(strs(&draft.props))
                    .bind(json(&draft.instructions))
                    .bind(json(&draft.benefits))
                    .bind(json(&draft.contraindications))
                    .bind(json(&draft.modifications))
                    .bind(json(&draft.common_mistakes))
                    .bind(json(&draft.image_urls))
                    .bind(draft.search_names())
                    .bind(draft.search_body())
                    .bind(ts)
                    .bind(&hash)
                    .bind(&draft.figure)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(DELETE_AREAS).bind(id).execute(&mut *tx).await?;
                for area in &draft.target_areas {
                    sqlx::query(INSERT_AREA).bind(id).bind(area.as_str()).execute(&mut *tx).await?;
                }
                ids.insert(draft.slug.clone(), id);
            }
            for draft in presets(&ids) {
                let slug = draft.slug.clone().unwrap_or_default();
                let hash = fingerprint(&draft);
                if seq_hashes.get(&slug).is_some_and(|h: &Option<String>| h.as_deref() == Some(hash.as_str())) {
                    report.sequences_unchanged += 1;
                    continue;
                }
                if !stored_seqs.contains_key(&slug) && marks.deleted_sequences.contains(&slug) {
                    report.sequences_unchanged += 1;
                    continue;
                }
                if seq_hashes.get(&slug).is_some_and(Option::is_none) && marks.edited_sequences.contains(&slug) {
                    sqlx::query(SET_SEQUENCE_HASH).bind(&hash).bind(&slug).execute(&mut *tx).await?;
                    report.sequences_unchanged += 1;
                    continue;
                }
                let stored = stored_seqs.get(&slug);
                if stored.is_some_and(|s| same_sequence(s, &draft)) {
                    sqlx::query(SET_SEQUENCE_HASH).bind(&hash).bind(&slug).execute(&mut *tx).await?;
                    report.sequences_unchanged += 1;
                    continue;
                }
                if stored.is_some() {
                    report.sequences_updated += 1;
                } else {
                    report.sequences_added += 1;
                }
                let id: i64 = sqlx::query_scalar(UPSERT_SEQUENCE)
                    .bind(&draft.slug)
                    .bind(&draft.name)
                    .bind(yogaflow_core::text::fold(&draft.name))
                    .bind(&draft.description)
                    .bind(draft.difficulty.as_str())
                    .bind(draft.focus_area.as_str())
                    .bind(draft.style.as_str())
                    .bind(small(draft.duration_minutes))
                    .bind(small(draft.transition_seconds))
                    .bind(draft.is_preset)
                    .bind(draft.owner_id)
                    .bind(ts)
                    .bind(&hash)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(DELETE_SLOTS).bind(id).execute(&mut *tx).await?;
                for (i, slot) in draft.slots.iter().enumerate() {
                    sqlx::query(INSERT_SLOT)
                        .bind(id)
                        .bind(i32::try_from(i + 1).unwrap_or(i32::MAX))
                        .bind(slot.pose_id)
                        .bind(small(slot.seconds))
                        .bind(slot.side.map(|s| s.as_str()))
                        .bind(&slot.note)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            if report.changed() {
                sqlx::query(BUMP_VERSION).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(report)
    }
}
