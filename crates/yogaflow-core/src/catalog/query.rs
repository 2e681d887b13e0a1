//! Reading catalog list queries from raw `key=value` pairs, with every bad value
//! reported by name. The web layer hands over the pairs; this module decides what
//! they mean, so the rules are the same for every transport.

use super::enums::{Category, Difficulty, FocusArea, Style, TargetArea};
use crate::error::FieldError;
use crate::text;

/// Longest search text accepted; longer input is refused, not truncated.
pub const MAX_SEARCH_CHARS: usize = 200;
pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;
/// Caps page and offset so `page * page_size` can never overflow.
pub const MAX_PAGE: u32 = 1_000_000;

/// Which of 1.0's two pagination modes a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// `page` (1-based) and `page_size`.
    Numbered { page: u32, size: u32 },
    /// `offset` and `limit`; 1.0 answers `page: 1, total_pages: 0` in this mode.
    Offset { offset: u32, limit: u32 },
}

impl Page {
    pub fn limit(self) -> u32 {
        match self {
            Page::Numbered { size, .. } => size,
            Page::Offset { limit, .. } => limit,
        }
    }

    pub fn offset(self) -> u64 {
        match self {
            Page::Numbered { page, size } => u64::from(page - 1) * u64::from(size),
            Page::Offset { offset, .. } => u64::from(offset),
        }
    }

    /// `(page, page_size, total_pages)` as 1.0 reports them for `total` rows.
    pub fn report(self, total: u64) -> (u32, u32, u64) {
        match self {
            Page::Numbered { page, size } => (page, size, total.div_ceil(u64::from(size))),
            Page::Offset { limit, .. } => (1, limit, 0),
        }
    }
}

/// Filters of `GET /poses`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoseQuery {
    /// Already folded (lowercase, no diacritics).
    pub search: Option<String>,
    pub category: Option<Category>,
    pub difficulty: Option<Difficulty>,
    pub target_area: Option<TargetArea>,
    pub page: Page,
}

/// Filters of `GET /sequences`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceQuery {
    pub search: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub focus_area: Option<FocusArea>,
    pub style: Option<Style>,
    pub min_duration: Option<u32>,
    pub max_duration: Option<u32>,
    /// `Some(true)`: presets only; `Some(false)`: only sequences users made.
    pub preset_only: Option<bool>,
    pub page: Page,
}

/// Reads known parameters once each, collecting every problem instead of
/// stopping at the first.
struct Params<'a> {
    pairs: &'a [(String, String)],
    errors: Vec<FieldError>,
}

impl<'a> Params<'a> {
    fn new(pairs: &'a [(String, String)]) -> Self {
        Self {
            pairs,
            errors: Vec::new(),
        }
    }

    /// The single value of `key`, or `None`; a repeated key is an error because
    /// we cannot know which value the client meant.
    fn one(&mut self, key: &str) -> Option<&'a str> {
        let mut values = self.pairs.iter().filter(|(k, _)| k == key);
        let first = values.next()?;
        if values.next().is_some() {
            self.errors.push(FieldError::new(
                "query",
                key,
                "repeated",
                format!("{key} must be given at most once"),
            ));
            return None;
        }
        Some(first.1.as_str())
    }

    fn int(&mut self, key: &str, min: u32, max: u32) -> Option<u32> {
        let raw = self.one(key)?;
        match raw.trim().parse::<i64>() {
            Ok(n) if n >= i64::from(min) && n <= i64::from(max) => u32::try_from(n).ok(),
            Ok(_) => {
                self.errors.push(FieldError::new(
                    "query",
                    key,
                    "out_of_range",
                    format!("{key} must be between {min} and {max}"),
                ));
                None
            }
            Err(_) => {
                self.errors.push(FieldError::new(
                    "query",
                    key,
                    "not_an_integer",
                    format!("{key} must be a whole number"),
                ));
                None
            }
        }
    }

    fn vocab<T>(
        &mut self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<T> {
        let raw = self.one(key)?;
        let value = parse(raw.trim());
        if value.is_none() {
            self.errors.push(FieldError::new(
                "query",
                key,
                "unknown_value",
                format!("{key} must be one of: {}", expected()),
            ));
        }
        value
    }

    fn bool(&mut self, key: &str) -> Option<bool> {
        let raw = self.one(key)?;
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => {
                self.errors.push(FieldError::new(
                    "query",
                    key,
                    "not_a_boolean",
                    format!("{key} must be true or false"),
                ));
                None
            }
        }
    }

    fn search(&mut self) -> Option<String> {
        let raw = self.one("search")?;
        if raw.chars().count() > MAX_SEARCH_CHARS {
            self.errors.push(FieldError::new(
                "query",
                "search",
                "too_long",
                format!("search must be at most {MAX_SEARCH_CHARS} characters"),
            ));
            return None;
        }
        let folded = text::fold(raw.trim());
        (!folded.is_empty()).then_some(folded)
    }

    /// 1.0's rule: offset mode when `offset` or `limit` is present, else page mode.
    fn page(&mut self, allow_offset: bool) -> Page {
        let offset_mode = allow_offset
            && self
                .pairs
                .iter()
                .any(|(k, _)| k == "offset" || k == "limit");
        if offset_mode {
            let offset = self.int("offset", 0, MAX_PAGE).unwrap_or(0);
            let limit = self
                .int("limit", 1, MAX_PAGE_SIZE)
                .unwrap_or(DEFAULT_PAGE_SIZE);
            Page::Offset { offset, limit }
        } else {
            let page = self.int("page", 1, MAX_PAGE).unwrap_or(1);
            let size = self
                .int("page_size", 1, MAX_PAGE_SIZE)
                .unwrap_or(DEFAULT_PAGE_SIZE);
            Page::Numbered { page, size }
        }
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

impl PoseQuery {
    /// # Errors
    /// Every unreadable, out-of-range, unknown or repeated parameter.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Params::new(pairs);
        let query = PoseQuery {
            search: p.search(),
            category: p.vocab("category", Category::parse, Category::expected),
            difficulty: p.vocab("difficulty", Difficulty::parse, Difficulty::expected),
            target_area: p.vocab("target_area", TargetArea::parse, TargetArea::expected),
            page: p.page(true),
        };
        p.finish(query)
    }
}

impl SequenceQuery {
    /// # Errors
    /// Every unreadable, out-of-range, unknown or repeated parameter, and a
    /// `min_duration` above `max_duration`.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, Vec<FieldError>> {
        let mut p = Params::new(pairs);
        let query = SequenceQuery {
            search: p.search(),
            difficulty: p.vocab("difficulty", Difficulty::parse, Difficulty::expected),
            focus_area: p.vocab("focus_area", FocusArea::parse, FocusArea::expected),
            style: p.vocab("style", Style::parse, Style::expected),
            min_duration: p.int("min_duration", 1, 999),
            max_duration: p.int("max_duration", 1, 999),
            preset_only: p.bool("preset_only"),
            page: p.page(false),
        };
        if let (Some(min), Some(max)) = (query.min_duration, query.max_duration)
            && min > max
        {
            p.errors.push(FieldError::new(
                "query",
                "min_duration",
                "out_of_range",
                "min_duration must not be greater than max_duration",
            ));
        }
        p.finish(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_to_first_page_of_twenty() {
        let q = PoseQuery::parse(&[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.page, Page::Numbered { page: 1, size: 20 });
        assert_eq!(q.page.offset(), 0);
    }

    #[test]
    fn offset_mode_reports_like_one_point_oh() {
        let q = PoseQuery::parse(&pairs(&[("limit", "5")])).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            q.page,
            Page::Offset {
                offset: 0,
                limit: 5
            }
        );
        assert_eq!(q.page.report(80), (1, 5, 0));
        let q = PoseQuery::parse(&pairs(&[("page", "2"), ("page_size", "30")]))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.page.report(80), (2, 30, 3));
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let err = PoseQuery::parse(&pairs(&[
            ("page", "0"),
            ("page_size", "101"),
            ("category", "backbend"),
            ("difficulty", "easy"),
            ("target_area", "x"),
        ]))
        .err()
        .unwrap_or_default();
        let fields: Vec<_> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["category", "difficulty", "target_area", "page", "page_size"]
        );
    }

    #[test]
    fn repeated_and_overlong_parameters_are_refused() {
        let err = PoseQuery::parse(&pairs(&[("category", "seated"), ("category", "standing")]))
            .err()
            .unwrap_or_default();
        assert_eq!(err[0].kind, "repeated");
        let long = "a".repeat(10_000);
        let err = PoseQuery::parse(&pairs(&[("search", &long)]))
            .err()
            .unwrap_or_default();
        assert_eq!(err[0].kind, "too_long");
    }

    #[test]
    fn search_is_folded() {
        let q =
            PoseQuery::parse(&pairs(&[("search", " Tāḍ ")])).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.search.as_deref(), Some("tad"));
    }

    #[test]
    fn sequence_duration_bounds_must_be_ordered() {
        assert!(
            SequenceQuery::parse(&pairs(&[("min_duration", "30"), ("max_duration", "10")]))
                .is_err()
        );
        assert!(SequenceQuery::parse(&pairs(&[("preset_only", "maybe")])).is_err());
    }
}
