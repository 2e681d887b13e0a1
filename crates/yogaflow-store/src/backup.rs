//! Copies of a SQLite database: taken online with `VACUUM INTO`, and checked
//! before a restore puts one in place. PostgreSQL has `pg_dump` for this.

use crate::{Db, SchemaStatus, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::path::Path;

/// The error for a SQLite-only operation asked of PostgreSQL.
fn sqlite_only(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Configuration(
        format!("{what} works on SQLite only; use pg_dump and pg_restore for PostgreSQL").into(),
    ))
}

impl Db {
    /// Writes a consistent copy of the whole database to `path`, which must not
    /// exist. `VACUUM INTO` reads one snapshot, so the server may keep writing
    /// meanwhile; the copy is compact and carries no WAL beside it.
    ///
    /// # Errors
    /// On PostgreSQL, when `path` exists, or when the copy cannot be written.
    pub async fn backup_into(&self, path: &Path) -> Result<(), StoreError> {
        let Db::Sqlite(pool) = self else {
            return Err(sqlite_only("a SQLite backup"));
        };
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Corrupt("backup path is not valid UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// `PRAGMA quick_check` on SQLite: `None` when the file is sound, else the
    /// first problem it reports. PostgreSQL checks its own pages.
    ///
    /// # Errors
    /// When the database cannot be read at all.
    pub async fn quick_check(&self) -> Result<Option<String>, StoreError> {
        let Db::Sqlite(pool) = self else {
            return Ok(None);
        };
        let answer: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(pool)
            .await?;
        Ok((answer != "ok").then_some(answer))
    }
}

/// Opens an existing SQLite file without writing to it (no journal-mode
/// change, no file created), to inspect a backup before restoring it.
///
/// # Errors
/// When the file is missing or is not a SQLite database.
pub async fn open_sqlite_read_only(path: &Path) -> Result<Db, StoreError> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    Ok(Db::Sqlite(pool))
}

/// Folds the write-ahead log of the SQLite file at `path` into the file itself
/// and removes it, so the file alone holds every committed write. Run only
/// while no server uses the file.
///
/// # Errors
/// When the file cannot be opened or checkpointed.
pub async fn checkpoint_sqlite_file(path: &Path) -> Result<(), StoreError> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    pool.close().await;
    Ok(())
}

/// A copy is restorable when SQLite finds it sound and its migration history
/// is YogaFlow's: at least the first migration, and nothing this binary did
/// not write. Pending migrations are fine; the next start applies them.
///
/// # Errors
/// One sentence saying why the file at `path` is refused.
pub async fn check_restorable(path: &Path) -> Result<SchemaStatus, String> {
    let db = open_sqlite_read_only(path)
        .await
        .map_err(|e| format!("{} is not a readable SQLite database: {e}", path.display()))?;
    let verdict = async {
        if let Some(problem) = db
            .quick_check()
            .await
            .map_err(|e| format!("{} is not a SQLite database: {e}", path.display()))?
        {
            return Err(format!(
                "{} fails SQLite's integrity check: {problem}",
                path.display()
            ));
        }
        let status = db
            .schema_status()
            .await
            .map_err(|e| format!("cannot read the migration history: {e}"))?;
        if status.applied.is_empty() {
            return Err(format!(
                "{} has no YogaFlow migration history; it is not a YogaFlow database",
                path.display()
            ));
        }
        if !status.is_ours() {
            return Err(format!(
                "{} was migrated by another program or a newer YogaFlow \
                 (unknown migrations {:?}, changed migrations {:?})",
                path.display(),
                status.unknown,
                status.altered
            ));
        }
        Ok(status)
    }
    .await;
    db.close().await;
    verdict
}
