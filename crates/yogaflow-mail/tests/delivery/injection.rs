//! Header injection: an address or subject carrying CR/LF and a second header
//! is refused before it is queued, and by every transport.

use crate::running::{from, start};
use crate::scratch::{eventually, on_both};
use std::sync::{Arc, PoisonError};
use yogaflow_core::clock::SystemClock;
use yogaflow_mail::{ComposeError, MailError, SendError, Transport, templates};
use yogaflow_store::NewMail;

const EVIL_TO: &str = "ana@example.com\r\nBcc: x@y";

on_both!(an_address_with_a_smuggled_header_is_refused, |db, _dir| {
    let (transport, sent) = Transport::memory();
    let running = start(db, transport, Arc::new(SystemClock));
    let now = time::OffsetDateTime::now_utc();

    let mail = templates::verify_email("Ana", "https://yogaflow.test/v?token=1").to(EVIL_TO);
    let refused = running.mailer.send_later(mail.clone(), now).await;
    assert!(
        matches!(refused, Err(MailError::Compose(ComposeError::Recipient(_)))),
        "{refused:?}"
    );

    let mut bad_subject =
        templates::verify_email("Ana", "https://yogaflow.test/v?token=1").to("ana@example.com");
    bad_subject.subject = "YogaFlow: hi\r\nBcc: x@y".to_owned();
    let refused = running.mailer.send_later(bad_subject, now).await;
    assert!(
        matches!(refused, Err(MailError::Compose(ComposeError::Subject))),
        "{refused:?}"
    );
    assert_eq!(
        db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")),
        0,
        "nothing was queued"
    );

    // A transport refuses it too, even if it reached one directly.
    let (direct, direct_sent) = Transport::memory();
    let refused = direct.send(&from(), &mail, 1, now).await;
    assert!(matches!(refused, Err(SendError::Compose(_))), "{refused:?}");
    assert!(
        direct_sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    );

    // A row written around the mailer is abandoned at once, not retried 20 times.
    let row = NewMail {
        to_address: EVIL_TO,
        subject: "YogaFlow: hi",
        text_body: "t",
        html_body: "h",
        kind: "verify_email",
    };
    let id = db
        .enqueue_mail(&row, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    eventually("the bad row to be abandoned", || async {
        let row = db.mail_by_id(id).await.unwrap_or_else(|e| panic!("{e}"));
        row.is_some_and(|r| r.gave_up_at.is_some())
    })
    .await;
    let row = db
        .mail_by_id(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("row"));
    assert_eq!((row.attempts, row.sent_at), (1, None));
    assert!(
        sent.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    );
    assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 0);
    running.stop().await;
});
