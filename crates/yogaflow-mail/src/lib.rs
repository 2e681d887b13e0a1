//! Mail for YogaFlow: the emails themselves ([`templates`]), their settings,
//! and a database outbox that decouples sending from requests.
//!
//! A request renders a template, addresses it and calls
//! [`Mailer::send_later`], which only validates and writes a row. The
//! [`Worker`], one per instance, claims due rows, hands them to the
//! [`Transport`] (SMTP, or `.eml` files when no server is configured) and
//! retries failures with backoff. Several instances may run workers over one
//! database: a row is claimed atomically before it is sent.

mod layout;
mod message;
mod outbox;
mod retry;
mod settings;
pub mod templates;
mod transport;

pub use message::{ComposeError, Content, Mail};
pub use outbox::{MailError, Mailer, Worker, WorkerSettings};
pub use retry::{MAX_ATTEMPTS, retry_delay};
pub use settings::{MailSettings, Security, SmtpSettings, TransportSettings};
pub use transport::{SEND_DEADLINE, SMTP_TIMEOUT, SendError, Transport};
