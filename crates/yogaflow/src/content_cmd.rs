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
