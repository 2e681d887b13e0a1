//! The password rule (NIST SP 800-63B): 15 to 256 characters, no composition
//! rules, and not guessable — checked with zxcvbn against common passwords and
//! against the user's own email, name and our brand words.

use crate::error::FieldError;
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 15;
pub const MAX_CHARS: usize = 256;
/// zxcvbn score (0–4) a password must reach: 3 means "safely unguessable" for an
/// online attack with throttling.
const MIN_SCORE: u8 = 3;
/// Words every YogaFlow password guesser would try first.
const CONTEXT_WORDS: &[&str] = &["yogaflow", "yoga", "flow", "namaste", "asana", "password"];

/// The form a password is hashed in: NFKC, so the same password typed on two
/// keyboards (composed or decomposed accents) verifies.
pub fn normalize(password: &str) -> String {
    password.nfkc().collect()
}

/// Checks a new password; `context` holds the user's email and name.
///
/// # Errors
/// A `FieldError` on `field` naming the rule that failed.
pub fn check_new(password: &str, context: &[&str], field: &str) -> Result<(), FieldError> {
    let normal = normalize(password);
    let chars = normal.chars().count();
    if chars < MIN_CHARS {
        return Err(FieldError::new(
            "body",
            field,
            "too_short",
            format!(
                "use at least {MIN_CHARS} characters; a few unrelated words make a strong, memorable password"
            ),
        ));
    }
    if chars > MAX_CHARS {
        return Err(FieldError::new(
            "body",
            field,
            "too_long",
            format!("use at most {MAX_CHARS} characters"),
        ));
    }
    let lowered = normal.to_lowercase();
    let mut inputs: Vec<String> = CONTEXT_WORDS.iter().map(|w| (*w).to_owned()).collect();
    for c in context {
        let c = c.to_lowercase();
        inputs.extend(
            c.split(|ch: char| !ch.is_alphanumeric())
                .filter(|p| p.len() >= 3)
                .map(str::to_owned),
        );
        inputs.push(c);
    }
    // A password that is mostly our brand words or the user's own details is
    // guessable however long: strip them all and see what is left.
    let mut rest = lowered.clone();
    let mut by_length: Vec<&String> = inputs.iter().filter(|i| i.len() >= 3).collect();
    by_length.sort_by_key(|i| std::cmp::Reverse(i.len()));
    for i in by_length {
        rest = rest.replace(i.as_str(), "");
    }
    let own = rest.chars().filter(|c| c.is_alphanumeric()).count() < 6;
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let score = u8::from(zxcvbn::zxcvbn(&normal, &refs).score());
    if own || score < MIN_SCORE {
        return Err(FieldError::new(
            "body",
            field,
            "too_guessable",
            "this password is too easy to guess (common words, patterns or your own details); add unrelated words",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> bool {
        check_new(p, &["alice@example.org", "Alice Smith"], "password").is_ok()
    }

    #[test]
    fn length_rule_counts_characters() {
        assert!(!ok("short pass 14c"));
        assert!(ok("maple kettle drift"));
        assert!(!ok(&"x".repeat(257)));
        let long: String = (0..40)
            .map(|i| {
                format!(
                    "w{}{} ",
                    i * 7919 % 97,
                    (b'a' + (i * 13 % 26) as u8) as char
                )
            })
            .collect();
        assert!(long.chars().count() <= 256 && long.chars().count() > 150);
        assert!(ok(&long), "{long}");
    }

    #[test]
    fn guessable_passwords_are_refused() {
        for p in [
            "password1234567",
            "yogaflowyogaflow",
            "aliceexample2024",
            "123456789012345",
            "qwertyuiopasdfgh",
            "alicesmithalicesmith",
        ] {
            assert!(!ok(p), "{p} should be refused");
        }
    }

    #[test]
    fn spaces_emoji_and_accents_are_fine() {
        assert!(ok("crisp 🌿 morning walk to the pier"));
        assert_eq!(normalize("cafe\u{301} sole"), normalize("caf\u{e9} sole"));
    }
}
