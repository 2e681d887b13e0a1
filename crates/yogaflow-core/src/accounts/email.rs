//! Email addresses, normalised so one person has one account: trimmed, NFKC,
//! lowercased. `Alice@X.org`, ` alice@x.org ` and a full-width look-alike all
//! become `alice@x.org`.

use crate::error::FieldError;
use unicode_normalization::UnicodeNormalization;

/// A syntactically plausible, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// A `FieldError` on `field` when the text cannot be an address.
    pub fn parse(raw: &str, field: &str) -> Result<Email, FieldError> {
        let normal: String = raw.trim().nfkc().collect::<String>().to_lowercase();
        let invalid = || {
            FieldError::new(
                "body",
                field,
                "invalid",
                "enter a valid email address, like name@example.com",
            )
        };
        if normal.len() > 254 || normal.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = normal.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.chars().any(|c| {
                matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '\\' | '"'
                )
            });
        if domain_ok && local_ok {
            Ok(Email(normal))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, used to refuse passwords built from it.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }

    /// `a***@example.org`: enough to recognise in a log, not enough to harvest.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any address-like text for logs.
pub fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_one_address_normalise_to_one() {
        let a = Email::parse("Alice@X.org", "email").ok();
        assert_eq!(a, Email::parse("  alice@x.org ", "email").ok());
        assert_eq!(
            a,
            Email::parse("ａｌｉｃｅ@x.org", "email").ok(),
            "full-width letters fold by NFKC"
        );
        assert_eq!(a.map(|e| e.masked()), Some("a***@x.org".into()));
    }

    #[test]
    fn broken_or_injected_addresses_are_refused() {
        for bad in [
            "",
            "alice",
            "alice@",
            "@x.org",
            "a@b",
            "a b@x.org",
            "a@x.org\r\nBcc: v@x.org",
            "a@x..org",
            "<a>@x.org",
        ] {
            assert!(Email::parse(bad, "email").is_err(), "{bad:?}");
        }
    }
}
