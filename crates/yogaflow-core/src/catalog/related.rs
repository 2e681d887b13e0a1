//! Related poses (`GET /poses/{id}/related`), computed the same way whatever the
//! database: 1.0 let the engine's enum ordering decide, so SQLite and PostgreSQL
//! disagreed. Here the order is total and written down.

use super::pose::Pose;

/// How many poses each list holds (1.0's number).
pub const RELATED_LIMIT: usize = 2;

/// Similar poses and next steps for `pose`, chosen from `all`.
pub struct Related<'a> {
    pub similar: Vec<&'a Pose>,
    pub progressions: Vec<&'a Pose>,
}

fn shared_areas(a: &Pose, b: &Pose) -> usize {
    a.target_areas
        .iter()
        .filter(|t| b.target_areas.contains(t))
        .count()
}

/// Similar: same category, level within one step; progressions: a strictly
/// harder level (or, for advanced poses, other advanced poses), same category
/// first. Within each, more shared target areas first, then the closer level,
/// then English name, then id, so the answer never depends on storage order.
pub fn related<'a>(pose: &Pose, all: &'a [Pose]) -> Related<'a> {
    let rank = pose.difficulty.rank();
    let mut similar: Vec<&Pose> = all
        .iter()
        .filter(|p| p.id != pose.id && p.category == pose.category)
        .filter(|p| p.difficulty.rank().abs_diff(rank) <= 1)
        .collect();
    similar.sort_by(|a, b| {
        shared_areas(pose, b)
            .cmp(&shared_areas(pose, a))
            .then(
                a.difficulty
                    .rank()
                    .abs_diff(rank)
                    .cmp(&b.difficulty.rank().abs_diff(rank)),
            )
            .then_with(|| a.english_name.cmp(&b.english_name))
            .then(a.id.cmp(&b.id))
    });
    similar.truncate(RELATED_LIMIT);

    let mut progressions: Vec<&Pose> = all
        .iter()
        .filter(|p| p.id != pose.id && !similar.iter().any(|s| s.id == p.id))
        .filter(|p| {
            let r = p.difficulty.rank();
            r > rank || (rank == 2 && r == 2)
        })
        .collect();
    progressions.sort_by(|a, b| {
        (b.category == pose.category)
            .cmp(&(a.category == pose.category))
            .then(shared_areas(pose, b).cmp(&shared_areas(pose, a)))
            .then(a.difficulty.rank().cmp(&b.difficulty.rank()))
            .then_with(|| a.english_name.cmp(&b.english_name))
            .then(a.id.cmp(&b.id))
    });
    progressions.truncate(RELATED_LIMIT);
    Related {
        similar,
        progressions,
    }
}
