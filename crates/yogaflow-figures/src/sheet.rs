//! The contact sheet: one self-contained HTML page showing many figures with their
//! names, for a person to review the whole library at a glance.

use crate::render::{FIGURE_CSS, escape_text};

/// One HTML page (no script, no external reference) with a card per figure: the SVG
/// inlined and the name under it. `figures` pairs a display name with SVG text from
/// [`crate::render_svg`]; the SVG is trusted output of this crate and goes in as is,
/// the name is escaped.
pub fn render_contact_sheet<N: AsRef<str>, S: AsRef<str>>(figures: &[(N, S)]) -> String {
    let mut out = String::with_capacity(2048 + figures.len() * 4096);
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>YogaFlow pose figures</title>\n<style>\n\
         body { margin: 16px; font: 14px/1.3 system-ui, sans-serif; background: #f4f1ec; color: #2f3b35; }\n\
         h1 { font-size: 18px; margin: 0 0 12px; }\n\
         .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 10px; }\n\
         .card { background: #ffffff; border-radius: 8px; padding: 6px 6px 8px; margin: 0; }\n\
         .card svg { display: block; width: 100%; height: auto; }\n\
         .card figcaption { text-align: center; font-weight: 600; margin-top: 2px; }\n",
    );
    out.push_str(FIGURE_CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(&format!(
        "<h1>YogaFlow pose figures ({})</h1>\n<div class=\"grid\">\n",
        figures.len()
    ));
    for (name, svg) in figures {
        out.push_str("<figure class=\"card\">");
        out.push_str(svg.as_ref());
        out.push_str("<figcaption>");
        out.push_str(&escape_text(name.as_ref()));
        out.push_str("</figcaption></figure>\n");
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_no_script_appears() {
        let page = render_contact_sheet(&[("A & B <i>", "<svg></svg>")]);
        assert!(page.contains("A &amp; B &lt;i&gt;"));
        assert!(!page.contains("<script"));
        assert!(page.contains("<svg></svg>"));
    }
}
