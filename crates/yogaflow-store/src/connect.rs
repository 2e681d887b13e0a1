//! Opening the database named by `DATABASE_URL`, or the embedded SQLite file.

use crate::Db;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:, postgres:// or postgresql:// (got `{0}`)")]
    Scheme(String),
    #[error("cannot create data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
}

/// How long a request waits for a free connection before the store gives up, so
/// an exhausted pool turns into a quick "unavailable" rather than a hang.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

impl Db {
    /// Opens `url`, or `<data_dir>/yogaflow.db` when `url` is `None`.
    ///
    /// # Errors
    /// An unknown scheme, an unusable data directory or an unreachable server.
    pub async fn connect(
        url: Option<&str>,
        data_dir: &Path,
        max_connections: u32,
    ) -> Result<Db, ConnectError> {
        match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                let pool = PgPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect(u)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            Some(u) if u.starts_with("sqlite:") => {
                let opts = SqliteConnectOptions::from_str(u)?.create_if_missing(true);
                Ok(Db::Sqlite(sqlite_pool(opts, max_connections).await?))
            }
            Some(other) => Err(ConnectError::Scheme(redact(other))),
            None => {
                std::fs::create_dir_all(data_dir)
                    .map_err(|e| ConnectError::DataDir(data_dir.display().to_string(), e))?;
                let opts = SqliteConnectOptions::new()
                    .filename(data_dir.join("yogaflow.db"))
                    .create_if_missing(true);
                Ok(Db::Sqlite(sqlite_pool(opts, max_connections).await?))
            }
        }
    }
}

async fn sqlite_pool(
    opts: SqliteConnectOptions,
    max: u32,
) -> Result<sqlx::SqlitePool, sqlx::Error> {
    // WAL lets readers work while one writer commits; NORMAL sync is durable
    // across application crashes, which is what WAL is designed for.
    let opts = opts
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(max)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(opts)
        .await
}

/// Drops any password from a URL before it is shown in an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}
