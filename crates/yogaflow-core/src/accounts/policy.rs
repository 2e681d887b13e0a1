//! Lifetimes and limits of everything that proves identity, in one place so the
//! security table in SECURITY.md can point at them.

use time::Duration;

/// Access tokens are short-lived: a stolen one is useful for minutes, not a day
/// (1.0 issued them for 24 hours).
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(10);
/// A sign-in without "remember me" lasts one day; with it, 30 days (absolute).
pub const SESSION_TTL: Duration = Duration::days(1);
pub const REMEMBERED_SESSION_TTL: Duration = Duration::days(30);
/// A remembered session unused for this long ends (idle timeout).
pub const SESSION_IDLE_TTL: Duration = Duration::days(7);
/// Two honest refreshes racing with the same token within this window both
/// succeed; a replay after it is treated as theft.
pub const REFRESH_REUSE_GRACE: Duration = Duration::seconds(10);
pub const RESET_TOKEN_TTL: Duration = Duration::minutes(30);
pub const VERIFY_TOKEN_TTL: Duration = Duration::hours(24);
pub const CHANGE_EMAIL_TOKEN_TTL: Duration = Duration::hours(24);
/// Sensitive actions need the password again unless signed in this recently.
pub const RECENT_AUTH: Duration = Duration::minutes(5);
