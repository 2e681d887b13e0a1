//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1), bounded in
//! concurrency so a flood of logins cannot exhaust memory or starve other
//! requests: at most `permits` hashes run at once, and a request that waits more
//! than [`QUEUE_WAIT`] for a slot gets "busy, retry" instead of queueing forever.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// The hasher could not run within the wait limit.
#[derive(Debug)]
pub struct Busy;

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub ok: bool,
    /// The stored hash uses weaker or other parameters (or bcrypt): store a new one.
    pub needs_rehash: bool,
}

pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    params: Params,
    /// Verified against when no account exists, so every login costs one hash.
    dummy: String,
    /// Hashes computed so far; lets tests prove "exactly one hash per request".
    count: AtomicU64,
}

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_with(params: &Params, password: &str) -> String {
    // A fresh random 16-byte salt per hash, from the operating system.
    argon2(params.clone())
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .unwrap_or_default()
}

fn verify_with(params: &Params, password: &str, stored: &str) -> Verified {
    if stored.starts_with("$2") {
        // Legacy bcrypt from YogaFlow 1.0: verify, then move to Argon2id.
        let ok = bcrypt::verify(password, stored).unwrap_or(false);
        return Verified {
            ok,
            needs_rehash: ok,
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified {
            ok: false,
            needs_rehash: false,
        };
    };
    let ok = argon2(params.clone())
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    let current = Params::try_from(&parsed).ok();
    let needs_rehash = ok
        && (parsed.algorithm.as_str() != "argon2id"
            || current.is_none_or(|c| {
                c.m_cost() < params.m_cost()
                    || c.t_cost() < params.t_cost()
                    || c.p_cost() != params.p_cost()
            }));
    Verified { ok, needs_rehash }
}

impl PasswordHasher {
    /// `permits`: concurrent hashes allowed (two per core is the usual choice).
    pub fn new(permits: usize) -> Self {
        let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        let dummy = hash_with(&params, "a password nobody has, used to spend equal time");
        PasswordHasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            params,
            dummy,
            count: AtomicU64::new(0),
        }
    }

    pub fn hashes_computed(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Params) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        self.count.fetch_add(1, Ordering::Relaxed);
        let params = self.params.clone();
        let out = tokio::task::spawn_blocking(move || {
            let out = work(params);
            drop(permit);
            out
        })
        .await
        .map_err(|_| Busy)?;
        Ok(out)
    }

    /// A new PHC string for `password` (already NFKC-normalised by the caller).
    ///
    /// # Errors
    /// [`Busy`] when no hashing slot frees up in time.
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        self.run(move |p| hash_with(&p, &password)).await
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is
    /// no account, so both paths cost the same.
    ///
    /// # Errors
    /// [`Busy`] when no hashing slot frees up in time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified, Busy> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy.clone());
        let v = self
            .run(move |p| verify_with(&p, &password, &stored))
            .await?;
        Ok(if exists {
            v
        } else {
            Verified {
                ok: false,
                needs_rehash: false,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_the_floor_and_salted() {
        let h = PasswordHasher::new(2);
        let a = h
            .hash("maple kettle drift".into())
            .await
            .unwrap_or_default();
        let b = h
            .hash("maple kettle drift".into())
            .await
            .unwrap_or_default();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "unique salts");
        assert!(
            h.verify("maple kettle drift".into(), Some(a.clone()))
                .await
                .is_ok_and(|v| v.ok && !v.needs_rehash)
        );
        assert!(
            h.verify("maple kettle drifT".into(), Some(a))
                .await
                .is_ok_and(|v| !v.ok)
        );
        assert_eq!(h.hashes_computed(), 4);
    }

    #[tokio::test]
    async fn legacy_bcrypt_verifies_and_asks_for_a_rehash() {
        let h = PasswordHasher::new(1);
        let legacy = bcrypt::hash("Old1Password", 4).unwrap_or_default();
        let v = h
            .verify("Old1Password".into(), Some(legacy))
            .await
            .unwrap_or(Verified {
                ok: false,
                needs_rehash: false,
            });
        assert!(v.ok && v.needs_rehash);
    }

    #[tokio::test]
    async fn weaker_parameters_ask_for_a_rehash() {
        let h = PasswordHasher::new(1);
        let weak = Params::new(8 * 1024, 1, 1, None).unwrap_or_default();
        let stored = hash_with(&weak, "maple kettle drift");
        let v = h
            .verify("maple kettle drift".into(), Some(stored))
            .await
            .unwrap_or(Verified {
                ok: false,
                needs_rehash: false,
            });
        assert!(v.ok && v.needs_rehash);
    }

    #[tokio::test]
    async fn unknown_accounts_still_cost_one_hash() {
        let h = PasswordHasher::new(1);
        let v = h
            .verify("anything at all here".into(), None)
            .await
            .unwrap_or(Verified {
                ok: true,
                needs_rehash: true,
            });
        assert!(!v.ok);
        assert_eq!(h.hashes_computed(), 1);
    }
}
