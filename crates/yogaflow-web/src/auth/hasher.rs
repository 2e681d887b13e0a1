//! Password hashing with Argon2id (m = 19 MiB, t = 2, p = 1), bounded in
//! concurrency so a flood of logins cannot exhaust memory or starve other
//! requests: at most `permits` hashes run at once, and a request that waits more
//! than [`QUEUE_WAIT`] for a slot gets "busy, retry" instead of queueing forever.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::RngCore as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use subtle::ConstantTimeEq as _;
use tokio::sync::Semaphore;

pub const QUEUE_WAIT: Duration = Duration::from_secs(2);
const SALT_BYTES: usize = 16;
const HASH_BYTES: usize = 32;
/// Stored parameters above these are refused rather than computed, so a bad row
/// cannot make one verification cost gigabytes.
const MAX_M_COST: u32 = 256 * 1024;
const MAX_T_COST: u32 = 16;

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

/// Work memory for Argon2, reused between hashes. Allocating 19 MiB per hash
/// lets the allocator keep one such block per thread arena; reusing at most one
/// buffer per permit keeps the peak at permits × 19 MiB.
#[derive(Default)]
struct Buffers(Mutex<Vec<Vec<Block>>>);

impl Buffers {
    fn take(&self, blocks: usize) -> Vec<Block> {
        let reused = self.0.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match reused {
            Some(b) if b.len() >= blocks => b,
            _ => vec![Block::default(); blocks],
        }
    }

    fn give_back(&self, buffer: Vec<Block>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(buffer);
    }
}

/// A parsed PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
struct Phc {
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn parse_phc(stored: &str) -> Option<Phc> {
    let mut parts = stored.split('$');
    if !parts.next()?.is_empty() {
        return None;
    }
    let algorithm = match parts.next()? {
        "argon2id" => Algorithm::Argon2id,
        "argon2i" => Algorithm::Argon2i,
        "argon2d" => Algorithm::Argon2d,
        _ => return None,
    };
    let version = match parts.next()? {
        "v=19" => Version::V0x13,
        "v=16" => Version::V0x10,
        _ => return None,
    };
    let (mut m, mut t, mut p) = (0u32, 0u32, 0u32);
    for kv in parts.next()?.split(',') {
        let (k, v) = kv.split_once('=')?;
        let v: u32 = v.parse().ok()?;
        match k {
            "m" => m = v,
            "t" => t = v,
            "p" => p = v,
            _ => return None,
        }
    }
    if m > MAX_M_COST || t > MAX_T_COST || p > 16 {
        return None;
    }
    let salt = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
    let hash = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
    if parts.next().is_some() || hash.is_empty() {
        return None;
    }
    let params = Params::new(m, t, p, Some(hash.len())).ok()?;
    Some(Phc {
        algorithm,
        version,
        params,
        salt,
        hash,
    })
}

fn compute(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
    buffers: &Buffers,
) -> bool {
    let mut memory = buffers.take(params.block_count());
    let ok = Argon2::new(algorithm, version, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            out,
            &mut memory[..params.block_count()],
        )
        .is_ok();
    buffers.give_back(memory);
    ok
}

fn hash_with(params: &Params, password: &str, buffers: &Buffers) -> String {
    let mut salt = [0u8; SALT_BYTES];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; HASH_BYTES];
    let params = Params::new(
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        Some(HASH_BYTES),
    )
    .unwrap_or_else(|_| params.clone());
    if !compute(
        Algorithm::Argon2id,
        Version::V0x13,
        &params,
        password,
        &salt,
        &mut out,
        buffers,
    ) {
        return String::new();
    }
    format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    )
}

fn verify_with(params: &Params, password: &str, stored: &str, buffers: &Buffers) -> Verified {
    if stored.starts_with("$2") {
        // Legacy bcrypt from YogaFlow 1.0: verify, then move to Argon2id.
        let ok = bcrypt::verify(password, stored).unwrap_or(false);
        return Verified {
            ok,
            needs_rehash: ok,
        };
    }
    let Some(phc) = parse_phc(stored) else {
        return Verified {
            ok: false,
            needs_rehash: false,
        };
    };
    let mut out = vec![0u8; phc.hash.len()];
    let computed = compute(
        phc.algorithm,
        phc.version,
        &phc.params,
        password,
        &phc.salt,
        &mut out,
        buffers,
    );
    let ok = computed && bool::from(out.ct_eq(&phc.hash));
    let needs_rehash = ok
        && (phc.algorithm != Algorithm::Argon2id
            || phc.version != Version::V0x13
            || phc.params.m_cost() < params.m_cost()
            || phc.params.t_cost() < params.t_cost()
            || phc.params.p_cost() != params.p_cost());
    Verified { ok, needs_rehash }
}

pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    params: Params,
    buffers: Arc<Buffers>,
    /// Verified against when no account exists, so every login costs one hash.
    dummy: String,
    /// Hashes computed so far; lets tests prove "exactly one hash per request".
    count: AtomicU64,
}

impl PasswordHasher {
    /// `permits`: concurrent hashes allowed (two per core is the usual choice).
    pub fn new(permits: usize) -> Self {
        let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        let buffers = Arc::new(Buffers::default());
        let dummy = hash_with(
            &params,
            "a password nobody has, used to spend equal time",
            &buffers,
        );
        PasswordHasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            params,
            buffers,
            dummy,
            count: AtomicU64::new(0),
        }
    }

    pub fn hashes_computed(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Params, &Buffers) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        self.count.fetch_add(1, Ordering::Relaxed);
        let params = self.params.clone();
        let buffers = Arc::clone(&self.buffers);
        let out = tokio::task::spawn_blocking(move || {
            let out = work(params, &buffers);
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
        self.run(move |p, b| hash_with(&p, &password, b)).await
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
            .run(move |p, b| verify_with(&p, &password, &stored, b))
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
        let stored = hash_with(&weak, "maple kettle drift", &Buffers::default());
        let v = h
            .verify("maple kettle drift".into(), Some(stored))
            .await
            .unwrap_or(Verified {
                ok: false,
                needs_rehash: false,
            });
        assert!(v.ok && v.needs_rehash);
    }

    #[test]
    fn hashes_in_the_standard_phc_format_interoperate() {
        use argon2::password_hash::PasswordHasher as _;
        let theirs = Argon2::default()
            .hash_password(b"maple kettle drift")
            .map(|h| h.to_string())
            .unwrap_or_default();
        let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        let b = Buffers::default();
        assert!(
            verify_with(&params, "maple kettle drift", &theirs, &b).ok,
            "{theirs}"
        );
        let ours = hash_with(&params, "maple kettle drift", &b);
        let parsed = argon2::password_hash::phc::PasswordHash::new(&ours);
        assert!(parsed.is_ok(), "{ours}");
        assert!(
            !verify_with(
                &params,
                "x",
                "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
                &b
            )
            .ok,
            "absurd stored costs are refused"
        );
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
