//! The bundled library: reads the TOML files of `content/` (embedded in the binary
//! or from a folder), checks every rule of `content/README.md`, and hands the
//! store validated drafts.
//!
//! A broken file never half-loads: [`Library::parse`] either returns the whole
//! library or every problem it found, each naming its file and entry.

mod breathing_file;
mod error;
mod pose_file;
mod sequence_file;

pub use breathing_file::{BreathPattern, BreathingExercise};
pub use error::{ContentError, ContentErrors};
pub use pose_file::pose_toml;
pub use sequence_file::{PresetSequence, PresetSlot};

use std::collections::{HashMap, HashSet};
use std::path::Path;
use yogaflow_core::catalog::PoseDraft;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Embedded library files whose path (below `content/`) starts with `prefix`,
/// e.g. `figures/`; for data other crates own.
pub fn embedded_files(prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    embedded::FILES
        .iter()
        .filter(move |(path, _)| path.starts_with(prefix))
        .map(|(path, text)| (*path, *text))
}

/// The whole validated library.
#[derive(Debug, Clone)]
pub struct Library {
    /// In load order: 1.0 poses by their 1.0 number, then the rest by slug, so a
    /// fresh database gives 1.0's poses 1.0's ids.
    pub poses: Vec<PoseDraft>,
    pub sequences: Vec<PresetSequence>,
    pub breathing: Vec<BreathingExercise>,
}

impl Library {
    /// The library compiled into this binary.
    ///
    /// # Errors
    /// Every rule a bundled file breaks (a test keeps this from happening).
    pub fn embedded() -> Result<Self, ContentErrors> {
        Self::parse(
            embedded::FILES
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned())),
        )
    }

    /// Reads a `content/` folder from disk, for editing without rebuilding.
    ///
    /// # Errors
    /// Unreadable files and every rule a file breaks.
    pub fn from_dir(dir: &Path) -> Result<Self, ContentErrors> {
        let mut files = Vec::new();
        for sub in ["poses", "sequences", "breathing", "figures"] {
            let folder = dir.join(sub);
            // Figures are optional: a library without drawings is still a library.
            if sub == "figures" && !folder.exists() {
                continue;
            }
            let entries = std::fs::read_dir(&folder).map_err(|e| {
                ContentErrors(vec![ContentError::new(
                    folder.display().to_string(),
                    "",
                    format!("cannot read folder: {e}"),
                )])
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let rel = format!(
                        "{sub}/{}",
                        path.file_name().unwrap_or_default().to_string_lossy()
                    );
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        ContentErrors(vec![ContentError::new(rel.clone(), "", e.to_string())])
                    })?;
                    files.push((rel, text));
                }
            }
        }
        files.sort();
        Self::parse(files)
    }

    /// Parses and cross-checks a set of `(relative path, text)` files.
    ///
    /// # Errors
    /// Every problem found, each naming its file and entry.
    pub fn parse(files: impl IntoIterator<Item = (String, String)>) -> Result<Self, ContentErrors> {
        let mut errors = Vec::new();
        let mut poses = Vec::new();
        let mut sequences = Vec::new();
        let mut breathing = Vec::new();
        let mut figures = Vec::new();
        for (path, text) in files {
            let result = if path.starts_with("poses/") {
                pose_file::parse(&path, &text).map(|p| poses.push(p))
            } else if path.starts_with("sequences/") {
                sequence_file::parse(&path, &text).map(|s| sequences.push(s))
            } else if path.starts_with("breathing/") {
                breathing_file::parse(&path, &text).map(|b| breathing.push(b))
            } else if let Some(name) = path.strip_prefix("figures/") {
                figure_file(&path, name, &text).map(|f| figures.push(f))
            } else {
                Ok(())
            };
            if let Err(mut e) = result {
                errors.append(&mut e);
            }
        }
        duplicates(
            poses.iter().map(|p| (p.slug.as_str(), "poses")),
            &mut errors,
        );
        duplicates(
            poses
                .iter()
                .filter_map(|p| p.v1_id.map(|id| (id, p.slug.as_str()))),
            &mut errors,
        );
        duplicates(
            sequences.iter().map(|s| (s.slug.as_str(), "sequences")),
            &mut errors,
        );
        duplicates(
            breathing.iter().map(|b| (b.slug.as_str(), "breathing")),
            &mut errors,
        );
        attach_figures(&mut poses, figures, &mut errors);
        let by_slug: HashMap<&str, &PoseDraft> =
            poses.iter().map(|p| (p.slug.as_str(), p)).collect();
        for s in &sequences {
            s.check_against(&by_slug, &mut errors);
        }
        if !errors.is_empty() {
            return Err(ContentErrors(errors));
        }
        poses.sort_by(|a, b| {
            (a.v1_id.is_none(), a.v1_id, &a.slug).cmp(&(b.v1_id.is_none(), b.v1_id, &b.slug))
        });
        sequences.sort_by(|a, b| a.slug.cmp(&b.slug));
        breathing.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(Library {
            poses,
            sequences,
            breathing,
        })
    }
}

/// One figure file, as its pose's slug and the description the database keeps.
fn figure_file(path: &str, name: &str, text: &str) -> Result<(String, String), Vec<ContentError>> {
    let to_errors = |messages: Vec<String>| {
        messages
            .into_iter()
            .map(|m| ContentError::new(path, "", m))
            .collect::<Vec<_>>()
    };
    let figure = yogaflow_figures::parse_figure(name, text)
        .map_err(|e| to_errors(e.into_iter().map(|e| e.message).collect()))?;
    let description = yogaflow_figures::description_toml(&figure);
    // The same rules an admin's edit meets: it parses and it is plausible.
    yogaflow_core::catalog::read_figure(&figure.slug, &description).map_err(to_errors)?;
    Ok((figure.slug, description))
}

/// Gives each pose its figure; a figure without a pose is an error.
fn attach_figures(
    poses: &mut [PoseDraft],
    figures: Vec<(String, String)>,
    errors: &mut Vec<ContentError>,
) {
    for (slug, description) in figures {
        match poses.iter_mut().find(|p| p.slug == slug) {
            Some(pose) => pose.figure = Some(description),
            None => errors.push(ContentError::new(
                format!("figures/{slug}.toml"),
                slug,
                "no pose has this slug",
            )),
        }
    }
}

/// Reports every key that appears more than once.
fn duplicates<K: std::hash::Hash + Eq + std::fmt::Display + Copy, W: std::fmt::Display>(
    keys: impl Iterator<Item = (K, W)>,
    errors: &mut Vec<ContentError>,
) {
    let mut seen = HashSet::new();
    for (key, where_) in keys {
        if !seen.insert(key) {
            errors.push(ContentError::new(
                where_.to_string(),
                key.to_string(),
                "this key is used by more than one entry; keys must be unique",
            ));
        }
    }
}

#[cfg(test)]
mod tests;
