//! The account use cases behind `/auth/*` and `/profile`. Handlers call one
//! method each; every rule (lockout, rotation, revocation, enumeration-proof
//! answers, one hash per login) lives here, over the store and the hasher.

use super::hasher::{Busy, PasswordHasher};
use super::jwt::{TokenKeys, derive_key};
use super::secrets::{digest, new_id, new_token};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use time::OffsetDateTime;
use yogaflow_core::accounts::lockout::{Counter, DEVICE_THRESHOLD, EMAIL_THRESHOLD};
use yogaflow_core::accounts::{Email, Role, User, password, policy};
use yogaflow_core::catalog::Difficulty;
use yogaflow_core::clock::Clock;
use yogaflow_core::error::{AccountError, FieldError};
use yogaflow_mail::{Mail, Mailer, templates};
use yogaflow_store::{Db, NewSession, NewUser, SessionInfo, TokenPurpose};

/// Who is asking, for logs and device lists.
#[derive(Debug, Clone, Default)]
pub struct RequestCtx {
    pub ip: String,
    pub user_agent: String,
}

/// Tokens handed to a client after sign-in or refresh.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    /// A signed device cookie to set, when this browser was not yet recognised.
    pub device_cookie: Option<String>,
    /// `sid.secret` for a browser sign-in with a session cookie.
    pub session_cookie: Option<String>,
}

/// An authenticated request's user and session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub session: SessionInfo,
    /// Signed in through the browser session cookie (state changes need a
    /// same-origin check), rather than a bearer token.
    pub via_cookie: bool,
}

pub struct Accounts {
    pub db: Db,
    pub hasher: Arc<PasswordHasher>,
    pub keys: TokenKeys,
    device_key: [u8; 32],
    pub clock: Arc<dyn Clock>,
    pub mailer: Mailer,
    pub public_url: String,
    /// How long a used refresh token may still be presented (honest races).
    pub refresh_grace: time::Duration,
}

impl From<Busy> for AccountError {
    fn from(_: Busy) -> Self {
        AccountError::Busy
    }
}

/// Longest password we will hash; longer input is refused before any work.
const MAX_PASSWORD_BYTES: usize = 1024;

fn invalid(field: &str, kind: &'static str, msg: &str) -> AccountError {
    AccountError::Invalid(vec![FieldError::new("body", field, kind, msg)])
}

fn check_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "body",
            "name",
            "invalid",
            "name must be 1 to 100 characters, without control characters",
        ));
    }
    Ok(name.to_owned())
}

fn bounded_password(pw: &str, field: &str) -> Result<String, AccountError> {
    if pw.len() > MAX_PASSWORD_BYTES {
        return Err(invalid(field, "too_long", "use at most 256 characters"));
    }
    Ok(password::normalize(pw))
}

fn security_event(
    event: &'static str,
    user_id: Option<i64>,
    email: Option<&Email>,
    ctx: &RequestCtx,
    outcome: &'static str,
) {
    crate::metrics::auth_event(event, outcome);
    tracing::info!(
        target: "security",
        event,
        user_id,
        email = email.map(Email::masked),
        client_ip = %ctx.ip,
        outcome,
        "security event"
    );
}

impl Accounts {
    pub fn new(
        db: Db,
        hasher: Arc<PasswordHasher>,
        secret: &[u8],
        clock: Arc<dyn Clock>,
        mailer: Mailer,
        public_url: String,
    ) -> Self {
        Accounts {
            db,
            hasher,
            keys: TokenKeys::new(secret, &public_url),
            device_key: derive_key(secret, "yogaflow device cookie v1"),
            clock,
            mailer,
            public_url,
            refresh_grace: policy::REFRESH_REUSE_GRACE,
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", self.public_url)
    }

    /// Mail goes through the outbox: a failure to enqueue is logged, never shown,
    /// so it cannot reveal whether an address has an account.
    async fn send(&self, mail: Mail) {
        let kind = mail.kind.clone();
        if let Err(e) = self.mailer.send_later(mail, self.now()).await {
            tracing::error!(kind, error = %e, "could not queue mail");
        }
    }

    fn device_mac(&self, device: &str, email: &Email) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.device_key)
            .unwrap_or_else(|_| unreachable!());
        mac.update(device.as_bytes());
        mac.update(b"|");
        mac.update(email.as_str().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The device id in `cookie` when it is ours and was issued to `email`.
    fn recognised_device(&self, cookie: Option<&str>, email: &Email) -> Option<String> {
        let (device, mac) = cookie?.split_once('.')?;
        let expected = self.device_mac(device, email);
        use subtle::ConstantTimeEq as _;
        bool::from(expected.as_bytes().ct_eq(mac.as_bytes())).then(|| device.to_owned())
    }

    async fn open_session(
        &self,
        user: &User,
        remember: bool,
        cookie: bool,
        ctx: &RequestCtx,
    ) -> Result<Issued, AccountError> {
        let now = self.now();
        let sid = new_id();
        let refresh = new_token();
        let ttl = if remember {
            policy::REMEMBERED_SESSION_TTL
        } else {
            policy::SESSION_TTL
        };
        let agent: String = ctx
            .user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let cookie_secret = cookie.then(new_token);
        let cookie_hash = cookie_secret.as_deref().map(digest);
        self.db
            .create_session(
                &NewSession {
                    cookie_hash: cookie_hash.as_deref(),
                    user_id: user.id,
                    sid: &sid,
                    remember,
                    user_agent: &agent,
                    refresh_hash: &digest(&refresh),
                    expires_at: now + ttl,
                },
                now,
            )
            .await?;
        Ok(Issued {
            access_token: self
                .keys
                .issue(user.id, &sid, new_id(), now, policy::ACCESS_TOKEN_TTL),
            refresh_token: refresh,
            expires_in: policy::ACCESS_TOKEN_TTL.whole_seconds(),
            device_cookie: None,
            session_cookie: cookie_secret.map(|secret| format!("{sid}.{secret}")),
        })
    }

    /// Creates an account, or, for an address already registered, mails its owner
    /// instead; the caller cannot tell which happened.
    ///
    /// # Errors
    /// Invalid input (422), or a busy hasher or store.
    pub async fn register(
        &self,
        email: &str,
        name: &str,
        pw: &str,
        level: Option<&str>,
        ctx: &RequestCtx,
    ) -> Result<(), AccountError> {
        let mut errors = Vec::new();
        let email = Email::parse(email, "email")
            .map_err(|e| errors.push(e))
            .ok();
        let name = check_name(name).map_err(|e| errors.push(e)).ok();
        let level = match level {
            None => Some(Difficulty::Beginner),
            Some(l) => Difficulty::parse(l).or_else(|| {
                errors.push(FieldError::new(
                    "body",
                    "experience_level",
                    "unknown_value",
                    "experience_level must be beginner, intermediate or advanced",
                ));
                None
            }),
        };
        let pw = bounded_password(pw, "password")?;
        if let (Some(e), Some(n)) = (&email, &name)
            && let Err(p) = password::check_new(&pw, &[e.as_str(), n], "password")
        {
            errors.push(p);
        }
        let (Some(email), Some(name), Some(level), true) = (email, name, level, errors.is_empty())
        else {
            return Err(AccountError::Invalid(errors));
        };
        // One hash on both paths, so timing does not tell whether the address is taken.
        let hash = self.hasher.hash(pw).await?;
        let now = self.now();
        let new = NewUser {
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            experience_level: level,
            role: Role::User,
            email_verified: false,
        };
        match self.db.create_user(&new, now).await? {
            Some(id) => {
                self.send_verification(id, &email, &name).await?;
                security_event("register", Some(id), Some(&email), ctx, "created");
            }
            None => {
                if let Some((owner, _)) = self.db.user_by_email(email.as_str()).await? {
                    self.send(
                        templates::already_registered(
                            &owner.name,
                            &format!("{}/login", self.public_url),
                            &format!("{}/forgot-password", self.public_url),
                        )
                        .to(owner.email.clone()),
                    )
                    .await;
                }
                security_event("register", None, Some(&email), ctx, "address_taken");
            }
        }
        Ok(())
    }

    async fn send_verification(
        &self,
        user_id: i64,
        email: &Email,
        name: &str,
    ) -> Result<(), AccountError> {
        let token = new_token();
        let now = self.now();
        self.db
            .issue_account_token(
                user_id,
                TokenPurpose::VerifyEmail,
                &digest(&token),
                email.as_str(),
                now,
                now + policy::VERIFY_TOKEN_TTL,
            )
            .await?;
        self.send(
            templates::verify_email(name, &self.link("/verify-email", &token))
                .to(email.as_str().to_owned()),
        )
        .await;
        Ok(())
    }

    /// Signs in. Wrong password, unknown email and a locked email all get the same
    /// answer after the same work: exactly one password hash.
    ///
    /// # Errors
    /// `InvalidCredentials` for every refusal; 422 for malformed input; busy.
    pub async fn login(
        &self,
        email: &str,
        pw: &str,
        remember: bool,
        device_cookie: Option<&str>,
        session_cookie: bool,
        ctx: &RequestCtx,
    ) -> Result<(User, Issued), AccountError> {
        let email = Email::parse(email, "email").map_err(|e| AccountError::Invalid(vec![e]))?;
        let pw = bounded_password(pw, "password")?;
        let now = self.now();
        let device = self.recognised_device(device_cookie, &email);
        let (key, threshold) = match &device {
            Some(d) => (format!("device:{}:{d}", email.as_str()), DEVICE_THRESHOLD),
            None => (format!("email:{}", email.as_str()), EMAIL_THRESHOLD),
        };
        let counter = self.db.throttle(&key).await?;
        let found = self.db.user_by_email(email.as_str()).await?;
        let (user, stored) = match found {
            Some((u, h)) => (Some(u), Some(h)),
            None => (None, None),
        };
        let verified = self.hasher.verify(pw.clone(), stored).await?;
        if counter.is_locked(now) {
            security_event(
                "login_failure",
                user.as_ref().map(|u| u.id),
                Some(&email),
                ctx,
                "locked",
            );
            return Err(AccountError::InvalidCredentials);
        }
        let Some(user) = user.filter(|_| verified.ok) else {
            let next = counter.after_failure(now, threshold);
            self.db.set_throttle(&key, next, now).await?;
            if next.is_locked(now) {
                security_event(
                    "lockout",
                    None,
                    Some(&email),
                    ctx,
                    if device.is_some() {
                        "device_locked"
                    } else {
                        "email_locked"
                    },
                );
                if device.is_none()
                    && let Some((owner, _)) = self.db.user_by_email(email.as_str()).await?
                {
                    self.send(
                        templates::lockout_notice(
                            &owner.name,
                            &format!("{}/forgot-password", self.public_url),
                        )
                        .to(owner.email),
                    )
                    .await;
                }
            }
            security_event(
                "login_failure",
                None,
                Some(&email),
                ctx,
                "invalid_credentials",
            );
            return Err(AccountError::InvalidCredentials);
        };
        if counter != Counter::default() {
            self.db.clear_throttle(&key).await?;
        }
        if verified.needs_rehash {
            // Upgrade the stored hash off the request path, so this login costs the
            // same as any other.
            let (db, hasher, id) = (self.db.clone(), self.hasher.clone(), user.id);
            tokio::spawn(async move {
                if let Ok(h) = hasher.hash(pw).await {
                    let _ = db.rehash_password(id, &h).await;
                }
            });
        }
        let mut issued = self
            .open_session(&user, remember, session_cookie, ctx)
            .await?;
        if device.is_none() {
            let d = new_id();
            issued.device_cookie = Some(format!("{d}.{}", self.device_mac(&d, &email)));
        }
        self.db.touch_login(user.id, now).await?;
        security_event("login_success", Some(user.id), Some(&email), ctx, "ok");
        let user = self.db.user_by_id(user.id).await?.unwrap_or(user);
        Ok((user, issued))
    }

    /// Checks an access token and its session on every authenticated request; the
    /// database is the source of truth, so a revoked session is refused on every
    /// instance at once, with or without Redis.
    ///
    /// # Errors
    /// `InvalidToken` or `Revoked`.
    pub async fn authenticate(&self, token: &str) -> Result<Authenticated, AccountError> {
        let now = self.now();
        let claims = self
            .keys
            .verify(token, now)
            .ok_or(AccountError::InvalidToken)?;
        let auth = self.live_session(&claims.sid, now).await?;
        if auth.user.id.to_string() != claims.sub {
            return Err(AccountError::InvalidToken);
        }
        if claims.iat < auth.user.tokens_valid_after.unix_timestamp() {
            return Err(AccountError::Revoked);
        }
        Ok(auth)
    }

    /// Checks a browser session cookie (`sid.secret`) against its stored digest.
    ///
    /// # Errors
    /// `InvalidToken` or `Revoked`.
    pub async fn authenticate_cookie(&self, value: &str) -> Result<Authenticated, AccountError> {
        let (sid, secret) = value.split_once('.').ok_or(AccountError::InvalidToken)?;
        if sid.len() > 64 || secret.len() > 128 {
            return Err(AccountError::InvalidToken);
        }
        let stored = self
            .db
            .session_cookie_hash(sid)
            .await?
            .ok_or(AccountError::InvalidToken)?;
        use subtle::ConstantTimeEq as _;
        if !bool::from(digest(secret).as_bytes().ct_eq(stored.as_bytes())) {
            return Err(AccountError::InvalidToken);
        }
        let mut auth = self.live_session(sid, self.now()).await?;
        auth.via_cookie = true;
        Ok(auth)
    }

    async fn live_session(
        &self,
        sid: &str,
        now: OffsetDateTime,
    ) -> Result<Authenticated, AccountError> {
        let (session, user) = self
            .db
            .session_with_user(sid)
            .await?
            .ok_or(AccountError::InvalidToken)?;
        if session.revoked_at.is_some() || session.expires_at <= now {
            return Err(AccountError::Revoked);
        }
        Ok(Authenticated {
            user,
            session,
            via_cookie: false,
        })
    }

    /// Trades a refresh token for new tokens, rotating it. A token replayed after
    /// the grace window ends its whole session (family): someone has a copy.
    ///
    /// # Errors
    /// `InvalidToken` for unknown or expired tokens, `Revoked` after reuse.
    pub async fn refresh(
        &self,
        token: &str,
        ctx: &RequestCtx,
    ) -> Result<(User, Issued), AccountError> {
        let now = self.now();
        if token.is_empty() || token.len() > 200 {
            return Err(AccountError::InvalidToken);
        }
        let info = self
            .db
            .refresh_token(&digest(token))
            .await?
            .ok_or(AccountError::InvalidToken)?;
        let s = &info.session;
        if s.revoked_at.is_some() {
            return Err(AccountError::Revoked);
        }
        if s.expires_at <= now || (s.remember && s.last_used_at + policy::SESSION_IDLE_TTL <= now) {
            return Err(AccountError::InvalidToken);
        }
        let within_grace = |used: OffsetDateTime| now - used <= self.refresh_grace;
        if let Some(used) = info.used_at
            && !within_grace(used)
        {
            self.db.revoke_session(s.id, now).await?;
            security_event(
                "refresh_token_reuse",
                Some(s.user_id),
                None,
                ctx,
                "family_revoked",
            );
            return Err(AccountError::Revoked);
        }
        let next = new_token();
        let mut rotated = self
            .db
            .rotate_refresh(info.id, s.id, &digest(&next), now, info.used_at.is_some())
            .await?;
        if !rotated {
            // Another request rotated it a moment ago: an honest race, inside the grace.
            rotated = self
                .db
                .rotate_refresh(info.id, s.id, &digest(&next), now, true)
                .await?;
        }
        if !rotated {
            return Err(AccountError::InvalidToken);
        }
        let user = self
            .db
            .user_by_id(s.user_id)
            .await?
            .ok_or(AccountError::InvalidToken)?;
        Ok((
            user,
            Issued {
                access_token: self.keys.issue(
                    s.user_id,
                    &s.sid,
                    new_id(),
                    now,
                    policy::ACCESS_TOKEN_TTL,
                ),
                refresh_token: next,
                expires_in: policy::ACCESS_TOKEN_TTL.whole_seconds(),
                device_cookie: None,
                session_cookie: None,
            },
        ))
    }

    /// # Errors
    /// Store failures.
    pub async fn logout(&self, auth: &Authenticated, ctx: &RequestCtx) -> Result<(), AccountError> {
        self.db.revoke_session(auth.session.id, self.now()).await?;
        security_event("logout", Some(auth.user.id), None, ctx, "ok");
        Ok(())
    }

    /// Uses up a one-time link: its user and the address it was bound to.
    async fn redeem(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: OffsetDateTime,
    ) -> Result<(User, String), AccountError> {
        let (uid, bound) = self
            .db
            .take_account_token(&digest(token), purpose, now)
            .await?
            .ok_or(AccountError::InvalidLink)?;
        let user = self
            .db
            .user_by_id(uid)
            .await?
            .ok_or(AccountError::InvalidLink)?;
        Ok((user, bound))
    }

    /// # Errors
    /// `InvalidLink` for unknown, used, expired or stale links.
    pub async fn verify_email(
        &self,
        token: &str,
        ctx: &RequestCtx,
    ) -> Result<String, AccountError> {
        let now = self.now();
        let (user, bound) = self.redeem(token, TokenPurpose::VerifyEmail, now).await?;
        let uid = user.id;
        if user.email != bound {
            return Err(AccountError::InvalidLink);
        }
        self.db.mark_email_verified(uid, now).await?;
        security_event("email_verified", Some(uid), None, ctx, "ok");
        Ok(user.email)
    }

    /// Sends a new verification link when the address has an unverified account;
    /// answers the same in every case.
    ///
    /// # Errors
    /// 422 for a malformed address; store failures.
    pub async fn resend_verification(&self, email: &str) -> Result<(), AccountError> {
        let email = Email::parse(email, "email").map_err(|e| AccountError::Invalid(vec![e]))?;
        if let Some((user, _)) = self.db.user_by_email(email.as_str()).await?
            && !user.email_verified
        {
            self.send_verification(user.id, &email, &user.name).await?;
        }
        Ok(())
    }

    /// Mails a reset link when the address has an account; answers the same in
    /// every case, and works even while the email is locked out.
    ///
    /// # Errors
    /// 422 for a malformed address; store failures.
    pub async fn forgot_password(&self, email: &str, ctx: &RequestCtx) -> Result<(), AccountError> {
        let email = Email::parse(email, "email").map_err(|e| AccountError::Invalid(vec![e]))?;
        let now = self.now();
        if let Some((user, _)) = self.db.user_by_email(email.as_str()).await? {
            let token = new_token();
            self.db
                .issue_account_token(
                    user.id,
                    TokenPurpose::ResetPassword,
                    &digest(&token),
                    email.as_str(),
                    now,
                    now + policy::RESET_TOKEN_TTL,
                )
                .await?;
            self.send(
                templates::reset_password(&user.name, &self.link("/reset-password", &token))
                    .to(user.email.clone()),
            )
            .await;
            security_event(
                "password_reset_request",
                Some(user.id),
                Some(&email),
                ctx,
                "sent",
            );
        } else {
            security_event(
                "password_reset_request",
                None,
                Some(&email),
                ctx,
                "no_account",
            );
        }
        Ok(())
    }

    /// Sets a new password from a reset link: signs out everywhere, clears every
    /// lock on the address, and tells the owner. Does not sign in.
    ///
    /// # Errors
    /// `InvalidLink`, 422 for a weak password, busy.
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        ctx: &RequestCtx,
    ) -> Result<String, AccountError> {
        let now = self.now();
        let hash_of_token = digest(token);
        let (uid, bound) = self
            .db
            .peek_account_token(&hash_of_token, TokenPurpose::ResetPassword, now)
            .await?
            .ok_or(AccountError::InvalidLink)?;
        let user = self
            .db
            .user_by_id(uid)
            .await?
            .ok_or(AccountError::InvalidLink)?;
        if user.email != bound {
            return Err(AccountError::InvalidLink);
        }
        let pw = bounded_password(new_password, "new_password")?;
        password::check_new(&pw, &[&user.email, &user.name], "new_password")
            .map_err(|e| AccountError::Invalid(vec![e]))?;
        let hash = self.hasher.hash(pw).await?;
        if self
            .db
            .take_account_token(&hash_of_token, TokenPurpose::ResetPassword, now)
            .await?
            .is_none()
        {
            return Err(AccountError::InvalidLink);
        }
        self.db.set_password(uid, &hash, None, now).await?;
        self.db
            .clear_throttle(&format!("email:{}", user.email))
            .await?;
        self.db
            .clear_throttle_prefix(&format!("device:{}:", user.email))
            .await?;
        self.send(templates::password_changed(&user.name).to(user.email.clone()))
            .await;
        security_event("password_reset", Some(uid), None, ctx, "ok");
        Ok(user.email)
    }

    async fn check_current_password(&self, user: &User, current: &str) -> Result<(), AccountError> {
        let pw = bounded_password(current, "current_password")?;
        let stored = self.db.password_hash(user.id).await?;
        if self.hasher.verify(pw, stored).await?.ok {
            Ok(())
        } else {
            Err(AccountError::WrongCurrentPassword)
        }
    }

    /// Changes the password after checking the current one; signs out every other
    /// session at once.
    ///
    /// # Errors
    /// `WrongCurrentPassword`, 422 for a weak password, busy.
    pub async fn change_password(
        &self,
        auth: &Authenticated,
        current: &str,
        new_password: &str,
        ctx: &RequestCtx,
    ) -> Result<(), AccountError> {
        let pw = bounded_password(new_password, "new_password")?;
        password::check_new(&pw, &[&auth.user.email, &auth.user.name], "new_password")
            .map_err(|e| AccountError::Invalid(vec![e]))?;
        self.check_current_password(&auth.user, current).await?;
        let hash = self.hasher.hash(pw).await?;
        self.db
            .set_password(auth.user.id, &hash, Some(auth.session.id), self.now())
            .await?;
        self.send(templates::password_changed(&auth.user.name).to(auth.user.email.clone()))
            .await;
        security_event("password_change", Some(auth.user.id), None, ctx, "ok");
        Ok(())
    }

    /// Starts an email change: a confirmation link goes to the new address, and
    /// nothing changes until it is used.
    ///
    /// # Errors
    /// `EmailNotVerified`, `WrongCurrentPassword`, 422.
    pub async fn request_email_change(
        &self,
        auth: &Authenticated,
        new_email: &str,
        current: &str,
        ctx: &RequestCtx,
    ) -> Result<(), AccountError> {
        if !auth.user.email_verified {
            return Err(AccountError::EmailNotVerified);
        }
        let email =
            Email::parse(new_email, "new_email").map_err(|e| AccountError::Invalid(vec![e]))?;
        self.check_current_password(&auth.user, current).await?;
        if email.as_str() == auth.user.email {
            return Err(invalid(
                "new_email",
                "invalid",
                "this is already your address",
            ));
        }
        // An address owned by someone else gets no mail and the same answer.
        if self.db.user_by_email(email.as_str()).await?.is_none() {
            let token = new_token();
            let now = self.now();
            self.db
                .issue_account_token(
                    auth.user.id,
                    TokenPurpose::ChangeEmail,
                    &digest(&token),
                    email.as_str(),
                    now,
                    now + policy::CHANGE_EMAIL_TOKEN_TTL,
                )
                .await?;
            self.send(
                templates::confirm_new_email(&auth.user.name, &self.link("/confirm-email", &token))
                    .to(email.as_str().to_owned()),
            )
            .await;
        }
        security_event(
            "email_change_request",
            Some(auth.user.id),
            Some(&email),
            ctx,
            "ok",
        );
        Ok(())
    }

    /// Applies an email change from its link: the account moves, every session
    /// ends, and the old address is told.
    ///
    /// # Errors
    /// `InvalidLink`, `EmailUnavailable` when the address was taken meanwhile.
    pub async fn confirm_email_change(
        &self,
        token: &str,
        ctx: &RequestCtx,
    ) -> Result<String, AccountError> {
        let now = self.now();
        let (user, new_email) = self.redeem(token, TokenPurpose::ChangeEmail, now).await?;
        let uid = user.id;
        if !self.db.change_email(uid, &new_email, now).await? {
            return Err(AccountError::EmailUnavailable);
        }
        self.send(
            templates::email_changed_notice(
                &user.name,
                &yogaflow_core::accounts::email::mask(&new_email),
            )
            .to(user.email.clone()),
        )
        .await;
        security_event("email_change", Some(uid), None, ctx, "ok");
        Ok(new_email)
    }

    /// Deletes the account and all its data after checking the password.
    ///
    /// # Errors
    /// `WrongCurrentPassword`, busy.
    pub async fn delete_account(
        &self,
        auth: &Authenticated,
        current: &str,
        ctx: &RequestCtx,
    ) -> Result<(), AccountError> {
        self.check_current_password(&auth.user, current).await?;
        self.db.delete_user(auth.user.id).await?;
        self.send(templates::account_deleted(&auth.user.name).to(auth.user.email.clone()))
            .await;
        security_event("account_deleted", Some(auth.user.id), None, ctx, "ok");
        Ok(())
    }

    /// # Errors
    /// Store failures.
    pub async fn sessions(&self, auth: &Authenticated) -> Result<Vec<SessionInfo>, AccountError> {
        Ok(self.db.open_sessions(auth.user.id, self.now()).await?)
    }

    /// Ends one of the caller's sessions; `false` when it is not theirs.
    ///
    /// # Errors
    /// Store failures.
    pub async fn end_session(&self, auth: &Authenticated, sid: &str) -> Result<bool, AccountError> {
        Ok(self
            .db
            .revoke_session_of(auth.user.id, sid, self.now())
            .await?)
    }

    /// Signs the user out everywhere, this session included.
    ///
    /// # Errors
    /// Store failures.
    pub async fn end_all_sessions(
        &self,
        auth: &Authenticated,
        ctx: &RequestCtx,
    ) -> Result<(), AccountError> {
        self.db
            .revoke_all_sessions(auth.user.id, self.now())
            .await?;
        security_event("logout_everywhere", Some(auth.user.id), None, ctx, "ok");
        Ok(())
    }

    /// Creates an administrator (from the command line); `false` if the email is taken.
    ///
    /// # Errors
    /// 422 for a bad email or weak password; store failures.
    pub async fn create_admin(
        &self,
        email: &str,
        name: &str,
        pw: &str,
    ) -> Result<bool, AccountError> {
        let email = Email::parse(email, "email").map_err(|e| AccountError::Invalid(vec![e]))?;
        let pw = bounded_password(pw, "password")?;
        password::check_new(&pw, &[email.as_str(), name], "password")
            .map_err(|e| AccountError::Invalid(vec![e]))?;
        let hash = self.hasher.hash(pw).await?;
        let new = NewUser {
            email: email.as_str(),
            name,
            password_hash: &hash,
            experience_level: Difficulty::Beginner,
            role: Role::Admin,
            email_verified: true,
        };
        Ok(self.db.create_user(&new, self.now()).await?.is_some())
    }
}
