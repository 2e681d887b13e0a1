//! Pose figures drawn from one articulated body model.
//!
//! A [`Figure`] describes a pose as data: the view (side, front, top for poses that
//! lie on the back on the mat, top-side for poses done lying on one side), the root tilt
//! (and, in a front view, how far the trunk pitches towards the viewer), an angle for
//! every joint, the parts that rest on the floor, and the props. A front view may also
//! foreshorten limb segments that point at the viewer (the thighs of a lotus), draw arms
//! behind the trunk (hands behind the back) and legs in front of it (a leg lifted in
//! front of the body). From it this crate computes
//! every joint position ([`Skeleton::forward`]), rests the figure on its contacts
//! ([`ground`]), draws a friendly SVG that passes a strict CSP ([`render_svg`]), writes
//! alt text by rules ([`alt_text`]), checks plausibility ([`check`]), mirrors sided poses
//! ([`mirror`]) and blends two poses for animation ([`interpolate`]).
//!
//! Files: `body` (joints, parts, proportions, limits), `figure` (the description,
//! mirroring, interpolation), `kinematics` (forward kinematics and grounding), `props`
//! (prop sizes and placement), `scene` (drawing order, fitting, exact mirroring),
//! `render` (SVG text and the site stylesheet), `alt` (alt text rules), `check`
//! (plausibility), `loader` (figure files), `sheet` (the review page), `fit` (an
//! authoring aid that settles contacts onto the floor).

mod alt;
mod body;
mod check;
mod figure;
mod fit;
mod kinematics;
mod loader;
mod props;
mod render;
mod scene;
mod sheet;

pub use alt::alt_text;
pub use body::{JOINT_COUNT, Joint, Part, Side, View, length, radius};
pub use check::{
    CONTACT_TOLERANCE, Problem, check, check_grounding, check_joint_limits, check_torso_crossing,
};
pub use figure::{
    Figure, JointAngles, Layer, PITCH_RANGE, Prop, Root, Toward, interpolate, mirror,
};
pub use fit::settle_contacts;
pub use kinematics::{Capsule, Grounded, Limbs, Point, Skeleton, ground, support_height};
pub use loader::{
    FigureError, FigureErrors, description_toml, load_figures, parse_description, parse_figure,
    to_toml,
};
pub use props::{
    BLANKET_HEIGHT, BLANKET_WIDTH, BLOCK_HEIGHT, BLOCK_WIDTH, BOLSTER_HEIGHT, BOLSTER_WIDTH,
    SEAT_HEIGHT, WALL_THICKNESS,
};
pub use render::{FIGURE_CSS, render_svg, render_svg_titled, scene_to_svg};
pub use scene::{Paint, Scene, Shape, VIEW_HEIGHT, VIEW_WIDTH};
pub use sheet::render_contact_sheet;
