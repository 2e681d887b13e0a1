//! The pose and sequence catalog: its vocabulary, its records and the rules that
//! keep them sensible.

pub mod enums;
pub mod pose;
pub mod query;
pub mod related;
pub mod sequence;

pub use enums::{
    Category, ContentAction, ContentKind, Difficulty, FocusArea, HoldUnit, Prop, Side, Style,
    TargetArea,
};
pub use pose::{Hold, Pose, PoseDraft, slugify};
pub use query::{Page, PoseQuery, SequenceQuery};
pub use sequence::{Sequence, SequenceDraft, SequenceSlot, SlotDraft};
