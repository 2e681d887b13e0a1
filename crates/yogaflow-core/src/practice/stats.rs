//! Statistics, streaks and calendars computed from a user's sessions, in the
//! user's time zone. Pure functions over plain facts, so every rule is tested
//! without a database and both databases give the same answers.

use super::local_time::Zone;
use super::session::SessionStatus;
use jiff::ToSpan as _;
use jiff::civil::{Date, Weekday};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use time::OffsetDateTime;

/// What statistics need to know about one session.
#[derive(Debug, Clone)]
pub struct SessionFact {
    pub started_at: OffsetDateTime,
    pub duration_seconds: u32,
    pub status: SessionStatus,
    pub sequence: Option<(i64, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Sessions that count as practice (completed or partial).
    pub total_sessions: u32,
    pub completed_sessions: u32,
    pub partial_sessions: u32,
    pub total_practice_time_seconds: u64,
    pub average_session_duration_seconds: u64,
    pub current_streak_days: u32,
    pub best_streak_days: u32,
    /// Completed sessions among all ended ones, in percent.
    pub completion_rate_percentage: f64,
    pub sessions_last_30_days: u32,
    /// `(sequence id, name, times practised)`, most first, at most 10.
    pub most_practiced_sequences: Vec<(i64, String, u32)>,
    /// `(Monday of the week, minutes)`, oldest first, the last 12 weeks.
    pub minutes_per_week: Vec<(Date, u32)>,
    /// Sessions per weekday, Monday first.
    pub sessions_by_weekday: [u32; 7],
    /// Sessions by local time of day: morning (5-12), afternoon (12-17),
    /// evening (17-22), night (22-5).
    pub sessions_by_time_of_day: [u32; 4],
}

/// `(current, best)` streak lengths in days. The current streak is the run of
/// consecutive practice days ending today or yesterday (a day not yet practised
/// does not break it before it is over).
pub fn streaks(days: &BTreeSet<Date>, today: Date) -> (u32, u32) {
    let mut best = 0u32;
    let mut run = 0u32;
    let mut previous: Option<Date> = None;
    for day in days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(*day) => run + 1,
            _ => 1,
        };
        best = best.max(run);
        previous = Some(*day);
    }
    let yesterday = today.yesterday().unwrap_or(today);
    let current = match days.iter().next_back() {
        Some(last) if *last == today || *last == yesterday => {
            let mut n = 0u32;
            let mut d = *last;
            while days.contains(&d) {
                n += 1;
                match d.yesterday() {
                    Ok(y) => d = y,
                    Err(_) => break,
                }
            }
            n
        }
        _ => 0,
    };
    (current, best)
}

fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

fn weekday_index(w: Weekday) -> usize {
    usize::try_from(w.to_monday_zero_offset()).unwrap_or(0)
}

fn time_of_day(hour: u8) -> usize {
    match hour {
        5..=11 => 0,
        12..=16 => 1,
        17..=21 => 2,
        _ => 3,
    }
}

/// Statistics of `facts` as of `now`, in `zone`.
pub fn compute(facts: &[SessionFact], zone: &Zone, now: OffsetDateTime) -> Stats {
    let mut s = Stats::default();
    let today = zone.date(now);
    let mut days = BTreeSet::new();
    let mut ended = 0u32;
    let mut per_sequence: HashMap<i64, (String, u32)> = HashMap::new();
    let this_monday = monday_of(today);
    let first_week = this_monday.checked_sub(77.days()).unwrap_or(this_monday);
    let mut weeks: BTreeMap<Date, u32> = (0..12)
        .filter_map(|i| first_week.checked_add((7 * i).days()).ok())
        .map(|d| (d, 0))
        .collect();
    let thirty_days_ago = now - time::Duration::days(30);
    for f in facts {
        if f.status != SessionStatus::InProgress {
            ended += 1;
        }
        if !f.status.counts_as_practice() {
            continue;
        }
        s.total_sessions += 1;
        match f.status {
            SessionStatus::Completed => s.completed_sessions += 1,
            _ => s.partial_sessions += 1,
        }
        s.total_practice_time_seconds += u64::from(f.duration_seconds);
        let day = zone.date(f.started_at);
        days.insert(day);
        if f.started_at >= thirty_days_ago {
            s.sessions_last_30_days += 1;
        }
        if let Some(minutes) = weeks.get_mut(&monday_of(day)) {
            *minutes += f.duration_seconds / 60;
        }
        s.sessions_by_weekday[weekday_index(day.weekday())] += 1;
        s.sessions_by_time_of_day[time_of_day(zone.hour(f.started_at))] += 1;
        if let Some((id, name)) = &f.sequence {
            per_sequence
                .entry(*id)
                .or_insert_with(|| (name.clone(), 0))
                .1 += 1;
        }
    }
    if s.total_sessions > 0 {
        s.average_session_duration_seconds =
            s.total_practice_time_seconds / u64::from(s.total_sessions);
    }
    if ended > 0 {
        s.completion_rate_percentage =
            (f64::from(s.completed_sessions) * 10_000.0 / f64::from(ended)).round() / 100.0;
    }
    (s.current_streak_days, s.best_streak_days) = streaks(&days, today);
    let mut sequences: Vec<(i64, String, u32)> = per_sequence
        .into_iter()
        .map(|(id, (name, n))| (id, name, n))
        .collect();
    sequences.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.0.cmp(&b.0))
    });
    sequences.truncate(10);
    s.most_practiced_sequences = sequences;
    s.minutes_per_week = weeks.into_iter().collect();
    s
}

/// One local day of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotal {
    pub date: Date,
    pub session_count: u32,
    pub total_duration_seconds: u64,
}

/// Practice per local day between `from` and `to` (inclusive), days without
/// practice left out, oldest first.
pub fn calendar(facts: &[SessionFact], zone: &Zone, from: Date, to: Date) -> Vec<DayTotal> {
    let mut days: BTreeMap<Date, DayTotal> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.status.counts_as_practice()) {
        let date = zone.date(f.started_at);
        if date < from || date > to {
            continue;
        }
        let d = days.entry(date).or_insert(DayTotal {
            date,
            session_count: 0,
            total_duration_seconds: 0,
        });
        d.session_count += 1;
        d.total_duration_seconds += u64::from(f.duration_seconds);
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn fact(at: OffsetDateTime, minutes: u32, status: SessionStatus) -> SessionFact {
        SessionFact {
            started_at: at,
            duration_seconds: minutes * 60,
            status,
            sequence: Some((1, "Morning".into())),
        }
    }

    #[test]
    fn streaks_count_consecutive_local_days() {
        let d = |day| Date::constant(2026, 3, day);
        let days: BTreeSet<Date> = [d(1), d(2), d(3), d(5), d(6)].into_iter().collect();
        assert_eq!(streaks(&days, d(6)), (2, 3));
        assert_eq!(streaks(&days, d(7)), (2, 3), "yesterday still counts");
        assert_eq!(streaks(&days, d(8)), (0, 3), "a missed full day breaks it");
        assert_eq!(streaks(&BTreeSet::new(), d(8)), (0, 0));
    }

    #[test]
    fn a_late_session_in_tokyo_counts_for_the_tokyo_day() {
        let tokyo = Zone::parse("Asia/Tokyo").unwrap_or_else(Zone::utc);
        // 23:30 Tokyo on 9 and 10 March (14:30 UTC), checked at 09:00 Tokyo on 11 March.
        let facts = vec![
            fact(
                datetime!(2026-03-09 14:30 UTC),
                20,
                SessionStatus::Completed,
            ),
            fact(datetime!(2026-03-10 14:30 UTC), 20, SessionStatus::Partial),
        ];
        let s = compute(&facts, &tokyo, datetime!(2026-03-11 00:00 UTC));
        assert_eq!(s.current_streak_days, 2);
        assert_eq!(s.sessions_by_time_of_day, [0, 0, 0, 2], "23:30 is night");
        let utc = compute(&facts, &Zone::utc(), datetime!(2026-03-11 00:00 UTC));
        assert_eq!(
            utc.sessions_by_time_of_day,
            [0, 2, 0, 0],
            "14:30 UTC is afternoon"
        );
    }

    #[test]
    fn totals_and_rates() {
        let facts = vec![
            fact(
                datetime!(2026-03-02 08:00 UTC),
                30,
                SessionStatus::Completed,
            ),
            fact(datetime!(2026-03-03 08:00 UTC), 10, SessionStatus::Partial),
            fact(datetime!(2026-03-04 08:00 UTC), 5, SessionStatus::Abandoned),
            fact(
                datetime!(2026-03-05 08:00 UTC),
                0,
                SessionStatus::InProgress,
            ),
        ];
        let s = compute(&facts, &Zone::utc(), datetime!(2026-03-05 09:00 UTC));
        assert_eq!(
            (s.total_sessions, s.completed_sessions, s.partial_sessions),
            (2, 1, 1)
        );
        assert_eq!(s.total_practice_time_seconds, 2400);
        assert_eq!(s.average_session_duration_seconds, 1200);
        assert!((s.completion_rate_percentage - 33.33).abs() < 0.01);
        assert_eq!(s.minutes_per_week.len(), 12);
        assert_eq!(s.minutes_per_week.last().map(|w| w.1), Some(40));
        assert_eq!(s.sessions_by_weekday[0], 1, "2 March 2026 is a Monday");
        assert_eq!(s.most_practiced_sequences, vec![(1, "Morning".into(), 2)]);
        let cal = calendar(
            &facts,
            &Zone::utc(),
            Date::constant(2026, 3, 1),
            Date::constant(2026, 3, 31),
        );
        assert_eq!(cal.len(), 2, "only days with practice");
    }
}
