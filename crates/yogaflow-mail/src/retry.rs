//! When a failed message is tried again, and when the worker stops trying.
//!
//! The delays grow quickly so a mail server that is down for a while is not
//! hammered, then settle at six hours so a long outage is still ridden out:
//! twenty attempts span about four days.

use time::Duration;

/// Failed deliveries after which a message is abandoned (and an error logged).
pub const MAX_ATTEMPTS: u32 = 20;

/// How long to wait after the `failures`-th failed delivery of a message.
pub fn retry_delay(failures: u32) -> Duration {
    match failures {
        0 | 1 => Duration::seconds(5),
        2 => Duration::seconds(30),
        3 => Duration::minutes(2),
        4 => Duration::minutes(10),
        5 => Duration::hours(1),
        _ => Duration::hours(6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_settle_at_six_hours() {
        let delays: Vec<_> = (1..=7).map(retry_delay).collect();
        assert_eq!(
            delays,
            [
                Duration::seconds(5),
                Duration::seconds(30),
                Duration::minutes(2),
                Duration::minutes(10),
                Duration::hours(1),
                Duration::hours(6),
                Duration::hours(6),
            ]
        );
        assert_eq!(retry_delay(MAX_ATTEMPTS), Duration::hours(6));
    }
}
