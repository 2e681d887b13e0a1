//! A pose of the library.

use super::enums::{Category, Difficulty, HoldUnit, Prop, TargetArea};
use crate::error::FieldError;
use time::OffsetDateTime;

/// Bounds of a pose written through the admin API.
pub const MAX_NAME_CHARS: usize = 255;
pub const MAX_TEXT_CHARS: usize = 4000;
pub const MAX_ITEM_CHARS: usize = 1000;
pub const MAX_ITEMS: usize = 30;
pub const MAX_HOLD_SECONDS: u32 = 600;
pub const MAX_SLUG_CHARS: usize = 80;

/// A slug from a name: lowercase ASCII letters and digits joined by single
/// hyphens ("Warrior II (Virabhadrasana)" → "warrior-ii-virabhadrasana").
pub fn slugify(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(MAX_SLUG_CHARS)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// True for a slug [`slugify`] could have made.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_CHARS
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn text_error(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    let blank = value.trim().is_empty();
    if required && blank {
        errors.push(FieldError::new(
            "body",
            field,
            "missing",
            format!("{field} must not be empty"),
        ));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            "body",
            field,
            "too_long",
            format!("{field} must be at most {max} characters"),
        ));
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        errors.push(FieldError::new(
            "body",
            field,
            "invalid",
            format!("{field} must not contain control characters"),
        ));
    }
}

fn list_errors(errors: &mut Vec<FieldError>, field: &str, items: &[String], at_least: usize) {
    if items.len() < at_least {
        errors.push(FieldError::new(
            "body",
            field,
            "too_small",
            format!("{field} needs at least {at_least} item"),
        ));
    }
    if items.len() > MAX_ITEMS {
        errors.push(FieldError::new(
            "body",
            field,
            "too_large",
            format!("{field} has at most {MAX_ITEMS} items"),
        ));
    }
    for (i, item) in items.iter().enumerate() {
        text_error(errors, &format!("{field}[{i}]"), item, true, MAX_ITEM_CHARS);
    }
}

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
    /// The figure description (see [`super::pose_figure`]); `None` draws no figure.
    pub figure: Option<String>,
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

    /// Checks the rules every pose obeys, whoever wrote it: required text is not
    /// blank, lists hold no blank items, holds are 1-600 seconds (or 1-120 breaths),
    /// images are our own upload URLs or https links, and nothing repeats.
    ///
    /// # Errors
    /// One [`FieldError`] per broken rule, naming the field.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_slug(&self.slug) {
            errors.push(FieldError::new(
                "body",
                "slug",
                "invalid",
                "slug must be lowercase letters, digits and single hyphens (at most 80)",
            ));
        }
        text_error(
            &mut errors,
            "name_english",
            &self.english_name,
            true,
            MAX_NAME_CHARS,
        );
        text_error(
            &mut errors,
            "name_sanskrit",
            &self.sanskrit_iast,
            false,
            MAX_NAME_CHARS,
        );
        text_error(
            &mut errors,
            "name_sanskrit_ascii",
            &self.sanskrit_ascii,
            false,
            MAX_NAME_CHARS,
        );
        text_error(
            &mut errors,
            "description",
            &self.description,
            true,
            MAX_TEXT_CHARS,
        );
        text_error(
            &mut errors,
            "breath_cue",
            &self.breath_cue,
            false,
            MAX_ITEM_CHARS,
        );
        text_error(
            &mut errors,
            "safety_note",
            &self.safety_note,
            false,
            MAX_TEXT_CHARS,
        );
        list_errors(&mut errors, "instructions", &self.instructions, 1);
        list_errors(&mut errors, "benefits", &self.benefits, 0);
        list_errors(&mut errors, "contraindications", &self.contraindications, 0);
        list_errors(&mut errors, "modifications", &self.modifications, 0);
        list_errors(&mut errors, "common_mistakes", &self.common_mistakes, 0);
        list_errors(&mut errors, "image_urls", &self.image_urls, 0);
        for (i, url) in self.image_urls.iter().enumerate() {
            let ours =
                url.starts_with("/api/v1/upload/images/") || url.starts_with("/api/v1/poses/");
            let https = url.starts_with("https://") && !url.contains(char::is_whitespace);
            if !ours && !https {
                errors.push(FieldError::new(
                    "body",
                    format!("image_urls[{i}]"),
                    "invalid",
                    "an image URL is an uploaded image's URL or an https link",
                ));
            }
        }
        if let Some(text) = &self.figure
            && let Err(problems) = super::pose_figure::read_figure(&self.slug, text)
        {
            errors.extend(
                problems
                    .into_iter()
                    .map(|p| FieldError::new("body", "figure", "invalid", format!("figure: {p}"))),
            );
        }
        let max_hold = match self.hold.unit {
            HoldUnit::Seconds => MAX_HOLD_SECONDS,
            HoldUnit::Breaths => MAX_HOLD_SECONDS / SECONDS_PER_BREATH,
        };
        if !(1..=max_hold).contains(&self.hold.value) {
            errors.push(FieldError::new(
                "body",
                "hold.value",
                "out_of_range",
                format!("hold.value must be 1 to {max_hold} {}", self.hold.unit),
            ));
        }
        let mut areas = self.target_areas.clone();
        areas.sort_unstable();
        areas.dedup();
        if areas.len() != self.target_areas.len() {
            errors.push(FieldError::new(
                "body",
                "target_areas",
                "duplicate",
                "target_areas must not repeat",
            ));
        }
        let mut props = self.props.clone();
        props.sort_unstable();
        props.dedup();
        if props.len() != self.props.len() {
            errors.push(FieldError::new(
                "body",
                "props",
                "duplicate",
                "props must not repeat",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
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

#[cfg(test)]
mod admin_rules {
    use super::*;

    fn draft() -> PoseDraft {
        PoseDraft {
            slug: "tree".into(),
            v1_id: None,
            english_name: "Tree".into(),
            sanskrit_iast: String::new(),
            sanskrit_ascii: String::new(),
            category: Category::Balancing,
            difficulty: Difficulty::Beginner,
            sided: true,
            hold: Hold {
                value: 30,
                unit: HoldUnit::Seconds,
            },
            target_areas: vec![TargetArea::Hips],
            props: vec![],
            breath_cue: String::new(),
            description: "Stand on one leg.".into(),
            instructions: vec!["Stand tall.".into()],
            benefits: vec![],
            contraindications: vec![],
            modifications: vec![],
            common_mistakes: vec![],
            figure: None,
            safety_note: String::new(),
            image_urls: vec![],
        }
    }

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(
            slugify("Warrior II (Vīrabhadrāsana)"),
            "warrior-ii-virabhadrasana"
        );
        assert_eq!(slugify("  --Tree--  "), "tree");
        assert!(is_slug("warrior-ii"));
        assert!(!is_slug("../etc"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug(""));
    }

    #[test]
    fn a_complete_pose_passes_and_blanks_are_named() {
        assert!(draft().check().is_ok());
        let mut d = draft();
        d.english_name = "  ".into();
        d.description = String::new();
        d.instructions = vec!["ok".into(), " ".into()];
        d.image_urls = vec!["javascript:alert(1)".into()];
        d.hold.value = 0;
        d.target_areas = vec![TargetArea::Hips, TargetArea::Hips];
        let fields: Vec<String> = d
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        for f in [
            "name_english",
            "description",
            "instructions[1]",
            "image_urls[0]",
            "hold.value",
            "target_areas",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let mut d = draft();
        d.instructions.clear();
        assert!(d.check().is_err());
    }
}
