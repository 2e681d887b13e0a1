//! [`Mail`], one rendered and addressed email, and its conversion into an
//! RFC 5322 message by lettre's builder, which is where the recipient address
//! and the header values are checked.

use lettre::Address;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use std::time::SystemTime;
use time::OffsetDateTime;

/// A rendered email for one recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// A bare address (`name@example.com`), no display name.
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// What the message is for (`verify_email`, ...): logged, never the body.
    pub kind: String,
}

/// A rendered email not yet addressed: what the templates produce.
#[derive(Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub kind: &'static str,
}

impl Content {
    /// The same email, addressed to `address`.
    pub fn to(self, address: impl Into<String>) -> Mail {
        Mail {
            to: address.into(),
            subject: self.subject,
            text: self.text,
            html: self.html,
            kind: self.kind.to_owned(),
        }
    }
}

/// Only the envelope: the bodies carry one-time links that logs must not keep.
impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("kind", &self.kind)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("kind", &self.kind)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a [`Mail`] cannot become a message. Permanent: retrying cannot help.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient is not a valid email address: {0}")]
    Recipient(#[from] lettre::address::AddressError),
    #[error("the subject must be a single line")]
    Subject,
    #[error("the message cannot be built: {0}")]
    Build(#[from] lettre::error::Error),
}

impl Mail {
    /// The recipient, parsed by lettre: anything that is not exactly one
    /// address (a display name, a second header smuggled in after CR/LF) fails.
    ///
    /// # Errors
    /// [`ComposeError::Recipient`].
    pub fn recipient(&self) -> Result<Address, ComposeError> {
        Ok(self.to.parse::<Address>()?)
    }

    /// The complete message: `multipart/alternative` with the text part first,
    /// so clients that show HTML pick the last part and the rest the first.
    ///
    /// # Errors
    /// A bad recipient or subject, or a message lettre refuses to build.
    pub fn compose(&self, from: &Mailbox, date: OffsetDateTime) -> Result<Message, ComposeError> {
        // lettre would encode a line break inside the subject safely, but a
        // multi-line subject is always a bug upstream, so refuse it loudly.
        if self.subject.chars().any(char::is_control) {
            return Err(ComposeError::Subject);
        }
        let message = Message::builder()
            .from(from.clone())
            .to(Mailbox::new(None, self.recipient()?))
            .subject(self.subject.as_str())
            .date(SystemTime::from(date))
            // Under the sender's own domain: spam filters mark mail without a
            // Message-ID, and one naming the container's host name looks odd.
            .message_id(Some(format!(
                "<{}@{}>",
                uuid::Uuid::new_v4().simple(),
                from.email.domain()
            )))
            .multipart(MultiPart::alternative_plain_html(
                self.text.clone(),
                self.html.clone(),
            ))?;
        Ok(message)
    }
}
