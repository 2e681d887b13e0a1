//! Calendar rules over HTTP with a clock the test controls: a real server (this
//! crate's router on a loopback port) over SQLite and PostgreSQL, where days,
//! streaks, weekly goals and achievements follow the user's time zone.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use yogaflow_core::accounts::Role;
use yogaflow_core::catalog::Difficulty;
use yogaflow_core::clock::{Clock, ManualClock};
use yogaflow_store::{Db, NewUser};
use yogaflow_web::auth::hasher::PasswordHasher;
use yogaflow_web::auth::rate_limit::RateLimits;
use yogaflow_web::auth::service::Accounts;
use yogaflow_web::{AppParts, AppState, CatalogCache, WebConfig};

const PASSWORD: &str = "maple kettle drift river";

struct Harness {
    base: String,
    http: reqwest::Client,
    clock: ManualClock,
    cleanup: Option<(String, String)>,
    dir: PathBuf,
    db: Db,
}

async fn database(dir: &std::path::Path, postgres: bool) -> Option<(Db, Option<(String, String)>)> {
    if !postgres {
        return Some((Db::connect(None, dir, 4).await.ok()?, None));
    }
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var("YOGAFLOW_REQUIRE_POSTGRES").is_err(),
            "TEST_DATABASE_URL is required"
        );
        return None;
    };
    let name = format!(
        "yf_c_{}",
        std::process::id() as u64 * 1000 + u64::from(rand_suffix())
    );
    let admin_db = Db::connect(Some(&admin), dir, 1).await.ok()?;
    if let Db::Postgres(p) = &admin_db {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(p)
            .await
            .ok()?;
    }
    admin_db.close().await;
    let (base, _) = admin.rsplit_once('/')?;
    Some((
        Db::connect(Some(&format!("{base}/{name}")), dir, 4)
            .await
            .ok()?,
        Some((admin, name)),
    ))
}

fn rand_suffix() -> u16 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() % 997) as u16
}

impl Harness {
    /// A server whose clock starts at `start`, with one verified user in `zone`.
    async fn start(postgres: bool, start: OffsetDateTime, zone: &str) -> Option<Harness> {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "clocked-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let (db, cleanup) = database(&dir, postgres).await?;
        db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        let lib = yogaflow_content::Library::embedded().unwrap_or_else(|e| panic!("{e}"));
        db.load_library(
            &lib.poses,
            |ids| lib.sequences.iter().map(|s| s.to_draft(ids)).collect(),
            start,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let clock = ManualClock::new(start);
        let shared: Arc<dyn Clock> = Arc::new(clock.clone());
        let hasher = Arc::new(PasswordHasher::new(2));
        let from: lettre::message::Mailbox = "YogaFlow <noreply@yoga.test>"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let base = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let accounts = Accounts::new(
            db.clone(),
            hasher.clone(),
            b"0123456789abcdef0123456789abcdef",
            shared.clone(),
            yogaflow_mail::Mailer::new(db.clone(), from),
            base.clone(),
        );
        let hash = hasher.hash(PASSWORD.into()).await.unwrap_or_default();
        let new = NewUser {
            email: "kai@example.org",
            name: "Kai",
            password_hash: &hash,
            experience_level: Difficulty::Beginner,
            role: Role::User,
            email_verified: true,
        };
        let uid = db
            .create_user(&new, start)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or(0);
        db.update_profile(uid, None, None, Some(zone), start)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let catalog = Arc::new(CatalogCache::new());
        catalog.refresh(&db).await.unwrap_or_else(|e| panic!("{e}"));
        let state = AppState::from(AppParts {
            db: db.clone(),
            catalog,
            redis: None,
            config: Arc::new(WebConfig {
                environment: "development".into(),
                version: "test",
                allowed_origins: Vec::new(),
                public_url: base.clone(),
                metrics_token: None,
            }),
            clock: shared,
            accounts: Arc::new(accounts),
            limits: Arc::new(RateLimits::new(100_000, None)),
            trusted_proxies: Arc::new(Vec::new()),
            secure_cookies: false,
            breathing: Arc::new(lib.breathing.clone()),
            facts: Arc::new(yogaflow_web::facts_cache::FactsCache::default()),
            draining: std::sync::atomic::AtomicBool::new(false),
            uploads_dir: std::env::temp_dir().join("yogaflow-clocked-uploads"),
        });
        let app = yogaflow_web::router(state);
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await;
        });
        let http = reqwest::Client::new();
        Some(Harness {
            base,
            http,
            clock,
            cleanup,
            dir,
            db,
        })
    }

    /// A fresh access token: the test clock jumps hours and days, and access
    /// tokens rightly expire after ten minutes.
    async fn token(&self) -> String {
        let r: Value = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": "kai@example.org", "password": PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        r["tokens"]["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(self.token().await);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap_or_else(|e| panic!("{e}"));
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap_or_default()
    }

    /// Practises `minutes` starting now (the clock moves forward by that much).
    async fn practise(&self, minutes: i64) -> Value {
        let s = self
            .call(
                reqwest::Method::POST,
                "/api/v1/sessions/start",
                Some(json!({})),
            )
            .await;
        self.clock.advance(Duration::minutes(minutes));
        self.call(
            reqwest::Method::POST,
            "/api/v1/sessions/complete",
            Some(json!({"session_id": s["session_id"], "duration_seconds": minutes * 60})),
        )
        .await
    }

    async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.cleanup
            && let Ok(admin_db) = Db::connect(Some(&admin), &self.dir, 1).await
        {
            if let Db::Postgres(p) = &admin_db {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(p)
                .await;
            }
            admin_db.close().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn tokyo_days_streaks_goals_and_achievements(postgres: bool) {
    // 23:30 in Tokyo on Monday 9 March 2026 is 14:30 UTC.
    let Some(h) = Harness::start(postgres, datetime!(2026-03-09 14:30 UTC), "Asia/Tokyo").await
    else {
        return;
    };
    h.call(
        reqwest::Method::PUT,
        "/api/v1/goals",
        Some(json!({"sessions_per_week": 3, "minutes_per_week": 60})),
    )
    .await;
    h.practise(20).await;
    let cal = h.call(reqwest::Method::GET, "/api/v1/calendar", None).await;
    assert_eq!(
        cal["months"][0]["days"][0]["date"], "2026-03-09",
        "a session at 23:30 counts for that Tokyo day"
    );
    let history = h
        .call(
            reqwest::Method::GET,
            "/api/v1/history?start_date=2026-03-09&end_date=2026-03-09",
            None,
        )
        .await;
    assert_eq!(history["total"], 1, "date filters use the Tokyo day");

    // Six more evenings in a row make a seven-day streak and unlock it once.
    let mut unlocked = Vec::new();
    for _ in 0..6 {
        h.clock.advance(Duration::hours(24) - Duration::minutes(20));
        let done = h.practise(20).await;
        unlocked.extend(
            done["newly_unlocked"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| a["code"].as_str().map(str::to_owned)),
        );
    }
    assert_eq!(unlocked, vec!["streak_7".to_owned()]);
    let stats = h.call(reqwest::Method::GET, "/api/v1/stats", None).await;
    assert_eq!(
        (
            stats["current_streak_days"].as_u64(),
            stats["best_streak_days"].as_u64()
        ),
        (Some(7), Some(7))
    );
    assert_eq!(
        stats["sessions_by_time_of_day"]["night"], 7,
        "23:30 Tokyo is night, whatever UTC says"
    );

    // The week (Monday 9 to Sunday 15 March in Tokyo) met both goals.
    let goals = h.call(reqwest::Method::GET, "/api/v1/goals", None).await;
    assert_eq!(goals["week_start"], "2026-03-09");
    assert_eq!(
        (
            goals["sessions"]["done"].as_u64(),
            goals["sessions"]["percent"].as_u64()
        ),
        (Some(7), Some(100))
    );
    assert_eq!(goals["minutes"]["done"], 140);
    // Monday 16 March in Tokyo starts a fresh week.
    h.clock.advance(Duration::hours(24));
    let goals = h.call(reqwest::Method::GET, "/api/v1/goals", None).await;
    assert_eq!(
        (
            goals["week_start"].as_str(),
            goals["sessions"]["done"].as_u64()
        ),
        (Some("2026-03-16"), Some(0))
    );
    // A missed day ends the current streak but not the best one.
    h.clock.advance(Duration::hours(48));
    let stats = h.call(reqwest::Method::GET, "/api/v1/stats", None).await;
    assert_eq!(
        (
            stats["current_streak_days"].as_u64(),
            stats["best_streak_days"].as_u64()
        ),
        (Some(0), Some(7))
    );
    let ach = h
        .call(reqwest::Method::GET, "/api/v1/achievements", None)
        .await;
    let earned: Vec<&str> = ach["earned"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        earned.contains(&"streak_7") && earned.contains(&"first_session"),
        "{earned:?}"
    );
    h.finish().await;
}

#[tokio::test]
async fn tokyo_days_streaks_goals_and_achievements_on_sqlite() {
    tokyo_days_streaks_goals_and_achievements(false).await;
}

#[tokio::test]
async fn tokyo_days_streaks_goals_and_achievements_on_postgres() {
    tokyo_days_streaks_goals_and_achievements(true).await;
}
