//! The catalog API over HTTP, on SQLite and on PostgreSQL: 1.0's contract, the
//! fixes to its defects, and bad input answered with documented 4xx errors.

mod common;

use serde_json::Value;

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|p| p["name_english"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both_databases!(pose_list_pages_like_one_point_oh, |s| {
    let r = s.get("/api/v1/poses").await;
    assert_eq!(r.status(), 200);
    let header_total: u64 = r.headers()["x-total-count"]
        .to_str()
        .unwrap_or("")
        .parse()
        .unwrap_or(0);
    let body: Value = r.json().await.unwrap_or_default();
    let total = body["total"].as_u64().unwrap_or(0);
    assert!(total >= 120, "only {total} poses");
    assert_eq!(header_total, total);
    assert_eq!(body["page"], 1);
    assert_eq!(body["page_size"], 20);
    assert_eq!(body["total_pages"].as_u64(), Some(total.div_ceil(20)));
    let first = names(&body["poses"]);
    assert_eq!(first.len(), 20);
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(first, sorted, "ordered by English name");

    // Offset mode answers page 1, page_size = limit, total_pages 0, as 1.0 did.
    let off = s.get_json("/api/v1/poses?offset=10&limit=5", 200).await;
    assert_eq!(
        (
            off["page"].as_u64(),
            off["page_size"].as_u64(),
            off["total_pages"].as_u64()
        ),
        (Some(1), Some(5), Some(0))
    );
    assert_eq!(names(&off["poses"]), first[10..15].to_vec());

    // The last page holds the remainder; past it, an empty list.
    let last = s
        .get_json(
            &format!("/api/v1/poses?page={}&page_size=20", total.div_ceil(20)),
            200,
        )
        .await;
    assert_eq!(
        last["poses"].as_array().map(Vec::len),
        Some(((total - 1) % 20 + 1) as usize)
    );
    let past = s.get_json("/api/v1/poses?page=999", 200).await;
    assert_eq!(past["poses"].as_array().map(Vec::len), Some(0));
});

on_both_databases!(one_point_oh_pose_ids_are_kept, |s| {
    let p = s.get_json("/api/v1/poses/1", 200).await;
    assert_eq!(p["name_english"], "Mountain Pose");
    assert_eq!(p["name_sanskrit"], "Tāḍāsana");
    assert_eq!(p["name_sanskrit_ascii"], "Tadasana");
    let p = s.get_json("/api/v1/poses/80", 200).await;
    assert_eq!(p["name_english"], "Formidable Face Pose");
    let p = s.get_json("/api/v1/poses/22", 200).await;
    assert_eq!(p["name_english"], "Headstand");
});

on_both_databases!(pose_carries_old_and_new_fields, |s| {
    let p = s.get_json("/api/v1/poses/10", 200).await;
    assert_eq!(p["name_english"], "Tree Pose");
    for field in [
        "pose_id",
        "name_english",
        "name_sanskrit",
        "category",
        "difficulty_level",
        "description",
        "instructions",
        "benefits",
        "contraindications",
        "target_areas",
        "image_urls",
        "created_at",
        "updated_at",
        "slug",
        "modifications",
        "props",
        "sided",
        "sides",
        "hold",
        "breath_cue",
        "default_hold_seconds",
        "common_mistakes",
        "safety_note",
    ] {
        assert!(p.get(field).is_some(), "missing {field}");
    }
    assert_eq!(p["sided"], true);
    assert_eq!(p["sides"], serde_json::json!(["right", "left"]));
    assert!(
        p["benefits"].as_str().unwrap_or("").starts_with("• "),
        "1.0 bullet format"
    );
    assert!(p["instructions"].as_array().map_or(0, Vec::len) >= 5);
    assert!(p["hold"]["value"].as_u64().unwrap_or(0) > 0);
    assert!(p["created_at"].as_str().unwrap_or("").ends_with('Z'));
    assert_eq!(p["figure_url"], "/api/v1/poses/10/figure.svg");
    assert_eq!(
        p["image_urls"][0], p["figure_url"],
        "1.0 clients get at least one image"
    );
});

on_both_databases!(category_difficulty_and_target_area_filters, |s| {
    let all = s.get_json("/api/v1/poses?limit=100", 200).await["total"]
        .as_u64()
        .unwrap_or(0);
    let mut sum = 0;
    for c in [
        "standing",
        "seated",
        "balancing",
        "backbends",
        "forward_bends",
        "twists",
        "inversions",
        "arm_balances",
        "restorative",
    ] {
        let body = s
            .get_json(&format!("/api/v1/poses?category={c}&limit=100"), 200)
            .await;
        let poses = body["poses"].as_array().cloned().unwrap_or_default();
        assert!(!poses.is_empty(), "no {c} poses");
        assert!(poses.iter().all(|p| p["category"] == c));
        sum += body["total"].as_u64().unwrap_or(0);
    }
    assert_eq!(sum, all);
    for d in ["beginner", "intermediate", "advanced"] {
        let body = s
            .get_json(&format!("/api/v1/poses?difficulty={d}&limit=100"), 200)
            .await;
        assert!(
            body["poses"]
                .as_array()
                .is_some_and(|p| !p.is_empty() && p.iter().all(|p| p["difficulty_level"] == d))
        );
    }
    // target_area matches any element of a pose's areas, not only one-element lists (1.0 D4).
    let body = s
        .get_json("/api/v1/poses?target_area=hamstrings&limit=100", 200)
        .await;
    let poses = body["poses"].as_array().cloned().unwrap_or_default();
    assert!(poses.iter().all(|p| {
        p["target_areas"]
            .as_array()
            .is_some_and(|a| a.contains(&Value::from("hamstrings")))
    }));
    assert!(
        poses.iter().any(|p| p["target_areas"][0] != "hamstrings"),
        "found only as first area"
    );
    assert!(names(&body["poses"]).contains(&"Downward Facing Dog".to_owned()));
    // Filters combine.
    let body = s.get_json("/api/v1/poses?target_area=hamstrings&difficulty=beginner&category=forward_bends&limit=100", 200).await;
    let poses = body["poses"].as_array().cloned().unwrap_or_default();
    assert!(!poses.is_empty());
    assert!(
        poses
            .iter()
            .all(|p| p["category"] == "forward_bends" && p["difficulty_level"] == "beginner")
    );
});

on_both_databases!(
    search_finds_names_with_or_without_diacritics_and_descriptions,
    |s| {
        for term in [
            "tadasana",
            "T%C4%81%E1%B8%8D%C4%81sana",
            "TADASANA",
            "mountain",
        ] {
            let body = s
                .get_json(&format!("/api/v1/poses?search={term}"), 200)
                .await;
            assert_eq!(
                names(&body["poses"]).first().map(String::as_str),
                Some("Mountain Pose"),
                "search {term}"
            );
        }
        // Names rank before description-only matches.
        let body = s
            .get_json("/api/v1/poses?search=downward%20dog&limit=100", 200)
            .await;
        let found = names(&body["poses"]);
        let dd = found
            .iter()
            .position(|n| n == "Downward Facing Dog")
            .unwrap_or(usize::MAX);
        assert!(dd < 2, "{found:?}");
        // A word found only in a description still finds the pose.
        let body = s.get_json("/api/v1/poses?search=Samasthiti", 200).await;
        assert!(
            names(&body["poses"]).contains(&"Mountain Pose".to_owned()),
            "{body}"
        );
        // LIKE wildcards in the input are matched literally.
        let body = s.get_json("/api/v1/poses?search=%25", 200).await;
        assert_eq!(body["total"], 0);
        let body = s.get_json("/api/v1/poses?search=_", 200).await;
        assert_eq!(body["total"], 0);
    }
);

on_both_databases!(related_poses_follow_the_written_rule, |s| {
    let pose = s.get_json("/api/v1/poses/10", 200).await;
    let rank = |d: &Value| {
        ["beginner", "intermediate", "advanced"]
            .iter()
            .position(|x| d == x)
            .unwrap_or(9)
    };
    let r = s.get_json("/api/v1/poses/10/related", 200).await;
    let similar = r["similar"].as_array().cloned().unwrap_or_default();
    let prog = r["progressions"].as_array().cloned().unwrap_or_default();
    assert!(similar.len() <= 2 && !similar.is_empty());
    assert!(prog.len() <= 2 && !prog.is_empty());
    for p in &similar {
        assert_eq!(p["category"], pose["category"]);
        assert!(rank(&p["difficulty_level"]).abs_diff(rank(&pose["difficulty_level"])) <= 1);
    }
    for p in &prog {
        assert!(rank(&p["difficulty_level"]) > rank(&pose["difficulty_level"]));
    }
    assert_eq!(
        r,
        s.get_json("/api/v1/poses/10/related", 200).await,
        "stable"
    );
    s.get_json("/api/v1/poses/99999/related", 404).await;
});

on_both_databases!(sequence_list_filters_and_detail, |s| {
    let body = s.get_json("/api/v1/sequences?page_size=100", 200).await;
    let total = body["total"].as_u64().unwrap_or(0);
    assert!(total >= 40, "only {total} sequences");
    let list = body["sequences"].as_array().cloned().unwrap_or_default();
    let seq_names: Vec<_> = list
        .iter()
        .map(|q| q["name"].as_str().unwrap_or("").to_owned())
        .collect();
    let mut sorted = seq_names.clone();
    sorted.sort();
    assert_eq!(seq_names, sorted);
    assert!(
        list.iter()
            .all(|q| q["is_preset"] == true && q["pose_count"].as_u64().unwrap_or(0) >= 3)
    );
    for (param, field, value) in [
        ("difficulty", "difficulty_level", "beginner"),
        ("focus_area", "focus_area", "relaxation"),
        ("style", "style", "yin"),
    ] {
        let b = s
            .get_json(
                &format!("/api/v1/sequences?{param}={value}&page_size=100"),
                200,
            )
            .await;
        let items = b["sequences"].as_array().cloned().unwrap_or_default();
        assert!(!items.is_empty(), "no {value}");
        assert!(items.iter().all(|q| q[field] == value));
    }
    let b = s
        .get_json(
            "/api/v1/sequences?min_duration=30&max_duration=45&page_size=100",
            200,
        )
        .await;
    let items = b["sequences"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|q| (30..=45).contains(&q["duration_minutes"].as_u64().unwrap_or(0)))
    );
    // Nobody is signed in, so "only user-made sequences" is empty.
    assert_eq!(
        s.get_json("/api/v1/sequences?preset_only=false", 200).await["total"],
        0
    );
    assert_eq!(
        s.get_json("/api/v1/sequences?preset_only=true", 200).await["total"].as_u64(),
        Some(total)
    );

    let id = list[0]["sequence_id"].as_i64().unwrap_or(0);
    let detail = s.get_json(&format!("/api/v1/sequences/{id}"), 200).await;
    let poses = detail["poses"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        poses.len() as u64,
        list[0]["pose_count"].as_u64().unwrap_or(0)
    );
    let positions: Vec<u64> = poses
        .iter()
        .map(|p| p["position_order"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(positions, (1..=poses.len() as u64).collect::<Vec<_>>());
    let sum: u64 = poses
        .iter()
        .map(|p| p["duration_seconds"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(detail["total_duration_seconds"].as_u64(), Some(sum));
    assert!(poses.iter().all(|p| p["pose"]["pose_id"] == p["pose_id"]));
    // Sided poses appear on both sides.
    for p in poses.iter().filter(|p| p["pose"]["sided"] == true) {
        assert!(p["side"] == "right" || p["side"] == "left");
    }
    s.get_json("/api/v1/sequences/999999", 404).await;
});

on_both_databases!(sequence_vocabularies_and_counts, |s| {
    let f = s.get_json("/api/v1/sequences/focus-areas", 200).await;
    assert_eq!(
        f["focus_areas"],
        serde_json::json!([
            "flexibility",
            "strength",
            "relaxation",
            "balance",
            "core",
            "energy"
        ])
    );
    let st = s.get_json("/api/v1/sequences/styles", 200).await;
    assert_eq!(
        st["styles"],
        serde_json::json!(["vinyasa", "yin", "restorative", "hatha", "power", "gentle"])
    );
    let c = s.get_json("/api/v1/sequences/categories", 200).await;
    let total: i64 = c["by_duration"]
        .as_object()
        .map_or(0, |m| m.values().filter_map(Value::as_i64).sum());
    assert_eq!(
        total,
        s.get_json("/api/v1/sequences", 200).await["total"]
            .as_i64()
            .unwrap_or(-1)
    );
    assert_eq!(c["by_difficulty"].as_object().map(|m| m.len()), Some(3));
    assert_eq!(c["by_style"].as_object().map(|m| m.len()), Some(6));
});

fn assert_validation(body: &Value, field: &str) {
    assert_eq!(body["status_code"], 422, "{body}");
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["error"], "Validation Error");
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .map(|d| d.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert!(fields.contains(&field), "{field} not named in {body}");
}

on_both_databases!(bad_input_gets_documented_4xx_never_500, |s| {
    for (path, field) in [
        ("/api/v1/poses?page=0", "page"),
        ("/api/v1/poses?page_size=0", "page_size"),
        ("/api/v1/poses?page_size=101", "page_size"),
        ("/api/v1/poses?limit=101", "limit"),
        ("/api/v1/poses?offset=-1", "offset"),
        ("/api/v1/poses?page=abc", "page"),
        ("/api/v1/poses?page=99999999999999999999", "page"),
        ("/api/v1/poses?category=backbend", "category"),
        ("/api/v1/poses?difficulty=easy", "difficulty"),
        ("/api/v1/poses?target_area=legs", "target_area"),
        (
            "/api/v1/poses?category=seated&category=standing",
            "category",
        ),
        ("/api/v1/poses/abc", "pose_id"),
        ("/api/v1/poses/1.5/related", "pose_id"),
        ("/api/v1/sequences?style=ashtanga", "style"),
        ("/api/v1/sequences?min_duration=0", "min_duration"),
        (
            "/api/v1/sequences?min_duration=60&max_duration=10",
            "min_duration",
        ),
        ("/api/v1/sequences?preset_only=maybe", "preset_only"),
        ("/api/v1/sequences/xyz", "sequence_id"),
    ] {
        let body = s.get_json(path, 422).await;
        assert_validation(&body, field);
    }
    let long = "a".repeat(10 * 1024);
    assert_validation(
        &s.get_json(&format!("/api/v1/poses?search={long}"), 422)
            .await,
        "search",
    );
    assert_validation(
        &s.get_json(&format!("/api/v1/sequences?search={long}"), 422)
            .await,
        "search",
    );
    let body = s.get_json("/api/v1/poses/0", 404).await;
    assert_eq!(body["code"], "pose_not_found");
    let body = s.get_json("/api/v1/poses/-5", 404).await;
    assert_eq!(body["error"], "Pose with ID -5 not found");
    let body = s.get_json("/api/v1/nothing-here", 404).await;
    assert_eq!(
        (body["code"].as_str(), body["status_code"].as_u64()),
        (Some("not_found"), Some(404))
    );
    let r = s
        .http
        .patch(s.url("/api/v1/poses/1"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 405);
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(body["code"], "method_not_allowed");
    let r = s
        .http
        .head(s.url("/api/v1/poses"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    // Invalid percent-encoding and non-UTF-8 are answered, not crashed on.
    let r = s.get("/api/v1/poses?search=%FF%FE").await;
    assert!(
        r.status().is_success() || r.status() == 422,
        "{}",
        r.status()
    );
});

on_both_databases!(health_and_info, |s| {
    let root = s.get_json("/", 200).await;
    assert_eq!(root["name"], "YogaFlow API");
    assert_eq!(root["environment"], "development");
    assert_eq!(s.get_json("/health", 200).await["status"], "healthy");
    assert_eq!(s.get_json("/health/live", 200).await["status"], "ok");
    let ready = s.get_json("/health/ready", 200).await;
    assert_eq!(ready["checks"]["database"], "ok");
});

#[tokio::test]
async fn readiness_names_redis_when_it_is_down() {
    // Nothing listens on port 1; the server must still start and report it.
    let s = common::Server::start_with(
        common::Backend::Sqlite,
        &[("REDIS_URL", "redis://127.0.0.1:1")],
    )
    .unwrap_or_else(|| panic!("server"));
    let body = s.get_json("/health/ready", 503).await;
    assert_eq!(body["checks"]["redis"], "unavailable");
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(body["failing"], serde_json::json!(["redis"]));
    assert_eq!(body["status_code"], 503);
    assert_eq!(s.get_json("/health/live", 200).await["status"], "ok");
}

#[tokio::test]
async fn readiness_is_ok_with_a_live_redis() {
    let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    if std::env::var("TEST_REDIS_URL").is_err()
        && std::net::TcpStream::connect("127.0.0.1:6379").is_err()
    {
        eprintln!("no Redis on 127.0.0.1:6379; skipping");
        return;
    }
    let s = common::Server::start_with(common::Backend::Sqlite, &[("REDIS_URL", &url)])
        .unwrap_or_else(|| panic!("server"));
    let body = s.get_json("/health/ready", 200).await;
    assert_eq!(body["checks"]["redis"], "ok");
}

#[tokio::test]
async fn readiness_names_the_database_when_postgres_goes_away() {
    let Some(s) = common::Server::start(common::Backend::Postgres) else {
        return;
    };
    s.get_json("/health/ready", 200).await;
    let pg = s.pg.as_ref().unwrap_or_else(|| panic!("pg"));
    // Terminate every connection and block new ones: the database is "down".
    let out = std::process::Command::new("psql")
        .arg(std::env::var("TEST_DATABASE_URL").unwrap_or_default())
        .args(["-q", "-c", &format!(
            "ALTER DATABASE {0} ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}';",
            pg.url.rsplit('/').next().unwrap_or_default()
        )])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = s.get_json("/health/ready", 503).await;
    assert_eq!(body["checks"]["database"], "unavailable");
    // Catalog reads fail cleanly, never with a 500.
    let r = s.get("/api/v1/poses?search=uncached").await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(body["code"], "database_unavailable");
}

#[tokio::test]
async fn openapi_documents_every_route_and_docs_are_served_locally() {
    let s = common::Server::start(common::Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let doc = s.get_json("/openapi.json", 200).await;
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for p in [
        "/",
        "/health",
        "/health/live",
        "/health/ready",
        "/api/v1/poses",
        "/api/v1/poses/{pose_id}",
        "/api/v1/poses/{pose_id}/related",
        "/api/v1/sequences",
        "/api/v1/sequences/{sequence_id}",
        "/api/v1/sequences/categories",
        "/api/v1/sequences/focus-areas",
        "/api/v1/sequences/styles",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
        "/api/v1/auth/refresh",
        "/api/v1/auth/verify-email",
        "/api/v1/auth/resend-verification",
        "/api/v1/auth/forgot-password",
        "/api/v1/auth/reset-password",
        "/api/v1/auth/sessions",
        "/api/v1/auth/sessions/{session_id}",
        "/api/v1/profile",
        "/api/v1/profile/password",
        "/api/v1/profile/email",
        "/api/v1/profile/email/confirm",
        "/api/v1/profile/export",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
        // Every documented path answers (ids filled in), so no documented route is dead.
        let concrete = p.replace("{pose_id}", "1").replace("{sequence_id}", "1");
        assert_ne!(s.get(&concrete).await.status(), 404, "{concrete}");
    }
    for (path, item) in &paths {
        for (_, op) in item.as_object().cloned().unwrap_or_default() {
            let responses = op["responses"].as_object().cloned().unwrap_or_default();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{path} documents no success"
            );
            // Image file names are not parsed: any name we did not make is a 404.
            if path.contains('{') && !path.contains("{filename}") {
                assert!(
                    responses.contains_key("404") && responses.contains_key("422"),
                    "{path} must document 404 and 422"
                );
            }
        }
    }
    let r = s.get("/docs/").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("swagger"), "Swagger UI page");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN references in /docs"
    );
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let s = common::Server::start(common::Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    for path in ["/api/v1/poses", "/api/v1/poses/abc", "/nope", "/health"] {
        let r = s.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h.contains_key("x-request-id"));
        assert!(
            !h.contains_key("access-control-allow-origin"),
            "no CORS without an allow-list"
        );
    }
}

#[tokio::test]
async fn cors_answers_only_allowed_origins() {
    let s = common::Server::start_with(
        common::Backend::Sqlite,
        &[("ALLOWED_ORIGINS", "https://app.example.com")],
    )
    .unwrap_or_else(|| panic!("server"));
    let ok = s
        .http
        .get(s.url("/api/v1/poses"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let evil = s
        .http
        .get(s.url("/api/v1/poses"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!evil.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn sqlite_and_postgres_give_identical_catalog_answers() {
    let Some(pg) = common::Server::start(common::Backend::Postgres) else {
        return;
    };
    let lite = common::Server::start(common::Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let strip = |mut v: Value| {
        // Timestamps differ by when each database was loaded.
        fn walk(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    m.remove("created_at");
                    m.remove("updated_at");
                    m.values_mut().for_each(walk);
                }
                Value::Array(a) => a.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut v);
        v
    };
    let total = lite.get_json("/api/v1/poses", 200).await["total"]
        .as_u64()
        .unwrap_or(0);
    for id in 1..=total {
        let path = format!("/api/v1/poses/{id}/related");
        assert_eq!(
            strip(lite.get_json(&path, 200).await),
            strip(pg.get_json(&path, 200).await),
            "{path}"
        );
    }
    for path in [
        "/api/v1/poses?search=twist&limit=100",
        "/api/v1/poses?search=dog",
        "/api/v1/poses?target_area=hips&limit=100",
        "/api/v1/poses?page=3&page_size=7",
        "/api/v1/sequences?page_size=100",
        "/api/v1/sequences?search=flow",
        "/api/v1/sequences/categories",
        "/api/v1/sequences/5",
    ] {
        assert_eq!(
            strip(lite.get_json(path, 200).await),
            strip(pg.get_json(path, 200).await),
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_pose_has_a_figure_served_as_safe_cached_svg() {
    let s = common::Server::start(common::Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let total = s.get_json("/api/v1/poses", 200).await["total"]
        .as_u64()
        .unwrap_or(0);
    let mut bodies = std::collections::HashSet::new();
    for id in 1..=total {
        let r = s.get(&format!("/api/v1/poses/{id}/figure.svg")).await;
        assert_eq!(r.status(), 200, "pose {id}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
        let svg = r.text().await.unwrap_or_default();
        assert!(
            svg.starts_with("<svg")
                && svg.contains("viewBox=\"0 0 200 160\"")
                && svg.contains("<title>"),
            "pose {id}"
        );
        for banned in ["<script", "<style", "style=", "href", "onload", "onclick"] {
            assert!(!svg.contains(banned), "pose {id} contains {banned}");
        }
        bodies.insert(svg);
    }
    assert_eq!(
        bodies.len() as u64,
        total,
        "every pose is drawn differently"
    );
    // Tree Pose (10) is sided: left is the mirror; Mountain Pose (1) is not.
    let right = s
        .get("/api/v1/poses/10/figure.svg")
        .await
        .text()
        .await
        .unwrap_or_default();
    let left = s
        .get("/api/v1/poses/10/figure.svg?side=left")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_ne!(right, left);
    let m_right = s
        .get("/api/v1/poses/1/figure.svg")
        .await
        .text()
        .await
        .unwrap_or_default();
    let m_left = s
        .get("/api/v1/poses/1/figure.svg?side=left")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(m_right, m_left);
    let r = s.get("/api/v1/poses/10/figure.svg").await;
    let etag = r.headers()["etag"].to_str().unwrap_or("").to_owned();
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap_or("")
            .contains("max-age")
    );
    let r = s
        .http
        .get(s.url("/api/v1/poses/10/figure.svg"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 304);
    s.get_json("/api/v1/poses/10/figure.svg?side=up", 422).await;
    s.get_json("/api/v1/poses/99999/figure.svg", 404).await;
}

on_both_databases!(figure_transitions_blend_one_pose_into_the_next, |s| {
    let body = s
        .get_json(
            "/api/v1/figures/transition?from=1&to=10&to_side=left&frames=6",
            200,
        )
        .await;
    let frames = body["frames"].as_array().cloned().unwrap_or_default();
    assert_eq!(frames.len(), 6);
    let texts: Vec<&str> = frames.iter().filter_map(|f| f.as_str()).collect();
    for f in &texts {
        assert!(f.starts_with("<svg") && f.ends_with("</svg>"));
        assert!(!f.contains("<script") && !f.contains("style="));
    }
    // Each frame differs from the one before: the figure actually moves.
    assert!(texts.windows(2).all(|w| w[0] != w[1]));
    for bad in [
        "/api/v1/figures/transition?from=1",
        "/api/v1/figures/transition?from=1&to=2&frames=99",
        "/api/v1/figures/transition?from=1&to=2&from_side=up",
        "/api/v1/figures/transition?from=x&to=2",
    ] {
        s.get_json(bad, 422).await;
    }
    s.get_json("/api/v1/figures/transition?from=1&to=999999", 404)
        .await;
});
