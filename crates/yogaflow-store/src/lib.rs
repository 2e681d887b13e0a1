//! Persistence for YogaFlow on SQLite (the embedded default) or PostgreSQL
//! (production), behind one type, [`Db`].
//!
//! Every query is one SQL text shared by both databases wherever they agree
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`, `LIMIT/OFFSET`); timestamps are
//! unix microseconds on both so ordering and comparisons match. The [`on_pool!`]
//! macro runs the same body against whichever pool is live, so the two arms can
//! never drift apart. The contract tests run every query on both databases.

mod accounts;
mod achievements;
mod backup;
mod catalog_admin;
mod catalog_read;
mod catalog_write;
mod connect;
mod dynamic;
mod facts;
mod favorites;
mod idempotency;
mod import_v1;
mod outbox;
mod practice;
mod rows;
mod schema;
mod timestamp;
mod uploaded_images;
mod user_sequences;

pub use accounts::{NewSession, NewUser, RefreshInfo, SessionInfo, TokenPurpose};
pub use achievements::AwardInput;
pub use backup::{check_restorable, checkpoint_sqlite_file, open_sqlite_read_only};
pub use catalog_admin::{AdminWrite, ContentChange, HistoryEntry, SequenceUse};
pub use catalog_read::{SequenceFacets, SequencePage};
pub use catalog_write::{LoadReport, pose_fingerprint_before_figures};
pub use connect::{Backend, ConnectError};
pub use favorites::FavoriteKind;
pub use idempotency::Claim;
pub use import_v1::{ImportKind, ImportedSession, ImportedUser};
pub use outbox::{NewMail, OutboxMessage};
pub use practice::{
    HistoryFilter, NewPracticeSession, PractisedPose, SessionPoseRecord, SessionRecord,
};
pub use schema::SchemaStatus;
pub use timestamp::{from_micros, to_micros};
pub use uploaded_images::{ImageInfo, NewImage};

use sqlx::{PgPool, SqlitePool};

/// A connection pool to the configured database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the live pool, whichever database it is.
/// The body is compiled twice, once per driver, with identical text.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// How full the connection pool is, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// A storage failure; callers map it to "service unavailable" or a domain error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or is saturated right now; retrying later
    /// may succeed, and nothing was written.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// The disk (or SQLite's page limit) is full: the statement was rolled back,
    /// so nothing was written; writes succeed again once space is freed.
    #[error("database storage is full: {0}")]
    Full(sqlx::Error),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

/// SQLSTATE classes and codes that mean "cannot serve now" rather than "this
/// request is wrong": connection exceptions (08), insufficient resources (53),
/// operator intervention (57P0x), and a database closed to new connections.
fn unavailable_code(code: &str, message: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57P")
        || (code == "55000" && message.contains("accepting connections"))
        // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes.
        || code == "5"
        || code == "6"
        || code.parse::<u32>().is_ok_and(|c| c & 0xff == 5 || c & 0xff == 6)
}

/// "Out of space": SQLite's SQLITE_FULL (13, with extended codes) and
/// PostgreSQL's disk_full (53100), which would otherwise count as "unavailable".
fn full_code(code: &str) -> bool {
    code == "53100" || code == "13" || code.parse::<u32>().is_ok_and(|c| c & 0xff == 13)
}

impl From<StoreError> for yogaflow_core::error::AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => yogaflow_core::error::AccountError::Busy,
            StoreError::Full(_) => yogaflow_core::error::AccountError::StorageFull,
            other => yogaflow_core::error::AccountError::Store(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let full = match &e {
            sqlx::Error::Database(db) => db.code().is_some_and(|c| full_code(&c)),
            _ => false,
        };
        let unavailable = match &e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|c| unavailable_code(&c, db.message())),
            _ => false,
        };
        if full {
            StoreError::Full(e)
        } else if unavailable {
            StoreError::Unavailable(e)
        } else {
            StoreError::Database(e)
        }
    }
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every pending migration of this database's set.
    ///
    /// # Errors
    /// When a migration fails or the recorded history differs from the binary's.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await,
        }
    }

    /// A round trip to the database, for readiness checks.
    ///
    /// # Errors
    /// When the database cannot answer.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: i32 = on_pool!(self, p => sqlx::query_scalar("SELECT 1").fetch_one(p).await)?;
        Ok(())
    }

    /// Connections open and idle right now, and the configured maximum.
    pub fn pool_stats(&self) -> PoolStats {
        on_pool!(self, p => PoolStats {
            open: p.size(),
            idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
            max: p.options().get_max_connections(),
        })
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        on_pool!(self, p => p.close().await);
    }
}

/// A migration set as (version, description) pairs.
pub type MigrationList = Vec<(i64, String)>;

/// The migration versions of each set (SQLite, PostgreSQL), so a test can prove
/// they stay in step.
pub fn migration_versions() -> (MigrationList, MigrationList) {
    let list = |m: sqlx::migrate::Migrator| {
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect::<Vec<_>>()
    };
    (
        list(sqlx::migrate!("./migrations/sqlite")),
        list(sqlx::migrate!("./migrations/postgres")),
    )
}
