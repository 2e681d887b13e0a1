//! A pose of the library.

use super::enums::{Category, Difficulty, HoldUnit, Prop, TargetArea};
use time::OffsetDateTime;

/// Seconds we count for one breath when a hold is given in breaths (the content
/// guide's pace for flowing styles).
pub const SECONDS_PER_BREATH: u32 = 5;

/// A pose's default hold, as a teacher would say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub value: u32,
    pub unit: HoldUnit,
}

impl Hold {
    /// The hold as seconds, for timers and sequence defaults.
    pub fn seconds(self) -> u32 {
        match self.unit {
            HoldUnit::Seconds => self.value,
            HoldUnit::Breaths => self.value * SECONDS_PER_BREATH,
        }
    }
}

/// Everything that describes a pose, before it has an id: what content files and
/// admin edits provide.
#[derive(Debug, Clone, PartialEq)]
pub struct PoseDraft {
    pub slug: String,
    /// The pose's number in YogaFlow 1.0, used to keep 1.0's ids on a fresh database.
    pub v1_id: Option<i64>,
    pub english_name: String,
    pub sanskrit_iast: String,
    pub sanskrit_ascii: String,
    pub category: Category,
    pub difficulty: Difficulty,
    pub sided: bool,
    pub hold: Hold,
    pub target_areas: Vec<TargetArea>,
    pub props: Vec<Prop>,
    pub breath_cue: String,
    pub description: String,
    pub instructions: Vec<String>,
    pub benefits: Vec<String>,
    pub contraindications: Vec<String>,
    pub modifications: Vec<String>,
    pub common_mistakes: Vec<String>,
    pub safety_note: String,
    pub image_urls: Vec<String>,
}

impl PoseDraft {
    /// Lowercased, diacritic-free names (English, IAST, ASCII), each between `|`
    /// marks so search can tell an exact or prefix name match from a partial one.
    pub fn search_names(&self) -> String {
        crate::text::fold(&format!(
            "|{}|{}|{}|",
            self.english_name, self.sanskrit_iast, self.sanskrit_ascii
        ))
    }

    /// Folded description and benefits, searched after the names.
    pub fn search_body(&self) -> String {
        crate::text::fold(&self.description)
    }
}

/// A stored pose.
#[derive(Debug, Clone, PartialEq)]
pub struct Pose {
    pub id: i64,
    pub draft: PoseDraft,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl std::ops::Deref for Pose {
    type Target = PoseDraft;
    fn deref(&self) -> &PoseDraft {
        &self.draft
    }
}
