//! The admin API over HTTP, on SQLite and on PostgreSQL: who may write the
//! library, the rules every pose and preset obeys, the version history and
//! restores, pose deletion that never breaks a sequence, and image uploads
//! (including the attacks 1.0 let through).

mod common;

use common::{Server, bin};
use image::{DynamicImage, ImageFormat};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Cursor;
use std::time::{Duration, Instant};

/// A verified user and a verified admin (granted on the command line, as in production).
async fn tokens(s: &Server) -> (String, String) {
    let user = s.verified_token("user@example.org", 0).await;
    let admin = s.verified_token("root@example.org", 1).await;
    let mut c = bin();
    c.arg("--data-dir")
        .arg(&s.dir.0)
        .args(["admin", "grant", "--email", "root@example.org"]);
    if let Some(pg) = &s.pg {
        c.env("DATABASE_URL", &pg.url);
    }
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (user, admin)
}

fn pose_body(name: &str) -> Value {
    json!({
        "name_english": name,
        "category": "standing",
        "difficulty_level": "beginner",
        "description": "Stand tall and breathe.",
        "instructions": ["Stand with feet together.", "Lengthen the spine."],
        "target_areas": ["hips"],
        "hold": {"value": 30, "unit": "seconds"}
    })
}

async fn send(
    s: &Server,
    method: Method,
    path: &str,
    body: Value,
    token: Option<&str>,
) -> (u16, Value) {
    s.send_json(method, path, body, token).await
}

async fn call(s: &Server, method: Method, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = s.http.request(method, s.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn fields(body: &Value) -> Vec<String> {
    body["detail"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Three poses of the library (the first unsided one, to keep slots simple).
async fn three_pose_ids(s: &Server) -> Vec<i64> {
    let list = s.get_json("/api/v1/poses?limit=100", 200).await;
    list["poses"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .filter(|p| p["sided"] == json!(false))
        .take(3)
        .map(|p| p["pose_id"].as_i64().unwrap_or_default())
        .collect()
}

fn sequence_body(name: &str, poses: &[i64]) -> Value {
    json!({
        "name": name,
        "description": "A short preset.",
        "difficulty_level": "beginner",
        "focus_area": "relaxation",
        "style": "gentle",
        "poses": poses.iter().map(|id| json!({"pose_id": id, "duration_seconds": 30})).collect::<Vec<_>>()
    })
}

on_both_databases!(anonymous_callers_get_401_and_users_403, |s| {
    let (user, _admin) = tokens(&s).await;
    let id = three_pose_ids(&s).await[0];
    let writes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/api/v1/poses".into(),
            pose_body("Mountain Two"),
        ),
        (
            Method::PUT,
            format!("/api/v1/poses/{id}"),
            pose_body("Mountain Two"),
        ),
        (Method::DELETE, format!("/api/v1/poses/{id}"), Value::Null),
        (
            Method::POST,
            "/api/v1/admin/sequences".into(),
            sequence_body("X", &[id, id, id]),
        ),
        (
            Method::PUT,
            "/api/v1/admin/sequences/1".into(),
            sequence_body("X", &[id, id, id]),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/sequences/1".into(),
            Value::Null,
        ),
        (
            Method::GET,
            format!("/api/v1/admin/poses/{id}/history"),
            Value::Null,
        ),
        (
            Method::GET,
            "/api/v1/admin/sequences/1/history".into(),
            Value::Null,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/poses/{id}/history/1/restore"),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/admin/sequences/1/history/1/restore".into(),
            Value::Null,
        ),
        (
            Method::DELETE,
            "/api/v1/upload/images/0123456789abcdef0123456789abcdef.png".into(),
            Value::Null,
        ),
    ];
    for (method, path, body) in &writes {
        let (status, b) = send(&s, method.clone(), path, body.clone(), None).await;
        assert_eq!(status, 401, "anonymous {method} {path}: {b}");
        let (status, b) = send(&s, method.clone(), path, body.clone(), Some(&user)).await;
        assert_eq!(status, 403, "user {method} {path}: {b}");
        assert_eq!(b["code"], "admin_only");
    }
    let (status, _) = upload(&s, Some(&user), "a.png", "image/png", &png(8, 8)).await;
    assert_eq!(status, 403);
    let (status, _) = upload(&s, None, "a.png", "image/png", &png(8, 8)).await;
    assert_eq!(status, 401);
    // Nothing changed.
    s.get_json(&format!("/api/v1/poses/{id}"), 200).await;
});

on_both_databases!(pose_writes_are_validated_versioned_and_restorable, |s| {
    let (_user, admin) = tokens(&s).await;
    let t = Some(admin.as_str());
    // Every broken rule is named.
    let mut bad = pose_body("  ");
    bad["description"] = json!("");
    bad["instructions"] = json!(["Fine.", "   "]);
    bad["category"] = json!("flying");
    bad["image_urls"] = json!(["javascript:alert(1)"]);
    let (status, body) = send(&s, Method::POST, "/api/v1/poses", bad, t).await;
    assert_eq!(status, 422, "{body}");
    let named = fields(&body);
    assert!(named.contains(&"category".to_owned()), "{named:?}");
    let mut bad = pose_body("  ");
    bad["description"] = json!(" ");
    bad["instructions"] = json!(["Fine.", "   "]);
    bad["image_urls"] = json!(["javascript:alert(1)"]);
    let (status, body) = send(&s, Method::POST, "/api/v1/poses", bad, t).await;
    assert_eq!(status, 422, "{body}");
    let named = fields(&body);
    for f in [
        "name_english",
        "description",
        "instructions[1]",
        "image_urls[0]",
    ] {
        assert!(named.contains(&f.to_owned()), "{f} in {named:?}");
    }
    let mut bad = pose_body("No steps");
    bad["instructions"] = json!([]);
    let (status, body) = send(&s, Method::POST, "/api/v1/poses", bad, t).await;
    assert_eq!(status, 422, "{body}");
    assert!(fields(&body).contains(&"instructions".to_owned()));
    let mut bad = pose_body("Missing description");
    if let Some(m) = bad.as_object_mut() {
        m.remove("description");
    }
    let (status, _) = send(&s, Method::POST, "/api/v1/poses", bad, t).await;
    assert_eq!(status, 422);

    // Create, then read it back through the public (cached) API.
    let before = s.get_json("/api/v1/poses?search=lantern", 200).await;
    assert_eq!(before["total"], 0);
    let (status, created) = send(
        &s,
        Method::POST,
        "/api/v1/poses",
        pose_body("Lantern Pose"),
        t,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["slug"], "lantern-pose");
    let id = created["pose_id"].as_i64().unwrap_or_default();
    let listed = s.get_json("/api/v1/poses?search=lantern", 200).await;
    assert_eq!(listed["total"], 1, "the cached list saw the new pose");
    // The same slug again is refused, by name.
    let (status, body) = send(
        &s,
        Method::POST,
        "/api/v1/poses",
        pose_body("Lantern Pose"),
        t,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), vec!["slug".to_owned()]);

    // Replace.
    let mut changed = pose_body("Lantern Pose");
    changed["description"] = json!("Glow from the centre.");
    let (status, body) = send(&s, Method::PUT, &format!("/api/v1/poses/{id}"), changed, t).await;
    assert_eq!(status, 200, "{body}");
    let got = s.get_json(&format!("/api/v1/poses/{id}"), 200).await;
    assert_eq!(got["description"], "Glow from the centre.");
    let (status, _) = send(
        &s,
        Method::PUT,
        "/api/v1/poses/999999",
        pose_body("Nobody"),
        t,
    )
    .await;
    assert_eq!(status, 404);

    // History: who, when, what changed, before and after; newest first.
    let (status, history) = call(
        &s,
        Method::GET,
        &format!("/api/v1/admin/poses/{id}/history"),
        t,
    )
    .await;
    assert_eq!(status, 200, "{history}");
    let versions = history["versions"].as_array().cloned().unwrap_or_default();
    assert_eq!(versions.len(), 2, "{history}");
    assert_eq!(versions[0]["action"], "update");
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["actor_email"], "root@example.org");
    assert_eq!(versions[0]["changed_fields"], json!(["description"]));
    assert_eq!(
        versions[0]["before"]["description"],
        "Stand tall and breathe."
    );
    assert_eq!(versions[0]["after"]["description"], "Glow from the centre.");
    assert_eq!(versions[1]["action"], "create");
    assert!(versions[1]["before"].is_null());
    assert!(
        versions[0]["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    // Restore version 1: a new version, history untouched.
    let (status, body) = call(
        &s,
        Method::POST,
        &format!("/api/v1/admin/poses/{id}/history/1/restore"),
        t,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["description"], "Stand tall and breathe.");
    let got = s.get_json(&format!("/api/v1/poses/{id}"), 200).await;
    assert_eq!(got["description"], "Stand tall and breathe.");
    let (_, history) = call(
        &s,
        Method::GET,
        &format!("/api/v1/admin/poses/{id}/history"),
        t,
    )
    .await;
    let actions: Vec<&str> = history["versions"]
        .as_array()
        .map(|v| v.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["restore", "update", "create"]);
    let (status, _) = call(
        &s,
        Method::POST,
        &format!("/api/v1/admin/poses/{id}/history/99/restore"),
        t,
    )
    .await;
    assert_eq!(status, 404);

    // Delete, then bring it back under the same id.
    let (status, _) = call(&s, Method::DELETE, &format!("/api/v1/poses/{id}"), t).await;
    assert_eq!(status, 204);
    s.get_json(&format!("/api/v1/poses/{id}"), 404).await;
    let (status, _) = call(&s, Method::DELETE, &format!("/api/v1/poses/{id}"), t).await;
    assert_eq!(status, 404);
    let (status, history) = call(
        &s,
        Method::GET,
        &format!("/api/v1/admin/poses/{id}/history"),
        t,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(history["versions"][0]["action"], "delete");
    assert!(history["versions"][0]["after"].is_null());
    let (status, body) = call(
        &s,
        Method::POST,
        &format!("/api/v1/admin/poses/{id}/history/3/restore"),
        t,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pose_id"], id);
    s.get_json(&format!("/api/v1/poses/{id}"), 200).await;
    let (status, _) = call(&s, Method::GET, "/api/v1/admin/poses/999999/history", t).await;
    assert_eq!(status, 404);
});

on_both_databases!(a_pose_in_use_is_never_deleted, |s| {
    let (user, admin) = tokens(&s).await;
    let t = Some(admin.as_str());
    let (status, created) = send(
        &s,
        Method::POST,
        "/api/v1/poses",
        pose_body("Anchor Pose"),
        t,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let anchor = created["pose_id"].as_i64().unwrap_or_default();
    let mut ids = three_pose_ids(&s).await;
    ids[1] = anchor;
    let (status, preset) = send(
        &s,
        Method::POST,
        "/api/v1/admin/sequences",
        sequence_body("Anchored Flow", &ids),
        t,
    )
    .await;
    assert_eq!(status, 201, "{preset}");
    let preset_id = preset["sequence_id"].as_i64().unwrap_or_default();
    // A user's own sequence uses it too.
    let (status, own) = send(
        &s,
        Method::POST,
        "/api/v1/sequences",
        sequence_body("Mine", &ids),
        Some(&user),
    )
    .await;
    assert_eq!(status, 201, "{own}");

    let (status, body) = call(&s, Method::DELETE, &format!("/api/v1/poses/{anchor}"), t).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "pose_in_use");
    assert_eq!(body["sequences"][0]["sequence_id"], preset_id);
    assert_eq!(body["sequences"][0]["name"], "Anchored Flow");
    assert_eq!(body["private_sequences"], 1);
    let message = body["error"].as_str().unwrap_or_default();
    assert!(
        message.contains("Anchor Pose") && message.contains("Anchored Flow"),
        "{message}"
    );
    // Nothing broke.
    s.get_json(&format!("/api/v1/poses/{anchor}"), 200).await;
    let seq = s
        .get_json(&format!("/api/v1/sequences/{preset_id}"), 200)
        .await;
    assert_eq!(seq["poses"].as_array().map(Vec::len), Some(3), "{seq}");

    // Offering to take it out of the presets: never out of a user's own sequence,
    // never leaving a preset too short, and only a true or false.
    let remove = format!("/api/v1/poses/{anchor}?remove_from_presets=true");
    let (status, _) = call(
        &s,
        Method::DELETE,
        &format!("/api/v1/poses/{anchor}?remove_from_presets=maybe"),
        t,
    )
    .await;
    assert_eq!(status, 422);
    let (status, body) = call(&s, Method::DELETE, &remove, t).await;
    assert_eq!(
        (status, body["private_sequences"].as_u64()),
        (409, Some(1)),
        "{body}"
    );
    let own_id = own["sequence_id"].as_i64().unwrap_or_default();
    let (status, _) = call(
        &s,
        Method::DELETE,
        &format!("/api/v1/sequences/{own_id}"),
        Some(&user),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = call(&s, Method::DELETE, &remove, t).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("too short"),
        "{body}"
    );
    s.get_json(&format!("/api/v1/poses/{anchor}"), 200).await;
    let mut longer = ids.clone();
    longer.push(ids[0]);
    let (status, body) = send(
        &s,
        Method::PUT,
        &format!("/api/v1/admin/sequences/{preset_id}"),
        sequence_body("Anchored Flow", &longer),
        t,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(&s, Method::DELETE, &remove, t).await;
    assert_eq!(status, 204, "{body}");
    s.get_json(&format!("/api/v1/poses/{anchor}"), 404).await;
    let seq = s
        .get_json(&format!("/api/v1/sequences/{preset_id}"), 200)
        .await;
    let left: Vec<i64> = seq["poses"]
        .as_array()
        .map(|p| p.iter().filter_map(|x| x["pose_id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(left.len(), 3, "{seq}");
    assert!(!left.contains(&anchor), "{seq}");
    let (_, history) = call(
        &s,
        Method::GET,
        &format!("/api/v1/admin/sequences/{preset_id}/history"),
        t,
    )
    .await;
    assert_eq!(
        history["versions"][0]["changed_fields"],
        json!(["poses"]),
        "{history}"
    );
});

on_both_databases!(
    preset_sequences_follow_the_same_rules_and_keep_history,
    |s| {
        let (user, admin) = tokens(&s).await;
        let t = Some(admin.as_str());
        let ids = three_pose_ids(&s).await;
        // Too few poses, blank name, unknown pose, repeated positions.
        let (status, body) = send(
            &s,
            Method::POST,
            "/api/v1/admin/sequences",
            sequence_body("Short", &ids[..2]),
            t,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(fields(&body).contains(&"poses".to_owned()));
        let (status, body) = send(
            &s,
            Method::POST,
            "/api/v1/admin/sequences",
            sequence_body("   ", &ids),
            t,
        )
        .await;
        assert_eq!(status, 422);
        assert!(fields(&body).contains(&"name".to_owned()));
        let (status, body) = send(
            &s,
            Method::POST,
            "/api/v1/admin/sequences",
            sequence_body("Ghost", &[ids[0], 999_999, ids[2]]),
            t,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            fields(&body).contains(&"poses[1].pose_id".to_owned()),
            "{body}"
        );
        let mut repeated = sequence_body("Repeated", &ids);
        for slot in repeated["poses"].as_array_mut().into_iter().flatten() {
            slot["position_order"] = json!(1);
        }
        let (status, body) = send(&s, Method::POST, "/api/v1/admin/sequences", repeated, t).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("unique"), "{body}");

        let (status, created) = send(
            &s,
            Method::POST,
            "/api/v1/admin/sequences",
            sequence_body("Quiet Evening", &ids),
            t,
        )
        .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["is_preset"], true);
        let id = created["sequence_id"].as_i64().unwrap_or_default();
        let listed = s.get_json("/api/v1/sequences?search=quiet", 200).await;
        assert!(
            listed.to_string().contains("\"Quiet Evening\""),
            "the cached list saw it: {listed}"
        );

        let mut renamed = sequence_body("Quiet Evening Flow", &ids);
        renamed["poses"][0]["duration_seconds"] = json!(60);
        let (status, body) = send(
            &s,
            Method::PUT,
            &format!("/api/v1/admin/sequences/{id}"),
            renamed,
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["name"], "Quiet Evening Flow");
        let (_, history) = call(
            &s,
            Method::GET,
            &format!("/api/v1/admin/sequences/{id}/history"),
            t,
        )
        .await;
        assert_eq!(history["versions"][0]["action"], "update");
        let changed = history["versions"][0]["changed_fields"].to_string();
        assert!(
            changed.contains("name") && changed.contains("poses"),
            "{changed}"
        );

        // Users' own sequences are not the admin's to edit.
        let (status, own) = send(
            &s,
            Method::POST,
            "/api/v1/sequences",
            sequence_body("Mine", &ids),
            Some(&user),
        )
        .await;
        assert_eq!(status, 201);
        let own_id = own["sequence_id"].as_i64().unwrap_or_default();
        let (status, _) = send(
            &s,
            Method::PUT,
            &format!("/api/v1/admin/sequences/{own_id}"),
            sequence_body("Taken", &ids),
            t,
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &s,
            Method::DELETE,
            &format!("/api/v1/admin/sequences/{own_id}"),
            t,
        )
        .await;
        assert_eq!(status, 404);

        // A user practises the preset; deleting it keeps their session.
        let (status, session) = s
            .post_json(
                "/api/v1/sessions/start",
                json!({"sequence_id": id}),
                Some(&user),
            )
            .await;
        assert_eq!(status, 201, "{session}");
        let session_id = session["session_id"].as_i64().unwrap_or_default();
        // Delete and restore the first version.
        let (status, _) = call(
            &s,
            Method::DELETE,
            &format!("/api/v1/admin/sequences/{id}"),
            t,
        )
        .await;
        assert_eq!(status, 204);
        s.get_json(&format!("/api/v1/sequences/{id}"), 404).await;
        let (status, kept) = s
            .get_auth(&format!("/api/v1/sessions/{session_id}"), &user)
            .await;
        assert_eq!(status, 200, "the session outlives the preset: {kept}");
        assert!(kept["sequence_id"].is_null(), "{kept}");
        let (status, body) = call(
            &s,
            Method::POST,
            &format!("/api/v1/admin/sequences/{id}/history/1/restore"),
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["name"], "Quiet Evening");
        let (_, history) = call(
            &s,
            Method::GET,
            &format!("/api/v1/admin/sequences/{id}/history"),
            t,
        )
        .await;
        let actions: Vec<&str> = history["versions"]
            .as_array()
            .map(|v| v.iter().filter_map(|e| e["action"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(actions, vec!["restore", "delete", "update", "create"]);
    }
);

// ---------- uploads ----------

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::new_rgb8(w, h)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = u32::try_from(data.len())
        .unwrap_or(0)
        .to_be_bytes()
        .to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    c.extend_from_slice(&body);
    c.extend_from_slice(&crc32(&body).to_be_bytes());
    c
}

/// A PNG with a text chunk inserted after its header.
fn png_with_text(text: &[u8]) -> Vec<u8> {
    let p = png(16, 16);
    let ihdr_end = 8 + 25;
    let mut out = p[..ihdr_end].to_vec();
    out.extend(chunk(b"tEXt", text));
    out.extend_from_slice(&p[ihdr_end..]);
    out
}

/// A 200-byte PNG that declares 50,000 × 50,000 pixels.
fn bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 50_000u32.to_be_bytes().to_vec();
    ihdr.extend(50_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A JPEG carrying an EXIF segment with a GPS position.
fn jpeg_with_exif() -> Vec<u8> {
    let mut plain = Vec::new();
    DynamicImage::new_rgb8(24, 24)
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap_or_else(|e| panic!("{e}"));
    let payload = b"Exif\0\0GPSLatitude=52.5200N;GPSLongitude=13.4050E";
    let len = u16::try_from(payload.len() + 2).unwrap_or(0).to_be_bytes();
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1, len[0], len[1]]);
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

fn webp() -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::new_rgba8(10, 12)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::WebP)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

async fn upload(
    s: &Server,
    token: Option<&str>,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> (u16, Value) {
    let boundary = "yogaflowtestboundary7d3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = s
        .http
        .post(s.url("/api/v1/upload/image"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("upload: {e}"));
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

on_both_databases!(images_are_checked_by_their_bytes_cleaned_and_served, |s| {
    let (_user, admin) = tokens(&s).await;
    let t = Some(admin.as_str());

    // A JPEG named .png with a wrong declared type: judged by its bytes, EXIF gone.
    let (status, up) = upload(
        &s,
        t,
        "holiday.png",
        "application/octet-stream",
        &jpeg_with_exif(),
    )
    .await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(up["format"], "jpeg");
    let url = up["url"].as_str().unwrap_or_default().to_owned();
    assert!(
        url.starts_with("/api/v1/upload/images/") && url.ends_with(".jpg"),
        "{url}"
    );
    assert!(!url.contains("holiday"), "the client's name is never used");
    let r = s.get(&url).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap_or_default()
            .contains("max-age=31536000")
    );
    let served = r.bytes().await.unwrap_or_default();
    assert!(served.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(
        !contains(&served, b"GPSLatitude") && !contains(&served, b"Exif"),
        "metadata stripped"
    );
    // Long caching survives a signed-in request too.
    let r = s
        .http
        .get(s.url(&url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap_or_default()
            .contains("immutable")
    );

    // PNG text chunks (metadata) are dropped by re-encoding.
    let (status, up) = upload(
        &s,
        t,
        "a.png",
        "image/png",
        &png_with_text(b"Comment\0GPS 52.52 13.40"),
    )
    .await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(up["format"], "png");
    let served = s
        .get(up["url"].as_str().unwrap_or_default())
        .await
        .bytes()
        .await
        .unwrap_or_default();
    assert!(!contains(&served, b"GPS 52.52"));
    let (status, up) = upload(&s, t, "w.webp", "image/webp", &webp()).await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(
        (
            up["format"].as_str(),
            up["width"].as_u64(),
            up["height"].as_u64()
        ),
        (Some("webp"), Some(10), Some(12))
    );
    let r = s.get(up["url"].as_str().unwrap_or_default()).await;
    assert_eq!(r.headers()["content-type"], "image/webp");

    // An Idempotency-Key (which clients may send on every POST) does not get in the way.
    let boundary = "yogaflowtestboundary7d3a";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"k.png\"\r\n\r\n"
    )
    .into_bytes();
    form.extend(png(6, 6));
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = s
        .http
        .post(s.url("/api/v1/upload/image"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("idempotency-key", "upload-1")
        .bearer_auth(&admin)
        .body(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);

    // The returned URL can go into a pose.
    let mut pose = pose_body("Pictured Pose");
    pose["image_urls"] = json!([url]);
    let (status, body) = send(&s, Method::POST, "/api/v1/poses", pose.clone(), t).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["image_urls"][0], url.as_str());
    let pictured = body["pose_id"].as_i64().unwrap_or_default();

    // Images live in the database: another instance on the same database
    // serves the same bytes (PostgreSQL, where instances share one database).
    if let Some(pg) = &s.pg {
        let other = Server::start_shared(&[("DATABASE_URL", pg.url.as_str())]);
        let a = s.get(&url).await.bytes().await.unwrap_or_default();
        let r = other.get(&url).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap_or_default(), a);
    }

    // Attacks.
    let svg =
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
    let (status, body) = upload(&s, t, "logo.svg", "image/svg+xml", svg).await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(body["code"], "unsupported_image");
    let (status, _) = upload(&s, t, "logo.png", "image/png", svg).await;
    assert_eq!(status, 415, "SVG named .png");
    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
    let (status, _) = upload(&s, t, "page.png", "image/png", html).await;
    assert_eq!(status, 415, "HTML renamed to .png");
    let mut polyglot = png(8, 8);
    polyglot.extend_from_slice(b"<script>alert(1)</script>");
    let (status, _) = upload(&s, t, "poly.png", "image/png", &polyglot).await;
    assert_eq!(status, 415, "PNG with script after IEND");
    let (status, _) = upload(
        &s,
        t,
        "poly2.png",
        "image/png",
        &png_with_text(b"x\0<script>alert(1)</script>"),
    )
    .await;
    assert_eq!(status, 415, "PNG with script in a chunk");
    let mut jpeg_tail = jpeg_with_exif();
    jpeg_tail.extend_from_slice(b"//<?php echo 1; ?>");
    let (status, _) = upload(&s, t, "x.jpg", "image/jpeg", &jpeg_tail).await;
    assert_eq!(status, 415, "bytes after the JPEG end");
    let (status, _) = upload(
        &s,
        t,
        "gif.png",
        "image/png",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    )
    .await;
    assert_eq!(status, 415, "other image formats");

    // Decompression bomb: refused from the header, fast.
    let started = Instant::now();
    let (status, body) = upload(&s, t, "bomb.png", "image/png", &bomb()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("50000"), "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Path traversal never reaches a file.
    for path in [
        "/api/v1/upload/images/..%2F..%2Fsecret_key",
        "/api/v1/upload/images/..%2Fyogaflow.db",
        "/api/v1/upload/images/%2Fetc%2Fpasswd",
        "/api/v1/upload/images/....%2F%2Fserver.log",
        "/api/v1/upload/images/0123456789abcdef0123456789abcdef.svg",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    let (status, _) = upload(&s, t, "../../../evil.png", "image/png", &png(4, 4)).await;
    assert_eq!(status, 201);
    assert!(
        !s.dir
            .0
            .parent()
            .unwrap_or(&s.dir.0)
            .join("evil.png")
            .exists()
    );
    let (status, _) = call(
        &s,
        Method::DELETE,
        "/api/v1/upload/images/..%2Fserver.log",
        t,
    )
    .await;
    assert_eq!(status, 404);
    assert!(s.dir.0.join("server.log").exists());

    // Delete: refused while a pose shows the image, then done.
    let (status, body) = call(&s, Method::DELETE, &url, t).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "image_in_use");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("Pictured Pose"),
        "{body}"
    );
    assert_eq!(s.get(&url).await.status(), 200);
    pose["image_urls"] = json!([]);
    let (status, body) = send(
        &s,
        Method::PUT,
        &format!("/api/v1/poses/{pictured}"),
        pose,
        t,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = call(&s, Method::DELETE, &url, t).await;
    assert_eq!(status, 204);
    assert_eq!(s.get(&url).await.status(), 404);
    let (status, _) = call(&s, Method::DELETE, &url, t).await;
    assert_eq!(status, 404);
    // Oversized file (last: the server closes a connection whose body it refused).
    let mut big = png(8, 8);
    big.resize(5 * 1024 * 1024 + 10, 0);
    let (status, body) = upload(&s, t, "big.png", "image/png", &big).await;
    assert_eq!(status, 413, "{body}");
    // The 1 MiB limit still holds everywhere else.
    let huge = json!({"name_english": "x".repeat(2 * 1024 * 1024)});
    let (status, _) = send(&s, Method::POST, "/api/v1/poses", huge, t).await;
    assert_eq!(status, 413);
});

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn yogaflow(s: &Server, args: &[&str]) -> (bool, String, String) {
    let mut c = bin();
    c.arg("--data-dir").arg(&s.dir.0).args(args);
    if let Some(pg) = &s.pg {
        c.env("DATABASE_URL", &pg.url);
    }
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

on_both_databases!(content_export_writes_admin_edits_back_to_files, |s| {
    let (_user, admin) = tokens(&s).await;
    let t = Some(admin.as_str());
    let content = s.dir.0.join("content-copy");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"),
        &content,
    );
    let out = content.to_string_lossy().into_owned();
    // Nothing changed yet: nothing is written.
    let (ok, stdout, stderr) = yogaflow(&s, &["content", "export", "--out", &out]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains(" 0 written") && stdout.contains(" 0 removed"),
        "{stdout}"
    );

    // Edit a library pose, add one that follows the content guide, delete a preset.
    let list = s.get_json("/api/v1/poses?search=mountain", 200).await;
    let mountain = list["poses"][0].clone();
    let id = mountain["pose_id"].as_i64().unwrap_or_default();
    let slug = mountain["slug"].as_str().unwrap_or_default().to_owned();
    let (_, history) = call(
        &s,
        Method::GET,
        &format!("/api/v1/admin/poses/{id}/history"),
        t,
    )
    .await;
    assert_eq!(history["versions"], json!([]));
    let mut edit: Value = json!({
        "slug": slug,
        "name_english": mountain["name_english"],
        "name_sanskrit": mountain["name_sanskrit"],
        "name_sanskrit_ascii": mountain["name_sanskrit_ascii"],
        "category": mountain["category"],
        "difficulty_level": mountain["difficulty_level"],
        "sided": mountain["sided"],
        "hold": mountain["hold"],
        "target_areas": mountain["target_areas"],
        "props": mountain["props"],
        "breath_cue": mountain["breath_cue"],
        "description": "Edited through the admin API.",
        "instructions": mountain["instructions"],
        "benefits": mountain["benefits_list"],
        "contraindications": mountain["contraindications_list"],
        "modifications": mountain["modifications"],
        "common_mistakes": mountain["common_mistakes"],
        "safety_note": mountain["safety_note"],
    });
    let (status, body) = send(
        &s,
        Method::PUT,
        &format!("/api/v1/poses/{id}"),
        edit.clone(),
        t,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    edit["slug"] = json!("quiet-mountain");
    edit["name_english"] = json!("Quiet Mountain");
    let (status, body) = send(&s, Method::POST, "/api/v1/poses", edit, t).await;
    assert_eq!(status, 201, "{body}");
    let presets = s.get_json("/api/v1/sequences?limit=1", 200).await;
    let preset = presets["sequences"][0].clone();
    let preset_id = preset["sequence_id"].as_i64().unwrap_or_default();
    let preset_slug = preset["slug"].as_str().unwrap_or_default().to_owned();
    let (status, _) = call(
        &s,
        Method::DELETE,
        &format!("/api/v1/admin/sequences/{preset_id}"),
        t,
    )
    .await;
    assert_eq!(status, 204);

    let untouched = std::fs::read_dir(content.join("poses"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .find(|p| !p.ends_with(format!("{slug}.toml")))
        .unwrap_or_else(|| panic!("no pose files"));
    let untouched_before = std::fs::read(&untouched).unwrap_or_default();
    let (ok, stdout, stderr) = yogaflow(&s, &["content", "export", "--out", &out]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains(" 2 written") && stdout.contains(" 1 removed"),
        "{stdout}"
    );
    let edited =
        std::fs::read_to_string(content.join(format!("poses/{slug}.toml"))).unwrap_or_default();
    assert!(edited.contains("Edited through the admin API."), "{edited}");
    assert!(content.join("poses/quiet-mountain.toml").exists());
    assert!(
        !content
            .join(format!("sequences/{preset_slug}.toml"))
            .exists()
    );
    assert_eq!(
        std::fs::read(&untouched).unwrap_or_default(),
        untouched_before,
        "unchanged entries keep their bytes"
    );
    let (ok, stdout, stderr) = yogaflow(&s, &["content", "check", "--from", &out]);
    assert!(ok && stdout.starts_with("library ok"), "{stdout}{stderr}");

    // Into an empty folder: a whole library that passes the check.
    let fresh = s.dir.0.join("content-fresh").to_string_lossy().into_owned();
    let (ok, stdout, stderr) = yogaflow(&s, &["content", "export", "--out", &fresh]);
    assert!(ok, "{stdout}{stderr}");
    let (ok, stdout, stderr) = yogaflow(&s, &["content", "check", "--from", &fresh]);
    assert!(ok && stdout.starts_with("library ok"), "{stdout}{stderr}");
});

#[tokio::test]
async fn openapi_documents_the_admin_routes() {
    let s = Server::start(common::Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let doc = s.get_json("/openapi.json", 200).await;
    for (path, methods) in [
        ("/api/v1/poses", &["get", "post"][..]),
        ("/api/v1/poses/{pose_id}", &["get", "put", "delete"][..]),
        ("/api/v1/admin/sequences", &["post"][..]),
        (
            "/api/v1/admin/sequences/{sequence_id}",
            &["put", "delete"][..],
        ),
        ("/api/v1/admin/poses/{pose_id}/history", &["get"][..]),
        (
            "/api/v1/admin/sequences/{sequence_id}/history",
            &["get"][..],
        ),
        (
            "/api/v1/admin/poses/{pose_id}/history/{version}/restore",
            &["post"][..],
        ),
        (
            "/api/v1/admin/sequences/{sequence_id}/history/{version}/restore",
            &["post"][..],
        ),
        ("/api/v1/upload/image", &["post"][..]),
        ("/api/v1/upload/images/{filename}", &["get", "delete"][..]),
    ] {
        for m in methods {
            assert!(
                doc["paths"][path][m].is_object(),
                "{m} {path} missing from /openapi.json"
            );
        }
    }
    for schema in ["PoseWrite", "HistoryResponse", "UploadResponse"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

on_both_databases!(
    figure_descriptions_are_previewed_edited_versioned_and_exported,
    |s| {
        let (user, admin) = tokens(&s).await;
        let t = Some(admin.as_str());
        let list = s.get_json("/api/v1/poses?search=mountain", 200).await;
        let id = list["poses"][0]["pose_id"].as_i64().unwrap_or_default();
        let slug = list["poses"][0]["slug"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let record_path = format!("/api/v1/admin/poses/{id}");
        let svg_path = format!("/api/v1/poses/{id}/figure.svg");
        const PREVIEW: &str = "/api/v1/admin/figures/preview";

        // Only admins read records and preview figures.
        assert_eq!(call(&s, Method::GET, &record_path, None).await.0, 401);
        assert_eq!(
            call(&s, Method::GET, &record_path, Some(&user)).await.0,
            403
        );
        let any = json!({"figure": "view = \"side\""});
        assert_eq!(
            send(&s, Method::POST, PREVIEW, any.clone(), None).await.0,
            401
        );
        assert_eq!(
            send(&s, Method::POST, PREVIEW, any, Some(&user)).await.0,
            403
        );

        let (status, body) = call(&s, Method::GET, &record_path, t).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["version"], json!(0));
        let mut record = body["record"].clone();
        let original = record["figure"].as_str().unwrap_or_default().to_owned();
        assert!(
            original.contains("[angles]") && !original.contains("slug"),
            "{original}"
        );
        let svg_before = s.get(&svg_path).await.text().await.unwrap_or_default();

        // The preview draws what is typed, with its alt text, and saves nothing.
        let raised = original
            .replace("right_shoulder = 7\n", "right_shoulder = 170\n")
            .replace("left_shoulder = 7\n", "left_shoulder = 170\n");
        assert_ne!(
            raised, original,
            "the mountain figure's arms hang at 7 degrees"
        );
        let (status, body) = send(&s, Method::POST, PREVIEW, json!({"figure": raised}), t).await;
        assert_eq!(status, 200, "{body}");
        let preview_svg = body["svg"].as_str().unwrap_or_default();
        assert!(preview_svg.starts_with("<svg") && !preview_svg.contains("<script"));
        assert!(
            body["alt"].as_str().is_some_and(|a| !a.is_empty()),
            "{body}"
        );
        assert_eq!(body["problems"], json!([]));
        let (status, left) = send(
            &s,
            Method::POST,
            PREVIEW,
            json!({"figure": raised, "side": "left"}),
            t,
        )
        .await;
        assert_eq!(status, 200, "{left}");
        // Broken text is a 422 naming the field; an implausible body is drawn
        // with its problems listed.
        let broken = original.replace("view = \"front\"", "view = \"sideways\"");
        let (status, body) = send(&s, Method::POST, PREVIEW, json!({"figure": broken}), t).await;
        assert_eq!(status, 422, "{body}");
        assert!(fields(&body).iter().all(|f| f == "figure"), "{body}");
        let floating = original.replace(
            "contacts = [\"right_foot\", \"left_foot\"]",
            "contacts = [\"right_hand\"]",
        );
        assert_ne!(floating, original);
        let (status, body) = send(&s, Method::POST, PREVIEW, json!({"figure": floating}), t).await;
        assert_eq!(status, 200, "{body}");
        assert_ne!(body["problems"], json!([]), "{body}");
        assert_eq!(
            s.get(&svg_path).await.text().await.unwrap_or_default(),
            svg_before
        );

        // Saving refuses the same problems and changes nothing.
        for bad in [&broken, &floating] {
            record["figure"] = json!(bad);
            let (status, body) = send(
                &s,
                Method::PUT,
                &format!("/api/v1/poses/{id}"),
                record.clone(),
                t,
            )
            .await;
            assert_eq!(status, 422, "{body}");
            assert!(fields(&body).contains(&"figure".to_owned()), "{body}");
        }
        assert_eq!(
            call(&s, Method::GET, &record_path, t).await.1["version"],
            json!(0)
        );

        // A good description is saved, versioned, and drawn at once.
        record["figure"] = json!(raised);
        let (status, body) = send(
            &s,
            Method::PUT,
            &format!("/api/v1/poses/{id}"),
            record.clone(),
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let svg_after = s.get(&svg_path).await.text().await.unwrap_or_default();
        assert_ne!(svg_after, svg_before);
        let (_, history) = call(
            &s,
            Method::GET,
            &format!("/api/v1/admin/poses/{id}/history"),
            t,
        )
        .await;
        assert_eq!(
            history["versions"][0]["changed_fields"],
            json!(["figure"]),
            "{history}"
        );

        // A 1.0 client's PUT knows nothing of figures and keeps the drawing.
        let mut old_client = record.clone();
        old_client.as_object_mut().map(|m| m.remove("figure"));
        let (status, body) = send(
            &s,
            Method::PUT,
            &format!("/api/v1/poses/{id}"),
            old_client,
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            s.get(&svg_path).await.text().await.unwrap_or_default(),
            svg_after
        );

        // An empty description removes the figure; restoring version 1 brings it back.
        record["figure"] = json!("");
        let (status, body) = send(
            &s,
            Method::PUT,
            &format!("/api/v1/poses/{id}"),
            record.clone(),
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(s.get(&svg_path).await.status(), 404);
        let (status, body) = call(
            &s,
            Method::POST,
            &format!("/api/v1/admin/poses/{id}/history/1/restore"),
            t,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            s.get(&svg_path).await.text().await.unwrap_or_default(),
            svg_after
        );

        // Export writes the figure file back in the library's format.
        let content = s.dir.0.join("content-figures");
        copy_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"),
            &content,
        );
        let out = content.to_string_lossy().into_owned();
        let (ok, stdout, stderr) = yogaflow(&s, &["content", "export", "--out", &out]);
        assert!(ok, "{stdout}{stderr}");
        let file = std::fs::read_to_string(content.join(format!("figures/{slug}.toml")))
            .unwrap_or_default();
        assert!(
            file.starts_with(&format!("slug = \"{slug}\"\n"))
                && file.contains("right_shoulder = 170"),
            "{file}"
        );
        let (ok, stdout, stderr) = yogaflow(&s, &["content", "check", "--from", &out]);
        assert!(ok && stdout.starts_with("library ok"), "{stdout}{stderr}");
    }
);

on_both_databases!(the_images_page_lists_uploads_and_deletes_unused_ones, |s| {
    let (_user, admin) = tokens(&s).await;
    let (status, up) = upload(&s, Some(&admin), "mat.png", "image/png", &png(12, 9)).await;
    assert_eq!(status, 201, "{up}");
    let url = up["url"].as_str().unwrap_or_default().to_owned();
    let name = up["filename"].as_str().unwrap_or_default().to_owned();
    let cookie = s.session_cookie("root@example.org").await;
    let client = common::no_redirects();
    let html = client
        .get(s.url("/admin/uploads"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains(&url), "the stored image is listed");
    assert!(
        html.contains("12 × 9 px") && html.contains("No pose shows it."),
        "{html}"
    );
    let action = format!("/admin/uploads/{name}/delete");
    assert!(html.contains(&action));
    let r = client
        .post(s.url(&action))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &cookie)
        .form(&[("confirm", "1")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/uploads?deleted=1");
    assert_eq!(s.get(&url).await.status(), 404);
});
