//! The pose and sequence catalog: its vocabulary, its records and the rules that
//! keep them sensible.

pub mod enums;
pub mod pose;
pub mod pose_figure;
pub mod query;
pub mod related;
pub mod sequence;

pub use enums::{
    Category, ContentAction, ContentKind, Difficulty, FocusArea, HoldUnit, Prop, Side, Style,
    TargetArea,
};
pub use pose::{Hold, Pose, PoseDraft, slugify};
pub use pose_figure::{MAX_FIGURE_CHARS, canonical_figure, parse_figure_text, read_figure};
pub use query::{Page, PoseQuery, SequenceQuery};
pub use sequence::{Sequence, SequenceDraft, SequenceSlot, SlotDraft};
