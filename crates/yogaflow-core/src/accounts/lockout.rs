//! Login lockout that protects an account without handing attackers a way to lock
//! its owner out.
//!
//! Failures are counted per normalised email (whether or not an account exists, so
//! the answer never reveals which emails are registered) and, separately, per
//! recognised device (a signed cookie from an earlier successful sign-in). After
//! [`EMAIL_THRESHOLD`] consecutive failures, attempts for that email from
//! unrecognised clients are refused for [`LOCK_DURATION`], whatever the password.
//! A recognised device has its own counter, so an attacker's failures never lock
//! the owner's own browser; password reset always works and clears both.

use time::{Duration, OffsetDateTime};

pub const EMAIL_THRESHOLD: u32 = 5;
pub const DEVICE_THRESHOLD: u32 = 10;
pub const LOCK_DURATION: Duration = Duration::minutes(15);

/// The stored counter for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    pub failures: u32,
    pub locked_until: Option<OffsetDateTime>,
}

impl Counter {
    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }

    /// The counter after one more failure at `now`; `threshold` failures in a row
    /// lock the key. Attempts refused while locked are not counted (they never
    /// reach this function), so a lock cannot be extended forever by an attacker.
    pub fn after_failure(self, now: OffsetDateTime, threshold: u32) -> Counter {
        let failures = self.failures.saturating_add(1);
        if failures >= threshold {
            Counter {
                failures: 0,
                locked_until: Some(now + LOCK_DURATION),
            }
        } else {
            Counter {
                failures,
                locked_until: self.locked_until.filter(|t| *t > now),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let now = datetime!(2026-01-01 10:00 UTC);
        let mut c = Counter::default();
        for _ in 0..4 {
            c = c.after_failure(now, EMAIL_THRESHOLD);
            assert!(!c.is_locked(now));
        }
        c = c.after_failure(now, EMAIL_THRESHOLD);
        assert!(c.is_locked(now));
        assert!(c.is_locked(now + Duration::minutes(14)));
        assert!(!c.is_locked(now + Duration::minutes(15)));
    }
}
