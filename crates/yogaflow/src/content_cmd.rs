//! `yogaflow content load|check|sheet|export`.

use crate::cli::ContentCommand;
use crate::config::Config;
use crate::serve::{connect, load_library};
use anyhow::Context as _;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use yogaflow_content::{Library, PresetSequence};

fn library(from: Option<&std::path::Path>) -> anyhow::Result<Library> {
    match from {
        Some(dir) => Library::from_dir(dir).map_err(anyhow::Error::from),
        None => Library::embedded().map_err(anyhow::Error::from),
    }
    .context("the library is not valid")
}

pub async fn run(config: &Config, command: ContentCommand) -> anyhow::Result<()> {
    match command {
        ContentCommand::Sheet { out } => {
            let lib = library(None)?;
            let cards: Vec<(String, String)> = lib
                .poses
                .iter()
                .filter_map(|p| {
                    let f =
                        yogaflow_core::catalog::read_figure(&p.slug, p.figure.as_deref()?).ok()?;
                    let title = format!("{}: {}", p.english_name, yogaflow_figures::alt_text(&f));
                    Some((
                        p.english_name.clone(),
                        yogaflow_figures::render_svg_titled(&f, &title),
                    ))
                })
                .collect();
            std::fs::write(&out, yogaflow_figures::render_contact_sheet(&cards))
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "contact sheet of {} figures written to {}",
                cards.len(),
                out.display()
            );
            Ok(())
        }
        ContentCommand::Export { out } => export(config, &out).await,
        ContentCommand::Check { from } => {
            let lib = library(from.as_deref())?;
            println!(
                "library ok: {} poses, {} sequences, {} breathing exercises",
                lib.poses.len(),
                lib.sequences.len(),
                lib.breathing.len()
            );
            Ok(())
        }
        ContentCommand::Load { from } => {
            let lib = library(from.as_deref())?;
            let db = connect(config).await?;
            let report = load_library(&db, &lib).await?;
            println!(
                "poses: {} added, {} updated, {} unchanged; sequences: {} added, {} updated, {} unchanged",
                report.poses_added,
                report.poses_updated,
                report.poses_unchanged,
                report.sequences_added,
                report.sequences_updated,
                report.sequences_unchanged
            );
            db.close().await;
            Ok(())
        }
    }
}

/// Removes the `.toml` files of `folder` whose stem is not in `keep`.
fn remove_stale(folder: &Path, keep: &HashSet<String>) -> anyhow::Result<usize> {
    let mut removed = 0;
    for entry in
        std::fs::read_dir(folder).with_context(|| format!("cannot read {}", folder.display()))?
    {
        let path = entry?.path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.extension().is_some_and(|e| e == "toml") && !keep.contains(&stem) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

async fn export(config: &Config, out: &Path) -> anyhow::Result<()> {
    let db = connect(config).await?;
    let poses = db.all_poses().await?;
    let pose_slugs: HashMap<i64, String> = poses.iter().map(|p| (p.id, p.slug.clone())).collect();
    // What the folder says now, to leave unchanged entries byte for byte.
    let before = Library::from_dir(out).ok();
    let (pose_dir, seq_dir, figure_dir) = (
        out.join("poses"),
        out.join("sequences"),
        out.join("figures"),
    );
    for dir in [&pose_dir, &seq_dir, &figure_dir] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let (mut written, mut unchanged) = (0usize, 0usize);
    let mut keep_figures = HashSet::new();
    for pose in &poses {
        let old = before
            .as_ref()
            .and_then(|lib| lib.poses.iter().find(|old| old.slug == pose.slug));
        // The pose file and the figure file change independently.
        let same_pose = old.is_some_and(|old| {
            let mut now = pose.draft.clone();
            now.image_urls.clone_from(&old.image_urls);
            now.figure.clone_from(&old.figure);
            *old == now
        });
        if same_pose {
            unchanged += 1;
        } else {
            let text =
                yogaflow_content::pose_toml(&pose.draft).context("cannot write a pose as TOML")?;
            write(&pose_dir.join(format!("{}.toml", pose.slug)), &text)?;
            written += 1;
        }
        let Some(description) = &pose.figure else {
            continue;
        };
        keep_figures.insert(pose.slug.clone());
        if old.is_some_and(|old| old.figure.as_ref() == Some(description)) {
            continue;
        }
        let figure =
            yogaflow_core::catalog::read_figure(&pose.slug, description).map_err(|problems| {
                anyhow::anyhow!(
                    "the figure of {} is not valid: {}",
                    pose.slug,
                    problems.join("; ")
                )
            })?;
        write(
            &figure_dir.join(format!("{}.toml", pose.slug)),
            &yogaflow_figures::to_toml(&figure),
        )?;
        written += 1;
    }
    let mut preset_slugs = HashSet::new();
    for id in db.preset_ids().await? {
        let Some(seq) = db.get_sequence(id).await? else {
            continue;
        };
        let Some(entry) = PresetSequence::from_stored(&seq, &pose_slugs) else {
            eprintln!("skipped preset {id} ({}): it has no slug", seq.name);
            continue;
        };
        preset_slugs.insert(entry.slug.clone());
        if before
            .as_ref()
            .is_some_and(|lib| lib.sequences.iter().any(|old| old.same_entry(&entry)))
        {
            unchanged += 1;
            continue;
        }
        let text = entry.to_toml().context("cannot write a sequence as TOML")?;
        write(&seq_dir.join(format!("{}.toml", entry.slug)), &text)?;
        written += 1;
    }
    // Breathing exercises are not edited in the database: a new folder gets the
    // bundled ones so that it is a whole library.
    for (path, text) in yogaflow_content::embedded_files("breathing/") {
        let target = out.join(path);
        if !target.exists() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            write(&target, text)?;
        }
    }
    let keep_poses: HashSet<String> = pose_slugs.into_values().collect();
    let removed = remove_stale(&pose_dir, &keep_poses)?
        + remove_stale(&seq_dir, &preset_slugs)?
        + remove_stale(&figure_dir, &keep_figures)?;
    db.close().await;
    println!(
        "exported to {}: {written} written, {unchanged} unchanged, {removed} removed",
        out.display()
    );
    // Admin edits follow the API's rules; the content guide asks for more (for
    // example 5 to 10 steps). Say what to fix before the files are committed.
    if let Err(problems) = Library::from_dir(out) {
        anyhow::bail!("the exported library does not pass `content check` yet:\n{problems}");
    }
    Ok(())
}
