//! Practice tracking over HTTP, on SQLite and PostgreSQL: the session state
//! machine, history (free practice included), statistics, the calendar, and
//! breathing exercises. Rules tied to the calendar (time zones, streaks across
//! days) are proven with a fixed clock in `yogaflow-core`'s `practice` tests.

mod common;

use common::{Backend, Server};
use reqwest::Method;
use serde_json::{Value, json};

const RELAXED: &[(&str, &str)] = &[("YOGAFLOW_AUTH_RATE_PER_MINUTE", "100000")];

macro_rules! both {
    ($name:ident, |$s:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn body($s: Server) $body
            #[tokio::test]
            async fn sqlite() {
                body(Server::start_with(Backend::Sqlite, RELAXED).unwrap_or_else(|| panic!("server"))).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(s) = Server::start_with(Backend::Postgres, RELAXED) {
                    body(s).await;
                }
            }
        }
    };
}

async fn start(s: &Server, token: &str, body: Value) -> (u16, Value) {
    s.post_json("/api/v1/sessions/start", body, Some(token))
        .await
}

both!(sessions_start_and_end_exactly_once, |s| {
    // Recording practice needs a verified email.
    s.post_json("/api/v1/auth/register", json!({"email": "unverified@example.org", "name": "U", "password": "maple kettle drift river"}), None).await;
    let (_, login) = s
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "unverified@example.org", "password": "maple kettle drift river"}),
            None,
        )
        .await;
    let unverified = login["tokens"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (status, body) = start(&s, &unverified, json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("email_not_verified"))
    );

    let token = s.verified_token("rae@example.org", 1).await;
    let (status, free) = start(&s, &token, json!({})).await;
    assert_eq!(status, 201, "{free}");
    assert_eq!(
        (free["kind"].as_str(), free["completion_status"].as_str()),
        (Some("free"), Some("in_progress"))
    );
    let (status, seq) = start(&s, &token, json!({"sequence_id": 1})).await;
    assert_eq!(status, 201);
    assert_eq!(seq["kind"], "sequence");
    assert!(seq["planned_seconds"].as_u64().unwrap_or(0) >= 600);
    let (_, current) = s.get_auth("/api/v1/sessions/current", &token).await;
    assert_eq!(
        current["session_id"], seq["session_id"],
        "the newest unfinished session"
    );

    for (bad, field) in [
        (json!({"sequence_id": 999_999}), None),
        (json!({"kind": "yoga-nidra"}), Some("kind")),
        (json!({"kind": "breathing"}), Some("breathing_slug")),
        (
            json!({"kind": "breathing", "breathing_slug": "holding-breath-forever"}),
            Some("breathing_slug"),
        ),
        (
            json!({"kind": "free", "sequence_id": 1}),
            Some("sequence_id"),
        ),
        (json!({"user_id": 5}), Some("user_id")),
    ] {
        let (status, body) = start(&s, &token, bad.clone()).await;
        match field {
            None => assert_eq!(status, 404, "{bad}"),
            Some(f) => {
                assert_eq!(status, 422, "{bad}: {body}");
                assert_eq!(body["detail"][0]["field"], f);
            }
        }
    }
    let (status, _) = start(
        &s,
        &token,
        json!({"kind": "breathing", "breathing_slug": "box-breathing"}),
    )
    .await;
    assert_eq!(status, 201);

    // Completing: duration bounded by the clock, poses stored, first result wins.
    let id = seq["session_id"].as_i64().unwrap_or(0);
    let (status, body) = s
        .post_json(
            "/api/v1/sessions/complete",
            json!({"session_id": id, "duration_seconds": 3600}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (status, body["detail"][0]["field"].as_str()),
        (422, Some("duration_seconds")),
        "longer than the time since start"
    );
    let (status, _) = s
        .post_json(
            "/api/v1/sessions/complete",
            json!({"session_id": id, "duration_seconds": 30, "completion_status": "done-ish"}),
            Some(&token),
        )
        .await;
    assert_eq!(
        status, 422,
        "unknown status is refused, not turned into completed"
    );
    let (status, _) = s.post_json("/api/v1/sessions/complete", json!({"session_id": id, "duration_seconds": 30, "poses": [{"pose_id": 999_999, "seconds": 30}]}), Some(&token)).await;
    assert_eq!(status, 422, "unknown pose");
    let poses = json!([{"pose_id": 1, "seconds": 40}, {"pose_id": 10, "seconds": 30, "side": "right"}, {"pose_id": 10, "seconds": 30, "side": "left"}]);
    let complete =
        json!({"session_id": id, "duration_seconds": 45, "poses_completed": 3, "poses": poses});
    let results = futures_join(&s, &token, &complete, 8).await;
    assert!(results.iter().all(|(st, _)| *st == 200), "{results:?}");
    let first = &results[0].1;
    assert_eq!(first["completion_status"], "completed");
    assert!(results.iter().all(|(_, b)| b["completed_at"] == first["completed_at"] && b["duration_seconds"] == 45), "every caller sees the one completion");
    assert_eq!(
        first["statistics"]["total_sessions"], 1,
        "eight concurrent submits count once"
    );
    let unlocks: usize = results
        .iter()
        .map(|(_, b)| {
            b["newly_unlocked"].as_array().map_or(0, |a| {
                a.iter().filter(|x| x["code"] == "first_session").count()
            })
        })
        .sum();
    assert_eq!(unlocks, 1, "the first achievement is awarded exactly once");
    let (_, ach) = s.get_auth("/api/v1/achievements", &token).await;
    let earned: Vec<&str> = ach["earned"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(earned, vec!["first_session"]);
    assert!(ach["earned"][0]["earned_at"].is_string());
    let locked = ach["locked"].as_array().cloned().unwrap_or_default();
    let streak = locked
        .iter()
        .find(|x| x["code"] == "streak_7")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (streak["progress"].as_u64(), streak["target"].as_u64()),
        (Some(1), Some(7))
    );
    let balancing = locked
        .iter()
        .find(|x| x["code"] == "mastery_balancing")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        balancing["progress"], 1,
        "Tree Pose counts toward balancing mastery"
    );
    assert!(locked.len() >= 24);
    let (status, again) = s
        .post_json(
            "/api/v1/sessions/complete",
            json!({"session_id": id, "duration_seconds": 10, "completion_status": "abandoned"}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (
            status,
            again["completion_status"].as_str(),
            again["duration_seconds"].as_u64()
        ),
        (200, Some("completed"), Some(45)),
        "a finished session never changes"
    );
    let (status, _) = s
        .send_json(
            Method::PUT,
            &format!("/api/v1/sessions/{id}/pause"),
            json!({"duration_so_far": 5}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 409);
    let (_, detail) = s.get_auth(&format!("/api/v1/sessions/{id}"), &token).await;
    let practised = detail["poses"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        practised.len(),
        3,
        "the poses practised are stored: {detail}"
    );
    assert_eq!(
        (
            practised[1]["pose_id"].as_i64(),
            practised[1]["side"].as_str(),
            practised[1]["seconds"].as_u64()
        ),
        (Some(10), Some("right"), Some(30))
    );
    let (_, export) = s.get_auth("/api/v1/profile/export", &token).await;
    assert_eq!(export["session_poses"].as_array().map(Vec::len), Some(3));
    let (_, stats) = s.get_auth("/api/v1/stats", &token).await;
    assert_eq!(
        stats["most_practiced_poses"][0]["name"], "Tree Pose",
        "{stats}"
    );
    assert_eq!(stats["most_practiced_poses"][0]["practice_count"], 2);
});

/// Sends the same completion `n` times at once.
async fn futures_join(s: &Server, token: &str, body: &Value, n: usize) -> Vec<(u16, Value)> {
    let mut handles = Vec::new();
    for _ in 0..n {
        let (client, url, token, body) = (
            s.http.clone(),
            s.url("/api/v1/sessions/complete"),
            token.to_owned(),
            body.clone(),
        );
        handles.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or_default(),
            )
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap_or((0, Value::Null)));
    }
    out
}

both!(pause_resume_abandon_and_privacy, |s| {
    let token = s.verified_token("sol@example.org", 0).await;
    let other = s.verified_token("tam@example.org", 1).await;
    let (_, session) = start(&s, &token, json!({"sequence_id": 2})).await;
    let id = session["session_id"].as_i64().unwrap_or(0);
    let (status, paused) = s
        .send_json(
            Method::PUT,
            &format!("/api/v1/sessions/{id}/pause"),
            json!({"duration_so_far": 12}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (
            status,
            paused["paused"].as_bool(),
            paused["duration_seconds"].as_u64()
        ),
        (200, Some(true), Some(12))
    );
    let (status, resumed) = s
        .post_json(
            &format!("/api/v1/sessions/{id}/resume"),
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!((status, resumed["paused"].as_bool()), (200, Some(false)));
    // Another user cannot see, pause, end or abandon it: 404, and nothing changes.
    assert_eq!(
        s.get_auth(&format!("/api/v1/sessions/{id}"), &other)
            .await
            .0,
        404
    );
    assert_eq!(
        s.send_json(
            Method::PUT,
            &format!("/api/v1/sessions/{id}/pause"),
            json!({"duration_so_far": 1}),
            Some(&other)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        s.post_json(
            "/api/v1/sessions/complete",
            json!({"session_id": id, "duration_seconds": 1}),
            Some(&other)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        s.post_json(
            &format!("/api/v1/sessions/{id}/abandon"),
            json!({}),
            Some(&other)
        )
        .await
        .0,
        404
    );
    assert_eq!(s.get_auth("/api/v1/sessions/current", &other).await.0, 404);
    let (_, mine) = s.get_auth(&format!("/api/v1/sessions/{id}"), &token).await;
    assert_eq!(mine["duration_seconds"], 12, "untouched by the other user");
    // Leaving early with little done is abandoned (half of a 10+ minute plan is out of reach here).
    let r = s
        .http
        .post(s.url(&format!("/api/v1/sessions/{id}/abandon")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap_or_default();
    assert_eq!(body["completion_status"], "abandoned");
    assert_eq!(
        s.post_json(
            &format!("/api/v1/sessions/{id}/abandon"),
            json!({}),
            Some(&token)
        )
        .await
        .0,
        409
    );
    assert_eq!(s.get_auth("/api/v1/sessions/abc", &token).await.0, 422);
    assert_eq!(s.get_auth("/api/v1/sessions/current", &token).await.0, 404);
});

both!(history_stats_and_calendar, |s| {
    let token = s.verified_token("uri@example.org", 0).await;
    let (_, free) = start(&s, &token, json!({})).await;
    s.post_json(
        "/api/v1/sessions/complete",
        json!({"session_id": free["session_id"], "duration_seconds": 20}),
        Some(&token),
    )
    .await;
    let (_, seq) = start(&s, &token, json!({"sequence_id": 3})).await;
    s.post_json(
        "/api/v1/sessions/complete",
        json!({"session_id": seq["session_id"], "duration_seconds": 30}),
        Some(&token),
    )
    .await;
    start(&s, &token, json!({})).await;

    // 1.0 answered 500 for anyone who had practised (D1); free practice included.
    let (status, history) = s.get_auth("/api/v1/history", &token).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["total"], 3);
    let sessions = history["sessions"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        sessions[0]["completion_status"], "in_progress",
        "newest first"
    );
    assert!(
        sessions
            .iter()
            .any(|x| x["kind"] == "free" && x["sequence_id"].is_null())
    );
    assert!(
        sessions
            .iter()
            .any(|x| x["sequence_name"].is_string() && x["sequence_difficulty"].is_string())
    );
    let (_, completed) = s
        .get_auth("/api/v1/history?status=completed&page_size=1", &token)
        .await;
    assert_eq!(
        (
            completed["total"].as_u64(),
            completed["total_pages"].as_u64()
        ),
        (Some(2), Some(2))
    );
    let (_, none) = s
        .get_auth("/api/v1/history?end_date=2001-01-01", &token)
        .await;
    assert_eq!(none["total"], 0);
    for bad in [
        "status=done",
        "start_date=yesterday",
        "page=0",
        "page_size=500",
        "status=completed&status=partial",
    ] {
        assert_eq!(
            s.get_auth(&format!("/api/v1/history?{bad}"), &token)
                .await
                .0,
            422,
            "{bad}"
        );
    }

    let (status, stats) = s.get_auth("/api/v1/stats", &token).await;
    assert_eq!(status, 200);
    assert_eq!(stats["total_sessions"], 2);
    assert_eq!(stats["total_practice_time_seconds"], 50);
    assert_eq!(stats["current_streak_days"], 1);
    assert_eq!(stats["best_streak_days"], 1);
    assert_eq!(stats["sessions_last_30_days"], 2);
    assert_eq!(
        stats["completion_rate_percentage"], 100.0,
        "the open session is not counted as ended"
    );
    assert_eq!(stats["minutes_per_week"].as_array().map(Vec::len), Some(12));
    assert_eq!(stats["most_practiced_sequences"][0]["practice_count"], 1);
    for key in [
        "total_practice_time_hours",
        "average_session_duration_minutes",
        "sessions_by_weekday",
        "sessions_by_time_of_day",
        "time_zone",
    ] {
        assert!(stats.get(key).is_some(), "{key}");
    }
    let today = time::OffsetDateTime::now_utc().date();
    let (_, ranged) = s
        .get_auth(&format!("/api/v1/stats?from={today}&to={today}"), &token)
        .await;
    assert_eq!(ranged["range"]["sessions"], 2);
    assert_eq!(
        s.get_auth("/api/v1/stats?from=2026-02-30&to=2026-03-01", &token)
            .await
            .0,
        422
    );

    let (status, cal) = s.get_auth("/api/v1/calendar", &token).await;
    assert_eq!(status, 200);
    assert_eq!(cal["total_days_practiced"], 1);
    let day = &cal["months"][0]["days"][0];
    assert_eq!(
        (
            day["session_count"].as_u64(),
            day["total_duration_seconds"].as_u64()
        ),
        (Some(2), Some(50)),
        "the open session is not practice"
    );
    assert!(day["date"].as_str().is_some_and(|d| d.len() == 10));
    assert_eq!(
        s.get_auth(
            "/api/v1/calendar?start_date=2026-05-01&end_date=2026-04-01",
            &token
        )
        .await
        .0,
        422
    );
    // The caller's time zone is respected and validated.
    let (status, _) = s
        .send_json(
            Method::PUT,
            "/api/v1/profile",
            json!({"time_zone": "Asia/Tokyo"}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        s.get_auth("/api/v1/stats", &token).await.1["time_zone"],
        "Asia/Tokyo"
    );
    assert_eq!(
        s.send_json(
            Method::PUT,
            "/api/v1/profile",
            json!({"time_zone": "Asia/Atlantis"}),
            Some(&token)
        )
        .await
        .0,
        422
    );
});

#[tokio::test]
async fn breathing_exercises_are_served() {
    let s = Server::start(Backend::Sqlite).unwrap_or_else(|| panic!("server"));
    let list = s.get_json("/api/v1/breathing", 200).await;
    assert!(list["total"].as_u64().unwrap_or(0) >= 10);
    let slugs: Vec<&str> = list["exercises"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["slug"].as_str()).collect())
        .unwrap_or_default();
    for needed in [
        "sama-vritti",
        "nadi-shodhana",
        "bhastrika",
        "sitali",
        "ujjayi",
        "box-breathing",
    ] {
        assert!(slugs.contains(&needed), "{needed}");
    }
    let box_breathing = s.get_json("/api/v1/breathing/box-breathing", 200).await;
    assert_eq!(box_breathing["pattern"]["cycle_seconds"], 16.0);
    assert!(
        box_breathing["cautions"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    s.get_json("/api/v1/breathing/nope", 404).await;
}

both!(favorites_and_goals, |s| {
    let token = s.verified_token("val@example.org", 0).await;
    let other = s.verified_token("wes@example.org", 1).await;
    for _ in 0..2 {
        let r = s
            .http
            .put(s.url("/api/v1/favorites/poses/10"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 204, "idempotent");
    }
    let r = s
        .http
        .put(s.url("/api/v1/favorites/sequences/1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    let r = s
        .http
        .put(s.url("/api/v1/favorites/poses/999999"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);
    let r = s
        .http
        .put(s.url("/api/v1/favorites/poses/tree"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    let (status, favs) = s.get_auth("/api/v1/favorites", &token).await;
    assert_eq!(status, 200);
    assert_eq!(favs["poses"].as_array().map(Vec::len), Some(1));
    assert_eq!(favs["poses"][0]["name_english"], "Tree Pose");
    assert_eq!(favs["sequences"][0]["sequence_id"], 1);
    assert_eq!(
        s.get_auth("/api/v1/favorites", &other).await.1["poses"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "favorites are private"
    );
    for _ in 0..2 {
        let r = s
            .http
            .delete(s.url("/api/v1/favorites/poses/10"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 204);
    }
    assert_eq!(
        s.get_auth("/api/v1/favorites", &token).await.1["poses"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let (status, goals) = s.get_auth("/api/v1/goals", &token).await;
    assert_eq!((status, goals["sessions"]["goal"].is_null()), (200, true));
    let (status, _) = s
        .send_json(
            Method::PUT,
            "/api/v1/goals",
            json!({"sessions_per_week": 0}),
            Some(&token),
        )
        .await;
    assert_eq!(status, 422);
    let (status, goals) = s
        .send_json(
            Method::PUT,
            "/api/v1/goals",
            json!({"sessions_per_week": 4, "minutes_per_week": 60}),
            Some(&token),
        )
        .await;
    assert_eq!(
        (
            status,
            goals["sessions"]["goal"].as_u64(),
            goals["sessions"]["percent"].as_u64()
        ),
        (200, Some(4), Some(0))
    );
    let (_, session) = start(&s, &token, json!({})).await;
    s.post_json(
        "/api/v1/sessions/complete",
        json!({"session_id": session["session_id"], "duration_seconds": 30}),
        Some(&token),
    )
    .await;
    let (_, goals) = s.get_auth("/api/v1/goals", &token).await;
    assert_eq!(
        (
            goals["sessions"]["done"].as_u64(),
            goals["sessions"]["percent"].as_u64()
        ),
        (Some(1), Some(25))
    );
    assert!(goals["week_start"].as_str().is_some_and(|d| d.len() == 10));
});

fn my_sequence(name: &str) -> Value {
    json!({
        "name": name,
        "description": "Short and sweet.",
        "difficulty_level": "beginner",
        "focus_area": "relaxation",
        "style": "gentle",
        "poses": [
            {"pose_id": 6, "duration_seconds": 60},
            {"pose_id": 10, "duration_seconds": 30, "side": "right"},
            {"pose_id": 10, "duration_seconds": 30, "side": "left"},
            {"pose_id": 5, "duration_seconds": 180}
        ]
    })
}

both!(
    sequences_of_ones_own_private_shareable_and_practisable,
    |s| {
        let token = s.verified_token("xia@example.org", 0).await;
        let other = s.verified_token("yan@example.org", 1).await;
        let (status, created) = s
            .post_json(
                "/api/v1/sequences",
                my_sequence("Evening Wind-Down"),
                Some(&token),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let id = created["sequence_id"].as_i64().unwrap_or(0);
        assert_eq!(
            (
                created["is_preset"].as_bool(),
                created["total_duration_seconds"].as_u64()
            ),
            (Some(false), Some(300))
        );
        assert_eq!(created["poses"][1]["side"], "right");
        assert_eq!(
            created["duration_minutes"], 6,
            "holds plus transitions, rounded up"
        );

        // The 1.0 rules, each named.
        for (change, field) in [
            (
                json!({"poses": [{"pose_id": 6, "duration_seconds": 60}, {"pose_id": 5, "duration_seconds": 60}]}),
                "poses",
            ),
            (
                json!({"poses": [{"pose_id": 6, "duration_seconds": 5}, {"pose_id": 5, "duration_seconds": 60}, {"pose_id": 1, "duration_seconds": 60}]}),
                "poses[0].duration_seconds",
            ),
            (
                json!({"poses": [{"pose_id": 6, "duration_seconds": 600}, {"pose_id": 5, "duration_seconds": 600}, {"pose_id": 1, "duration_seconds": 600}, {"pose_id": 2, "duration_seconds": 600}, {"pose_id": 3, "duration_seconds": 600}, {"pose_id": 6, "duration_seconds": 600}, {"pose_id": 5, "duration_seconds": 600}, {"pose_id": 1, "duration_seconds": 600}, {"pose_id": 2, "duration_seconds": 600}, {"pose_id": 3, "duration_seconds": 600}, {"pose_id": 6, "duration_seconds": 600}, {"pose_id": 5, "duration_seconds": 600}, {"pose_id": 1, "duration_seconds": 600}]}),
                "poses",
            ),
            (
                json!({"poses": [{"pose_id": 10, "duration_seconds": 30}, {"pose_id": 5, "duration_seconds": 60}, {"pose_id": 1, "duration_seconds": 60}]}),
                "poses[0].side",
            ),
            (
                json!({"poses": [{"pose_id": 999999, "duration_seconds": 30}, {"pose_id": 5, "duration_seconds": 60}, {"pose_id": 1, "duration_seconds": 60}]}),
                "poses[0].pose_id",
            ),
            (
                json!({"poses": [{"pose_id": 6, "duration_seconds": 60, "position_order": 1}, {"pose_id": 5, "duration_seconds": 60, "position_order": 1}, {"pose_id": 1, "duration_seconds": 60, "position_order": 2}]}),
                "poses",
            ),
            (json!({"style": "ashtanga"}), "style"),
            (json!({"owner_id": 2}), "owner_id"),
        ] {
            let mut body = my_sequence("Broken");
            if let (Some(b), Some(c)) = (body.as_object_mut(), change.as_object()) {
                b.extend(c.clone());
            }
            let (status, resp) = s.post_json("/api/v1/sequences", body, Some(&token)).await;
            assert_eq!(status, 422, "{change}: {resp}");
            let fields: Vec<&str> = resp["detail"]
                .as_array()
                .map(|d| d.iter().filter_map(|e| e["field"].as_str()).collect())
                .unwrap_or_default();
            assert!(fields.contains(&field), "{field} not in {fields:?}");
        }

        // Private: the owner sees it in lists and by id; nobody else does.
        let (_, mine) = s
            .get_auth("/api/v1/sequences?preset_only=false", &token)
            .await;
        assert_eq!(mine["total"], 1);
        let (_, all_mine) = s.get_auth("/api/v1/sequences?page_size=100", &token).await;
        assert!(
            all_mine["sequences"]
                .as_array()
                .is_some_and(|l| l.iter().any(|q| q["sequence_id"] == id))
        );
        let (_, theirs) = s.get_auth("/api/v1/sequences?page_size=100", &other).await;
        assert!(
            theirs["sequences"]
                .as_array()
                .is_some_and(|l| l.iter().all(|q| q["sequence_id"] != id)),
            "never listed for others (1.0 leaked them)"
        );
        assert_eq!(
            s.get(&format!("/api/v1/sequences/{id}")).await.status(),
            404
        );
        assert_eq!(
            s.get_auth(&format!("/api/v1/sequences/{id}"), &other)
                .await
                .0,
            404
        );
        assert_eq!(
            s.get_auth(&format!("/api/v1/sequences/{id}"), &token)
                .await
                .0,
            200
        );
        assert_eq!(
            s.send_json(
                Method::PUT,
                &format!("/api/v1/sequences/{id}"),
                my_sequence("Hijacked"),
                Some(&other)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            s.send_json(
                Method::DELETE,
                &format!("/api/v1/sequences/{id}"),
                json!({}),
                Some(&other)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            s.post_json(
                &format!("/api/v1/sequences/{id}/share"),
                json!({}),
                Some(&other)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            s.post_json(
                "/api/v1/sessions/start",
                json!({"sequence_id": id}),
                Some(&other)
            )
            .await
            .0,
            404
        );
        assert_eq!(
            s.get_auth(&format!("/api/v1/sequences/{id}"), &token)
                .await
                .1["name"],
            "Evening Wind-Down",
            "unchanged"
        );
        // Presets cannot be edited by users.
        assert_eq!(
            s.send_json(
                Method::PUT,
                "/api/v1/sequences/1",
                my_sequence("Mine now"),
                Some(&token)
            )
            .await
            .0,
            404
        );

        // Edit, practise, duplicate.
        let (status, edited) = s
            .send_json(
                Method::PUT,
                &format!("/api/v1/sequences/{id}"),
                my_sequence("Evening Unwind"),
                Some(&token),
            )
            .await;
        assert_eq!(
            (status, edited["name"].as_str()),
            (200, Some("Evening Unwind"))
        );
        assert_eq!(
            s.post_json(
                "/api/v1/sessions/start",
                json!({"sequence_id": id}),
                Some(&token)
            )
            .await
            .0,
            201
        );
        let (status, copy) = s
            .post_json("/api/v1/sequences/1/duplicate", json!({}), Some(&token))
            .await;
        assert_eq!((status, copy["is_preset"].as_bool()), (201, Some(false)));
        assert!(
            copy["name"]
                .as_str()
                .is_some_and(|n| n.ends_with("(my copy)"))
        );

        // Share: anyone with the link opens it; revoking kills the link at once.
        let (status, share) = s
            .post_json(
                &format!("/api/v1/sequences/{id}/share"),
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(status, 200);
        let link_token = share["token"].as_str().unwrap_or_default().to_owned();
        assert!(
            link_token.len() >= 43
                && share["share_url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(&link_token))
        );
        let opened = s
            .get_json(&format!("/api/v1/shared/{link_token}"), 200)
            .await;
        assert_eq!(opened["name"], "Evening Unwind");
        let r = s
            .http
            .delete(s.url(&format!("/api/v1/sequences/{id}/share")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 204);
        s.get_json(&format!("/api/v1/shared/{link_token}"), 404)
            .await;
        s.get_json("/api/v1/shared/not-a-real-token", 404).await;

        let r = s
            .http
            .delete(s.url(&format!("/api/v1/sequences/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 204);
        assert_eq!(
            s.get_auth(&format!("/api/v1/sequences/{id}"), &token)
                .await
                .0,
            404
        );
        // Its practice history survives, without the sequence.
        let (_, history) = s.get_auth("/api/v1/history", &token).await;
        assert_eq!(history["total"], 1);
        assert!(history["sessions"][0]["sequence_id"].is_null());
    }
);

both!(recommendations_feed_and_export, |s| {
    let token = s.verified_token("zoe@example.org", 0).await;
    let other = s.verified_token("amy@example.org", 1).await;
    let (status, recs) = s.get_auth("/api/v1/recommendations", &token).await;
    assert_eq!(status, 200);
    let list = recs["recommendations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list.len(), 5);
    assert!(
        list.iter()
            .all(|r| r["sequence"]["difficulty_level"] != "advanced"),
        "a beginner is not sent to advanced work"
    );
    assert!(
        list.iter()
            .all(|r| r["reasons"].as_array().is_some_and(|a| !a.is_empty()))
    );
    // Practising a suggestion moves it down.
    let first = list[0]["sequence"]["sequence_id"].as_i64().unwrap_or(0);
    let (_, session) = s
        .post_json(
            "/api/v1/sessions/start",
            json!({"sequence_id": first}),
            Some(&token),
        )
        .await;
    s.post_json(
        "/api/v1/sessions/complete",
        json!({"session_id": session["session_id"], "duration_seconds": 40}),
        Some(&token),
    )
    .await;
    let (_, after) = s.get_auth("/api/v1/recommendations", &token).await;
    assert_ne!(
        after["recommendations"][0]["sequence"]["sequence_id"].as_i64(),
        Some(first)
    );

    // The private calendar feed.
    let (status, feed) = s
        .post_json("/api/v1/calendar/feed", json!({}), Some(&token))
        .await;
    assert_eq!(status, 200);
    let url = feed["url"].as_str().unwrap_or_default().to_owned();
    let path = url.strip_prefix(&s.base).unwrap_or(&url).to_owned();
    let r = s.get(&path).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/calendar")
    );
    let ics = r.text().await.unwrap_or_default();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    assert_eq!(
        s.get("/api/v1/calendar.ics?token=not-a-token")
            .await
            .status(),
        404
    );
    assert_eq!(s.get("/api/v1/calendar.ics").await.status(), 404);
    let r = s
        .http
        .delete(s.url("/api/v1/calendar/feed"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    assert_eq!(
        s.get(&path).await.status(),
        200,
        "another user's revoke does not touch this feed"
    );
    let r = s
        .http
        .delete(s.url("/api/v1/calendar/feed"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 204);
    assert_eq!(s.get(&path).await.status(), 404, "revoked");

    // The export carries all practice data.
    s.http
        .put(s.url("/api/v1/favorites/poses/1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, export) = s.get_auth("/api/v1/profile/export", &token).await;
    assert_eq!(
        export["practice_sessions"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(export["favorites"]["pose_ids"], json!([1]));
    assert_eq!(export["achievements"][0]["code"], "first_session");
    assert!(export.get("goals").is_some() && export.get("own_sequences").is_some());
});

both!(idempotency_keys_make_retries_safe, |s| {
    let token = s.verified_token("ida@example.org", 0).await;
    let other = s.verified_token("ike@example.org", 1).await;
    let post = |tok: &str, path: &str, key: &str, body: Value| {
        s.http
            .post(s.url(path))
            .bearer_auth(tok)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = post(
        &token,
        "/api/v1/sessions/start",
        "start-1",
        json!({"sequence_id": 4}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap_or_default();
    let again = post(
        &token,
        "/api/v1/sessions/start",
        "start-1",
        json!({"sequence_id": 4}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap_or_default();
    assert_eq!(
        again["session_id"], first["session_id"],
        "the same answer, one session"
    );
    let (_, history) = s.get_auth("/api/v1/history", &token).await;
    assert_eq!(history["total"], 1);
    let changed = post(
        &token,
        "/api/v1/sessions/start",
        "start-1",
        json!({"sequence_id": 5}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changed.status(), 422, "same key, different body");
    // Keys are per user: another user's identical key acts normally.
    let theirs = post(
        &other,
        "/api/v1/sessions/start",
        "start-1",
        json!({"sequence_id": 4}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(theirs.status(), 201);
    let theirs: Value = theirs.json().await.unwrap_or_default();
    assert_ne!(theirs["session_id"], first["session_id"]);
    // Concurrent retries of one completion act once.
    let complete = json!({"session_id": first["session_id"], "duration_seconds": 20});
    let mut handles = Vec::new();
    for _ in 0..6 {
        let (client, url, tok, body) = (
            s.http.clone(),
            s.url("/api/v1/sessions/complete"),
            token.clone(),
            complete.clone(),
        );
        handles.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(tok)
                .header("idempotency-key", "complete-1")
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }));
    }
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap_or(0));
    }
    assert!(
        statuses.iter().all(|st| *st == 200 || *st == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200));
    let (_, stats) = s.get_auth("/api/v1/stats", &token).await;
    assert_eq!(stats["total_sessions"], 1);
    let bad = s
        .http
        .post(s.url("/api/v1/sessions/start"))
        .bearer_auth(&token)
        .header("idempotency-key", "")
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status(), 422);
});
