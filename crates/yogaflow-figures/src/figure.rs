//! The figure description: everything needed to draw one pose (view, root tilt, an
//! angle for every joint, floor contacts, props), plus the two operations on
//! descriptions alone, mirroring and interpolation.

use crate::body::{JOINT_COUNT, Joint, Part, Side, View};

/// One angle per joint, in degrees (see [`Joint`] for the sign conventions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JointAngles([f64; JOINT_COUNT]);

impl Default for JointAngles {
    fn default() -> Self {
        JointAngles([0.0; JOINT_COUNT])
    }
}

impl JointAngles {
    pub fn get(&self, joint: Joint) -> f64 {
        self.0[joint.index()]
    }

    pub fn set(&mut self, joint: Joint, degrees: f64) {
        self.0[joint.index()] = degrees;
    }

    /// Every joint with its angle, in [`Joint::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Joint, f64)> + '_ {
        Joint::ALL.into_iter().map(|j| (j, self.get(j)))
    }
}

/// Where the figure's root (the point between the hip joints) sits.
///
/// Only the tilt is authored: the root's height comes from grounding (contacts rest on
/// the floor) and its horizontal place from centring in the picture, so every figure
/// lines up the same way without hand-placed coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Root {
    /// Direction of the pelvis (hip joints towards the waist), in degrees from
    /// straight up. Side view: positive leans towards the facing direction (90 is lying
    /// face down with the head forward). Front view: positive leans towards the figure's
    /// right.
    pub tilt: f64,
    /// Front view only: how far the trunk hinges at the hips towards the viewer, in
    /// degrees (0 upright, 90 level with the floor, up to 180 hanging straight down, as
    /// in a wide-legged forward fold seen from the front; negative leans away). The
    /// trunk, neck and head are drawn foreshortened by its cosine, so past 90 they point
    /// down while the figure's right side stays on the viewer's left. Always 0 in a side
    /// view, where the tilt already shows a forward bend.
    pub pitch: f64,
}

/// The range of [`Root::pitch`], in degrees.
pub const PITCH_RANGE: (f64, f64) = (-90.0, 180.0);

/// A side of the canonical (unmirrored) picture, used to place walls and chair backs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    Left,
    Right,
}

impl Toward {
    pub fn name(self) -> &'static str {
        match self {
            Toward::Left => "left",
            Toward::Right => "right",
        }
    }
}

/// A prop and where it goes, always relative to a body part so it follows the body
/// through mirroring and interpolation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prop {
    /// A foam or cork block lying flat under the part, which rests on its top.
    Block { under: Part },
    /// A round bolster under the part.
    Bolster { under: Part },
    /// A folded blanket under the part.
    Blanket { under: Part },
    /// A chair whose seat the part rests on; `backrest` says which side its back is on
    /// (by default behind a seated pelvis, otherwise away from the body).
    Chair {
        under: Part,
        backrest: Option<Toward>,
    },
    /// A wall touching the part; `toward` says on which side of the part it stands (by
    /// default the side of the part away from the body's middle).
    Wall {
        against: Part,
        toward: Option<Toward>,
    },
    /// A strap held between two parts, e.g. a hand and a foot.
    Strap { from: Part, to: Part },
}

impl Prop {
    /// The prop's name in figure files.
    pub fn kind(&self) -> &'static str {
        match self {
            Prop::Block { .. } => "block",
            Prop::Bolster { .. } => "bolster",
            Prop::Blanket { .. } => "blanket",
            Prop::Chair { .. } => "chair",
            Prop::Wall { .. } => "wall",
            Prop::Strap { .. } => "strap",
        }
    }

    /// The part this prop holds up, and the height of its top surface.
    pub fn support(&self) -> Option<(Part, f64)> {
        match *self {
            Prop::Block { under } => Some((under, crate::props::BLOCK_HEIGHT)),
            Prop::Bolster { under } => Some((under, crate::props::BOLSTER_HEIGHT)),
            Prop::Blanket { under } => Some((under, crate::props::BLANKET_HEIGHT)),
            Prop::Chair { under, .. } => Some((under, crate::props::SEAT_HEIGHT)),
            Prop::Wall { .. } | Prop::Strap { .. } => None,
        }
    }

    /// Every body part the prop refers to.
    pub fn parts(&self) -> Vec<Part> {
        match *self {
            Prop::Block { under }
            | Prop::Bolster { under }
            | Prop::Blanket { under }
            | Prop::Chair { under, .. } => vec![under],
            Prop::Wall { against, .. } => vec![against],
            Prop::Strap { from, to } => vec![from, to],
        }
    }
}

/// Where one limb segment is drawn in depth, overriding the usual drawing order for it
/// alone, so that a limb can pass in front of one part of the body and behind another,
/// as a bound arm does round a bent shin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Behind the trunk and every limb, in the far-limb colour: the stretch of an arm
    /// hidden behind a leg or the back.
    Back,
    /// Over the trunk and every limb, in the body colour with a halo: the stretch of an
    /// arm wrapped round the outside of a leg. A side view keeps the head on top.
    Front,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Back => "back",
            Layer::Front => "front",
        }
    }

    pub fn from_name(name: &str) -> Option<Layer> {
        match name {
            "back" => Some(Layer::Back),
            "front" => Some(Layer::Front),
            _ => None,
        }
    }
}

/// Everything needed to draw one pose.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The pose's slug (equals the pose file's slug in `content/poses/`).
    pub slug: String,
    pub view: View,
    pub root: Root,
    pub angles: JointAngles,
    /// Parts that rest on the floor, or on the prop placed under them.
    pub contacts: Vec<Part>,
    pub props: Vec<Prop>,
    /// Limb parts that must not cross the torso in this pose (checked, not drawn).
    pub no_cross_torso: Vec<Part>,
    /// Arms drawn behind the trunk: hands behind the back (bound lotus, reverse
    /// prayer) in a front view, or, in a side view, the near arm wrapped behind the
    /// trunk and the near leg (a bind round a bent knee). Only the drawing order
    /// changes.
    pub arms_behind: Vec<Side>,
    /// Front view: legs drawn over the trunk, for a leg lifted in front of the body
    /// (the front leg of Visvamitra's pose). A seated front view already draws both legs
    /// over the seat.
    pub legs_in_front: Vec<Side>,
    /// Limb segments that point partly towards the viewer, with that angle in degrees
    /// (0 lies in the picture plane), drawn shortened by its cosine, e.g. the thighs of
    /// a lotus coming forward so that the feet reach the opposite thighs, or in a side
    /// view a shin laid across both upper arms (flying pigeon). Front and top views
    /// only for a foot, which there normally points at the viewer and is drawn short
    /// ([`crate::body::length::FOOT_FRONT`]); listing it draws it at `FOOT` times the
    /// cosine instead, e.g. 0 for a foot lying sideways on a thigh.
    pub foreshorten: Vec<(Part, f64)>,
    /// Single limb segments (upper or lower arm, hand, thigh, shin, foot) drawn at their
    /// own depth rather than with the rest of their limb, e.g. an upper arm over the
    /// shin it hooks and its forearm behind it. Only the drawing order and colour change.
    pub layers: Vec<(Part, Layer)>,
    /// Drawn as the mirror image: the left side of a sided pose. Files always describe
    /// the right side, so this is never read from a file.
    pub mirrored: bool,
}

impl Figure {
    /// A neutral standing figure for the given slug and view: every joint at 0 and
    /// both feet on the floor. Handy as a starting point and in tests.
    pub fn standing(slug: &str, view: View) -> Figure {
        Figure {
            slug: slug.to_owned(),
            view,
            root: Root::default(),
            angles: JointAngles::default(),
            contacts: vec![
                Part::Foot(crate::body::Side::Right),
                Part::Foot(crate::body::Side::Left),
            ],
            props: Vec::new(),
            no_cross_torso: Vec::new(),
            arms_behind: Vec::new(),
            legs_in_front: Vec::new(),
            foreshorten: Vec::new(),
            layers: Vec::new(),
            mirrored: false,
        }
    }

    /// The foreshortening angle listed for a part, if any.
    pub fn foreshortening(&self, part: Part) -> Option<f64> {
        self.foreshorten
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, deg)| *deg)
    }

    /// The depth listed for a limb segment, if any.
    pub fn layer(&self, part: Part) -> Option<Layer> {
        self.layers
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, l)| *l)
    }

    /// The exact mirror image, used for the left side of sided poses. Mirroring twice
    /// gives back the same figure.
    ///
    /// Only a flag flips: the description keeps its right-side angles and the renderer
    /// reflects the finished drawing about the picture's centre. Reflecting the drawing
    /// (rather than swapping left and right angles) is what makes the left side exactly
    /// the mirror of the right, including rounding of every coordinate.
    pub fn mirror(&self) -> Figure {
        let mut out = self.clone();
        out.mirrored = !out.mirrored;
        out
    }
}

/// Free-function form of [`Figure::mirror`].
pub fn mirror(figure: &Figure) -> Figure {
    figure.mirror()
}

/// Blends two descriptions for animated transitions: `t = 0` gives `a`, `t = 1` gives
/// `b` (t is clamped to that range).
///
/// Angles move along the shortest path that stays possible: the root tilt wraps around
/// the circle (so a turn from 170° to −170° passes through 180°, not through 0°), while
/// each joint moves directly between its two values, because a joint's range is less
/// than a full turn and the wrapped way round would leave it. Discrete things (view,
/// contacts, props, depth layers, mirroring) switch at the halfway point.
pub fn interpolate(a: &Figure, b: &Figure, t: f64) -> Figure {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let base = if t < 0.5 { a } else { b };
    let mut out = base.clone();
    if t == 0.0 {
        return a.clone();
    }
    if t == 1.0 {
        return b.clone();
    }
    for joint in Joint::ALL {
        let (from, to) = (a.angles.get(joint), b.angles.get(joint));
        out.angles.set(joint, from + (to - from) * t);
    }
    out.foreshorten = blend_foreshortening(a, b, t);
    out.root.tilt = lerp_wrapped(a.root.tilt, b.root.tilt, t);
    out.root.pitch = a.root.pitch + (b.root.pitch - a.root.pitch) * t;
    out
}

/// Foreshortening blended part by part, so a thigh swings smoothly towards the viewer.
/// A part missing from one side counts as unlisted there: in the picture plane, or for
/// a foot, pointing at the viewer as drawn by default.
fn blend_foreshortening(a: &Figure, b: &Figure, t: f64) -> Vec<(Part, f64)> {
    let unlisted = |p: Part| match p {
        Part::Foot(_) => (crate::body::length::FOOT_FRONT / crate::body::length::FOOT)
            .acos()
            .to_degrees(),
        _ => 0.0,
    };
    let mut parts: Vec<Part> = a
        .foreshorten
        .iter()
        .chain(&b.foreshorten)
        .map(|(p, _)| *p)
        .collect();
    parts.sort();
    parts.dedup();
    parts
        .into_iter()
        .map(|p| {
            let from = a.foreshortening(p).unwrap_or_else(|| unlisted(p));
            let to = b.foreshortening(p).unwrap_or_else(|| unlisted(p));
            (p, from + (to - from) * t)
        })
        .collect()
}

/// Interpolates an angle the short way round the circle, result in (−180, 180].
fn lerp_wrapped(from: f64, to: f64, t: f64) -> f64 {
    let delta = (to - from + 180.0).rem_euclid(360.0) - 180.0;
    normalise_degrees(from + delta * t)
}

/// Maps an angle into (−180, 180].
pub(crate) fn normalise_degrees(deg: f64) -> f64 {
    let r = (deg + 180.0).rem_euclid(360.0) - 180.0;
    if r <= -180.0 { r + 360.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(joint: Joint, deg: f64, tilt: f64) -> Figure {
        let mut f = Figure::standing("x", View::Side);
        f.angles.set(joint, deg);
        f.root.tilt = tilt;
        f
    }

    #[test]
    fn interpolation_ends_are_the_inputs() {
        let a = with(Joint::Knee(Side::Right), 10.0, 5.0);
        let b = with(Joint::Knee(Side::Right), 90.0, 40.0);
        assert_eq!(interpolate(&a, &b, 0.0), a);
        assert_eq!(interpolate(&a, &b, 1.0), b);
        assert_eq!(interpolate(&a, &b, -3.0), a);
        assert_eq!(interpolate(&a, &b, 7.0), b);
    }

    #[test]
    fn joints_move_directly_and_tilt_the_short_way() {
        let a = with(Joint::Shoulder(Side::Left), 180.0, 170.0);
        let b = with(Joint::Shoulder(Side::Left), -60.0, -170.0);
        let mid = interpolate(&a, &b, 0.5);
        // The arm swings down through the front (60°), never round the back.
        assert!((mid.angles.get(Joint::Shoulder(Side::Left)) - 60.0).abs() < 1e-9);
        // The whole body turns 20° through upside down, not 340° through upright.
        assert!((mid.root.tilt.abs() - 180.0).abs() < 1e-9);
        let quarter = interpolate(&a, &b, 0.25);
        assert!((quarter.root.tilt - 175.0).abs() < 1e-9);
    }

    #[test]
    fn mirroring_twice_is_identity() {
        let f = with(Joint::Hip(Side::Right), 45.0, 10.0);
        assert_ne!(f.mirror(), f);
        assert_eq!(mirror(&mirror(&f)), f);
    }

    #[test]
    fn normalising_keeps_the_half_open_range() {
        assert_eq!(normalise_degrees(180.0), 180.0);
        assert_eq!(normalise_degrees(-180.0), 180.0);
        assert_eq!(normalise_degrees(190.0), -170.0);
        assert_eq!(normalise_degrees(-540.0), 180.0);
    }

    #[test]
    fn foreshortening_blends_from_the_unlisted_default() {
        let a = Figure::standing("easy", View::Front);
        let mut b = a.clone();
        b.foreshorten = vec![
            (Part::UpperLeg(Side::Right), 40.0),
            (Part::Foot(Side::Left), 0.0),
        ];
        let mid = interpolate(&a, &b, 0.5);
        assert_eq!(mid.foreshortening(Part::UpperLeg(Side::Right)), Some(20.0));
        // An unlisted foot points at the viewer: FOOT_FRONT long, so its blend starts there.
        let foot = mid.foreshortening(Part::Foot(Side::Left)).expect("blended");
        let default = (crate::body::length::FOOT_FRONT / crate::body::length::FOOT)
            .acos()
            .to_degrees();
        assert!((foot - default / 2.0).abs() < 1e-9);
        assert_eq!(interpolate(&a, &b, 0.0), a);
    }
}
