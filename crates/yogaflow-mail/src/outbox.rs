//! The outbox's two ends. [`Mailer::send_later`] is what requests call: it
//! checks the message and writes one row, nothing more, so a slow or failing
//! mail server can never hold a request up. [`Worker`] is the background task
//! that claims due rows, sends them and records the outcome, retrying
//! failures on the [`retry_delay`] schedule.

use crate::message::{ComposeError, Mail};
use crate::retry::{MAX_ATTEMPTS, retry_delay};
use crate::transport::{SEND_DEADLINE, SendError, Transport};
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use yogaflow_core::clock::Clock;
use yogaflow_store::{Db, NewMail, OutboxMessage, StoreError};

/// How often the worker looks for due messages when nobody wakes it; this also
/// bounds how late a retry or another instance's message goes out.
const POLL_EVERY: Duration = Duration::from_millis(500);
/// Messages read per query; a full batch is followed at once by another.
const BATCH: u32 = 20;
/// Stored errors are cut to this many characters: enough to diagnose, and a
/// chatty server cannot bloat the table.
const MAX_ERROR_CHARS: usize = 500;

/// How long a claim keeps other workers off a message. Longer than any
/// delivery may take ([`SEND_DEADLINE`]), so a message is only sent twice if
/// its worker died mid-send.
fn lease() -> time::Duration {
    time::Duration::try_from(SEND_DEADLINE * 5).unwrap_or(time::Duration::MINUTE * 5)
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message can never be sent (bad address or header); nothing was queued.
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Queues mail for delivery; cheap to clone, one per application.
#[derive(Clone)]
pub struct Mailer {
    db: Db,
    from: Mailbox,
    /// Shared with the worker, so a new message goes out without waiting for
    /// the next poll.
    wake: Arc<Notify>,
}

impl Mailer {
    pub fn new(db: Db, from: Mailbox) -> Mailer {
        Mailer {
            db,
            from,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Checks that `mail` makes a valid message and queues it; returns its
    /// outbox id. Never talks to the mail server.
    ///
    /// # Errors
    /// [`MailError::Compose`] for a bad recipient or subject (say, an address
    /// with a smuggled `\r\nBcc:`); [`MailError::Store`] when the row cannot
    /// be written.
    pub async fn send_later(&self, mail: Mail, now: OffsetDateTime) -> Result<i64, MailError> {
        // Composing now turns a message that could never be sent into an error
        // for the caller, instead of a row the worker would fail on later.
        mail.compose(&self.from, now)?;
        let row = NewMail {
            to_address: &mail.to,
            subject: &mail.subject,
            text_body: &mail.text,
            html_body: &mail.html,
            kind: &mail.kind,
        };
        let id = self.db.enqueue_mail(&row, now).await?;
        self.wake.notify_one();
        Ok(id)
    }

    /// What a [`Worker`] needs to deliver this mailer's messages.
    pub fn worker_settings(&self, clock: Arc<dyn Clock>) -> WorkerSettings {
        WorkerSettings {
            from: self.from.clone(),
            clock,
            wake: Arc::clone(&self.wake),
            poll_every: POLL_EVERY,
        }
    }
}

/// How a [`Worker`] runs; usually from [`Mailer::worker_settings`].
pub struct WorkerSettings {
    pub from: Mailbox,
    /// The source of "now" for due times, claims and backoff.
    pub clock: Arc<dyn Clock>,
    pub wake: Arc<Notify>,
    pub poll_every: Duration,
}

/// The background task that delivers the outbox.
pub struct Worker {
    db: Db,
    transport: Transport,
    settings: WorkerSettings,
}

impl Worker {
    /// Starts the worker. It stops once `shutdown` turns true (or its sender is
    /// dropped), after finishing the message in hand.
    pub fn spawn(
        db: Db,
        transport: Transport,
        settings: WorkerSettings,
        shutdown: watch::Receiver<bool>,
    ) -> JoinHandle<()> {
        let worker = Worker {
            db,
            transport,
            settings,
        };
        tokio::spawn(worker.run(shutdown))
    }

    async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(transport = ?self.transport, "mail worker started");
        while !*shutdown.borrow() {
            if self.pass(&shutdown).await {
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.poll_every) => {}
                () = self.settings.wake.notified() => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!("mail worker stopped");
    }

    /// Delivers what is due; `true` when more may be due right away.
    async fn pass(&self, shutdown: &watch::Receiver<bool>) -> bool {
        let due = match self.db.due_mail(self.settings.clock.now(), BATCH).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "mail worker cannot read the outbox");
                return false;
            }
        };
        let full = due.len() == BATCH as usize;
        for msg in due {
            if *shutdown.borrow() {
                return false;
            }
            let id = msg.id;
            if let Err(e) = self.deliver(msg).await {
                // The row keeps its claim and is retried once the lease ends.
                tracing::warn!(id, error = %e, "mail worker cannot update the outbox");
                return false;
            }
        }
        full
    }

    async fn deliver(&self, msg: OutboxMessage) -> Result<(), StoreError> {
        let now = self.settings.clock.now();
        if !self.db.claim_mail(msg.id, now, now + lease()).await? {
            return Ok(()); // another instance took it
        }
        let mail = Mail {
            to: msg.to_address,
            subject: msg.subject,
            text: msg.text_body,
            html: msg.html_body,
            kind: msg.kind,
        };
        match self
            .transport
            .send(&self.settings.from, &mail, msg.id, now)
            .await
        {
            Ok(()) => {
                self.db
                    .mark_mail_sent(msg.id, self.settings.clock.now())
                    .await
            }
            Err(e) => {
                self.record_failure(msg.id, &mail.kind, msg.attempts + 1, &e)
                    .await
            }
        }
    }

    async fn record_failure(
        &self,
        id: i64,
        kind: &str,
        attempts: u32,
        e: &SendError,
    ) -> Result<(), StoreError> {
        // The error text comes from lettre or the server, never from the body.
        let error: String = e.to_string().chars().take(MAX_ERROR_CHARS).collect();
        let now = self.settings.clock.now();
        if e.is_permanent() || attempts >= MAX_ATTEMPTS {
            tracing::error!(id, kind, attempts, error = %error, "mail abandoned; it will not be retried");
            return self.db.give_up_mail(id, &error, now).await;
        }
        let delay = retry_delay(attempts);
        tracing::warn!(id, kind, attempts, retry_in_s = delay.whole_seconds(), error = %error, "mail delivery failed");
        self.db.mark_mail_failed(id, &error, now + delay).await
    }
}
