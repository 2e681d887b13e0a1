//! `yogaflow content load|check`.

use crate::cli::ContentCommand;
use crate::config::Config;
use crate::serve::{connect, load_library};
use anyhow::Context as _;
use yogaflow_content::Library;

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
            let figures = yogaflow_web::api::figures::load_embedded();
            let cards: Vec<(String, String)> = lib
                .poses
                .iter()
                .filter_map(|p| {
                    figures.get(&p.slug).map(|f| {
                        let title =
                            format!("{}: {}", p.english_name, yogaflow_figures::alt_text(f));
                        (
                            p.english_name.clone(),
                            yogaflow_figures::render_svg_titled(f, &title),
                        )
                    })
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
