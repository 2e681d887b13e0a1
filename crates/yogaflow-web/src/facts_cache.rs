//! Each instance keeps recently used users' practice facts in memory, labelled
//! with the user's `practice_version`. Every authenticated request reads the
//! user row anyway, so a stale entry is noticed at once, on every instance; the
//! database stays the source of truth.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use yogaflow_core::practice::stats::SessionFact;
use yogaflow_store::{Db, StoreError};

/// Facts kept across all users, at most (about 64 bytes each).
const MAX_FACTS: usize = 500_000;

/// `(pose id, name, times practised, seconds)`, most practised first.
pub type PoseCounts = Vec<(i64, String, i64, i64)>;

/// One user's practice as statistics read it.
pub struct Practice {
    pub facts: Vec<SessionFact>,
    pub poses: PoseCounts,
}

type Entries = HashMap<i64, (i64, Arc<Practice>)>;

#[derive(Default)]
pub struct FactsCache {
    entries: Mutex<(usize, Entries)>,
}

impl FactsCache {
    /// The user's facts as of `version`, from memory when still current.
    ///
    /// # Errors
    /// Database failures.
    pub async fn practice(
        &self,
        db: &Db,
        user_id: i64,
        version: i64,
    ) -> Result<Arc<Practice>, StoreError> {
        {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((v, practice)) = entries.1.get(&user_id)
                && *v == version
            {
                return Ok(Arc::clone(practice));
            }
        }
        let facts = Arc::new(Practice {
            facts: db.session_facts(user_id).await?,
            poses: db.most_practiced_poses(user_id, 10).await?,
        });
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.0 + facts.facts.len() > MAX_FACTS {
            // Start afresh rather than track recency: simple, and bounded.
            entries.1.clear();
            entries.0 = 0;
        }
        if let Some((_, old)) = entries.1.insert(user_id, (version, Arc::clone(&facts))) {
            entries.0 = entries.0.saturating_sub(old.facts.len());
        }
        entries.0 += facts.facts.len();
        Ok(facts)
    }

    /// Just the session facts.
    ///
    /// # Errors
    /// Database failures.
    pub async fn get(&self, db: &Db, user_id: i64, version: i64) -> Result<FactsRef, StoreError> {
        Ok(FactsRef(self.practice(db, user_id, version).await?))
    }
}

/// Shared access to a cached user's facts.
pub struct FactsRef(Arc<Practice>);

impl std::ops::Deref for FactsRef {
    type Target = [SessionFact];
    fn deref(&self) -> &[SessionFact] {
        &self.0.facts
    }
}
