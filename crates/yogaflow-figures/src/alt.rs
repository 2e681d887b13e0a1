//! Alt text from the same data as the drawing: a short plain-English description
//! derived by rules from the grounded body (what it rests on, how the trunk, legs and
//! arms are placed) and the props, never written by hand per pose.
//!
//! The rules read positions after forward kinematics rather than raw angles, because
//! "arms overhead" or "hips high" is about where a hand or the pelvis ends up, whatever
//! combination of joints put it there.

use crate::body::{Part, Side, View};
use crate::figure::{Figure, Layer, Prop};
use crate::kinematics::{Point, Skeleton, ground};

/// Describes the figure in one short sentence, e.g. "Standing on the left leg, right
/// sole against the inner left thigh, arms overhead". Mirrored figures swap left and
/// right, since the drawing shows the other side.
pub fn alt_text(figure: &Figure) -> String {
    let grounded = ground(figure);
    let d = Describer {
        figure,
        s: &grounded.skeleton,
    };
    let mut phrases = Vec::new();
    d.support(&mut phrases);
    d.props(&mut phrases);
    let mut text = phrases.join(", ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text
}

struct Describer<'a> {
    figure: &'a Figure,
    s: &'a Skeleton,
}

/// Angle of the vector from `a` to `b`, in degrees from straight up, positive towards
/// +x, in (−180, 180].
fn from_up(a: Point, b: Point) -> f64 {
    (b.x - a.x).atan2(b.y - a.y).to_degrees()
}

/// Broad direction of a limb or the trunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aim {
    Up,
    Down,
    /// Towards +x in the canonical picture.
    PlusX,
    MinusX,
}

fn aim(a: Point, b: Point) -> Aim {
    let deg = from_up(a, b);
    if deg.abs() <= 40.0 {
        Aim::Up
    } else if deg.abs() >= 140.0 {
        Aim::Down
    } else if deg > 0.0 {
        Aim::PlusX
    } else {
        Aim::MinusX
    }
}

impl Describer<'_> {
    /// The name of a side as the viewer of this drawing should read it.
    fn side(&self, side: Side) -> &'static str {
        let shown = if self.figure.mirrored {
            side.other()
        } else {
            side
        };
        shown.name()
    }

    fn touches(&self, pred: impl Fn(Part) -> bool) -> bool {
        self.figure.contacts.iter().any(|&p| pred(p))
    }

    fn touching_sides(&self, pred: impl Fn(Part) -> bool) -> Vec<Side> {
        let mut out: Vec<Side> = self
            .figure
            .contacts
            .iter()
            .filter(|&&p| pred(p))
            .filter_map(|p| p.side())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn side_view(&self) -> bool {
        self.figure.view.sagittal()
    }

    /// Trunk direction from the hips to the shoulders, degrees from up.
    fn trunk(&self) -> f64 {
        from_up(self.s.hips, self.s.shoulders)
    }

    /// In the side view, whether the front of the body faces up (or down). The pelvis
    /// decides: it stays straight while the chest may arch, and the figure faces +x, so
    /// its front is the pelvis direction turned a quarter clockwise.
    fn faces_up(&self) -> Option<bool> {
        if !self.side_view() {
            return None;
        }
        let (dx, dy) = (
            self.s.waist.x - self.s.hips.x,
            self.s.waist.y - self.s.hips.y,
        );
        let front_y = -dx / dx.hypot(dy).max(1e-9);
        if front_y > 0.5 {
            Some(true)
        } else if front_y < -0.5 {
            Some(false)
        } else {
            None
        }
    }

    /// The angle at the hip between the trunk and the thighs (mean of both sides): about
    /// 180 with the legs in line with the trunk, 90 when sitting, small when folded.
    fn hip_opening(&self) -> f64 {
        let trunk = from_up(self.s.hips, self.s.shoulders);
        let mut sum = 0.0;
        for side in Side::BOTH {
            let l = self.s.limb(side);
            let thigh = from_up(l.hip, l.knee);
            sum += ((thigh - trunk + 540.0).rem_euclid(360.0) - 180.0).abs();
        }
        sum / 2.0
    }

    /// The direction the chest faces in a side view, as a unit vector (None in a
    /// front view, where the chest faces the viewer).
    fn faces_up_any(&self) -> Option<(f64, f64)> {
        if !self.side_view() {
            return None;
        }
        let (dx, dy) = (
            self.s.shoulders.x - self.s.waist.x,
            self.s.shoulders.y - self.s.waist.y,
        );
        let len = dx.hypot(dy).max(1e-9);
        Some((dy / len, -dx / len))
    }

    fn highest_ankle(&self) -> f64 {
        self.s
            .limbs
            .iter()
            .map(|l| l.ankle.y)
            .fold(f64::MIN, f64::max)
    }

    /// Side plane only: the chest bent back from the pelvis, or the thighs reaching
    /// back behind the body.
    fn trunk_arched_back(&self) -> bool {
        let spine = self.figure.angles.get(crate::body::Joint::Spine);
        let hips = Side::BOTH
            .into_iter()
            .all(|s| self.figure.angles.get(crate::body::Joint::Hip(s)) < -10.0);
        spine < -15.0 || hips
    }

    fn support(&self, out: &mut Vec<String>) {
        if self.figure.view == View::Top {
            self.seen_from_above(out);
            return;
        }
        if self.figure.view == View::TopSide {
            out.push("Lying on one side, seen from above".to_owned());
            if self.trunk_arched_back() {
                out.push("body arched back".to_owned());
            }
            self.arms(out, true);
            if Side::BOTH.into_iter().all(|s| self.knee_bend(s) > 45.0) {
                out.push("knees bent".to_owned());
            }
            return;
        }
        let feet = self.touching_sides(|p| matches!(p, Part::Foot(_)));
        let hand_sides = self.touching_sides(|p| matches!(p, Part::Hand(_)));
        let hands = !hand_sides.is_empty();
        let forearms = self.touches(|p| matches!(p, Part::LowerArm(_) | Part::Elbow(_)));
        let knees = self.touching_sides(|p| matches!(p, Part::Knee(_) | Part::LowerLeg(_)));
        let pelvis = self.touches(|p| p == Part::Pelvis);
        let back = self.touches(|p| matches!(p, Part::Chest | Part::Neck | Part::UpperArm(_)));
        let head = self.touches(|p| p == Part::Head);
        let thighs = self.touches(|p| matches!(p, Part::UpperLeg(_)));
        let trunk = self.trunk();
        let inverted = self.s.hips.y > self.s.shoulders.y + 10.0 && self.s.hips.y > self.s.head.y;
        let legs_up = self.highest_ankle() > self.s.hips.y + 10.0;
        let kneeling = !knees.is_empty();

        let s = self.s;
        let head_side = s.head.x - s.hips.x;
        let feet_by_head = !feet.is_empty()
            && feet
                .iter()
                .all(|&f| (s.limb(f).ankle.x - s.hips.x) * head_side > 0.0);
        let knees_folded = Side::BOTH.iter().all(|&side| self.knee_bend(side) > 60.0);
        if (back || head) && inverted && feet_by_head && knees_folded && !pelvis {
            out.push(
                "chest and chin on the floor, legs arched over the back, feet down by the head"
                    .to_owned(),
            );
            return;
        }
        if (back || head) && !feet.is_empty() && !pelvis && self.faces_up() == Some(true) {
            out.push("lying on the back, hips lifted, feet on the floor".to_owned());
            self.arms(out, true);
            return;
        }
        if head && (forearms || hands) && inverted && feet.is_empty() && !kneeling {
            let on = if forearms { "forearms" } else { "hands" };
            out.push(format!("upside down, balanced on the head and {on}"));
            self.inverted_legs(out);
            return;
        }
        let legs_over_head = Side::BOTH
            .iter()
            .all(|&side| (s.limb(side).ankle.x - s.shoulders.x) * (s.head.x - s.shoulders.x) > 0.0);
        if (back || head) && inverted && !pelvis && !hands && kneeling && legs_over_head {
            out.push(
                "on the shoulders with the legs over the head, knees down by the ears".to_owned(),
            );
            self.arms(out, false);
            return;
        }
        if (back || head) && inverted && !pelvis && !hands && !kneeling {
            if feet.is_empty() {
                out.push("balanced on the shoulders, hips above them".to_owned());
                self.inverted_legs(out);
            } else {
                out.push(
                    "on the shoulders with the legs over the head, toes to the floor".to_owned(),
                );
            }
            self.arms(out, false);
            return;
        }
        if (hands || forearms) && feet.is_empty() && !kneeling && !pelvis && !back && !head {
            let on = if hands { "hands" } else { "forearms" };
            let arched = inverted
                && self.highest_ankle() > self.s.head.y + 5.0
                && Side::BOTH.iter().all(|&s| self.knee_bend(s) > 60.0);
            if inverted && legs_up {
                out.push(format!("upside down on the {on}, legs reaching up"));
                self.inverted_legs_shape(out);
            } else if arched {
                out.push(format!(
                    "upside down on the {on}, back arched, feet dropping towards the head"
                ));
            } else {
                out.push(format!("balancing on the {on}"));
                self.arm_balance_legs(out);
            }
            return;
        }
        // Lying: resting on the back, or on the front with the legs in line with the
        // trunk (a cobra lifts its chest but still lies on the floor).
        let level = (self.s.shoulders.y - self.s.hips.y).abs() < 12.0;
        let lying = (pelvis || back || thighs)
            && ((level && back && self.faces_up() == Some(true))
                || (back && !pelvis && !kneeling && self.faces_up() == Some(false))
                || (level && (back || (thighs && !pelvis)) && self.hip_opening() > 110.0)
                || (self.side_view() && self.hip_opening() > 130.0 && self.s.hips.y < 15.0)
                // On the belly with both knees behind the hips and the chest ahead of
                // them, however high the legs and chest lift (bow).
                || (self.side_view()
                    && pelvis
                    && self.faces_up() == Some(false)
                    && self.s.hips.y < 15.0
                    && self.s.shoulders.x > self.s.hips.x + 10.0
                    && Side::BOTH
                        .iter()
                        .all(|&s| self.s.limb(s).knee.x < self.s.hips.x - 10.0)));
        if lying && !(hands && feet.len() == 2 && !pelvis) {
            self.lying(out);
            return;
        }
        if pelvis {
            self.seated(out, &knees);
            return;
        }
        if kneeling {
            self.kneeling(out, &feet, &knees, hands || forearms);
            return;
        }
        if !feet.is_empty() && (hands || forearms) {
            self.hands_and_feet(out, &feet, &hand_sides, forearms && !hands);
            return;
        }
        if feet.len() == 1 {
            let standing = feet[0];
            out.push(format!("standing on the {} leg", self.side(standing)));
            self.trunk_lean(out, trunk);
            self.free_leg(out, standing.other());
            self.arms(out, false);
            return;
        }
        if feet.len() == 2 {
            self.standing(out, trunk);
            return;
        }
        out.push("resting on the floor".to_owned());
    }

    /// A top view: the figure lies on its back, and what the picture adds is where the
    /// arms and knees lie on the mat relative to the trunk.
    fn seen_from_above(&self, out: &mut Vec<String>) {
        out.push("lying on the back, seen from above".to_owned());
        let s = self.s;
        let along = {
            let (dx, dy) = (s.shoulders.x - s.hips.x, s.shoulders.y - s.hips.y);
            let len = dx.hypot(dy).max(1e-9);
            (dx / len, dy / len)
        };
        // Towards the figure's own right: from the left shoulder to the right one.
        let right = {
            let (r, l) = (s.limb(Side::Right).shoulder, s.limb(Side::Left).shoulder);
            let (dx, dy) = (r.x - l.x, r.y - l.y);
            let len = dx.hypot(dy).max(1e-9);
            (dx / len, dy / len)
        };
        let across = |p: Point| (p.x - s.hips.x) * right.0 + (p.y - s.hips.y) * right.1;
        let arm_angle = |side: Side| {
            let l = s.limb(side);
            let (dx, dy) = (l.elbow.x - l.shoulder.x, l.elbow.y - l.shoulder.y);
            let len = dx.hypot(dy).max(1e-9);
            ((dx * along.0 + dy * along.1) / len)
                .clamp(-1.0, 1.0)
                .acos()
                .to_degrees()
        };
        let (ar, al) = (arm_angle(Side::Right), arm_angle(Side::Left));
        // How far along the body, from the hips towards the head, a point lies.
        let along = |p: Point| {
            let (dx, dy) = (s.head.x - s.hips.x, s.head.y - s.hips.y);
            ((p.x - s.hips.x) * dx + (p.y - s.hips.y) * dy) / dx.hypot(dy)
        };
        let shoulder_line = along(s.shoulders);
        let feet_by_head = Side::BOTH
            .into_iter()
            .all(|side| along(s.limb(side).ankle) > shoulder_line);
        if self.figure.arms_behind.len() == 2 {
            out.push("arms wrapped behind the back".to_owned());
        } else if (55.0..=125.0).contains(&ar) && (55.0..=125.0).contains(&al) {
            out.push("arms out to the sides".to_owned());
        } else if ar < 45.0 && al < 45.0 {
            out.push("arms overhead".to_owned());
        } else if ar > 145.0 && al > 145.0 {
            out.push("arms by the sides".to_owned());
        }
        let bent: Vec<Side> = Side::BOTH
            .into_iter()
            .filter(|&side| {
                self.knee_bend(side) > 45.0
                    || self.s.limb(side).knee.distance(self.s.limb(side).hip) < 20.0
            })
            .collect();
        let side_of = |x: f64| if x > 0.0 { Side::Right } else { Side::Left };
        let knee_at = |side: Side| across(s.limb(side).knee);
        let clear = crate::body::length::HALF_HIPS + 4.0;
        if bent.len() == 2
            && side_of(knee_at(Side::Right)) == side_of(knee_at(Side::Left))
            && knee_at(Side::Right).abs().min(knee_at(Side::Left).abs()) > clear
        {
            let to = side_of(knee_at(Side::Right));
            out.push(format!("knees bent and lowered to the {}", self.side(to)));
        } else if bent.len() == 1
            && side_of(knee_at(bent[0])) != bent[0]
            && knee_at(bent[0]).abs() > clear
        {
            out.push(format!(
                "{} knee drawn across the body to the {}",
                self.side(bent[0]),
                self.side(bent[0].other())
            ));
        } else if bent.len() == 2
            && side_of(knee_at(Side::Right)) == Side::Right
            && side_of(knee_at(Side::Left)) == Side::Left
            && knee_at(Side::Right).abs().min(knee_at(Side::Left).abs()) > 2.0 * clear
        {
            out.push("knees bent and open to the sides, soles together".to_owned());
        } else if feet_by_head {
            out.push("legs drawn up past the shoulders, feet crossed behind the head".to_owned());
        } else if !bent.is_empty() {
            out.push("knees bent".to_owned());
        } else if side_of(across(s.limb(Side::Right).ankle))
            == side_of(across(s.limb(Side::Left).ankle))
            && across(s.limb(Side::Right).ankle)
                .abs()
                .min(across(s.limb(Side::Left).ankle).abs())
                > 2.0 * clear
        {
            let to = side_of(across(s.limb(Side::Right).ankle));
            out.push(format!("legs together, lowered to the {}", self.side(to)));
        } else {
            out.push("legs long".to_owned());
        }
    }

    fn inverted_legs(&self, out: &mut Vec<String>) {
        if self.highest_ankle() > self.s.hips.y + 10.0 {
            self.inverted_legs_shape(out);
        } else {
            out.push("knees drawn in".to_owned());
        }
    }

    fn inverted_legs_shape(&self, out: &mut Vec<String>) {
        let bent = Side::BOTH
            .iter()
            .filter(|&&s| self.knee_bend(s) > 60.0)
            .count();
        let spread = (self.s.limb(Side::Right).ankle.x - self.s.limb(Side::Left).ankle.x).abs();
        if bent == 2 {
            out.push("knees bent, feet arching back".to_owned());
        } else if spread > 45.0 {
            out.push("legs split apart".to_owned());
        } else if bent == 0 {
            out.push("legs straight up".to_owned());
        }
    }

    /// The angle between thigh and shin, whatever the view: 0 straight, 180 folded.
    fn knee_bend(&self, side: Side) -> f64 {
        let l = self.s.limb(side);
        let a = from_up(l.hip, l.knee);
        let b = from_up(l.knee, l.ankle);
        let d = (b - a + 540.0).rem_euclid(360.0) - 180.0;
        d.abs()
    }

    fn elbow_bend(&self, side: Side) -> f64 {
        let l = self.s.limb(side);
        let a = from_up(l.shoulder, l.elbow);
        let b = from_up(l.elbow, l.wrist);
        let d = (b - a + 540.0).rem_euclid(360.0) - 180.0;
        d.abs()
    }

    fn arm_balance_legs(&self, out: &mut Vec<String>) {
        let both_bent = Side::BOTH.iter().all(|&s| self.knee_bend(s) > 70.0);
        if both_bent {
            out.push("knees tucked in against the arms".to_owned());
        } else {
            let lifted = Side::BOTH.iter().all(|&s| self.s.limb(s).ankle.y > 12.0);
            if lifted {
                out.push("legs lifted off the floor".to_owned());
            }
        }
    }

    fn lying(&self, out: &mut Vec<String>) {
        let on = match self.faces_up() {
            Some(true) => "lying on the back",
            Some(false) => "lying on the front",
            None => "lying on the side",
        };
        out.push(on.to_owned());
        let chest_lift = self.s.shoulders.y - self.s.hips.y;
        if chest_lift > 6.0 {
            out.push("chest lifted".to_owned());
        }
        if self.faces_up() == Some(false)
            && Side::BOTH
                .iter()
                .any(|&s| self.s.limb(s).knee.y > self.s.hips.y + 10.0)
            && Side::BOTH
                .iter()
                .all(|&s| self.s.limb(s).knee.x < self.s.hips.x + 5.0)
        {
            out.push("legs lifted over the back".to_owned());
            self.arms(out, true);
            return;
        }
        let knees_in = Side::BOTH
            .iter()
            .filter(|&&s| {
                let l = self.s.limb(s);
                self.knee_bend(s) > 70.0 && l.knee.y > self.s.hips.y + 10.0
            })
            .count();
        let raised = Side::BOTH
            .iter()
            .filter(|&&s| self.s.limb(s).ankle.y > self.s.hips.y + 20.0)
            .collect::<Vec<_>>();
        let feet_down = self.touches(|p| matches!(p, Part::Foot(_)));
        // An ankle laid across the other thigh with that knee drawn in (eye of the
        // needle) is the figure four: its shin is drawn in a depth layer, crossing over.
        let crossed = Side::BOTH.into_iter().find(|&s| {
            let (l, o) = (self.s.limb(s), self.s.limb(s.other()));
            self.faces_up() == Some(true)
                && self.figure.layer(Part::LowerLeg(s)).is_some()
                && l.knee.y > self.s.hips.y + 10.0
                && self.knee_bend(s) > 70.0
                && self.knee_bend(s.other()) > 70.0
                && seg_distance(l.ankle, o.hip, o.knee) < 8.0
        });
        if let Some(side) = crossed {
            out.push(format!(
                "{} ankle crossed over the {} thigh, drawn towards the chest",
                self.side(side),
                self.side(side.other())
            ));
        } else if knees_in == 2 && feet_down {
            out.push("knees bent, feet on the floor".to_owned());
        } else if knees_in == 2 {
            out.push("knees drawn towards the chest".to_owned());
        } else if knees_in == 1 {
            let side = Side::BOTH
                .into_iter()
                .find(|&s| self.knee_bend(s) > 70.0 && self.s.limb(s).knee.y > self.s.hips.y + 10.0)
                .unwrap_or(Side::Right);
            out.push(format!("{} knee drawn towards the chest", self.side(side)));
        } else if raised.len() == 2 {
            out.push("legs raised".to_owned());
        } else if let Some(&&side) = raised.first() {
            out.push(format!("{} leg raised", self.side(side)));
        } else if self.faces_up() == Some(true)
            && Side::BOTH.iter().all(|&s| self.knee_bend(s) > 60.0)
        {
            if self.s.hips.y > 14.0 {
                out.push("knees bent, hips lifted".to_owned());
            } else {
                out.push("knees bent".to_owned());
            }
        } else if Side::BOTH.iter().all(|&s| self.knee_bend(s) > 60.0)
            && self.faces_up() == Some(false)
        {
            out.push("knees bent, feet lifted".to_owned());
        } else {
            out.push("legs long".to_owned());
        }
        self.arms(out, true);
    }

    fn seated(&self, out: &mut Vec<String>, knees: &[Side]) {
        let trunk = self.trunk();
        let kneel_sit = self.side_view()
            && knees.len() == 2
            && Side::BOTH.iter().all(|&s| self.knee_bend(s) > 130.0)
            && Side::BOTH
                .iter()
                .all(|&s| aim(self.s.limb(s).hip, self.s.limb(s).knee) == Aim::PlusX);
        // One thigh forward and the other back: the splits, or pigeon when the front
        // knee is folded.
        let (r, l) = (self.s.limb(Side::Right), self.s.limb(Side::Left));
        let split =
            self.side_view() && (r.knee.x - self.s.hips.x) * (l.knee.x - self.s.hips.x) < -100.0;
        if split {
            let front = if r.knee.x > l.knee.x {
                Side::Right
            } else {
                Side::Left
            };
            if self.knee_bend(front) > 100.0 {
                out.push(format!(
                    "seated with the {} shin folded in front and the {} leg stretched back",
                    self.side(front),
                    self.side(front.other())
                ));
            } else {
                out.push(format!(
                    "in the splits, {} leg forward and {} leg back",
                    self.side(front),
                    self.side(front.other())
                ));
            }
        } else if kneel_sit {
            out.push("kneeling, sitting between the heels".to_owned());
        } else {
            out.push("seated".to_owned());
            let straight: Vec<Side> = Side::BOTH
                .into_iter()
                .filter(|&s| self.knee_bend(s) < 25.0)
                .collect();
            let spread = (self.s.limb(Side::Right).ankle.x - self.s.limb(Side::Left).ankle.x).abs();
            if !self.side_view() && spread > 80.0 {
                out.push("legs wide apart".to_owned());
            } else if straight.len() == 2 {
                if !self.side_view() && spread > 45.0 {
                    out.push("legs wide apart".to_owned());
                } else {
                    out.push("legs straight out in front".to_owned());
                }
            } else if straight.len() == 1 {
                let bent = straight[0].other();
                let how = if self.behind_head(bent) {
                    "leg behind the head"
                } else {
                    "knee bent"
                };
                out.push(format!(
                    "{} leg straight, {} {how}",
                    self.side(straight[0]),
                    self.side(bent)
                ));
            } else if !self.side_view() {
                let soles_in = (self.s.limb(Side::Right).ankle.x - self.s.limb(Side::Left).ankle.x)
                    .abs()
                    < 12.0;
                let high_knees = Side::BOTH
                    .iter()
                    .all(|&s| self.s.limb(s).knee.y > self.s.hips.y + 8.0);
                // Knees together in the middle and feet out past the hips: sitting
                // between the feet.
                let knees_in = (self.s.limb(Side::Right).knee.x - self.s.limb(Side::Left).knee.x)
                    .abs()
                    < 2.0 * crate::body::length::HALF_HIPS;
                // Both feet out past the same hip: the legs are folded to that side
                // (Bharadvaja's twist). Right is towards −x in a front view.
                let half = crate::body::length::HALF_HIPS;
                let past = |s: Side| {
                    let x = self.s.limb(s).ankle.x - self.s.hips.x;
                    if x > 2.0 * half {
                        Some(Side::Left)
                    } else if x < -2.0 * half {
                        Some(Side::Right)
                    } else {
                        None
                    }
                };
                let folded = match (past(Side::Right), past(Side::Left)) {
                    (Some(a), Some(b)) if a == b => Some(a),
                    _ => None,
                };
                if high_knees {
                    out.push("knees drawn up".to_owned());
                } else if let Some(to) = folded {
                    let to = self.side(to);
                    out.push(format!("legs folded to the {to}, feet beside the {to} hip"));
                } else if knees_in && !soles_in {
                    out.push("knees together, feet beside the hips".to_owned());
                } else if soles_in {
                    out.push("legs folded, knees out to the sides".to_owned());
                } else {
                    out.push("legs crossed".to_owned());
                }
            } else {
                out.push("knees bent".to_owned());
            }
        }
        if trunk > 45.0 || self.figure.root.pitch > 45.0 {
            out.push("folding forward over the legs".to_owned());
        } else if trunk < -25.0 && self.side_view() {
            out.push("leaning back".to_owned());
        } else if !self.side_view() && trunk.abs() > 20.0 {
            out.push(format!("leaning to the {}", self.lean_side(trunk)));
        }
        self.arms(out, false);
    }

    /// In the front view the figure's right is the viewer's left (−x).
    fn lean_side(&self, trunk: f64) -> &'static str {
        if trunk < 0.0 {
            self.side(Side::Right)
        } else {
            self.side(Side::Left)
        }
    }

    fn kneeling(&self, out: &mut Vec<String>, feet: &[Side], knees: &[Side], hands: bool) {
        let trunk = self.trunk();
        let foot_only: Vec<Side> = feet
            .iter()
            .copied()
            .filter(|s| !knees.contains(s))
            .collect();
        if knees.len() == 1 && foot_only.len() == 1 {
            let front = foot_only[0];
            if self.side_view() {
                out.push(format!(
                    "low lunge, {} foot forward and {} knee down",
                    self.side(front),
                    self.side(knees[0])
                ));
            } else {
                out.push(format!(
                    "kneeling on the {} knee, {} leg stretched out to the side",
                    self.side(knees[0]),
                    self.side(front)
                ));
            }
            if hands {
                out.push("hands on the floor".to_owned());
            } else {
                self.trunk_lean(out, trunk);
                self.arms(out, false);
            }
            return;
        }
        // Behind the knees (towards −x) means arching back, in front means folding.
        let behind = self.s.shoulders.x < self.s.hips.x - 8.0;
        if self.s.head.y < self.s.hips.y - 10.0 && behind {
            out.push("kneeling, arching back until the head comes down behind".to_owned());
            self.arms(out, true);
            return;
        }
        if self.s.hips.y < 24.0 && self.s.head.y < self.s.hips.y - 5.0 {
            out.push("kneeling, folded forward over the knees, forehead down".to_owned());
            self.arms(out, true);
            return;
        }
        if self.s.head.y < self.s.hips.y - 15.0 {
            out.push("knees down, hips high, chest sinking towards the floor".to_owned());
            self.arms(out, true);
            return;
        }
        if hands && trunk.abs() > 50.0 && !self.hips_over_heels(knees) {
            out.push("on hands and knees".to_owned());
            let sp = self.figure.angles.get(crate::body::Joint::Spine);
            if sp > 12.0 {
                out.push("back rounded up".to_owned());
            } else if sp < -12.0 {
                out.push("back dipped, chest forward".to_owned());
            } else {
                out.push("back flat".to_owned());
            }
            self.extra_limbs(out);
            return;
        }
        if self.s.hips.y < 24.0 {
            out.push("kneeling, sitting back on the heels".to_owned());
        } else {
            out.push("kneeling upright".to_owned());
        }
        if trunk < -25.0 || self.figure.angles.get(crate::body::Joint::Spine) < -30.0 {
            out.push("arching back".to_owned());
        } else if trunk > 15.0 {
            out.push("leaning forward".to_owned());
        }
        self.arms(out, false);
    }

    /// Whether the hips sit back over the heels (child's pose and its kin) rather than
    /// above the knees as on all fours: they are nearer the ankles than the knees.
    fn hips_over_heels(&self, knees: &[Side]) -> bool {
        knees.iter().all(|&side| {
            let l = self.s.limb(side);
            (self.s.hips.x - l.ankle.x).abs() < (self.s.hips.x - l.knee.x).abs()
        }) && !knees.is_empty()
    }

    /// A raised arm or leg in an on-all-fours pose.
    fn extra_limbs(&self, out: &mut Vec<String>) {
        for side in Side::BOTH {
            let l = self.s.limb(side);
            if l.ankle.y > self.s.hips.y + 5.0 {
                out.push(format!("{} leg lifted", self.side(side)));
            }
            if l.wrist.y > self.s.shoulders.y + 5.0 {
                out.push(format!("{} arm lifted", self.side(side)));
            }
        }
    }

    fn hands_and_feet(&self, out: &mut Vec<String>, feet: &[Side], hands: &[Side], forearms: bool) {
        let hips_high =
            self.s.hips.y > self.s.shoulders.y + 15.0 && self.s.hips.y > self.s.head.y + 15.0;
        let on = if forearms {
            "forearms"
        } else if hands.len() == 1 {
            "hand"
        } else {
            "hands"
        };
        // A standing leg is within 30° of plumb (half moon); one slanting further is
        // the long diagonal of a side plank, even when it is the upper leg stepping
        // down (destroyer of the universe).
        let standing_leg_down = feet.len() == 1 && {
            let l = self.s.limb(feet[0]);
            let drop = l.hip.y - l.ankle.y;
            drop > 0.0 && (l.ankle.x - l.hip.x).abs() < drop * 30f64.to_radians().tan()
        };
        if !self.side_view() && (40.0..140.0).contains(&self.trunk().abs()) && !standing_leg_down {
            let side = hands.first().copied().unwrap_or(Side::Right);
            out.push(format!(
                "side plank on the {} hand, body in a long sideways line",
                self.side(side)
            ));
            self.free_leg_side_plank(out);
            self.arms(out, false);
            return;
        }
        if self.faces_up() == Some(true) {
            if self.s.hips.y > self.s.shoulders.y + 5.0 {
                out.push(format!("arching up on {on} and feet"));
            } else {
                out.push(format!("on {on} and feet, chest facing up"));
            }
            self.extra_limbs(out);
            return;
        }
        let far_apart = self
            .s
            .limb(Side::Right)
            .wrist
            .distance(self.s.limb(feet[0]).ankle)
            > 30.0;
        // With one foot down, an inverted V only if the other leg is raised behind.
        let free_leg_up =
            feet.len() == 2 || self.s.limb(feet[0].other()).ankle.y > self.s.hips.y + 5.0;
        if hips_high
            && self.trunk().abs() > 110.0
            && far_apart
            && free_leg_up
            && self.s.head.y < 35.0
        {
            let feet_word = if feet.len() == 1 {
                format!("the {} foot", self.side(feet[0]))
            } else {
                "feet".to_owned()
            };
            out.push(format!(
                "on {on} and {feet_word}, hips lifted high in an inverted V"
            ));
            self.extra_limbs(out);
            return;
        }
        if feet.len() == 1 {
            out.push(format!("standing on the {} leg", self.side(feet[0])));
            self.trunk_lean(out, self.trunk());
            out.push(format!("{on} to the floor"));
            self.free_leg(out, feet[0].other());
            return;
        }
        let legs_down = Side::BOTH
            .iter()
            .all(|&s| aim(self.s.limb(s).hip, self.s.limb(s).ankle) == Aim::Down);
        if legs_down && !(hips_high && self.trunk().abs() > 110.0) {
            self.standing(out, self.trunk());
            return;
        }
        if hips_high && self.trunk().abs() > 110.0 && self.s.head.y < 35.0 {
            if self
                .s
                .limb(Side::Right)
                .wrist
                .distance(self.s.limb(Side::Right).ankle)
                < 30.0
            {
                out.push(format!("folding forward, {on} to the floor"));
            } else {
                out.push(format!(
                    "on {on} and feet, hips lifted high in an inverted V"
                ));
            }
        } else if self.side_view() && (self.s.shoulders.y - self.s.hips.y).abs() < 12.0 {
            if self.s.shoulders.y < 14.0 {
                out.push("body low and straight, elbows bent".to_owned());
            } else {
                out.push(format!("on {on} and toes, body in one straight line"));
            }
        } else if self.s.shoulders.y > self.s.hips.y + 12.0 {
            out.push(format!("on {on} and feet, chest lifted, hips low"));
        } else {
            out.push(format!("on {on} and feet"));
        }
        self.extra_limbs(out);
    }

    /// In a front-view side plank, the top leg lifted or stepped away.
    /// A bent leg whose shin is drawn behind the body with its ankle at the head: the
    /// leg hooked behind the head (foot-behind-the-head, destroyer of the universe).
    fn behind_head(&self, side: Side) -> bool {
        let l = self.s.limb(side);
        self.knee_bend(side) > 60.0
            && self.figure.layer(Part::LowerLeg(side)) == Some(Layer::Back)
            && l.ankle.distance(self.s.head) < 12.0
    }

    fn free_leg_side_plank(&self, out: &mut Vec<String>) {
        for side in Side::BOTH {
            if !self.touches(|p| p == Part::Foot(side)) && self.behind_head(side) {
                out.push(format!("{} leg behind the head", self.side(side)));
            } else if !self.touches(|p| p == Part::Foot(side)) && self.knee_bend(side) > 60.0 {
                out.push(format!("{} knee bent", self.side(side)));
            } else if !self.touches(|p| p == Part::Foot(side)) {
                out.push(format!("{} leg lifted", self.side(side)));
            }
        }
    }

    fn standing(&self, out: &mut Vec<String>, trunk: f64) {
        let (r, l) = (self.s.limb(Side::Right), self.s.limb(Side::Left));
        let spread = (r.ankle.x - l.ankle.x).abs();
        let bent: Vec<Side> = Side::BOTH
            .into_iter()
            .filter(|&s| self.knee_bend(s) > 45.0)
            .collect();
        let low_hips = self.s.hips.y < 30.0;
        if low_hips && bent.len() == 2 {
            out.push("squatting low, knees wide".to_owned());
        } else if self.side_view() && spread > 30.0 {
            let front = if r.ankle.x > l.ankle.x {
                Side::Right
            } else {
                Side::Left
            };
            if bent.contains(&front) && !bent.contains(&front.other()) {
                out.push(format!(
                    "lunging, {} knee bent forward, {} leg stretched back",
                    self.side(front),
                    self.side(front.other())
                ));
            } else {
                out.push(format!(
                    "standing with the feet apart, {} foot forward",
                    self.side(front)
                ));
            }
        } else if spread > 35.0 {
            if bent.len() == 1 {
                out.push(format!(
                    "standing with the feet wide, {} knee bent",
                    self.side(bent[0])
                ));
            } else if bent.len() == 2 {
                out.push("standing with the feet wide, both knees bent".to_owned());
            } else {
                out.push("standing with the feet wide apart".to_owned());
            }
        } else if bent.len() == 2 {
            out.push("standing with the knees bent, hips sitting back".to_owned());
        } else {
            out.push("standing".to_owned());
        }
        self.trunk_lean(out, trunk);
        self.arms(out, false);
    }

    fn trunk_lean(&self, out: &mut Vec<String>, trunk: f64) {
        if self.side_view() {
            if trunk.abs() > 125.0 {
                out.push("folded forward, head down".to_owned());
            } else if trunk > 60.0 {
                out.push("torso tipped forward, level with the floor".to_owned());
            } else if trunk > 30.0 {
                out.push("leaning forward".to_owned());
            } else if trunk < -25.0 || self.figure.angles.get(crate::body::Joint::Spine) < -25.0 {
                out.push("arching back".to_owned());
            }
        } else if trunk.abs() > 100.0 {
            out.push("folded forward, head down".to_owned());
        } else if trunk.abs() > 25.0 {
            out.push(format!("torso tilted to the {}", self.lean_side(trunk)));
        }
    }

    /// The leg that is not standing, in a one-legged pose.
    fn free_leg(&self, out: &mut Vec<String>, free: Side) {
        let l = *self.s.limb(free);
        let o = *self.s.limb(free.other());
        let foot = Point::new((l.ankle.x + l.toes.x) / 2.0, (l.ankle.y + l.toes.y) / 2.0);
        let near_thigh = seg_distance(foot, o.hip, o.knee) < 11.0;
        let near_shin = seg_distance(foot, o.knee, o.ankle) < 10.0;
        let this = self.side(free);
        let other = self.side(free.other());
        if near_thigh && !self.side_view() {
            out.push(format!("{this} sole against the inner {other} thigh"));
        } else if near_thigh {
            out.push(format!("{this} foot resting on the {other} thigh"));
        } else if near_shin {
            out.push(format!("{this} foot against the {other} shin"));
        } else if self.knee_bend(free) > 80.0 && l.ankle.y > l.knee.y && self.side_view() {
            out.push(format!("{this} foot lifted behind"));
        } else if l.ankle.y > self.s.hips.y - 12.0 {
            let dir = aim(l.hip, l.ankle);
            let where_ = match (self.side_view(), dir) {
                (true, Aim::PlusX) => "forward",
                (true, Aim::MinusX) => "back",
                (_, Aim::Up) => "up",
                _ => "out to the side",
            };
            out.push(format!("{this} leg raised {where_}"));
        } else if self.knee_bend(free) > 60.0 {
            out.push(format!("{this} knee bent, foot lifted"));
        } else {
            out.push(format!("{this} foot lifted"));
        }
    }

    /// Describes the arms; `resting_default` skips arms that simply rest by the body.
    fn arms(&self, out: &mut Vec<String>, resting_default: bool) {
        let places: Vec<(Side, &'static str)> = Side::BOTH
            .into_iter()
            .map(|s| (s, self.arm_place(s)))
            .collect();
        let (r, l) = (places[0].1, places[1].1);
        if r == l {
            if r.is_empty() || (resting_default && r == "by the sides") {
                return;
            }
            out.push(match r {
                "overhead" => "arms overhead".to_owned(),
                "holding the foot" => "hands holding the feet".to_owned(),
                "round the shin" => "hands round the shins".to_owned(),
                "hooked outside the knee" => {
                    "palms together at the chest, an elbow hooked outside the knee".to_owned()
                }
                "on the floor" => "hands on the floor".to_owned(),
                "forearm on the floor" => "forearms on the floor".to_owned(),
                "together at the chest" => "palms together at the chest".to_owned(),
                "on the thigh" => "hands resting on the thighs".to_owned(),
                "behind the back" => "hands joined behind the back".to_owned(),
                "in the lap" => "hands resting in the lap".to_owned(),
                "on the knee" => "hands resting on the knees".to_owned(),
                "folded by the head" => "forearms folded under the head".to_owned(),
                other => format!("arms {other}"),
            });
        } else {
            for (side, place) in places {
                if place.is_empty() || (resting_default && place == "by the sides") {
                    continue;
                }
                let who = self.side(side);
                out.push(match place {
                    "holding the foot" => format!("{who} hand holding the foot"),
                    "round the shin" => format!("{who} hand round the shin"),
                    "hooked outside the knee" => format!("{who} elbow hooked outside the knee"),
                    "on the floor" => format!("{who} hand on the floor"),
                    "forearm on the floor" => format!("{who} forearm on the floor"),
                    "on the thigh" => format!("{who} hand on the thigh"),
                    "on the knee" => format!("{who} hand on the knee"),
                    "together at the chest" => format!("{who} hand at the chest"),
                    "by the sides" => format!("{who} arm by the side"),
                    other => format!("{who} arm {other}"),
                });
            }
        }
    }

    fn arm_place(&self, side: Side) -> &'static str {
        let l = self.s.limb(side);
        let hand = l.fingertips;
        if self.touches(|p| p == Part::Hand(side)) {
            return "on the floor";
        }
        // A forearm on the floor props the body up (sphinx, fish), unless the hand is
        // folded by the head as a pillow, which says more.
        let pillow = l.wrist.distance(self.s.head) < 11.0 && self.elbow_bend(side) > 90.0;
        if self.touches(|p| p == Part::LowerArm(side)) && !pillow {
            return "forearm on the floor";
        }
        // Depth layers say what the outline alone cannot: an arm passing in front of a
        // bent leg and then behind it is wrapped round it, and a hand drawn behind the
        // body is behind the back (clasping the other hand, in a bind).
        let layer = |part: Part| self.figure.layer(part);
        let arm_parts = [Part::UpperArm(side), Part::LowerArm(side), Part::Hand(side)];
        let has = |want: Layer| arm_parts.iter().any(|&p| layer(p) == Some(want));
        let knee_bent = Side::BOTH.into_iter().any(|leg| self.knee_bend(leg) > 45.0);
        if has(Layer::Front) && has(Layer::Back) && knee_bent {
            return "wrapped round the bent knee";
        }
        if layer(Part::Hand(side)) == Some(Layer::Back) {
            return "behind the back";
        }
        // An arm drawn behind the trunk reaches behind the back, unless its hand is
        // folded by the head (propping it up, or the top arm of cow face).
        let folded_by_head = l.wrist.distance(self.s.head) < 11.0 && self.elbow_bend(side) > 90.0;
        if !self.side_view() && self.figure.arms_behind.contains(&side) && !folded_by_head {
            return "behind the back";
        }
        // Seen from the front, hands gathered low in the middle of a seated figure rest
        // in the lap, even over crossed feet.
        let seated = !self.side_view() && self.touches(|p| p == Part::Pelvis);
        if seated
            && self.elbow_bend(side) > 50.0
            && (l.wrist.x - self.s.hips.x).abs() < 12.0
            && l.wrist.y > self.s.hips.y - 2.0
            && l.wrist.y < self.s.waist.y
        {
            return "in the lap";
        }
        // Seated, a hand just above its own knee rests on it (as in a mudra).
        if seated && self.elbow_bend(side) < 60.0 && l.wrist.distance(l.knee) < 11.0 {
            return "on the knee";
        }
        // The palm, halfway from wrist to fingertips, is what holds a foot.
        let palm = Point::new((l.wrist.x + hand.x) / 2.0, (l.wrist.y + hand.y) / 2.0);
        let holds_foot = Side::BOTH.into_iter().any(|f| {
            let fl = self.s.limb(f);
            seg_distance(l.wrist, fl.ankle, fl.toes) < 7.0
                || seg_distance(palm, fl.ankle, fl.toes) < 5.0
        });
        if holds_foot {
            return "holding the foot";
        }
        // A hand on the shin of a deeply bent leg lifted off the floor hugs it in
        // (knees to chest); a shin lying on the floor is only touched in passing.
        let holds_shin = Side::BOTH.into_iter().any(|f| {
            let fl = self.s.limb(f);
            self.knee_bend(f) > 90.0
                && fl.knee.y.min(fl.ankle.y) > 12.0
                && seg_distance(l.wrist, fl.knee, fl.ankle) < 6.0
        });
        if holds_shin {
            return "round the shin";
        }
        // Pointing from the shoulder towards the hips, whatever the body's orientation,
        // is an arm resting along the body.
        let along = from_up(l.shoulder, hand) - from_up(self.s.shoulders, self.s.hips);
        let along = ((along + 540.0).rem_euclid(360.0) - 180.0).abs();
        if along < 30.0 && self.elbow_bend(side) < 40.0 {
            return "by the sides";
        }
        if l.wrist.distance(self.s.head) < 11.0 && self.elbow_bend(side) > 90.0 {
            return "folded by the head";
        }
        let chest_mid = Point::new(
            (self.s.shoulders.x + self.s.waist.x) / 2.0,
            (self.s.shoulders.y + self.s.waist.y) / 2.0,
        );
        // A prayer twist: palms together before the chest, an elbow hooked down
        // outside the knee (revolved chair, revolved side angle).
        let elbow_on_knee = self.side_view()
            && Side::BOTH
                .into_iter()
                .any(|k| l.elbow.distance(self.s.limb(k).knee) < 9.0);
        if elbow_on_knee && self.elbow_bend(side) > 120.0 && l.wrist.distance(chest_mid) < 16.0 {
            return "hooked outside the knee";
        }
        if self.elbow_bend(side) > 80.0 && l.wrist.distance(chest_mid) < 11.0 {
            // In a side view the back of the body is the side away from the front.
            if let Some(up) = self.faces_up_any() {
                let (fx, fy) = up;
                let rel = (l.wrist.x - chest_mid.x) * fx + (l.wrist.y - chest_mid.y) * fy;
                if rel < -3.0 {
                    return "behind the back";
                }
            }
            return "together at the chest";
        }
        let on_thigh = Side::BOTH.into_iter().any(|f| {
            let fl = self.s.limb(f);
            seg_distance(l.wrist, fl.hip, fl.knee) < 8.0
        });
        let reach = aim(l.shoulder, hand);
        let trunk = aim(self.s.hips, self.s.shoulders);
        if reach == trunk && hand.distance(l.shoulder) > 25.0 {
            return "overhead";
        }
        if on_thigh && self.elbow_bend(side) < 60.0 && trunk == Aim::Up {
            return "on the thigh";
        }
        match (reach, self.side_view()) {
            (Aim::Up, _) => "reaching up",
            (Aim::Down, _) if hand.y < self.s.hips.y + 6.0 && trunk == Aim::Up => "by the sides",
            (Aim::Down, _) => "reaching down",
            (Aim::PlusX | Aim::MinusX, false) => {
                let outward = (hand.x - self.s.shoulders.x) * side.outward() > 0.0;
                if outward {
                    "out to the side"
                } else {
                    "across the body"
                }
            }
            (Aim::PlusX, true) => {
                if trunk == Aim::Up || trunk == Aim::PlusX {
                    "reaching forward"
                } else {
                    "reaching back"
                }
            }
            (Aim::MinusX, true) => {
                if trunk == Aim::Up {
                    "reaching back"
                } else {
                    "reaching forward"
                }
            }
        }
    }

    fn props(&self, out: &mut Vec<String>) {
        for prop in &self.figure.props {
            let phrase = match *prop {
                Prop::Block { under } => format!("a block under the {}", self.part(under)),
                Prop::Bolster { under } => format!("a bolster under the {}", self.part(under)),
                Prop::Blanket { under } => format!("a blanket under the {}", self.part(under)),
                Prop::Chair {
                    under: Part::Pelvis,
                    ..
                } => "sitting on a chair".to_owned(),
                Prop::Chair { under, .. } => format!("{} on a chair", self.part(under)),
                Prop::Wall { against, .. } => format!("{} against a wall", self.part(against)),
                Prop::Strap { from, to } => {
                    format!(
                        "a strap from the {} to the {}",
                        self.part(from),
                        self.part(to)
                    )
                }
            };
            out.push(phrase);
        }
    }

    /// A part's name in plain words, with the side as this drawing shows it.
    fn part(&self, part: Part) -> String {
        let base = match part {
            Part::Head => "head",
            Part::Neck => "neck",
            Part::Chest if self.faces_up() == Some(false) => "chest",
            Part::Chest => "upper back",
            Part::Pelvis => "hips",
            Part::UpperArm(_) => "upper arm",
            Part::Elbow(_) => "elbow",
            Part::LowerArm(_) => "forearm",
            Part::Hand(_) => "hand",
            Part::UpperLeg(_) => "thigh",
            Part::Knee(_) => "knee",
            Part::LowerLeg(_) => "shin",
            Part::Foot(_) => "foot",
        };
        match part.side() {
            Some(s) => format!("{} {base}", self.side(s)),
            None => base.to_owned(),
        }
    }
}

/// Distance from `p` to the segment from `a` to `b`.
fn seg_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 < 1e-12 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    p.distance(Point::new(a.x + t * dx, a.y + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Joint;

    #[test]
    fn tree_pose_reads_like_a_teacher() {
        let mut f = Figure::standing("tree-pose", View::Front);
        f.contacts = vec![Part::Foot(Side::Left)];
        f.angles.set(Joint::Hip(Side::Right), 55.0);
        f.angles.set(Joint::Knee(Side::Right), 150.0);
        f.angles.set(Joint::Ankle(Side::Right), 60.0);
        for s in Side::BOTH {
            f.angles.set(Joint::Shoulder(s), 172.0);
        }
        let text = alt_text(&f);
        assert_eq!(
            text,
            "Standing on the left leg, right sole against the inner left thigh, arms overhead"
        );
        let mirrored = alt_text(&f.mirror());
        assert_eq!(
            mirrored,
            "Standing on the right leg, left sole against the inner right thigh, arms overhead"
        );
    }

    #[test]
    fn a_twist_seen_from_above_names_where_the_knees_go() {
        let mut f = Figure::standing("supine-spinal-twist", View::Top);
        f.root.tilt = 90.0;
        f.contacts = vec![Part::Chest, Part::Pelvis];
        for side in Side::BOTH {
            f.angles.set(crate::body::Joint::Shoulder(side), 90.0);
        }
        // The right knee bends and crosses to the figure's left.
        f.angles.set(crate::body::Joint::Hip(Side::Right), -45.0);
        f.angles.set(crate::body::Joint::Knee(Side::Right), -80.0);
        let text = alt_text(&f);
        assert!(
            text.starts_with("Lying on the back, seen from above"),
            "{text}"
        );
        assert!(text.contains("arms out to the sides"), "{text}");
        assert!(
            text.contains("right knee drawn across the body to the left"),
            "{text}"
        );
        assert!(alt_text(&f.mirror()).contains("left knee drawn across the body to the right"));
    }

    #[test]
    fn lying_on_the_back_is_recognised() {
        let mut f = Figure::standing("corpse-pose", View::Side);
        f.root.tilt = -90.0;
        f.contacts = vec![Part::Head, Part::Chest, Part::Pelvis];
        assert!(
            alt_text(&f).starts_with("Lying on the back"),
            "{}",
            alt_text(&f)
        );
    }

    #[test]
    fn seated_hands_on_the_knees_in_the_lap_or_behind_the_back() {
        let mut f = Figure::standing("lotus-pose", View::Front);
        f.contacts = vec![
            Part::Pelvis,
            Part::Knee(Side::Right),
            Part::Knee(Side::Left),
        ];
        f.foreshorten = vec![
            (Part::UpperLeg(Side::Right), 40.0),
            (Part::UpperLeg(Side::Left), 40.0),
        ];
        for side in Side::BOTH {
            f.angles.set(Joint::Hip(side), 81.0);
            f.angles.set(Joint::Knee(side), 180.0);
            f.angles.set(Joint::Shoulder(side), 22.5);
            f.angles.set(Joint::Elbow(side), -10.0);
        }
        assert!(
            alt_text(&f).contains("hands resting on the knees"),
            "{}",
            alt_text(&f)
        );
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 12.0);
            f.angles.set(Joint::Elbow(side), 72.0);
        }
        assert!(
            alt_text(&f).contains("hands resting in the lap"),
            "{}",
            alt_text(&f)
        );
        f.arms_behind = vec![Side::Right, Side::Left];
        assert!(
            alt_text(&f).contains("hands joined behind the back"),
            "{}",
            alt_text(&f)
        );
    }

    #[test]
    fn forearms_on_the_floor_prop_the_body_unless_they_pillow_the_head() {
        let mut f = Figure::standing("sphinx-pose", View::Side);
        f.root.tilt = 86.0;
        f.angles.set(Joint::Spine, -44.0);
        f.contacts = vec![
            Part::Pelvis,
            Part::LowerLeg(Side::Right),
            Part::LowerLeg(Side::Left),
            Part::LowerArm(Side::Right),
            Part::LowerArm(Side::Left),
        ];
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 45.0);
            f.angles.set(Joint::Elbow(side), 90.0);
            f.angles.set(Joint::Ankle(side), 90.0);
        }
        assert!(
            alt_text(&f).contains("forearms on the floor"),
            "{}",
            alt_text(&f)
        );
        let mut pillow = f.clone();
        for side in Side::BOTH {
            pillow.angles.set(Joint::Shoulder(side), 150.0);
            pillow.angles.set(Joint::Elbow(side), 140.0);
        }
        assert!(
            !alt_text(&pillow).contains("forearms on the floor"),
            "{}",
            alt_text(&pillow)
        );
    }

    /// A side-view figure lying on its back, resting on head, chest and pelvis.
    fn on_the_back(slug: &str) -> Figure {
        let mut f = Figure::standing(slug, View::Side);
        f.root.tilt = -86.5;
        f.contacts = vec![Part::Head, Part::Chest, Part::Pelvis];
        f
    }

    #[test]
    fn hands_on_lifted_shins_hug_the_knees_in() {
        let mut f = on_the_back("knees-to-chest-pose");
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 38.0);
            f.angles.set(Joint::Elbow(side), 20.0);
            f.angles.set(Joint::Hip(side), 123.5);
            f.angles.set(Joint::Knee(side), 120.0);
        }
        let text = alt_text(&f);
        assert!(text.contains("hands round the shins"), "{text}");
        // The same arms with the legs stretched out reach up instead.
        let mut legs_long = f.clone();
        for side in Side::BOTH {
            legs_long.angles.set(Joint::Hip(side), 0.0);
            legs_long.angles.set(Joint::Knee(side), 0.0);
        }
        let text = alt_text(&legs_long);
        assert!(!text.contains("shin"), "{text}");
    }

    #[test]
    fn a_shin_crossed_over_the_other_thigh_reads_as_a_figure_four() {
        let mut f = on_the_back("eye-of-the-needle-pose");
        f.angles.set(Joint::Hip(Side::Left), 113.5);
        f.angles.set(Joint::Knee(Side::Left), 110.0);
        f.angles.set(Joint::Hip(Side::Right), 63.5);
        f.angles.set(Joint::Knee(Side::Right), -123.0);
        f.layers.push((Part::LowerLeg(Side::Right), Layer::Front));
        let text = alt_text(&f);
        assert!(
            text.contains("right ankle crossed over the left thigh"),
            "{text}"
        );
        // Without the layer that draws the shin across, it is not claimed.
        let mut unlayered = f.clone();
        unlayered.layers.clear();
        let text = alt_text(&unlayered);
        assert!(!text.contains("crossed"), "{text}");
        // Nor for a shin folded back on the floor beside its thigh (reclining hero),
        // drawn in front but with the knee down.
        let mut folded = f.clone();
        for side in Side::BOTH {
            folded.angles.set(Joint::Hip(side), 0.0);
            folded.angles.set(Joint::Knee(side), 173.0);
            folded.angles.set(Joint::Ankle(side), 90.0);
        }
        folded.contacts = vec![
            Part::Head,
            Part::Chest,
            Part::Pelvis,
            Part::LowerLeg(Side::Right),
            Part::LowerLeg(Side::Left),
        ];
        let text = alt_text(&folded);
        assert!(!text.contains("crossed"), "{text}");
    }

    #[test]
    fn a_prayer_twist_hooks_an_elbow_outside_the_knee() {
        let mut f = Figure::standing("revolved-chair-pose", View::Side);
        f.root.tilt = 66.0;
        f.contacts = vec![Part::Foot(Side::Right), Part::Foot(Side::Left)];
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 55.0);
            f.angles.set(Joint::Elbow(side), 155.0);
            f.angles.set(Joint::Wrist(side), -30.0);
            f.angles.set(Joint::Hip(side), 126.0);
            f.angles.set(Joint::Knee(side), 100.0);
            f.angles.set(Joint::Ankle(side), -35.0);
        }
        let text = alt_text(&f);
        assert!(text.contains("elbow hooked outside the knee"), "{text}");
        // Standing tall, the same folded arms are not near a knee.
        let mut upright = f.clone();
        upright.root.tilt = 0.0;
        for side in Side::BOTH {
            upright.angles.set(Joint::Hip(side), 0.0);
            upright.angles.set(Joint::Knee(side), 0.0);
            upright.angles.set(Joint::Ankle(side), 0.0);
        }
        let text = alt_text(&upright);
        assert!(!text.contains("hooked"), "{text}");
    }

    #[test]
    fn both_feet_past_one_hip_are_legs_folded_to_that_side() {
        let mut f = Figure::standing("bharadvajas-twist", View::Front);
        f.contacts = vec![
            Part::Pelvis,
            Part::LowerLeg(Side::Right),
            Part::LowerLeg(Side::Left),
        ];
        f.foreshorten = vec![
            (Part::UpperLeg(Side::Right), 75.0),
            (Part::UpperLeg(Side::Left), 75.0),
            (Part::LowerLeg(Side::Right), 30.0),
            (Part::LowerLeg(Side::Left), 30.0),
        ];
        f.angles.set(Joint::Hip(Side::Right), -60.0);
        f.angles.set(Joint::Knee(Side::Right), 26.0);
        f.angles.set(Joint::Hip(Side::Left), 60.0);
        f.angles.set(Joint::Knee(Side::Left), -26.0);
        let text = alt_text(&f);
        assert!(text.contains("legs folded to the left"), "{text}");
        assert!(
            alt_text(&f.mirror()).contains("legs folded to the right"),
            "{}",
            alt_text(&f.mirror())
        );
    }

    #[test]
    fn a_side_plank_with_a_leg_hooked_behind_the_head() {
        let mut f = Figure::standing("destroyer-of-the-universe-pose", View::Front);
        f.root.tilt = 68.0;
        f.contacts = vec![Part::Hand(Side::Right), Part::Foot(Side::Left)];
        f.angles.set(Joint::Shoulder(Side::Right), 90.7);
        f.angles.set(Joint::Shoulder(Side::Left), 90.0);
        f.angles.set(Joint::Hip(Side::Right), 150.0);
        f.angles.set(Joint::Knee(Side::Right), -75.0);
        f.angles.set(Joint::Hip(Side::Left), -36.0);
        f.layers = vec![(Part::LowerLeg(Side::Right), Layer::Back)];
        let text = alt_text(&f);
        // The slanting left leg is the plank's long line, not a leg standing plumb.
        assert!(text.contains("Side plank on the right hand"), "{text}");
        assert!(text.contains("right leg behind the head"), "{text}");
        // Drawn in front of the body, the same shin is only a bent knee.
        f.layers.clear();
        let text = alt_text(&f);
        assert!(!text.contains("behind the head"), "{text}");
    }

    #[test]
    fn a_high_bow_still_lies_on_the_front() {
        let mut f = Figure::standing("bow-pose", View::Side);
        f.root.tilt = 90.0;
        f.contacts = vec![Part::Pelvis];
        f.angles.set(Joint::Spine, -30.0);
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), -57.0);
            f.angles.set(Joint::Hip(side), -35.0);
            f.angles.set(Joint::Knee(side), 105.0);
        }
        let text = alt_text(&f);
        assert!(text.starts_with("Lying on the front"), "{text}");
    }

    #[test]
    fn a_palm_on_the_sole_holds_the_foot_even_with_the_wrist_short_of_it() {
        // Happy baby: straight arms reach up to the soles of the lifted feet.
        let mut f = on_the_back("happy-baby-pose");
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 80.0);
            f.angles.set(Joint::Hip(side), 145.0);
            f.angles.set(Joint::Knee(side), 55.0);
        }
        let text = alt_text(&f);
        assert!(text.contains("hands holding the feet"), "{text}");
        // Arms by the sides hold nothing.
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 0.0);
        }
        let text = alt_text(&f);
        assert!(!text.contains("holding"), "{text}");
    }

    #[test]
    fn hands_down_with_the_hips_on_the_heels_is_not_all_fours() {
        let mut f = Figure::standing("table-top", View::Side);
        f.root.tilt = 90.0;
        f.contacts = vec![
            Part::LowerLeg(Side::Right),
            Part::LowerLeg(Side::Left),
            Part::Hand(Side::Right),
            Part::Hand(Side::Left),
        ];
        for side in Side::BOTH {
            f.angles.set(Joint::Shoulder(side), 90.0);
            f.angles.set(Joint::Hip(side), 90.0);
            f.angles.set(Joint::Knee(side), 90.0);
            f.angles.set(Joint::Ankle(side), 90.0);
        }
        let text = alt_text(&f).to_lowercase();
        assert!(text.contains("on hands and knees"), "{text}");
        // Hips sat back over the heels, chest forward: a child's pose, hands reaching on.
        let mut child = f.clone();
        child.root.tilt = 65.0;
        child.angles.set(Joint::Spine, 19.0);
        for side in Side::BOTH {
            child.angles.set(Joint::Shoulder(side), 134.0);
            child.angles.set(Joint::Elbow(side), 30.0);
            child.angles.set(Joint::Hip(side), 133.0);
            child.angles.set(Joint::Knee(side), 153.0);
        }
        let text = alt_text(&child);
        assert!(!text.contains("hands and knees"), "{text}");
        assert!(text.contains("sitting back on the heels"), "{text}");
    }

    #[test]
    fn depth_layers_read_as_a_wrapped_arm_and_a_hand_behind_the_back() {
        // Marichi's pose III: the far arm hooks the bent knee, the near hand is behind.
        let mut f = Figure::standing("marichis-pose-iii", View::Side);
        f.contacts = vec![Part::Pelvis];
        f.angles.set(Joint::Hip(Side::Right), 140.0);
        f.angles.set(Joint::Knee(Side::Right), 125.0);
        f.angles.set(Joint::Hip(Side::Left), 85.0);
        f.angles.set(Joint::Shoulder(Side::Left), 44.0);
        f.angles.set(Joint::Elbow(Side::Left), -60.0);
        f.angles.set(Joint::Shoulder(Side::Right), -45.0);
        f.angles.set(Joint::Elbow(Side::Right), 90.0);
        f.layers = vec![
            (Part::UpperArm(Side::Left), Layer::Front),
            (Part::LowerArm(Side::Left), Layer::Back),
            (Part::Hand(Side::Left), Layer::Back),
            (Part::Hand(Side::Right), Layer::Back),
        ];
        let text = alt_text(&f);
        assert!(
            text.contains("left arm wrapped round the bent knee"),
            "{text}"
        );
        assert!(text.contains("right arm behind the back"), "{text}");
        // The mirror names the other sides.
        let text = alt_text(&f.mirror());
        assert!(
            text.contains("right arm wrapped round the bent knee"),
            "{text}"
        );
    }
}
