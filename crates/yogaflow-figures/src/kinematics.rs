//! Forward kinematics and grounding: from a description's angles to the position of
//! every joint, the drawn outline of every part as capsules, and the vertical shift that
//! rests the declared contacts on the floor (or on the props under them).
//!
//! World coordinates here are y-up with the floor at y = 0; only the renderer flips to
//! SVG's y-down.

use crate::body::{Joint, Part, Side, View, length, radius};
use crate::figure::Figure;

/// A point in figure units, y up.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    /// The point `len` units away in direction `deg` (degrees counter-clockwise from +x).
    fn step(self, deg: f64, len: f64) -> Point {
        let (s, c) = deg.to_radians().sin_cos();
        Point::new(self.x + c * len, self.y + s * len)
    }

    pub fn distance(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    fn shifted(self, dx: f64, dy: f64) -> Point {
        Point::new(self.x + dx, self.y + dy)
    }
}

/// A segment drawn with round ends: every point within `r` of the line from `a` to `b`.
/// A circle is a capsule whose ends coincide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capsule {
    pub a: Point,
    pub b: Point,
    pub r: f64,
}

impl Capsule {
    fn new(a: Point, b: Point, r: f64) -> Capsule {
        Capsule { a, b, r }
    }

    /// The lowest y any point of the capsule reaches.
    pub fn bottom(&self) -> f64 {
        self.a.y.min(self.b.y) - self.r
    }

    pub fn top(&self) -> f64 {
        self.a.y.max(self.b.y) + self.r
    }

    pub fn left(&self) -> f64 {
        self.a.x.min(self.b.x) - self.r
    }

    pub fn right(&self) -> f64 {
        self.a.x.max(self.b.x) + self.r
    }
}

/// Joint positions for one side's limbs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limbs {
    pub shoulder: Point,
    pub elbow: Point,
    pub wrist: Point,
    pub fingertips: Point,
    pub hip: Point,
    pub knee: Point,
    pub ankle: Point,
    pub toes: Point,
}

/// Every joint position of a posed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Skeleton {
    pub view: View,
    /// Direction of the pelvis and of the chest, degrees counter-clockwise from +x, as
    /// if upright in the picture plane: the across-the-body axis of a front view is
    /// perpendicular to them even when the trunk is drawn foreshortened.
    pub pelvis_dir: f64,
    pub chest_dir: f64,
    /// How much of the trunk's length shows (the cosine of the front-view pitch; 1 in a
    /// side view). Negative when the trunk hangs down towards the floor.
    pub depth: f64,
    /// Midway between the hip joints: the root.
    pub hips: Point,
    pub waist: Point,
    /// Midway between the shoulder joints, at the base of the neck.
    pub shoulders: Point,
    /// Top of the neck.
    pub skull: Point,
    /// Centre of the head circle.
    pub head: Point,
    /// Right then left, see [`Side::index`].
    pub limbs: [Limbs; 2],
}

impl Skeleton {
    /// Forward kinematics: places every joint from the root tilt and joint angles, with
    /// the root at the origin.
    ///
    /// Each segment's absolute direction is its parent's plus the joint angle, with the
    /// sign chosen so that a positive angle means the movement named in [`Joint`]'s
    /// documentation for this view.
    pub fn forward(figure: &Figure) -> Skeleton {
        let a = |j: Joint| figure.angles.get(j);
        // A top view poses the body exactly as a front view does.
        let front = !figure.view.sagittal();
        // Counter-clockwise is the positive sense of every direction below.
        let pelvis_dir = if front {
            90.0 + figure.root.tilt
        } else {
            90.0 - figure.root.tilt
        };
        let chest_dir = if front {
            pelvis_dir + a(Joint::Spine)
        } else {
            pelvis_dir - a(Joint::Spine)
        };
        let neck_dir = if front {
            chest_dir + a(Joint::Neck)
        } else {
            chest_dir - a(Joint::Neck)
        };
        // A front view shows a trunk hinged towards the viewer foreshortened; the
        // directions (and so the across-the-body axis) stay those of the upright trunk.
        let depth = if front {
            figure.root.pitch.to_radians().cos()
        } else {
            1.0
        };
        let hips = Point::default();
        let waist = hips.step(pelvis_dir, depth * length::PELVIS);
        let shoulders = waist.step(chest_dir, depth * length::CHEST);
        let skull = shoulders.step(neck_dir, depth * length::NECK);
        let head = skull.step(neck_dir, depth * length::HEAD_OFFSET);

        let mut limbs = [Limbs::default(); 2];
        for side in Side::BOTH {
            // In the side view the two sides share the same joints (the near one hides
            // the far one); in the front view they sit apart across the trunk and every
            // sideways movement is mirrored by `out`.
            let out = if front { side.outward() } else { 1.0 };
            let (shoulder, hip) = if front {
                let across_chest = chest_dir - 90.0;
                let across_pelvis = pelvis_dir - 90.0;
                (
                    shoulders.step(across_chest, out * length::HALF_SHOULDERS),
                    hips.step(across_pelvis, out * length::HALF_HIPS),
                )
            } else {
                (shoulders, hips)
            };
            // Side view: flexion swings the arm forward (counter-clockwise from hanging)
            // and the forearm follows; the knee folds the other way. Front view:
            // abduction swings the limb outwards and elbows and knees fold inwards.
            let upper_arm_dir = chest_dir + 180.0 + out * a(Joint::Shoulder(side));
            let (lower_arm_dir, hand_dir, thigh_dir, shin_dir, foot_dir, foot_len);
            if front {
                lower_arm_dir = upper_arm_dir - out * a(Joint::Elbow(side));
                hand_dir = lower_arm_dir - out * a(Joint::Wrist(side));
                thigh_dir = pelvis_dir + 180.0 + out * a(Joint::Hip(side));
                shin_dir = thigh_dir - out * a(Joint::Knee(side));
                foot_dir = shin_dir + out * (90.0 - a(Joint::Ankle(side)));
                foot_len = match figure.foreshortening(Part::Foot(side)) {
                    Some(deg) => length::FOOT * deg.to_radians().cos(),
                    None => length::FOOT_FRONT,
                };
            } else {
                lower_arm_dir = upper_arm_dir + a(Joint::Elbow(side));
                hand_dir = lower_arm_dir + a(Joint::Wrist(side));
                thigh_dir = pelvis_dir + 180.0 + a(Joint::Hip(side));
                shin_dir = thigh_dir - a(Joint::Knee(side));
                foot_dir = shin_dir + 90.0 - a(Joint::Ankle(side));
                foot_len = length::FOOT;
            }
            // A segment pointing partly at the viewer shows shortened, in any view (a
            // side view's feet are never listed: the loader refuses them).
            let seen = |part: Part, len: f64| match figure.foreshortening(part) {
                Some(deg) => len * deg.to_radians().cos(),
                None => len,
            };
            let elbow = shoulder.step(upper_arm_dir, seen(Part::UpperArm(side), length::UPPER_ARM));
            let wrist = elbow.step(lower_arm_dir, seen(Part::LowerArm(side), length::LOWER_ARM));
            let fingertips = wrist.step(hand_dir, length::HAND);
            let knee = hip.step(thigh_dir, seen(Part::UpperLeg(side), length::UPPER_LEG));
            let ankle = knee.step(shin_dir, seen(Part::LowerLeg(side), length::LOWER_LEG));
            let toes = ankle.step(foot_dir, foot_len);
            limbs[side.index()] = Limbs {
                shoulder,
                elbow,
                wrist,
                fingertips,
                hip,
                knee,
                ankle,
                toes,
            };
        }
        Skeleton {
            view: figure.view,
            pelvis_dir,
            chest_dir,
            depth,
            hips,
            waist,
            shoulders,
            skull,
            head,
            limbs,
        }
    }

    pub fn limb(&self, side: Side) -> &Limbs {
        &self.limbs[side.index()]
    }

    /// The drawn outline of a part, as capsules.
    pub fn capsules(&self, part: Part) -> Vec<Capsule> {
        let front = !self.view.sagittal();
        match part {
            Part::Head => vec![Capsule::new(self.head, self.head, radius::HEAD)],
            Part::Neck => vec![Capsule::new(self.shoulders, self.skull, radius::NECK)],
            Part::Chest if front => {
                let (r, l) = (self.limb(Side::Right), self.limb(Side::Left));
                let (wr, wl) = self.waist_corners();
                vec![
                    Capsule::new(r.shoulder, l.shoulder, radius::TRUNK_EDGE),
                    Capsule::new(r.shoulder, wr, radius::TRUNK_EDGE),
                    Capsule::new(l.shoulder, wl, radius::TRUNK_EDGE),
                ]
            }
            Part::Chest => vec![Capsule::new(self.waist, self.shoulders, radius::CHEST_SIDE)],
            Part::Pelvis if front => {
                let (sr, sl) = self.seat_corners();
                let (wr, wl) = self.waist_corners();
                vec![
                    Capsule::new(sr, sl, radius::TRUNK_EDGE),
                    Capsule::new(wr, sr, radius::TRUNK_EDGE),
                    Capsule::new(wl, sl, radius::TRUNK_EDGE),
                ]
            }
            Part::Pelvis => vec![Capsule::new(self.hips, self.waist, radius::PELVIS_SIDE)],
            Part::UpperArm(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.shoulder, l.elbow, radius::UPPER_ARM)]
            }
            Part::Elbow(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.elbow, l.elbow, radius::UPPER_ARM)]
            }
            Part::LowerArm(s) => {
                let l = self.limb(s);
                let end = towards(l.wrist, l.elbow, radius::FOREARM_INSET);
                vec![Capsule::new(l.elbow, end, radius::LOWER_ARM)]
            }
            Part::Hand(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.wrist, l.fingertips, radius::HAND)]
            }
            Part::UpperLeg(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.hip, l.knee, radius::UPPER_LEG)]
            }
            Part::Knee(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.knee, l.knee, radius::LOWER_LEG)]
            }
            Part::LowerLeg(s) => {
                let l = self.limb(s);
                let end = towards(l.ankle, l.knee, radius::SHIN_INSET);
                vec![Capsule::new(l.knee, end, radius::LOWER_LEG)]
            }
            Part::Foot(s) => {
                let l = self.limb(s);
                vec![Capsule::new(l.ankle, l.toes, radius::FOOT)]
            }
        }
    }

    /// The corners of the front-view trunk outline at the waist: the trunk narrows
    /// from the shoulders to the waist and widens a little again to the hips.
    pub(crate) fn waist_corners(&self) -> (Point, Point) {
        // From the chest's direction rather than from the joints, so a trunk drawn
        // pointing down (pitched past 90°) keeps its right corner on the right.
        let across = (self.chest_dir - 90.0).to_radians();
        let half = length::HALF_HIPS + 1.0;
        let (s, c) = across.sin_cos();
        (
            Point::new(self.waist.x - c * half, self.waist.y - s * half),
            Point::new(self.waist.x + c * half, self.waist.y + s * half),
        )
    }

    /// The lower corners of the front-view trunk outline: a little below the hip
    /// joints, because the seat reaches below them (which is what a seated figure rests
    /// on).
    pub(crate) fn seat_corners(&self) -> (Point, Point) {
        let down = (self.pelvis_dir + 180.0).to_radians();
        let (s, c) = down.sin_cos();
        let d = self.depth * length::SEAT_DROP;
        let drop = |p: Point| Point::new(p.x + c * d, p.y + s * d);
        (
            drop(self.limb(Side::Right).hip),
            drop(self.limb(Side::Left).hip),
        )
    }

    /// The lowest y a part reaches.
    pub fn bottom(&self, part: Part) -> f64 {
        self.capsules(part)
            .iter()
            .map(Capsule::bottom)
            .fold(f64::INFINITY, f64::min)
    }

    /// Where a part touches whatever is under it: the mean x of its lowest points (a
    /// level segment is supported along its length, so its middle is used).
    pub fn support_x(&self, part: Part) -> f64 {
        let low = self.bottom(part);
        let mut sum = 0.0;
        let mut n = 0.0;
        for c in self.capsules(part) {
            for p in [c.a, c.b] {
                if p.y - c.r <= low + 1.0 {
                    sum += p.x;
                    n += 1.0;
                }
            }
        }
        if n > 0.0 { sum / n } else { 0.0 }
    }

    /// Every capsule of the drawn body.
    pub fn all_capsules(&self) -> Vec<Capsule> {
        let mut out = Vec::with_capacity(24);
        for part in DRAWN_PARTS {
            out.extend(self.capsules(part));
        }
        out
    }

    /// Moves every joint by (dx, dy).
    pub fn translate(&mut self, dx: f64, dy: f64) {
        for p in [
            &mut self.hips,
            &mut self.waist,
            &mut self.shoulders,
            &mut self.skull,
            &mut self.head,
        ] {
            *p = p.shifted(dx, dy);
        }
        for l in &mut self.limbs {
            for p in [
                &mut l.shoulder,
                &mut l.elbow,
                &mut l.wrist,
                &mut l.fingertips,
                &mut l.hip,
                &mut l.knee,
                &mut l.ankle,
                &mut l.toes,
            ] {
                *p = p.shifted(dx, dy);
            }
        }
    }
}

/// The point `d` units from `from` towards `to` (or `from` itself if they coincide).
pub(crate) fn towards(from: Point, to: Point, d: f64) -> Point {
    let len = from.distance(to);
    if len < 1e-9 {
        return from;
    }
    Point::new(
        from.x + (to.x - from.x) * d / len,
        from.y + (to.y - from.y) * d / len,
    )
}

/// The parts that together make up the drawing (elbow and knee are points within them).
pub const DRAWN_PARTS: [Part; 18] = [
    Part::Head,
    Part::Neck,
    Part::Chest,
    Part::Pelvis,
    Part::UpperArm(Side::Right),
    Part::LowerArm(Side::Right),
    Part::Hand(Side::Right),
    Part::UpperArm(Side::Left),
    Part::LowerArm(Side::Left),
    Part::Hand(Side::Left),
    Part::UpperLeg(Side::Right),
    Part::LowerLeg(Side::Right),
    Part::Foot(Side::Right),
    Part::UpperLeg(Side::Left),
    Part::LowerLeg(Side::Left),
    Part::Foot(Side::Left),
    // Elbows and knees are covered by the segments either side, but listing them keeps
    // the capsule set complete for contact queries that name them.
    Part::Knee(Side::Right),
    Part::Knee(Side::Left),
];

/// A figure after grounding: its skeleton moved so the contacts rest on their supports.
#[derive(Debug, Clone, PartialEq)]
pub struct Grounded {
    pub skeleton: Skeleton,
    /// The height each contact should rest at: 0 for the floor, a prop's top otherwise.
    pub supports: Vec<(Part, f64)>,
}

/// The height a contact part should rest at: the top of a prop placed under it, or
/// the floor.
pub fn support_height(figure: &Figure, part: Part) -> f64 {
    figure
        .props
        .iter()
        .filter_map(|p| p.support())
        .filter(|(under, _)| *under == part)
        .map(|(_, h)| h)
        .fold(0.0, f64::max)
}

/// Runs forward kinematics and lifts or lowers the figure so that its contacts rest on
/// their supports with nothing below the floor.
///
/// Grounding is a pure vertical translation: the lift is the largest that any contact
/// asks for, and never less than what keeps every point at or above y = 0. Contacts that
/// the angles do not bring down to the same level therefore float, and the plausibility
/// check reports them; grounding never bends the body to hide a data error.
pub fn ground(figure: &Figure) -> Grounded {
    let mut skeleton = Skeleton::forward(figure);
    let lowest = skeleton
        .all_capsules()
        .iter()
        .map(Capsule::bottom)
        .fold(f64::INFINITY, f64::min);
    let supports: Vec<(Part, f64)> = figure
        .contacts
        .iter()
        .map(|&c| (c, support_height(figure, c)))
        .collect();
    let mut lift = -lowest;
    // Seen from above, the mat holds every part at once: there is nothing to rest on.
    if !figure.view.from_above() {
        for &(part, height) in &supports {
            lift = lift.max(height - skeleton.bottom(part));
        }
    }
    skeleton.translate(0.0, lift);
    Grounded { skeleton, supports }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Root;

    #[test]
    fn neutral_standing_figure_is_about_a_hundred_units_tall() {
        let g = ground(&Figure::standing("t", View::Side));
        let top = g.skeleton.head.y + radius::HEAD;
        assert!((95.0..=105.0).contains(&top), "height {top}");
        assert!(g.skeleton.bottom(Part::Foot(Side::Right)).abs() < 1e-9);
        // Arms hang: fingertips near mid-thigh.
        let tips = g.skeleton.limb(Side::Right).fingertips.y;
        assert!((35.0..50.0).contains(&tips), "fingertips at {tips}");
    }

    #[test]
    fn side_view_signs_follow_the_anatomy() {
        let mut f = Figure::standing("t", View::Side);
        f.angles.set(Joint::Shoulder(Side::Right), 90.0);
        f.angles.set(Joint::Hip(Side::Right), 90.0);
        f.angles.set(Joint::Knee(Side::Right), 90.0);
        let s = Skeleton::forward(&f);
        let r = s.limb(Side::Right);
        // Arm straight forward (+x), thigh forward, shin hanging down.
        assert!((r.wrist.x - (length::UPPER_ARM + length::LOWER_ARM)).abs() < 1e-9);
        assert!((r.knee.x - length::UPPER_LEG).abs() < 1e-9);
        assert!((r.ankle.y - r.knee.y + length::LOWER_LEG).abs() < 1e-9);
        // Forward lean moves the head forward.
        let mut lean = Figure::standing("t", View::Side);
        lean.root = Root {
            tilt: 30.0,
            pitch: 0.0,
        };
        assert!(Skeleton::forward(&lean).head.x > 0.0);
    }

    #[test]
    fn front_view_abduction_goes_outwards_on_both_sides() {
        let mut f = Figure::standing("t", View::Front);
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 90.0);
            f.angles.set(Joint::Hip(side), 30.0);
        }
        let s = Skeleton::forward(&f);
        let (r, l) = (s.limb(Side::Right), s.limb(Side::Left));
        // The figure faces the viewer: its right arm points to the viewer's left.
        assert!(r.wrist.x < -30.0 && l.wrist.x > 30.0);
        assert!((r.wrist.x + l.wrist.x).abs() < 1e-9);
        assert!(r.ankle.x < r.hip.x && l.ankle.x > l.hip.x);
    }

    #[test]
    fn a_front_view_trunk_pitched_forward_hangs_down_without_swapping_sides() {
        let mut f = Figure::standing("t", View::Front);
        f.root.pitch = 150.0;
        let s = Skeleton::forward(&f);
        // Drawn foreshortened and pointing down: the head ends up below the hips.
        assert!(s.head.y < s.hips.y);
        let drawn = s.hips.distance(s.shoulders);
        let expected = (length::PELVIS + length::CHEST) * 150f64.to_radians().cos().abs();
        assert!((drawn - expected).abs() < 1e-9, "{drawn} vs {expected}");
        // The figure's right stays on the viewer's left, at the shoulders and at the
        // waist outline, so the trunk outline never folds into a bow tie.
        let (r, l) = (s.limb(Side::Right), s.limb(Side::Left));
        assert!(r.shoulder.x < l.shoulder.x);
        let (wr, wl) = s.waist_corners();
        assert!(wr.x < wl.x);
    }

    #[test]
    fn grounding_rests_contacts_on_props() {
        let mut f = Figure::standing("t", View::Side);
        f.contacts = vec![Part::Foot(Side::Right)];
        f.props = vec![crate::figure::Prop::Block {
            under: Part::Foot(Side::Right),
        }];
        let g = ground(&f);
        let foot = g.skeleton.bottom(Part::Foot(Side::Right));
        assert!((foot - crate::props::BLOCK_HEIGHT).abs() < 1e-9);
    }
}
