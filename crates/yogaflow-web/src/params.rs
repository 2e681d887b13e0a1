//! Request parts read by hand so every problem becomes a named 422 field error
//! rather than a framework rejection in another shape.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, RawQuery};
use axum::http::request::Parts;
use yogaflow_core::error::FieldError;

/// The query string as ordered `(key, value)` pairs, repeats kept so the domain
/// can refuse them.
pub struct QueryPairs {
    pub pairs: Vec<(String, String)>,
    /// The query string as sent, used as a cache key.
    pub raw: String,
}

impl QueryPairs {
    /// Pairs built by a page that calls an API handler directly.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let raw = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        QueryPairs { pairs, raw }
    }
}

impl Default for QueryPairs {
    fn default() -> Self {
        QueryPairs::from_pairs(Vec::new())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let RawQuery(raw) = RawQuery::from_request_parts(parts, state)
            .await
            .unwrap_or(RawQuery(None));
        let raw = raw.unwrap_or_default();
        let pairs = match raw.as_str() {
            "" => Vec::new(),
            q => serde_urlencoded::from_str::<Vec<(String, String)>>(q).map_err(|_| {
                ApiError::Validation(vec![FieldError::new(
                    "query",
                    "query",
                    "invalid",
                    "the query string is not valid URL encoding",
                )])
            })?,
        };
        Ok(QueryPairs { pairs, raw })
    }
}

/// Reads a positive integer id from a path segment; anything else is a 422 that
/// names the parameter, as 1.0 answered for non-numeric ids.
pub fn path_id(raw: &str, name: &'static str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| {
        ApiError::Validation(vec![FieldError::new(
            "path",
            name,
            "not_an_integer",
            format!("{name} must be a whole number"),
        )])
    })
}

/// The single value of query parameter `key`, if given; a repeated key is an
/// error, since we cannot know which value the client meant.
///
/// # Errors
/// A `repeated` field error naming `key`.
pub fn single<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, FieldError> {
    let mut values = pairs.iter().filter(|(k, _)| k == key);
    let first = values.next().map(|(_, v)| v.as_str());
    if values.next().is_some() {
        return Err(FieldError::new(
            "query",
            key,
            "repeated",
            format!("{key} must be given at most once"),
        ));
    }
    Ok(first)
}
