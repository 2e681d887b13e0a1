//! Mail settings, read with 1.0's variable names: `SMTP_HOST`, `SMTP_PORT`,
//! `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_TLS`, `SMTP_SSL`, `EMAIL_FROM` and
//! `EMAIL_FROM_NAME`. Without `SMTP_HOST` mail is written as `.eml` files into
//! `<data dir>/outbox`, so development needs no mail server. Every bad value is
//! reported as one line naming its variable. Empty values count as unset, as
//! `.env` files often carry `NAME=` lines.

use lettre::Address;
use lettre::message::Mailbox;
use std::path::{Path, PathBuf};

const DEFAULT_FROM: &str = "noreply@yogaflow.app";
const DEFAULT_FROM_NAME: &str = "YogaFlow";
/// The submission port, for STARTTLS or a plain local relay.
const DEFAULT_PORT: u16 = 587;
/// The submissions port, the usual one for implicit TLS.
const DEFAULT_TLS_PORT: u16 = 465;

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (`SMTP_TLS`).
    StartTls,
    /// TLS from the first byte (`SMTP_SSL`).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    None,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
}

/// The password is never shown, so settings can be logged at start-up.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Where mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportSettings {
    /// One `.eml` file per message in `dir`.
    File {
        dir: PathBuf,
    },
    Smtp(SmtpSettings),
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: TransportSettings,
    /// The `From:` of every message.
    pub from: Mailbox,
}

/// "NAME why (got `value`)", with control characters in the value shown
/// escaped so the message stays on one line.
fn bad(name: &str, value: &str, why: &str) -> String {
    let shown: String = value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("{name} {why} (got `{shown}`)")
}

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(bad(name, value, "must be true or false")),
    }
}

fn check_host(value: &str) -> Result<String, String> {
    if value.contains("://") {
        return Err(bad("SMTP_HOST", value, "must be a host name, not a URL"));
    }
    let allowed =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']');
    if !value.chars().all(allowed) {
        return Err(bad(
            "SMTP_HOST",
            value,
            "must be a host name like smtp.example.com",
        ));
    }
    Ok(value.to_owned())
}

fn check_port(value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(bad("SMTP_PORT", value, "must be a number from 1 to 65535")),
    }
}

impl MailSettings {
    /// Reads the settings through `lookup` (the environment, or a map in tests).
    ///
    /// # Errors
    /// The first bad variable, as one line naming it and saying what is wrong.
    /// The password's value is never repeated.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        data_dir: &Path,
    ) -> Result<MailSettings, String> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let host = get("SMTP_HOST").map(|h| check_host(&h)).transpose()?;
        let ssl = get("SMTP_SSL")
            .map(|v| parse_bool("SMTP_SSL", &v))
            .transpose()?
            .unwrap_or(false);
        // STARTTLS is the default, unless implicit TLS was asked for instead.
        let starttls = get("SMTP_TLS")
            .map(|v| parse_bool("SMTP_TLS", &v))
            .transpose()?
            .unwrap_or(!ssl);
        if starttls && ssl {
            return Err(
                "SMTP_TLS and SMTP_SSL cannot both be true: SMTP_TLS asks for STARTTLS, \
                        SMTP_SSL for implicit TLS; set one of them to false"
                    .to_owned(),
            );
        }
        let security = match (starttls, ssl) {
            (_, true) => Security::Tls,
            (true, false) => Security::StartTls,
            (false, false) => Security::None,
        };
        let default_port = if ssl { DEFAULT_TLS_PORT } else { DEFAULT_PORT };
        let port = get("SMTP_PORT")
            .map(|v| check_port(&v))
            .transpose()?
            .unwrap_or(default_port);
        let user = get("SMTP_USER");
        // Not trimmed: a password may legitimately start or end with a space.
        let password = lookup("SMTP_PASSWORD").filter(|p| !p.is_empty());
        match (&user, &password) {
            (Some(_), None) => return Err("SMTP_PASSWORD must be set when SMTP_USER is".to_owned()),
            (None, Some(_)) => return Err("SMTP_USER must be set when SMTP_PASSWORD is".to_owned()),
            _ => {}
        }
        let from_address = get("EMAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned());
        let address = from_address.parse::<Address>().map_err(|_| {
            bad(
                "EMAIL_FROM",
                &from_address,
                "must be an email address like noreply@example.com",
            )
        })?;
        let from_name = get("EMAIL_FROM_NAME").unwrap_or_else(|| DEFAULT_FROM_NAME.to_owned());
        if from_name.chars().any(char::is_control) {
            return Err(bad(
                "EMAIL_FROM_NAME",
                &from_name,
                "must be a single line of text",
            ));
        }
        let transport = match host {
            None => TransportSettings::File {
                dir: data_dir.join("outbox"),
            },
            Some(host) => TransportSettings::Smtp(SmtpSettings {
                host,
                port,
                security,
                user,
                password,
            }),
        };
        Ok(MailSettings {
            transport,
            from: Mailbox::new(Some(from_name), address),
        })
    }
}
