//! The figure beside the admin pose form: drawn from the description in the
//! form (so a refused save still shows what was typed), with its alt text and
//! any plausibility problems. `admin.js` redraws it on each edit through the
//! preview API; this is the same picture for the first paint and without script.

use yogaflow_figures::{alt_text, check, parse_description, render_svg_titled};

pub struct FigurePreview {
    pub svg: String,
    pub alt: String,
    pub problems: Vec<String>,
}

/// The preview of `text` for pose `slug`; empty when there is no description
/// or it does not parse (the form's field error says why).
pub fn preview(slug: &str, text: &str) -> FigurePreview {
    let empty = FigurePreview {
        svg: String::new(),
        alt: String::new(),
        problems: Vec::new(),
    };
    if text.trim().is_empty() {
        return empty;
    }
    let Ok(figure) = parse_description(slug, text) else {
        return empty;
    };
    let alt = alt_text(&figure);
    FigurePreview {
        svg: render_svg_titled(&figure, &alt),
        problems: check(&figure).iter().map(ToString::to_string).collect(),
        alt,
    }
}
