//! Checks of settings alone, with the same rules `config` applies at start-up,
//! but each reported on its own line instead of stopping at the first.

use super::{Finding, Target};
use crate::config::{check_secret, env, is_local, valid_origin};

/// A variable's value; an unreadable (non-UTF-8) value reads as unset here,
/// and `config` reports it by name when the server starts.
fn var(name: &str) -> Option<String> {
    env(name).ok().flatten()
}

pub fn check(target: &Target) -> Vec<Finding> {
    vec![
        environment(target),
        public_url(target),
        allowed_origins(target),
        secret_key(target),
        sentry(target),
    ]
}

/// Doctor checking for production while the server would run as development
/// would pass checks the server then does not enforce.
fn environment(target: &Target) -> Finding {
    const CHECK: &str = "environment";
    let value = var("ENVIRONMENT").map_or_else(|| "development".into(), |v| v.to_lowercase());
    match (target.production, value.as_str()) {
        (true, "production") | (false, "development" | "production") => {
            Finding::pass(CHECK, format!("ENVIRONMENT={value}"))
        }
        (true, _) => Finding::fail(
            CHECK,
            format!(
                "ENVIRONMENT is `{value}`; set ENVIRONMENT=production so `serve` applies the production rules"
            ),
        ),
        (false, _) => Finding::fail(
            CHECK,
            format!("ENVIRONMENT must be development or production (got `{value}`)"),
        ),
    }
}

fn public_url(target: &Target) -> Finding {
    const CHECK: &str = "public URL";
    let Some(url) = var("YOGAFLOW_PUBLIC_URL").or_else(|| var("FRONTEND_URL")) else {
        return target.needed_in_production(
            CHECK,
            "YOGAFLOW_PUBLIC_URL is not set; links in mail would name the bind address",
        );
    };
    let url = url.trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Finding::fail(
            CHECK,
            format!("YOGAFLOW_PUBLIC_URL must be an http:// or https:// URL (got `{url}`)"),
        );
    }
    if !url.starts_with("https://") {
        return target.needed_in_production(
            CHECK,
            format!("YOGAFLOW_PUBLIC_URL is `{url}`; production needs https://"),
        );
    }
    if is_local(url) {
        return target.needed_in_production(
            CHECK,
            format!("YOGAFLOW_PUBLIC_URL is `{url}`, which only this machine can reach"),
        );
    }
    Finding::pass(CHECK, url.to_owned())
}

fn allowed_origins(target: &Target) -> Finding {
    const CHECK: &str = "allowed origins";
    let Some(list) = var("ALLOWED_ORIGINS") else {
        return Finding::pass(
            CHECK,
            "none: browsers may call the API from its own origin only",
        );
    };
    let origins: Vec<&str> = list
        .split(',')
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .collect();
    let mut worst = Finding::pass(CHECK, origins.join(", "));
    for o in &origins {
        let finding = if *o == "*" {
            Finding::fail(CHECK, "ALLOWED_ORIGINS contains `*`; list explicit origins")
        } else if !valid_origin(o) {
            Finding::fail(
                CHECK,
                format!(
                    "ALLOWED_ORIGINS entry `{o}` is not an origin like https://app.example.com"
                ),
            )
        } else if is_local(o) || !o.starts_with("https://") {
            target.needed_in_production(
                CHECK,
                format!("ALLOWED_ORIGINS entry `{o}` is plain http or local; production needs https origins"),
            )
        } else {
            continue;
        };
        if finding.status > worst.status {
            worst = finding;
        }
    }
    worst
}

fn secret_key(target: &Target) -> Finding {
    const CHECK: &str = "secret key";
    match var("SECRET_KEY") {
        None if target.production => Finding::fail(
            CHECK,
            "SECRET_KEY is not set; `yogaflow secret generate` prints one",
        ),
        None => Finding::warn(
            CHECK,
            format!(
                "SECRET_KEY is not set; development keeps a generated one in {}",
                target.data_dir.join("secret.key").display()
            ),
        ),
        Some(key) => match check_secret(&key) {
            Ok(()) => Finding::pass(CHECK, format!("SECRET_KEY set, {} characters", key.len())),
            Err(e) => Finding::fail(CHECK, e.0),
        },
    }
}

fn sentry(target: &Target) -> Finding {
    const CHECK: &str = "sentry";
    let Some(dsn) = var("SENTRY_DSN") else {
        return Finding::pass(CHECK, "SENTRY_DSN not set; errors go to the log only");
    };
    match parse_dsn(&dsn) {
        Err(why) => Finding::fail(
            CHECK,
            format!("SENTRY_DSN {why}; expected https://public_key@host/project_id"),
        ),
        Ok(dsn) if dsn.scheme == "http" => target.needed_in_production(
            CHECK,
            format!(
                "SENTRY_DSN sends error reports to {} over plain http",
                dsn.host
            ),
        ),
        Ok(dsn) => Finding::pass(
            CHECK,
            format!("reports to {} (project {})", dsn.host, dsn.project),
        ),
    }
}

/// The parts of a DSN worth showing; the key is never echoed.
#[derive(Debug, PartialEq, Eq)]
struct Dsn<'a> {
    scheme: &'a str,
    host: &'a str,
    project: &'a str,
}

/// `scheme://public_key[:secret]@host[:port][/path]/project_id`, as Sentry's
/// clients accept it.
fn parse_dsn(dsn: &str) -> Result<Dsn<'_>, &'static str> {
    let (scheme, rest) = dsn.split_once("://").ok_or("is not a URL")?;
    if !matches!(scheme, "http" | "https") {
        return Err("must use https");
    }
    let (key, location) = rest.split_once('@').ok_or("has no public key before `@`")?;
    let public_key = key.split(':').next().unwrap_or_default();
    if public_key.is_empty() || !public_key.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("has no valid public key before `@`");
    }
    let (host, path) = location.split_once('/').ok_or("has no project id")?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err("has no valid host");
    }
    let project = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if project.is_empty() || !project.chars().all(|c| c.is_ascii_digit()) {
        return Err("must end with a numeric project id");
    }
    Ok(Dsn {
        scheme,
        host,
        project,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_dsn;

    #[test]
    fn dsns_need_a_key_a_host_and_a_numeric_project() {
        let ok = parse_dsn("https://abc123@o1.ingest.sentry.io/42");
        assert_eq!(
            ok.map(|d| (d.host, d.project)),
            Ok(("o1.ingest.sentry.io", "42"))
        );
        assert!(parse_dsn("https://abc:def@sentry.example.com:9000/sub/7").is_ok());
        for bad in [
            "abc123@o1.ingest.sentry.io/42",
            "ftp://abc123@host/42",
            "https://o1.ingest.sentry.io/42",
            "https://abc123@/42",
            "https://abc123@host",
            "https://abc123@host/project",
            "https://ab c@host/1",
        ] {
            assert!(parse_dsn(bad).is_err(), "{bad}");
        }
    }
}
