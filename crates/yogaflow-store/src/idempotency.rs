//! Idempotency keys: the first request with a key claims it atomically; a retry
//! with the same key and body replays the stored answer; the same key with
//! another body is refused.

use crate::timestamp::to_micros;
use crate::{Db, StoreError, on_pool};
use time::{Duration, OffsetDateTime};

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);
/// How long a claim whose request never finished keeps its key.
pub const UNFINISHED_LIFETIME: Duration = Duration::minutes(1);

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: handle the request, then `finish_idempotency`.
    New,
    /// The key was used before: with this request hash, and this answer when done.
    Seen {
        request_hash: String,
        answer: Option<(u16, Vec<u8>)>,
    },
}

impl Db {
    /// Claims `key` for `user_id`, or reports its earlier use.
    ///
    /// # Errors
    /// Database failures.
    pub async fn claim_idempotency(
        &self,
        user_id: i64,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Claim, StoreError> {
        // A claim still without an answer after a minute belongs to a request
        // that is over (requests time out at 30 s) and whose release failed,
        // for example because the database went away: it lapses, so the key is
        // not stuck answering 409 for a day.
        const EXPIRE: &str = "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 \
             AND (created_at < $3 OR (status IS NULL AND created_at < $4))";
        const CLAIM: &str = "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, key) DO NOTHING";
        const READ: &str = "SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2";
        let ts = to_micros(now);
        on_pool!(self, p => sqlx::query(EXPIRE).bind(user_id).bind(key).bind(to_micros(now - KEY_LIFETIME)).bind(to_micros(now - UNFINISHED_LIFETIME)).execute(p).await.map(|_| ()))?;
        let claimed = on_pool!(self, p => sqlx::query(CLAIM).bind(user_id).bind(key).bind(request_hash).bind(ts).execute(p).await.map(|r| r.rows_affected()))?;
        if claimed == 1 {
            return Ok(Claim::New);
        }
        let row: Option<(String, Option<i32>, Option<Vec<u8>>)> = on_pool!(self, p => sqlx::query_as(READ).bind(user_id).bind(key).fetch_optional(p).await)?;
        let Some((request_hash, status, body)) = row else {
            // Expired and removed between our two statements: treat as new next time.
            return Ok(Claim::Seen {
                request_hash: String::new(),
                answer: None,
            });
        };
        let answer = status
            .and_then(|s| u16::try_from(s).ok())
            .map(|s| (s, body.unwrap_or_default()));
        Ok(Claim::Seen {
            request_hash,
            answer,
        })
    }

    /// Stores the answer given to the first request with `key`.
    ///
    /// # Errors
    /// Database failures.
    pub async fn finish_idempotency(
        &self,
        user_id: i64,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND key = $2";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(key).bind(i32::from(status)).bind(body).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Forgets a claim whose request failed on our side, so a retry can run.
    ///
    /// # Errors
    /// Database failures.
    pub async fn release_idempotency(&self, user_id: i64, key: &str) -> Result<(), StoreError> {
        const SQL: &str =
            "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(key).execute(p).await.map(|_| ()))?;
        Ok(())
    }
}
