//! The practice-session state machine: a session starts in progress (it may be
//! paused and resumed), and ends exactly once, as completed, partial or
//! abandoned. An ended session never changes again.

use crate::error::FieldError;
use time::OffsetDateTime;

/// Longest session we record: four hours (1.0's bound).
pub const MAX_DURATION_SECONDS: u32 = 4 * 60 * 60;
/// Slack between the client's timer and our clock, so honest clients are never refused.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 120;

macro_rules! wire_enum {
    ($name:ident { $($v:ident = $s:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$v),)+ _ => None } }
        }
    };
}

wire_enum!(SessionKind {
    Sequence = "sequence",
    Free = "free",
    Breathing = "breathing",
    Meditation = "meditation",
});

wire_enum!(SessionStatus {
    InProgress = "in_progress",
    Completed = "completed",
    Partial = "partial",
    Abandoned = "abandoned",
});

impl SessionStatus {
    /// Days with such a session count for streaks, calendars and goals.
    pub fn counts_as_practice(self) -> bool {
        matches!(self, SessionStatus::Completed | SessionStatus::Partial)
    }
}

/// The final status of a session closed with `requested` after `duration`
/// seconds: one closed before its end is kept as partial when at least half of
/// the planned time was practised (1.0's REQ-PS-021), otherwise abandoned.
pub fn final_status(
    requested: SessionStatus,
    duration: u32,
    planned: Option<u32>,
) -> SessionStatus {
    match requested {
        SessionStatus::Completed | SessionStatus::InProgress => SessionStatus::Completed,
        SessionStatus::Partial | SessionStatus::Abandoned => match planned {
            Some(p) if p > 0 && u64::from(duration) * 2 >= u64::from(p) => SessionStatus::Partial,
            Some(_) => SessionStatus::Abandoned,
            None => requested,
        },
    }
}

/// Checks a reported duration: 0 to 4 hours, and no longer than the time since
/// the session started (plus a small tolerance).
///
/// # Errors
/// A `FieldError` on `field`.
pub fn check_duration(
    duration: i64,
    started_at: OffsetDateTime,
    now: OffsetDateTime,
    field: &str,
) -> Result<u32, FieldError> {
    if !(0..=i64::from(MAX_DURATION_SECONDS)).contains(&duration) {
        return Err(FieldError::new(
            "body",
            field,
            "out_of_range",
            format!("{field} must be between 0 and {MAX_DURATION_SECONDS}"),
        ));
    }
    let elapsed = (now - started_at).whole_seconds();
    if duration > elapsed + CLOCK_TOLERANCE_SECONDS {
        return Err(FieldError::new(
            "body",
            field,
            "out_of_range",
            format!("{field} cannot be longer than the time since the session started"),
        ));
    }
    u32::try_from(duration)
        .map_err(|_| FieldError::new("body", field, "out_of_range", "duration is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn early_exits_keep_the_practice_when_half_was_done() {
        assert_eq!(
            final_status(SessionStatus::Abandoned, 300, Some(600)),
            SessionStatus::Partial
        );
        assert_eq!(
            final_status(SessionStatus::Abandoned, 299, Some(600)),
            SessionStatus::Abandoned
        );
        assert_eq!(
            final_status(SessionStatus::Partial, 100, Some(600)),
            SessionStatus::Abandoned
        );
        assert_eq!(
            final_status(SessionStatus::Completed, 10, Some(600)),
            SessionStatus::Completed
        );
        assert_eq!(
            final_status(SessionStatus::Partial, 10, None),
            SessionStatus::Partial
        );
    }

    #[test]
    fn durations_are_bounded_by_the_clock() {
        let start = datetime!(2026-01-01 10:00 UTC);
        let now = datetime!(2026-01-01 10:10 UTC);
        assert!(check_duration(600, start, now, "d").is_ok());
        assert!(
            check_duration(720, start, now, "d").is_ok(),
            "within tolerance"
        );
        assert!(check_duration(900, start, now, "d").is_err());
        assert!(check_duration(-1, start, now, "d").is_err());
        assert!(check_duration(14_401, start, datetime!(2026-01-02 10:00 UTC), "d").is_err());
    }
}
