//! Recommendations: which sequences to suggest next, from the user's level,
//! goals and history, not only "presets not yet practised".

use crate::catalog::{Difficulty, FocusArea};

/// A sequence the user could practise, with what we know of their history with it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub difficulty: Difficulty,
    pub focus_area: FocusArea,
    pub minutes: u32,
    pub times_practised: u32,
    pub practised_last_week: bool,
    pub favorite: bool,
}

/// What we know of the user.
#[derive(Debug, Clone)]
pub struct Practitioner {
    pub level: Difficulty,
    /// Average minutes of their sessions, when they have practised.
    pub usual_minutes: Option<u32>,
    /// Minutes left to reach this week's goal, when one is set.
    pub minutes_left_this_week: Option<u32>,
    /// Focus areas practised in the last two weeks.
    pub recent_focus: Vec<FocusArea>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub id: i64,
    pub score: i32,
    /// Plain sentences saying why, shown to the user.
    pub reasons: Vec<String>,
}

/// The best `limit` candidates for `who`, best first, ties by name then id.
pub fn recommend(
    candidates: &[Candidate],
    who: &Practitioner,
    limit: usize,
) -> Vec<Recommendation> {
    let mut scored: Vec<(Recommendation, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            let mut score = 0i32;
            let mut reasons = Vec::new();
            let gap = i32::from(c.difficulty.rank()) - i32::from(who.level.rank());
            match gap {
                0 => {
                    score += 4;
                    reasons.push(format!("Matches your {} level.", who.level));
                }
                -1 => score += 1,
                1 if c.times_practised == 0 && who.usual_minutes.is_some() => {
                    score += 1;
                    reasons.push("A gentle step up from your level.".into());
                }
                // Far above the user's level is never suggested.
                g if g >= 1 => return None,
                _ => {}
            }
            if !who.recent_focus.contains(&c.focus_area) {
                score += 2;
                reasons.push(format!(
                    "Brings in {} work you have not done lately.",
                    c.focus_area
                ));
            }
            if let Some(usual) = who.usual_minutes
                && c.minutes.abs_diff(usual) <= 10
            {
                score += 2;
                reasons.push(format!(
                    "About as long as your usual practice ({usual} min)."
                ));
            }
            if let Some(left) = who.minutes_left_this_week
                && left > 0
                && c.minutes <= left
            {
                score += 2;
                reasons.push("Fits what is left of this week's goal.".into());
            }
            if c.practised_last_week {
                score -= 3;
            } else if c.times_practised == 0 {
                score += 1;
                reasons.push("New to you.".into());
            }
            if c.favorite {
                score += 1;
                reasons.push("One of your favorites.".into());
            }
            Some((
                Recommendation {
                    id: c.id,
                    score,
                    reasons,
                },
                c,
            ))
        })
        .collect();
    scored.sort_by(|(a, ca), (b, cb)| {
        b.score
            .cmp(&a.score)
            .then_with(|| ca.name.cmp(&cb.name))
            .then(a.id.cmp(&b.id))
    });
    scored.into_iter().take(limit).map(|(r, _)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, d: Difficulty, f: FocusArea, minutes: u32) -> Candidate {
        Candidate {
            id,
            name: format!("S{id}"),
            difficulty: d,
            focus_area: f,
            minutes,
            times_practised: 0,
            practised_last_week: false,
            favorite: false,
        }
    }

    #[test]
    fn level_fit_fresh_focus_and_length_win() {
        let who = Practitioner {
            level: Difficulty::Beginner,
            usual_minutes: Some(20),
            minutes_left_this_week: Some(30),
            recent_focus: vec![FocusArea::Strength],
        };
        let list = vec![
            c(1, Difficulty::Advanced, FocusArea::Balance, 20),
            c(2, Difficulty::Beginner, FocusArea::Strength, 60),
            c(3, Difficulty::Beginner, FocusArea::Relaxation, 20),
            c(4, Difficulty::Intermediate, FocusArea::Relaxation, 25),
        ];
        let recs = recommend(&list, &who, 5);
        assert_eq!(recs[0].id, 3);
        assert!(recs.iter().all(|r| r.id != 1), "far above the user's level");
        assert!(!recs[0].reasons.is_empty());
    }

    #[test]
    fn recently_practised_sequences_step_back() {
        let who = Practitioner {
            level: Difficulty::Beginner,
            usual_minutes: None,
            minutes_left_this_week: None,
            recent_focus: vec![],
        };
        let mut done = c(1, Difficulty::Beginner, FocusArea::Energy, 15);
        done.practised_last_week = true;
        done.times_practised = 3;
        let recs = recommend(
            &[done, c(2, Difficulty::Beginner, FocusArea::Energy, 15)],
            &who,
            2,
        );
        assert_eq!(recs[0].id, 2);
    }
}
