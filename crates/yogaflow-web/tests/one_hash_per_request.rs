//! Timing equality, proven deterministically: every sign-in attempt costs exactly
//! one password hash whatever the branch (known, unknown, wrong, locked), and so
//! does every registration, new address or taken (security spec, T-method).

use std::sync::Arc;
use yogaflow_core::clock::SystemClock;
use yogaflow_core::error::AccountError;
use yogaflow_web::auth::hasher::PasswordHasher;
use yogaflow_web::auth::service::{Accounts, RequestCtx};

const PASSWORD: &str = "maple kettle drift river";

#[tokio::test]
async fn each_branch_costs_exactly_one_hash() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("one-hash-{}", std::process::id()));
    let db = yogaflow_store::Db::connect(None, &dir, 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
    let hasher = Arc::new(PasswordHasher::new(2));
    let from: lettre::message::Mailbox = "YogaFlow <noreply@yoga.test>"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let mailer = yogaflow_mail::Mailer::new(db.clone(), from);
    let accounts = Accounts::new(
        db.clone(),
        hasher.clone(),
        b"0123456789abcdef0123456789abcdef",
        Arc::new(SystemClock),
        mailer,
        "http://yoga.test".into(),
    );
    let ctx = RequestCtx::default();
    let cost = |before: u64| hasher.hashes_computed() - before;

    let before = hasher.hashes_computed();
    accounts
        .register("uma@example.org", "Uma", PASSWORD, None, &ctx)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cost(before), 1, "new registration");
    let before = hasher.hashes_computed();
    accounts
        .register(
            "UMA@example.org",
            "Someone",
            "another phrase of words",
            None,
            &ctx,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cost(before), 1, "registration of a taken address");

    for (email, password, what) in [
        ("uma@example.org", "a wrong pass phrase", "wrong password"),
        ("nobody@example.org", "a wrong pass phrase", "unknown email"),
        ("uma@example.org", PASSWORD, "right password"),
    ] {
        let before = hasher.hashes_computed();
        let _ = accounts
            .login(email, password, false, None, false, &ctx)
            .await;
        assert_eq!(cost(before), 1, "{what}");
    }
    for _ in 0..5 {
        let _ = accounts
            .login(
                "uma@example.org",
                "a wrong pass phrase",
                false,
                None,
                false,
                &ctx,
            )
            .await;
    }
    let before = hasher.hashes_computed();
    let locked = accounts
        .login("uma@example.org", PASSWORD, false, None, false, &ctx)
        .await;
    assert!(
        matches!(locked, Err(AccountError::InvalidCredentials)),
        "locked"
    );
    assert_eq!(cost(before), 1, "locked account");
    for email in ["uma@example.org", "nobody@example.org"] {
        let before = hasher.hashes_computed();
        accounts
            .forgot_password(email, &ctx)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            cost(before),
            0,
            "forgot password does no hashing on either branch"
        );
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
