//! Settings, resolved once at start-up: command-line flags first, then the
//! environment, then `.env` (loaded into the environment without overriding it).
//! 1.0's variable names are kept where 1.0 had them; new settings are
//! `YOGAFLOW_*`. Every bad value stops start-up with one line naming it.

use crate::cli::{Cli, Command};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub bind: SocketAddr,
    pub environment: Environment,
    pub redis_url: Option<String>,
    pub public_url: String,
    /// True when no public URL was configured: it then follows the bound address.
    pub public_url_is_default: bool,
    pub allowed_origins: Vec<String>,
    pub log_format: LogFormat,
    pub log_level: String,
    pub db_max_connections: u32,
    pub autoload_content: bool,
    /// The master secret; purpose keys (tokens, cookies) are derived from it.
    pub secret_key: Vec<u8>,
    pub trusted_proxies: Vec<yogaflow_web::auth::client_ip::Cidr>,
    pub auth_rate_per_minute: u32,
    pub hash_concurrency: usize,
    pub mail: yogaflow_mail::MailSettings,
    pub refresh_grace_seconds: i64,
    /// After SIGTERM: how long in-flight requests may take to finish.
    pub drain: Duration,
    /// After SIGTERM: how long new requests are still accepted while readiness
    /// answers 503, so load balancers stop sending before the port closes.
    pub drain_notice: Duration,
    /// A second listener serving only `GET /metrics`, without a token.
    pub metrics_bind: Option<SocketAddr>,
    /// Bearer token for `GET /metrics` on the main listener.
    pub metrics_token: Option<String>,
    /// Where errors and panics are reported (Sentry); `None` = nowhere.
    pub sentry_dsn: Option<sentry::types::Dsn>,
}

/// One bad setting, said in a single line.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(name: &str, value: &str, why: &str) -> ConfigError {
    ConfigError(format!("{name} {why} (got `{value}`)"))
}

/// A set, non-empty environment variable; non-Unicode values are an error.
pub(crate) fn env(name: &str) -> Result<Option<String>, ConfigError> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(ConfigError(format!("{name} is not valid UTF-8")))
        }
    }
}

/// A whole number of seconds within `range`, or `default` when unset.
fn seconds(
    name: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Duration, ConfigError> {
    let Some(v) = env(name)? else {
        return Ok(Duration::from_secs(default));
    };
    match v.parse::<u64>() {
        Ok(n) if range.contains(&n) => Ok(Duration::from_secs(n)),
        _ => Err(bad(
            name,
            &v,
            &format!(
                "must be a whole number of seconds from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool, ConfigError> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(bad(name, v, "must be true or false")),
    }
}

/// `scheme://host[:port]` with nothing after it, as browsers send in `Origin`.
pub(crate) fn valid_origin(o: &str) -> bool {
    let Some((scheme, rest)) = o.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains('/')
        && !rest.contains('@')
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

pub(crate) fn is_local(o: &str) -> bool {
    let host = o.split_once("://").map_or(o, |(_, h)| h);
    host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]")
}

impl Config {
    /// # Errors
    /// The first setting that is malformed or unsafe for the chosen environment.
    pub fn resolve(cli: &Cli) -> Result<Config, ConfigError> {
        let environment = match env("ENVIRONMENT")?.as_deref().map(str::to_ascii_lowercase) {
            None => Environment::Development,
            Some(v) if v == "development" => Environment::Development,
            Some(v) if v == "production" => Environment::Production,
            Some(v) => return Err(bad("ENVIRONMENT", &v, "must be development or production")),
        };

        let bind_raw = match &cli.command {
            Some(Command::Serve(a)) => a.bind.clone(),
            _ => None,
        }
        .or(env("YOGAFLOW_BIND")?)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
        let bind: SocketAddr = bind_raw.parse().map_err(|_| {
            bad(
                "YOGAFLOW_BIND (--bind)",
                &bind_raw,
                "must be an IP address and port such as 127.0.0.1:8000",
            )
        })?;

        let data_dir = cli
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("./data"));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError(
                "YOGAFLOW_DATA_DIR (--data-dir) must not be empty".into(),
            ));
        }

        let database_url = cli.database_url.clone().filter(|u| !u.trim().is_empty());
        if let Some(u) = &database_url
            && !(u.starts_with("postgres://")
                || u.starts_with("postgresql://")
                || u.starts_with("sqlite:"))
        {
            return Err(ConfigError(
                "DATABASE_URL must start with postgres://, postgresql:// or sqlite:".into(),
            ));
        }

        let redis_url = env("REDIS_URL")?;
        if let Some(u) = &redis_url
            && !(u.starts_with("redis://") || u.starts_with("rediss://"))
        {
            return Err(ConfigError(
                "REDIS_URL must start with redis:// or rediss://".into(),
            ));
        }

        let configured_url = env("YOGAFLOW_PUBLIC_URL")?.or(env("FRONTEND_URL")?);
        let public_url_is_default = configured_url.is_none();
        let public_url = configured_url.unwrap_or_else(|| format!("http://{bind}"));
        let public_url = public_url.trim_end_matches('/').to_owned();
        if !valid_origin(&public_url) && !public_url.starts_with("http") {
            return Err(bad(
                "YOGAFLOW_PUBLIC_URL",
                &public_url,
                "must be an http:// or https:// URL",
            ));
        }
        if environment == Environment::Production && !public_url.starts_with("https://") {
            return Err(bad(
                "YOGAFLOW_PUBLIC_URL",
                &public_url,
                "must be https:// in production",
            ));
        }

        let allowed_origins: Vec<String> = env("ALLOWED_ORIGINS")?
            .map(|v| {
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        for o in &allowed_origins {
            if o == "*" {
                return Err(bad(
                    "ALLOWED_ORIGINS",
                    o,
                    "must list explicit origins; `*` is refused",
                ));
            }
            if !valid_origin(o) {
                return Err(bad(
                    "ALLOWED_ORIGINS",
                    o,
                    "entries must look like https://app.example.com",
                ));
            }
            if environment == Environment::Production && (is_local(o) || !o.starts_with("https://"))
            {
                return Err(bad(
                    "ALLOWED_ORIGINS",
                    o,
                    "must be https and not localhost in production",
                ));
            }
        }

        let log_format = match env("YOGAFLOW_LOG_FORMAT")?
            .or(env("LOG_FORMAT")?)
            .as_deref()
        {
            None | Some("json") => LogFormat::Json,
            Some("pretty" | "console") => LogFormat::Pretty,
            Some(v) => return Err(bad("YOGAFLOW_LOG_FORMAT", v, "must be json or pretty")),
        };
        let log_level = env("RUST_LOG")?
            .or(env("LOG_LEVEL")?.map(|l| l.to_ascii_lowercase()))
            .unwrap_or_else(|| "info".into());

        let db_max_connections = match env("YOGAFLOW_DB_MAX_CONNECTIONS")? {
            None => 10,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=200).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "YOGAFLOW_DB_MAX_CONNECTIONS",
                        &v,
                        "must be a whole number from 1 to 200",
                    ));
                }
            },
        };
        let autoload_content = match env("YOGAFLOW_AUTOLOAD_CONTENT")? {
            None => true,
            Some(v) => parse_bool("YOGAFLOW_AUTOLOAD_CONTENT", &v)?,
        };

        let secret_key = secret_key(environment, &data_dir)?;
        let trusted_proxies = match env("YOGAFLOW_TRUSTED_PROXIES")? {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    yogaflow_web::auth::client_ip::Cidr::parse(p).ok_or_else(|| {
                        bad(
                            "YOGAFLOW_TRUSTED_PROXIES",
                            p,
                            "entries must be addresses or CIDR blocks such as 10.0.0.0/8",
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let auth_rate_per_minute = match env("YOGAFLOW_AUTH_RATE_PER_MINUTE")? {
            None => 10,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "YOGAFLOW_AUTH_RATE_PER_MINUTE",
                        &v,
                        "must be a whole number from 1 to 100000",
                    ));
                }
            },
        };
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let hash_concurrency = match env("YOGAFLOW_HASH_CONCURRENCY")? {
            None => cores * 2,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=64).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "YOGAFLOW_HASH_CONCURRENCY",
                        &v,
                        "must be a whole number from 1 to 64",
                    ));
                }
            },
        };
        let mail =
            yogaflow_mail::MailSettings::from_lookup(|name| env(name).ok().flatten(), &data_dir)
                .map_err(ConfigError)?;

        let refresh_grace_seconds = match env("YOGAFLOW_REFRESH_GRACE_SECONDS")? {
            None => 10,
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (0..=10).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "YOGAFLOW_REFRESH_GRACE_SECONDS",
                        &v,
                        "must be a whole number from 0 to 10",
                    ));
                }
            },
        };

        let drain = seconds("YOGAFLOW_DRAIN_SECONDS", 10, 0..=600)?;
        let drain_notice = seconds("YOGAFLOW_DRAIN_NOTICE_SECONDS", 1, 0..=60)?;

        let metrics_bind = match env("YOGAFLOW_METRICS_BIND")? {
            None => None,
            Some(v) => Some(v.parse::<SocketAddr>().map_err(|_| {
                bad(
                    "YOGAFLOW_METRICS_BIND",
                    &v,
                    "must be an IP address and port such as 127.0.0.1:9100",
                )
            })?),
        };
        if metrics_bind.is_some_and(|m| m == bind && m.port() != 0) {
            return Err(ConfigError(
                "YOGAFLOW_METRICS_BIND must differ from YOGAFLOW_BIND".into(),
            ));
        }
        let metrics_token = env("YOGAFLOW_METRICS_TOKEN")?;
        if let Some(t) = &metrics_token
            && (t.len() < 24 || !t.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(ConfigError(
                "YOGAFLOW_METRICS_TOKEN must be at least 24 visible ASCII characters".into(),
            ));
        }
        let sentry_dsn = match env("SENTRY_DSN")? {
            None => None,
            Some(d) => Some(d.parse::<sentry::types::Dsn>().map_err(|_| {
                ConfigError("SENTRY_DSN must be a DSN such as https://KEY@HOST/PROJECT_ID".into())
            })?),
        };

        Ok(Config {
            metrics_bind,
            metrics_token,
            sentry_dsn,
            drain,
            drain_notice,
            refresh_grace_seconds,
            secret_key,
            trusted_proxies,
            auth_rate_per_minute,
            hash_concurrency,
            mail,
            data_dir,
            database_url,
            bind,
            environment,
            redis_url,
            public_url,
            public_url_is_default,
            allowed_origins,
            log_format,
            log_level,
            db_max_connections,
            autoload_content,
        })
    }
}

/// Placeholders people paste from examples; a key containing one is refused.
const PLACEHOLDERS: &[&str] = &[
    "change",
    "secret",
    "placeholder",
    "example",
    "your-",
    "xxxx",
    "default",
    "password",
];

/// A configured `SECRET_KEY` must be long and must not be a pasted example.
///
/// # Errors
/// One line saying which rule the key breaks.
pub(crate) fn check_secret(key: &str) -> Result<(), ConfigError> {
    let lowered = key.to_lowercase();
    let distinct = key.chars().collect::<std::collections::HashSet<_>>().len();
    if key.len() < 32 {
        return Err(ConfigError(
            "SECRET_KEY must be at least 32 characters; `yogaflow secret generate` prints one"
                .into(),
        ));
    }
    if PLACEHOLDERS.iter().any(|p| lowered.contains(p)) || distinct < 10 {
        return Err(ConfigError(
            "SECRET_KEY looks like a placeholder; `yogaflow secret generate` prints a real one"
                .into(),
        ));
    }
    Ok(())
}

/// `SECRET_KEY`: required and strong in production. In development, when unset, a
/// random key is created once in the data directory so sign-ins survive restarts.
fn secret_key(
    environment: Environment,
    data_dir: &std::path::Path,
) -> Result<Vec<u8>, ConfigError> {
    if let Some(key) = env("SECRET_KEY")? {
        check_secret(&key)?;
        return Ok(key.into_bytes());
    }
    if environment == Environment::Production {
        return Err(ConfigError(
            "SECRET_KEY is required in production; `yogaflow secret generate` prints one".into(),
        ));
    }
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= 32
    {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    let key = yogaflow_web::auth::secrets::new_token();
    std::fs::create_dir_all(data_dir)
        .and_then(|()| std::fs::write(&path, &key))
        .map_err(|e| {
            ConfigError(format!(
                "cannot store a development SECRET_KEY in {}: {e}",
                path.display()
            ))
        })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(key.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host_only() {
        assert!(valid_origin("https://app.example.com"));
        assert!(valid_origin("http://localhost:5173"));
        assert!(!valid_origin("https://app.example.com/path"));
        assert!(!valid_origin("*"));
        assert!(!valid_origin("ftp://x"));
        assert!(is_local("http://127.0.0.1:3000"));
    }
}
