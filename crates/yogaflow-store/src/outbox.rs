//! The mail outbox: messages waiting for the mail worker, and the claim that
//! keeps two instances from sending the same one.
//!
//! A request only inserts a row ([`Db::enqueue_mail`]); the worker asks for due
//! rows, claims each one with a single conditional `UPDATE` (a lease on
//! `next_attempt_at`), sends it and marks it sent, failed (retry later) or
//! abandoned. Bodies are emptied once a row is finished, because they carry
//! one-time links that must not outlive their delivery in a database copy.

use crate::timestamp::{from_micros, to_micros};
use crate::{Db, StoreError, on_pool};
use time::OffsetDateTime;

macro_rules! outbox_columns {
    () => {
        "id, to_address, subject, text_body, html_body, kind, created_at, attempts, \
         next_attempt_at, sent_at, gave_up_at, last_error"
    };
}

/// A message to queue, already rendered and addressed.
#[derive(Clone, Copy)]
pub struct NewMail<'a> {
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub kind: &'a str,
}

/// A queued message as stored.
#[derive(Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub kind: String,
    pub created_at: OffsetDateTime,
    /// Failed deliveries so far.
    pub attempts: u32,
    pub next_attempt_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
    pub gave_up_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
}

/// Leaves out the address and bodies, which hold personal data and live links,
/// so a stray `{:?}` in a log line cannot leak them.
impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("created_at", &self.created_at)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("sent_at", &self.sent_at)
            .field("gave_up_at", &self.gave_up_at)
            .field("last_error", &self.last_error)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    to_address: String,
    subject: String,
    text_body: String,
    html_body: String,
    kind: String,
    created_at: i64,
    attempts: i64,
    next_attempt_at: i64,
    sent_at: Option<i64>,
    gave_up_at: Option<i64>,
    last_error: Option<String>,
}

impl TryFrom<OutboxRow> for OutboxMessage {
    type Error = StoreError;
    fn try_from(r: OutboxRow) -> Result<OutboxMessage, StoreError> {
        let attempts = u32::try_from(r.attempts)
            .map_err(|_| StoreError::Corrupt(format!("mail attempts {}", r.attempts)))?;
        Ok(OutboxMessage {
            id: r.id,
            to_address: r.to_address,
            subject: r.subject,
            text_body: r.text_body,
            html_body: r.html_body,
            kind: r.kind,
            created_at: from_micros(r.created_at),
            attempts,
            next_attempt_at: from_micros(r.next_attempt_at),
            sent_at: r.sent_at.map(from_micros),
            gave_up_at: r.gave_up_at.map(from_micros),
            last_error: r.last_error,
        })
    }
}

impl Db {
    /// Queues a message, due at once; returns its id.
    ///
    /// # Errors
    /// Database failures; nothing is queued then.
    pub async fn enqueue_mail(
        &self,
        msg: &NewMail<'_>,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO mail_outbox (to_address, subject, text_body, html_body, kind, \
             created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $6) RETURNING id";
        Ok(on_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(msg.to_address).bind(msg.subject).bind(msg.text_body).bind(msg.html_body)
            .bind(msg.kind).bind(to_micros(now))
            .fetch_one(p).await)?)
    }

    /// Messages neither sent nor given up on: the outbox depth.
    ///
    /// # Errors
    /// Database failures.
    pub async fn pending_mail_count(&self) -> Result<i64, StoreError> {
        const SQL: &str =
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL";
        Ok(on_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await)?)
    }

    /// Up to `limit` pending messages due by `now`, longest-waiting first.
    /// Reading them claims nothing: see [`Db::claim_mail`].
    ///
    /// # Errors
    /// Database failures and undecodable rows.
    pub async fn due_mail(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            outbox_columns!(),
            " FROM mail_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2"
        );
        let rows: Vec<OutboxRow> = on_pool!(self, p => sqlx::query_as(SQL)
            .bind(to_micros(now)).bind(i64::from(limit))
            .fetch_all(p).await)?;
        rows.into_iter().map(OutboxMessage::try_from).collect()
    }

    /// Takes a due message for sending until `lease_until`; `false` when another
    /// worker took it first (or it is no longer due). The check and the move of
    /// `next_attempt_at` are one statement, so of several instances racing for
    /// a row exactly one sees a changed row. A worker that dies mid-send leaves
    /// the row to be retried once the lease runs out.
    ///
    /// # Errors
    /// Database failures.
    pub async fn claim_mail(
        &self,
        id: i64,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE mail_outbox SET next_attempt_at = $3 \
             WHERE id = $1 AND sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $2";
        let changed = on_pool!(self, p => sqlx::query(SQL)
            .bind(id).bind(to_micros(now)).bind(to_micros(lease_until))
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(changed == 1)
    }

    /// Records a delivery and drops the bodies (their links are now in the
    /// recipient's mailbox and need not stay in ours).
    ///
    /// # Errors
    /// Database failures.
    pub async fn mark_mail_sent(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE mail_outbox SET sent_at = $2, text_body = '', html_body = '' WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(id).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Counts a failed delivery, keeps its error and schedules the next try.
    ///
    /// # Errors
    /// Database failures.
    pub async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, \
             next_attempt_at = $3 WHERE id = $1 AND sent_at IS NULL";
        on_pool!(self, p => sqlx::query(SQL)
            .bind(id).bind(error).bind(to_micros(next_attempt_at))
            .execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Counts a final failed delivery and stops retrying the message; its
    /// envelope and error stay for the record, its bodies go.
    ///
    /// # Errors
    /// Database failures.
    pub async fn give_up_mail(
        &self,
        id: i64,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, \
             gave_up_at = $3, text_body = '', html_body = '' WHERE id = $1 AND sent_at IS NULL";
        on_pool!(self, p => sqlx::query(SQL)
            .bind(id).bind(error).bind(to_micros(now))
            .execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// How many messages still wait for delivery (abandoned ones excluded).
    ///
    /// # Errors
    /// Database failures.
    pub async fn outbox_depth(&self) -> Result<u64, StoreError> {
        const SQL: &str =
            "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL";
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One message, whatever its state; for tests and support tooling.
    ///
    /// # Errors
    /// Database failures and undecodable rows.
    pub async fn mail_by_id(&self, id: i64) -> Result<Option<OutboxMessage>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            outbox_columns!(),
            " FROM mail_outbox WHERE id = $1"
        );
        let row: Option<OutboxRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
        row.map(OutboxMessage::try_from).transpose()
    }
}
