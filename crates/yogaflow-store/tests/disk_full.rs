//! SQLite out of space (simulated with `PRAGMA max_page_count`): the failing
//! write is reported as `StoreError::Full`, leaves nothing behind, reads keep
//! working, and writes succeed again once there is room, without reopening.

use std::path::PathBuf;
use time::macros::datetime;
use yogaflow_store::{Db, NewMail, StoreError};

#[tokio::test]
async fn a_full_sqlite_database_refuses_writes_cleanly_and_recovers() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("full-{}", uuid::Uuid::new_v4().simple()));
    // One connection, so the page limit set below applies to every statement.
    let db = Db::connect(None, &dir, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
    let Db::Sqlite(pool) = &db else {
        panic!("expected SQLite")
    };
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA max_page_count = {}",
        pages + 4
    )))
    .execute(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let body = "breathe in, breathe out. ".repeat(400);
    let mail = NewMail {
        to_address: "full@example.org",
        subject: "Welcome",
        text_body: &body,
        html_body: &body,
        kind: "welcome",
    };
    let now = datetime!(2026-01-01 00:00 UTC);
    let mut stored = 0;
    let failure = loop {
        match db.enqueue_mail(&mail, now).await {
            Ok(_) => stored += 1,
            Err(e) => break e,
        }
        assert!(stored < 1000, "the page limit never bit");
    };
    assert!(matches!(failure, StoreError::Full(_)), "{failure:?}");
    assert_eq!(
        db.pending_mail_count().await.unwrap_or(-1),
        stored,
        "the failed insert left nothing behind, and reads still work"
    );
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check, "ok");

    sqlx::query("PRAGMA max_page_count = 1073741823")
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db.enqueue_mail(&mail, now)
        .await
        .unwrap_or_else(|e| panic!("writes work again once there is room: {e}"));
    assert_eq!(db.pending_mail_count().await.unwrap_or(-1), stored + 1);
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
