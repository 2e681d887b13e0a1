//! YogaFlow's HTTP face: the JSON API under `/api/v1`, the server-rendered web
//! app ([`pages`]), health checks and API docs.
//!
//! Handlers are thin: they read the request, call the store or a domain rule, and
//! map the result. Status codes are chosen in one place, [`error`]; everything
//! that reaches a client as an error goes through [`error::ApiError`].

pub mod api;
pub mod auth;
mod catalog_cache;
mod csrf;
pub mod dto;
pub mod dto_auth;
pub mod dto_practice;
pub mod error;
pub mod facts_cache;
mod headers;
mod idempotency;
pub mod images;
pub mod metrics;
mod openapi;
pub mod pages;
mod params;
pub mod reporting;
mod router;
mod state;

pub use catalog_cache::CatalogCache;
pub use router::router;
pub use state::{AppParts, AppState, WebConfig};
