//! The practice player, breathing, meditation and builder pages over HTTP:
//! who may open them, and the JSON data blocks their scripts read.

mod common;

use common::{Backend, Server, no_redirects};
use serde_json::{Value, json};

const RELAXED: &[(&str, &str)] = &[("YOGAFLOW_AUTH_RATE_PER_MINUTE", "100000")];

/// Status, `Location` and body of a page, as `cookie` (if any) sees it.
async fn page(s: &Server, path: &str, cookie: Option<&str>) -> (u16, String, String) {
    let mut req = no_redirects()
        .get(s.url(path))
        .header("accept", "text/html");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let r = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, location, r.text().await.unwrap_or_default())
}

/// The JSON in `<script type="application/json" id="{id}">`.
fn data_block(html: &str, id: &str) -> Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no data block {id}"))
        + open.len();
    let end = start
        + html[start..]
            .find("</script>")
            .unwrap_or_else(|| panic!("data block {id} is not closed"));
    serde_json::from_str(&html[start..end])
        .unwrap_or_else(|e| panic!("data block {id} is not JSON: {e}"))
}

/// Pages keep to the content security policy: scripts are files or data, and
/// nothing is styled inline.
fn csp_clean(html: &str) {
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap_or(0)];
        assert!(
            tag.contains(" src=") || tag.contains("type=\"application/json\""),
            "inline script: {tag}"
        );
    }
    assert!(!html.contains(" style=\""), "inline style attribute");
}

async fn owned_sequence(s: &Server, token: &str) -> (i64, String) {
    let preset = s.get_json("/api/v1/sequences/1", 200).await;
    let poses: Vec<Value> = preset["poses"]
        .as_array()
        .unwrap_or_else(|| panic!("{preset}"))
        .iter()
        .take(3)
        .map(|p| json!({"pose_id": p["pose_id"], "duration_seconds": 30, "side": p["side"]}))
        .collect();
    let name = "Evening </script> unwind";
    let (status, body) = s
        .post_json(
            "/api/v1/sequences",
            json!({
                "name": name,
                "difficulty_level": preset["difficulty_level"],
                "focus_area": preset["focus_area"],
                "style": preset["style"],
                "transition_seconds": 5,
                "poses": poses,
            }),
            Some(token),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (
        body["sequence_id"].as_i64().unwrap_or_default(),
        name.to_owned(),
    )
}

async fn live_pages(s: Server) {
    let owner_token = s.verified_token("owner@example.org", 0).await;
    let other_token = s.verified_token("other@example.org", 1).await;
    let owner = s.session_cookie("owner@example.org").await;
    let other = s.session_cookie("other@example.org").await;
    let (id, name) = owned_sequence(&s, &owner_token).await;

    // The owner's player: the slots, the recording target, normal speed.
    let (status, _, html) = page(&s, &format!("/practice/{id}"), Some(&owner)).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    for hook in [
        "player-start",
        "player-pause",
        "player-skip",
        "player-exit",
        "player-countdown",
        "player-summary",
    ] {
        assert!(html.contains(&format!("data-testid=\"{hook}\"")), "{hook}");
    }
    let data = data_block(&html, "player-data");
    assert_eq!(data["name"], name, "names survive the escaping");
    assert_eq!(data["slots"].as_array().map(Vec::len), Some(3));
    assert_eq!(data["slots"][0]["seconds"], 30);
    assert!(
        data["slots"][0]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    assert_eq!(data["record"]["kind"], "sequence");
    assert_eq!(data["record"]["sequence_id"], id);
    assert_eq!(data["transition_seconds"], 5);
    assert_eq!(data["speed"], 1);
    let (_, _, fast) = page(&s, &format!("/practice/{id}?speed=7"), Some(&owner)).await;
    assert_eq!(data_block(&fast, "player-data")["speed"], 7);
    let (_, _, too_fast) = page(&s, &format!("/practice/{id}?speed=500"), Some(&owner)).await;
    assert_eq!(data_block(&too_fast, "player-data")["speed"], 1);

    // Someone else's sequence does not exist for other people, signed in or not.
    assert_eq!(
        page(&s, &format!("/practice/{id}"), Some(&other)).await.0,
        404
    );
    assert_eq!(page(&s, &format!("/practice/{id}"), None).await.0, 404);
    assert_eq!(page(&s, "/practice/999999", Some(&owner)).await.0, 404);
    assert_eq!(page(&s, "/practice/abc", Some(&owner)).await.0, 404);

    // Presets are open to everyone; anonymous practice is not recorded, and says so.
    let (status, _, html) = page(&s, "/practice/1", None).await;
    assert_eq!(status, 200);
    let data = data_block(&html, "player-data");
    assert!(data["record"]["kind"].is_null());
    assert!(!data["slots"].as_array().is_some_and(Vec::is_empty));
    assert!(html.contains("not be kept"));

    // A shared link plays for anyone; another person's is kept as free practice.
    let (status, shared) = s
        .post_json(
            &format!("/api/v1/sequences/{id}/share"),
            json!({}),
            Some(&owner_token),
        )
        .await;
    assert_eq!(status, 200, "{shared}");
    let token = shared["token"].as_str().unwrap_or_default().to_owned();
    let path = format!("/practice/shared/{token}");
    let (status, _, html) = page(&s, &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        data_block(&html, "player-data")["slots"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let (_, _, html) = page(&s, &path, Some(&other)).await;
    let data = data_block(&html, "player-data");
    assert_eq!(data["record"]["kind"], "free");
    assert!(data["record"]["sequence_id"].is_null());
    let (_, _, html) = page(&s, &path, Some(&owner)).await;
    assert_eq!(
        data_block(&html, "player-data")["record"]["sequence_id"],
        id
    );
    let r = s
        .http
        .delete(s.url(&format!("/api/v1/sequences/{id}/share")))
        .bearer_auth(&owner_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    assert_eq!(page(&s, &path, None).await.0, 404);
    assert_eq!(page(&s, "/practice/shared/not-a-token", None).await.0, 404);

    // The builder pages need an account and come back after sign-in.
    for path in [
        "/my-sequences",
        "/my-sequences/new",
        &format!("/my-sequences/{id}/edit"),
    ] {
        let (status, location, _) = page(&s, path, None).await;
        assert!((300..400).contains(&status), "{path}: {status}");
        let next = path.replace('/', "%2F");
        assert_eq!(location, format!("/login?next={next}"), "{path}");
    }
    let (status, _, html) = page(&s, "/my-sequences", Some(&owner)).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    assert!(
        html.contains("Evening &lt;/script&gt; unwind")
            || html.contains("Evening &#60;/script&#62; unwind")
    );
    assert!(html.contains(&format!("/my-sequences/{id}/edit")));
    let (_, _, html) = page(&s, "/my-sequences", Some(&other)).await;
    assert!(
        !html.contains(&format!("/my-sequences/{id}/edit")),
        "only one's own sequences"
    );

    let (status, _, html) = page(&s, "/my-sequences/new", Some(&owner)).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    let data = data_block(&html, "builder-data");
    assert!(data["sequence"].is_null());
    let poses = data["poses"].as_array().unwrap_or_else(|| panic!("{data}"));
    assert!(poses.len() > 10);
    assert!(
        poses
            .iter()
            .all(|p| p["hold"].as_u64().is_some_and(|h| (10..=600).contains(&h)))
    );
    assert!(poses.iter().any(|p| p["sided"] == true));
    assert_eq!(data["rules"]["min_slots"], 3);
    assert_eq!(data["rules"]["max_hold"], 600);

    let (status, _, html) = page(&s, &format!("/my-sequences/{id}/edit"), Some(&owner)).await;
    assert_eq!(status, 200);
    let data = data_block(&html, "builder-data");
    assert_eq!(data["sequence"]["id"], id);
    assert_eq!(data["sequence"]["name"], name);
    assert_eq!(data["sequence"]["slots"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        page(&s, &format!("/my-sequences/{id}/edit"), Some(&other))
            .await
            .0,
        404
    );
    assert_eq!(
        page(&s, "/my-sequences/1/edit", Some(&owner)).await.0,
        404,
        "presets are not edited here"
    );

    // Breathing and meditation are recorded for verified accounts.
    let (status, _, html) = page(&s, "/breathing", None).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    assert!(html.contains("href=\"/breathing/box-breathing\""));
    assert!(html.contains("href=\"/meditate\""));
    let (status, _, html) = page(&s, "/breathing/box-breathing", Some(&owner)).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    let data = data_block(&html, "breath-data");
    assert_eq!(data["record"]["kind"], "breathing");
    assert_eq!(data["record"]["breathing_slug"], "box-breathing");
    assert!(data["inhale"].as_f64().is_some_and(|x| x > 0.0));
    assert!(data["rounds"].as_u64().is_some_and(|x| x >= 1));
    let (_, _, html) = page(&s, "/breathing/box-breathing", None).await;
    assert!(data_block(&html, "breath-data")["record"]["kind"].is_null());
    assert_eq!(page(&s, "/breathing/no-such-breath", None).await.0, 404);
    let (status, _, html) = page(&s, "/meditate", Some(&owner)).await;
    assert_eq!(status, 200);
    csp_clean(&html);
    assert_eq!(
        data_block(&html, "meditate-data")["record"]["kind"],
        "meditation"
    );

    // What the pages record is accepted by the Practice API as they send it.
    let (status, started) = s
        .post_json(
            "/api/v1/sessions/start",
            json!({"kind": "breathing", "breathing_slug": "box-breathing"}),
            Some(&owner_token),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    let (status, done) = s
        .post_json(
            "/api/v1/sessions/complete",
            json!({"session_id": started["session_id"], "duration_seconds": 0, "completion_status": "partial"}),
            Some(&owner_token),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let _ = other_token;
}

#[tokio::test]
async fn live_pages_sqlite() {
    let s = Server::start_with(Backend::Sqlite, RELAXED).unwrap_or_else(|| panic!("server"));
    live_pages(s).await;
}

#[tokio::test]
async fn live_pages_postgres() {
    if let Some(s) = Server::start_with(Backend::Postgres, RELAXED) {
        live_pages(s).await;
    }
}

// `?speed` in production: a production server refuses to start without
// PostgreSQL and a reachable SMTP relay, which this harness does not have, so
// the rule is unit-tested instead (`pages::player::tests::speed_is_for_tests_only`).
