//! A user account as the rest of the domain sees it (never with its password hash).

use super::email::Email;
use crate::catalog::Difficulty;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "user" => Some(Role::User),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub experience_level: Difficulty,
    pub email_verified: bool,
    pub time_zone: String,
    pub tokens_valid_after: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub last_login: Option<OffsetDateTime>,
    /// Grows whenever the user's practice sessions change.
    pub practice_version: i64,
}

impl User {
    /// The user's email as a normalised address (it was normalised on the way in).
    pub fn email(&self) -> Option<Email> {
        Email::parse(&self.email, "email").ok()
    }
}
