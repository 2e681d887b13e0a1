//! Closed vocabularies. Wire values are YogaFlow 1.0's lowercase strings, so 1.0
//! clients keep working; the same strings are stored in the database.

use std::fmt;

/// Declares a closed vocabulary with its wire strings, in a stable order.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order the API lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire and storage spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Reads a wire spelling; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown value `{s}`, expected one of: {}",
                        $name::expected()
                    ))
                })
            }
        }
    };
}

vocabulary! {
    /// 1.0's `PoseCategory`.
    Category {
        Standing = "standing",
        Seated = "seated",
        Balancing = "balancing",
        Backbends = "backbends",
        ForwardBends = "forward_bends",
        Twists = "twists",
        Inversions = "inversions",
        ArmBalances = "arm_balances",
        Restorative = "restorative",
    }
}

vocabulary! {
    /// 1.0's `DifficultyLevel`, also used for a user's experience level.
    Difficulty {
        Beginner = "beginner",
        Intermediate = "intermediate",
        Advanced = "advanced",
    }
}

impl Difficulty {
    /// Beginner 0, intermediate 1, advanced 2: the order used by related poses
    /// and by the "sequence level is at least its hardest pose" rule.
    pub fn rank(self) -> u8 {
        match self {
            Difficulty::Beginner => 0,
            Difficulty::Intermediate => 1,
            Difficulty::Advanced => 2,
        }
    }
}

vocabulary! {
    /// 1.0's `FocusArea` of a sequence.
    FocusArea {
        Flexibility = "flexibility",
        Strength = "strength",
        Relaxation = "relaxation",
        Balance = "balance",
        Core = "core",
        Energy = "energy",
    }
}

vocabulary! {
    /// 1.0's `YogaStyle`.
    Style {
        Vinyasa = "vinyasa",
        Yin = "yin",
        Restorative = "restorative",
        Hatha = "hatha",
        Power = "power",
        Gentle = "gentle",
    }
}

vocabulary! {
    /// The body areas a pose works; 20 tokens agreed in the content guide.
    TargetArea {
        Neck = "neck",
        Shoulders = "shoulders",
        Chest = "chest",
        UpperBack = "upper-back",
        LowerBack = "lower-back",
        Spine = "spine",
        SideBody = "side-body",
        Core = "core",
        Arms = "arms",
        Wrists = "wrists",
        Hips = "hips",
        HipFlexors = "hip-flexors",
        Groin = "groin",
        Glutes = "glutes",
        Quadriceps = "quadriceps",
        Hamstrings = "hamstrings",
        Calves = "calves",
        Ankles = "ankles",
        Feet = "feet",
        FullBody = "full-body",
    }
}

vocabulary! {
    /// Optional aids; the mat is implied.
    Prop {
        Block = "block",
        Strap = "strap",
        Bolster = "bolster",
        Blanket = "blanket",
        Wall = "wall",
        Chair = "chair",
        EyePillow = "eye-pillow",
        Sandbag = "sandbag",
    }
}

vocabulary! {
    /// Which side a slot of a sided pose is practised on.
    Side {
        Right = "right",
        Left = "left",
    }
}

vocabulary! {
    /// How a pose's default hold is counted.
    HoldUnit {
        Seconds = "seconds",
        Breaths = "breaths",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_spellings_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Category::ALL.len(), 9);
        assert_eq!(TargetArea::ALL.len(), 20);
        assert_eq!(Style::parse("ashtanga"), None);
    }
}

vocabulary! {
    /// What a `content_history` row is about.
    ContentKind {
        Pose = "pose",
        Sequence = "sequence",
    }
}

vocabulary! {
    /// What an admin did to a library record.
    ContentAction {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Restore = "restore",
    }
}
