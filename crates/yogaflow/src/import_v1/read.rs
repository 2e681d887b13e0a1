//! Reading a YogaFlow 1.0 database. Enum columns are read as text, whichever
//! way that database stores them (native types with uppercase member names, or
//! lowercase strings: 1.0's schema sources disagree), and timestamps as unix
//! microseconds, reading 1.0's naive timestamps as the UTC they were written in.

use anyhow::Context as _;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr as _;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct V1User {
    pub user_id: i64,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub experience_level: Option<String>,
    pub email_verified: bool,
    pub is_active: bool,
    pub created_us: i64,
    pub last_login_us: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct V1Sequence {
    pub sequence_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub difficulty_level: String,
    pub duration_minutes: i64,
    pub focus_area: String,
    pub style: String,
    pub is_preset: bool,
    pub created_by: Option<i64>,
    pub created_us: i64,
    pub updated_us: i64,
    #[sqlx(skip)]
    pub slots: Vec<V1Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct V1Slot {
    pub sequence_id: i64,
    pub pose_id: i64,
    pub duration_seconds: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct V1Session {
    pub session_id: i64,
    pub user_id: i64,
    pub sequence_id: Option<i64>,
    pub started_us: i64,
    pub completed_us: Option<i64>,
    pub duration_seconds: i64,
    pub completion_status: String,
}

/// Everything the import moves, read in one go (1.0 databases are small).
pub struct V1Data {
    pub users: Vec<V1User>,
    pub sequences: Vec<V1Sequence>,
    pub sessions: Vec<V1Session>,
}

const USERS: &str = "SELECT user_id::bigint AS user_id, email, password_hash, name, \
    experience_level::text AS experience_level, email_verified, is_active, \
    (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint AS created_us, \
    (EXTRACT(EPOCH FROM last_login) * 1000000)::bigint AS last_login_us \
    FROM users ORDER BY user_id";
const SEQUENCES: &str = "SELECT sequence_id::bigint AS sequence_id, name, description, \
    difficulty_level::text AS difficulty_level, duration_minutes::bigint AS duration_minutes, \
    focus_area::text AS focus_area, style::text AS style, is_preset, created_by::bigint AS created_by, \
    (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint AS created_us, \
    (EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint AS updated_us \
    FROM sequences ORDER BY sequence_id";
// position_order is not unique in 1.0; the row id breaks ties in entry order.
const SLOTS: &str = "SELECT sequence_id::bigint AS sequence_id, pose_id::bigint AS pose_id, \
    duration_seconds::bigint AS duration_seconds FROM sequence_poses \
    ORDER BY sequence_id, position_order, sequence_pose_id";
const SESSIONS: &str = "SELECT session_id::bigint AS session_id, user_id::bigint AS user_id, \
    sequence_id::bigint AS sequence_id, \
    (EXTRACT(EPOCH FROM started_at) * 1000000)::bigint AS started_us, \
    (EXTRACT(EPOCH FROM completed_at) * 1000000)::bigint AS completed_us, \
    duration_seconds::bigint AS duration_seconds, completion_status::text AS completion_status \
    FROM practice_sessions ORDER BY session_id";

/// Opens the 1.0 database read-only: every transaction on these connections
/// refuses writes, so the import cannot change the old system by mistake.
///
/// # Errors
/// A bad URL or an unreachable server.
pub async fn open(url: &str) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url)
        .context("--from is not a PostgreSQL URL")?
        .options([("default_transaction_read_only", "on")]);
    PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .context("cannot connect to the YogaFlow 1.0 database")
}

/// # Errors
/// When a table or column of 1.0's schema is missing.
pub async fn read_all(pool: &PgPool) -> anyhow::Result<V1Data> {
    let users = sqlx::query_as(USERS)
        .fetch_all(pool)
        .await
        .context("reading 1.0 users")?;
    let mut sequences: Vec<V1Sequence> = sqlx::query_as(SEQUENCES)
        .fetch_all(pool)
        .await
        .context("reading 1.0 sequences")?;
    let slots: Vec<V1Slot> = sqlx::query_as(SLOTS)
        .fetch_all(pool)
        .await
        .context("reading 1.0 sequence poses")?;
    for seq in &mut sequences {
        seq.slots = slots
            .iter()
            .filter(|s| s.sequence_id == seq.sequence_id)
            .copied()
            .collect();
    }
    let sessions = sqlx::query_as(SESSIONS)
        .fetch_all(pool)
        .await
        .context("reading 1.0 practice sessions")?;
    Ok(V1Data {
        users,
        sequences,
        sessions,
    })
}

#[cfg(test)]
mod tests {
    /// The connection refuses writes, so no import bug can change 1.0's data.
    #[tokio::test]
    async fn the_old_database_is_opened_read_only() {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            return;
        };
        let pool = super::open(&url).await.unwrap_or_else(|e| panic!("{e:#}"));
        let write = sqlx::query("CREATE TEMPORARY TABLE t (x INT)")
            .execute(&pool)
            .await;
        let read: Result<i32, _> = sqlx::query_scalar("SELECT 1").fetch_one(&pool).await;
        pool.close().await;
        let message = write.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("read-only"), "{message}");
        assert!(read.is_ok());
    }
}
