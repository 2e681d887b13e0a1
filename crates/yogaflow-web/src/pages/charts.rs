//! Bar charts drawn as SVG on the server: no chart library, no script, and
//! nothing the CSP would block (colours come from classes in `app.css`).
//! Each chart carries a `<title>` and the page shows the same numbers as a table
//! for screen readers.

use std::fmt::Write as _;

/// One bar: its label under the axis and its value.
pub struct Bar {
    pub label: String,
    pub value: f64,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Vertical bars, evenly spaced, scaled to the largest value.
pub fn columns(title: &str, bars: &[Bar]) -> String {
    const W: f64 = 640.0;
    const H: f64 = 220.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 40.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let n = bars.len().max(1) as f64;
    let slot = W / n;
    let width = (slot * 0.6).max(2.0);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    let base = H - BOTTOM;
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"0\" y1=\"{base}\" x2=\"{W}\" y2=\"{base}\"/>"
    );
    // Label every bar when there are few; otherwise every few, so text never overlaps.
    let every = (bars.len() / 8).max(1);
    for (i, b) in bars.iter().enumerate() {
        let h = (b.value / max) * (base - TOP);
        let x = slot * i as f64 + (slot - width) / 2.0;
        let y = base - h;
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{h:.1}\" rx=\"3\"/>"
        );
        if b.value > 0.0 && bars.len() <= 16 {
            let _ = write!(
                out,
                "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + width / 2.0,
                y - 4.0,
                b.value
            );
        }
        if i % every == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + width / 2.0,
                base + 16.0,
                escape(&b.label)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars with their labels on the left, for named things.
pub fn rows(title: &str, bars: &[Bar], unit: &str) -> String {
    const W: f64 = 640.0;
    const ROW: f64 = 30.0;
    const LABEL: f64 = 220.0;
    let h = ROW * bars.len().max(1) as f64 + 10.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {h}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 5.0;
        let w = (b.value / max) * (W - LABEL - 70.0);
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{LABEL}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"3\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{} {}</text>",
            LABEL - 8.0,
            y + ROW * 0.55,
            escape(&b.label),
            ROW * 0.7,
            LABEL + w + 6.0,
            y + ROW * 0.55,
            b.value,
            unit_for(b.value, unit)
        );
    }
    out.push_str("</svg>");
    out
}

/// `1 time`, `2 times`: units are given in the plural.
pub fn unit_for(value: f64, plural: &str) -> &str {
    if (value - 1.0).abs() < f64::EPSILON {
        plural.strip_suffix('s').unwrap_or(plural)
    } else {
        plural
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Mon <b>".into(),
                value: 3.0,
            },
            Bar {
                label: "Tue".into(),
                value: 0.0,
            },
            Bar {
                label: "Wed".into(),
                value: 6.0,
            },
        ]
    }

    #[test]
    fn charts_are_plain_escaped_svg() {
        for svg in [columns("Minutes", &bars()), rows("Poses", &bars(), "times")] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("Mon &lt;b&gt;"), "{svg}");
            assert!(!svg.contains("style") && !svg.contains("script"));
            assert_eq!(svg.matches("<rect").count(), 3);
        }
    }

    #[test]
    fn the_tallest_bar_fills_the_plot() {
        let svg = columns("Minutes", &bars());
        // base 180 - top 20 = 160 for the largest value.
        assert!(svg.contains("height=\"160.0\""), "{svg}");
        assert!(svg.contains("height=\"80.0\""), "{svg}");
    }
}
