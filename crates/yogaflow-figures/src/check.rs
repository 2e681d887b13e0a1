//! Plausibility checks: the rules every figure must pass before anyone sees it. Joint
//! angles within their ranges; after grounding nothing below the floor and every
//! declared contact resting on its support; limbs the pose keeps clear of the torso not
//! crossing it; props under parts that actually rest on them.

use std::fmt;

use crate::body::{Joint, Part, Side};
use crate::figure::Figure;
use crate::kinematics::{Capsule, Point, ground};

/// How far (in figure units) a declared contact may sit from its support.
pub const CONTACT_TOLERANCE: f64 = 1.0;

/// One reason a figure is not plausible.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    AngleOutOfRange {
        joint: Joint,
        degrees: f64,
        min: f64,
        max: f64,
    },
    NoContacts,
    BelowFloor {
        part: Part,
        depth: f64,
    },
    ContactNotResting {
        part: Part,
        gap: f64,
    },
    CrossesTorso {
        part: Part,
    },
    NotALimb {
        part: Part,
    },
    PropUnderNonContact {
        prop: &'static str,
        part: Part,
    },
    /// A top view shows a body lying on the floor, so its trunk must be a contact.
    TopViewNotLying,
    /// A side view shows this elbow bent backwards, which only an arm wrapped round a
    /// leg (its forearm given a depth layer) can look like.
    ElbowBentBackUnwrapped {
        side: Side,
        degrees: f64,
    },
    /// A side view shows this knee bent backwards, which only a shin crossed over the
    /// other thigh (its lower leg given a depth layer) can look like.
    KneeBentBackUncrossed {
        side: Side,
        degrees: f64,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::AngleOutOfRange {
                joint,
                degrees,
                min,
                max,
            } => write!(
                f,
                "{joint} is {degrees}°, outside its range of {min}° to {max}°"
            ),
            Problem::NoContacts => f.write_str("no part is declared to touch the floor"),
            Problem::BelowFloor { part, depth } => {
                write!(f, "{part} is {depth:.2} units below the floor")
            }
            Problem::ContactNotResting { part, gap } => write!(
                f,
                "{part} should rest on its support but is {gap:.2} units away (allowed {CONTACT_TOLERANCE})"
            ),
            Problem::CrossesTorso { part } => {
                write!(f, "{part} crosses the torso, which this pose forbids")
            }
            Problem::NotALimb { part } => {
                write!(
                    f,
                    "{part} is not a limb part, so it cannot be kept clear of the torso"
                )
            }
            Problem::ElbowBentBackUnwrapped { side, degrees } => write!(
                f,
                "{} elbow bends backwards ({degrees}°) in a side view; only an arm wrapped round a leg, with its lower arm in a depth layer, may look like that",
                side.name()
            ),
            Problem::KneeBentBackUncrossed { side, degrees } => write!(
                f,
                "{} knee bends backwards ({degrees}°) in a side view; only a shin crossed over the other thigh, with its lower leg in a depth layer, may look like that",
                side.name()
            ),
            Problem::TopViewNotLying => f.write_str(
                "a top view shows a figure lying down, but neither chest nor pelvis is a contact",
            ),
            Problem::PropUnderNonContact { prop, part } => write!(
                f,
                "the {prop} is under {part}, which is not declared as a contact"
            ),
        }
    }
}

/// How far a side view's elbow or knee may look bent backwards without a depth layer
/// on the segment below it: the slight hyperextension of a straight arm or leg.
const BENT_BACK_WITHOUT_LAYER: f64 = -5.0;

/// Every joint angle within [`Joint::limits`] for the figure's view, and a side view's
/// elbow bent backwards (a projection [`Joint::limits`] allows for wraps) only on an
/// arm drawn as a wrap, and its knee bent backwards only on a shin drawn crossed over
/// the other thigh.
pub fn check_joint_limits(figure: &Figure) -> Vec<Problem> {
    let mut problems: Vec<Problem> = figure
        .angles
        .iter()
        .filter_map(|(joint, degrees)| {
            let (min, max) = joint.limits(figure.view);
            (!(min..=max).contains(&degrees)).then_some(Problem::AngleOutOfRange {
                joint,
                degrees,
                min,
                max,
            })
        })
        .collect();
    if figure.view.sagittal() {
        for side in [Side::Right, Side::Left] {
            let elbow = bent_back(figure, Joint::Elbow(side), Part::LowerArm(side));
            if let Some(degrees) = elbow {
                problems.push(Problem::ElbowBentBackUnwrapped { side, degrees });
            }
            let knee = bent_back(figure, Joint::Knee(side), Part::LowerLeg(side));
            if let Some(degrees) = knee {
                problems.push(Problem::KneeBentBackUncrossed { side, degrees });
            }
        }
    }
    problems
}

/// The angle of a hinge (elbow or knee) bent backwards further than a straight limb's
/// slack allows while the segment below it has no depth layer to explain it.
fn bent_back(figure: &Figure, joint: Joint, below: Part) -> Option<f64> {
    let degrees = figure.angles.get(joint);
    (degrees < BENT_BACK_WITHOUT_LAYER && figure.layer(below).is_none()).then_some(degrees)
}

/// After grounding: no part below the floor, and each contact within
/// [`CONTACT_TOLERANCE`] of the floor or of the prop under it.
pub fn check_grounding(figure: &Figure) -> Vec<Problem> {
    let mut problems = Vec::new();
    if figure.contacts.is_empty() {
        problems.push(Problem::NoContacts);
        return problems;
    }
    if figure.view.from_above() {
        // Looking down on the mat, height is not in the picture: what can be checked is
        // that the figure lies on it, trunk down.
        if !figure
            .contacts
            .iter()
            .any(|p| matches!(p, Part::Chest | Part::Pelvis))
        {
            problems.push(Problem::TopViewNotLying);
        }
        props_on_contacts(figure, &mut problems);
        return problems;
    }
    let g = ground(figure);
    for part in Part::ALL {
        let bottom = g.skeleton.bottom(part);
        // A rounding hair below zero is not a data error.
        if bottom < -1e-6 {
            problems.push(Problem::BelowFloor {
                part,
                depth: -bottom,
            });
        }
    }
    for &(part, height) in &g.supports {
        let gap = (g.skeleton.bottom(part) - height).abs();
        if gap > CONTACT_TOLERANCE {
            problems.push(Problem::ContactNotResting { part, gap });
        }
    }
    props_on_contacts(figure, &mut problems);
    problems
}

/// Every prop that holds a part up holds a declared contact.
fn props_on_contacts(figure: &Figure, problems: &mut Vec<Problem>) {
    for prop in &figure.props {
        if let Some((part, _)) = prop.support()
            && !figure.contacts.contains(&part)
        {
            problems.push(Problem::PropUnderNonContact {
                prop: prop.kind(),
                part,
            });
        }
    }
}

/// The limbs listed in `no_cross_torso` stay clear of the torso's midline (the spine
/// from the hips to the base of the neck). Touching alongside is fine; passing across
/// it is not.
pub fn check_torso_crossing(figure: &Figure) -> Vec<Problem> {
    let g = ground(figure);
    let s = &g.skeleton;
    let spine = [(s.hips, s.waist), (s.waist, s.shoulders)];
    let mut problems = Vec::new();
    for &part in &figure.no_cross_torso {
        if !(part.is_arm() || part.is_leg()) {
            problems.push(Problem::NotALimb { part });
            continue;
        }
        let crosses = s
            .capsules(part)
            .iter()
            .any(|c: &Capsule| spine.iter().any(|&(a, b)| segments_cross(c.a, c.b, a, b)));
        if crosses {
            problems.push(Problem::CrossesTorso { part });
        }
    }
    problems
}

/// Every check at once.
pub fn check(figure: &Figure) -> Vec<Problem> {
    let mut all = check_joint_limits(figure);
    all.extend(check_grounding(figure));
    all.extend(check_torso_crossing(figure));
    all
}

/// True when the two segments properly intersect (not merely touch at an end).
fn segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool {
    let cross =
        |o: Point, a: Point, b: Point| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let d1 = cross(q1, q2, p1);
    let d2 = cross(q1, q2, p2);
    let d3 = cross(p1, p2, q1);
    let d4 = cross(p1, p2, q2);
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::View;
    use crate::figure::Layer;
    use crate::figure::Prop;
    use crate::kinematics::Skeleton;

    #[test]
    fn a_neutral_stand_is_plausible() {
        assert!(check(&Figure::standing("m", View::Side)).is_empty());
        assert!(check(&Figure::standing("m", View::Front)).is_empty());
    }

    #[test]
    fn out_of_range_angles_are_named() {
        let mut f = Figure::standing("m", View::Side);
        f.angles.set(Joint::Ankle(Side::Left), -60.0);
        let p = check_joint_limits(&f);
        assert_eq!(p.len(), 1);
        assert!(p[0].to_string().contains("left_ankle"), "{}", p[0]);
    }

    #[test]
    fn a_side_view_knee_bends_backwards_only_as_a_crossed_shin() {
        let mut f = Figure::standing("m", View::Side);
        f.angles.set(Joint::Knee(Side::Left), -120.0);
        let p = check_joint_limits(&f);
        assert!(
            matches!(
                p.as_slice(),
                [Problem::KneeBentBackUncrossed {
                    side: Side::Left,
                    ..
                }]
            ),
            "{p:?}"
        );
        f.layers.push((Part::LowerLeg(Side::Left), Layer::Front));
        assert!(check_joint_limits(&f).is_empty());
    }

    #[test]
    fn a_side_view_elbow_bends_backwards_only_as_a_wrap() {
        let mut f = Figure::standing("m", View::Side);
        f.angles.set(Joint::Elbow(Side::Right), -60.0);
        let p = check_joint_limits(&f);
        assert!(
            matches!(
                p.as_slice(),
                [Problem::ElbowBentBackUnwrapped {
                    side: Side::Right,
                    ..
                }]
            ),
            "{p:?}"
        );
        f.layers.push((Part::LowerArm(Side::Right), Layer::Back));
        assert!(check_joint_limits(&f).is_empty());
        // A front view shows the same angle as the arm bending across the body.
        let mut front = Figure::standing("m", View::Front);
        front.angles.set(Joint::Elbow(Side::Right), -60.0);
        assert!(check_joint_limits(&front).is_empty());
    }

    #[test]
    fn a_floating_contact_is_reported() {
        let mut f = Figure::standing("m", View::Side);
        f.angles.set(Joint::Hip(Side::Left), 60.0);
        let p = check_grounding(&f);
        assert!(
            p.iter().any(|p| matches!(
                p,
                Problem::ContactNotResting {
                    part: Part::Foot(Side::Left),
                    ..
                }
            )),
            "{p:?}"
        );
    }

    #[test]
    fn a_top_view_lies_on_the_mat_whatever_the_heights() {
        let mut f = Figure::standing("m", View::Top);
        f.root.tilt = 90.0;
        // Arms out in a T: one points down the picture, which is no floor from above.
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 90.0);
        }
        f.contacts = vec![Part::Chest, Part::Pelvis, Part::Hand(Side::Right)];
        assert!(check(&f).is_empty(), "{:?}", check(&f));
        f.contacts = vec![Part::Foot(Side::Right)];
        assert_eq!(check_grounding(&f), vec![Problem::TopViewNotLying]);
    }

    #[test]
    fn a_top_side_view_bends_in_the_side_plane_on_the_mat() {
        // A bow done lying on one side: the side-view arc, with no floor to sink into.
        let mut f = Figure::standing("side-bow-pose", View::TopSide);
        f.root.tilt = 90.0;
        f.angles.set(Joint::Spine, -35.0);
        for side in Side::BOTH {
            f.angles.set(Joint::Hip(side), -25.0);
            f.angles.set(Joint::Knee(side), 115.0);
            f.angles.set(Joint::Shoulder(side), -62.0);
        }
        f.contacts = vec![Part::Pelvis, Part::Chest];
        assert!(check(&f).is_empty(), "{:?}", check(&f));
        let s = Skeleton::forward(&f);
        // Side-plane joints: both sides share one hip, as in a side view.
        assert_eq!(s.limb(Side::Right).hip, s.limb(Side::Left).hip);
        assert_eq!(View::from_name("top-side"), Some(View::TopSide));
        assert!(View::TopSide.sagittal() && View::TopSide.from_above());
        let text = crate::loader::to_toml(&f);
        assert!(text.contains("view = \"top-side\""), "{text}");
        assert!(crate::alt_text(&f).starts_with("Lying on one side, seen from above"));
    }

    #[test]
    fn props_must_hold_a_contact() {
        let mut f = Figure::standing("m", View::Side);
        f.props.push(Prop::Block {
            under: Part::Hand(Side::Right),
        });
        assert!(
            check_grounding(&f)
                .iter()
                .any(|p| matches!(p, Problem::PropUnderNonContact { .. }))
        );
    }

    #[test]
    fn an_arm_across_the_chest_crosses_the_torso() {
        let mut f = Figure::standing("m", View::Front);
        f.angles.set(Joint::Shoulder(Side::Right), -20.0);
        f.angles.set(Joint::Elbow(Side::Right), 110.0);
        f.no_cross_torso = vec![Part::LowerArm(Side::Right)];
        assert_eq!(
            check_torso_crossing(&f),
            vec![Problem::CrossesTorso {
                part: Part::LowerArm(Side::Right)
            }]
        );
        f.angles.set(Joint::Elbow(Side::Right), 0.0);
        f.angles.set(Joint::Shoulder(Side::Right), 10.0);
        assert!(check_torso_crossing(&f).is_empty());
    }
}
