//! Wiring: open the database, migrate, load the library, start the server.

use crate::config::{Config, Environment};
use anyhow::Context as _;
use std::future::IntoFuture as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use yogaflow_content::Library;
use yogaflow_core::clock::{Clock, SystemClock};
use yogaflow_store::{Db, LoadReport};
use yogaflow_web::auth::hasher::PasswordHasher;
use yogaflow_web::auth::rate_limit::RateLimits;
use yogaflow_web::auth::service::Accounts;
use yogaflow_web::{AppParts, AppState, CatalogCache, WebConfig};

/// Opens the configured database and brings its schema up to date.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(
        config.database_url.as_deref(),
        &config.data_dir,
        config.db_max_connections,
    )
    .await
    .context("cannot open the database")?;
    db.migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(db)
}

/// Upserts the library; unchanged entries cost one comparison each.
pub async fn load_library(db: &Db, lib: &Library) -> anyhow::Result<LoadReport> {
    let report = db
        .load_library(
            &lib.poses,
            |ids| lib.sequences.iter().map(|s| s.to_draft(ids)).collect(),
            SystemClock.now(),
        )
        .await
        .context("cannot load the library")?;
    Ok(report)
}

/// The account service over `db`, configured from `config`.
pub fn accounts(config: &Config, db: &Db) -> Accounts {
    let mailer = yogaflow_mail::Mailer::new(db.clone(), config.mail.from.clone());
    let mut accounts = Accounts::new(
        db.clone(),
        Arc::new(PasswordHasher::new(config.hash_concurrency)),
        &config.secret_key,
        Arc::new(SystemClock),
        mailer,
        config.public_url.clone(),
    );
    accounts.refresh_grace = time::Duration::seconds(config.refresh_grace_seconds);
    accounts
}

pub async fn migrate_only(config: &Config) -> anyhow::Result<()> {
    let db = connect(config).await?;
    println!("migrations applied");
    db.close().await;
    Ok(())
}

fn redis_manager(url: &str) -> anyhow::Result<redis::aio::ConnectionManager> {
    let client = redis::Client::open(url).context("REDIS_URL is not a valid Redis URL")?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(1);
    // Lazy: a Redis that is down at start-up shows in readiness instead of
    // stopping the server.
    redis::aio::ConnectionManager::new_lazy_with_config(client, config)
        .context("cannot set up the Redis connection")
}

/// Resolves on SIGTERM (what systemd and orchestrators send) or Ctrl-C.
async fn shutdown_requested() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// In production, the `doctor` checks must all pass before the server serves.
async fn production_checks(config: &Config) -> anyhow::Result<()> {
    let findings = crate::doctor::examine(&crate::doctor::Target {
        production: true,
        data_dir: config.data_dir.clone(),
        database_url: config.database_url.clone(),
    })
    .await;
    if crate::doctor::any_failed(&findings) {
        eprint!("{}", crate::doctor::render(&findings));
        anyhow::bail!(
            "refusing to start in production until every check passes \
             (`yogaflow doctor --env production` runs them alone)"
        );
    }
    Ok(())
}

/// Error reporting to Sentry when a DSN is configured; reports are flushed
/// when the returned guard is dropped.
fn error_reporting(config: &Config) -> Option<sentry::ClientInitGuard> {
    let dsn = config.sentry_dsn.clone()?;
    let mut options = sentry::ClientOptions::new();
    options.dsn = Some(dsn);
    options.release = Some(env!("CARGO_PKG_VERSION").into());
    options.environment = Some(config.environment.as_str().into());
    options.send_default_pii = false;
    options.before_send = Some(Arc::new(yogaflow_web::reporting::scrub));
    Some(sentry::init(options))
}

pub async fn serve(mut config: Config) -> anyhow::Result<()> {
    let started = Instant::now();
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    if config.public_url_is_default {
        // Links in mail must reach this server even when the port was chosen by the OS.
        config.public_url = format!("http://{addr}");
    }
    let db = connect(&config).await?;
    if config.environment == Environment::Production {
        production_checks(&config).await?;
    }
    // Only a server that is going to serve reports errors.
    let _reporting = error_reporting(&config);
    let lib = Library::embedded().context("the bundled library is not valid")?;
    let breathing = lib.breathing.clone();
    if config.autoload_content {
        let report = load_library(&db, &lib).await?;
        tracing::info!(
            poses_added = report.poses_added,
            poses_updated = report.poses_updated,
            sequences_added = report.sequences_added,
            sequences_updated = report.sequences_updated,
            "library loaded"
        );
    }
    let catalog = Arc::new(CatalogCache::new());
    catalog
        .refresh(&db)
        .await
        .context("cannot read the catalog version")?;
    let _watch = catalog.watch(db.clone());
    let redis = config.redis_url.as_deref().map(redis_manager).transpose()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let accounts = accounts(&config, &db);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let transport = yogaflow_mail::Transport::from_settings(&config.mail.transport)
        .map_err(|e| anyhow::anyhow!("mail transport: {e}"))?;
    let mail_worker = yogaflow_mail::Worker::spawn(
        db.clone(),
        transport,
        accounts.mailer.worker_settings(clock.clone()),
        stopped,
    );
    let state = AppState::from(AppParts {
        db: db.clone(),
        catalog,
        redis: redis.clone(),
        config: Arc::new(WebConfig {
            environment: config.environment.as_str().into(),
            version: env!("CARGO_PKG_VERSION"),
            allowed_origins: config.allowed_origins.clone(),
            public_url: config.public_url.clone(),
            metrics_token: config.metrics_token.clone(),
        }),
        clock,
        accounts: Arc::new(accounts),
        limits: Arc::new(RateLimits::new(config.auth_rate_per_minute, redis.clone())),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        secure_cookies: config.public_url.starts_with("https://"),
        breathing: Arc::new(breathing),
        facts: Arc::new(yogaflow_web::facts_cache::FactsCache::default()),
        draining: AtomicBool::new(false),
        uploads_dir: config.data_dir.join("uploads"),
    });
    yogaflow_web::metrics::handle();
    let metrics_server = match config.metrics_bind {
        Some(bind) => {
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind} for metrics"))?;
            let metrics_addr = listener.local_addr()?;
            println!("yogaflow metrics on http://{metrics_addr}/metrics");
            let router = yogaflow_web::metrics::listener_router(state.clone());
            Some(tokio::spawn(
                async move { axum::serve(listener, router).await },
            ))
        }
        None => None,
    };
    let app = yogaflow_web::router(state.clone());
    tracing::info!(%addr, startup_ms = started.elapsed().as_millis() as u64, "listening");
    // Scripts and tests read this line to learn the port when binding to :0.
    println!("yogaflow listening on http://{addr}");
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
    let notice = config.drain_notice;
    // Draining: readiness turns 503 at once, and the port stays open for the
    // notice period so load balancers move traffic away before it closes.
    // The mail worker is told to stop now: it finishes the message in hand.
    let drain_started = async move {
        shutdown_requested().await;
        state.draining.store(true, Ordering::Relaxed);
        let _ = stop.send(true);
        tracing::info!(
            notice_s = notice.as_secs(),
            "shutdown requested; readiness answers 503"
        );
        tokio::time::sleep(notice).await;
        tracing::info!("no new connections; finishing in-flight requests");
        let _ = closed_tx.send(());
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(drain_started)
    .into_future();
    let drain = config.drain;
    let drain_over = async move {
        match closed_rx.await {
            Ok(()) => tokio::time::sleep(drain).await,
            Err(_) => std::future::pending().await,
        }
    };
    let cut_short = tokio::select! {
        served = server => {
            served.context("the server stopped with an error")?;
            false
        }
        () = drain_over => {
            tracing::warn!(
                drain_s = drain.as_secs(),
                "requests still running when the drain time ran out are cut off"
            );
            true
        }
    };
    if let Some(m) = metrics_server {
        m.abort();
    }
    // Nothing queued is lost: the outbox keeps what the worker did not send.
    let _ = mail_worker.await;
    if cut_short {
        // A cut request may still hold a connection; do not wait for it.
        let _ = tokio::time::timeout(Duration::from_secs(1), db.close()).await;
    } else {
        db.close().await;
    }
    tracing::info!("stopped");
    Ok(())
}
