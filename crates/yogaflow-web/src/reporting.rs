//! Error tracking (Sentry, when `SENTRY_DSN` is set): handler panics and our
//! own faults (500, and 507 when storage is full) are reported with the
//! request id and the route template. A 503 is not reported: it means a
//! dependency is down, which metrics and readiness already show, and an outage
//! would otherwise send one event per request.
//!
//! Nothing from the request is attached (no headers, cookies, body or query),
//! and [`scrub`] runs on every event before it leaves: it drops request data
//! and user fields and redacts email addresses and token-looking strings.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sentry::protocol::{Event, Level};

/// What went wrong, attached to a 5xx response for [`report`] to send.
#[derive(Clone, Debug)]
pub enum Failure {
    Panic(String),
    Internal(String),
}

/// The answer to a handler panic (the router's `CatchPanicLayer` calls this):
/// the generic 500 body, with the panic message kept for the report.
pub fn panic_response(payload: Box<dyn std::any::Any + Send>) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "handler panicked".to_owned());
    tracing::error!(panic = %redact(&message), "handler panicked");
    let mut response = crate::error::ApiError::Internal("handler panicked".into()).into_response();
    response.extensions_mut().insert(Failure::Panic(message));
    response
}

/// Reports a 500 or 507 answer, with its request id and route, when a Sentry
/// client is configured. Must sit outside the panic catcher and inside the
/// layer that sets the request id.
pub async fn report(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if (status.as_u16() == 500 || status.as_u16() == 507)
        && sentry::Hub::current().client().is_some()
    {
        let failure = response.extensions().get::<Failure>().cloned();
        let (kind, message, level) = match failure {
            Some(Failure::Panic(m)) => ("panic", format!("handler panicked: {m}"), Level::Fatal),
            Some(Failure::Internal(m)) => ("internal", m, Level::Error),
            None => ("status", format!("answered {status}"), Level::Error),
        };
        let mut event = Event {
            message: Some(message),
            level,
            transaction: Some(format!("{method} {route}")),
            ..Event::default()
        };
        event.tags.insert("request_id".into(), request_id);
        event.tags.insert("route".into(), route);
        event.tags.insert("method".into(), method);
        event
            .tags
            .insert("status".into(), status.as_u16().to_string());
        event.tags.insert("failure".into(), kind.into());
        sentry::capture_event(event);
    }
    response
}

/// The `before_send` hook: what may leave the process.
pub fn scrub(mut event: Event<'static>) -> Option<Event<'static>> {
    if let Some(request) = event.request.as_mut() {
        request.data = None;
        request.cookies = None;
        request.query_string = None;
        request.headers.clear();
        request.env.clear();
    }
    event.user = None;
    event.server_name = None;
    event.message = event.message.as_deref().map(redact);
    if let Some(entry) = event.logentry.as_mut() {
        entry.message = redact(&entry.message);
        entry.params.clear();
    }
    event.culprit = event.culprit.as_deref().map(redact);
    for e in &mut event.exception.values {
        e.value = e.value.as_deref().map(redact);
    }
    for (key, value) in &mut event.tags {
        if key != "request_id" && key != "route" && key != "transaction" {
            *value = redact(value);
        }
    }
    event.extra.clear();
    for b in &mut event.breadcrumbs.values {
        b.message = b.message.as_deref().map(redact);
        b.data.clear();
    }
    Some(event)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/' | '~')
}

fn looks_like_uuid(word: &str) -> bool {
    word.len() == 36
        && word.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Replaces email addresses with `[email]` and long runs mixing letters and
/// digits (bearer and refresh tokens, reset links' tokens, session ids, keys)
/// with `[redacted]`. UUIDs (request ids) are kept.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let has_at = word
            .find('@')
            .is_some_and(|at| at > 0 && word[at + 1..].contains('.'));
        let letters = word.chars().any(|c| c.is_ascii_alphabetic());
        let digits = word.chars().any(|c| c.is_ascii_digit());
        if has_at {
            out.push_str("[email]");
        } else if word.len() >= 20 && letters && digits && !looks_like_uuid(word) {
            out.push_str("[redacted]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_token_char(c) || c == '@' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_emails_and_tokens_but_keeps_words_and_request_ids() {
        let text = "login for pat.lee+yoga@example.org failed with token \
                    eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz (request \
                    3f1c2b9e-8d7a-4c6b-9e5f-0a1b2c3d4e5f): no such table: favorites";
        let out = redact(text);
        assert!(!out.contains("pat.lee"), "{out}");
        assert!(!out.contains("eyJ"), "{out}");
        assert!(
            out.contains("[email]") && out.contains("[redacted]"),
            "{out}"
        );
        assert!(
            out.contains("3f1c2b9e-8d7a-4c6b-9e5f-0a1b2c3d4e5f"),
            "{out}"
        );
        assert!(out.contains("no such table: favorites"), "{out}");
    }

    #[test]
    fn scrub_drops_request_data_and_users() {
        let mut event = Event {
            message: Some("reset token a1b2c3d4e5f6a7b8c9d0e1f2 for sam@example.org".into()),
            ..Event::default()
        };
        let mut request = sentry::protocol::Request {
            data: Some(r#"{"password":"maple kettle"}"#.into()),
            cookies: Some("yf_session=abc".into()),
            query_string: Some("token=abc".into()),
            ..Default::default()
        };
        request
            .headers
            .insert("Authorization".into(), "Bearer abc".into());
        event.request = Some(request);
        event.user = Some(sentry::protocol::User {
            email: Some("sam@example.org".into()),
            ..Default::default()
        });
        event.extra.insert("body".into(), "password=hunter2".into());
        let event = scrub(event).unwrap_or_default();
        let text = serde_json::to_string(&event).unwrap_or_default();
        for secret in [
            "maple",
            "yf_session",
            "token=abc",
            "Bearer",
            "sam@example.org",
            "hunter2",
            "a1b2c3d4e5f6",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
