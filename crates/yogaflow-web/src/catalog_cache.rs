//! Catalog answers are read far more often than the catalog changes, so each
//! instance keeps the serialized bytes of recent answers and all poses in memory.
//!
//! Invariant: a cached answer is only served while the database's catalog
//! version equals the version it was computed under. Each instance polls the
//! version (one indexed single-row read per second), so an edit made through any
//! instance is visible everywhere within about a second.

use bytes::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use yogaflow_core::catalog::Pose;
use yogaflow_store::{Db, StoreError};

/// Total bytes of cached answers; past this the cache starts afresh. Keeps the
/// memory bound no matter how many distinct queries clients send.
const MAX_CACHED_BYTES: usize = 8 * 1024 * 1024;

/// A serialized answer and the `X-Total-Count` it carries, if any.
#[derive(Clone)]
pub struct Cached {
    // Figures reuse the answer cache: same lifetime rules as other catalog answers.
    pub body: Bytes,
    pub total: Option<u64>,
}

#[derive(Default)]
struct Entries {
    version: i64,
    bytes: usize,
    answers: HashMap<String, Cached>,
    poses: Option<Arc<Vec<Pose>>>,
}

pub struct CatalogCache {
    /// The newest version seen in the database.
    current: AtomicI64,
    entries: Mutex<Entries>,
}

impl Default for CatalogCache {
    fn default() -> Self {
        Self::new()
    }
}

impl CatalogCache {
    pub fn new() -> Self {
        Self {
            current: AtomicI64::new(-1),
            entries: Mutex::new(Entries::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the database's version; a change empties the cache.
    pub fn observe(&self, version: i64) {
        self.current.store(version, Ordering::Release);
        let mut e = self.lock();
        if e.version != version {
            *e = Entries {
                version,
                ..Entries::default()
            };
        }
    }

    /// Reads the version now (used after this instance writes the catalog).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub async fn refresh(&self, db: &Db) -> Result<(), StoreError> {
        self.observe(db.catalog_version().await?);
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<Cached> {
        let e = self.lock();
        if e.version != self.current.load(Ordering::Acquire) || e.version < 0 {
            return None;
        }
        e.answers.get(key).cloned()
    }

    pub fn put(&self, key: String, value: Cached) {
        let mut e = self.lock();
        if e.version != self.current.load(Ordering::Acquire) || e.version < 0 {
            return;
        }
        if e.bytes + value.body.len() > MAX_CACHED_BYTES {
            e.answers.clear();
            e.bytes = 0;
        }
        e.bytes += value.body.len();
        e.answers.insert(key, value);
    }

    /// All poses, read once per catalog version.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub async fn poses(&self, db: &Db) -> Result<Arc<Vec<Pose>>, StoreError> {
        if let Some(p) = self.lock().poses.clone() {
            return Ok(p);
        }
        let poses = Arc::new(db.all_poses().await?);
        let mut e = self.lock();
        if e.version == self.current.load(Ordering::Acquire) {
            e.poses = Some(poses.clone());
        }
        Ok(poses)
    }

    /// Polls the catalog version until the process ends.
    pub fn watch(self: &Arc<Self>, db: Db) -> tokio::task::JoinHandle<()> {
        let cache = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                match db.catalog_version().await {
                    Ok(v) => cache.observe(v),
                    // Without a fresh version we stop serving cached answers
                    // rather than risk stale ones; requests then go to the store.
                    Err(_) => cache.current.store(-1, Ordering::Release),
                }
            }
        })
    }
}
