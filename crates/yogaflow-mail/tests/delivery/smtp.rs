//! The worker talking to a real SMTP server.

use crate::running::start;
use crate::scratch::{eventually, on_both};
use crate::sink::{Sink, free_port};
use std::sync::Arc;
use yogaflow_core::clock::SystemClock;
use yogaflow_mail::{Security, SmtpSettings, Transport, templates};

pub fn plain_smtp(port: u16) -> Transport {
    let settings = SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        security: Security::None,
        user: None,
        password: None,
    };
    Transport::smtp(&settings).unwrap_or_else(|e| panic!("{e}"))
}

on_both!(the_worker_delivers_through_smtp, |db, _dir| {
    let port = free_port();
    let sink = Sink::start(port).await;
    let running = start(db, plain_smtp(port), Arc::new(SystemClock));

    let mail = templates::password_changed("Ana").to("ana@example.com");
    let id = running
        .mailer
        .send_later(mail, time::OffsetDateTime::now_utc())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sink.wait_for(&[
        "To: ana@example.com",
        "Subject: YogaFlow: Your password was changed",
    ])
    .await;
    eventually("the message to be marked sent", || async {
        let row = db.mail_by_id(id).await.unwrap_or_else(|e| panic!("{e}"));
        row.is_some_and(|r| r.sent_at.is_some())
    })
    .await;
    assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 0);
    let out = sink.output();
    assert!(
        out.contains("From: YogaFlow <noreply@yogaflow.app>"),
        "{out}"
    );
    assert!(out.contains("multipart/alternative"), "{out}");

    running.stop().await;
    sink.stop().await;
});
