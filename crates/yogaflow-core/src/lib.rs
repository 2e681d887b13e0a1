//! YogaFlow's domain: the rules of the catalog (poses, sequences), independent of
//! HTTP, SQL and configuration.
//!
//! Nothing in this crate imports a web framework, a database driver or Redis; the
//! adapters in `yogaflow-store` and `yogaflow-web` depend on it, never the reverse.
//! Time enters only through [`clock::Clock`], so every rule can be tested at a chosen
//! instant.

pub mod accounts;
pub mod catalog;
pub mod clock;
pub mod error;
pub mod practice;
pub mod text;
