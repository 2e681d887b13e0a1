//! Throw-away databases and the `on_both!` macro that runs a test body on each.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;
use yogaflow_store::Db;

/// A fresh database: a SQLite file under the target folder, or a new
/// PostgreSQL database dropped afterwards.
pub struct Scratch {
    pub db: Db,
    pub dir: PathBuf,
    cleanup: Option<(String, String)>,
}

/// A new empty folder under the target folder.
pub fn temp_dir(prefix: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()))
}

async fn connect(url: Option<&str>, dir: &Path, max: u32) -> Db {
    Db::connect(url, dir, max)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

impl Scratch {
    pub async fn sqlite() -> Scratch {
        let dir = temp_dir("mail");
        let db = connect(None, &dir, 4).await;
        db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        Scratch {
            db,
            dir,
            cleanup: None,
        }
    }

    pub async fn postgres() -> Option<Scratch> {
        let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("YOGAFLOW_REQUIRE_POSTGRES").is_err(),
                "TEST_DATABASE_URL is required when YOGAFLOW_REQUIRE_POSTGRES is set"
            );
            return None;
        };
        let name = format!("yf_m_{}", uuid::Uuid::new_v4().simple());
        let admin_db = connect(Some(&admin), Path::new("."), 1).await;
        if let Db::Postgres(p) = &admin_db {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(p)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        admin_db.close().await;
        let (base, _) = admin.rsplit_once('/').unwrap_or((&admin, ""));
        let db = connect(Some(&format!("{base}/{name}")), Path::new("."), 4).await;
        db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        Some(Scratch {
            db,
            dir: temp_dir("mail-pg"),
            cleanup: Some((admin, name)),
        })
    }

    pub async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.cleanup {
            let admin_db = connect(Some(&admin), Path::new("."), 1).await;
            if let Db::Postgres(p) = &admin_db {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(p)
                .await;
            }
            admin_db.close().await;
        }
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

/// Defines `mod $name` with a `sqlite` and a `postgres` test running `$body`
/// with `$db: &Db` and `$dir: &Path`, a scratch folder of the test's own.
macro_rules! on_both {
    ($name:ident, |$db:ident, $dir:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($db: &yogaflow_store::Db, $dir: &std::path::Path) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let s = $crate::scratch::Scratch::sqlite().await;
                body(&s.db, &s.dir).await;
                s.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(s) = $crate::scratch::Scratch::postgres().await {
                    body(&s.db, &s.dir).await;
                    s.finish().await;
                }
            }
        }
    };
}
pub(crate) use on_both;

/// Polls `check` every 50 ms until it holds; panics after 15 s naming `what`.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
