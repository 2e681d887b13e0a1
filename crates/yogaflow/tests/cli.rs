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
