//! Where a message goes once the worker has claimed it: `.eml` files in a
//! folder (development, no server needed), an SMTP server, or a list in memory
//! (unit tests). Only the worker calls [`Transport::send`]; requests never wait
//! on it.

use crate::message::{ComposeError, Mail};
use crate::settings::{Security, SmtpSettings, TransportSettings};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use time::OffsetDateTime;
use yogaflow_store::to_micros;

/// How long one SMTP command may take before the server counts as unreachable.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole delivery may take. A message holds several commands
/// (greeting, STARTTLS, AUTH, MAIL, RCPT, DATA), each bounded by
/// [`SMTP_TIMEOUT`]; this caps their sum so it stays well inside the worker's
/// claim on the message, and no other instance can send it meanwhile.
pub const SEND_DEADLINE: Duration = Duration::from_secs(60);

pub enum Transport {
    /// One RFC 5322 file per message, `<unix-micros>-<outbox id>.eml`.
    File {
        dir: PathBuf,
    },
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    /// Keeps every message; for tests.
    Memory(Arc<Mutex<Vec<Mail>>>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::File { dir } => f.debug_struct("File").field("dir", dir).finish(),
            Transport::Smtp(_) => f.write_str("Smtp"),
            Transport::Memory(_) => f.write_str("Memory"),
        }
    }
}

/// Why a delivery failed. Only [`SendError::Compose`] is permanent; every
/// other failure is worth retrying later.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error("cannot write the message file: {0}")]
    File(#[from] std::io::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("the mail server did not finish within {} seconds", SEND_DEADLINE.as_secs())]
    Timeout,
}

impl SendError {
    /// Whether a later try could succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Compose(_))
    }
}

impl Transport {
    /// The transport the settings ask for.
    ///
    /// # Errors
    /// When the TLS configuration for the SMTP host cannot be built.
    pub fn from_settings(settings: &TransportSettings) -> Result<Transport, SendError> {
        match settings {
            TransportSettings::File { dir } => Ok(Transport::File { dir: dir.clone() }),
            TransportSettings::Smtp(smtp) => Transport::smtp(smtp),
        }
    }

    /// A pooled SMTP client. Nothing connects until the first message.
    ///
    /// # Errors
    /// When the TLS configuration for the host cannot be built.
    pub fn smtp(s: &SmtpSettings) -> Result<Transport, SendError> {
        let tls = match s.security {
            Security::StartTls => Tls::Required(TlsParameters::new(s.host.clone())?),
            Security::Tls => Tls::Wrapper(TlsParameters::new(s.host.clone())?),
            Security::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.as_str())
            .port(s.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let (Some(user), Some(password)) = (&s.user, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Transport::Smtp(Box::new(builder.build())))
    }

    /// An in-memory transport and the list it fills.
    pub fn memory() -> (Transport, Arc<Mutex<Vec<Mail>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        (Transport::Memory(Arc::clone(&sent)), sent)
    }

    /// Delivers outbox message `id`. Logs one line naming the message (file or
    /// id) and its kind; never the address, body or links.
    ///
    /// # Errors
    /// A message that cannot be composed (permanent), or a failed write or
    /// SMTP exchange (worth retrying).
    pub async fn send(
        &self,
        from: &Mailbox,
        mail: &Mail,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<(), SendError> {
        // Composed even for memory, so every transport refuses the same input.
        let message = mail.compose(from, now)?;
        match self {
            Transport::File { dir } => {
                let name = format!("{}-{id}.eml", to_micros(now));
                write_file(dir, &name, &message.formatted()).await?;
                tracing::info!(file = %name, kind = %mail.kind, "mail written to the outbox folder");
            }
            Transport::Smtp(smtp) => {
                tokio::time::timeout(SEND_DEADLINE, smtp.send(message))
                    .await
                    .map_err(|_| SendError::Timeout)??;
                tracing::info!(id, kind = %mail.kind, "mail handed to the SMTP server");
            }
            Transport::Memory(sent) => {
                sent.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(mail.clone());
            }
        }
        Ok(())
    }
}

/// Writes under a temporary name and renames, so whoever watches the folder
/// never picks up half a message.
async fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, dir.join(name)).await
}
