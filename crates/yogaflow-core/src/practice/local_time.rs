//! Days belong to the user's own time zone: a session at 23:30 in Tokyo counts for
//! that Tokyo day, whatever the server's clock says.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use time::OffsetDateTime;

/// An IANA time zone, from the tz database compiled into the binary.
#[derive(Clone, Debug)]
pub struct Zone(TimeZone);

impl Zone {
    /// `None` for names that are not IANA zones.
    pub fn parse(name: &str) -> Option<Zone> {
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        TimeZone::get(name).ok().map(Zone)
    }

    pub fn utc() -> Zone {
        Zone(TimeZone::UTC)
    }

    fn zoned(&self, t: OffsetDateTime) -> Option<jiff::Zoned> {
        let ts = jiff::Timestamp::from_second(t.unix_timestamp()).ok()?;
        Some(ts.to_zoned(self.0.clone()))
    }

    /// The local calendar date of an instant.
    pub fn date(&self, t: OffsetDateTime) -> Date {
        self.zoned(t)
            .map_or(Date::constant(1970, 1, 1), |z| z.date())
    }

    /// The local hour (0-23) of an instant.
    pub fn hour(&self, t: OffsetDateTime) -> u8 {
        self.zoned(t)
            .map_or(0, |z| u8::try_from(z.hour()).unwrap_or(0))
    }

    /// The first instant of a local date, as UTC (for date-range filters).
    pub fn start_of(&self, date: Date) -> Option<OffsetDateTime> {
        let zoned = date.to_zoned(self.0.clone()).ok()?;
        OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn late_evening_in_tokyo_is_still_that_tokyo_day() {
        let tokyo = Zone::parse("Asia/Tokyo").unwrap_or_else(Zone::utc);
        // 23:30 in Tokyo on 10 March is 14:30 UTC the same day.
        let t = datetime!(2026-03-10 14:30 UTC);
        assert_eq!(tokyo.date(t), Date::constant(2026, 3, 10));
        // 00:30 in Tokyo on 11 March is 15:30 UTC on 10 March.
        let t = datetime!(2026-03-10 15:30 UTC);
        assert_eq!(tokyo.date(t), Date::constant(2026, 3, 11));
        assert_eq!(Zone::utc().date(t), Date::constant(2026, 3, 10));
        assert!(Zone::parse("Mars/Olympus").is_none());
    }
}
