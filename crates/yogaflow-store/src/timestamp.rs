//! Timestamps are stored as unix microseconds (`BIGINT`/`INTEGER`) on both
//! databases: text timestamps in SQLite do not sort chronologically when their
//! fraction length varies, and one representation keeps one SQL text.

use time::OffsetDateTime;

pub fn to_micros(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

pub fn from_micros(us: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn round_trips_to_the_microsecond() {
        let t = datetime!(2026-11-28 10:00:05.123456 UTC);
        assert_eq!(from_micros(to_micros(t)), t);
    }
}
