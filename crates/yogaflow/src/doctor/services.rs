//! Checks that talk to the services the settings name: the database and its
//! migrations, Redis and its password, the SMTP server and its credentials.
//! Each one is bounded by a timeout, so a black-holed host fails instead of
//! hanging the deployment.

use super::{Finding, Target};
use crate::config::env;
use crate::db_file::sqlite_path;
use std::future::Future;
use std::time::Duration;
use yogaflow_mail::{MailSettings, Security, Transport, TransportSettings};
use yogaflow_store::Db;

const TIMEOUT: Duration = Duration::from_secs(5);

/// `Err("timed out after 5 s")` when `f` takes longer than [`TIMEOUT`].
async fn bounded<T, E: std::fmt::Display>(
    f: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(TIMEOUT, f).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err(format!("timed out after {} s", TIMEOUT.as_secs())),
    }
}

pub async fn check(target: &Target) -> Vec<Finding> {
    let mut findings = database(target).await;
    findings.extend(redis(target).await);
    findings.push(smtp(target).await);
    findings
}

async fn database(target: &Target) -> Vec<Finding> {
    let url = target.database_url.as_deref();
    let mut findings = Vec::new();
    let sqlite = sqlite_path(url, &target.data_dir);
    match (&sqlite, url) {
        (None, Some(u)) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            findings.push(Finding::pass("database", "PostgreSQL"));
        }
        (Some(path), _) => {
            findings.push(target.needed_in_production(
                "database",
                format!(
                    "SQLite at {}; production needs PostgreSQL in DATABASE_URL",
                    path.display()
                ),
            ));
            if !path.exists() {
                findings.push(target.needed_in_production(
                    "database connection",
                    format!("{} does not exist yet; `serve` creates it", path.display()),
                ));
                return findings;
            }
        }
        (None, Some(u)) if u.starts_with("sqlite:") => findings.push(target.needed_in_production(
            "database",
            "an in-memory SQLite database loses everything when the server stops",
        )),
        (None, _) => {
            findings.push(Finding::fail(
                "database",
                "DATABASE_URL must start with postgres://, postgresql:// or sqlite:",
            ));
            return findings;
        }
    }
    let db = match bounded(Db::connect(url, &target.data_dir, 1)).await {
        Ok(db) => db,
        Err(e) => {
            findings.push(Finding::fail(
                "database connection",
                format!("cannot connect with DATABASE_URL: {e}"),
            ));
            return findings;
        }
    };
    findings.push(Finding::pass("database connection", "answers"));
    findings.push(match bounded(db.schema_status()).await {
        Err(e) => Finding::fail("migrations", format!("cannot read the history: {e}")),
        Ok(s) if !s.is_ours() => Finding::fail(
            "migrations",
            format!(
                "the database has migrations this binary does not know or that changed \
                 (unknown {:?}, changed {:?}); is an older YogaFlow deployed?",
                s.unknown, s.altered
            ),
        ),
        Ok(s) if !s.pending.is_empty() => target.needed_in_production(
            "migrations",
            format!(
                "{} of {} pending ({:?}); run `yogaflow migrate`",
                s.pending.len(),
                s.pending.len() + s.applied.len(),
                s.pending
            ),
        ),
        Ok(s) => Finding::pass("migrations", format!("all {} applied", s.applied.len())),
    });
    db.close().await;
    findings
}

/// `redis://user:password@host` without `user:password@`.
fn without_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

async fn ping(url: &str) -> Result<String, String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let mut conn = bounded(client.get_multiplexed_async_connection()).await?;
    bounded(redis::cmd("PING").query_async::<String>(&mut conn)).await
}

async fn redis(target: &Target) -> Vec<Finding> {
    let Some(url) = env("REDIS_URL").ok().flatten() else {
        let finding = if target.production {
            Finding::warn(
                "redis",
                "REDIS_URL is not set; fine for one instance, but several instances \
                 would each keep their own rate-limit budgets",
            )
        } else {
            Finding::pass("redis", "not set; rate limits are kept in process")
        };
        return vec![finding];
    };
    let client = match redis::Client::open(url.as_str()) {
        Ok(c) => c,
        Err(e) => {
            return vec![Finding::fail(
                "redis",
                format!("REDIS_URL is not valid: {e}"),
            )];
        }
    };
    let info = client.get_connection_info();
    let place = format!("{}", info.addr());
    let has_password = info.redis_settings().password().is_some();
    let mut findings = vec![match ping(&url).await {
        Ok(_) => Finding::pass("redis", format!("answers at {place}")),
        Err(e) => {
            return vec![Finding::fail(
                "redis",
                format!("cannot reach Redis at {place} with REDIS_URL: {e}"),
            )];
        }
    }];
    if !has_password {
        // A Redis reachable only over a private network or socket may do
        // without one, so this is a warning even in production.
        findings.push(if target.production {
            Finding::warn(
                "redis auth",
                "REDIS_URL has no password; anyone who reaches the port can reset rate limits",
            )
        } else {
            Finding::pass("redis auth", "no password configured")
        });
        return findings;
    }
    // The password only protects anything if Redis refuses clients without it.
    findings.push(match ping(&without_credentials(&url)).await {
        Ok(_) => Finding::fail(
            "redis auth",
            format!("Redis at {place} answers without the password; set requirepass or an ACL"),
        ),
        Err(e) if e.contains("NOAUTH") || e.to_lowercase().contains("auth") => {
            Finding::pass("redis auth", "refuses clients without the password")
        }
        Err(e) => Finding::warn(
            "redis auth",
            format!("could not tell whether Redis requires the password: {e}"),
        ),
    });
    findings
}

async fn smtp(target: &Target) -> Finding {
    const CHECK: &str = "smtp";
    let settings =
        match MailSettings::from_lookup(|name| env(name).ok().flatten(), &target.data_dir) {
            Ok(s) => s,
            Err(e) => return Finding::fail(CHECK, e),
        };
    let smtp = match settings.transport {
        TransportSettings::File { dir } => {
            return target.needed_in_production(
                CHECK,
                format!(
                    "SMTP_HOST is not set; mail is written to {} and never delivered",
                    dir.display()
                ),
            );
        }
        TransportSettings::Smtp(smtp) => smtp,
    };
    let place = format!("{}:{}", smtp.host, smtp.port);
    let transport = match Transport::smtp(&smtp) {
        Ok(Transport::Smtp(t)) => t,
        Ok(_) => return Finding::fail(CHECK, "SMTP settings did not produce an SMTP client"),
        Err(e) => return Finding::fail(CHECK, format!("SMTP_HOST {place}: {e}")),
    };
    let logged_in = if smtp.user.is_some() {
        " and accepts SMTP_USER's credentials"
    } else {
        ""
    };
    match bounded(transport.test_connection()).await {
        // A relay on the same host needs no TLS, so this is only ever a warning.
        Ok(true) if smtp.security == Security::None && target.production => Finding::warn(
            CHECK,
            format!(
                "{place} answers{logged_in}, but without TLS; set SMTP_TLS=true unless it is a relay on this host"
            ),
        ),
        Ok(true) if smtp.security == Security::None => {
            Finding::pass(CHECK, format!("{place} answers{logged_in}"))
        }
        Ok(true) => Finding::pass(CHECK, format!("{place} answers over TLS{logged_in}")),
        Ok(false) => Finding::fail(CHECK, format!("{place} did not answer NOOP")),
        Err(e) => Finding::fail(CHECK, format!("SMTP_HOST {place}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::without_credentials;

    #[test]
    fn credentials_are_dropped_from_redis_urls() {
        assert_eq!(
            without_credentials("redis://:pw@127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
        assert_eq!(without_credentials("rediss://u:p@h:1"), "rediss://h:1");
        assert_eq!(without_credentials("redis://h"), "redis://h");
    }
}
