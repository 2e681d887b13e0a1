//! Store contract tests, each run against SQLite and (with `TEST_DATABASE_URL`)
//! PostgreSQL, so the shared SQL texts are proven on both.

use std::path::PathBuf;
use time::macros::datetime;
use yogaflow_content::Library;
use yogaflow_core::catalog::{
    Category, Difficulty, FocusArea, Page, PoseQuery, SequenceQuery, Style, TargetArea,
};
use yogaflow_store::Db;

/// A throw-away database: a SQLite file in the target folder, or a new
/// PostgreSQL database dropped afterwards.
struct Scratch {
    db: Db,
    cleanup: Option<(String, String)>,
    dir: Option<PathBuf>,
}

impl Scratch {
    async fn sqlite() -> Scratch {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("store-{}", uuid::Uuid::new_v4().simple()));
        let db = Db::connect(None, &dir, 4)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        Scratch {
            db,
            cleanup: None,
            dir: Some(dir),
        }
    }

    async fn postgres() -> Option<Scratch> {
        let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("YOGAFLOW_REQUIRE_POSTGRES").is_err(),
                "TEST_DATABASE_URL is required"
            );
            return None;
        };
        let name = format!("yf_s_{}", uuid::Uuid::new_v4().simple());
        let admin_db = Db::connect(Some(&admin), std::path::Path::new("."), 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if let Db::Postgres(p) = &admin_db {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(p)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        admin_db.close().await;
        let (base, _) = admin.rsplit_once('/').unwrap_or((&admin, ""));
        let db = Db::connect(
            Some(&format!("{base}/{name}")),
            std::path::Path::new("."),
            4,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        db.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        Some(Scratch {
            db,
            cleanup: Some((admin, name)),
            dir: None,
        })
    }

    async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.cleanup {
            let admin_db = Db::connect(Some(&admin), std::path::Path::new("."), 1)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            if let Db::Postgres(p) = &admin_db {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(p)
                .await;
            }
            admin_db.close().await;
        }
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

macro_rules! on_both {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn body($db: &Db) $body
            #[tokio::test]
            async fn sqlite() {
                let s = Scratch::sqlite().await;
                body(&s.db).await;
                s.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(s) = Scratch::postgres().await {
                    body(&s.db).await;
                    s.finish().await;
                }
            }
        }
    };
}

async fn load(db: &Db, lib: &Library) -> yogaflow_store::LoadReport {
    db.load_library(
        &lib.poses,
        |ids| lib.sequences.iter().map(|s| s.to_draft(ids)).collect(),
        datetime!(2026-11-28 10:00 UTC),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn migration_sets_stay_in_step() {
    let (sqlite, postgres) = yogaflow_store::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs a twin with the same version and name"
    );
}

on_both!(
    loading_the_library_is_idempotent_and_keeps_user_data,
    |db| {
        let lib = Library::embedded().unwrap_or_else(|e| panic!("{e}"));
        let first = load(db, &lib).await;
        assert_eq!(first.poses_added, lib.poses.len());
        assert_eq!(first.sequences_added, lib.sequences.len());
        let v1 = db.catalog_version().await.unwrap_or(-1);

        // A sequence a user made must survive every reload.
        let sql = "INSERT INTO sequences (slug, name, search_name, description, difficulty, focus_area, style, \
               duration_minutes, transition_seconds, is_preset, owner_id, created_at, updated_at) \
               VALUES (NULL, 'Mine', 'mine', '', 'beginner', 'energy', 'gentle', 10, 0, FALSE, 42, 0, 0)";
        yogaflow_store::on_pool!(db, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected())).unwrap_or_else(|e| panic!("{e}"));

        let again = load(db, &lib).await;
        assert_eq!(
            (
                again.poses_added,
                again.poses_updated,
                again.poses_unchanged
            ),
            (0, 0, lib.poses.len())
        );
        assert_eq!((again.sequences_added, again.sequences_updated), (0, 0));
        assert_eq!(
            db.catalog_version().await.unwrap_or(-1),
            v1,
            "no change, no version bump"
        );

        let mut edited = lib.clone();
        edited.poses[0].description.push_str(" Edited.");
        let third = load(db, &edited).await;
        assert_eq!(
            (third.poses_updated, third.poses_unchanged),
            (1, lib.poses.len() - 1)
        );
        assert!(db.catalog_version().await.unwrap_or(-1) > v1);
        let pose = db
            .get_pose(1)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("pose 1"));
        assert!(pose.description.ends_with("Edited."));

        let mine = db
            .list_sequences(
                &SequenceQuery {
                    page: Page::Numbered { page: 1, size: 100 },
                    ..seq_query()
                },
                Some(42),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            mine.items
                .iter()
                .any(|(s, _, _)| s.name == "Mine" && s.owner_id == Some(42))
        );
        assert_eq!(mine.total as usize, lib.sequences.len() + 1);
        // Other viewers never see it.
        let other = db
            .list_sequences(
                &SequenceQuery {
                    page: Page::Numbered { page: 1, size: 100 },
                    ..seq_query()
                },
                Some(7),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.total as usize, lib.sequences.len());
        assert!(other.items.iter().all(|(s, _, _)| s.name != "Mine"));
    }
);

fn pose_query(
    category: Option<Category>,
    difficulty: Option<Difficulty>,
    target_area: Option<TargetArea>,
) -> PoseQuery {
    PoseQuery {
        search: None,
        category,
        difficulty,
        target_area,
        page: Page::Numbered { page: 1, size: 20 },
    }
}

fn seq_query() -> SequenceQuery {
    SequenceQuery::parse(&[]).unwrap_or_else(|e| panic!("{e:?}"))
}

on_both!(every_filter_and_sort_is_served_by_an_index, |db| {
    let lib = Library::embedded().unwrap_or_else(|e| panic!("{e}"));
    load(db, &lib).await;
    let pose_queries = [
        ("sort by name", pose_query(None, None, None)),
        ("category", pose_query(Some(Category::Seated), None, None)),
        (
            "difficulty",
            pose_query(None, Some(Difficulty::Beginner), None),
        ),
        (
            "target_area",
            pose_query(None, None, Some(TargetArea::Hips)),
        ),
    ];
    let mut plans = Vec::new();
    for (what, q) in pose_queries {
        plans.push((
            what,
            db.explain_pose_list(&q)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        ));
    }
    let seq_filters = [
        ("presets by name", seq_query()),
        (
            "sequence difficulty",
            SequenceQuery {
                difficulty: Some(Difficulty::Advanced),
                ..seq_query()
            },
        ),
        (
            "focus_area",
            SequenceQuery {
                focus_area: Some(FocusArea::Core),
                ..seq_query()
            },
        ),
        (
            "style",
            SequenceQuery {
                style: Some(Style::Yin),
                ..seq_query()
            },
        ),
        (
            "duration",
            SequenceQuery {
                min_duration: Some(30),
                max_duration: Some(40),
                ..seq_query()
            },
        ),
    ];
    for (what, q) in seq_filters {
        plans.push((
            what,
            db.explain_sequence_list(&q, None)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        ));
    }
    plans.push((
        "own sequences",
        db.explain_sequence_list(
            &SequenceQuery {
                preset_only: Some(false),
                ..seq_query()
            },
            Some(3),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}")),
    ));
    for (what, plan) in plans {
        match db {
            Db::Postgres(_) => {
                assert!(plan.contains("Index"), "{what}: no index in\n{plan}");
                assert!(
                    !plan.contains("Seq Scan on poses") && !plan.contains("Seq Scan on sequences"),
                    "{what}: full scan in\n{plan}"
                );
            }
            Db::Sqlite(_) => {
                assert!(
                    plan.contains("USING INDEX")
                        || plan.contains("USING COVERING INDEX")
                        || plan.contains("PRIMARY KEY"),
                    "{what}: no index in\n{plan}"
                );
            }
        }
    }
});

on_both!(uploaded_images_are_stored_listed_and_deleted, |db| {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    for (name, minute) in [("a1.png", 1), ("b2.webp", 2)] {
        let image = yogaflow_store::NewImage {
            name,
            content_type: "image/png",
            bytes: &bytes,
            width: 40,
            height: 30,
            uploaded_by: 0,
            now: datetime!(2026-11-28 10:00 UTC) + time::Duration::minutes(minute),
        };
        // No such user: the image is stored without an uploader.
        let image = yogaflow_store::NewImage {
            uploaded_by: -1,
            ..image
        };
        let stored = db.insert_image(&image).await;
        assert!(
            stored.is_err(),
            "an unknown uploader is refused by the foreign key"
        );
        let admin = yogaflow_store::NewUser {
            email: &format!("{minute}@example.org"),
            name: "Uploader",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            experience_level: yogaflow_core::catalog::Difficulty::Beginner,
            role: yogaflow_core::accounts::Role::Admin,
            email_verified: true,
        };
        let id = db
            .create_user(&admin, datetime!(2026-11-28 09:00 UTC))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("user exists"));
        db.insert_image(&yogaflow_store::NewImage {
            uploaded_by: id,
            ..image
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let list = db.list_images().await.unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["b2.webp", "a1.png"], "newest first");
    assert_eq!(
        (list[0].size, list[0].width, list[0].height),
        (3000, 40, 30)
    );
    let (kind, back) = db
        .image("a1.png")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("missing"));
    assert_eq!((kind.as_str(), back), ("image/png", bytes));
    assert!(db.delete_image("a1.png").await.unwrap_or_default());
    assert!(!db.delete_image("a1.png").await.unwrap_or(true));
    assert!(db.image("a1.png").await.unwrap_or_default().is_none());
});

on_both!(migration_history_is_compared_with_the_built_in_set, |db| {
    let status = db.schema_status().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(status.is_current(), "{status:?}");
    let (built_in, _) = yogaflow_store::migration_versions();
    assert_eq!(status.applied.len(), built_in.len());

    // A migration from a newer binary, and a built-in one edited after it ran.
    yogaflow_store::on_pool!(db, p => {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, 'from the future', TRUE, $2, 0)",
        )
        .bind(99_999_i64)
        .bind(vec![0_u8; 48])
        .execute(p)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = $2")
            .bind(vec![1_u8; 48])
            .bind(built_in[0].0)
            .execute(p)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let status = db.schema_status().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.unknown, vec![99_999]);
    assert_eq!(status.altered, vec![built_in[0].0]);
    assert!(status.pending.is_empty() && !status.is_ours());
});

#[tokio::test]
async fn sqlite_copies_are_whole_and_checked_before_restoring() {
    let s = Scratch::sqlite().await;
    let lib = Library::embedded().unwrap_or_else(|e| panic!("{e}"));
    load(&s.db, &lib).await;
    let dir = s.dir.clone().unwrap_or_default();
    let copy = dir.join("copy.db");
    s.db.backup_into(&copy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // VACUUM INTO never overwrites.
    assert!(s.db.backup_into(&copy).await.is_err());
    let status = yogaflow_store::check_restorable(&copy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.is_current(), "{status:?}");
    let opened = yogaflow_store::open_sqlite_read_only(&copy)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        opened.catalog_version().await.ok(),
        s.db.catalog_version().await.ok()
    );
    assert!(opened.quick_check().await.is_ok_and(|p| p.is_none()));
    opened.close().await;

    let junk = dir.join("junk.db");
    std::fs::write(&junk, vec![7_u8; 8192]).unwrap_or_else(|e| panic!("{e}"));
    assert!(yogaflow_store::check_restorable(&junk).await.is_err());
    s.finish().await;
}

on_both!(import_v1_records_land_once_with_their_map_row, |db| {
    use yogaflow_core::accounts::Role;
    use yogaflow_core::catalog::{SequenceDraft, SlotDraft};
    use yogaflow_core::practice::{SessionKind, SessionStatus};
    use yogaflow_store::{ImportKind, ImportedSession, ImportedUser};
    let ok = |e: yogaflow_store::StoreError| -> ! { panic!("{e}") };
    let lib = Library::embedded().unwrap_or_else(|e| panic!("{e}"));
    load(db, &lib).await;
    let now = datetime!(2026-11-28 10:00 UTC);

    // 1.0's 80 poses keep their numbers; presets are found by name.
    let poses = db.pose_ids_by_v1().await.unwrap_or_else(|e| ok(e));
    assert_eq!(poses.len(), 80);
    let presets = db.preset_ids_by_name().await.unwrap_or_else(|e| ok(e));
    assert!(presets.contains_key("gentle evening unwind"));

    let hash = "$2b$04$GV/59KcEA8jdL0PE./fqC.bj2WyAYXbfcErSuVO.XicIx/UZKhy2q";
    let user = ImportedUser {
        email: "tom@example.com",
        name: "Tom",
        password_hash: hash,
        experience_level: Difficulty::Intermediate,
        email_verified: true,
        created_at: datetime!(2025-02-03 19:00 UTC),
        last_login: Some(datetime!(2025-11-01 07:00 UTC)),
    };
    let id = db
        .import_v1_user(&user, 2, now)
        .await
        .unwrap_or_else(|e| ok(e));
    let id = id.unwrap_or_else(|| panic!("new address"));
    let (stored, stored_hash) = db
        .user_by_email("tom@example.com")
        .await
        .unwrap_or_else(|e| ok(e))
        .unwrap_or_else(|| panic!("stored"));
    assert_eq!(
        stored_hash, hash,
        "the bcrypt hash is kept for the next sign-in"
    );
    assert_eq!(stored.role, Role::User);
    assert_eq!(stored.created_at, datetime!(2025-02-03 19:00 UTC));
    assert_eq!(stored.tokens_valid_after, now);
    // A taken address is refused and leaves no map row; a 1.0 id already mapped fails whole.
    assert_eq!(db.import_v1_user(&user, 3, now).await.ok(), Some(None));
    let other = ImportedUser {
        email: "other@example.com",
        ..user
    };
    assert!(db.import_v1_user(&other, 2, now).await.is_err());
    assert!(
        db.user_by_email("other@example.com")
            .await
            .ok()
            .flatten()
            .is_none()
    );

    let slots = [1, 20, 2]
        .iter()
        .map(|v1| SlotDraft {
            pose_id: poses[v1],
            seconds: 60,
            side: None,
            note: String::new(),
        })
        .collect();
    let draft = SequenceDraft {
        slug: None,
        name: "Office Reset".into(),
        description: String::new(),
        difficulty: Difficulty::Beginner,
        focus_area: FocusArea::Flexibility,
        style: Style::Gentle,
        duration_minutes: 5,
        transition_seconds: 0,
        is_preset: false,
        owner_id: Some(id),
        slots,
    };
    let created = datetime!(2025-06-01 12:00 UTC);
    let seq = db
        .import_v1_sequence(&draft, 10, created, created, now)
        .await
        .unwrap_or_else(|e| ok(e));
    let stored = db.get_sequence(seq).await.unwrap_or_else(|e| ok(e));
    let stored = stored.unwrap_or_else(|| panic!("stored"));
    assert_eq!(
        (stored.owner_id, stored.is_preset, stored.slots.len()),
        (Some(id), false, 3)
    );
    assert_eq!(stored.created_at, created);

    let session = ImportedSession {
        user_id: id,
        kind: SessionKind::Sequence,
        sequence_id: Some(seq),
        status: SessionStatus::Partial,
        started_at: datetime!(2025-10-02 07:00 UTC),
        completed_at: Some(datetime!(2025-10-02 07:08 UTC)),
        duration_seconds: 480,
    };
    let before = db
        .user_by_id(id)
        .await
        .ok()
        .flatten()
        .map(|u| u.practice_version);
    let sid = db
        .import_v1_session(&session, 8, now)
        .await
        .unwrap_or_else(|e| ok(e));
    let stored = db.practice_session(sid).await.unwrap_or_else(|e| ok(e));
    let stored = stored.unwrap_or_else(|| panic!("stored"));
    assert_eq!(
        (stored.status, stored.duration_seconds),
        (SessionStatus::Partial, 480)
    );
    assert_eq!(stored.sequence_name.as_deref(), Some("Office Reset"));
    let after = db
        .user_by_id(id)
        .await
        .ok()
        .flatten()
        .map(|u| u.practice_version);
    assert!(after > before, "cached statistics must be recomputed");

    for (kind, old, new) in [
        (ImportKind::User, 2, id),
        (ImportKind::Sequence, 10, seq),
        (ImportKind::Session, 8, sid),
    ] {
        let ids = db.import_v1_ids(kind).await.unwrap_or_else(|e| ok(e));
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), [(old, Some(new))]);
    }
    // An account deleted here stays mapped, so no later run brings it back.
    db.delete_user(id).await.unwrap_or_else(|e| ok(e));
    let ids = db
        .import_v1_ids(ImportKind::User)
        .await
        .unwrap_or_else(|e| ok(e));
    assert_eq!(ids.get(&2), Some(&None));
});

mod admin_writes {
    use super::*;
    use yogaflow_core::accounts::Role;
    use yogaflow_core::catalog::{ContentAction, ContentKind};
    use yogaflow_store::{AdminWrite, ContentChange, NewUser};

    async fn admin(db: &Db) -> i64 {
        let new = NewUser {
            email: "root@example.org",
            name: "Root",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            experience_level: Difficulty::Beginner,
            role: Role::Admin,
            email_verified: true,
        };
        db.create_user(&new, datetime!(2026-11-28 10:00 UTC))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("user exists"))
    }

    fn change(actor: i64, action: ContentAction, base: i64, after: &str) -> ContentChange<'_> {
        ContentChange {
            actor,
            action,
            base_version: base,
            before: None,
            after: Some(after),
            now: datetime!(2026-11-28 11:00 UTC),
        }
    }

    on_both!(
        writes_keep_history_bump_the_version_and_refuse_stale_edits,
        |db| {
            let lib = Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
            load(db, &lib).await;
            let actor = admin(db).await;
            let version = db.catalog_version().await.unwrap_or_else(|e| panic!("{e}"));
            let mut draft = lib.poses[0].clone();
            draft.slug = "store-test-pose".into();
            draft.v1_id = None;
            let created = db
                .admin_insert_pose(
                    None,
                    &draft,
                    &change(actor, ContentAction::Create, 0, "{\"v\":1}"),
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let AdminWrite::Done { id, version: 1 } = created else {
                panic!("{created:?}")
            };
            assert!(db.catalog_version().await.unwrap_or_default() > version);
            draft.description = "Changed.".into();
            let updated = db
                .admin_update_pose(
                    id,
                    &draft,
                    &change(actor, ContentAction::Update, 1, "{\"v\":2}"),
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(updated, AdminWrite::Done { id, version: 2 });
            // A second edit made from version 1 is refused, and writes nothing.
            draft.description = "Stale.".into();
            let stale = db
                .admin_update_pose(
                    id,
                    &draft,
                    &change(actor, ContentAction::Update, 1, "{\"v\":9}"),
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(stale, AdminWrite::Conflict);
            let pose = db
                .get_pose(id)
                .await
                .unwrap_or_default()
                .unwrap_or_else(|| panic!("gone"));
            assert_eq!(pose.description, "Changed.");
            let history = db
                .content_history(ContentKind::Pose, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(history.len(), 2);
            assert_eq!(history[0].action, ContentAction::Update);
            assert_eq!(history[0].actor_email.as_deref(), Some("root@example.org"));
            assert_eq!(history[0].after_json.as_deref(), Some("{\"v\":2}"));
            assert_eq!(
                db.history_head(ContentKind::Pose, id)
                    .await
                    .unwrap_or_default(),
                2
            );
        }
    );

    on_both!(a_pose_in_a_sequence_is_not_deleted, |db| {
        let lib = Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        load(db, &lib).await;
        let actor = admin(db).await;
        let q = SequenceQuery::parse(&[]).unwrap_or_else(|e| panic!("{e:?}"));
        let page = db
            .list_sequences(&q, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let first = page
            .items
            .first()
            .map(|(s, _, _)| s.id)
            .unwrap_or_else(|| panic!("no presets"));
        let stored = db
            .get_sequence(first)
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("gone"));
        let pose_id = stored.slots[0].pose_id;
        let outcome = db
            .admin_delete_pose(pose_id, &change(actor, ContentAction::Delete, 0, "{}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let AdminWrite::InUse(uses) = outcome else {
            panic!("{outcome:?}")
        };
        assert!(uses.iter().any(|u| u.id == first && u.is_preset));
        assert!(db.get_pose(pose_id).await.unwrap_or_default().is_some());
        assert!(
            db.content_history(ContentKind::Pose, pose_id)
                .await
                .unwrap_or_default()
                .is_empty()
        );
        let missing = db
            .admin_delete_sequence(999_999, &change(actor, ContentAction::Delete, 0, "{}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(missing, AdminWrite::NotFound);
    });
}

mod admin_edits_and_library_loads {
    use super::*;
    use yogaflow_core::accounts::Role;
    use yogaflow_core::catalog::ContentAction;
    use yogaflow_store::{AdminWrite, ContentChange, NewUser};

    on_both!(an_admin_edit_survives_loads_until_its_file_changes, |db| {
        let mut lib = Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        load(db, &lib).await;
        let new = NewUser {
            email: "editor@example.org",
            name: "Editor",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            experience_level: Difficulty::Beginner,
            role: Role::Admin,
            email_verified: true,
        };
        let actor = db
            .create_user(&new, datetime!(2026-11-28 10:00 UTC))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("user exists"));
        let pose = db.all_poses().await.unwrap_or_else(|e| panic!("{e}"))[0].clone();
        let mut edited = pose.draft.clone();
        edited.description = "Edited by an admin.".into();
        let change = ContentChange {
            actor,
            action: ContentAction::Update,
            base_version: 0,
            before: None,
            after: Some("{}"),
            now: datetime!(2026-11-28 11:00 UTC),
        };
        let outcome = db
            .admin_update_pose(pose.id, &edited, &change)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(outcome, AdminWrite::Done { .. }), "{outcome:?}");
        // A restart loads the same files: the admin's edit stays.
        let report = load(db, &lib).await;
        assert!(!report.changed(), "{report:?}");
        let now = db
            .get_pose(pose.id)
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(now.description, "Edited by an admin.");
        // The file changes (say, the admin's export is committed with review edits): it wins.
        let file = lib
            .poses
            .iter_mut()
            .find(|p| p.slug == pose.slug)
            .unwrap_or_else(|| panic!("slug"));
        file.description = "Reviewed text.".into();
        let report = load(db, &lib).await;
        assert_eq!(report.poses_updated, 1, "{report:?}");
        let now = db
            .get_pose(pose.id)
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(now.description, "Reviewed text.");
    });

    on_both!(an_upgrade_adds_figures_and_keeps_admin_edits, |db| {
        let lib = Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        load(db, &lib).await;
        // The database as a release without figures left it: no figure, the old
        // fingerprint, and an admin's edit to the description.
        let file = &lib.poses[0];
        let mut loaded = file.clone();
        loaded.image_urls.clear();
        let legacy = yogaflow_store::pose_fingerprint_before_figures(&loaded);
        const OLD: &str = "UPDATE poses SET figure = NULL, content_hash = $1, description = 'Kept admin text.' WHERE slug = $2";
        match db {
            Db::Sqlite(p) => sqlx::query(OLD)
                .bind(&legacy)
                .bind(&file.slug)
                .execute(p)
                .await
                .map(|_| ()),
            Db::Postgres(p) => sqlx::query(OLD)
                .bind(&legacy)
                .bind(&file.slug)
                .execute(p)
                .await
                .map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        let report = load(db, &lib).await;
        assert_eq!(report.poses_updated, 1, "{report:?}");
        let poses = db.all_poses().await.unwrap_or_else(|e| panic!("{e}"));
        let now = poses
            .iter()
            .find(|p| p.slug == file.slug)
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(now.description, "Kept admin text.");
        assert_eq!(now.figure, file.figure);
        assert!(now.figure.is_some());
        // Done once: the next load finds nothing to do.
        assert!(!load(db, &lib).await.changed());
    });

    on_both!(a_deleted_entry_stays_deleted_and_a_restore_stays, |db| {
        let lib = Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        load(db, &lib).await;
        let new = NewUser {
            email: "editor@example.org",
            name: "Editor",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            experience_level: Difficulty::Beginner,
            role: Role::Admin,
            email_verified: true,
        };
        let actor = db
            .create_user(&new, datetime!(2026-11-28 10:00 UTC))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("user exists"));
        let mut unused = None;
        for p in db.all_poses().await.unwrap_or_else(|e| panic!("{e}")) {
            if db
                .presets_using_pose(p.id)
                .await
                .unwrap_or_default()
                .is_empty()
            {
                unused = Some(p);
                break;
            }
        }
        let pose = unused.unwrap_or_else(|| panic!("every pose is in a preset"));
        let before = format!("{{\"slug\":\"{}\"}}", pose.slug);
        let change = ContentChange {
            actor,
            action: ContentAction::Delete,
            base_version: 0,
            before: Some(&before),
            after: None,
            now: datetime!(2026-11-28 11:00 UTC),
        };
        let outcome = db
            .admin_delete_pose(pose.id, &change)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(outcome, AdminWrite::Done { .. }), "{outcome:?}");
        let report = load(db, &lib).await;
        assert_eq!(
            report.poses_added, 0,
            "a load does not undo a deletion: {report:?}"
        );
        assert!(db.get_pose(pose.id).await.unwrap_or_default().is_none());
        // Restored (with an older text): the next load keeps the restored version.
        let mut restored = pose.draft.clone();
        restored.description = "An older text.".into();
        let change = ContentChange {
            action: ContentAction::Restore,
            base_version: 1,
            before: None,
            after: Some("{}"),
            ..change
        };
        let outcome = db
            .admin_insert_pose(Some(pose.id), &restored, &change)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(outcome, AdminWrite::Done { version: 2, .. }),
            "{outcome:?}"
        );
        let report = load(db, &lib).await;
        assert!(!report.changed(), "{report:?}");
        let now = db
            .get_pose(pose.id)
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(now.description, "An older text.");
    });
}
