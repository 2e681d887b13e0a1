//! Rows as the databases return them, and their conversion into domain records.
//! Integer columns are `i32` where PostgreSQL stores `INTEGER` and `i64` where it
//! stores `BIGINT`; SQLite decodes either.

use crate::StoreError;
use crate::timestamp::from_micros;
use yogaflow_core::catalog::{
    Category, Difficulty, FocusArea, Hold, HoldUnit, Pose, PoseDraft, Sequence, SequenceSlot, Side,
    Style,
};

/// The pose columns every pose query selects, as a literal for `concat!`.
macro_rules! pose_columns {
    () => {
        "p.id, p.slug, p.v1_id, p.english_name, p.sanskrit_iast, p.sanskrit_ascii, \
p.category, p.difficulty, p.sided, p.hold_value, p.hold_unit, p.breath_cue, p.description, p.safety_note, \
p.target_areas, p.props, p.instructions, p.benefits, p.contraindications, p.modifications, \
p.common_mistakes, p.image_urls, p.figure, p.created_at, p.updated_at"
    };
}
pub(crate) use pose_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct PoseRow {
    id: i64,
    slug: String,
    v1_id: Option<i64>,
    english_name: String,
    sanskrit_iast: String,
    sanskrit_ascii: String,
    category: String,
    difficulty: String,
    sided: bool,
    hold_value: i32,
    hold_unit: String,
    breath_cue: String,
    description: String,
    safety_note: String,
    target_areas: String,
    props: String,
    instructions: String,
    benefits: String,
    contraindications: String,
    modifications: String,
    common_mistakes: String,
    image_urls: String,
    figure: Option<String>,
    created_at: i64,
    updated_at: i64,
}

fn parse_enum<T>(value: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} `{value}`")))
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn json_strings(text: &str, what: &str) -> Result<Vec<String>, StoreError> {
    json_list::<String>(text, what)
}

impl TryFrom<PoseRow> for Pose {
    type Error = StoreError;
    fn try_from(r: PoseRow) -> Result<Pose, StoreError> {
        let areas: Vec<String> = json_strings(&r.target_areas, "target_areas")?;
        let props: Vec<String> = json_strings(&r.props, "props")?;
        Ok(Pose {
            id: r.id,
            draft: PoseDraft {
                slug: r.slug,
                v1_id: r.v1_id,
                english_name: r.english_name,
                sanskrit_iast: r.sanskrit_iast,
                sanskrit_ascii: r.sanskrit_ascii,
                category: parse_enum(&r.category, Category::parse, "category")?,
                difficulty: parse_enum(&r.difficulty, Difficulty::parse, "difficulty")?,
                sided: r.sided,
                hold: Hold {
                    value: u32::try_from(r.hold_value).unwrap_or(0),
                    unit: parse_enum(&r.hold_unit, HoldUnit::parse, "hold unit")?,
                },
                target_areas: areas
                    .iter()
                    .map(|a| {
                        parse_enum(a, yogaflow_core::catalog::TargetArea::parse, "target area")
                    })
                    .collect::<Result<_, _>>()?,
                props: props
                    .iter()
                    .map(|p| parse_enum(p, yogaflow_core::catalog::Prop::parse, "prop"))
                    .collect::<Result<_, _>>()?,
                breath_cue: r.breath_cue,
                description: r.description,
                instructions: json_strings(&r.instructions, "instructions")?,
                benefits: json_strings(&r.benefits, "benefits")?,
                contraindications: json_strings(&r.contraindications, "contraindications")?,
                modifications: json_strings(&r.modifications, "modifications")?,
                common_mistakes: json_strings(&r.common_mistakes, "common_mistakes")?,
                safety_note: r.safety_note,
                image_urls: json_strings(&r.image_urls, "image_urls")?,
                figure: r.figure,
            },
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        })
    }
}

/// The sequence columns every sequence query selects.
macro_rules! sequence_columns {
    () => {
        "q.id, q.slug, q.name, q.description, q.difficulty, q.focus_area, \
q.style, q.duration_minutes, q.transition_seconds, q.is_preset, q.owner_id, q.created_at, q.updated_at"
    };
}
pub(crate) use sequence_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct SequenceRow {
    pub id: i64,
    slug: Option<String>,
    name: String,
    description: String,
    difficulty: String,
    focus_area: String,
    style: String,
    duration_minutes: i32,
    transition_seconds: i32,
    is_preset: bool,
    owner_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl SequenceRow {
    pub(crate) fn into_sequence(self, slots: Vec<SequenceSlot>) -> Result<Sequence, StoreError> {
        Ok(Sequence {
            id: self.id,
            slug: self.slug,
            name: self.name,
            description: self.description,
            difficulty: parse_enum(&self.difficulty, Difficulty::parse, "difficulty")?,
            focus_area: parse_enum(&self.focus_area, FocusArea::parse, "focus area")?,
            style: parse_enum(&self.style, Style::parse, "style")?,
            duration_minutes: u32::try_from(self.duration_minutes).unwrap_or(0),
            transition_seconds: u32::try_from(self.transition_seconds).unwrap_or(0),
            is_preset: self.is_preset,
            owner_id: self.owner_id,
            slots,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SlotRow {
    id: i64,
    position: i32,
    pose_id: i64,
    seconds: i32,
    side: Option<String>,
    note: String,
}

impl TryFrom<SlotRow> for SequenceSlot {
    type Error = StoreError;
    fn try_from(r: SlotRow) -> Result<SequenceSlot, StoreError> {
        Ok(SequenceSlot {
            id: r.id,
            position: u32::try_from(r.position).unwrap_or(0),
            pose_id: r.pose_id,
            seconds: u32::try_from(r.seconds).unwrap_or(0),
            side: r
                .side
                .as_deref()
                .map(|s| parse_enum(s, Side::parse, "side"))
                .transpose()?,
            note: r.note,
        })
    }
}
