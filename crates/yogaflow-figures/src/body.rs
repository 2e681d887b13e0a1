//! The body model's vocabulary and measurements: which joints and parts exist, how long
//! and thick each segment is, and how far each joint may turn.
//!
//! Lengths are in figure units, where an adult standing tall measures about 100 units
//! from sole to crown (one unit is roughly 1.75 cm). The proportions follow the usual
//! anthropometric fractions of stature (thigh and shank about a quarter each, upper arm
//! about a fifth, head about an eighth), rounded so the drawing stays friendly.

use std::fmt;

/// Which way the body is seen.
///
/// In a side view the figure faces right (+x) and the viewer sees its right side, so
/// right limbs are near and left limbs far. In a front view the figure faces the viewer,
/// so its right side is on the viewer's left (−x), as in a teacher facing a class.
/// A top view looks down on a figure lying on its back on a mat: the joints move as in
/// a front view (right side on the viewer's left when the head is up the picture), the
/// root tilt turns the whole body in the picture (90 puts the head to the left), and
/// there is no gravity in the picture, because the mat holds the whole body; it shows
/// what a floor-level view cannot, such as knees lowered across the body in a twist.
/// A top-side view looks down on a figure lying on one side: the joints move as in a
/// side view (the body's own side plane lies on the mat), drawn on a mat without
/// gravity, so a bow or a backbend done on the side shows its arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Side,
    Front,
    Top,
    TopSide,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::Side => "side",
            View::Front => "front",
            View::Top => "top",
            View::TopSide => "top-side",
        }
    }

    /// Whether joints move in the body's side plane (side and top-side views) rather
    /// than across it (front and top views).
    pub fn sagittal(self) -> bool {
        matches!(self, View::Side | View::TopSide)
    }

    /// Whether the figure lies on a mat seen from above, with no gravity in the picture.
    pub fn from_above(self) -> bool {
        matches!(self, View::Top | View::TopSide)
    }

    pub fn from_name(name: &str) -> Option<View> {
        match name {
            "side" => Some(View::Side),
            "front" => Some(View::Front),
            "top" => Some(View::Top),
            "top-side" => Some(View::TopSide),
            _ => None,
        }
    }
}

/// The body's own right or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Right,
    Left,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Right, Side::Left];

    pub fn name(self) -> &'static str {
        match self {
            Side::Right => "right",
            Side::Left => "left",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Right => Side::Left,
            Side::Left => Side::Right,
        }
    }

    /// Index into per-side arrays: right first.
    pub fn index(self) -> usize {
        match self {
            Side::Right => 0,
            Side::Left => 1,
        }
    }

    /// Sign of "outward" along x in the canonical front view: the figure's left limbs
    /// reach towards +x because it faces the viewer.
    pub(crate) fn outward(self) -> f64 {
        match self {
            Side::Right => -1.0,
            Side::Left => 1.0,
        }
    }
}

/// Every joint the figure description sets an angle for.
///
/// Angles are relative to the parent segment, in degrees, and 0 is the anatomical
/// neutral (standing, arms hanging, feet flat). Positive means, in a side view: spine
/// and neck flexion (bending forward), shoulder and hip flexion (limb swinging forward),
/// elbow and knee flexion, wrist flexion, ankle plantar flexion (pointing the toes). In a
/// front view: spine and neck bending towards the figure's right, shoulder and hip
/// abduction (limb swinging out to its own side), elbow and knee bending the distal
/// segment towards the midline, ankle pointing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Joint {
    Spine,
    Neck,
    Shoulder(Side),
    Elbow(Side),
    Wrist(Side),
    Hip(Side),
    Knee(Side),
    Ankle(Side),
}

/// How many joints carry an angle.
pub const JOINT_COUNT: usize = 14;

impl Joint {
    /// Every joint, in the order figure files list them.
    pub const ALL: [Joint; JOINT_COUNT] = [
        Joint::Spine,
        Joint::Neck,
        Joint::Shoulder(Side::Right),
        Joint::Elbow(Side::Right),
        Joint::Wrist(Side::Right),
        Joint::Shoulder(Side::Left),
        Joint::Elbow(Side::Left),
        Joint::Wrist(Side::Left),
        Joint::Hip(Side::Right),
        Joint::Knee(Side::Right),
        Joint::Ankle(Side::Right),
        Joint::Hip(Side::Left),
        Joint::Knee(Side::Left),
        Joint::Ankle(Side::Left),
    ];

    /// Position in [`Joint::ALL`], used to index angle arrays.
    pub fn index(self) -> usize {
        match self {
            Joint::Spine => 0,
            Joint::Neck => 1,
            Joint::Shoulder(s) => 2 + 3 * s.index(),
            Joint::Elbow(s) => 3 + 3 * s.index(),
            Joint::Wrist(s) => 4 + 3 * s.index(),
            Joint::Hip(s) => 8 + 3 * s.index(),
            Joint::Knee(s) => 9 + 3 * s.index(),
            Joint::Ankle(s) => 10 + 3 * s.index(),
        }
    }

    /// The name used in figure files, e.g. `right_knee`.
    pub fn name(self) -> String {
        let (side, base) = match self {
            Joint::Spine => return "spine".to_owned(),
            Joint::Neck => return "neck".to_owned(),
            Joint::Shoulder(s) => (s, "shoulder"),
            Joint::Elbow(s) => (s, "elbow"),
            Joint::Wrist(s) => (s, "wrist"),
            Joint::Hip(s) => (s, "hip"),
            Joint::Knee(s) => (s, "knee"),
            Joint::Ankle(s) => (s, "ankle"),
        };
        format!("{}_{base}", side.name())
    }

    pub fn from_name(name: &str) -> Option<Joint> {
        Joint::ALL.into_iter().find(|j| j.name() == name)
    }

    /// The mirror-image joint: the same joint on the other side.
    pub fn other_side(self) -> Joint {
        match self {
            Joint::Spine | Joint::Neck => self,
            Joint::Shoulder(s) => Joint::Shoulder(s.other()),
            Joint::Elbow(s) => Joint::Elbow(s.other()),
            Joint::Wrist(s) => Joint::Wrist(s.other()),
            Joint::Hip(s) => Joint::Hip(s.other()),
            Joint::Knee(s) => Joint::Knee(s.other()),
            Joint::Ankle(s) => Joint::Ankle(s.other()),
        }
    }

    /// The range of motion, inclusive, in degrees, for the plane the view shows.
    ///
    /// The ranges are those of a flexible adult practitioner rather than an average
    /// untrained one, because the library includes splits, deep backbends and
    /// foot-behind-the-head; anything outside them is a data error, not a pose.
    /// Some ranges are wider than anatomy in one plane allows, because a 2D figure
    /// folds several real motions into one joint: a bent elbow turned up (cactus arms)
    /// projects in a front view as an outward bend; a shin crossed in front of the other
    /// leg (easy pose) projects as a knee folded to 180°; the calf pressed on the thigh
    /// (hero, child's pose) needs 175° of knee flexion between the segment centre lines;
    /// a leg lifted forward and carried across the body (eight-angle pose) projects in a
    /// front view as hip adduction past the 45° a standing leg allows; a leg drawn up
    /// beside the shoulder with the shin behind the neck (foot-behind-the-head) projects
    /// as abduction past 120° and, once the thigh points up, as the knee bending the
    /// other way in the picture; an arm turned in and wrapped round a bent shin, its
    /// forearm going back under the thigh (the binds of Marichi's poses and lord of the
    /// fishes), projects in a side view as the elbow bending backwards; a leg turned out
    /// with its ankle crossed over the other thigh (eye of the needle) projects in a side
    /// view as the knee bending backwards; a shin laid
    /// across a thigh that points at the viewer (the upper shin of fire log, drawn with
    /// a foreshortened thigh) projects as a knee folded past 180°; and shoulder flexion
    /// past 180° stands in for the upper-back extension of puppy pose and wheel, which
    /// the one-piece chest segment cannot show, as 80° of neck extension stands in for
    /// the upper back and neck together arching the crown of the head to the floor
    /// (fish).
    pub fn limits(self, view: View) -> (f64, f64) {
        // A top view shows the same plane of movement as a front view.
        let front = !view.sagittal();
        match (self, front) {
            (Joint::Spine, false) => (-75.0, 75.0),
            (Joint::Spine, true) => (-55.0, 55.0),
            (Joint::Neck, false) => (-80.0, 95.0),
            (Joint::Neck, true) => (-45.0, 45.0),
            (Joint::Shoulder(_), false) => (-95.0, 210.0),
            (Joint::Shoulder(_), true) => (-45.0, 190.0),
            (Joint::Elbow(_), false) => (-120.0, 160.0),
            (Joint::Elbow(_), true) => (-120.0, 160.0),
            (Joint::Wrist(_), _) => (-95.0, 95.0),
            (Joint::Hip(_), false) => (-100.0, 180.0),
            (Joint::Hip(_), true) => (-60.0, 155.0),
            (Joint::Knee(_), false) => (-140.0, 175.0),
            (Joint::Knee(_), true) => (-90.0, 200.0),
            (Joint::Ankle(_), _) => (-45.0, 95.0),
        }
    }
}

impl fmt::Display for Joint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A body part that can touch the floor, rest on a prop, hold a strap or lean on a wall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Head,
    Neck,
    Chest,
    Pelvis,
    UpperArm(Side),
    Elbow(Side),
    LowerArm(Side),
    Hand(Side),
    UpperLeg(Side),
    Knee(Side),
    LowerLeg(Side),
    Foot(Side),
}

impl Part {
    /// Every part, for name lookups.
    pub const ALL: [Part; 20] = [
        Part::Head,
        Part::Neck,
        Part::Chest,
        Part::Pelvis,
        Part::UpperArm(Side::Right),
        Part::Elbow(Side::Right),
        Part::LowerArm(Side::Right),
        Part::Hand(Side::Right),
        Part::UpperArm(Side::Left),
        Part::Elbow(Side::Left),
        Part::LowerArm(Side::Left),
        Part::Hand(Side::Left),
        Part::UpperLeg(Side::Right),
        Part::Knee(Side::Right),
        Part::LowerLeg(Side::Right),
        Part::Foot(Side::Right),
        Part::UpperLeg(Side::Left),
        Part::Knee(Side::Left),
        Part::LowerLeg(Side::Left),
        Part::Foot(Side::Left),
    ];

    /// The side of a limb part; `None` for the head and trunk.
    pub fn side(self) -> Option<Side> {
        match self {
            Part::Head | Part::Neck | Part::Chest | Part::Pelvis => None,
            Part::UpperArm(s)
            | Part::Elbow(s)
            | Part::LowerArm(s)
            | Part::Hand(s)
            | Part::UpperLeg(s)
            | Part::Knee(s)
            | Part::LowerLeg(s)
            | Part::Foot(s) => Some(s),
        }
    }

    /// The name without its side, e.g. `lower_leg`.
    pub fn base_name(self) -> &'static str {
        match self {
            Part::Head => "head",
            Part::Neck => "neck",
            Part::Chest => "chest",
            Part::Pelvis => "pelvis",
            Part::UpperArm(_) => "upper_arm",
            Part::Elbow(_) => "elbow",
            Part::LowerArm(_) => "lower_arm",
            Part::Hand(_) => "hand",
            Part::UpperLeg(_) => "upper_leg",
            Part::Knee(_) => "knee",
            Part::LowerLeg(_) => "lower_leg",
            Part::Foot(_) => "foot",
        }
    }

    /// The name used in figure files, e.g. `left_foot`.
    pub fn name(self) -> String {
        match self.side() {
            Some(s) => format!("{}_{}", s.name(), self.base_name()),
            None => self.base_name().to_owned(),
        }
    }

    pub fn from_name(name: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.name() == name)
    }

    /// True for the parts of an arm (upper arm to hand).
    pub fn is_arm(self) -> bool {
        matches!(
            self,
            Part::UpperArm(_) | Part::Elbow(_) | Part::LowerArm(_) | Part::Hand(_)
        )
    }

    /// True for the parts of a leg (thigh to foot).
    pub fn is_leg(self) -> bool {
        matches!(
            self,
            Part::UpperLeg(_) | Part::Knee(_) | Part::LowerLeg(_) | Part::Foot(_)
        )
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Segment lengths, in figure units (stature about 100).
pub mod length {
    /// Hip joint to waist.
    pub const PELVIS: f64 = 10.0;
    /// Waist to the shoulder line.
    pub const CHEST: f64 = 20.0;
    /// Shoulder line to the base of the skull.
    pub const NECK: f64 = 6.0;
    /// Base of the skull to the centre of the head circle, along the neck.
    pub const HEAD_OFFSET: f64 = 6.0;
    pub const UPPER_ARM: f64 = 18.5;
    pub const LOWER_ARM: f64 = 15.0;
    pub const HAND: f64 = 7.0;
    pub const UPPER_LEG: f64 = 25.0;
    pub const LOWER_LEG: f64 = 25.0;
    /// Ankle to toes; the heel is the rounded cap behind the ankle.
    pub const FOOT: f64 = 11.0;
    /// Foot length as seen from the front, where the foot points at the viewer.
    pub const FOOT_FRONT: f64 = 5.0;
    /// Half the distance between the shoulder joints (front view).
    pub const HALF_SHOULDERS: f64 = 11.5;
    /// Half the distance between the hip joints (front view).
    pub const HALF_HIPS: f64 = 6.5;
    /// How far the seat of the front-view trunk outline reaches below the hip joints.
    pub const SEAT_DROP: f64 = 3.0;
}

/// Half-thicknesses (capsule radii) of the drawn segments, in figure units.
pub mod radius {
    pub const HEAD: f64 = 7.0;
    pub const NECK: f64 = 3.0;
    /// Side view: the trunk is seen across its depth.
    pub const CHEST_SIDE: f64 = 7.0;
    pub const PELVIS_SIDE: f64 = 6.0;
    /// Front view: the rounded edge of the trunk outline.
    pub const TRUNK_EDGE: f64 = 4.0;
    pub const UPPER_ARM: f64 = 3.3;
    pub const LOWER_ARM: f64 = 3.0;
    pub const HAND: f64 = 2.6;
    pub const UPPER_LEG: f64 = 4.6;
    pub const LOWER_LEG: f64 = 4.0;
    pub const FOOT: f64 = 2.8;
    /// How far the drawn shin stops short of the ankle, so that its thicker round end
    /// never pokes below the sole of a standing foot.
    pub const SHIN_INSET: f64 = 1.4;
    /// Likewise for the forearm above a flat hand.
    pub const FOREARM_INSET: f64 = 0.5;
}
