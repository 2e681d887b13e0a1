//! The SQLite file behind the configuration.

use std::path::{Path, PathBuf};

/// The SQLite file the settings name: `<data dir>/yogaflow.db` by default, the
/// path of a `sqlite:` URL, or `None` for PostgreSQL and in-memory databases.
pub fn sqlite_path(database_url: Option<&str>, data_dir: &Path) -> Option<PathBuf> {
    let Some(url) = database_url else {
        return Some(data_dir.join("yogaflow.db"));
    };
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;
    use std::path::{Path, PathBuf};

    #[test]
    fn sqlite_urls_name_their_file() {
        let dir = Path::new("/srv/yf");
        assert_eq!(
            sqlite_path(None, dir),
            Some(PathBuf::from("/srv/yf/yogaflow.db"))
        );
        assert_eq!(
            sqlite_path(Some("sqlite:///var/lib/y.db?mode=rwc"), dir),
            Some(PathBuf::from("/var/lib/y.db"))
        );
        assert_eq!(
            sqlite_path(Some("sqlite:data/y.db"), dir),
            Some(PathBuf::from("data/y.db"))
        );
        assert_eq!(sqlite_path(Some("sqlite::memory:"), dir), None);
        assert_eq!(sqlite_path(Some("postgres://db/yf"), dir), None);
    }
}
