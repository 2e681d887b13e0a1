//! Authentication: password hashing, tokens, the authenticated-user extractor,
//! per-IP rate limits, and the account use cases behind `/auth/*` and `/profile`.

pub mod client_ip;
pub mod extract;
pub mod hasher;
pub mod jwt;
pub mod rate_limit;
pub mod secrets;
pub mod service;
