//! Access tokens: HS256 JWTs with every claim required (`iss aud sub jti sid typ
//! iat nbf exp`), one algorithm accepted, a short lifetime, and a signing key
//! derived from `SECRET_KEY` for this purpose only.
//!
//! Only HS256 is ever produced or accepted, so this module implements exactly
//! that (about as much code as configuring a general JWT library safely) and
//! keeps RSA and elliptic-curve code, with their advisories, out of the build.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;
use time::OffsetDateTime;

pub const AUDIENCE: &str = "yogaflow-api";
const TYPE_ACCESS: &str = "access";
/// Longer tokens are refused before any parsing.
const MAX_TOKEN_BYTES: usize = 4096;
const LEEWAY_SECONDS: i64 = 30;
/// The only header we write, and the only one we accept (byte for byte, after
/// decoding): no `alg` choice, no `kid`, `jku`, `jwk` or `x5u` to abuse.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user's immutable id (1.0 used the email, so changing it broke sessions).
    pub sub: String,
    pub jti: String,
    /// The sign-in session this token belongs to; revocation is per session.
    pub sid: String,
    pub typ: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this never falls back in practice.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| {
        <HmacSha256 as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable!())
    })
}

/// Derives a key for one purpose from the master secret, so a key leaked from
/// one use (say, device cookies) cannot forge tokens of another.
pub fn derive_key(secret: &[u8], purpose: &str) -> [u8; 32] {
    let mut m = mac(secret);
    m.update(purpose.as_bytes());
    m.finalize().into_bytes().into()
}

pub struct TokenKeys {
    key: [u8; 32],
    issuer: String,
}

impl TokenKeys {
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        TokenKeys {
            key: derive_key(secret, "yogaflow access token v1"),
            issuer: issuer.to_owned(),
        }
    }

    fn sign(&self, signing_input: &str) -> Vec<u8> {
        let mut m = mac(&self.key);
        m.update(signing_input.as_bytes());
        m.finalize().into_bytes().to_vec()
    }

    /// Signs an access token for `user_id` in session `sid`, valid `ttl` from `now`.
    pub fn issue(
        &self,
        user_id: i64,
        sid: &str,
        jti: String,
        now: OffsetDateTime,
        ttl: time::Duration,
    ) -> String {
        let iat = now.unix_timestamp();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.into(),
            sub: user_id.to_string(),
            jti,
            sid: sid.to_owned(),
            typ: TYPE_ACCESS.into(),
            iat,
            nbf: iat,
            exp: iat + ttl.whole_seconds(),
        };
        let payload = serde_json::to_vec(&claims).unwrap_or_default();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = URL_SAFE_NO_PAD.encode(self.sign(&input));
        format!("{input}.{signature}")
    }

    /// The claims of a valid access token, or `None` for anything else: another
    /// header or algorithm (including `none`), a bad signature, expired, not yet
    /// valid, issued in the future, another issuer, audience or token type, a
    /// missing or extra claim.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Option<AccessClaims> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return None;
        }
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        if URL_SAFE_NO_PAD.decode(header).ok()? != HEADER.as_bytes() {
            return None;
        }
        let given = URL_SAFE_NO_PAD.decode(signature).ok()?;
        // Re-encoding must give back the exact text: a signature with altered
        // unused bits decodes to the same bytes but is not the token we issued.
        if URL_SAFE_NO_PAD.encode(&given) != signature {
            return None;
        }
        let expected = self.sign(&format!("{header}.{payload}"));
        if !bool::from(expected.ct_eq(&given)) {
            return None;
        }
        let c: AccessClaims =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        let t = now.unix_timestamp();
        let valid = c.typ == TYPE_ACCESS
            && c.iss == self.issuer
            && c.aud == AUDIENCE
            && c.exp > t - LEEWAY_SECONDS
            && c.nbf <= t + LEEWAY_SECONDS
            && c.iat <= t + LEEWAY_SECONDS
            && !c.jti.is_empty()
            && !c.sid.is_empty()
            && c.sub.parse::<i64>().is_ok();
        valid.then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef", "http://yoga.test")
    }

    fn b64(v: &serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn a_fresh_token_verifies_and_an_expired_one_does_not() {
        let k = keys();
        let now = OffsetDateTime::now_utc();
        let t = k.issue(7, "sid1", "jti1".into(), now, time::Duration::minutes(10));
        assert_eq!(k.verify(&t, now).map(|c| c.sub), Some("7".into()));
        let old = k.issue(
            7,
            "sid1",
            "jti2".into(),
            now - time::Duration::hours(1),
            time::Duration::minutes(10),
        );
        assert!(k.verify(&old, now).is_none());
    }

    #[test]
    fn alg_none_tampering_and_other_keys_are_refused() {
        let k = keys();
        let now = OffsetDateTime::now_utc();
        let t = k.issue(7, "sid1", "jti1".into(), now, time::Duration::minutes(10));
        let parts: Vec<&str> = t.split('.').collect();
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap_or_default())
                .unwrap_or_default();
        for alg in ["none", "None", "NONE"] {
            let forged = format!(
                "{}.{}.",
                b64(&serde_json::json!({"alg": alg, "typ": "JWT"})),
                parts[1]
            );
            assert!(k.verify(&forged, now).is_none(), "{alg}");
            assert!(k.verify(forged.trim_end_matches('.'), now).is_none());
        }
        let mut admin = payload.clone();
        admin["sub"] = "1".into();
        assert!(
            k.verify(&format!("{}.{}.{}", parts[0], b64(&admin), parts[2]), now)
                .is_none(),
            "tampered payload"
        );
        let other = TokenKeys::new(b"another secret another secret 12", "http://yoga.test");
        assert!(other.verify(&t, now).is_none(), "another key");
        let elsewhere = TokenKeys::new(b"0123456789abcdef0123456789abcdef", "http://other.test");
        assert!(elsewhere.verify(&t, now).is_none(), "another issuer");
        for junk in ["", "a.b", "a.b.c.d", &"x".repeat(20_000)] {
            assert!(k.verify(junk, now).is_none());
        }
    }

    #[test]
    fn missing_claims_or_another_type_are_refused() {
        let k = keys();
        let now = OffsetDateTime::now_utc();
        let key = derive_key(
            b"0123456789abcdef0123456789abcdef",
            "yogaflow access token v1",
        );
        let iat = now.unix_timestamp();
        let full = serde_json::json!({"iss": "http://yoga.test", "aud": AUDIENCE, "sub": "7", "jti": "j", "sid": "s",
            "typ": "access", "iat": iat, "nbf": iat, "exp": iat + 600});
        let sign_with = |header: &str, v: &serde_json::Value| {
            let input = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(v.to_string())
            );
            let mut m = mac(&key);
            m.update(input.as_bytes());
            format!(
                "{input}.{}",
                URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
            )
        };
        let sign = |v: &serde_json::Value| sign_with(HEADER, v);
        assert!(k.verify(&sign(&full), now).is_some());
        for claim in [
            "iss", "aud", "sub", "jti", "sid", "typ", "iat", "nbf", "exp",
        ] {
            let mut v = full.clone();
            v.as_object_mut().map(|m| m.remove(claim));
            assert!(k.verify(&sign(&v), now).is_none(), "missing {claim}");
        }
        let mut refresh = full.clone();
        refresh["typ"] = "refresh".into();
        assert!(k.verify(&sign(&refresh), now).is_none());
        assert!(
            k.verify(&sign_with(r#"{"alg":"HS512","typ":"JWT"}"#, &full), now)
                .is_none(),
            "only HS256"
        );
        assert!(
            k.verify(
                &sign_with(
                    r#"{"alg":"HS256","typ":"JWT","kid":"../../dev/null"}"#,
                    &full
                ),
                now
            )
            .is_none(),
            "no extra header fields"
        );
        let mut extra = full.clone();
        extra["role"] = "admin".into();
        assert!(k.verify(&sign(&extra), now).is_none(), "no unknown claims");
        let mut future = full.clone();
        future["iat"] = (iat + 3600).into();
        assert!(
            k.verify(&sign(&future), now).is_none(),
            "issued in the future"
        );
    }
}
