//! Checks over the whole figure library in `content/figures/`: every file loads and is
//! plausible, belongs to a pose, differs from every other figure, mirrors exactly, and
//! renders to well-formed SVG that a strict CSP accepts.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use yogaflow_figures::{
    Figure, Joint, Point, Side, VIEW_WIDTH, View, alt_text, check, ground, interpolate,
    load_figures, mirror, render_svg,
};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn figures() -> Vec<Figure> {
    match load_figures(&workspace().join("content/figures")) {
        Ok(f) => f,
        Err(e) => panic!("figure files do not load:\n{e}"),
    }
}

/// One element of an SVG document: its name, attributes in order, and direct text.
#[derive(Debug, Clone, PartialEq)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

/// A deliberately small XML well-formedness checker for the subset a figure may use:
/// elements, double- or single-quoted attributes, text and the five predefined or
/// numeric character references. Anything else (comments, CDATA, processing
/// instructions, doctype) is refused, since a figure never needs it. Returns the
/// elements in document order.
fn parse_xml(doc: &str) -> Result<Vec<Element>, String> {
    let b = doc.as_bytes();
    let mut i = 0;
    let mut stack: Vec<usize> = Vec::new();
    let mut out: Vec<Element> = Vec::new();
    let mut roots = 0;
    let is_name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.');
    let check_refs = |s: &str| -> Result<(), String> {
        let mut rest = s;
        while let Some(p) = rest.find('&') {
            let after = &rest[p + 1..];
            let end = after.find(';').ok_or("unterminated character reference")?;
            let name = &after[..end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || (name.starts_with("#x")
                    && name.len() > 2
                    && name[2..].chars().all(|c| c.is_ascii_hexdigit()))
                || (name.starts_with('#')
                    && name.len() > 1
                    && name[1..].chars().all(|c| c.is_ascii_digit()));
            if !ok {
                return Err(format!("bad character reference &{name};"));
            }
            rest = &after[end + 1..];
        }
        Ok(())
    };
    while i < b.len() {
        if b[i] != b'<' {
            let start = i;
            while i < b.len() && b[i] != b'<' {
                if b[i] == b'>' {
                    return Err("raw '>' in text".to_owned());
                }
                i += 1;
            }
            let text = &doc[start..i];
            check_refs(text)?;
            match stack.last() {
                Some(&top) => out[top].text.push_str(text),
                None if text.trim().is_empty() => {}
                None => return Err("text outside the root element".to_owned()),
            }
            continue;
        }
        i += 1;
        if i < b.len() && matches!(b[i], b'!' | b'?') {
            return Err("comments, doctype and processing instructions are not allowed".to_owned());
        }
        let closing = i < b.len() && b[i] == b'/';
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && is_name(b[i]) {
            i += 1;
        }
        let name = doc[start..i].to_owned();
        if name.is_empty() {
            return Err(format!("empty tag name at byte {start}"));
        }
        if closing {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'>' {
                return Err(format!("malformed closing tag </{name}"));
            }
            i += 1;
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if out[open].name != name {
                return Err(format!("</{name}> closes <{}>", out[open].name));
            }
            continue;
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err("more than one root element".to_owned());
            }
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let ws = i;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("unterminated <{name}"));
            }
            if b[i] == b'>' || (b[i] == b'/' && b.get(i + 1) == Some(&b'>')) {
                break;
            }
            if ws == i {
                return Err(format!(
                    "attributes of <{name}> need white space between them"
                ));
            }
            let a0 = i;
            while i < b.len() && is_name(b[i]) {
                i += 1;
            }
            let key = doc[a0..i].to_owned();
            if key.is_empty() || b.get(i) != Some(&b'=') {
                return Err(format!("malformed attribute in <{name}>"));
            }
            i += 1;
            let quote = *b.get(i).ok_or("unterminated attribute")?;
            if quote != b'"' && quote != b'\'' {
                return Err(format!("unquoted attribute {key} in <{name}>"));
            }
            i += 1;
            let v0 = i;
            while i < b.len() && b[i] != quote {
                if b[i] == b'<' {
                    return Err(format!("'<' inside attribute {key}"));
                }
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("unterminated attribute {key}"));
            }
            let value = doc[v0..i].to_owned();
            check_refs(&value)?;
            i += 1;
            if attrs.iter().any(|(k, _)| *k == key) {
                return Err(format!("duplicate attribute {key} in <{name}>"));
            }
            attrs.push((key, value));
        }
        let self_closing = b[i] == b'/';
        i += if self_closing { 2 } else { 1 };
        out.push(Element {
            name,
            attrs,
            text: String::new(),
        });
        if !self_closing {
            stack.push(out.len() - 1);
        }
    }
    if let Some(&open) = stack.last() {
        return Err(format!("<{}> is never closed", out[open].name));
    }
    if roots != 1 {
        return Err("no root element".to_owned());
    }
    Ok(out)
}

/// Parses an SVG number into hundredths, exactly (every figure number has at most two
/// decimals).
fn hundredths(s: &str) -> i64 {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 2, "more than two decimals in {s}");
    let v = whole.parse::<i64>().expect("number") * 100
        + format!("{frac:0<2}").parse::<i64>().expect("fraction");
    if neg { -v } else { v }
}

#[test]
fn every_figure_loads_belongs_to_a_pose_and_is_plausible() {
    let figures = figures();
    let poses: Vec<String> = std::fs::read_dir(workspace().join("content/poses"))
        .expect("poses folder")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".toml")
                .map(str::to_owned)
        })
        .collect();
    let mut failures = Vec::new();
    for f in &figures {
        if !poses.contains(&f.slug) {
            failures.push(format!(
                "{}: no pose file content/poses/{}.toml",
                f.slug, f.slug
            ));
        }
        for p in check(f) {
            failures.push(format!("{}: {p}", f.slug));
        }
        for p in check(&f.mirror()) {
            failures.push(format!("{} (mirrored): {p}", f.slug));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{} figures for {} poses", figures.len(), poses.len());
    assert!(figures.len() >= 30, "only {} figures", figures.len());
}

#[test]
fn every_pose_has_a_figure() {
    let have: Vec<String> = figures().into_iter().map(|f| f.slug).collect();
    let mut missing: Vec<String> = std::fs::read_dir(workspace().join("content/poses"))
        .expect("poses folder")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".toml")
                .map(str::to_owned)
        })
        .filter(|slug| !have.contains(slug))
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "poses without a figure: {missing:?}");
}

/// The pose's Sanskrit name from its library file: two library entries for one asana
/// (Forearm Stand and Feathered Peacock are both Piñcha Mayūrāsana) may share a shape.
fn sanskrit(slug: &str) -> String {
    let path = workspace()
        .join("content/poses")
        .join(format!("{slug}.toml"));
    let text = std::fs::read_to_string(&path).expect("pose file");
    let table: toml::Table = text.parse().expect("pose toml");
    table["sanskrit_ascii"]
        .as_str()
        .expect("sanskrit_ascii")
        .to_owned()
}

/// The joints that make a silhouette, as drawn on the floor: hips, head, neck base, and
/// each side's elbow, wrist, knee and ankle, measured across from the hips and up from
/// the floor (so a body lifted off the floor differs from one lying on it).
fn landmarks(figure: &Figure) -> Vec<Point> {
    let s = ground(figure).skeleton;
    let mut points = vec![s.hips, s.head, s.shoulders];
    for side in Side::BOTH {
        let l = s.limb(side);
        points.extend([l.elbow, l.wrist, l.knee, l.ankle]);
    }
    let x0 = s.hips.x;
    points
        .into_iter()
        .map(|p| Point::new(p.x - x0, p.y))
        .collect()
}

/// How far apart two figures' shapes are: the largest distance between matching
/// landmarks, in body units (a standing figure is about 100 tall); unbounded when
/// they are drawn from different views.
fn shape_distance(a: &Figure, b: &Figure) -> f64 {
    if a.view != b.view {
        return f64::INFINITY;
    }
    landmarks(a)
        .into_iter()
        .zip(landmarks(b))
        .map(|(p, q)| p.distance(q))
        .fold(0.0, f64::max)
}

/// Below this, two figures read as the same picture at card size.
const MIN_SHAPE_DISTANCE: f64 = 8.0;

/// Library entries that are one shape under two names, and why.
const SAME_SHAPE: &[(&str, &str, &str)] = &[
    (
        "full-wheel-pose",
        "wheel-pose",
        "most schools use Cakrāsana for the shape of Ūrdhva Dhanurāsana (asana facts)",
    ),
    (
        "cat-cow-pose",
        "cow-pose",
        "a flow between two poses, drawn at its cow phase; the player animates the flow",
    ),
];

fn same_shape(a: &str, b: &str) -> bool {
    SAME_SHAPE
        .iter()
        .any(|&(x, y, _)| (x, y) == (a, b) || (y, x) == (a, b))
}

#[test]
fn figures_of_different_poses_differ() {
    let figures = figures();
    let names: Vec<String> = figures.iter().map(|f| sanskrit(&f.slug)).collect();
    let mut alike = Vec::new();
    for (i, a) in figures.iter().enumerate() {
        for (j, b) in figures.iter().enumerate().skip(i + 1) {
            let d = shape_distance(a, b);
            if d < MIN_SHAPE_DISTANCE && names[i] != names[j] && !same_shape(&a.slug, &b.slug) {
                alike.push(format!("{} and {} ({d:.1} units apart)", a.slug, b.slug));
            }
        }
    }
    assert!(
        alike.is_empty(),
        "these poses draw nearly the same shape:\n{}",
        alike.join("\n")
    );
}

#[test]
fn the_shape_distance_tells_poses_apart() {
    let standing = Figure::standing("mountain-pose", View::Side);
    assert_eq!(shape_distance(&standing, &standing.clone()), 0.0);
    let mut arms_up = standing.clone();
    arms_up.angles.set(Joint::Shoulder(Side::Right), 180.0);
    arms_up.angles.set(Joint::Shoulder(Side::Left), 180.0);
    assert!(shape_distance(&standing, &arms_up) > MIN_SHAPE_DISTANCE);
    let front = Figure::standing("mountain-pose", View::Front);
    assert!(shape_distance(&standing, &front).is_infinite());
}

#[test]
fn mirroring_twice_is_identity_and_the_mirror_is_the_exact_reflection() {
    let width = VIEW_WIDTH * 100;
    for f in figures() {
        assert_eq!(mirror(&mirror(&f)), f, "{}", f.slug);
        let a = parse_xml(&render_svg(&f)).expect("svg parses");
        let m = mirror(&f);
        let b = parse_xml(&render_svg(&m)).expect("mirrored svg parses");
        assert_eq!(a.len(), b.len(), "{}", f.slug);
        for (ea, eb) in a.iter().zip(&b) {
            assert_eq!(ea.name, eb.name, "{}", f.slug);
            if ea.name == "title" {
                assert_eq!(eb.text, alt_text(&m), "{}", f.slug);
                continue;
            }
            let ma: BTreeMap<&str, &str> = ea
                .attrs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let mb: BTreeMap<&str, &str> = eb
                .attrs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(
                ma.keys().collect::<Vec<_>>(),
                mb.keys().collect::<Vec<_>>(),
                "{}",
                f.slug
            );
            for (key, va) in &ma {
                let vb = mb[key];
                let reflected = match (ea.name.as_str(), *key) {
                    (_, "x1" | "x2" | "cx") => Some(width - hundredths(va)),
                    ("rect", "x") => Some(width - hundredths(va) - hundredths(ma["width"])),
                    _ => None,
                };
                match reflected {
                    Some(expected) => assert_eq!(hundredths(vb), expected, "{} {key}", f.slug),
                    None if *key == "points" => {
                        let pa: Vec<(i64, i64)> = va
                            .split(' ')
                            .map(|p| {
                                let (x, y) = p.split_once(',').expect("point");
                                (hundredths(x), hundredths(y))
                            })
                            .collect();
                        let pb: Vec<(i64, i64)> = vb
                            .split(' ')
                            .map(|p| {
                                let (x, y) = p.split_once(',').expect("point");
                                (hundredths(x), hundredths(y))
                            })
                            .collect();
                        let expected: Vec<(i64, i64)> =
                            pa.iter().map(|&(x, y)| (width - x, y)).collect();
                        assert_eq!(pb, expected, "{} points", f.slug);
                    }
                    None => assert_eq!(*va, vb, "{} {key}", f.slug),
                }
            }
        }
    }
}

#[test]
fn every_svg_is_well_formed_and_passes_a_strict_csp() {
    for f in figures() {
        for figure in [f.clone(), f.mirror()] {
            let svg = render_svg(&figure);
            let elements = match parse_xml(&svg) {
                Ok(e) => e,
                Err(e) => panic!("{}: not well-formed XML: {e}\n{svg}", f.slug),
            };
            assert_eq!(elements[0].name, "svg", "{}", f.slug);
            assert!(
                elements[0]
                    .attrs
                    .contains(&("role".to_owned(), "img".to_owned())),
                "{}",
                f.slug
            );
            assert_eq!(elements[1].name, "title", "{}", f.slug);
            assert!(!elements[1].text.is_empty(), "{}", f.slug);
            let lower = svg.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "{}", f.slug);
            assert!(!lower.contains("<style"), "{}", f.slug);
            assert!(!lower.contains("url("), "{}", f.slug);
            assert!(!lower.contains("var("), "{}", f.slug);
            for e in &elements {
                assert!(
                    matches!(
                        e.name.as_str(),
                        "svg" | "title" | "line" | "circle" | "polygon" | "rect"
                    ),
                    "{}: unexpected element <{}>",
                    f.slug,
                    e.name
                );
                for (key, _) in &e.attrs {
                    let k = key.to_ascii_lowercase();
                    assert!(!k.starts_with("on"), "{}: event handler {key}", f.slug);
                    assert!(!k.ends_with("href"), "{}: link {key}", f.slug);
                    assert!(k != "style", "{}: style attribute", f.slug);
                }
            }
        }
    }
}

#[test]
fn the_xml_checker_rejects_what_it_should() {
    assert!(parse_xml("<svg><title>a &amp; b</title></svg>").is_ok());
    assert!(parse_xml("<svg><line/></svg>").is_ok());
    for bad in [
        "<svg>",
        "<svg></g>",
        "<svg a=\"1\" a=\"2\"/>",
        "<svg a=1/>",
        "<svg><title>a & b</title></svg>",
        "<svg/><svg/>",
        "<!-- x --><svg/>",
        "<svg a=\"1\"b=\"2\"/>",
    ] {
        assert!(parse_xml(bad).is_err(), "accepted {bad}");
    }
}

#[test]
fn interpolated_frames_render() {
    let figures = figures();
    let by_slug: HashMap<&str, &Figure> = figures.iter().map(|f| (f.slug.as_str(), f)).collect();
    let (a, b) = (by_slug["mountain-pose"], by_slug["upward-salute"]);
    for i in 0..=10 {
        let frame = interpolate(a, b, f64::from(i) / 10.0);
        assert!(parse_xml(&render_svg(&frame)).is_ok());
    }
    let (a, b) = (by_slug["downward-facing-dog"], by_slug["plank-pose"]);
    let mid = interpolate(a, b, 0.5);
    assert!(yogaflow_figures::check_joint_limits(&mid).is_empty());
}
