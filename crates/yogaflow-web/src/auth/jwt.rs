//! Access tokens: HS256 JWTs with every claim required (`iss aud sub jti sid typ
//! iat nbf exp`), one algorithm accepted, a short lifetime, and a signing key
//! derived from `SECRET_KEY` for this purpose only.

use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

pub const AUDIENCE: &str = "yogaflow-api";
const TYPE_ACCESS: &str = "access";
/// Longer tokens are refused before any parsing.
const MAX_TOKEN_BYTES: usize = 4096;
const LEEWAY_SECONDS: u64 = 30;

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

/// Derives a key for one purpose from the master secret, so a key leaked from
/// one use (say, device cookies) cannot forge tokens of another.
pub fn derive_key(secret: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| {
        // HMAC accepts keys of any length; this branch cannot run.
        <Hmac<Sha256> as Mac>::new_from_slice(b"yogaflow").unwrap_or_else(|_| unreachable!())
    });
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
}

impl TokenKeys {
    pub fn new(secret: &[u8], issuer: &str) -> Self {
        let key = derive_key(secret, "yogaflow access token v1");
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        TokenKeys {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
            issuer: issuer.to_owned(),
        }
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
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// The claims of a valid access token, or `None` for anything else: wrong
    /// algorithm (including `none`), bad signature, expired, not yet valid,
    /// another issuer or audience, another token type, a missing claim.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Option<AccessClaims> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return None;
        }
        let data = decode::<AccessClaims>(token, &self.decoding, &self.validation).ok()?;
        let c = data.claims;
        let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(30);
        let fresh = c.iat <= now.unix_timestamp() + leeway && c.exp > now.unix_timestamp() - leeway;
        (c.typ == TYPE_ACCESS
            && fresh
            && !c.jti.is_empty()
            && !c.sid.is_empty()
            && c.sub.parse::<i64>().is_ok())
        .then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

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
        let enc = EncodingKey::from_secret(&key);
        let iat = now.unix_timestamp();
        let full = serde_json::json!({"iss": "http://yoga.test", "aud": AUDIENCE, "sub": "7", "jti": "j", "sid": "s",
            "typ": "access", "iat": iat, "nbf": iat, "exp": iat + 600});
        let sign = |v: &serde_json::Value| {
            encode(&Header::new(Algorithm::HS256), v, &enc).unwrap_or_default()
        };
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
        let hs512 = encode(&Header::new(Algorithm::HS512), &full, &enc).unwrap_or_default();
        assert!(k.verify(&hs512, now).is_none(), "only HS256");
    }
}
