//! The worker writing `.eml` files: the development transport.

use crate::running::start;
use crate::scratch::{eventually, on_both};
use std::sync::Arc;
use yogaflow_core::clock::SystemClock;
use yogaflow_mail::{Transport, templates};

on_both!(the_worker_writes_one_eml_file_per_message, |db, dir| {
    let out = dir.join("outbox");
    let running = start(
        db,
        Transport::File { dir: out.clone() },
        Arc::new(SystemClock),
    );
    let now = time::OffsetDateTime::now_utc();
    let verify = templates::verify_email("Ana", "https://yogaflow.test/verify?token=v1")
        .to("ana@example.com");
    let reset = templates::reset_password("Ben", "https://yogaflow.test/reset?token=r1")
        .to("ben@example.com");
    let first = running
        .mailer
        .send_later(verify, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = running
        .mailer
        .send_later(reset, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    eventually("the outbox to drain", || async {
        db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")) == 0
    })
    .await;
    running.stop().await;

    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    for (id, to, subject) in [
        (
            first,
            "ana@example.com",
            "YogaFlow: Please confirm your email address",
        ),
        (second, "ben@example.com", "YogaFlow: Reset your password"),
    ] {
        let name = files
            .iter()
            .find(|f| f.ends_with(&format!("-{id}.eml")))
            .unwrap_or_else(|| panic!("no file for message {id} in {files:?}"));
        let micros = name.split('-').next().unwrap_or_default();
        assert!(
            micros.len() >= 16 && micros.bytes().all(|b| b.is_ascii_digit()),
            "{name}"
        );
        let eml = std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{e}"));
        assert!(eml.contains(&format!("\r\nTo: {to}\r\n")), "{eml}");
        assert!(
            eml.contains(&format!("\r\nSubject: {subject}\r\n")),
            "{eml}"
        );
        assert!(
            eml.contains("From: YogaFlow <noreply@yogaflow.app>\r\n"),
            "{eml}"
        );
        assert!(
            eml.contains("Content-Type: multipart/alternative;"),
            "{eml}"
        );
        assert!(
            eml.contains("Content-Type: text/plain; charset=utf-8"),
            "{eml}"
        );
        assert!(
            eml.contains("Content-Type: text/html; charset=utf-8"),
            "{eml}"
        );
        assert!(
            eml.find("text/plain") < eml.find("text/html"),
            "the text part comes first"
        );

        let row = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert!(row.sent_at.is_some(), "{row:?}");
        assert_eq!(row.attempts, 0);
    }
});
