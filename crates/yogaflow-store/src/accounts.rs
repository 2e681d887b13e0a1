//! Users, sign-in sessions with their refresh-token families, one-time account
//! tokens and login throttle counters.
//!
//! Every secret arrives here already hashed (password: Argon2id PHC string;
//! tokens: SHA-256 hex), so a copy of the database holds nothing usable to sign in.

use crate::timestamp::{from_micros, to_micros};
use crate::{Db, StoreError, on_pool};
use time::OffsetDateTime;
use yogaflow_core::accounts::lockout::Counter;
use yogaflow_core::accounts::{Role, User};
use yogaflow_core::catalog::Difficulty;

macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, u.role, u.experience_level, u.email_verified, u.time_zone, \
         u.tokens_valid_after, u.created_at, u.updated_at, u.last_login, u.practice_version"
    };
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    experience_level: String,
    email_verified: bool,
    time_zone: String,
    tokens_valid_after: i64,
    created_at: i64,
    updated_at: i64,
    last_login: Option<i64>,
    practice_version: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User, StoreError> {
        Ok(User {
            id: r.id,
            email: r.email,
            name: r.name,
            role: Role::parse(&r.role)
                .ok_or_else(|| StoreError::Corrupt(format!("role {}", r.role)))?,
            experience_level: Difficulty::parse(&r.experience_level)
                .ok_or_else(|| StoreError::Corrupt(format!("level {}", r.experience_level)))?,
            email_verified: r.email_verified,
            time_zone: r.time_zone,
            tokens_valid_after: from_micros(r.tokens_valid_after),
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
            last_login: r.last_login.map(from_micros),
            practice_version: r.practice_version,
        })
    }
}

/// A new account, with its password already hashed.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub experience_level: Difficulty,
    pub role: Role,
    pub email_verified: bool,
}

/// A sign-in to record: its public id, owner, lifetime and first refresh token digest.
pub struct NewSession<'a> {
    /// Digest of the browser cookie's secret, for cookie sign-ins.
    pub cookie_hash: Option<&'a str>,
    pub user_id: i64,
    pub sid: &'a str,
    pub remember: bool,
    pub user_agent: &'a str,
    pub refresh_hash: &'a str,
    pub expires_at: OffsetDateTime,
}

/// A signed-in device and the user it belongs to.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: i64,
    pub sid: String,
    pub user_id: i64,
    pub remember: bool,
    pub user_agent: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    sid: String,
    user_id: i64,
    remember: bool,
    user_agent: String,
    created_at: i64,
    last_used_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

impl From<SessionRow> for SessionInfo {
    fn from(r: SessionRow) -> Self {
        SessionInfo {
            id: r.id,
            sid: r.sid,
            user_id: r.user_id,
            remember: r.remember,
            user_agent: r.user_agent,
            created_at: from_micros(r.created_at),
            last_used_at: from_micros(r.last_used_at),
            expires_at: from_micros(r.expires_at),
            revoked_at: r.revoked_at.map(from_micros),
        }
    }
}

/// A refresh token found by its digest, with its session.
#[derive(Debug, Clone)]
pub struct RefreshInfo {
    pub id: i64,
    pub used_at: Option<OffsetDateTime>,
    pub session: SessionInfo,
}

/// What a one-time account token was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::ResetPassword => "reset_password",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }
}

fn small(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Db {
    /// Creates an account; `None` when the email is already registered.
    ///
    /// # Errors
    /// Database failures.
    pub async fn create_user(
        &self,
        u: &NewUser<'_>,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "INSERT INTO users (email, name, password_hash, role, experience_level, email_verified, \
             time_zone, tokens_valid_after, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'UTC', $7, $7, $7) \
             ON CONFLICT (email) DO NOTHING RETURNING id";
        let ts = to_micros(now);
        Ok(on_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(u.email).bind(u.name).bind(u.password_hash).bind(u.role.as_str())
            .bind(u.experience_level.as_str()).bind(u.email_verified).bind(ts)
            .fetch_optional(p).await)?)
    }

    /// The account for a normalised email, with its password hash.
    ///
    /// # Errors
    /// Database failures and undecodable rows.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.email = $1"
        );
        const HASH: &str = "SELECT password_hash FROM users WHERE id = $1";
        let row: Option<UserRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(email).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let hash: String =
            on_pool!(self, p => sqlx::query_scalar(HASH).bind(row.id).fetch_one(p).await)?;
        Ok(Some((User::try_from(row)?, hash)))
    }

    /// # Errors
    /// Database failures and undecodable rows.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        const SQL: &str = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1");
        let row: Option<UserRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    /// The password hash of a user, for re-authentication.
    ///
    /// # Errors
    /// Database failures.
    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT password_hash FROM users WHERE id = $1";
        Ok(on_pool!(self, p => sqlx::query_scalar(SQL).bind(user_id).fetch_optional(p).await)?)
    }

    /// Stores a new hash of the same password (stronger parameters); signs no one out.
    ///
    /// # Errors
    /// Database failures.
    pub async fn rehash_password(&self, user_id: i64, hash: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(hash).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Sets a new password and signs out every session except `keep` (the one
    /// that made the change, if any); older access tokens stop working at once.
    ///
    /// # Errors
    /// Database failures; nothing changes then.
    pub async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        keep: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
        const REVOKE: &str = "UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $3";
        const RESETS: &str = "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL";
        let ts = to_micros(now);
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(SQL).bind(user_id).bind(hash).bind(ts).execute(&mut *tx).await?;
            sqlx::query(REVOKE).bind(user_id).bind(ts).bind(keep.unwrap_or(-1)).execute(&mut *tx).await?;
            sqlx::query(RESETS).bind(user_id).bind(ts).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// # Errors
    /// Database failures.
    pub async fn mark_email_verified(
        &self,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET email_verified = TRUE, updated_at = $2 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Updates the fields a user may edit about themselves.
    ///
    /// # Errors
    /// Database failures.
    pub async fn update_profile(
        &self,
        user_id: i64,
        name: Option<&str>,
        level: Option<Difficulty>,
        time_zone: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET name = COALESCE($2, name), experience_level = COALESCE($3, experience_level), \
             time_zone = COALESCE($4, time_zone), updated_at = $5 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(name).bind(level.map(Difficulty::as_str))
            .bind(time_zone).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Moves the account to a new (already verified) address and signs out every
    /// session; `false` when another account holds that address.
    ///
    /// # Errors
    /// Database failures.
    pub async fn change_email(
        &self,
        user_id: i64,
        email: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const TAKEN: &str = "SELECT COUNT(*) FROM users WHERE email = $1";
        const SQL: &str =
            "UPDATE users SET email = $2, email_verified = TRUE, updated_at = $3 WHERE id = $1";
        const REVOKE: &str =
            "UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
        const TOKENS: &str =
            "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
        let ts = to_micros(now);
        let moved = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n: i64 = sqlx::query_scalar(TAKEN).bind(email).fetch_one(&mut *tx).await?;
            if n > 0 {
                false
            } else {
                sqlx::query(SQL).bind(user_id).bind(email).bind(ts).execute(&mut *tx).await?;
                sqlx::query(REVOKE).bind(user_id).bind(ts).execute(&mut *tx).await?;
                sqlx::query(TOKENS).bind(user_id).bind(ts).execute(&mut *tx).await?;
                tx.commit().await?;
                true
            }
        });
        Ok(moved)
    }

    /// Deletes an account and, through cascades, everything that belongs to it.
    ///
    /// # Errors
    /// Database failures.
    pub async fn delete_user(&self, user_id: i64) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM users WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Gives or takes the admin role; `false` when no account has that email.
    ///
    /// # Errors
    /// Database failures.
    pub async fn set_role(
        &self,
        email: &str,
        role: Role,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE users SET role = $2, updated_at = $3 WHERE email = $1";
        let n = on_pool!(self, p => sqlx::query(SQL).bind(email).bind(role.as_str()).bind(to_micros(now)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// # Errors
    /// Database failures.
    pub async fn touch_login(&self, user_id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET last_login = $2 WHERE id = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Opens a session with its first refresh token.
    ///
    /// # Errors
    /// Database failures.
    pub async fn create_session(
        &self,
        s: &NewSession<'_>,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO auth_sessions (sid, user_id, remember, user_agent, created_at, last_used_at, expires_at, cookie_hash) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING id";
        const REFRESH: &str =
            "INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)";
        let ts = to_micros(now);
        let id = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(SQL).bind(s.sid).bind(s.user_id).bind(s.remember).bind(s.user_agent)
                .bind(ts).bind(to_micros(s.expires_at)).bind(s.cookie_hash).fetch_one(&mut *tx).await?;
            sqlx::query(REFRESH).bind(id).bind(s.refresh_hash).bind(ts).execute(&mut *tx).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The session an access token names, with its user, for every authenticated request.
    ///
    /// # Errors
    /// Database failures and undecodable rows.
    pub async fn session_with_user(
        &self,
        sid: &str,
    ) -> Result<Option<(SessionInfo, User)>, StoreError> {
        const SQL: &str = "SELECT s.id, s.sid, s.user_id, s.remember, s.user_agent, s.created_at, s.last_used_at, s.expires_at, s.revoked_at \
             FROM auth_sessions s WHERE s.sid = $1";
        let row: Option<SessionRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(sid).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let session = SessionInfo::from(row);
        let Some(user) = self.user_by_id(session.user_id).await? else {
            return Ok(None);
        };
        Ok(Some((session, user)))
    }

    /// The refresh token with this digest and its session.
    ///
    /// # Errors
    /// Database failures.
    pub async fn refresh_token(&self, hash: &str) -> Result<Option<RefreshInfo>, StoreError> {
        const SQL: &str = "SELECT r.id AS refresh_id, r.used_at AS refresh_used_at, s.id, s.sid, s.user_id, s.remember, s.user_agent, \
             s.created_at, s.last_used_at, s.expires_at, s.revoked_at \
             FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id WHERE r.token_hash = $1";
        #[derive(sqlx::FromRow)]
        struct Row {
            refresh_id: i64,
            refresh_used_at: Option<i64>,
            #[sqlx(flatten)]
            session: SessionRow,
        }
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(hash).fetch_optional(p).await)?;
        Ok(row.map(|r| RefreshInfo {
            id: r.refresh_id,
            used_at: r.refresh_used_at.map(from_micros),
            session: r.session.into(),
        }))
    }

    /// Marks a refresh token used and adds its successor, atomically; `false` when
    /// it was already used (the caller then applies the reuse rule).
    ///
    /// # Errors
    /// Database failures.
    pub async fn rotate_refresh(
        &self,
        refresh_id: i64,
        session_id: i64,
        new_hash: &str,
        now: OffsetDateTime,
        force: bool,
    ) -> Result<bool, StoreError> {
        const CLAIM: &str =
            "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
        const INSERT: &str =
            "INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)";
        const TOUCH: &str = "UPDATE auth_sessions SET last_used_at = $2 WHERE id = $1";
        let ts = to_micros(now);
        let rotated = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let claimed = sqlx::query(CLAIM).bind(refresh_id).bind(ts).execute(&mut *tx).await?.rows_affected() == 1;
            if claimed || force {
                sqlx::query(INSERT).bind(session_id).bind(new_hash).bind(ts).execute(&mut *tx).await?;
                sqlx::query(TOUCH).bind(session_id).bind(ts).execute(&mut *tx).await?;
                tx.commit().await?;
                true
            } else {
                false
            }
        });
        Ok(rotated)
    }

    /// Ends one session (and with it its refresh family).
    ///
    /// # Errors
    /// Database failures.
    pub async fn revoke_session(
        &self,
        session_id: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE auth_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
        on_pool!(self, p => sqlx::query(SQL).bind(session_id).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Ends one of a user's sessions by its public id; `false` if the user has no such session.
    ///
    /// # Errors
    /// Database failures.
    pub async fn revoke_session_of(
        &self,
        user_id: i64,
        sid: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE auth_sessions SET revoked_at = $3 WHERE user_id = $1 AND sid = $2 AND revoked_at IS NULL";
        let n = on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(sid).bind(to_micros(now)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Ends every session of a user.
    ///
    /// # Errors
    /// Database failures.
    pub async fn revoke_all_sessions(
        &self,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
        on_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// A user's sessions still open at `now`, newest first.
    ///
    /// # Errors
    /// Database failures.
    pub async fn open_sessions(
        &self,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        const SQL: &str = "SELECT s.id, s.sid, s.user_id, s.remember, s.user_agent, s.created_at, s.last_used_at, s.expires_at, s.revoked_at \
             FROM auth_sessions s WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 ORDER BY s.created_at DESC, s.id DESC";
        let rows: Vec<SessionRow> = on_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(to_micros(now)).fetch_all(p).await)?;
        Ok(rows.into_iter().map(SessionInfo::from).collect())
    }

    /// Issues a one-time token; older unused tokens of the same purpose die, so
    /// only the newest link works.
    ///
    /// # Errors
    /// Database failures.
    pub async fn issue_account_token(
        &self,
        user_id: i64,
        purpose: TokenPurpose,
        hash: &str,
        email: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const KILL: &str = "UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL";
        const SQL: &str = "INSERT INTO account_tokens (user_id, purpose, token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        let ts = to_micros(now);
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(KILL).bind(user_id).bind(purpose.as_str()).bind(ts).execute(&mut *tx).await?;
            sqlx::query(SQL).bind(user_id).bind(purpose.as_str()).bind(hash).bind(email).bind(ts).bind(to_micros(expires_at)).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Uses a one-time token: `(user id, bound email)` when it exists, has this
    /// purpose, is unexpired and unused; it can never be used again.
    ///
    /// # Errors
    /// Database failures.
    pub async fn take_account_token(
        &self,
        hash: &str,
        purpose: TokenPurpose,
        now: OffsetDateTime,
    ) -> Result<Option<(i64, String)>, StoreError> {
        const SQL: &str = "UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL \
             AND expires_at > $3 RETURNING user_id, email";
        Ok(
            on_pool!(self, p => sqlx::query_as(SQL).bind(hash).bind(purpose.as_str()).bind(to_micros(now)).fetch_optional(p).await)?,
        )
    }

    /// # Errors
    /// Database failures.
    pub async fn throttle(&self, key: &str) -> Result<Counter, StoreError> {
        const SQL: &str = "SELECT failures, locked_until FROM login_throttle WHERE key = $1";
        let row: Option<(i32, i64)> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(key).fetch_optional(p).await)?;
        Ok(row.map_or_else(Counter::default, |(f, l)| Counter {
            failures: u32::try_from(f).unwrap_or(0),
            locked_until: (l > 0).then(|| from_micros(l)),
        }))
    }

    /// # Errors
    /// Database failures.
    pub async fn set_throttle(
        &self,
        key: &str,
        c: Counter,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at";
        on_pool!(self, p => sqlx::query(SQL).bind(key).bind(small(c.failures))
            .bind(c.locked_until.map_or(0, to_micros)).bind(to_micros(now)).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Forgets the counters of these keys (after a success or a password reset).
    ///
    /// # Errors
    /// Database failures.
    pub async fn clear_throttle(&self, key: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM login_throttle WHERE key = $1";
        on_pool!(self, p => sqlx::query(SQL).bind(key).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Clears every device counter of an email (password reset ends all locks).
    ///
    /// # Errors
    /// Database failures.
    pub async fn clear_throttle_prefix(&self, prefix: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM login_throttle WHERE key LIKE $1 ESCAPE '\\'";
        let pattern = format!(
            "{}%",
            prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        on_pool!(self, p => sqlx::query(SQL).bind(pattern).execute(p).await.map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// Who a one-time token belongs to, without using it up (to check a new
    /// password against the account before the reset consumes the link).
    ///
    /// # Errors
    /// Database failures.
    pub async fn peek_account_token(
        &self,
        hash: &str,
        purpose: TokenPurpose,
        now: OffsetDateTime,
    ) -> Result<Option<(i64, String)>, StoreError> {
        const SQL: &str = "SELECT user_id, email FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        Ok(
            on_pool!(self, p => sqlx::query_as(SQL).bind(hash).bind(purpose.as_str()).bind(to_micros(now)).fetch_optional(p).await)?,
        )
    }
}

impl Db {
    /// The digest of a session's browser-cookie secret, when it was a cookie sign-in.
    ///
    /// # Errors
    /// Database failures.
    pub async fn session_cookie_hash(&self, sid: &str) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT cookie_hash FROM auth_sessions WHERE sid = $1";
        let row: Option<Option<String>> =
            on_pool!(self, p => sqlx::query_scalar(SQL).bind(sid).fetch_optional(p).await)?;
        Ok(row.flatten())
    }
}
