//! The achievement catalogue and the rules that unlock each one. Thresholds are
//! 1.0's plan (streaks 7/14/30/60/100 days; 10/25/50/100/500 sessions;
//! 10/25/50/100 hours; every pose of a category) plus a few of our own.

use super::local_time::Zone;
use super::session::{SessionKind, SessionStatus};
use super::stats::{SessionFact, compute};
use crate::catalog::Category;
use std::collections::HashMap;
use time::OffsetDateTime;

/// What a user has done that achievements measure.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub sessions: u64,
    pub seconds: u64,
    pub best_streak_days: u64,
    /// Sessions started 5:00-7:59 local time.
    pub early_sessions: u64,
    pub breathing_sessions: u64,
    /// Per category: (distinct poses practised, poses in the library).
    pub mastery: HashMap<Category, (u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    pub code: String,
    pub name: String,
    pub description: String,
    /// How far the user is, and what unlocks it.
    pub progress: u64,
    pub target: u64,
}

impl Achievement {
    pub fn earned(&self) -> bool {
        self.progress >= self.target
    }
}

fn ach(code: String, name: String, description: String, progress: u64, target: u64) -> Achievement {
    Achievement {
        code,
        name,
        description,
        progress: progress.min(target),
        target,
    }
}

fn category_label(c: Category) -> &'static str {
    match c {
        Category::Standing => "standing",
        Category::Seated => "seated",
        Category::Balancing => "balancing",
        Category::Backbends => "backbend",
        Category::ForwardBends => "forward bend",
        Category::Twists => "twist",
        Category::Inversions => "inversion",
        Category::ArmBalances => "arm balance",
        Category::Restorative => "restorative",
    }
}

/// Every achievement with the user's progress toward it.
pub fn catalogue(p: &Progress) -> Vec<Achievement> {
    let mut out = vec![ach(
        "first_session".into(),
        "First Step".into(),
        "Finish your first practice.".into(),
        p.sessions,
        1,
    )];
    for days in [7u64, 14, 30, 60, 100] {
        out.push(ach(
            format!("streak_{days}"),
            format!("{days}-Day Streak"),
            format!("Practice on {days} days in a row."),
            p.best_streak_days,
            days,
        ));
    }
    for n in [10u64, 25, 50, 100, 500] {
        out.push(ach(
            format!("sessions_{n}"),
            format!("{n} Sessions"),
            format!("Finish {n} practices."),
            p.sessions,
            n,
        ));
    }
    for h in [10u64, 25, 50, 100] {
        out.push(ach(
            format!("hours_{h}"),
            format!("{h} Hours on the Mat"),
            format!("Practice for {h} hours in all."),
            p.seconds / 3600,
            h,
        ));
    }
    for c in Category::ALL {
        let (done, total) = p.mastery.get(c).copied().unwrap_or((0, 0));
        let label = category_label(*c);
        out.push(ach(
            format!("mastery_{}", c.as_str()),
            format!("{}{} Explorer", label[..1].to_uppercase(), &label[1..]),
            format!("Practice every {label} pose in the library."),
            done,
            total.max(1),
        ));
    }
    out.push(ach(
        "early_bird".into(),
        "Early Bird".into(),
        "Start five practices between 5 and 8 in the morning.".into(),
        p.early_sessions,
        5,
    ));
    out.push(ach(
        "steady_breath".into(),
        "Steady Breath".into(),
        "Finish ten breathing exercises.".into(),
        p.breathing_sessions,
        10,
    ));
    out
}

/// Builds the progress of one user from their sessions and pose counts.
pub fn progress(
    facts: &[SessionFact],
    kinds: &[(SessionKind, SessionStatus, OffsetDateTime)],
    mastery: HashMap<Category, (u64, u64)>,
    zone: &Zone,
    now: OffsetDateTime,
) -> Progress {
    let stats = compute(facts, zone, now);
    let practised = |s: SessionStatus| s.counts_as_practice();
    Progress {
        sessions: u64::from(stats.total_sessions),
        seconds: stats.total_practice_time_seconds,
        best_streak_days: u64::from(stats.best_streak_days),
        early_sessions: kinds
            .iter()
            .filter(|(_, s, at)| practised(*s) && (5..8).contains(&zone.hour(*at)))
            .count() as u64,
        breathing_sessions: kinds
            .iter()
            .filter(|(k, s, _)| *k == SessionKind::Breathing && practised(*s))
            .count() as u64,
        mastery,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_unlock_exactly_at_their_target() {
        let mut p = Progress {
            sessions: 9,
            ..Progress::default()
        };
        let earned = |p: &Progress| {
            catalogue(p)
                .into_iter()
                .filter(Achievement::earned)
                .map(|a| a.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(earned(&p), vec!["first_session"]);
        p.sessions = 10;
        p.best_streak_days = 7;
        p.seconds = 10 * 3600;
        p.mastery.insert(Category::Twists, (14, 14));
        let got = earned(&p);
        for code in ["sessions_10", "streak_7", "hours_10", "mastery_twists"] {
            assert!(got.contains(&code.to_owned()), "{code}");
        }
        assert!(!got.contains(&"streak_14".to_owned()));
        let all = catalogue(&p);
        assert!(all.len() >= 25);
        assert!(all.iter().all(|a| a.progress <= a.target));
    }
}
