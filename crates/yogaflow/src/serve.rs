//! Wiring: open the database, migrate, load the library, start the server.

use crate::config::Config;
use anyhow::Context as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use yogaflow_content::Library;
use yogaflow_core::clock::{Clock, SystemClock};
use yogaflow_store::{Db, LoadReport};
use yogaflow_web::{AppState, CatalogCache, WebConfig};

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

async fn shutdown_signal() {
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
    tracing::info!("shutdown requested; finishing in-flight requests");
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = connect(&config).await?;
    if config.autoload_content {
        let lib = Library::embedded().context("the bundled library is not valid")?;
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
    let state = AppState {
        db: db.clone(),
        catalog,
        redis,
        config: Arc::new(WebConfig {
            environment: config.environment.as_str().into(),
            version: env!("CARGO_PKG_VERSION"),
            allowed_origins: config.allowed_origins.clone(),
            public_url: config.public_url.clone(),
        }),
        clock: Arc::new(SystemClock),
    };
    let app = yogaflow_web::router(state);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, startup_ms = started.elapsed().as_millis() as u64, "listening");
    // Scripts and tests read this line to learn the port when binding to :0.
    println!("yogaflow listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")?;
    db.close().await;
    Ok(())
}
