//! Wire shapes of the account API: 1.0's `UserResponse`, `TokenResponse` and
//! `AuthResponse`, plus the request bodies (which refuse unknown fields, so
//! `role` or `email_verified` in a body is a 422, never a privilege).

use crate::dto::timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use yogaflow_core::accounts::User;
use yogaflow_store::SessionInfo;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub experience_level: String,
    pub email_verified: bool,
    pub role: String,
    pub time_zone: String,
    pub created_at: String,
    pub last_login: Option<String>,
}

impl From<&User> for UserResponse {
    fn from(u: &User) -> Self {
        UserResponse {
            user_id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            experience_level: u.experience_level.to_string(),
            email_verified: u.email_verified,
            role: u.role.as_str().into(),
            time_zone: u.time_zone.clone(),
            created_at: timestamp(u.created_at),
            last_login: u.last_login.map(timestamp),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Opaque; single use: every refresh returns a new one.
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    pub user: UserResponse,
    pub tokens: TokenResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl MessageResponse {
    pub fn new(message: &str) -> Self {
        MessageResponse {
            message: message.into(),
            email: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub session_id: String,
    pub user_agent: String,
    pub remember_me: bool,
    pub created_at: String,
    pub last_used_at: String,
    pub expires_at: String,
    /// The session making this request.
    pub current: bool,
}

impl SessionResponse {
    pub fn new(s: &SessionInfo, current_id: i64) -> Self {
        SessionResponse {
            session_id: s.sid.clone(),
            user_agent: s.user_agent.clone(),
            remember_me: s.remember,
            created_at: timestamp(s.created_at),
            last_used_at: timestamp(s.last_used_at),
            expires_at: timestamp(s.expires_at),
            current: s.id == current_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionListResponse {
    pub sessions: Vec<SessionResponse>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub name: String,
    pub password: String,
    pub experience_level: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub remember_me: bool,
    /// Browsers: also sign in with an HttpOnly session cookie (the web app does).
    #[serde(default)]
    pub session_cookie: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    pub token: String,
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    pub experience_level: Option<String>,
    /// An IANA time zone such as `Europe/Paris`; days and streaks follow it.
    pub time_zone: Option<String>,
    /// Not accepted here: use `POST /profile/email`, which verifies the new address.
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeEmailRequest {
    pub new_email: String,
    pub current_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    pub current_password: String,
}
