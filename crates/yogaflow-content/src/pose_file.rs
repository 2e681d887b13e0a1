//! `content/poses/<slug>.toml`: one pose per file.

use crate::error::ContentError;
use serde::{Deserialize, Serialize};
use yogaflow_core::catalog::{Category, Difficulty, Hold, HoldUnit, PoseDraft, Prop, TargetArea};

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct HoldFile {
    value: u32,
    unit: HoldUnit,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct PoseFile {
    slug: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    v1_id: Option<i64>,
    english_name: String,
    sanskrit_iast: String,
    sanskrit_ascii: String,
    category: Category,
    difficulty: Difficulty,
    sided: bool,
    hold: HoldFile,
    target_areas: Vec<TargetArea>,
    props: Vec<Prop>,
    breath_cue: String,
    description: String,
    instructions: Vec<String>,
    benefits: Vec<String>,
    contraindications: Vec<String>,
    modifications: Vec<String>,
    common_mistakes: Vec<String>,
    safety_note: String,
}

/// A slug is lowercase ASCII words joined by single hyphens.
/// A pose as the text of its `content/poses/<slug>.toml` (uploaded images are
/// not part of the file format and stay in the database).
///
/// # Errors
/// When the pose cannot be written as TOML.
pub fn pose_toml(d: &PoseDraft) -> Result<String, toml::ser::Error> {
    let file = PoseFile {
        slug: d.slug.clone(),
        v1_id: d.v1_id,
        english_name: d.english_name.clone(),
        sanskrit_iast: d.sanskrit_iast.clone(),
        sanskrit_ascii: d.sanskrit_ascii.clone(),
        category: d.category,
        difficulty: d.difficulty,
        sided: d.sided,
        hold: HoldFile {
            value: d.hold.value,
            unit: d.hold.unit,
        },
        target_areas: d.target_areas.clone(),
        props: d.props.clone(),
        breath_cue: d.breath_cue.clone(),
        description: d.description.clone(),
        instructions: d.instructions.clone(),
        benefits: d.benefits.clone(),
        contraindications: d.contraindications.clone(),
        modifications: d.modifications.clone(),
        common_mistakes: d.common_mistakes.clone(),
        safety_note: d.safety_note.clone(),
    };
    toml::to_string_pretty(&file)
}

pub(crate) fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The slug a file name promises: `poses/tree-pose.toml` → `tree-pose`.
pub(crate) fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Checks that a list has between `min` and `max` non-blank items.
pub(crate) fn check_list(
    path: &str,
    field: &str,
    items: &[String],
    min: usize,
    max: usize,
    errors: &mut Vec<ContentError>,
) {
    if items.len() < min || items.len() > max {
        errors.push(ContentError::new(
            path,
            field,
            format!("needs {min} to {max} items, has {}", items.len()),
        ));
    }
    if items.iter().any(|i| i.trim().is_empty()) {
        errors.push(ContentError::new(path, field, "has a blank item"));
    }
}

pub(crate) fn check_text(path: &str, field: &str, text: &str, errors: &mut Vec<ContentError>) {
    if text.trim().is_empty() {
        errors.push(ContentError::new(path, field, "must not be blank"));
    }
}

pub(crate) fn parse(path: &str, text: &str) -> Result<PoseDraft, Vec<ContentError>> {
    let file: PoseFile = toml::from_str(text).map_err(|e| {
        vec![ContentError::new(
            path,
            "",
            e.to_string().trim_end().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    if !valid_slug(&file.slug) || file.slug != file_stem(path) {
        errors.push(ContentError::new(
            path,
            "slug",
            "must be lowercase words joined by '-' and equal the file name",
        ));
    }
    for (field, value) in [
        ("english_name", &file.english_name),
        ("description", &file.description),
        ("breath_cue", &file.breath_cue),
        ("safety_note", &file.safety_note),
    ] {
        check_text(path, field, value, &mut errors);
    }
    if file.sanskrit_iast.trim().is_empty() != file.sanskrit_ascii.trim().is_empty() {
        errors.push(ContentError::new(
            path,
            "sanskrit_ascii",
            "give both Sanskrit spellings or neither",
        ));
    }
    let hold_ok = match file.hold.unit {
        HoldUnit::Seconds => (1..=600).contains(&file.hold.value),
        HoldUnit::Breaths => (1..=60).contains(&file.hold.value),
    };
    if !hold_ok {
        errors.push(ContentError::new(
            path,
            "hold",
            "value must be 1-600 seconds or 1-60 breaths",
        ));
    }
    // The checked facts give most poses 2-5 areas; a rest pose may have only
    // `full-body` and a full backbend six, so the loader accepts 1-6.
    if !(1..=6).contains(&file.target_areas.len()) {
        errors.push(ContentError::new(
            path,
            "target_areas",
            "needs 1 to 6 areas",
        ));
    }
    if file.props.len() > 5 {
        errors.push(ContentError::new(path, "props", "lists at most 5 props"));
    }
    check_list(path, "instructions", &file.instructions, 5, 10, &mut errors);
    check_list(path, "benefits", &file.benefits, 2, 4, &mut errors);
    check_list(
        path,
        "contraindications",
        &file.contraindications,
        2,
        5,
        &mut errors,
    );
    check_list(
        path,
        "modifications",
        &file.modifications,
        2,
        4,
        &mut errors,
    );
    check_list(
        path,
        "common_mistakes",
        &file.common_mistakes,
        2,
        4,
        &mut errors,
    );
    if file.sided
        && file
            .instructions
            .last()
            .is_none_or(|s| !s.to_lowercase().contains("left side"))
    {
        errors.push(ContentError::new(
            path,
            "instructions",
            "a sided pose ends by repeating on the left side",
        ));
    }
    if file.v1_id.is_some_and(|id| !(1..=80).contains(&id)) {
        errors.push(ContentError::new(
            path,
            "v1_id",
            "1.0 poses are numbered 1 to 80",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PoseDraft {
        slug: file.slug,
        v1_id: file.v1_id,
        english_name: file.english_name,
        sanskrit_iast: file.sanskrit_iast,
        sanskrit_ascii: file.sanskrit_ascii,
        category: file.category,
        difficulty: file.difficulty,
        sided: file.sided,
        hold: Hold {
            value: file.hold.value,
            unit: file.hold.unit,
        },
        target_areas: file.target_areas,
        props: file.props,
        breath_cue: file.breath_cue,
        description: file.description,
        instructions: file.instructions,
        benefits: file.benefits,
        contraindications: file.contraindications,
        modifications: file.modifications,
        common_mistakes: file.common_mistakes,
        safety_note: file.safety_note,
        image_urls: Vec::new(),
        // Attached from `figures/<slug>.toml` once every file is read.
        figure: None,
    })
}
