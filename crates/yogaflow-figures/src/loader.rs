//! Reading and writing figure files (`content/figures/<pose-slug>.toml`), with every
//! problem reported against its file: unknown joint or part names, missing joints,
//! out-of-range angles, malformed props, and a slug that does not match the file name.
//!
//! The format, by example:
//!
//! ```toml
//! slug = "tree-pose"
//! view = "front"                 # "side", "front", "top" (lying on the back, seen from
//!                                # above) or "top-side" (lying on one side, from above)
//! root = { tilt = 0 }            # pelvis direction, degrees from up; a front view may
//!                                # add pitch = 120 (trunk hinged towards the viewer)
//! contacts = ["left_foot"]       # parts resting on the floor (or on a prop under them)
//! no_cross_torso = []            # optional: limb parts that must stay clear of the torso
//! foreshorten = { right_upper_leg = 40 }  # optional: degrees a limb segment points
//!                                # at the viewer (drawn shorter); feet: front/top only
//! legs_in_front = ["right"]      # optional, front view: legs drawn over the trunk
//! arms_behind = ["right"]        # optional: arms drawn behind the trunk (hands behind
//!                                # the back, or a near arm bound round a bent knee)
//! layers = { left_upper_arm = "front", left_lower_arm = "back" }
//!                                # optional: single limb segments (upper_arm, lower_arm,
//!                                # hand, upper_leg, lower_leg, foot) drawn over the whole
//!                                # body ("front", body colour with a halo) or behind it
//!                                # ("back", far-limb colour), e.g. an arm that hooks
//!                                # outside a bent knee and wraps behind the shin
//! props = [                      # optional
//!   { kind = "block", under = "right_hand" },
//!   { kind = "strap", from = "right_hand", to = "right_foot" },
//!   { kind = "wall", against = "left_foot", toward = "right" },
//!   { kind = "chair", under = "pelvis", backrest = "left" },
//! ]
//!
//! [angles]                       # every joint, in degrees
//! spine = 0
//! neck = 0
//! right_shoulder = 170
//! # ...
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;

use serde::Deserialize;

use crate::body::{Joint, Part, Side, View};
use crate::figure::{Figure, JointAngles, Layer, PITCH_RANGE, Prop, Root, Toward};

/// The most a segment may point at the viewer, in degrees; beyond it the segment would
/// shrink to a dot and say nothing.
const FORESHORTEN_MAX: f64 = 75.0;

/// One problem in one figure file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Every problem found in a load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FigureErrors(pub Vec<FigureError>);

impl fmt::Display for FigureErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    slug: String,
    view: String,
    #[serde(default)]
    root: RawRoot,
    angles: BTreeMap<String, f64>,
    contacts: Vec<String>,
    #[serde(default)]
    no_cross_torso: Vec<String>,
    #[serde(default)]
    arms_behind: Vec<String>,
    #[serde(default)]
    legs_in_front: Vec<String>,
    #[serde(default)]
    foreshorten: BTreeMap<String, f64>,
    #[serde(default)]
    layers: BTreeMap<String, String>,
    #[serde(default)]
    props: Vec<RawProp>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRoot {
    #[serde(default)]
    tilt: f64,
    #[serde(default)]
    pitch: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProp {
    kind: String,
    under: Option<String>,
    against: Option<String>,
    from: Option<String>,
    to: Option<String>,
    toward: Option<String>,
    backrest: Option<String>,
}

/// Parses one figure file. `file_name` is the file's name (e.g. `tree-pose.toml`); the
/// slug inside must equal it without the extension.
///
/// # Errors
/// Every problem found in the file.
pub fn parse_figure(file_name: &str, text: &str) -> Result<Figure, Vec<FigureError>> {
    let mut errors = Vec::new();
    let mut err = |message: String| {
        errors.push(FigureError {
            file: file_name.to_owned(),
            message,
        });
    };
    let raw: RawFigure = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            err(format!("not a valid figure file: {}", e.message()));
            return Err(errors);
        }
    };
    let stem = file_name.strip_suffix(".toml").unwrap_or(file_name);
    if raw.slug != stem {
        err(format!(
            "slug \"{}\" does not match the file name \"{stem}\"",
            raw.slug
        ));
    }
    let view = View::from_name(&raw.view).unwrap_or_else(|| {
        err(format!(
            "view \"{}\" is not \"side\", \"front\", \"top\" or \"top-side\"",
            raw.view
        ));
        View::Side
    });
    if !raw.root.tilt.is_finite() || raw.root.tilt.abs() > 360.0 {
        err(format!(
            "root tilt {} must be between -360 and 360",
            raw.root.tilt
        ));
    }

    let (lo, hi) = PITCH_RANGE;
    if !raw.root.pitch.is_finite() || !(lo..=hi).contains(&raw.root.pitch) {
        err(format!(
            "root pitch {} must be between {lo} and {hi}",
            raw.root.pitch
        ));
    } else if view.sagittal() && raw.root.pitch != 0.0 {
        err("root pitch is for front views; a side view bends forward with tilt".to_owned());
    }

    let mut angles = JointAngles::default();
    for (name, &degrees) in &raw.angles {
        match Joint::from_name(name) {
            None => err(format!("unknown joint \"{name}\" in [angles]")),
            Some(joint) => {
                let (min, max) = joint.limits(view);
                if !(min..=max).contains(&degrees) {
                    err(format!(
                        "{name} = {degrees} is outside its range of {min} to {max} for a {} view",
                        view.name()
                    ));
                }
                angles.set(joint, degrees);
            }
        }
    }
    for joint in Joint::ALL {
        if !raw.angles.contains_key(&joint.name()) {
            err(format!("[angles] is missing {joint}"));
        }
    }

    let mut sides = |names: &[String], field: &str| {
        let mut out = Vec::new();
        for name in names {
            match name.as_str() {
                "right" => out.push(Side::Right),
                "left" => out.push(Side::Left),
                other => err(format!("{field} \"{other}\" must be \"right\" or \"left\"")),
            }
        }
        out
    };
    let arms_behind = sides(&raw.arms_behind, "arms_behind");
    let legs_in_front = sides(&raw.legs_in_front, "legs_in_front");
    let mut foreshorten = Vec::new();
    for (name, &deg) in &raw.foreshorten {
        let found = Part::from_name(name).filter(|p| {
            matches!(
                p,
                Part::UpperArm(_)
                    | Part::LowerArm(_)
                    | Part::UpperLeg(_)
                    | Part::LowerLeg(_)
                    | Part::Foot(_)
            )
        });
        match found {
            None => err(format!(
                "foreshorten \"{name}\" must be an upper_arm, lower_arm, upper_leg, lower_leg or foot"
            )),
            // A side view always draws the foot at its full length, in the picture.
            Some(Part::Foot(_)) if view.sagittal() => {
                err("foreshorten of a foot only applies to a front or top view".to_owned())
            }
            Some(_) if !(0.0..=FORESHORTEN_MAX).contains(&deg) => err(format!(
                "foreshorten {name} = {deg} is outside 0 to {FORESHORTEN_MAX}"
            )),
            Some(p) => foreshorten.push((p, deg)),
        }
    }
    let mut layers = Vec::new();
    for (name, value) in &raw.layers {
        // Only the drawn limb segments have a depth of their own; a joint part (elbow,
        // knee) is a cap shared by two segments and follows them.
        let found = Part::from_name(name).filter(|p| {
            matches!(
                p,
                Part::UpperArm(_)
                    | Part::LowerArm(_)
                    | Part::Hand(_)
                    | Part::UpperLeg(_)
                    | Part::LowerLeg(_)
                    | Part::Foot(_)
            )
        });
        match (found, Layer::from_name(value)) {
            (None, _) => err(format!(
                "layers \"{name}\" must be an upper_arm, lower_arm, hand, upper_leg, lower_leg or foot"
            )),
            (Some(_), None) => err(format!(
                "layers {name} = \"{value}\" must be \"front\" or \"back\""
            )),
            (Some(p), Some(l)) => layers.push((p, l)),
        }
    }
    let mut part = |name: &str, field: &str| -> Option<Part> {
        let found = Part::from_name(name);
        if found.is_none() {
            err(format!("unknown body part \"{name}\" in {field}"));
        }
        found
    };
    let contacts: Vec<Part> = raw
        .contacts
        .iter()
        .filter_map(|n| part(n, "contacts"))
        .collect();
    let no_cross_torso: Vec<Part> = raw
        .no_cross_torso
        .iter()
        .filter_map(|n| part(n, "no_cross_torso"))
        .collect();
    let mut props = Vec::new();
    let mut prop_errors = Vec::new();
    for (i, rp) in raw.props.iter().enumerate() {
        match prop_from_raw(rp, &mut part) {
            Ok(p) => props.push(p),
            Err(m) => prop_errors.push(format!("props[{i}]: {m}")),
        }
    }
    for m in prop_errors {
        err(m);
    }
    if contacts.is_empty() && raw.contacts.is_empty() {
        err("contacts is empty: at least one part must touch the floor".to_owned());
    }
    let mut seen = Vec::new();
    for c in &contacts {
        if seen.contains(c) {
            err(format!("contact {c} is listed twice"));
        }
        seen.push(*c);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Figure {
        slug: raw.slug,
        view,
        root: Root {
            tilt: raw.root.tilt,
            pitch: raw.root.pitch,
        },
        angles,
        contacts,
        props,
        no_cross_torso,
        arms_behind,
        legs_in_front,
        foreshorten,
        layers,
        mirrored: false,
    })
}

fn prop_from_raw(
    rp: &RawProp,
    part: &mut impl FnMut(&str, &str) -> Option<Part>,
) -> Result<Prop, String> {
    let toward = |v: &Option<String>, field: &str| -> Result<Option<Toward>, String> {
        match v.as_deref() {
            None => Ok(None),
            Some("left") => Ok(Some(Toward::Left)),
            Some("right") => Ok(Some(Toward::Right)),
            Some(other) => Err(format!("{field} \"{other}\" must be \"left\" or \"right\"")),
        }
    };
    let mut need = |v: &Option<String>, field: &str| -> Result<Part, String> {
        let name = v
            .as_deref()
            .ok_or_else(|| format!("a {} needs `{field}`", rp.kind))?;
        part(name, field).ok_or_else(|| format!("`{field}` names no body part"))
    };
    let allowed: &[&str] = match rp.kind.as_str() {
        "block" | "bolster" | "blanket" => &["under"],
        "chair" => &["under", "backrest"],
        "wall" => &["against", "toward"],
        "strap" => &["from", "to"],
        other => {
            return Err(format!(
                "unknown prop kind \"{other}\" (block, strap, bolster, blanket, chair, wall)"
            ));
        }
    };
    for (field, value) in [
        ("under", &rp.under),
        ("against", &rp.against),
        ("from", &rp.from),
        ("to", &rp.to),
        ("toward", &rp.toward),
        ("backrest", &rp.backrest),
    ] {
        if value.is_some() && !allowed.contains(&field) {
            return Err(format!("a {} does not take `{field}`", rp.kind));
        }
    }
    Ok(match rp.kind.as_str() {
        "block" => Prop::Block {
            under: need(&rp.under, "under")?,
        },
        "bolster" => Prop::Bolster {
            under: need(&rp.under, "under")?,
        },
        "blanket" => Prop::Blanket {
            under: need(&rp.under, "under")?,
        },
        "chair" => Prop::Chair {
            under: need(&rp.under, "under")?,
            backrest: toward(&rp.backrest, "backrest")?,
        },
        "wall" => Prop::Wall {
            against: need(&rp.against, "against")?,
            toward: toward(&rp.toward, "toward")?,
        },
        _ => Prop::Strap {
            from: need(&rp.from, "from")?,
            to: need(&rp.to, "to")?,
        },
    })
}

/// Reads every `*.toml` file of a figures folder, sorted by slug.
///
/// # Errors
/// An unreadable folder or file, and every problem in every file.
pub fn load_figures(dir: &Path) -> Result<Vec<Figure>, FigureErrors> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        FigureErrors(vec![FigureError {
            file: dir.display().to_string(),
            message: format!("cannot read folder: {e}"),
        }])
    })?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((name, text)),
            Err(e) => errors.push(FigureError {
                file: name,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    files.sort();
    let mut figures = Vec::new();
    for (name, text) in files {
        match parse_figure(&name, &text) {
            Ok(f) => figures.push(f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(figures)
    } else {
        Err(FigureErrors(errors))
    }
}

/// Writes a figure in the file format above, every joint listed, so that tools can
/// rewrite files without losing anything the loader reads.
pub fn to_toml(figure: &Figure) -> String {
    let mut out = String::new();
    let names = |parts: &[Part]| {
        parts
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "slug = \"{}\"", figure.slug);
    let _ = writeln!(out, "view = \"{}\"", figure.view.name());
    if figure.root.pitch == 0.0 {
        let _ = writeln!(out, "root = {{ tilt = {} }}", degrees(figure.root.tilt));
    } else {
        let _ = writeln!(
            out,
            "root = {{ tilt = {}, pitch = {} }}",
            degrees(figure.root.tilt),
            degrees(figure.root.pitch)
        );
    }
    let _ = writeln!(out, "contacts = [{}]", names(&figure.contacts));
    if !figure.no_cross_torso.is_empty() {
        let _ = writeln!(out, "no_cross_torso = [{}]", names(&figure.no_cross_torso));
    }
    if !figure.foreshorten.is_empty() {
        let items: Vec<String> = figure
            .foreshorten
            .iter()
            .map(|(p, d)| format!("{p} = {}", degrees(*d)))
            .collect();
        let _ = writeln!(out, "foreshorten = {{ {} }}", items.join(", "));
    }
    if !figure.layers.is_empty() {
        let items: Vec<String> = figure
            .layers
            .iter()
            .map(|(p, l)| format!("{p} = \"{}\"", l.name()))
            .collect();
        let _ = writeln!(out, "layers = {{ {} }}", items.join(", "));
    }
    for (field, list) in [
        ("legs_in_front", &figure.legs_in_front),
        ("arms_behind", &figure.arms_behind),
    ] {
        if !list.is_empty() {
            let sides: Vec<String> = list.iter().map(|s| format!("\"{}\"", s.name())).collect();
            let _ = writeln!(out, "{field} = [{}]", sides.join(", "));
        }
    }
    if !figure.props.is_empty() {
        out.push_str("props = [\n");
        for p in &figure.props {
            let body = match *p {
                Prop::Block { under } | Prop::Bolster { under } | Prop::Blanket { under } => {
                    format!("under = \"{under}\"")
                }
                Prop::Chair { under, backrest } => match backrest {
                    Some(b) => format!("under = \"{under}\", backrest = \"{}\"", b.name()),
                    None => format!("under = \"{under}\""),
                },
                Prop::Wall { against, toward } => match toward {
                    Some(t) => format!("against = \"{against}\", toward = \"{}\"", t.name()),
                    None => format!("against = \"{against}\""),
                },
                Prop::Strap { from, to } => format!("from = \"{from}\", to = \"{to}\""),
            };
            let _ = writeln!(out, "  {{ kind = \"{}\", {body} }},", p.kind());
        }
        out.push_str("]\n");
    }
    out.push_str("\n[angles]\n");
    for (joint, value) in figure.angles.iter() {
        let _ = writeln!(out, "{joint} = {}", degrees(value));
    }
    out
}

/// Degrees with at most one decimal, and no ".0" on whole numbers.
fn degrees(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Parses a figure description as the library database and the admin pages keep
/// it: the file format without the `slug` line, since the pose it belongs to is
/// known and its slug may be renamed. A `slug` line, if present, must name `slug`.
///
/// # Errors
/// Every problem found, as for a figure file.
pub fn parse_description(slug: &str, text: &str) -> Result<Figure, Vec<FigureError>> {
    let file = format!("{slug}.toml");
    let has_slug = toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("slug"));
    if has_slug {
        parse_figure(&file, text)
    } else {
        // A top-level key written first stays top-level whatever tables follow.
        parse_figure(&file, &format!("slug = \"{slug}\"\n{text}"))
    }
}

/// The description of `figure` as [`parse_description`] reads it: the file format
/// without its `slug` line.
pub fn description_toml(figure: &Figure) -> String {
    let text = to_toml(figure);
    match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("slug = ") => rest.to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Side;

    fn valid() -> String {
        let mut f = Figure::standing("mountain-pose", View::Side);
        f.props.push(Prop::Wall {
            against: Part::Foot(Side::Right),
            toward: Some(Toward::Left),
        });
        f.props.push(Prop::Strap {
            from: Part::Hand(Side::Right),
            to: Part::Foot(Side::Right),
        });
        f.angles.set(Joint::Knee(Side::Left), 12.5);
        to_toml(&f)
    }

    #[test]
    fn written_files_read_back_identically() {
        let text = valid();
        let f = parse_figure("mountain-pose.toml", &text).expect("valid file");
        assert_eq!(to_toml(&f), text);
        assert_eq!(f.angles.get(Joint::Knee(Side::Left)), 12.5);
    }

    #[test]
    fn a_description_is_a_file_without_its_slug_and_follows_renames() {
        let f = parse_figure("mountain-pose.toml", &valid()).expect("valid file");
        let text = description_toml(&f);
        assert!(!text.contains("slug"), "{text}");
        let renamed = parse_description("tall-mountain", &text).expect("valid description");
        assert_eq!(renamed.slug, "tall-mountain");
        assert_eq!(description_toml(&renamed), text);
        // A slug line that names another pose is refused.
        let other = parse_description("tree-pose", &valid()).expect_err("slug differs");
        assert!(other[0].message.contains("does not match"), "{other:?}");
    }

    #[test]
    fn every_problem_is_reported_with_the_file() {
        let text = valid()
            .replace("right_elbow = 0", "right_elbow = 0\nright_pinky = 3")
            .replace("left_knee = 12.5", "left_knee = 179")
            .replace("spine = 0\n", "");
        let errors = parse_figure("tree-pose.toml", &text).expect_err("broken file");
        let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let joined = all.join("\n");
        assert!(
            joined.contains("tree-pose.toml: slug \"mountain-pose\""),
            "{joined}"
        );
        assert!(joined.contains("unknown joint \"right_pinky\""), "{joined}");
        assert!(
            joined.contains("left_knee = 179 is outside its range"),
            "{joined}"
        );
        assert!(joined.contains("missing spine"), "{joined}");
    }

    #[test]
    fn pitch_is_read_written_and_only_allowed_in_front_views() {
        let mut f = Figure::standing("wide-fold", View::Front);
        f.root.pitch = 120.0;
        let text = to_toml(&f);
        assert!(text.contains("root = { tilt = 0, pitch = 120 }"), "{text}");
        assert_eq!(parse_figure("wide-fold.toml", &text), Ok(f));
        let side = text.replace("view = \"front\"", "view = \"side\"");
        let e = parse_figure("wide-fold.toml", &side).expect_err("side view with pitch");
        assert!(e[0].message.contains("pitch"), "{e:?}");
        let far = text.replace("pitch = 120", "pitch = 200");
        assert!(parse_figure("wide-fold.toml", &far).is_err());
    }

    #[test]
    fn layers_round_trip_and_are_checked() {
        let mut f = Figure::standing("marichis-pose-iii", View::Side);
        f.layers = vec![
            (Part::LowerArm(Side::Left), Layer::Back),
            (Part::UpperArm(Side::Left), Layer::Front),
        ];
        let text = to_toml(&f);
        assert!(
            text.contains("layers = { left_lower_arm = \"back\", left_upper_arm = \"front\" }"),
            "{text}"
        );
        assert_eq!(parse_figure("marichis-pose-iii.toml", &text), Ok(f));
        for (from, to) in [
            ("left_upper_arm = \"front\"", "left_elbow = \"front\""),
            ("\"back\"", "\"middle\""),
        ] {
            let broken = text.replace(from, to);
            assert!(
                parse_figure("marichis-pose-iii.toml", &broken).is_err(),
                "{to}"
            );
        }
    }

    #[test]
    fn bad_parts_and_props_are_named() {
        let text = valid()
            .replace("\"right_foot\", \"left_foot\"", "\"right_paw\"")
            .replace("kind = \"wall\"", "kind = \"ladder\"");
        let joined: Vec<String> = parse_figure("mountain-pose.toml", &text)
            .expect_err("broken")
            .iter()
            .map(ToString::to_string)
            .collect();
        let joined = joined.join("\n");
        assert!(
            joined.contains("unknown body part \"right_paw\""),
            "{joined}"
        );
        assert!(joined.contains("unknown prop kind \"ladder\""), "{joined}");
    }

    #[test]
    fn foreshortening_and_arms_behind_round_trip_and_are_checked() {
        let mut f = Figure::standing("lotus-pose", View::Front);
        f.foreshorten = vec![
            (Part::Foot(Side::Left), 0.0),
            (Part::UpperLeg(Side::Right), 40.0),
        ];
        f.arms_behind = vec![Side::Right, Side::Left];
        f.legs_in_front = vec![Side::Left];
        let text = to_toml(&f);
        assert!(text.contains("legs_in_front = [\"left\"]"), "{text}");
        assert!(
            text.contains("foreshorten = { left_foot = 0, right_upper_leg = 40 }"),
            "{text}"
        );
        assert!(
            text.contains("arms_behind = [\"right\", \"left\"]"),
            "{text}"
        );
        assert_eq!(parse_figure("lotus-pose.toml", &text), Ok(f));

        let side = text.replace("view = \"front\"", "view = \"side\"");
        let e = parse_figure("lotus-pose.toml", &side).expect_err("side view");
        assert!(e[0].message.contains("front or top"), "{e:?}");
        // A side view may shorten a limb segment (a shin across the arms), not a foot.
        let side_thigh = side.replace("left_foot = 0, ", "");
        let parsed = parse_figure("lotus-pose.toml", &side_thigh).expect("side thigh");
        assert_eq!(
            parsed.foreshortening(Part::UpperLeg(Side::Right)),
            Some(40.0)
        );
        for (from, to) in [
            ("right_upper_leg = 40", "right_upper_leg = 80"),
            ("right_upper_leg = 40", "head = 10"),
            ("\"left\"]", "\"middle\"]"),
        ] {
            let broken = text.replace(from, to);
            assert!(parse_figure("lotus-pose.toml", &broken).is_err(), "{to}");
        }
    }
}
