//! A sequence: an ordered list of pose slots with holds, played by the practice
//! player. Presets come from the library; users will own the others.

use super::enums::{Difficulty, FocusArea, Side, Style};
use crate::error::FieldError;
use time::OffsetDateTime;

/// 1.0's bounds, kept: a slot holds 10–600 s, a sequence has at least 3 slots and
/// lasts at most 120 minutes.
pub const MIN_SLOTS: usize = 3;
pub const MAX_SLOTS: usize = 200;
pub const MIN_SLOT_SECONDS: u32 = 10;
pub const MAX_SLOT_SECONDS: u32 = 600;
pub const MAX_TOTAL_SECONDS: u32 = 120 * 60;

/// One slot as written by an author, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotDraft {
    pub pose_id: i64,
    pub seconds: u32,
    pub side: Option<Side>,
    pub note: String,
}

/// A sequence as written by an author (content file, admin or user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceDraft {
    /// Stable key of library presets; `None` for sequences users make.
    pub slug: Option<String>,
    pub name: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub focus_area: FocusArea,
    pub style: Style,
    pub duration_minutes: u32,
    pub transition_seconds: u32,
    pub is_preset: bool,
    pub owner_id: Option<i64>,
    pub slots: Vec<SlotDraft>,
}

impl SequenceDraft {
    /// Sum of the holds: 1.0's `total_duration_seconds`.
    pub fn hold_seconds(&self) -> u32 {
        self.slots.iter().map(|s| s.seconds).sum()
    }

    /// Holds plus the transitions between slots: what a practitioner really spends.
    pub fn estimated_seconds(&self) -> u32 {
        let gaps = u32::try_from(self.slots.len().saturating_sub(1)).unwrap_or(u32::MAX);
        self.hold_seconds()
            .saturating_add(self.transition_seconds.saturating_mul(gaps))
    }

    /// Checks the rules every sequence obeys, whoever wrote it.
    ///
    /// # Errors
    /// One [`FieldError`] per broken rule, naming the slot where it applies.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 255 {
            errors.push(FieldError::new(
                "body",
                "name",
                "invalid",
                "name must be 1 to 255 characters",
            ));
        }
        if !(1..=120).contains(&self.duration_minutes) {
            errors.push(FieldError::new(
                "body",
                "duration_minutes",
                "invalid",
                "duration_minutes must be between 1 and 120",
            ));
        }
        if self.slots.len() < MIN_SLOTS {
            errors.push(FieldError::new(
                "body",
                "poses",
                "too_small",
                format!("a sequence needs at least {MIN_SLOTS} poses"),
            ));
        }
        if self.slots.len() > MAX_SLOTS {
            errors.push(FieldError::new(
                "body",
                "poses",
                "too_large",
                format!("a sequence has at most {MAX_SLOTS} poses"),
            ));
        }
        for (i, slot) in self.slots.iter().enumerate() {
            if !(MIN_SLOT_SECONDS..=MAX_SLOT_SECONDS).contains(&slot.seconds) {
                errors.push(FieldError::new(
                    "body",
                    format!("poses[{i}].duration_seconds"),
                    "invalid",
                    format!("each pose is held {MIN_SLOT_SECONDS} to {MAX_SLOT_SECONDS} seconds"),
                ));
            }
        }
        if self.hold_seconds() > MAX_TOTAL_SECONDS {
            errors.push(FieldError::new(
                "body",
                "poses",
                "too_large",
                "a sequence lasts at most 120 minutes",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A stored slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceSlot {
    pub id: i64,
    /// 1-based order within the sequence.
    pub position: u32,
    pub pose_id: i64,
    pub seconds: u32,
    pub side: Option<Side>,
    pub note: String,
}

/// A stored sequence with its slots in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub id: i64,
    pub slug: Option<String>,
    pub name: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub focus_area: FocusArea,
    pub style: Style,
    pub duration_minutes: u32,
    pub transition_seconds: u32,
    pub is_preset: bool,
    pub owner_id: Option<i64>,
    pub slots: Vec<SequenceSlot>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Sequence {
    pub fn hold_seconds(&self) -> u32 {
        self.slots.iter().map(|s| s.seconds).sum()
    }

    pub fn estimated_seconds(&self) -> u32 {
        let gaps = u32::try_from(self.slots.len().saturating_sub(1)).unwrap_or(u32::MAX);
        self.hold_seconds()
            .saturating_add(self.transition_seconds.saturating_mul(gaps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(slots: Vec<u32>) -> SequenceDraft {
        SequenceDraft {
            slug: None,
            name: "Morning".into(),
            description: String::new(),
            difficulty: Difficulty::Beginner,
            focus_area: FocusArea::Energy,
            style: Style::Gentle,
            duration_minutes: 10,
            transition_seconds: 10,
            is_preset: false,
            owner_id: None,
            slots: slots
                .into_iter()
                .map(|seconds| SlotDraft {
                    pose_id: 1,
                    seconds,
                    side: None,
                    note: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn totals_count_holds_and_transitions() {
        let d = draft(vec![60, 60, 120]);
        assert_eq!(d.hold_seconds(), 240);
        assert_eq!(d.estimated_seconds(), 260);
        assert!(d.check().is_ok());
    }

    #[test]
    fn short_or_overlong_sequences_are_refused() {
        assert!(draft(vec![60, 60]).check().is_err());
        assert!(draft(vec![60, 9, 60]).check().is_err());
        assert!(draft(vec![600; 13]).check().is_err());
    }
}
