use super::*;
use crate::import_v1::read::V1Slot;

fn v1_user() -> V1User {
    V1User {
        user_id: 1,
        email: "Maya.Patel@Example.com".into(),
        password_hash: "$2b$12$wkBupIW..3WnvhyUxmQSHOHDuOypDtX9/N4mnXeqe5V4BFqUyPYMW".into(),
        name: "  Maya\u{7} Patel ".into(),
        experience_level: Some("INTERMEDIATE".into()),
        email_verified: true,
        is_active: true,
        created_us: 0,
        last_login_us: None,
    }
}

fn v1_sequence(slots: &[(i64, i64)]) -> V1Sequence {
    V1Sequence {
        sequence_id: 11,
        name: "Hip Flow".into(),
        description: None,
        difficulty_level: "intermediate".into(),
        duration_minutes: 12,
        focus_area: "FLEXIBILITY".into(),
        style: "yin".into(),
        is_preset: false,
        created_by: Some(1),
        created_us: 0,
        updated_us: 0,
        slots: slots
            .iter()
            .map(|&(pose_id, duration_seconds)| V1Slot {
                sequence_id: 11,
                pose_id,
                duration_seconds,
            })
            .collect(),
    }
}

fn v1_session(status: &str, completed: Option<i64>, seconds: i64) -> V1Session {
    V1Session {
        session_id: 3,
        user_id: 1,
        sequence_id: Some(11),
        started_us: 1_000_000_000_000,
        completed_us: completed,
        duration_seconds: seconds,
        completion_status: status.into(),
    }
}

#[test]
fn enum_values_are_read_as_member_names_or_wire_values() {
    assert_eq!(
        vocab("FORWARD_BENDS", yogaflow_core::catalog::Category::parse).map(|c| c.as_str()),
        Some("forward_bends")
    );
    assert_eq!(vocab("yin", Style::parse), Some(Style::Yin));
    assert_eq!(vocab(" Energy ", FocusArea::parse), Some(FocusArea::Energy));
    assert_eq!(vocab("MOBILITY", Style::parse), None);
    // 1.0's content-only spelling is not a stored value.
    assert_eq!(
        vocab("hip_opener", yogaflow_core::catalog::Category::parse),
        None
    );
}

#[test]
fn users_keep_their_bcrypt_hash_and_get_a_normal_address() {
    let m = user(&v1_user());
    assert_eq!(
        m,
        Ok(MappedUser {
            email: "maya.patel@example.com".into(),
            name: "Maya Patel".into(),
            level: Difficulty::Intermediate,
        })
    );
    let mut u = v1_user();
    u.experience_level = None;
    u.name = " ".into();
    let m = user(&u).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (m.level, m.name.as_str()),
        (Difficulty::Beginner, "maya.patel")
    );
    u.name = "x".repeat(300);
    assert_eq!(user(&u).map(|m| m.name.chars().count()), Ok(100));
}

#[test]
fn users_that_cannot_move_say_why() {
    let mut u = v1_user();
    u.is_active = false;
    assert_eq!(user(&u), Err("deactivated in 1.0".into()));
    let mut u = v1_user();
    u.email = "not-an-email".into();
    assert!(user(&u).is_err_and(|e| e.contains("not a valid address")));
    let mut u = v1_user();
    u.password_hash = "pbkdf2_sha256$600000$c2FsdA$aGFzaA".into();
    assert!(user(&u).is_err_and(|e| e.contains("not bcrypt")));
    u.password_hash = "$2b$12$short".into();
    assert!(user(&u).is_err());
}

#[test]
fn case_twins_go_to_the_single_verified_account_or_to_nobody() {
    let losers = case_twins(&[
        (4, "sam@x.net".into(), true),
        (5, "sam@x.net".into(), false),
        (6, "kim@x.net".into(), false),
        (7, "kim@x.net".into(), false),
        (8, "ann@x.net".into(), true),
        (9, "ann@x.net".into(), true),
        (10, "solo@x.net".into(), false),
    ]);
    let mut ids: Vec<i64> = losers.keys().copied().collect();
    ids.sort_unstable();
    assert_eq!(ids, [5, 6, 7, 8, 9]);
    assert!(losers[&5].contains("#4"));
    assert!(losers[&6].contains("none verified"));
    assert!(losers[&8].contains("several verified"));
}

#[test]
fn sequences_map_poses_by_their_1_0_number_in_order() {
    let poses: HashMap<i64, i64> = [(3, 103), (20, 120), (34, 134)].into();
    let draft = sequence(
        &v1_sequence(&[(3, 60), (20, 90), (20, 90), (34, 120)]),
        42,
        &poses,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let slots: Vec<(i64, u32)> = draft.slots.iter().map(|s| (s.pose_id, s.seconds)).collect();
    assert_eq!(slots, [(103, 60), (120, 90), (120, 90), (134, 120)]);
    assert_eq!(draft.owner_id, Some(42));
    assert!(!draft.is_preset && draft.slug.is_none());
    assert_eq!(draft.transition_seconds, 0);
    assert_eq!(
        (draft.focus_area, draft.style),
        (FocusArea::Flexibility, Style::Yin)
    );
}

#[test]
fn sequences_that_break_our_rules_are_skipped_with_the_rule() {
    let poses: HashMap<i64, i64> = [(1, 1), (2, 2), (7, 7)].into();
    let reason = |s: &V1Sequence| sequence(s, 1, &poses).err().unwrap_or_default();
    assert_eq!(reason(&v1_sequence(&[])), "it has no poses");
    assert!(reason(&v1_sequence(&[(1, 60), (2, 60)])).contains("at least 3"));
    assert!(reason(&v1_sequence(&[(1, 60), (81, 60), (2, 60)])).contains("#81"));
    assert!(reason(&v1_sequence(&[(1, 900), (2, 60), (7, 60)])).contains("10 to 600"));
    let mut s = v1_sequence(&[(1, 60), (2, 60), (7, 60)]);
    s.style = "MOBILITY".into();
    assert_eq!(reason(&s), "unknown style `MOBILITY`");
}

#[test]
fn sessions_keep_status_and_time_and_open_ones_end_abandoned() {
    let done = session(
        &v1_session("PARTIAL", Some(1_000_900_000_000), 900),
        5,
        Some(77),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (done.status, done.kind, done.sequence_id),
        (SessionStatus::Partial, SessionKind::Sequence, Some(77))
    );
    assert_eq!(done.completed_at, Some(from_micros(1_000_900_000_000)));
    let open =
        session(&v1_session("COMPLETED", None, 120), 5, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(open.status, SessionStatus::Abandoned);
    assert_eq!(open.completed_at, Some(from_micros(1_000_120_000_000)));
    assert_eq!(
        open.kind,
        SessionKind::Sequence,
        "it was a sequence, now unknown"
    );
    let mut free = v1_session("completed", Some(1_000_600_000_000), 600);
    free.sequence_id = None;
    assert_eq!(
        session(&free, 5, None).map(|s| s.kind).ok(),
        Some(SessionKind::Free)
    );
}

#[test]
fn sessions_outside_our_rules_are_skipped() {
    assert!(
        session(&v1_session("SKIPPED", None, 1), 1, None).is_err_and(|e| e.contains("`SKIPPED`"))
    );
    assert!(session(&v1_session("in_progress", None, 1), 1, None).is_err());
    assert!(
        session(&v1_session("COMPLETED", None, 20_000), 1, None)
            .is_err_and(|e| e.contains("20000"))
    );
    assert!(session(&v1_session("COMPLETED", None, -1), 1, None).is_err());
}
