//! A server that is down: the message waits, backs off, and goes out once the
//! server is back and its retry time has come.

use crate::running::start;
use crate::scratch::{eventually, on_both};
use crate::sink::{Sink, free_port};
use crate::smtp::plain_smtp;
use std::sync::Arc;
use std::time::Duration as StdDuration;
use time::Duration;
use time::macros::datetime;
use yogaflow_core::clock::{Clock, ManualClock};
use yogaflow_mail::templates;

on_both!(
    a_failed_delivery_is_retried_after_its_backoff,
    |db, _dir| {
        let t0 = datetime!(2026-03-01 09:00 UTC);
        let clock = ManualClock::new(t0);
        let port = free_port(); // nothing listens there yet
        let running = start(db, plain_smtp(port), Arc::new(clock.clone()));

        let mail = templates::verify_email("Ana", "https://yogaflow.test/verify?token=t")
            .to("ana@example.com");
        let id = running
            .mailer
            .send_later(mail, clock.now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        eventually("the first attempt to fail", || async {
            let row = db.mail_by_id(id).await.unwrap_or_else(|e| panic!("{e}"));
            row.is_some_and(|r| r.attempts == 1)
        })
        .await;
        let row = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!(row.sent_at, None);
        assert_eq!(row.next_attempt_at, t0 + Duration::seconds(5));
        assert!(row.next_attempt_at > clock.now());
        assert!(row.last_error.is_some_and(|e| !e.contains("token=t")));
        assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 1);

        // Time stands still: several polls go by and nothing is retried early.
        tokio::time::sleep(StdDuration::from_millis(1200)).await;
        let row = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!(row.attempts, 1);

        let sink = Sink::start(port).await;
        clock.advance(Duration::seconds(6));
        sink.wait_for(&[
            "To: ana@example.com",
            "Subject: YogaFlow: Please confirm your email address",
        ])
        .await;
        eventually("the retried message to be marked sent", || async {
            let row = db.mail_by_id(id).await.unwrap_or_else(|e| panic!("{e}"));
            row.is_some_and(|r| r.sent_at == Some(t0 + Duration::seconds(6)))
        })
        .await;
        let row = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!(
            row.attempts, 1,
            "a success does not count as a failed attempt"
        );

        running.stop().await;
        sink.stop().await;
    }
);
