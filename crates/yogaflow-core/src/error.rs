//! Errors the domain reports. Status codes are chosen elsewhere (in the web
//! crate's single error mapping); here we only say what went wrong.

use std::fmt;

/// One problem with one input field, in words a client developer can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where the value came from: `query`, `path` or `body`.
    pub location: &'static str,
    pub field: String,
    /// A short machine word: `missing`, `too_small`, `too_large`, `invalid`, `repeated`, `unknown_value`.
    pub kind: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(
        location: &'static str,
        field: impl Into<String>,
        kind: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            location,
            field: field.into(),
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The kinds of thing the catalog can fail to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Pose,
    Sequence,
}

impl Resource {
    pub fn name(self) -> &'static str {
        match self {
            Resource::Pose => "Pose",
            Resource::Sequence => "Sequence",
        }
    }
}

/// What a catalog use case can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{} with ID {id} not found", resource.name())]
    NotFound { resource: Resource, id: i64 },
    #[error("request validation failed")]
    Invalid(Vec<FieldError>),
    #[error("the catalog store failed: {0}")]
    Store(String),
}

/// What an account use case can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Wrong email or password, locked, or unknown: deliberately one answer.
    #[error("Incorrect email or password")]
    InvalidCredentials,
    /// No usable credentials on a request that needs them.
    #[error("Not authenticated")]
    NotAuthenticated,
    /// A token that is malformed, forged, expired or of the wrong kind.
    #[error("Could not validate credentials")]
    InvalidToken,
    /// The session was signed out (logout, password change, reuse detection).
    #[error("Token has been revoked. Please login again.")]
    Revoked,
    /// A one-time link that is unknown, used or expired.
    #[error("This link is invalid or has expired. Please request a new one.")]
    InvalidLink,
    #[error("Please verify your email address first.")]
    EmailNotVerified,
    #[error("The current password is incorrect.")]
    WrongCurrentPassword,
    #[error("That email address cannot be used.")]
    EmailUnavailable,
    #[error("Admin access required")]
    Forbidden,
    #[error("Too many requests. Please slow down.")]
    RateLimited { retry_after_secs: u64 },
    #[error("The service is busy. Please try again shortly.")]
    Busy,
    #[error("The server is out of storage space. Please try again later.")]
    StorageFull,
    #[error("request validation failed")]
    Invalid(Vec<FieldError>),
    #[error("the account store failed: {0}")]
    Store(String),
}
