//! `yogaflow import-v1` against a database built with YogaFlow 1.0's schema
//! (`fixtures/v1_schema.sql`, our own SQL written from the reference) and a
//! seed of ordinary and bad rows (`fixtures/v1_seed.sql`), into a SQLite and a
//! PostgreSQL target: what moves, what is skipped and why, that a second run
//! moves nothing, and that a 1.0 password signs in over HTTP and is then
//! stored as Argon2id.

mod common;

use common::{PgDatabase, Server, TempDir, bin};
use serde_json::{Value, json};
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A 1.0 database with the fixture schema and seed; `None` without PostgreSQL.
fn v1_database() -> Option<PgDatabase> {
    let db = PgDatabase::create()?;
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let out = Command::new("psql")
        .arg(&db.url)
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-f"])
        .arg(format!("{fixtures}/v1_schema.sql"))
        .arg("-f")
        .arg(format!("{fixtures}/v1_seed.sql"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(db)
}

/// Runs `yogaflow <args>` against `target`; returns stdout, panicking on failure.
fn yogaflow(target: &str, args: &[&str], stdin: &str) -> String {
    let mut child = bin()
        .env("DATABASE_URL", target)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run yogaflow: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("yogaflow: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The stored password hash of `email`, read straight from the target.
async fn stored_hash(target: &str, email: &str) -> String {
    const SQL: &str = "SELECT password_hash FROM users WHERE email = $1";
    let hash = if target.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(target).await;
        let pool = pool.unwrap_or_else(|e| panic!("{e}"));
        let h = sqlx::query_scalar(SQL).bind(email).fetch_one(&pool).await;
        pool.close().await;
        h
    } else {
        let pool = sqlx::PgPool::connect(target).await;
        let pool = pool.unwrap_or_else(|e| panic!("{e}"));
        let h = sqlx::query_scalar(SQL).bind(email).fetch_one(&pool).await;
        pool.close().await;
        h
    };
    hash.unwrap_or_else(|e| panic!("{e}"))
}

async fn login(s: &Server, email: &str, password: &str) -> (u16, Value) {
    s.post_json(
        "/api/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await
}

const SKIPS: &[&str] = &[
    "user #5: same address as 1.0 user #4 apart from letter case",
    "user #6: 2 1.0 accounts share this address apart from letter case and none verified it",
    "user #7: 2 1.0 accounts share this address",
    "user #9: deactivated in 1.0",
    "user #10: its email is not a valid address",
    "user #11: its password hash is not bcrypt",
    "user #14: an account with this address already exists here; not merged",
    "user #15: deactivated in 1.0",
    "user #16: same address as 1.0 user #15 apart from letter case; only that one verified it",
    "sequence #12: it has no poses",
    "sequence #13: a sequence needs at least 3 poses",
    "sequence #14: unknown style `MOBILITY`",
    "sequence #15: 1.0 pose #81 is not one of the 80 poses in our library",
    "sequence #16: its owner, 1.0 user #9 was not moved",
    "sequence #17: each pose is held 10 to 600 seconds",
    "session #9: unknown completion status `SKIPPED`",
    "session #10: duration of 20000 s is outside 0 to 14400 s",
    "session #11: its owner, 1.0 user #5 was not moved",
    "session #12: its owner, 1.0 user #9 was not moved",
    "session #13: its owner, 1.0 user #14 was not moved",
];

async fn import_into(target: &str) {
    let Some(v1) = v1_database() else { return };
    let from = v1.url.as_str();
    // Someone already uses one 1.0 address here: that account must not be taken over.
    yogaflow(
        target,
        &["admin", "create", "--email", "taken@example.com"],
        "a fresh passphrase for 2.0\n",
    );

    let first = yogaflow(target, &["import-v1", "--from", from], "");
    assert!(
        first.contains("moved 6 users, 10 sessions, 2 sequences"),
        "{first}"
    );
    assert!(first.contains("not moved: 4 1.0 presets"), "{first}");
    assert!(
        first.contains(&format!("skipped {}:", SKIPS.len())),
        "{first}"
    );
    for skip in SKIPS {
        assert!(first.contains(skip), "missing `{skip}` in:\n{first}");
    }
    for note in [
        "session #5: moved without its sequence: 1.0 preset #4 is not in our library",
        "session #6: moved without its sequence: 1.0 sequence #999 no longer exists",
        "session #7: moved without its sequence: 1.0 sequence #12 was not moved",
    ] {
        assert!(first.contains(note), "missing `{note}` in:\n{first}");
    }
    assert!(!first.contains('@'), "no address is printed:\n{first}");

    let second = yogaflow(target, &["import-v1", "--from", from], "");
    assert!(
        second.contains("moved 0 users, 0 sessions, 0 sequences"),
        "{second}"
    );
    assert!(
        second.contains("already moved by an earlier run: 6 users, 10 sessions, 2 sequences"),
        "{second}"
    );

    let server = Server::start_shared(&[("DATABASE_URL", target)]);
    // The 1.0 password opens the moved account; the 2.0 account was not touched.
    assert!(
        stored_hash(target, "maya@example.com")
            .await
            .starts_with("$2b$")
    );
    let (status, body) = login(&server, "maya@example.com", "Lotus2024!").await;
    assert_eq!(status, 200, "{body}");
    let token = body["tokens"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (status, _) = login(&server, "taken@example.com", "Namaste1234").await;
    assert_eq!(status, 401);
    // 1.0 accepted mixed-case addresses; ours are lowercase.
    let (status, tom) = login(&server, "Tom.Baker@example.com", "Warrior3Pose").await;
    assert_eq!(status, 200, "{tom}");

    // The upgrade runs after the answer, off the request path.
    let deadline = Instant::now() + Duration::from_secs(20);
    let upgraded = loop {
        let hash = stored_hash(target, "maya@example.com").await;
        if hash.starts_with("$argon2id$") || Instant::now() > deadline {
            break hash;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{upgraded}"
    );
    let (status, _) = login(&server, "maya@example.com", "Lotus2024!").await;
    assert_eq!(status, 200, "the same password works against the new hash");
    let (status, _) = login(&server, "maya@example.com", "lotus2024!").await;
    assert_eq!(status, 401);

    // Her history and her own sequence came along.
    let (status, history) = server.get_auth("/api/v1/history", &token).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["total"], 7, "{history}");
    let (_, mine) = server
        .get_auth("/api/v1/sequences?preset_only=false", &token)
        .await;
    let names: Vec<&str> = mine["sequences"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Maya's Hip Flow"], "{mine}");

    // 1.0's email-suffix "admin" arrives as an ordinary user.
    let (status, body) = login(&server, "ops@admin.yogaflow.com", "Heron8Fold").await;
    assert_eq!(status, 200, "{body}");
    let ops = body["tokens"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (_, me) = server.get_auth("/api/v1/auth/me", &ops).await;
    assert_eq!(me["role"], "user", "{me}");
    assert_eq!(me["experience_level"], "advanced", "{me}");
    let joined = me["created_at"].as_str().unwrap_or_default();
    assert!(
        joined.starts_with("2025-01-02T09:00:00"),
        "1.0's date kept: {me}"
    );

    // Tom leaves; meanwhile 1.0 keeps running. A later run brings what is new
    // and does not bring Tom back.
    let tom = tom["tokens"]["access_token"].as_str().unwrap_or_default();
    let gone = server
        .http
        .delete(server.url("/api/v1/profile"))
        .bearer_auth(tom)
        .json(&json!({"current_password": "Warrior3Pose"}))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(gone.ok(), Some(204));
    psql(
        &v1.url,
        "INSERT INTO practice_sessions (session_id, user_id, sequence_id, started_at, completed_at, \
         duration_seconds, completion_status) VALUES \
         (16, 2, NULL, '2025-11-25 07:00', '2025-11-25 07:10', 600, 'COMPLETED'), \
         (17, 1, 11, '2025-11-26 18:00', '2025-11-26 18:12', 720, 'COMPLETED')",
    );
    let third = yogaflow(target, &["import-v1", "--from", from], "");
    assert!(
        third.contains("moved 0 users, 1 session, 0 sequences"),
        "{third}"
    );
    assert!(
        third.contains(
            "session #16: its owner, 1.0 user #2 was moved earlier and deleted here since"
        ),
        "{third}"
    );
    let (_, history) = server.get_auth("/api/v1/history", &token).await;
    assert_eq!(history["total"], 8, "{history}");
    drop(v1);
}

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .arg(url)
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn moves_once_into_sqlite() {
    let dir = TempDir::new();
    let target = format!("sqlite:{}?mode=rwc", dir.0.join("yogaflow.db").display());
    import_into(&target).await;
}

#[tokio::test]
async fn moves_once_into_postgres() {
    let Some(target) = PgDatabase::create() else {
        return;
    };
    import_into(&target.url).await;
}
