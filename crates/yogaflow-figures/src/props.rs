//! Prop sizes and where each prop is drawn once the body is grounded.
//!
//! Props are simple side-on shapes in figure units (a block is about 23 × 15 cm, a
//! chair seat about 45 cm high), placed from the body part they serve so that they
//! follow the body through mirroring and interpolation.

use crate::body::Part;
use crate::figure::{Figure, Prop, Toward};
use crate::kinematics::{Capsule, Point, Skeleton};
use crate::scene::{Paint, WorldShape};

/// Height of a block lying on its widest face.
pub const BLOCK_HEIGHT: f64 = 8.5;
pub const BLOCK_WIDTH: f64 = 13.0;
pub const BOLSTER_HEIGHT: f64 = 12.0;
pub const BOLSTER_WIDTH: f64 = 34.0;
pub const BLANKET_HEIGHT: f64 = 4.0;
pub const BLANKET_WIDTH: f64 = 30.0;
pub const SEAT_HEIGHT: f64 = 26.0;
const SEAT_WIDTH: f64 = 24.0;
const SEAT_THICKNESS: f64 = 3.0;
const BACKREST_HEIGHT: f64 = 26.0;
const CHAIR_TUBE: f64 = 2.4;
pub const WALL_THICKNESS: f64 = 6.0;
const STRAP_WIDTH: f64 = 2.0;

/// Where a strap grips a part: the middle of the palm, the ball of the foot, or the
/// far end of any other segment.
fn grip(skeleton: &Skeleton, part: Part) -> Point {
    let caps = skeleton.capsules(part);
    let Some(c) = caps.first() else {
        return skeleton.hips;
    };
    let f = match part {
        Part::Hand(_) => 0.5,
        Part::Foot(_) => 0.7,
        _ => 1.0,
    };
    Point::new(c.a.x + (c.b.x - c.a.x) * f, c.a.y + (c.b.y - c.a.y) * f)
}

fn extent(caps: &[Capsule]) -> (f64, f64) {
    caps.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), c| {
            (l.min(c.left()), r.max(c.right()))
        })
}

/// The shapes of every prop, split into those drawn behind the body and those drawn
/// over it (only straps, which the hands hold in front).
pub(crate) fn layout(figure: &Figure, skeleton: &Skeleton) -> (Vec<WorldShape>, Vec<WorldShape>) {
    let mut behind = Vec::new();
    let mut over = Vec::new();
    let body = skeleton.all_capsules();
    let (body_left, body_right) = extent(&body);
    let body_mid = (body_left + body_right) / 2.0;
    for prop in &figure.props {
        match *prop {
            Prop::Block { under } => {
                let x = skeleton.support_x(under);
                behind.push(WorldShape::Box {
                    x0: x - BLOCK_WIDTH / 2.0,
                    y0: 0.0,
                    x1: x + BLOCK_WIDTH / 2.0,
                    y1: BLOCK_HEIGHT,
                    rx: 1.2,
                    paint: Paint::Prop("block"),
                });
            }
            Prop::Bolster { under } => {
                let x = skeleton.support_x(under);
                behind.push(WorldShape::Box {
                    x0: x - BOLSTER_WIDTH / 2.0,
                    y0: 0.0,
                    x1: x + BOLSTER_WIDTH / 2.0,
                    y1: BOLSTER_HEIGHT,
                    rx: BOLSTER_HEIGHT / 2.0,
                    paint: Paint::Prop("bolster"),
                });
            }
            Prop::Blanket { under } => {
                let x = skeleton.support_x(under);
                behind.push(WorldShape::Box {
                    x0: x - BLANKET_WIDTH / 2.0,
                    y0: 0.0,
                    x1: x + BLANKET_WIDTH / 2.0,
                    y1: BLANKET_HEIGHT,
                    rx: 1.5,
                    paint: Paint::Prop("blanket"),
                });
            }
            Prop::Chair { under, backrest } => {
                let x = skeleton.support_x(under);
                // A seated pelvis has the backrest behind it (the canonical side view
                // faces right, so behind is left); hands or a foot on the seat have the
                // chair's back away from the body so the body stays in view.
                let away = if x >= body_mid {
                    Toward::Right
                } else {
                    Toward::Left
                };
                let default = if under == Part::Pelvis {
                    Toward::Left
                } else {
                    away
                };
                let back = backrest.unwrap_or(default);
                chair(x, back, &mut behind);
            }
            Prop::Wall { against, toward } => {
                let caps = skeleton.capsules(against);
                let (l, r) = extent(&caps);
                let toward = toward.unwrap_or(if (l + r) / 2.0 >= body_mid {
                    Toward::Right
                } else {
                    Toward::Left
                });
                let (x0, x1) = match toward {
                    Toward::Right => (r, r + WALL_THICKNESS),
                    Toward::Left => (l - WALL_THICKNESS, l),
                };
                behind.push(WorldShape::Wall {
                    x0,
                    x1,
                    paint: Paint::Prop("wall"),
                });
            }
            Prop::Strap { from, to } => {
                over.push(WorldShape::Line {
                    a: grip(skeleton, from),
                    b: grip(skeleton, to),
                    width: STRAP_WIDTH,
                    paint: Paint::Prop("strap"),
                });
            }
        }
    }
    (behind, over)
}

/// A plain chair seen from the side: seat, two legs and a backrest.
fn chair(x: f64, back: Toward, out: &mut Vec<WorldShape>) {
    let half = SEAT_WIDTH / 2.0;
    let paint = Paint::Prop("chair");
    let leg_inset = half - 2.0;
    for dx in [-leg_inset, leg_inset] {
        out.push(WorldShape::Line {
            a: Point::new(x + dx, SEAT_HEIGHT - SEAT_THICKNESS),
            b: Point::new(x + dx, CHAIR_TUBE / 2.0),
            width: CHAIR_TUBE,
            paint,
        });
    }
    let back_x = match back {
        Toward::Left => x - leg_inset,
        Toward::Right => x + leg_inset,
    };
    out.push(WorldShape::Line {
        a: Point::new(back_x, SEAT_HEIGHT),
        b: Point::new(back_x, SEAT_HEIGHT + BACKREST_HEIGHT),
        width: CHAIR_TUBE + 0.6,
        paint,
    });
    out.push(WorldShape::Box {
        x0: x - half,
        y0: SEAT_HEIGHT - SEAT_THICKNESS,
        x1: x + half,
        y1: SEAT_HEIGHT,
        rx: 1.0,
        paint,
    });
}
