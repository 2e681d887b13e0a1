//! Per-IP rate limits on every authentication endpoint (GCRA, the algorithm of
//! `governor`). With Redis configured, all instances share one budget through a
//! small Lua script; without Redis, or while it is down, each instance enforces
//! the full limit itself: at worst looser by the number of instances, never off.

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Each rate-limited action has its own budget per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitedAction {
    Login,
    Register,
    Refresh,
    VerifyEmail,
    ResendVerification,
    ForgotPassword,
    ResetPassword,
    ChangePassword,
    ChangeEmail,
    DeleteAccount,
}

impl LimitedAction {
    pub fn name(self) -> &'static str {
        match self {
            LimitedAction::Login => "login",
            LimitedAction::Register => "register",
            LimitedAction::Refresh => "refresh",
            LimitedAction::VerifyEmail => "verify_email",
            LimitedAction::ResendVerification => "resend_verification",
            LimitedAction::ForgotPassword => "forgot_password",
            LimitedAction::ResetPassword => "reset_password",
            LimitedAction::ChangePassword => "change_password",
            LimitedAction::ChangeEmail => "change_email",
            LimitedAction::DeleteAccount => "delete_account",
        }
    }

    /// Refreshes are routine for signed-in clients, so they get three times the budget.
    fn per_minute(self, base: u32) -> u32 {
        match self {
            LimitedAction::Refresh => base.saturating_mul(3),
            _ => base,
        }
    }
}

/// GCRA in Redis: one key per (action, client), holding the theoretical arrival
/// time in milliseconds. Returns {allowed, retry_after_ms}. Redis's own clock is
/// used so instances with skewed clocks agree.
const GCRA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - interval * burst
if allow_at > now then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now + 1000)
return {1, 0}
";

pub struct RateLimits {
    per_minute: u32,
    local: Mutex<std::collections::HashMap<(LimitedAction, u32), DefaultKeyedRateLimiter<String>>>,
    redis: Option<redis::aio::ConnectionManager>,
    script: redis::Script,
    checks: AtomicU64,
    last_redis_warning: Mutex<Option<Instant>>,
}

/// How long a Redis call may take before we fall back to the local limiter.
const REDIS_TIMEOUT: Duration = Duration::from_millis(250);

impl RateLimits {
    pub fn new(per_minute: u32, redis: Option<redis::aio::ConnectionManager>) -> Self {
        RateLimits {
            per_minute: per_minute.max(1),
            local: Mutex::new(std::collections::HashMap::new()),
            redis,
            script: redis::Script::new(GCRA),
            checks: AtomicU64::new(0),
            last_redis_warning: Mutex::new(None),
        }
    }

    /// `Ok` when `client` may perform `action` now; otherwise how long to wait.
    ///
    /// # Errors
    /// The wait, when the budget is spent.
    pub async fn check(&self, action: LimitedAction, client: &str) -> Result<(), Duration> {
        let limit = action.per_minute(self.per_minute);
        if let Some(redis) = &self.redis {
            match self.check_redis(redis.clone(), action, client, limit).await {
                Ok(result) => return result,
                Err(e) => self.warn_redis(&e),
            }
        }
        self.check_local(action, client, limit)
    }

    async fn check_redis(
        &self,
        mut conn: redis::aio::ConnectionManager,
        action: LimitedAction,
        client: &str,
        limit: u32,
    ) -> Result<Result<(), Duration>, String> {
        let interval_ms = 60_000 / u64::from(limit);
        let key = format!("yogaflow:rl:{}:{client}", action.name());
        let mut invocation = self.script.key(key);
        invocation.arg(interval_ms).arg(limit);
        let call = invocation.invoke_async::<(i64, i64)>(&mut conn);
        match tokio::time::timeout(REDIS_TIMEOUT, call).await {
            Ok(Ok((1, _))) => Ok(Ok(())),
            Ok(Ok((_, wait_ms))) => Ok(Err(Duration::from_millis(
                u64::try_from(wait_ms).unwrap_or(1000),
            ))),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("timed out".into()),
        }
    }

    fn warn_redis(&self, error: &str) {
        let mut last = self
            .last_redis_warning
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
            tracing::warn!(
                event = "redis_unavailable",
                error,
                "rate limits fall back to this instance"
            );
            *last = Some(Instant::now());
        }
    }

    fn check_local(&self, action: LimitedAction, client: &str, limit: u32) -> Result<(), Duration> {
        let mut map = self
            .local
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let quota = Quota::per_minute(NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN));
        let limiter = map
            .entry((action, limit))
            .or_insert_with(|| RateLimiter::keyed(quota));
        let result = limiter
            .check_key(&client.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()));
        // Forget idle clients now and then so memory stays bounded.
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(1024)
        {
            limiter.retain_recent();
        }
        result
    }
}

/// Which budget a request spends, by route; `None` for routes without one.
pub fn action_for(method: &axum::http::Method, path: &str) -> Option<LimitedAction> {
    use axum::http::Method;
    let action = match (method, path) {
        (&Method::POST, "/api/v1/auth/login" | "/login") => LimitedAction::Login,
        (&Method::POST, "/api/v1/auth/register" | "/register") => LimitedAction::Register,
        (&Method::POST, "/api/v1/auth/refresh") => LimitedAction::Refresh,
        (
            &Method::POST,
            "/api/v1/auth/verify-email"
            | "/api/v1/profile/email/confirm"
            | "/verify-email"
            | "/confirm-email",
        ) => LimitedAction::VerifyEmail,
        (&Method::POST, "/api/v1/auth/resend-verification" | "/resend-verification") => {
            LimitedAction::ResendVerification
        }
        (&Method::POST, "/api/v1/auth/forgot-password" | "/forgot-password") => {
            LimitedAction::ForgotPassword
        }
        (&Method::POST, "/api/v1/auth/reset-password" | "/reset-password") => {
            LimitedAction::ResetPassword
        }
        (&Method::PUT, "/api/v1/profile/password") | (&Method::POST, "/profile/password") => {
            LimitedAction::ChangePassword
        }
        (&Method::POST, "/api/v1/profile/email" | "/profile/email") => LimitedAction::ChangeEmail,
        (&Method::DELETE, "/api/v1/profile") | (&Method::POST, "/profile/delete") => {
            LimitedAction::DeleteAccount
        }
        _ => return None,
    };
    Some(action)
}

/// Middleware: spends the client's budget before the request is even read, so
/// malformed or oversized bodies cost an attacker the same as valid ones.
pub async fn enforce(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let Some(action) = action_for(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
    let ip = super::client_ip::client_ip(peer, request.headers(), &state.trusted_proxies);
    match state
        .limits
        .check(action, &super::client_ip::bucket(ip))
        .await
    {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            crate::metrics::auth_event("rate_limited", action.name());
            tracing::info!(target: "security", event = "rate_limited", action = action.name(), client_ip = %ip, "security event");
            let e = crate::error::ApiError::from(yogaflow_core::error::AccountError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
            // The web app's forms get a page; the API keeps its JSON shape.
            if request.uri().path().starts_with("/api/") {
                e.into_response()
            } else {
                crate::pages::error_page(&e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_budget_is_per_action_and_per_client() {
        let rl = RateLimits::new(3, None);
        for _ in 0..3 {
            assert!(rl.check(LimitedAction::Login, "1.2.3.4").await.is_ok());
        }
        let wait = rl.check(LimitedAction::Login, "1.2.3.4").await.err();
        assert!(wait.is_some_and(|w| w > Duration::ZERO && w <= Duration::from_secs(20)));
        assert!(rl.check(LimitedAction::Login, "5.6.7.8").await.is_ok());
        assert!(rl.check(LimitedAction::Register, "1.2.3.4").await.is_ok());
    }
}
