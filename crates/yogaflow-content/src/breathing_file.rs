//! `content/breathing/<slug>.toml`: one breathing exercise per file.

use crate::error::ContentError;
use crate::pose_file::{check_list, check_text, file_stem, valid_slug};
use serde::Deserialize;
use yogaflow_core::catalog::Difficulty;

/// Seconds per phase of one breath cycle.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreathPattern {
    pub inhale: f64,
    pub hold_in: f64,
    pub exhale: f64,
    pub hold_out: f64,
}

impl BreathPattern {
    pub fn cycle_seconds(&self) -> f64 {
        self.inhale + self.hold_in + self.exhale + self.hold_out
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreathingExercise {
    pub slug: String,
    pub english_name: String,
    pub sanskrit_iast: String,
    pub sanskrit_ascii: String,
    pub difficulty: Difficulty,
    pub pattern: BreathPattern,
    pub default_rounds: u32,
    pub description: String,
    pub instructions: Vec<String>,
    pub benefits: Vec<String>,
    pub cautions: Vec<String>,
}

pub(crate) fn parse(path: &str, text: &str) -> Result<BreathingExercise, Vec<ContentError>> {
    let b: BreathingExercise = toml::from_str(text).map_err(|e| {
        vec![ContentError::new(
            path,
            "",
            e.to_string().trim_end().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    if !valid_slug(&b.slug) || b.slug != file_stem(path) {
        errors.push(ContentError::new(path, "slug", "must equal the file name"));
    }
    check_text(path, "english_name", &b.english_name, &mut errors);
    check_text(path, "description", &b.description, &mut errors);
    let phases = [
        b.pattern.inhale,
        b.pattern.hold_in,
        b.pattern.exhale,
        b.pattern.hold_out,
    ];
    if phases.iter().any(|p| !(0.0..=30.0).contains(p))
        || b.pattern.inhale <= 0.0
        || b.pattern.exhale <= 0.0
    {
        errors.push(ContentError::new(
            path,
            "pattern",
            "phases are 0-30 seconds, with a real inhale and exhale",
        ));
    }
    if !(1..=200).contains(&b.default_rounds) {
        errors.push(ContentError::new(
            path,
            "default_rounds",
            "must be 1 to 200",
        ));
    }
    check_list(path, "instructions", &b.instructions, 4, 10, &mut errors);
    check_list(path, "benefits", &b.benefits, 2, 4, &mut errors);
    check_list(path, "cautions", &b.cautions, 1, 6, &mut errors);
    if errors.is_empty() {
        Ok(b)
    } else {
        Err(errors)
    }
}
