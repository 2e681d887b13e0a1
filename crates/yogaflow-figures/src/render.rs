//! SVG text for a scene, and the stylesheet a site adds to theme the figures.
//!
//! The output is built for a strict Content Security Policy (`default-src 'self';
//! style-src 'self'`): no script, no event handlers, no links or external references,
//! no `<style>` element and no `style` attributes. Colours are presentation attributes
//! (so a standalone file looks right) plus fixed classes (so the site's own stylesheet,
//! [`FIGURE_CSS`], recolours them for light and dark themes).

use std::fmt::Write as _;

use crate::alt::alt_text;
use crate::figure::Figure;
use crate::scene::{Scene, Shape, VIEW_HEIGHT, VIEW_WIDTH};

/// Renders a figure as a self-contained SVG whose `<title>` is its generated alt text.
pub fn render_svg(figure: &Figure) -> String {
    render_svg_titled(figure, &alt_text(figure))
}

/// Renders a figure with a caller-chosen title (e.g. the pose name followed by the alt
/// text).
pub fn render_svg_titled(figure: &Figure, title: &str) -> String {
    scene_to_svg(&Scene::build(figure), title)
}

/// Writes a scene as SVG text.
pub fn scene_to_svg(scene: &Scene, title: &str) -> String {
    let mut out = String::with_capacity(160 + scene.shapes.len() * 110);
    // Round caps and joins are inherited by every stroke, which is what rounds the
    // limbs; setting them once here keeps each element short.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}\" \
         role=\"img\" class=\"yf-figure\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\
         <title>{}</title>",
        escape_text(title)
    );
    for shape in &scene.shapes {
        write_shape(&mut out, shape);
    }
    out.push_str("</svg>");
    out
}

fn write_shape(out: &mut String, shape: &Shape) {
    match shape {
        Shape::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            paint,
        } => {
            let _ = write!(
                out,
                "<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                paint.class(),
                num(*x1),
                num(*y1),
                num(*x2),
                num(*y2),
                paint.colour(),
                num(*width)
            );
        }
        Shape::Circle { cx, cy, r, paint } => {
            let _ = write!(
                out,
                "<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                paint.class(),
                num(*cx),
                num(*cy),
                num(*r),
                paint.colour()
            );
        }
        Shape::Polygon {
            points,
            width,
            paint,
        } => {
            let _ = write!(out, "<polygon class=\"{}\" points=\"", paint.class());
            for (i, (x, y)) in points.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{},{}", num(*x), num(*y));
            }
            let _ = write!(
                out,
                "\" fill=\"{c}\" stroke=\"{c}\" stroke-width=\"{}\"/>",
                num(*width),
                c = paint.colour()
            );
        }
        Shape::Rect {
            x,
            y,
            w,
            h,
            rx,
            paint,
        } => {
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\"/>",
                paint.class(),
                num(*x),
                num(*y),
                num(*w),
                num(*h),
                num(*rx),
                paint.colour()
            );
        }
    }
}

/// Formats hundredths of a unit without float noise: 12345 → "123.45", 1200 → "12".
pub(crate) fn num(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let v = hundredths.unsigned_abs();
    let (whole, frac) = (v / 100, v % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// Escapes text for an XML text node.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The rules a site adds to its own stylesheet to theme inlined figures. Every colour
/// goes through a custom property with the standalone colour as fallback, so a theme
/// only sets variables; the dark values apply with the system preference or a
/// `data-theme="dark"` ancestor. Served from the site's own stylesheet, it passes
/// `style-src 'self'`.
pub const FIGURE_CSS: &str = r#".yf-figure line.yf-body, .yf-figure polygon.yf-body { stroke: var(--yf-figure-body, #5b7f6e); }
.yf-figure circle.yf-body, .yf-figure polygon.yf-body { fill: var(--yf-figure-body, #5b7f6e); }
.yf-figure .yf-limb-far { stroke: var(--yf-figure-far, #a9c2b5); }
.yf-figure line.yf-halo { stroke: var(--yf-figure-bg, #ffffff); }
.yf-figure circle.yf-halo { fill: var(--yf-figure-bg, #ffffff); }
.yf-figure .yf-floor { stroke: var(--yf-figure-floor, #c9c1b6); }
.yf-figure rect.yf-mat { fill: var(--yf-figure-mat, #efe9e0); }
.yf-figure rect.yf-prop-block { fill: var(--yf-prop-block, #d9b77e); }
.yf-figure rect.yf-prop-bolster { fill: var(--yf-prop-bolster, #8fb1c9); }
.yf-figure rect.yf-prop-blanket { fill: var(--yf-prop-blanket, #d9a6a0); }
.yf-figure rect.yf-prop-chair { fill: var(--yf-prop-chair, #a8876a); }
.yf-figure line.yf-prop-chair { stroke: var(--yf-prop-chair, #a8876a); }
.yf-figure rect.yf-prop-wall { fill: var(--yf-prop-wall, #e3ddd3); }
.yf-figure .yf-prop-strap { stroke: var(--yf-prop-strap, #8d6fb5); }
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) .yf-figure {
    --yf-figure-body: #9fcfb7; --yf-figure-far: #4d6a5d; --yf-figure-bg: #1c2320;
    --yf-figure-floor: #4b514e; --yf-figure-mat: #2a302d; --yf-prop-block: #a88c5c; --yf-prop-bolster: #5f7f96;
    --yf-prop-blanket: #a8736d; --yf-prop-chair: #8d7159; --yf-prop-wall: #3a3f3c;
    --yf-prop-strap: #b59ad8;
  }
}
[data-theme="dark"] .yf-figure {
  --yf-figure-body: #9fcfb7; --yf-figure-far: #4d6a5d; --yf-figure-bg: #1c2320;
  --yf-figure-floor: #4b514e; --yf-prop-block: #a88c5c; --yf-prop-bolster: #5f7f96;
  --yf-prop-blanket: #a8736d; --yf-prop-chair: #8d7159; --yf-prop-wall: #3a3f3c;
  --yf-prop-strap: #b59ad8;
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact() {
        assert_eq!(num(0), "0");
        assert_eq!(num(1200), "12");
        assert_eq!(num(1250), "12.5");
        assert_eq!(num(1205), "12.05");
        assert_eq!(num(-5), "-0.05");
        assert_eq!(num(-1230), "-12.3");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
