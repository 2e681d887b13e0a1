//! The web app in a real headless Chromium: every page passes axe-core with no
//! violations and is photographed at 375 and 1440 px (under
//! `target/screenshots`), and a person can sign up, confirm their email, sign
//! in, reset a forgotten password and sign out everywhere.

mod common;
mod webdriver;

use common::{Backend, Server};
use webdriver::Browser;

/// Runs axe on the page now shown and records its violations under `name`.
async fn audit(b: &Browser, name: &str, problems: &mut Vec<String>) {
    for v in b.axe().await {
        problems.push(format!("{name}: {v}"));
    }
    b.screenshot(name, 375).await;
    b.screenshot(name, 1440).await;
}

#[tokio::test]
async fn public_pages_pass_axe_and_are_photographed() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let Some(server) = Server::start(Backend::Sqlite) else {
        return;
    };
    let mut problems = Vec::new();
    for (name, path) in [
        ("home", "/"),
        ("poses", "/poses"),
        (
            "poses-filtered",
            "/poses?category=standing&difficulty=beginner",
        ),
        ("pose", "/poses/1"),
        ("pose-left", "/poses/10?side=left"),
        ("sequences", "/sequences"),
        ("sequence", "/sequences/1"),
        ("login", "/login"),
        ("register", "/register"),
        ("forgot-password", "/forgot-password"),
        ("reset-password", "/reset-password"),
        ("resend-verification", "/resend-verification"),
        ("privacy", "/privacy"),
        ("terms", "/terms"),
        ("breathing", "/breathing"),
        ("meditate", "/meditate"),
        ("practice-anonymous", "/practice/1"),
        ("not-found", "/no-such-page"),
    ] {
        b.goto(&server.url(path)).await;
        b.find("main").await;
        audit(&b, name, &mut problems).await;
    }
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn the_library_filters_live_without_a_reload() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let Some(server) = Server::start(Backend::Sqlite) else {
        return;
    };
    b.goto(&server.url("/poses")).await;
    b.exec("window.__sameDocument = true;", serde_json::json!([]))
        .await;
    b.fill("#search", "trikon").await;
    b.wait_until(
        "!document.querySelector('[data-results] .result-count').textContent.includes('159')",
        10,
    )
    .await;
    let text = b.text("[data-results]").await;
    assert!(text.contains("Triangle"), "{text}");
    // Same document: the script swapped the results in place.
    b.wait_until("window.__sameDocument === true", 2).await;
    assert!(b.url().await.contains("search=trikon"));
}

/// Sign-up through the forms, the link from the outbox, sign-in back to the
/// page the visitor came from, then the signed-in pages pass axe.
#[tokio::test]
async fn sign_up_verify_sign_in_reset_and_sign_out_everywhere() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let Some(server) = Server::start(Backend::Sqlite) else {
        return;
    };
    let email = "asha@example.com";
    let password = "lotus river morning tea";

    // A weak password is refused next to its field.
    b.goto(&server.url("/register")).await;
    b.fill("#name", "Asha Rao").await;
    b.fill("#email", email).await;
    b.fill("#password", "short").await;
    b.click("button[type=submit]").await;
    b.find("#password-error").await;
    let mut problems = Vec::new();
    audit(&b, "register-error", &mut problems).await;

    b.fill("#password", password).await;
    b.click("main button[type=submit]").await;
    b.wait_until("document.body.innerText.includes('Check your inbox')", 10)
        .await;

    let token = server.token_from_mail(email, "/verify-email", 1).await;
    b.goto(&server.url(&format!("/verify-email?token={token}")))
        .await;
    // The token left the address bar at once.
    assert!(!b.url().await.contains("token"), "{}", b.url().await);
    b.click("main form button").await;
    b.wait_until(
        "document.body.innerText.includes('Your email is confirmed')",
        10,
    )
    .await;

    // A page that needs an account sends the visitor to sign in and back.
    b.goto(&server.url("/favorites")).await;
    assert!(
        b.url().await.contains("/login?next=%2Ffavorites"),
        "{}",
        b.url().await
    );
    b.fill("#email", email).await;
    b.fill("#password", "not the password at all").await;
    b.click("main button[type=submit]").await;
    b.find(".form-error").await;
    b.fill("#password", password).await;
    b.click("main button[type=submit]").await;
    b.wait_until("location.pathname === '/favorites'", 10).await;

    b.goto(&server.url("/poses/1")).await;
    b.click("form[action='/poses/1/favorite'] button").await;
    b.wait_until("document.body.innerText.includes('In your favorites')", 10)
        .await;

    // Practise a short preset to the end, sped up (a test-only speed factor that
    // production ignores), and find it in history, statistics and achievements.
    let short = server
        .get_json(
            "/api/v1/sequences?max_duration=15&preset_only=true&page_size=1",
            200,
        )
        .await;
    let seq = short["sequences"][0]["sequence_id"].as_i64().unwrap_or(1);
    let name = short["sequences"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    b.goto(&server.url(&format!("/practice/{seq}?speed=50")))
        .await;
    b.click("[data-testid=player-start]").await;
    b.wait_until(
        "(() => { const s = document.querySelector('[data-testid=player-summary]'); return s && !s.hidden && s.offsetParent !== null; })()",
        90,
    )
    .await;
    audit(&b, "practice-summary", &mut problems).await;
    b.wait_until(
        "!/Saving|retry/i.test(document.querySelector('[data-testid=player-status]').textContent)",
        20,
    )
    .await;
    b.goto(&server.url("/history")).await;
    assert!(b.body_text().await.contains(&name), "history lacks {name}");
    b.goto(&server.url("/stats")).await;
    assert!(b.body_text().await.contains("Minutes per week"));
    b.goto(&server.url("/achievements")).await;
    let earned = b.text("main").await;
    assert!(earned.contains("New:"), "no celebration: {earned}");

    for (name, path) in [
        ("dashboard", "/dashboard"),
        ("favorites", "/favorites"),
        ("history", "/history"),
        ("stats", "/stats"),
        ("achievements", "/achievements"),
        ("settings", "/profile"),
        ("my-sequences", "/my-sequences"),
        ("builder", "/my-sequences/new"),
        ("practice", "/practice/1"),
    ] {
        b.goto(&server.url(path)).await;
        b.find("main").await;
        audit(&b, name, &mut problems).await;
    }
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));

    // Settings: a goal saves and shows on the dashboard.
    b.goto(&server.url("/profile#goals")).await;
    b.fill("#sessions_per_week", "3").await;
    b.click("form[action='/profile/goals'] button").await;
    b.wait_until(
        "document.body.innerText.includes('weekly goals are saved')",
        10,
    )
    .await;
    b.goto(&server.url("/dashboard")).await;
    assert!(b.body_text().await.contains("1 of 3 sessions"));

    // Sign out everywhere ends this browser's session too.
    b.goto(&server.url("/profile#devices")).await;
    b.exec("window.confirm = () => true;", serde_json::json!([]))
        .await;
    b.click("form[action='/profile/sessions/end-all'] button")
        .await;
    b.wait_until(
        "document.body.innerText.includes('Signed out everywhere')",
        10,
    )
    .await;
    b.goto(&server.url("/dashboard")).await;
    assert!(b.url().await.contains("/login"), "{}", b.url().await);

    // Forgotten password: the emailed link, a new password, sign in with it.
    b.goto(&server.url("/forgot-password")).await;
    b.fill("#email", email).await;
    b.click("main button[type=submit]").await;
    b.wait_until("document.body.innerText.includes('Check your inbox')", 10)
        .await;
    let token = server.token_from_mail(email, "/reset-password", 2).await;
    b.goto(&server.url(&format!("/reset-password?token={token}")))
        .await;
    assert!(!b.url().await.contains("token"), "{}", b.url().await);
    let fresh = "quiet harbour evening walk";
    b.fill("#password", fresh).await;
    b.fill("#confirm", fresh).await;
    b.click("main button[type=submit]").await;
    b.wait_until(
        "document.body.innerText.includes('Your password is changed')",
        10,
    )
    .await;
    b.goto(&server.url("/login")).await;
    b.fill("#email", email).await;
    b.fill("#password", fresh).await;
    b.click("main button[type=submit]").await;
    b.wait_until("location.pathname === '/dashboard'", 10).await;
}

/// Build a sequence in the builder (search, add by click, reorder by keyboard
/// buttons), save it, share it, open the link as a stranger, and practise it.
#[tokio::test]
async fn build_reorder_save_share_and_practise_a_sequence() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let Some(server) = Server::start(Backend::Sqlite) else {
        return;
    };
    server.verified_token("kai@example.com", 0).await;
    b.goto(&server.url("/login?next=%2Fmy-sequences%2Fnew"))
        .await;
    b.fill("#email", "kai@example.com").await;
    b.fill("#password", "maple kettle drift river").await;
    b.click("main button[type=submit]").await;
    b.wait_until("location.pathname === '/my-sequences/new'", 10)
        .await;

    b.fill("#seq-name", "Kai's Morning Three").await;
    for search in ["mountain", "cat-cow", "child"] {
        b.fill("#pose-search", search).await;
        b.click("#pose-results [data-add]").await;
    }
    b.wait_until(
        "document.querySelectorAll('#slot-list .slot-row').length === 3",
        10,
    )
    .await;
    let before = b.text("#slot-list").await;
    // Keyboard-reachable reordering: move the last pose up one place.
    b.click("#slot-list .slot-row:last-child [data-part=up]")
        .await;
    let after = b.text("#slot-list").await;
    assert_ne!(before, after, "reordering changed nothing");
    let order: Vec<String> = serde_json::from_value(
        b.exec(
            "return [...document.querySelectorAll('#slot-list .slot-row')].map(r => r.getAttribute('aria-label').replace(/^\\d+\\. /, ''));",
            serde_json::json!([]),
        )
        .await,
    )
    .unwrap_or_default();
    assert_eq!(order.len(), 3);
    b.click("[data-testid=builder-save]").await;
    b.wait_until("/^\\/sequences\\/\\d+$/.test(location.pathname)", 15)
        .await;
    let page = b.text("main").await;
    let positions: Vec<usize> = order.iter().filter_map(|n| page.find(n.as_str())).collect();
    assert_eq!(positions.len(), 3, "{order:?} not all on the page");
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "saved order differs: {order:?}"
    );
    let seq_path = b.url().await;
    let id = seq_path.rsplit('/').next().unwrap_or_default().to_owned();

    // Share it and open the link as someone without an account.
    b.goto(&server.url("/my-sequences")).await;
    b.click(&format!("[data-id='{id}'] [data-action=share]"))
        .await;
    b.wait_until(
        &format!("document.querySelector(\"[data-id='{id}'] [data-share-url]\").value.includes('/shared/')"),
        10,
    )
    .await;
    let link = b
        .exec(
            &format!("return document.querySelector(\"[data-id='{id}'] [data-share-url]\").value;"),
            serde_json::json!([]),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut problems = Vec::new();
    audit(&b, "my-sequences-shared", &mut problems).await;
    b.clear_cookies().await;
    let path = link
        .find("/shared/")
        .map(|i| &link[i..])
        .unwrap_or_default();
    b.goto(&server.url(path)).await;
    let shared = b.text("main").await;
    assert!(
        shared.contains("Kai's Morning Three") && shared.contains("shared this sequence"),
        "{shared}"
    );
    audit(&b, "shared-sequence", &mut problems).await;
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));

    // Practise the shared sequence straight away, sped up, to the end.
    b.click("main a.button[href^='/practice/shared/']").await;
    let url = b.url().await;
    b.goto(&format!("{url}?speed=50")).await;
    b.click("[data-testid=player-start]").await;
    b.wait_until(
        "(() => { const s = document.querySelector('[data-testid=player-summary]'); return s && !s.hidden && s.offsetParent !== null; })()",
        60,
    )
    .await;
}

/// An admin edits a pose in the admin pages, sees the change on the public
/// page, and restores the previous version from the history.
#[tokio::test]
async fn an_admin_edits_a_pose_and_restores_the_previous_version() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let Some(server) = Server::start(Backend::Sqlite) else {
        return;
    };
    server.verified_token("editor@example.com", 0).await;
    let out = common::bin()
        .arg("--data-dir")
        .arg(&server.dir.0)
        .args(["admin", "grant", "--email", "editor@example.com"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    b.goto(&server.url("/poses/1")).await;
    let original = b.text(".lead").await;
    let original_figure = b.exec(FIGURE, serde_json::json!([])).await;
    assert!(
        original_figure
            .as_str()
            .is_some_and(|s| s.starts_with("<svg"))
    );
    b.goto(&server.url("/login?next=%2Fadmin")).await;
    b.fill("#email", "editor@example.com").await;
    b.fill("#password", "maple kettle drift river").await;
    b.click("main button[type=submit]").await;
    b.wait_until("location.pathname === '/admin'", 10).await;
    let mut problems = Vec::new();
    audit(&b, "admin-index", &mut problems).await;

    b.goto(&server.url("/admin/poses/1")).await;
    let edited = "A steady pose, rewritten by the editor for this test.";
    b.fill("#description", edited).await;
    // The figure description: the preview beside the form redraws as it is
    // edited (arms raised overhead), before anything is saved.
    let preview = "return document.querySelector('#figure-preview svg').outerHTML;";
    let preview_before = b.exec(preview, serde_json::json!([])).await;
    b.exec(
        "const t = document.getElementById('figure'); \
         t.value = t.value.replace(/right_shoulder = [-0-9.]+/, 'right_shoulder = 170').replace(/left_shoulder = [-0-9.]+/, 'left_shoulder = 170'); \
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        serde_json::json!([]),
    )
    .await;
    b.wait_until(
        &format!("document.querySelector('#figure-preview svg').outerHTML !== {preview_before}"),
        10,
    )
    .await;
    b.screenshot("admin-figure-preview", 1280).await;
    b.click("form.admin-form button[type=submit]").await;
    b.wait_until("document.body.innerText.includes('Saved.')", 10)
        .await;
    audit(&b, "admin-pose", &mut problems).await;
    // Upload a picture through the page, then see it listed (and audited).
    let picture = server.dir.0.join("mat.png");
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(32, 24)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&picture, png).unwrap_or_else(|e| panic!("{e}"));
    b.goto(&server.url("/admin/uploads")).await;
    b.attach("#file", &picture).await;
    b.click("#upload-form button[type=submit]").await;
    b.wait_until("!!document.querySelector('#upload-result input')", 10)
        .await;
    b.goto(&server.url("/admin/uploads")).await;
    assert!(
        b.text(".image-list").await.contains("32 × 24 px"),
        "the upload is not listed"
    );
    audit(&b, "admin-uploads", &mut problems).await;

    // A preset in the builder: move its last pose up, save through the admin
    // API, see the new order in public, then restore the order from history.
    b.goto(&server.url("/admin/sequences/1/edit")).await;
    b.wait_until(
        "document.querySelectorAll('#slot-list .slot-row').length > 2",
        10,
    )
    .await;
    let before = slot_order(&b).await;
    b.click("#slot-list .slot-row:last-child [data-part=up]")
        .await;
    let moved = slot_order(&b).await;
    assert_ne!(before, moved);
    audit(&b, "admin-sequence", &mut problems).await;
    b.click("[data-testid=builder-save]").await;
    b.wait_until("location.pathname === '/sequences/1'", 15)
        .await;
    b.goto(&server.url("/admin/sequences/1/edit")).await;
    b.wait_until(
        "document.querySelectorAll('#slot-list .slot-row').length > 2",
        10,
    )
    .await;
    assert_eq!(
        slot_order(&b).await,
        moved,
        "the saved preset lost its new order"
    );
    b.exec("window.confirm = () => true;", serde_json::json!([]))
        .await;
    b.exec("window.__beforeRestore = true;", serde_json::json!([]))
        .await;
    b.click("form[action$='/restore'] button").await;
    b.wait_until(
        "!window.__beforeRestore && location.pathname === '/admin/sequences/1/edit'",
        10,
    )
    .await;
    b.wait_until(
        "document.querySelectorAll('#slot-list .slot-row').length > 2",
        10,
    )
    .await;
    assert_eq!(
        slot_order(&b).await,
        before,
        "restoring did not bring the order back"
    );
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));

    // Public page, signed out: the cached page was dropped with the change.
    b.clear_cookies().await;
    b.goto(&server.url("/poses/1")).await;
    assert_eq!(b.text(".lead").await, edited);
    let edited_figure = b.exec(FIGURE, serde_json::json!([])).await;
    assert_ne!(
        edited_figure, original_figure,
        "the public figure did not change"
    );

    b.goto(&server.url("/login?next=%2Fadmin%2Fposes%2F1"))
        .await;
    b.fill("#email", "editor@example.com").await;
    b.fill("#password", "maple kettle drift river").await;
    b.click("main button[type=submit]").await;
    b.wait_until("location.pathname === '/admin/poses/1'", 10)
        .await;
    b.exec("window.confirm = () => true;", serde_json::json!([]))
        .await;
    b.click("form[action$='/restore'] button").await;
    b.wait_until("document.body.innerText.includes('Restored.')", 10)
        .await;
    b.clear_cookies().await;
    b.goto(&server.url("/poses/1")).await;
    assert_eq!(b.text(".lead").await, original);
    assert_eq!(b.exec(FIGURE, serde_json::json!([])).await, original_figure);
}

/// The drawn figure on a public pose page.
const FIGURE: &str = "return document.querySelector('main figure svg')?.outerHTML ?? null;";

/// The builder's running order, as its rows name themselves.
async fn slot_order(b: &Browser) -> String {
    b.exec(
        "return [...document.querySelectorAll('#slot-list .slot-row')].map(r => r.getAttribute('aria-label')).join('|');",
        serde_json::json!([]),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}
