//! Backups that come back: a SQLite copy taken while the server writes,
//! restored into a fresh data folder and served again; restores that refuse
//! files that are not YogaFlow databases, or a database a server is using; and
//! the documented pg_dump / pg_restore round trip for PostgreSQL.

mod common;

use common::{Backend, PgDatabase, Server, TempDir, bin};
use std::path::Path;
use std::process::Command;

const PASSWORD: &str = "maple kettle drift river";

fn yogaflow(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = bin()
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run yogaflow: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path_str(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 path {}", p.display()))
}

async fn favorite(s: &Server, token: &str, pose: u32) {
    let r = s
        .http
        .put(s.url(&format!("/api/v1/favorites/poses/{pose}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
}

/// A user with two favorite poses, made through the API.
async fn make_data(s: &Server) {
    let token = s.verified_token("backup@example.org", 0).await;
    favorite(s, &token, 10).await;
    favorite(s, &token, 12).await;
}

/// Signs in on `s` and reads the favorites made by [`make_data`].
async fn assert_data(s: &Server) {
    let (status, body) = s
        .post_json(
            "/api/v1/auth/login",
            serde_json::json!({"email": "backup@example.org", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, 200, "the account came back: {body}");
    let token = body["tokens"]["access_token"].as_str().unwrap_or_default();
    let (status, favs) = s.get_auth("/api/v1/favorites", token).await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = favs["poses"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["pose_id"].as_i64()).collect())
        .unwrap_or_default();
    assert!(
        ids.contains(&10) && ids.contains(&12),
        "favorites came back: {ids:?}"
    );
}

#[tokio::test]
async fn a_sqlite_backup_taken_while_serving_restores_into_a_new_server() {
    let s = Server::start(Backend::Sqlite).unwrap_or_else(|| panic!("sqlite server"));
    make_data(&s).await;
    let keep = TempDir::new();
    let copy = keep.0.join("yogaflow-backup.db");

    // Writes keep arriving while the copy is taken.
    let writer = {
        let (http, base) = (s.http.clone(), s.base.clone());
        tokio::spawn(async move {
            for _ in 0..40 {
                let _ = http
                    .get(format!("{base}/api/v1/poses?search=tree"))
                    .send()
                    .await;
                let _ = http
                    .post(format!("{base}/api/v1/auth/register"))
                    .json(&serde_json::json!({
                        "email": format!("load{}@example.org", uuid::Uuid::new_v4().simple()),
                        "name": "Load", "password": PASSWORD}))
                    .send()
                    .await;
            }
        })
    };
    let (code, out, err) = yogaflow(&s.dir.0, &["backup", "--out", path_str(&copy)], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("backed up"), "{out}");
    let _ = writer.await;

    // The running server's database cannot be replaced under it.
    let (code, _, err) = yogaflow(&s.dir.0, &["restore", "--from", path_str(&copy)], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("server is using"), "{err}");

    // A second backup to the same name replaces the first.
    let (code, _, err) = yogaflow(&s.dir.0, &["backup", "--out", path_str(&copy)], &[]);
    assert_eq!(code, 0, "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&keep.0)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let fresh = TempDir::new();
    let (code, out, err) = yogaflow(&fresh.0, &["restore", "--from", path_str(&copy)], &[]);
    assert_eq!(code, 0, "{out}{err}");
    let url = format!("sqlite:{}", path_str(&fresh.0.join("yogaflow.db")));
    let restored = Server::start_shared(&[("DATABASE_URL", &url)]);
    assert_data(&restored).await;
    drop(restored);

    // Restoring over an existing database keeps the replaced one beside it.
    let (code, out, err) = yogaflow(&fresh.0, &["restore", "--from", path_str(&copy)], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pre-restore"), "{out}");
    assert!(fresh.0.join("yogaflow.db.pre-restore").exists());
}

#[tokio::test]
async fn restore_refuses_files_that_are_not_yogaflow_databases() {
    let dir = TempDir::new();
    let target = dir.0.join("data");
    let text = dir.0.join("notes.db");
    std::fs::write(&text, "not a database at all, just some words")
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = yogaflow(&target, &["restore", "--from", path_str(&text)], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("refusing to restore"), "{err}");

    // A sound SQLite file, but another program's.
    let other = dir.0.join("other.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=rwc", path_str(&other)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    pool.close().await;
    let (code, _, err) = yogaflow(&target, &["restore", "--from", path_str(&other)], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("not a YogaFlow database"), "{err}");
    assert!(!target.join("yogaflow.db").exists(), "nothing was replaced");

    let missing = dir.0.join("missing.db");
    let (code, _, err) = yogaflow(&target, &["restore", "--from", path_str(&missing)], &[]);
    assert_ne!(code, 0, "{err}");
}

fn on_path(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

fn run_tool(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The commands docs/DEPLOYMENT.md gives, on a database a server is using.
#[tokio::test]
async fn a_postgres_dump_restores_into_a_new_database() {
    if !(on_path("pg_dump") && on_path("pg_restore")) {
        eprintln!("pg_dump or pg_restore is not on PATH; skipping the PostgreSQL round trip");
        return;
    }
    let Some(s) = Server::start(Backend::Postgres) else {
        return;
    };
    make_data(&s).await;
    let url = s.pg.as_ref().map(|p| p.url.clone()).unwrap_or_default();

    // `yogaflow backup` points PostgreSQL users to pg_dump.
    let (code, _, err) = yogaflow(
        &s.dir.0,
        &["backup", "--out", "/nonexistent/x.db"],
        &[("DATABASE_URL", &url)],
    );
    assert_ne!(code, 0);
    assert!(err.contains("pg_dump"), "{err}");

    let keep = TempDir::new();
    let dump = keep.0.join("yogaflow.dump");
    run_tool(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            path_str(&dump),
            "--dbname",
            &url,
        ],
    );
    let Some(copy) = PgDatabase::create() else {
        return;
    };
    run_tool(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            &copy.url,
            path_str(&dump),
        ],
    );
    let restored = Server::start_shared(&[("DATABASE_URL", &copy.url)]);
    assert_data(&restored).await;
}
