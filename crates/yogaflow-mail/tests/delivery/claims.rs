//! The store's outbox calls: what is due, the atomic claim, and the outcomes.

use crate::scratch::on_both;
use time::Duration;
use time::OffsetDateTime;
use time::macros::datetime;
use yogaflow_store::{Db, NewMail};

const T0: OffsetDateTime = datetime!(2026-03-01 09:00 UTC);

async fn enqueue(db: &Db, to: &str, at: OffsetDateTime) -> i64 {
    let mail = NewMail {
        to_address: to,
        subject: "YogaFlow: test",
        text_body: "text with https://yogaflow.test/link?token=secret",
        html_body: "<p>html</p>",
        kind: "verify_email",
    };
    db.enqueue_mail(&mail, at)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

on_both!(
    due_mail_lists_pending_messages_longest_waiting_first,
    |db, _dir| {
        let later = enqueue(db, "c@example.com", T0 + Duration::seconds(10)).await;
        let first = enqueue(db, "a@example.com", T0).await;
        let second = enqueue(db, "b@example.com", T0).await;

        let due = db
            .due_mail(T0 + Duration::seconds(1), 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<i64> = due.iter().map(|m| m.id).collect();
        assert_eq!(ids, [first, second]);
        assert_eq!(due[0].to_address, "a@example.com");
        assert_eq!(due[0].kind, "verify_email");
        assert_eq!(due[0].attempts, 0);
        assert_eq!(due[0].created_at, T0);
        assert_eq!(due[0].sent_at, None);

        let all = db
            .due_mail(T0 + Duration::minutes(1), 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].id, later);
        let limited = db
            .due_mail(T0 + Duration::minutes(1), 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(limited.len(), 1);
        assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 3);
    }
);

on_both!(a_message_is_claimed_by_exactly_one_worker, |db, _dir| {
    let id = enqueue(db, "a@example.com", T0).await;
    let now = T0 + Duration::seconds(1);
    let lease = now + Duration::minutes(5);

    // Eight workers race for the same row; the single UPDATE lets one win.
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                db.claim_mail(id, now, lease)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
            })
        })
        .collect();
    let mut winners = 0;
    for r in racers {
        if r.await.unwrap_or_else(|e| panic!("{e}")) {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);

    // While the lease runs it is neither due nor claimable; after it, it is again.
    assert!(
        db.due_mail(now, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(
        !db.claim_mail(id, now + Duration::minutes(1), lease)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let after = lease + Duration::seconds(1);
    assert_eq!(
        db.due_mail(after, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len(),
        1
    );
});

on_both!(
    failures_count_and_sent_messages_lose_their_bodies,
    |db, _dir| {
        let id = enqueue(db, "a@example.com", T0).await;
        let retry_at = T0 + Duration::seconds(5);
        db.mark_mail_failed(id, "connection refused", retry_at)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let m = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!((m.attempts, m.next_attempt_at), (1, retry_at));
        assert_eq!(m.last_error.as_deref(), Some("connection refused"));
        assert!(
            db.due_mail(T0, 10)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
        assert_eq!(
            db.due_mail(retry_at, 10)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .len(),
            1
        );

        db.mark_mail_sent(id, retry_at)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let m = db
            .mail_by_id(id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!(m.sent_at, Some(retry_at));
        assert!(
            m.text_body.is_empty() && m.html_body.is_empty(),
            "bodies hold live links"
        );
        assert_eq!(m.subject, "YogaFlow: test");
        assert!(!format!("{m:?}").contains("a@example.com"));
        assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 0);
        assert!(
            !db.claim_mail(id, T0 + Duration::hours(1), T0 + Duration::hours(2))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );

        let dead = enqueue(db, "b@example.com", T0).await;
        db.give_up_mail(dead, "550 no such user", T0)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let m = db
            .mail_by_id(dead)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("row"));
        assert_eq!((m.attempts, m.gave_up_at, m.sent_at), (1, Some(T0), None));
        assert!(m.text_body.is_empty());
        assert_eq!(db.outbox_depth().await.unwrap_or_else(|e| panic!("{e}")), 0);
        assert!(
            db.due_mail(T0 + Duration::days(1), 10)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
        assert!(
            db.mail_by_id(dead + 100)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .is_none()
        );
    }
);
