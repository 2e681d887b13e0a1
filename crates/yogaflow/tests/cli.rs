//! The `yogaflow` command line: help everywhere, one clear line for every bad
//! setting, and library loads that are idempotent on both databases.

mod common;

use common::{Backend, PgDatabase, TempDir, bin};

fn run(args: &[&str], env: &[(&str, &str)], dir: &TempDir) -> (i32, String, String) {
    let mut c = bin();
    c.arg("--data-dir").arg(&dir.0).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run yogaflow: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_subcommand_has_help() {
    let dir = TempDir::new();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["content", "--help"],
        vec!["content", "load", "--help"],
        vec!["content", "check", "--help"],
        vec!["content", "sheet", "--help"],
        vec!["doctor", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["import-v1", "--help"],
    ] {
        let (code, out, _) = run(&args, &[], &dir);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("Usage:"), "{args:?}: {out}");
    }
}

#[test]
fn bad_settings_stop_startup_with_one_line_naming_the_variable() {
    let dir = TempDir::new();
    for (env, var) in [
        (vec![("ENVIRONMENT", "prod")], "ENVIRONMENT"),
        (vec![("YOGAFLOW_BIND", "not-an-address")], "YOGAFLOW_BIND"),
        (vec![("DATABASE_URL", "mysql://x/y")], "DATABASE_URL"),
        (vec![("REDIS_URL", "http://localhost")], "REDIS_URL"),
        (vec![("ALLOWED_ORIGINS", "*")], "ALLOWED_ORIGINS"),
        (
            vec![("ALLOWED_ORIGINS", "https://ok.example, not an origin")],
            "ALLOWED_ORIGINS",
        ),
        (vec![("YOGAFLOW_LOG_FORMAT", "xml")], "YOGAFLOW_LOG_FORMAT"),
        (
            vec![("YOGAFLOW_DB_MAX_CONNECTIONS", "0")],
            "YOGAFLOW_DB_MAX_CONNECTIONS",
        ),
        (
            vec![("YOGAFLOW_AUTOLOAD_CONTENT", "perhaps")],
            "YOGAFLOW_AUTOLOAD_CONTENT",
        ),
        (
            vec![
                ("ENVIRONMENT", "production"),
                ("YOGAFLOW_PUBLIC_URL", "http://yoga.example"),
            ],
            "YOGAFLOW_PUBLIC_URL",
        ),
        (
            vec![
                ("ENVIRONMENT", "production"),
                ("YOGAFLOW_PUBLIC_URL", "https://yoga.example"),
                ("ALLOWED_ORIGINS", "http://localhost:3000"),
            ],
            "ALLOWED_ORIGINS",
        ),
    ] {
        let (code, _, err) = run(&["serve"], &env, &dir);
        assert_eq!(code, 2, "{env:?} should be refused: {err}");
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "one line for {env:?}: {err}");
        assert!(lines[0].contains(var), "{var} not named: {err}");
    }
    // A flag overrides the environment.
    let (code, _, err) = run(
        &["serve", "--bind", "bad"],
        &[("YOGAFLOW_BIND", "127.0.0.1:0")],
        &dir,
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn dotenv_file_fills_in_settings_but_the_environment_wins() {
    let dir = TempDir::new();
    std::fs::write(dir.0.join(".env"), "ENVIRONMENT=staging\n").unwrap_or_else(|e| panic!("{e}"));
    let out = bin()
        .current_dir(&dir.0)
        .args(["content", "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "the .env value is read: {err}");
    assert!(err.contains("ENVIRONMENT"));
    let out = bin()
        .current_dir(&dir.0)
        .env("ENVIRONMENT", "development")
        .args(["content", "check"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn content_load_twice(backend: Backend) {
    let dir = TempDir::new();
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match PgDatabase::create() {
            Some(p) => Some(p),
            None => return,
        },
    };
    let env: Vec<(&str, &str)> = pg
        .iter()
        .map(|p| ("DATABASE_URL", p.url.as_str()))
        .collect();
    let (code, out, err) = run(&["migrate"], &env, &dir);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("migrations applied"));
    let (code, out, err) = run(&["content", "load"], &env, &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("poses: ") && !out.contains("poses: 0 added"),
        "{out}"
    );
    let (code, out, err) = run(&["content", "load"], &env, &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("poses: 0 added, 0 updated") && out.contains("sequences: 0 added, 0 updated"),
        "{out}"
    );
    if backend == Backend::Sqlite {
        assert!(
            dir.0.join("yogaflow.db").exists(),
            "SQLite file lives in the data dir"
        );
    }
}

#[test]
fn content_load_is_idempotent_on_sqlite() {
    content_load_twice(Backend::Sqlite);
}

#[test]
fn content_load_is_idempotent_on_postgres() {
    content_load_twice(Backend::Postgres);
}

#[test]
fn a_broken_library_folder_is_refused_with_file_and_entry() {
    let dir = TempDir::new();
    let lib = dir.0.join("lib");
    for sub in ["poses", "sequences", "breathing"] {
        std::fs::create_dir_all(lib.join(sub)).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(
        lib.join("poses/odd.toml"),
        "slug = \"odd\"\nenglish_name = \"Odd\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run(
        &[
            "content",
            "check",
            "--from",
            lib.to_str().unwrap_or_default(),
        ],
        &[],
        &dir,
    );
    assert_ne!(code, 0);
    assert!(err.contains("poses/odd.toml"), "{err}");
    let (code, _, err) = run(
        &[
            "content",
            "load",
            "--from",
            lib.to_str().unwrap_or_default(),
        ],
        &[],
        &dir,
    );
    assert_ne!(code, 0);
    assert!(err.contains("poses/odd.toml"), "{err}");
}

#[test]
fn bundled_library_checks_clean() {
    let dir = TempDir::new();
    let (code, out, err) = run(&["content", "check"], &[], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("library ok"), "{out}");
}

fn run_with_stdin(
    args: &[&str],
    env: &[(&str, &str)],
    dir: &TempDir,
    stdin: &str,
) -> (i32, String, String) {
    use std::io::Write as _;
    let mut c = bin();
    c.arg("--data-dir").arg(&dir.0).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn admins_are_made_on_the_command_line_only() {
    let dir = TempDir::new();
    let (code, out, err) = run_with_stdin(
        &["admin", "create", "--email", "Root@Example.org"],
        &[],
        &dir,
        "weak\n",
    );
    assert_ne!(code, 0, "a weak password is refused: {out}");
    assert!(err.contains("password"), "{err}");
    let (code, out, err) = run_with_stdin(
        &["admin", "create", "--email", "Root@Example.org"],
        &[],
        &dir,
        "granite meadow lantern sky\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("r***@example.org"),
        "the address is masked: {out}"
    );
    let (code, _, err) = run_with_stdin(
        &["admin", "create", "--email", "root@example.org"],
        &[],
        &dir,
        "granite meadow lantern sky\n",
    );
    assert_ne!(code, 0, "one account per address");
    assert!(err.contains("admin grant"), "{err}");
    let (code, _, err) = run(
        &["admin", "grant", "--email", "nobody@example.org"],
        &[],
        &dir,
    );
    assert_ne!(code, 0);
    assert!(err.contains("no account"), "{err}");
    let (code, out, _) = run(
        &["admin", "revoke", "--email", "root@example.org"],
        &[],
        &dir,
    );
    assert_eq!(code, 0);
    assert!(out.contains("is now user"));
    let (code, out, _) = run(
        &["admin", "grant", "--email", "ROOT@example.org"],
        &[],
        &dir,
    );
    assert_eq!(code, 0);
    assert!(out.contains("is now admin"));
}

#[test]
fn production_refuses_a_missing_short_or_placeholder_secret() {
    let dir = TempDir::new();
    let prod = [
        ("ENVIRONMENT", "production"),
        ("YOGAFLOW_PUBLIC_URL", "https://yoga.example"),
    ];
    let mut cases: Vec<Vec<(&str, &str)>> = vec![prod.to_vec()];
    for bad in [
        "tooshort",
        "change-me-change-me-change-me-change-me",
        "your-secret-key-goes-here-please-1234567",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        let mut env = prod.to_vec();
        env.push(("SECRET_KEY", bad));
        cases.push(env);
    }
    for env in cases {
        let (code, _, err) = run(&["content", "check"], &env, &dir);
        assert_eq!(code, 2, "{env:?}");
        assert!(
            err.contains("SECRET_KEY") && err.lines().count() == 1,
            "{err}"
        );
    }
    let (code, secret, _) = run(&["secret", "generate"], &[], &dir);
    assert_eq!(code, 0);
    let secret = secret.trim().to_owned();
    assert!(secret.len() >= 43, "{secret}");
    let (_, again, _) = run(&["secret", "generate"], &[], &dir);
    assert_ne!(secret, again.trim(), "fresh every time");
    let mut env = prod.to_vec();
    env.push(("SECRET_KEY", &secret));
    let (code, _, err) = run(&["content", "check"], &env, &dir);
    assert_eq!(code, 0, "a generated secret is accepted: {err}");
}

#[test]
fn development_creates_and_keeps_its_own_secret() {
    let dir = TempDir::new();
    let (code, _, err) = run(&["content", "check"], &[], &dir);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(dir.0.join("secret.key")).unwrap_or_default();
    assert!(first.len() >= 43);
    run(&["content", "check"], &[], &dir);
    assert_eq!(
        std::fs::read_to_string(dir.0.join("secret.key")).unwrap_or_default(),
        first,
        "kept across restarts"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.0.join("secret.key"))
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn content_sheet_writes_every_figure_to_one_page() {
    let dir = TempDir::new();
    let out = dir.0.join("sheet.html");
    let (code, stdout, err) = run(
        &[
            "content",
            "sheet",
            "--out",
            out.to_str().unwrap_or_default(),
        ],
        &[],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("159 figures"), "{stdout}");
    let html = std::fs::read_to_string(&out).unwrap_or_default();
    assert_eq!(html.matches("<svg").count(), 159);
    assert!(html.contains("Mountain Pose") && !html.contains("<script"));
}
