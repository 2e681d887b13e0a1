//! From a grounded skeleton to the list of shapes in picture coordinates: drawing
//! order, near and far limbs, halos that keep crossing limbs readable, props, the fixed
//! viewBox with the figure centred and scaled to fit, and exact mirroring.
//!
//! Picture coordinates are kept as integers in hundredths of a unit. Rounding once,
//! before mirroring, is what makes the mirrored picture the exact reflection of the
//! original, digit for digit.

use crate::body::{Part, Side, View, radius};
use crate::figure::{Figure, Layer};
use crate::kinematics::{Point, Skeleton, ground, towards};

/// The picture's size; every figure uses the same viewBox so figures line up in lists.
pub const VIEW_WIDTH: i64 = 200;
pub const VIEW_HEIGHT: i64 = 160;
/// The floor's top edge in picture units (world y = 0).
const FLOOR_Y: f64 = 150.0;
/// Room kept free above the figure and at either side.
const TOP_MARGIN: f64 = 8.0;
const SIDE_MARGIN: f64 = 8.0;
/// Where a wall's top ends, in picture units.
const WALL_TOP: f64 = 4.0;
/// Extra width of the light outline drawn under a limb that may cross the body.
const HALO: f64 = 2.6;

/// How a shape is coloured: one fixed class for the site's stylesheet plus a colour
/// written as a presentation attribute, so a page's CSS can recolour a figure (CSS
/// beats presentation attributes) while a standalone SVG still looks right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// The trunk, head and near limbs.
    Body,
    /// Limbs on the far side of a side view, drawn lighter and behind the trunk.
    Far,
    /// The background-coloured outline that separates a limb from what is behind it.
    Halo,
    /// A prop of the named kind.
    Prop(&'static str),
    Floor,
    /// The mat under a figure seen from above.
    Mat,
}

impl Paint {
    pub fn class(self) -> &'static str {
        match self {
            Paint::Body => "yf-body",
            Paint::Far => "yf-limb-far",
            Paint::Halo => "yf-halo",
            Paint::Floor => "yf-floor",
            Paint::Mat => "yf-mat",
            Paint::Prop("block") => "yf-prop yf-prop-block",
            Paint::Prop("bolster") => "yf-prop yf-prop-bolster",
            Paint::Prop("blanket") => "yf-prop yf-prop-blanket",
            Paint::Prop("chair") => "yf-prop yf-prop-chair",
            Paint::Prop("wall") => "yf-prop yf-prop-wall",
            Paint::Prop("strap") => "yf-prop yf-prop-strap",
            Paint::Prop(_) => "yf-prop",
        }
    }

    /// The light-theme colour used when no stylesheet applies.
    pub fn colour(self) -> &'static str {
        match self {
            Paint::Body => "#5b7f6e",
            Paint::Far => "#a9c2b5",
            Paint::Halo => "#ffffff",
            Paint::Floor => "#c9c1b6",
            Paint::Mat => "#efe9e0",
            Paint::Prop("block") => "#d9b77e",
            Paint::Prop("bolster") => "#8fb1c9",
            Paint::Prop("blanket") => "#d9a6a0",
            Paint::Prop("chair") => "#a8876a",
            Paint::Prop("wall") => "#e3ddd3",
            Paint::Prop("strap") => "#8d6fb5",
            Paint::Prop(_) => "#b9ad9c",
        }
    }
}

/// A shape in world units (y up), before fitting into the picture.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WorldShape {
    /// A straight stroke with round ends.
    Line {
        a: Point,
        b: Point,
        width: f64,
        paint: Paint,
    },
    Disc {
        c: Point,
        r: f64,
        paint: Paint,
    },
    /// A filled outline with a rounded edge `edge` wide.
    Polygon {
        points: Vec<Point>,
        edge: f64,
        paint: Paint,
    },
    /// A filled rounded rectangle.
    Box {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        rx: f64,
        paint: Paint,
    },
    /// A wall: from the floor to the top of the picture, between x0 and x1.
    Wall {
        x0: f64,
        x1: f64,
        paint: Paint,
    },
}

impl WorldShape {
    /// (min x, min y, max x, max y); a wall has no vertical extent of its own.
    fn bounds(&self) -> (f64, f64, f64, f64) {
        match self {
            WorldShape::Line { a, b, width, .. } => {
                let h = width / 2.0;
                (
                    a.x.min(b.x) - h,
                    a.y.min(b.y) - h,
                    a.x.max(b.x) + h,
                    a.y.max(b.y) + h,
                )
            }
            WorldShape::Disc { c, r, .. } => (c.x - r, c.y - r, c.x + r, c.y + r),
            WorldShape::Polygon { points, edge, .. } => {
                let h = edge / 2.0;
                points.iter().fold(
                    (
                        f64::INFINITY,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::NEG_INFINITY,
                    ),
                    |(a, b, c, d), p| {
                        (
                            a.min(p.x - h),
                            b.min(p.y - h),
                            c.max(p.x + h),
                            d.max(p.y + h),
                        )
                    },
                )
            }
            WorldShape::Box { x0, y0, x1, y1, .. } => (*x0, *y0, *x1, *y1),
            WorldShape::Wall { x0, x1, .. } => (*x0, 0.0, *x1, 0.0),
        }
    }
}

/// A shape in picture coordinates, in hundredths of a unit, y down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Line {
        x1: i64,
        y1: i64,
        x2: i64,
        y2: i64,
        width: i64,
        paint: Paint,
    },
    Circle {
        cx: i64,
        cy: i64,
        r: i64,
        paint: Paint,
    },
    Polygon {
        points: Vec<(i64, i64)>,
        width: i64,
        paint: Paint,
    },
    Rect {
        x: i64,
        y: i64,
        w: i64,
        h: i64,
        rx: i64,
        paint: Paint,
    },
}

impl Shape {
    /// The shape reflected about the picture's vertical centre line.
    pub fn mirrored(&self) -> Shape {
        let m = |x: i64| VIEW_WIDTH * 100 - x;
        match self.clone() {
            Shape::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                paint,
            } => Shape::Line {
                x1: m(x1),
                y1,
                x2: m(x2),
                y2,
                width,
                paint,
            },
            Shape::Circle { cx, cy, r, paint } => Shape::Circle {
                cx: m(cx),
                cy,
                r,
                paint,
            },
            Shape::Polygon {
                points,
                width,
                paint,
            } => Shape::Polygon {
                points: points.into_iter().map(|(x, y)| (m(x), y)).collect(),
                width,
                paint,
            },
            Shape::Rect {
                x,
                y,
                w,
                h,
                rx,
                paint,
            } => Shape::Rect {
                x: m(x) - w,
                y,
                w,
                h,
                rx,
                paint,
            },
        }
    }
}

/// Everything drawn for one figure, back to front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    pub shapes: Vec<Shape>,
}

impl Scene {
    /// Lays out a figure: grounds it, draws body and props, fits the result into the
    /// fixed viewBox, and reflects it when the figure is mirrored.
    pub fn build(figure: &Figure) -> Scene {
        let grounded = ground(figure);
        let skeleton = &grounded.skeleton;
        let (behind, over) = crate::props::layout(figure, skeleton);
        let mut body = Vec::new();
        // Segments laid at the back go under the props as well as the body: arms
        // resting on the floor beside a block would otherwise hide the block that
        // makes the pose what it is (supported bridge).
        let mut world = body_shapes(skeleton, figure, &mut body);
        world.extend(behind);
        world.extend(body);
        world.extend(over);
        let scene = fit(&world, figure.view.from_above());
        if figure.mirrored {
            scene.mirrored()
        } else {
            scene
        }
    }

    /// The reflection of every shape about the picture's vertical centre line.
    pub fn mirrored(&self) -> Scene {
        Scene {
            shapes: self.shapes.iter().map(Shape::mirrored).collect(),
        }
    }
}

/// One drawn limb segment: which part it is, its ends, radius, and where along it a
/// halo starts.
struct Bone {
    part: Part,
    a: Point,
    b: Point,
    r: f64,
    halo_from: f64,
}

/// Limb segments lifted out of the usual drawing order by the figure's `layers`:
/// `back` goes under the whole body and its props, `front` over the body (halos kept
/// apart from the segments, for the same reason as in [`limb`]).
#[derive(Default)]
struct Layered {
    back: Vec<WorldShape>,
    front_halos: Vec<WorldShape>,
    front: Vec<WorldShape>,
}

impl Layered {
    /// The front segments, halos first, appended to `out`.
    fn push_front(&mut self, out: &mut Vec<WorldShape>) {
        out.append(&mut self.front_halos);
        out.append(&mut self.front);
    }
}

/// The halo under a bone: from `halo_from` along it to its end.
fn halo(bone: &Bone) -> WorldShape {
    let f = bone.halo_from;
    let start = Point::new(
        bone.a.x + (bone.b.x - bone.a.x) * f,
        bone.a.y + (bone.b.y - bone.a.y) * f,
    );
    WorldShape::Line {
        a: start,
        b: bone.b,
        width: 2.0 * bone.r + HALO,
        paint: Paint::Halo,
    }
}

/// Pushes a limb: first every halo, then every segment. Drawing all halos before the
/// segments keeps a segment's halo from cutting a light ring across the joint it shares
/// with the segment before it. A halo starts part-way along the first segment so that
/// where a limb leaves the trunk no light seam cuts into the trunk.
///
/// A segment with a layer of its own goes to `layered` instead. Behind the body it takes
/// the far-limb colour, which reads as "hidden" even on a near limb; in front it takes
/// the body colour and a halo, even on a far limb, because it has come round to the
/// viewer's side.
fn limb(
    out: &mut Vec<WorldShape>,
    figure: &Figure,
    layered: &mut Layered,
    bones: &[Bone],
    paint: Paint,
    with_halo: bool,
) {
    let line = |bone: &Bone, paint: Paint| WorldShape::Line {
        a: bone.a,
        b: bone.b,
        width: 2.0 * bone.r,
        paint,
    };
    for bone in bones {
        match figure.layer(bone.part) {
            Some(Layer::Back) => layered.back.push(line(bone, Paint::Far)),
            Some(Layer::Front) => {
                layered.front_halos.push(halo(bone));
                layered.front.push(line(bone, Paint::Body));
            }
            None if with_halo => out.push(halo(bone)),
            None => {}
        }
    }
    for bone in bones {
        if figure.layer(bone.part).is_none() {
            out.push(line(bone, paint));
        }
    }
}

/// What every limb drawing needs besides its side and colour.
struct Ctx<'a> {
    s: &'a Skeleton,
    figure: &'a Figure,
}

fn arm(
    out: &mut Vec<WorldShape>,
    c: &Ctx,
    layered: &mut Layered,
    side: Side,
    paint: Paint,
    halo: bool,
) {
    let l = c.s.limb(side);
    let wrist_end = towards(l.wrist, l.elbow, radius::FOREARM_INSET);
    let bones = [
        Bone {
            part: Part::UpperArm(side),
            a: l.shoulder,
            b: l.elbow,
            r: radius::UPPER_ARM,
            halo_from: 0.45,
        },
        Bone {
            part: Part::LowerArm(side),
            a: l.elbow,
            b: wrist_end,
            r: radius::LOWER_ARM,
            halo_from: 0.0,
        },
        Bone {
            part: Part::Hand(side),
            a: l.wrist,
            b: l.fingertips,
            r: radius::HAND,
            halo_from: 0.0,
        },
    ];
    limb(out, c.figure, layered, &bones, paint, halo);
}

fn leg(
    out: &mut Vec<WorldShape>,
    c: &Ctx,
    layered: &mut Layered,
    side: Side,
    paint: Paint,
    halo: bool,
) {
    let l = c.s.limb(side);
    let ankle_end = towards(l.ankle, l.knee, radius::SHIN_INSET);
    let bones = [
        Bone {
            part: Part::UpperLeg(side),
            a: l.hip,
            b: l.knee,
            r: radius::UPPER_LEG,
            halo_from: 0.5,
        },
        Bone {
            part: Part::LowerLeg(side),
            a: l.knee,
            b: ankle_end,
            r: radius::LOWER_LEG,
            halo_from: 0.0,
        },
        Bone {
            part: Part::Foot(side),
            a: l.ankle,
            b: l.toes,
            r: radius::FOOT,
            halo_from: 0.0,
        },
    ];
    limb(out, c.figure, layered, &bones, paint, halo);
}

/// Whether a front view shows the legs in front of the trunk: a figure sitting upright
/// has its thighs coming towards the viewer, so crossed shins, soles together and feet
/// on the thighs lie over the seat rather than hidden behind it. A trunk pitched well
/// forward folds over the legs again.
pub(crate) fn legs_in_front(figure: &Figure) -> bool {
    figure.view == View::Front
        && figure.contacts.contains(&crate::body::Part::Pelvis)
        && figure.root.pitch < 45.0
}

/// The body, back to front. Side view: far limbs (lighter), trunk, head, near leg,
/// near arm. Front view: legs, trunk, head, arms, with halos so that an arm across the
/// chest or a foot against the other leg stays visible.
/// The figure's `arms_behind` go behind the trunk (and, in a side view, behind the near
/// leg), and its `legs_in_front` over the trunk of a front view, still drawn in the body
/// colour with a halo. Segments with a `layers` entry go over all of that, or, for
/// `back`, are returned for the caller to lay under everything, props included.
fn body_shapes(s: &Skeleton, figure: &Figure, out: &mut Vec<WorldShape>) -> Vec<WorldShape> {
    let behind = &figure.arms_behind;
    let seated_front = legs_in_front(figure);
    let c = Ctx { s, figure };
    let mut layered = Layered::default();
    let lay = &mut layered;
    // The trunk stops short of the shoulder line so that a little neck shows between
    // it and the head, which keeps the head readable at small sizes.
    let trunk_top = towards(s.shoulders, s.waist, 3.0);
    match s.view {
        View::Side | View::TopSide => {
            let (near, far) = (Side::Right, Side::Left);
            arm(out, &c, lay, far, Paint::Far, false);
            leg(out, &c, lay, far, Paint::Far, false);
            let near_behind = behind.contains(&near);
            out.push(WorldShape::Line {
                a: s.hips,
                b: s.waist,
                width: 2.0 * radius::PELVIS_SIDE,
                paint: Paint::Body,
            });
            out.push(WorldShape::Line {
                a: s.waist,
                b: trunk_top,
                width: 2.0 * radius::CHEST_SIDE,
                paint: Paint::Body,
            });
            out.push(neck(s));
            if near_behind {
                // Bound round the near knee: the leg and head cross over the arm.
                arm(out, &c, lay, near, Paint::Body, true);
            }
            leg(out, &c, lay, near, Paint::Body, true);
            if !near_behind {
                arm(out, &c, lay, near, Paint::Body, true);
            }
            lay.push_front(out);
            // The head goes over the near arm, ringed by a halo: with arms overhead or
            // reaching forward the near arm would otherwise hide the head, which is
            // the one shape that tells at a glance which way the body is turned.
            out.push(WorldShape::Disc {
                c: s.head,
                r: radius::HEAD + HALO / 2.0,
                paint: Paint::Halo,
            });
            out.push(head(s));
        }
        View::Front | View::Top => {
            // From the front the legs are behind the trunk; from above, a leg that
            // overlaps the trunk is lifted over it (a knee drawn in, feet by the head).
            let top = s.view == View::Top;
            let over = |side: Side| top || seated_front || figure.legs_in_front.contains(&side);
            for side in [Side::Left, Side::Right] {
                if behind.contains(&side) {
                    arm(out, &c, lay, side, Paint::Body, true);
                }
            }
            for side in [Side::Left, Side::Right] {
                if !over(side) {
                    leg(out, &c, lay, side, Paint::Body, true);
                }
            }
            let (r, l) = (s.limb(Side::Right), s.limb(Side::Left));
            let (wr, wl) = s.waist_corners();
            let (sr, sl) = s.seat_corners();
            out.push(WorldShape::Polygon {
                points: vec![r.shoulder, l.shoulder, wl, sl, sr, wr],
                edge: 2.0 * radius::TRUNK_EDGE,
                paint: Paint::Body,
            });
            for side in [Side::Left, Side::Right] {
                if over(side) {
                    leg(out, &c, lay, side, Paint::Body, true);
                }
            }
            // The head still goes over a leg: a foot behind the head, or, seen from
            // above, feet crossed under it. A halo ring keeps it apart from a shin
            // passing behind it, which would otherwise merge with it.
            out.push(neck(s));
            out.push(WorldShape::Disc {
                c: s.head,
                r: radius::HEAD + HALO / 2.0,
                paint: Paint::Halo,
            });
            out.push(head(s));
            for side in [Side::Left, Side::Right] {
                if !behind.contains(&side) {
                    arm(out, &c, lay, side, Paint::Body, true);
                }
            }
            lay.push_front(out);
        }
    }
    layered.back
}

fn neck(s: &Skeleton) -> WorldShape {
    WorldShape::Line {
        a: s.shoulders,
        b: s.skull,
        width: 2.0 * radius::NECK,
        paint: Paint::Body,
    }
}

fn head(s: &Skeleton) -> WorldShape {
    WorldShape::Disc {
        c: s.head,
        r: radius::HEAD,
        paint: Paint::Body,
    }
}

fn q(v: f64) -> i64 {
    // Coordinates are far inside i64's range; rounding to hundredths is the only loss.
    (v * 100.0).round() as i64
}

/// Centres the world shapes horizontally, stands them on the floor line and shrinks
/// them only if they would not fit, so most figures share one scale and stand the same
/// size side by side. A top view has no floor line: the figure lies centred on a mat.
fn fit(world: &[WorldShape], top: bool) -> Scene {
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for shape in world {
        let (a, b, c, d) = shape.bounds();
        x0 = x0.min(a);
        y0 = y0.min(b);
        x1 = x1.max(c);
        y1 = y1.max(d);
    }
    if !x0.is_finite() {
        (x0, y0, x1, y1) = (0.0, 0.0, 1.0, 1.0);
    }
    let avail_w = VIEW_WIDTH as f64 - 2.0 * SIDE_MARGIN;
    let avail_h = FLOOR_Y - TOP_MARGIN;
    let height = if top { y1 - y0 } else { y1 - y0.min(0.0) };
    let scale = 1.0_f64.min(avail_w / (x1 - x0)).min(avail_h / height);
    let mid = (x0 + x1) / 2.0;
    // Seen from above, the figure's middle sits at the middle of the floor-level
    // figures' usual height, so a list of figures keeps one rhythm.
    let base = if top {
        (FLOOR_Y + TOP_MARGIN) / 2.0 + scale * (y0 + y1) / 2.0
    } else {
        FLOOR_Y
    };
    let px = |x: f64| q(VIEW_WIDTH as f64 / 2.0 + scale * (x - mid));
    let py = |y: f64| q(base - scale * y);
    let pl = |l: f64| q(scale * l);

    let mut shapes = Vec::with_capacity(world.len() + 1);
    if top {
        // The mat: a rounded rectangle a little larger than the figure.
        let pad = 6.0;
        let (left, right) = (px(x0 - pad), px(x1 + pad));
        let (upper, lower) = (py(y1 + pad), py(y0 - pad));
        shapes.push(Shape::Rect {
            x: left,
            y: upper,
            w: right - left,
            h: lower - upper,
            rx: q(4.0),
            paint: Paint::Mat,
        });
    } else {
        // The floor line's top edge is the floor, so feet stand on it rather than in it.
        shapes.push(Shape::Line {
            x1: q(SIDE_MARGIN),
            y1: q(FLOOR_Y + 1.0),
            x2: q(VIEW_WIDTH as f64 - SIDE_MARGIN),
            y2: q(FLOOR_Y + 1.0),
            width: q(2.0),
            paint: Paint::Floor,
        });
    }
    for shape in world {
        shapes.push(match shape {
            WorldShape::Line { a, b, width, paint } => Shape::Line {
                x1: px(a.x),
                y1: py(a.y),
                x2: px(b.x),
                y2: py(b.y),
                width: pl(*width),
                paint: *paint,
            },
            WorldShape::Disc { c, r, paint } => Shape::Circle {
                cx: px(c.x),
                cy: py(c.y),
                r: pl(*r),
                paint: *paint,
            },
            WorldShape::Polygon {
                points,
                edge,
                paint,
            } => Shape::Polygon {
                points: points.iter().map(|p| (px(p.x), py(p.y))).collect(),
                width: pl(*edge),
                paint: *paint,
            },
            WorldShape::Box {
                x0,
                y0,
                x1,
                y1,
                rx,
                paint,
            } => {
                let (left, right) = (px(*x0), px(*x1));
                let (top, bottom) = (py(*y1), py(*y0));
                Shape::Rect {
                    x: left,
                    y: top,
                    w: right - left,
                    h: bottom - top,
                    rx: pl(*rx),
                    paint: *paint,
                }
            }
            WorldShape::Wall { x0, x1, paint } => {
                let (left, right) = (px(*x0), px(*x1));
                let top = q(WALL_TOP);
                Shape::Rect {
                    x: left,
                    y: top,
                    w: right - left,
                    h: q(FLOOR_Y) - top,
                    rx: 0,
                    paint: *paint,
                }
            }
        });
    }
    Scene { shapes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Joint;

    /// Index of the trunk outline and of the first leg stroke (the first body-coloured
    /// line) in drawing order.
    fn trunk_and_first_leg(scene: &Scene) -> (usize, usize) {
        let trunk = scene
            .shapes
            .iter()
            .position(|s| matches!(s, Shape::Polygon { .. }))
            .expect("trunk outline");
        let leg = scene
            .shapes
            .iter()
            .position(|s| {
                matches!(
                    s,
                    Shape::Line {
                        paint: Paint::Body,
                        ..
                    }
                )
            })
            .expect("a limb");
        (trunk, leg)
    }

    #[test]
    fn a_seated_front_view_shows_the_folded_legs_over_the_seat() {
        let standing = Scene::build(&Figure::standing("m", View::Front));
        let (trunk, leg) = trunk_and_first_leg(&standing);
        assert!(leg < trunk, "standing legs go behind the trunk");

        let mut seated = Figure::standing("easy", View::Front);
        seated.contacts = vec![Part::Pelvis];
        for side in Side::BOTH {
            seated.angles.set(Joint::Hip(side), 85.0);
            seated.angles.set(Joint::Knee(side), 172.0);
        }
        let (trunk, leg) = trunk_and_first_leg(&Scene::build(&seated));
        assert!(leg > trunk, "crossed shins lie in front of the seat");

        // Folded well forward, the trunk comes over the legs again.
        seated.root.pitch = 70.0;
        let (trunk, leg) = trunk_and_first_leg(&Scene::build(&seated));
        assert!(leg < trunk);
    }

    #[test]
    fn arms_behind_are_drawn_before_the_trunk() {
        let mut f = Figure::standing("bound", View::Front);
        let arms_first = |f: &Figure| {
            let scene = Scene::build(f);
            let (trunk, first) = trunk_and_first_leg(&scene);
            first < trunk
        };
        f.contacts = vec![Part::Pelvis];
        for side in Side::BOTH {
            f.angles.set(Joint::Hip(side), 85.0);
            f.angles.set(Joint::Knee(side), 172.0);
        }
        // Seated: legs and arms all over the trunk.
        assert!(!arms_first(&f));
        f.arms_behind = vec![Side::Right, Side::Left];
        assert!(arms_first(&f), "hands behind the back go behind the trunk");
        // Mirroring keeps the order.
        assert!(arms_first(&f.mirror()));
    }

    #[test]
    fn a_foreshortened_thigh_is_drawn_shorter_in_any_view() {
        let mut f = Figure::standing("lotus", View::Front);
        let thigh = |f: &Figure| {
            let s = Skeleton::forward(f);
            let l = s.limb(Side::Right);
            l.hip.distance(l.knee)
        };
        let full = thigh(&f);
        f.foreshorten = vec![(Part::UpperLeg(Side::Right), 60.0)];
        assert!((thigh(&f) - full / 2.0).abs() < 1e-9);
        let mut side = f.clone();
        side.view = View::Side;
        assert!((thigh(&side) - full / 2.0).abs() < 1e-9);
        side.foreshorten.clear();
        assert!((thigh(&side) - full).abs() < 1e-9);
        // A listed foot lies across the picture at its whole length.
        f.foreshorten = vec![(Part::Foot(Side::Right), 0.0)];
        let s = Skeleton::forward(&f);
        let l = s.limb(Side::Right);
        assert!((l.ankle.distance(l.toes) - crate::body::length::FOOT).abs() < 1e-9);
    }

    #[test]
    fn back_layered_segments_go_under_the_props_too() {
        // Supported bridge: the arms lie on the floor beside the block under the
        // sacrum; drawn at the back, they must not hide the block.
        let mut f = Figure::standing("supported-bridge-pose", View::Side);
        f.root.tilt = -99.0;
        f.contacts = vec![Part::Chest, Part::Pelvis];
        f.props.push(crate::figure::Prop::Block {
            under: Part::Pelvis,
        });
        f.layers = vec![
            (Part::UpperArm(Side::Right), Layer::Back),
            (Part::LowerArm(Side::Right), Layer::Back),
        ];
        let scene = Scene::build(&f);
        let block = scene
            .shapes
            .iter()
            .position(|s| {
                matches!(
                    s,
                    Shape::Rect {
                        paint: Paint::Prop("block"),
                        ..
                    }
                )
            })
            .expect("the block is drawn");
        let back_arm = scene
            .shapes
            .iter()
            .position(|s| {
                matches!(
                    s,
                    Shape::Line {
                        paint: Paint::Far,
                        ..
                    }
                )
            })
            .expect("the layered arm is drawn");
        assert!(back_arm < block, "arm at {back_arm}, block at {block}");
    }

    #[test]
    fn layered_segments_go_under_or_over_the_whole_body() {
        // A far arm hooked round the near knee: its upper arm comes over everything in
        // the body colour, its forearm goes under everything in the far colour.
        let mut f = Figure::standing("marichi", View::Side);
        f.contacts = vec![Part::Pelvis];
        f.angles.set(Joint::Hip(Side::Right), 120.0);
        f.angles.set(Joint::Knee(Side::Right), 120.0);
        f.angles.set(Joint::Shoulder(Side::Left), 45.0);
        f.angles.set(Joint::Elbow(Side::Left), -60.0);
        let plain = Scene::build(&f);
        f.layers = vec![
            (Part::UpperArm(Side::Left), Layer::Front),
            (Part::LowerArm(Side::Left), Layer::Back),
        ];
        let layered = Scene::build(&f);
        // Same shapes, one more halo (round the lifted upper arm).
        assert_eq!(layered.shapes.len(), plain.shapes.len() + 1);
        let lines = |scene: &Scene| -> Vec<Shape> {
            scene
                .shapes
                .iter()
                .filter(|s| {
                    matches!(
                        s,
                        Shape::Line {
                            paint: Paint::Body | Paint::Far,
                            ..
                        }
                    )
                })
                .cloned()
                .collect()
        };
        let (before, after) = (lines(&plain), lines(&layered));
        let ends = |s: &Shape| match *s {
            Shape::Line {
                x1,
                y1,
                x2,
                y2,
                paint,
                ..
            } => (x1, y1, x2, y2, paint),
            _ => unreachable!(),
        };
        // The forearm, second far line before, is now the very first line.
        let (x1, y1, x2, y2, _) = ends(&before[1]);
        assert_eq!(ends(&after[0]), (x1, y1, x2, y2, Paint::Far));
        // The upper arm, first far line before, is now the last line, in body colour.
        let (x1, y1, x2, y2, _) = ends(&before[0]);
        assert_eq!(ends(&after[after.len() - 1]), (x1, y1, x2, y2, Paint::Body));
        // The head stays on top, and mirroring still reflects exactly.
        assert!(matches!(layered.shapes.last(), Some(Shape::Circle { .. })));
        assert_eq!(Scene::build(&f.mirror()), layered.mirrored());
    }

    #[test]
    fn a_leg_lifted_in_front_is_drawn_over_the_trunk() {
        let mut f = Figure::standing("visvamitra", View::Front);
        let (trunk, leg) = trunk_and_first_leg(&Scene::build(&f));
        assert!(leg < trunk);
        f.legs_in_front = vec![Side::Right, Side::Left];
        let (trunk, leg) = trunk_and_first_leg(&Scene::build(&f));
        assert!(leg > trunk, "both legs over the trunk");
    }
}
