use super::*;

/// 1.0's pose ids and English names (facts from the 1.0 reference).
const V1_POSES: &str = include_str!("v1_pose_names.tsv");

fn library() -> Library {
    Library::embedded().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bundled_library_is_valid_and_large_enough() {
    let lib = library();
    assert!(lib.poses.len() >= 120, "only {} poses", lib.poses.len());
    assert!(
        lib.sequences.len() >= 40,
        "only {} sequences",
        lib.sequences.len()
    );
    assert!(
        lib.breathing.len() >= 10,
        "only {} breathing exercises",
        lib.breathing.len()
    );
}

#[test]
fn every_category_and_level_is_covered() {
    use yogaflow_core::catalog::{Category, Difficulty, FocusArea, Style};
    let lib = library();
    for c in Category::ALL {
        assert!(lib.poses.iter().any(|p| p.category == *c), "no pose in {c}");
    }
    for d in Difficulty::ALL {
        assert!(lib.poses.iter().any(|p| p.difficulty == *d), "no {d} pose");
        assert!(
            lib.sequences.iter().any(|s| s.difficulty == *d),
            "no {d} sequence"
        );
    }
    for f in FocusArea::ALL {
        assert!(
            lib.sequences.iter().any(|s| s.focus_area == *f),
            "no {f} sequence"
        );
    }
    for s in Style::ALL {
        assert!(
            lib.sequences.iter().any(|q| q.style == *s),
            "no {s} sequence"
        );
    }
    let minutes: Vec<u32> = lib.sequences.iter().map(|s| s.duration_minutes).collect();
    assert!(minutes.iter().any(|m| *m <= 15), "no short sequence");
    assert!(minutes.iter().any(|m| *m >= 60), "no long sequence");
    assert!(minutes.iter().all(|m| (10..=75).contains(m)));
}

#[test]
fn every_pose_of_one_point_oh_keeps_its_number_and_name() {
    let lib = library();
    for line in V1_POSES.lines() {
        let (id, name) = line.split_once('\t').unwrap_or_default();
        let id: i64 = id.trim_start_matches("pose_").parse().unwrap_or_default();
        let pose = lib.poses.iter().find(|p| p.v1_id == Some(id));
        assert_eq!(
            pose.map(|p| p.english_name.as_str()),
            Some(name),
            "1.0 pose {id}"
        );
    }
    // 1.0 poses come first so a fresh database numbers them 1..=80.
    assert!(lib.poses.iter().take(80).all(|p| p.v1_id.is_some()));
}

#[test]
fn required_breathing_exercises_are_present() {
    let lib = library();
    for slug in [
        "sama-vritti",
        "nadi-shodhana",
        "bhastrika",
        "sitali",
        "ujjayi",
        "box-breathing",
    ] {
        assert!(
            lib.breathing.iter().any(|b| b.slug == slug),
            "missing {slug}"
        );
    }
}

#[test]
fn no_banned_health_claims_in_the_library() {
    let banned = [
        "cure",
        "heal",
        "treat ",
        "detox",
        "boost immunity",
        "burn fat",
        "massage the organs",
        "safe for everyone",
    ];
    let lib = library();
    for p in &lib.poses {
        let text = [
            p.description.clone(),
            p.benefits.join(" "),
            p.instructions.join(" "),
        ]
        .join(" ")
        .to_lowercase();
        for word in banned {
            assert!(!text.contains(word), "{} uses '{word}'", p.slug);
        }
    }
}

fn pose_toml(slug: &str) -> String {
    format!(
        r#"slug = "{slug}"
english_name = "Test {slug}"
sanskrit_iast = ""
sanskrit_ascii = ""
category = "standing"
difficulty = "beginner"
sided = false
hold = {{ value = 30, unit = "seconds" }}
target_areas = ["feet", "core"]
props = []
breath_cue = "Breathe."
description = "A pose."
instructions = ["a", "b", "c", "d", "e"]
benefits = ["a", "b"]
contraindications = ["a", "b"]
modifications = ["a", "b"]
common_mistakes = ["a", "b"]
safety_note = "Stop if it hurts."
"#
    )
}

fn files(list: &[(&str, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| ((*p).to_owned(), t.clone()))
        .collect()
}

#[test]
fn unknown_pose_in_a_sequence_names_file_and_slot() {
    let seq = r#"slug = "s"
name = "Short one"
description = "x"
difficulty = "beginner"
focus_area = "energy"
style = "gentle"
duration_minutes = 2
transition_seconds = 0
[[slots]]
pose = "a"
seconds = 40
[[slots]]
pose = "a"
seconds = 40
[[slots]]
pose = "ghost"
seconds = 40
"#;
    let err = Library::parse(files(&[
        ("poses/a.toml", pose_toml("a")),
        ("sequences/s.toml", seq.to_owned()),
    ]))
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    let text = err.to_string();
    assert!(text.contains("sequences/s.toml [slots[2] ghost]"), "{text}");
}

#[test]
fn missing_field_and_bad_slug_are_reported_per_file() {
    let broken = pose_toml("b").replace("difficulty = \"beginner\"\n", "");
    let err = Library::parse(files(&[
        ("poses/a.toml", pose_toml("a")),
        ("poses/b.toml", broken),
        ("poses/c.toml", pose_toml("not-c")),
    ]))
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    let text = err.to_string();
    assert!(
        text.contains("poses/b.toml") && text.contains("difficulty"),
        "{text}"
    );
    assert!(text.contains("poses/c.toml [slug]"), "{text}");
}

#[test]
fn duplicate_slugs_are_refused() {
    let err = Library::parse(files(&[
        ("poses/a.toml", pose_toml("a")),
        ("poses/sub/a.toml", pose_toml("a")),
    ]))
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    assert!(err.to_string().contains("more than one entry"), "{err}");
}

#[test]
fn every_library_pose_passes_the_admin_rules() {
    let lib = crate::Library::embedded().unwrap_or_else(|e| panic!("{e:?}"));
    for pose in &lib.poses {
        if let Err(errors) = pose.check() {
            panic!("{}: {errors:?}", pose.slug);
        }
    }
}

#[test]
fn exported_files_read_back_as_the_same_library() {
    let lib = library();
    let slugs: std::collections::HashMap<String, i64> = lib
        .poses
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i64::try_from(i).unwrap_or(0) + 1))
        .collect();
    let by_id: std::collections::HashMap<i64, String> =
        slugs.iter().map(|(s, id)| (*id, s.clone())).collect();
    let mut files = Vec::new();
    for p in &lib.poses {
        let text = crate::pose_file::pose_toml(p).unwrap_or_else(|e| panic!("{e}"));
        files.push((format!("poses/{}.toml", p.slug), text));
        // As `content export` writes figures: the whole file, slug line included.
        if let Some(description) = &p.figure {
            let figure = yogaflow_core::catalog::read_figure(&p.slug, description)
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.slug));
            files.push((
                format!("figures/{}.toml", p.slug),
                yogaflow_figures::to_toml(&figure),
            ));
        }
    }
    for s in &lib.sequences {
        let draft = s.to_draft(&slugs);
        let stored = yogaflow_core::catalog::Sequence {
            id: 1,
            slug: draft.slug.clone(),
            name: draft.name.clone(),
            description: draft.description.clone(),
            difficulty: draft.difficulty,
            focus_area: draft.focus_area,
            style: draft.style,
            duration_minutes: draft.duration_minutes,
            transition_seconds: draft.transition_seconds,
            is_preset: true,
            owner_id: None,
            slots: draft
                .slots
                .iter()
                .enumerate()
                .map(|(i, d)| yogaflow_core::catalog::SequenceSlot {
                    id: 0,
                    position: u32::try_from(i + 1).unwrap_or(0),
                    pose_id: d.pose_id,
                    seconds: d.seconds,
                    side: d.side,
                    note: d.note.clone(),
                })
                .collect(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        let entry =
            PresetSequence::from_stored(&stored, &by_id).unwrap_or_else(|| panic!("{}", s.slug));
        assert!(entry.same_entry(s), "{}", s.slug);
        let text = entry.to_toml().unwrap_or_else(|e| panic!("{e}"));
        files.push((format!("sequences/{}.toml", s.slug), text));
    }
    for (path, text) in embedded_files("breathing/") {
        files.push((path.to_owned(), text.to_owned()));
    }
    let back = Library::parse(files).unwrap_or_else(|e| panic!("{e}"));
    let mut a: Vec<_> = back.poses.iter().map(|p| p.slug.clone()).collect();
    let mut b: Vec<_> = lib.poses.iter().map(|p| p.slug.clone()).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(
        lib.poses.iter().all(|p| p.figure.is_some()),
        "every pose has a figure"
    );
    for p in &lib.poses {
        assert!(back.poses.contains(p), "{}", p.slug);
    }
    for s in &lib.sequences {
        assert!(back.sequences.iter().any(|x| x.same_entry(s)), "{}", s.slug);
    }
}

#[test]
fn figures_attach_to_their_pose_and_stray_or_implausible_ones_are_refused() {
    let standing = |slug: &str| {
        yogaflow_figures::to_toml(&yogaflow_figures::Figure::standing(
            slug,
            yogaflow_figures::View::Side,
        ))
    };
    let lib = Library::parse(files(&[
        ("poses/a.toml", pose_toml("a")),
        ("figures/a.toml", standing("a")),
    ]))
    .unwrap_or_else(|e| panic!("{e}"));
    let description = lib.poses[0].figure.as_deref().unwrap_or_default();
    assert!(description.contains("[angles]") && !description.contains("slug"));

    // Standing on a hand that hangs at the hip: it parses, but the feet sink
    // below the floor.
    let floating = standing("a").replace(
        "contacts = [\"right_foot\", \"left_foot\"]",
        "contacts = [\"right_hand\"]",
    );
    assert_ne!(floating, standing("a"), "the replacement must apply");
    let err = Library::parse(files(&[
        ("poses/a.toml", pose_toml("a")),
        ("figures/a.toml", floating),
        ("figures/ghost.toml", standing("ghost")),
    ]))
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    let text = err.to_string();
    assert!(text.contains("figures/a.toml"), "{text}");
    assert!(
        text.contains("figures/ghost.toml") && text.contains("no pose"),
        "{text}"
    );
}
