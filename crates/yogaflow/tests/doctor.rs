//! `yogaflow doctor`: a good production configuration passes against a real
//! PostgreSQL, a password-protected Redis and an SMTP server; each bad setting,
//! changed alone, fails the run with a line naming it; and `serve` in
//! production refuses to start while a check fails.

mod common;

use common::{PgDatabase, Server, TempDir, bin};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A helper process, killed when the test ends.
struct Helper(Child);

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Starts `cmd`, which should listen on `port`, and waits until it does.
fn listening(mut cmd: Command, port: u16) -> Helper {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut helper = Helper(child);
    for _ in 0..200 {
        if let Ok(Some(status)) = helper.0.try_wait() {
            panic!("{cmd:?} exited early: {status}");
        }
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return helper;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{cmd:?} did not listen on {port} within 10 s");
}

/// A private Redis; `acl` lines are added to its configuration.
fn redis(acl: &[&str]) -> (Helper, u16) {
    let port = free_port();
    let mut cmd = Command::new("redis-server");
    cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .args(acl);
    (listening(cmd, port), port)
}

/// aiosmtpd, accepting any message without authentication.
fn smtp() -> (Helper, u16) {
    let port = free_port();
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")]);
    (listening(cmd, port), port)
}

/// Settings the doctor reads that `common::bin` does not already clear.
const MORE_SETTINGS: &[&str] = &[
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TLS",
    "SMTP_SSL",
    "EMAIL_FROM",
    "SENTRY_DSN",
];

fn run(dir: &TempDir, args: &[&str], env: &[(String, String)]) -> (i32, String, String) {
    let mut c = bin();
    for var in MORE_SETTINGS {
        c.env_remove(var);
    }
    c.arg("--data-dir")
        .arg(&dir.0)
        .args(args)
        .envs(env.iter().cloned());
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run yogaflow: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A production configuration whose every check passes, and the services it names.
struct Production {
    dir: TempDir,
    env: Vec<(String, String)>,
    _pg: PgDatabase,
    _redis: Helper,
    _smtp: Helper,
}

impl Production {
    /// `None` (the test is skipped, saying why) without a PostgreSQL to use.
    fn start() -> Option<Production> {
        let pg = PgDatabase::create()?;
        let (redis, redis_port) = redis(&["--requirepass", "lotus-pass-1893"]);
        let (smtp, smtp_port) = smtp();
        let secret = "k3P9vQ2xL7mZ4wR8tY1uN6bC5dF0gH2jA9sE7qW3".to_owned();
        let env: Vec<(String, String)> = [
            ("ENVIRONMENT", "production".to_owned()),
            ("YOGAFLOW_PUBLIC_URL", "https://yoga.example".to_owned()),
            ("ALLOWED_ORIGINS", "https://app.yoga.example".to_owned()),
            ("SECRET_KEY", secret),
            ("DATABASE_URL", pg.url.clone()),
            (
                "REDIS_URL",
                format!("redis://:lotus-pass-1893@127.0.0.1:{redis_port}"),
            ),
            ("SMTP_HOST", "127.0.0.1".to_owned()),
            ("SMTP_PORT", smtp_port.to_string()),
            // A relay on this host: plain SMTP, which the doctor only warns about.
            ("SMTP_TLS", "false".to_owned()),
            (
                "SENTRY_DSN",
                "https://0a1b2c3d4e@o17.ingest.sentry.io/4242".to_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let dir = TempDir::new();
        let (code, _, err) = run(&dir, &["migrate"], &env);
        assert_eq!(code, 0, "migrate: {err}");
        Some(Production {
            dir,
            env,
            _pg: pg,
            _redis: redis,
            _smtp: smtp,
        })
    }

    /// The environment with `changes` applied (`None` unsets a variable).
    fn env_with(&self, changes: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
        let mut env = self.env.clone();
        for (name, value) in changes {
            env.retain(|(k, _)| k != name);
            if let Some(v) = value {
                env.push(((*name).to_owned(), (*v).to_owned()));
            }
        }
        env
    }

    /// Runs `doctor --env production` with `changes` applied.
    fn doctor(&self, changes: &[(&str, Option<&str>)]) -> (i32, String) {
        let (code, out, err) = run(
            &self.dir,
            &["doctor", "--env", "production"],
            &self.env_with(changes),
        );
        assert!(err.is_empty(), "doctor wrote to stderr: {err}");
        (code, out)
    }
}

fn lines_with<'a>(out: &'a str, status: &str) -> Vec<&'a str> {
    out.lines().filter(|l| l.starts_with(status)).collect()
}

/// The run failed, and the only failing line is `check`'s, naming `needle`.
fn assert_fails_only(result: (i32, String), check: &str, needle: &str) {
    let (code, out) = result;
    assert_eq!(code, 1, "{out}");
    let failed = lines_with(&out, "FAIL");
    assert_eq!(failed.len(), 1, "exactly one failure expected:\n{out}");
    let line = failed[0];
    assert!(
        line.contains(&format!("  {check}  ")) && line.contains(needle),
        "expected `{check}` failing with `{needle}`:\n{out}"
    );
}

#[test]
fn a_good_production_configuration_passes() {
    let Some(p) = Production::start() else { return };
    let (code, out) = p.doctor(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(lines_with(&out, "FAIL").is_empty(), "{out}");
    for check in [
        "environment",
        "public URL",
        "allowed origins",
        "secret key",
        "sentry",
        "database",
        "database connection",
        "migrations",
        "redis",
        "redis auth",
    ] {
        assert!(
            out.lines()
                .any(|l| l.starts_with("PASS") && l.contains(&format!("  {check}  "))),
            "{check} should pass:\n{out}"
        );
    }
    // Plain SMTP to a local relay is allowed, with a warning.
    let warned = lines_with(&out, "WARN");
    assert!(
        warned.len() == 1 && warned[0].contains("smtp") && warned[0].contains("TLS"),
        "{out}"
    );
    assert!(out.contains("10 passed, 1 warning, 0 failed"), "{out}");
    assert!(
        !out.contains("lotus-pass-1893")
            && !out.contains("k3P9vQ2x")
            && !out.contains("0a1b2c3d4e"),
        "no secret is printed:\n{out}"
    );
}

#[test]
fn a_plain_http_public_url_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("YOGAFLOW_PUBLIC_URL", Some("http://yoga.example"))]);
    assert_fails_only(r, "public URL", "YOGAFLOW_PUBLIC_URL");
}

#[test]
fn a_wildcard_origin_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("ALLOWED_ORIGINS", Some("https://app.yoga.example,*"))]);
    assert_fails_only(r, "allowed origins", "`*`");
}

#[test]
fn a_localhost_origin_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("ALLOWED_ORIGINS", Some("http://localhost:3000"))]);
    assert_fails_only(r, "allowed origins", "http://localhost:3000");
}

#[test]
fn a_placeholder_secret_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[(
        "SECRET_KEY",
        Some("change-me-change-me-change-me-change-me"),
    )]);
    assert_fails_only(r, "secret key", "SECRET_KEY looks like a placeholder");
}

#[test]
fn a_short_secret_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("SECRET_KEY", Some("Zq8#xW2!"))]);
    assert_fails_only(r, "secret key", "at least 32 characters");
}

#[test]
fn a_missing_secret_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("SECRET_KEY", None)]);
    assert_fails_only(r, "secret key", "SECRET_KEY is not set");
}

#[test]
fn a_development_environment_fails_the_production_check() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("ENVIRONMENT", Some("development"))]);
    assert_fails_only(r, "environment", "ENVIRONMENT=production");
}

#[test]
fn sqlite_fails_in_production() {
    let Some(p) = Production::start() else { return };
    // A migrated SQLite file, so only the choice of database is at fault.
    let sqlite = p.env_with(&[("DATABASE_URL", None)]);
    let (code, _, err) = run(&p.dir, &["migrate"], &sqlite);
    assert_eq!(code, 0, "{err}");
    let r = p.doctor(&[("DATABASE_URL", None)]);
    assert_fails_only(r, "database", "PostgreSQL");
}

#[test]
fn an_unreachable_database_fails() {
    let Some(p) = Production::start() else { return };
    let url = format!("postgres://postgres@127.0.0.1:{}/yogaflow", free_port());
    let r = p.doctor(&[("DATABASE_URL", Some(&url))]);
    assert_fails_only(r, "database connection", "DATABASE_URL");
}

#[test]
fn an_unmigrated_database_fails() {
    let Some(p) = Production::start() else { return };
    let Some(fresh) = PgDatabase::create() else {
        return;
    };
    let r = p.doctor(&[("DATABASE_URL", Some(&fresh.url))]);
    assert_fails_only(r, "migrations", "yogaflow migrate");
}

#[test]
fn an_unreachable_redis_fails() {
    let Some(p) = Production::start() else { return };
    let url = format!("redis://:lotus-pass-1893@127.0.0.1:{}", free_port());
    let r = p.doctor(&[("REDIS_URL", Some(&url))]);
    assert_fails_only(r, "redis", "REDIS_URL");
}

#[test]
fn a_redis_that_answers_without_the_password_fails() {
    let Some(p) = Production::start() else { return };
    // YogaFlow signs in as its own user, but the default user needs no password.
    let (_open, port) = redis(&[
        "--user",
        "yogaflow",
        "on",
        ">lotus-pass-1893",
        "~*",
        "&*",
        "+@all",
    ]);
    let url = format!("redis://yogaflow:lotus-pass-1893@127.0.0.1:{port}");
    let r = p.doctor(&[("REDIS_URL", Some(&url))]);
    assert_fails_only(r, "redis auth", "answers without the password");
}

#[test]
fn an_unreachable_smtp_server_fails() {
    let Some(p) = Production::start() else { return };
    let port = free_port().to_string();
    let r = p.doctor(&[("SMTP_PORT", Some(&port))]);
    assert_fails_only(r, "smtp", "SMTP_HOST");
}

#[test]
fn mail_without_smtp_fails_in_production() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("SMTP_HOST", None)]);
    assert_fails_only(r, "smtp", "SMTP_HOST is not set");
}

#[test]
fn smtp_credentials_the_server_cannot_take_fail() {
    let Some(p) = Production::start() else { return };
    // The sink offers no AUTH, so the login the settings ask for cannot happen.
    let r = p.doctor(&[
        ("SMTP_USER", Some("yogaflow")),
        ("SMTP_PASSWORD", Some("mail-pass-77")),
    ]);
    let (code, out) = r;
    assert_eq!(code, 1, "{out}");
    let failed = lines_with(&out, "FAIL");
    assert!(failed.len() == 1 && failed[0].contains("  smtp  "), "{out}");
    assert!(!out.contains("mail-pass-77"), "{out}");
}

#[test]
fn a_malformed_sentry_dsn_fails() {
    let Some(p) = Production::start() else { return };
    let r = p.doctor(&[("SENTRY_DSN", Some("https://o17.ingest.sentry.io/4242"))]);
    assert_fails_only(r, "sentry", "SENTRY_DSN");
}

#[test]
fn development_findings_are_warnings_there() {
    let dir = TempDir::new();
    let env = vec![(
        "YOGAFLOW_PUBLIC_URL".to_owned(),
        "http://localhost:8000".to_owned(),
    )];
    let (code, out, _) = run(&dir, &["doctor"], &env);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("yogaflow doctor: checking for development"),
        "{out}"
    );
    assert!(lines_with(&out, "FAIL").is_empty(), "{out}");
    for check in ["public URL", "secret key", "database", "smtp"] {
        assert!(
            lines_with(&out, "WARN")
                .iter()
                .any(|l| l.contains(&format!("  {check}  "))),
            "{check} should warn:\n{out}"
        );
    }
    // What is wrong everywhere still fails outside production.
    let env = vec![("SENTRY_DSN".to_owned(), "not a dsn".to_owned())];
    let (code, out, _) = run(&dir, &["doctor"], &env);
    assert_eq!(code, 1, "{out}");
    assert_eq!(lines_with(&out, "FAIL").len(), 1, "{out}");
}

#[test]
fn serve_in_production_refuses_to_start_while_a_check_fails() {
    let Some(p) = Production::start() else { return };
    let closed = free_port().to_string();
    let mut c = bin();
    for var in MORE_SETTINGS {
        c.env_remove(var);
    }
    let out = c
        .arg("--data-dir")
        .arg(&p.dir.0)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .envs(p.env_with(&[("SMTP_PORT", Some(&closed))]))
        .output()
        .unwrap_or_else(|e| panic!("cannot run yogaflow: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains("listening"), "{stdout}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("  smtp  ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("refusing to start in production"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serve_in_production_starts_when_every_check_passes() {
    let Some(p) = Production::start() else { return };
    let env: Vec<(&str, &str)> = p
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let server = Server::start_shared(&env);
    let ready = server.get_json("/health/ready", 200).await;
    assert_eq!(ready["checks"]["redis"], "ok", "{ready}");
    assert_eq!(server.get_json("/", 200).await["environment"], "production");
}
