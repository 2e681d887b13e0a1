//! What every handler can reach. Built once at start-up by the binary.

use crate::auth::client_ip::Cidr;
use crate::auth::rate_limit::RateLimits;
use crate::auth::service::Accounts;
use crate::catalog_cache::CatalogCache;
use std::sync::Arc;
use yogaflow_core::clock::Clock;
use yogaflow_store::Db;

/// Settings the HTTP layer needs, already validated by the binary's config.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// `development` or `production`, echoed by `GET /` as 1.0 did.
    pub environment: String,
    pub version: &'static str,
    /// Origins allowed to call the API from a browser (CORS); empty = same origin only.
    pub allowed_origins: Vec<String>,
    /// Where users reach YogaFlow; links in mail and pages use it, never the Host header.
    pub public_url: String,
    /// Bearer token for `GET /metrics` on the main listener; `None` = no such route.
    pub metrics_token: Option<String>,
}

/// Everything handlers share, behind one `Arc`: every request and middleware
/// clones the state, and one reference count to bump (instead of one per field)
/// keeps that cheap when many cores serve requests at once.
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl From<AppParts> for AppState {
    fn from(parts: AppParts) -> Self {
        AppState(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppParts;
    fn deref(&self) -> &AppParts {
        &self.0
    }
}

pub struct AppParts {
    pub db: Db,
    pub catalog: Arc<CatalogCache>,
    pub redis: Option<redis::aio::ConnectionManager>,
    pub config: Arc<WebConfig>,
    pub clock: Arc<dyn Clock>,
    pub accounts: Arc<Accounts>,
    pub limits: Arc<RateLimits>,
    /// Proxies whose `X-Forwarded-For` we believe; empty = trust no header.
    pub trusted_proxies: Arc<Vec<Cidr>>,
    /// Served over https: cookies get `Secure` and the `__Host-` prefix, and HSTS is sent.
    pub secure_cookies: bool,
    /// The breathing exercises of the bundled library.
    pub breathing: Arc<Vec<yogaflow_content::BreathingExercise>>,
    /// Users' practice facts, kept while their practice does not change.
    pub facts: Arc<crate::facts_cache::FactsCache>,
    /// Where uploaded images are stored (`uploads/` in the data directory).
    pub uploads_dir: std::path::PathBuf,
    /// Set once shutdown begins: readiness answers 503 so traffic moves away
    /// while in-flight requests finish.
    pub draining: std::sync::atomic::AtomicBool,
}
