//! The migrations a database has applied, compared with the ones built into
//! this binary. `yogaflow doctor` reports it, and `restore` refuses a file whose
//! history this binary did not write.

use crate::{Db, StoreError, on_pool};

/// The name sqlx's migrator records applied migrations under.
const HISTORY_TABLE: &str = "_sqlx_migrations";

/// How a database's migration history relates to this binary's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Versions recorded as applied.
    pub applied: Vec<i64>,
    /// Built in but not applied yet; the next `migrate` or `serve` applies them.
    pub pending: Vec<i64>,
    /// Applied but unknown to this binary: a newer YogaFlow, or not YogaFlow.
    pub unknown: Vec<i64>,
    /// Applied with another checksum, or left failed half-way: the schema is
    /// not the one this binary's queries were written for.
    pub altered: Vec<i64>,
}

impl SchemaStatus {
    /// Every built-in migration is applied, and nothing else.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.is_ours()
    }

    /// Nothing applied that this binary would not have applied itself.
    pub fn is_ours(&self) -> bool {
        self.unknown.is_empty() && self.altered.is_empty()
    }
}

impl Db {
    /// Compares the recorded migration history with the built-in migrations.
    /// A database without a history table has every migration pending.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let migrator = match self {
            Db::Sqlite(_) => sqlx::migrate!("./migrations/sqlite"),
            Db::Postgres(_) => sqlx::migrate!("./migrations/postgres"),
        };
        let has_history: i64 = match self {
            Db::Sqlite(p) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
                )
                .bind(HISTORY_TABLE)
                .fetch_one(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_catalog.pg_tables \
                     WHERE schemaname = current_schema() AND tablename = $1",
                )
                .bind(HISTORY_TABLE)
                .fetch_one(p)
                .await?
            }
        };
        let rows: Vec<(i64, Vec<u8>, bool)> = if has_history == 0 {
            Vec::new()
        } else {
            on_pool!(self, p => sqlx::query_as(
                "SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version"
            )
            .fetch_all(p)
            .await)?
        };
        let mut status = SchemaStatus::default();
        for (version, checksum, success) in &rows {
            status.applied.push(*version);
            match migrator.iter().find(|m| m.version == *version) {
                None => status.unknown.push(*version),
                Some(m) if !success || m.checksum.as_ref() != checksum.as_slice() => {
                    status.altered.push(*version);
                }
                Some(_) => {}
            }
        }
        status.pending = migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .filter(|v| !status.applied.contains(v))
            .collect();
        Ok(status)
    }
}
