//! `content/sequences/<slug>.toml`: one preset sequence per file, its slots naming
//! poses by slug.

use crate::error::ContentError;
use crate::pose_file::{check_text, file_stem, valid_slug};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use yogaflow_core::catalog::{
    Difficulty, FocusArea, PoseDraft, SequenceDraft, Side, SlotDraft, Style,
};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PresetSlot {
    pub pose: String,
    pub seconds: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PresetSequence {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub focus_area: FocusArea,
    pub style: Style,
    pub duration_minutes: u32,
    pub transition_seconds: u32,
    pub slots: Vec<PresetSlot>,
    #[serde(skip)]
    file: String,
}

impl PresetSequence {
    /// A stored preset as a content entry, its slots naming poses by slug;
    /// `None` when it has no slug or names a pose missing from `pose_slugs`.
    pub fn from_stored(
        seq: &yogaflow_core::catalog::Sequence,
        pose_slugs: &HashMap<i64, String>,
    ) -> Option<PresetSequence> {
        let slots = seq
            .slots
            .iter()
            .map(|s| {
                Some(PresetSlot {
                    pose: pose_slugs.get(&s.pose_id)?.clone(),
                    seconds: s.seconds,
                    side: s.side,
                    note: s.note.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(PresetSequence {
            slug: seq.slug.clone()?,
            name: seq.name.clone(),
            description: seq.description.clone(),
            difficulty: seq.difficulty,
            focus_area: seq.focus_area,
            style: seq.style,
            duration_minutes: seq.duration_minutes,
            transition_seconds: seq.transition_seconds,
            slots,
            file: String::new(),
        })
    }

    /// The text of its `content/sequences/<slug>.toml`.
    ///
    /// # Errors
    /// When the sequence cannot be written as TOML.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string_pretty(self)
    }

    /// The same entry, whichever file it was read from.
    pub fn same_entry(&self, other: &PresetSequence) -> bool {
        let mut a = self.clone();
        a.file.clear();
        let mut b = other.clone();
        b.file.clear();
        a == b
    }

    /// The draft to store, with pose slugs replaced by the ids `ids` maps them to.
    /// Slots whose pose is missing from `ids` are dropped; the library check has
    /// already refused such files, so that only happens with a stale database.
    pub fn to_draft(&self, ids: &HashMap<String, i64>) -> SequenceDraft {
        SequenceDraft {
            slug: Some(self.slug.clone()),
            name: self.name.clone(),
            description: self.description.clone(),
            difficulty: self.difficulty,
            focus_area: self.focus_area,
            style: self.style,
            duration_minutes: self.duration_minutes,
            transition_seconds: self.transition_seconds,
            is_preset: true,
            owner_id: None,
            slots: self
                .slots
                .iter()
                .filter_map(|s| {
                    ids.get(&s.pose).map(|&pose_id| SlotDraft {
                        pose_id,
                        seconds: s.seconds,
                        side: s.side,
                        note: s.note.clone(),
                    })
                })
                .collect(),
        }
    }

    /// Rules that need the pose library: poses exist, sides are paired, the level
    /// is at least the hardest pose, the label matches the computed length.
    pub(crate) fn check_against(
        &self,
        poses: &HashMap<&str, &PoseDraft>,
        errors: &mut Vec<ContentError>,
    ) {
        let path = self.file.as_str();
        let mut rights: HashMap<(&str, u32), i32> = HashMap::new();
        for (i, slot) in self.slots.iter().enumerate() {
            let entry = format!("slots[{i}] {}", slot.pose);
            let Some(pose) = poses.get(slot.pose.as_str()) else {
                errors.push(ContentError::new(
                    path,
                    entry,
                    "names a pose that is not in the library",
                ));
                continue;
            };
            match (pose.sided, slot.side) {
                (true, None) => errors.push(ContentError::new(
                    path,
                    entry.clone(),
                    "a sided pose needs side = \"right\" or \"left\"",
                )),
                (false, Some(_)) => errors.push(ContentError::new(
                    path,
                    entry.clone(),
                    "this pose has no sides; remove `side`",
                )),
                (true, Some(side)) => {
                    let delta = if side == Side::Right { 1 } else { -1 };
                    *rights
                        .entry((slot.pose.as_str(), slot.seconds))
                        .or_default() += delta;
                }
                (false, None) => {}
            }
            if pose.difficulty.rank() > self.difficulty.rank() {
                errors.push(ContentError::new(
                    path,
                    entry,
                    format!(
                        "a {} pose cannot be in a {} sequence",
                        pose.difficulty, self.difficulty
                    ),
                ));
            }
        }
        for ((pose, seconds), balance) in rights {
            if balance != 0 {
                errors.push(ContentError::new(
                    path,
                    pose,
                    format!("right and left slots of {seconds} s do not pair up"),
                ));
            }
        }
        let ids: HashMap<String, i64> = self.slots.iter().map(|s| (s.pose.clone(), 0)).collect();
        let draft = self.to_draft(&ids);
        if let Err(problems) = draft.check() {
            for p in problems {
                errors.push(ContentError::new(path, p.field, p.message));
            }
        }
        let computed = f64::from(draft.estimated_seconds()) / 60.0;
        if (f64::from(self.duration_minutes) - computed).abs() > 1.0 {
            errors.push(ContentError::new(
                path,
                "duration_minutes",
                format!(
                    "says {} min but the slots and transitions add up to {computed:.1} min",
                    self.duration_minutes
                ),
            ));
        }
    }
}

pub(crate) fn parse(path: &str, text: &str) -> Result<PresetSequence, Vec<ContentError>> {
    let mut s: PresetSequence = toml::from_str(text).map_err(|e| {
        vec![ContentError::new(
            path,
            "",
            e.to_string().trim_end().to_owned(),
        )]
    })?;
    s.file = path.to_owned();
    let mut errors = Vec::new();
    if !valid_slug(&s.slug) || s.slug != file_stem(path) {
        errors.push(ContentError::new(path, "slug", "must equal the file name"));
    }
    check_text(path, "description", &s.description, &mut errors);
    if !(3..=80).contains(&s.name.trim().chars().count()) {
        errors.push(ContentError::new(
            path,
            "name",
            "must be 3 to 80 characters",
        ));
    }
    if s.transition_seconds > 60 {
        errors.push(ContentError::new(
            path,
            "transition_seconds",
            "must be 0 to 60",
        ));
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}
