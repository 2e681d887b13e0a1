//! Small view models the templates share, and how values read in English.

use super::figure;
use crate::state::AppState;
use yogaflow_core::catalog::{Pose, Sequence};

/// `forward_bends` → `Forward bends`.
pub fn label(word: &str) -> String {
    let spaced = word.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `75` → `1 min 15 s`; `40` → `40 s`.
pub fn seconds_text(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Whole minutes, rounded, never "0 min" for a non-empty practice.
pub fn minutes_text(seconds: u32) -> String {
    let m = seconds.div_ceil(60);
    if m == 1 {
        "1 minute".to_owned()
    } else {
        format!("{m} minutes")
    }
}

pub struct PoseCard {
    pub id: i64,
    pub name: String,
    pub sanskrit: String,
    pub category: String,
    pub level: String,
    pub svg: String,
}

impl PoseCard {
    pub fn new(state: &AppState, p: &Pose) -> Self {
        PoseCard {
            id: p.id,
            name: p.english_name.clone(),
            sanskrit: p.sanskrit_iast.clone(),
            category: label(p.category.as_str()),
            level: label(p.difficulty.as_str()),
            svg: figure::svg(state, p, false).unwrap_or_default(),
        }
    }
}

pub struct SequenceCard {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub level: String,
    pub focus: String,
    pub style: String,
    pub minutes: u32,
    pub pose_count: u32,
}

impl From<&(Sequence, u32, u32)> for SequenceCard {
    fn from((s, slots, _seconds): &(Sequence, u32, u32)) -> Self {
        SequenceCard {
            id: s.id,
            name: s.name.clone(),
            description: s.description.clone(),
            level: label(s.difficulty.as_str()),
            focus: label(s.focus_area.as_str()),
            style: label(s.style.as_str()),
            minutes: s.duration_minutes,
            pose_count: *slots,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_in_english() {
        assert_eq!(label("forward_bends"), "Forward bends");
        assert_eq!(label(""), "");
        assert_eq!(seconds_text(40), "40 s");
        assert_eq!(seconds_text(120), "2 min");
        assert_eq!(seconds_text(75), "1 min 15 s");
        assert_eq!(minutes_text(61), "2 minutes");
        assert_eq!(minutes_text(60), "1 minute");
    }
}
