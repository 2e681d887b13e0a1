//! A user's sessions as compact facts for statistics and achievements.
//!
//! A heavy user has thousands of sessions, and decoding them row by row costs
//! far more than the statistics themselves; so the database packs them into one
//! text (`string_agg`, which SQLite has had since 3.44 and PostgreSQL always),
//! parsed here, and sequence names come in a second, small query.

use crate::timestamp::from_micros;
use std::collections::HashMap;
use yogaflow_core::practice::stats::SessionFact;
use yogaflow_core::practice::{SessionKind, SessionStatus};

/// One text per user: `started_at,duration,status,sequence_id,kind` joined by `;`.
pub(crate) const PACKED_FACTS: &str = "SELECT string_agg(CAST(s.started_at AS TEXT) || ',' || CAST(s.duration_seconds AS TEXT) \
     || ',' || s.status || ',' || COALESCE(CAST(s.sequence_id AS TEXT), '') || ',' || s.kind, ';') \
     FROM practice_sessions s WHERE s.user_id = $1";

/// Names of the sequences a user has practised.
pub(crate) const SEQUENCE_NAMES: &str = "SELECT q.id, q.name FROM sequences q WHERE q.id IN \
     (SELECT DISTINCT s.sequence_id FROM practice_sessions s WHERE s.user_id = $1 AND s.sequence_id IS NOT NULL)";

/// Unpacks [`PACKED_FACTS`]; malformed entries are skipped, never fatal.
pub(crate) fn unpack(
    packed: Option<String>,
    names: Vec<(i64, String)>,
) -> Vec<(SessionFact, SessionKind)> {
    let names: HashMap<i64, String> = names.into_iter().collect();
    let Some(packed) = packed else {
        return Vec::new();
    };
    packed
        .split(';')
        .filter_map(|entry| {
            let mut f = entry.split(',');
            let at: i64 = f.next()?.parse().ok()?;
            let duration: u32 = f.next()?.parse().ok()?;
            let status = SessionStatus::parse(f.next()?)?;
            let sequence = f
                .next()?
                .parse::<i64>()
                .ok()
                .and_then(|id| names.get(&id).map(|n| (id, n.clone())));
            let kind = SessionKind::parse(f.next()?)?;
            Some((
                SessionFact {
                    started_at: from_micros(at),
                    duration_seconds: duration,
                    status,
                    sequence,
                },
                kind,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_facts_round_trip_and_skip_junk() {
        let facts = unpack(
            Some("1000000,60,completed,3,sequence;2000000,30,partial,,free;garbage".into()),
            vec![(3, "Morning".into())],
        );
        assert_eq!(facts.len(), 2);
        assert_eq!(facts[0].0.sequence, Some((3, "Morning".into())));
        assert_eq!(facts[1].1, SessionKind::Free);
        assert!(unpack(None, Vec::new()).is_empty());
    }
}
