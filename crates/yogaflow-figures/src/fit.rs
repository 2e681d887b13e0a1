//! An authoring aid: nudges a figure's angles by a few degrees so that all of its
//! declared contacts rest on their supports at once.
//!
//! Teachers and developers write angles by eye; getting two hands and two feet to land
//! on the floor together to within a unit is fiddly by hand. This search does that part
//! and the result is written back to the figure file, so the files stay the single
//! source of truth and grounding at render time remains a plain translation.

use crate::body::{Joint, Side};
use crate::check::CONTACT_TOLERANCE;
use crate::figure::Figure;
use crate::kinematics::ground;

/// Largest change, in degrees, the search may make to any one angle.
const MAX_NUDGE: f64 = 20.0;
/// Weight of "stay close to what the author wrote" against contact gaps.
const STAY_CLOSE: f64 = 0.004;

/// Returns the figure with its root tilt and joint angles adjusted (each by at most
/// 20°, always within the joint's limits) to minimise the gaps between declared
/// contacts and their supports. Angles that do not help stay as written.
pub fn settle_contacts(figure: &Figure) -> Figure {
    let start = figure.clone();
    let mut best = figure.clone();
    let mut best_cost = cost(&start, &best);
    for step in [4.0, 2.0, 1.0, 0.5, 0.25, 0.1] {
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < 40 {
            improved = false;
            rounds += 1;
            for var in 0..VARIABLES {
                for dir in [-1.0, 1.0] {
                    let mut trial = best.clone();
                    if !nudge(&start, &mut trial, var, dir * step) {
                        continue;
                    }
                    let c = cost(&start, &trial);
                    if c + 1e-12 < best_cost {
                        best = trial;
                        best_cost = c;
                        improved = true;
                    }
                }
            }
        }
    }
    // Keep the author's numbers tidy: tenths of a degree are plenty.
    for joint in Joint::ALL {
        let v = best.angles.get(joint);
        best.angles.set(joint, (v * 10.0).round() / 10.0);
    }
    best.root.tilt = (best.root.tilt * 10.0).round() / 10.0;
    best
}

/// The root tilt, every joint alone, and every left/right pair moved together. The
/// pairs matter: in a symmetric pose both knees hold the body up, so bending one knee
/// alone never lowers it and a one-joint-at-a-time search would stall.
const VARIABLES: usize = 1 + Joint::ALL.len() + PAIRS.len();

const PAIRS: [(Joint, Joint); 6] = [
    (Joint::Shoulder(Side::Right), Joint::Shoulder(Side::Left)),
    (Joint::Elbow(Side::Right), Joint::Elbow(Side::Left)),
    (Joint::Wrist(Side::Right), Joint::Wrist(Side::Left)),
    (Joint::Hip(Side::Right), Joint::Hip(Side::Left)),
    (Joint::Knee(Side::Right), Joint::Knee(Side::Left)),
    (Joint::Ankle(Side::Right), Joint::Ankle(Side::Left)),
];

/// Changes variable `var` (see [`VARIABLES`]) by `delta`, refusing moves past the nudge
/// limit or a joint's range.
fn nudge(start: &Figure, f: &mut Figure, var: usize, delta: f64) -> bool {
    if var == 0 {
        let v = f.root.tilt + delta;
        if (v - start.root.tilt).abs() > MAX_NUDGE {
            return false;
        }
        f.root.tilt = v;
        return true;
    }
    let joints: Vec<Joint> = match Joint::ALL.get(var - 1) {
        Some(&j) => vec![j],
        None => match PAIRS.get(var - 1 - Joint::ALL.len()) {
            Some(&(a, b)) => vec![a, b],
            None => return false,
        },
    };
    for &joint in &joints {
        let v = f.angles.get(joint) + delta;
        let (min, max) = joint.limits(f.view);
        if (v - start.angles.get(joint)).abs() > MAX_NUDGE || v < min || v > max {
            return false;
        }
    }
    for joint in joints {
        f.angles.set(joint, f.angles.get(joint) + delta);
    }
    true
}

fn cost(start: &Figure, f: &Figure) -> f64 {
    let g = ground(f);
    let mut c = 0.0;
    for &(part, height) in &g.supports {
        // Gaps well inside the tolerance cost nothing, so the search does not trade
        // the author's angles for invisible improvements.
        let gap = (g.skeleton.bottom(part) - height).abs();
        let slack = (gap - CONTACT_TOLERANCE * 0.3).max(0.0);
        // A gap near the tolerance costs far more than moving an angle, so the search
        // lands every contact rather than settling for "almost".
        let over = (gap - CONTACT_TOLERANCE * 0.8).max(0.0);
        c += slack * slack + 50.0 * over * over;
    }
    let mut moved = (f.root.tilt - start.root.tilt).powi(2);
    for joint in Joint::ALL {
        moved += (f.angles.get(joint) - start.angles.get(joint)).powi(2);
    }
    c + STAY_CLOSE * moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{Part, View};
    use crate::check::check_grounding;

    #[test]
    fn settling_lands_both_feet_of_a_slightly_uneven_stance() {
        let mut f = Figure::standing("t", View::Side);
        f.angles.set(Joint::Hip(Side::Right), 25.0);
        f.angles.set(Joint::Hip(Side::Left), -20.0);
        assert!(!check_grounding(&f).is_empty());
        let settled = settle_contacts(&f);
        assert!(
            check_grounding(&settled).is_empty(),
            "{:?}",
            check_grounding(&settled)
        );
        assert!(settled.contacts.contains(&Part::Foot(Side::Left)));
    }
}
