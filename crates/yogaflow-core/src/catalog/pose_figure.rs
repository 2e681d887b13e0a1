//! A pose's figure description: the body-model data its drawing is made from,
//! kept as text in the figure file format without the `slug` line (the pose it
//! belongs to is known, and a renamed pose keeps its figure).
//!
//! A description is accepted only when it parses and the drawn figure is
//! plausible (joints within their limits, resting on its contacts, nothing below
//! the floor), so an admin's edit cannot put an impossible body in the library.

use yogaflow_figures::{Figure, check, description_toml, parse_description};

/// Longest description accepted; a full one with props is well under 2,000.
pub const MAX_FIGURE_CHARS: usize = 8_000;

/// The figure a description draws for pose `slug`, plausible or not, or every
/// reason it cannot be read (too long, or not the figure format).
///
/// # Errors
/// Each problem, as a sentence.
pub fn parse_figure_text(slug: &str, text: &str) -> Result<Figure, Vec<String>> {
    if text.chars().count() > MAX_FIGURE_CHARS {
        return Err(vec![format!(
            "the figure description is longer than {MAX_FIGURE_CHARS} characters"
        )]);
    }
    parse_description(slug, text).map_err(|errors| errors.into_iter().map(|e| e.message).collect())
}

/// The figure a description draws for pose `slug`, or every problem as a sentence.
///
/// # Errors
/// Each parse problem, or each plausibility problem of a description that parses.
pub fn read_figure(slug: &str, text: &str) -> Result<Figure, Vec<String>> {
    let figure = parse_figure_text(slug, text)?;
    let problems = check(&figure);
    if problems.is_empty() {
        Ok(figure)
    } else {
        Err(problems.iter().map(ToString::to_string).collect())
    }
}

/// The description in its one written form (every joint listed, fixed order), so
/// that history and exported files show only real changes.
///
/// # Errors
/// As [`read_figure`].
pub fn canonical_figure(slug: &str, text: &str) -> Result<String, Vec<String>> {
    read_figure(slug, text).map(|f| description_toml(&f))
}
