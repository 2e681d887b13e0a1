//! The SQLite file behind the configuration, and the lock that keeps `restore`
//! from replacing it under a running server.
//!
//! `serve`, `migrate`, `content load` and `admin` hold a shared lock on
//! `<database>.lock` while they run (several processes may share one file);
//! `restore` needs the exclusive lock, so it fails while any of them runs, and
//! they cannot start while it swaps files.
//! These are `flock` locks: the kernel drops them when a process dies, so a
//! crash never leaves a stale lock behind.

use anyhow::Context as _;
use std::fs::{File, OpenOptions, TryLockError};
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

/// A held lock; released when dropped or when the process ends.
#[derive(Debug)]
pub struct DbLock {
    _file: File,
}

fn lock_file(db: &Path) -> std::io::Result<File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
}

/// The shared lock on the SQLite file the settings name (none for PostgreSQL),
/// for a command that uses the database while it runs.
///
/// # Errors
/// When a restore holds the file, or the lock file cannot be created.
pub fn hold_shared(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Option<DbLock>> {
    let Some(path) = sqlite_path(database_url, data_dir) else {
        return Ok(None);
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let lock = lock_shared(&path)
        .with_context(|| format!("cannot lock {}", path.display()))?
        .with_context(|| {
            format!(
                "a restore is replacing {}; start again once it is done",
                path.display()
            )
        })?;
    Ok(Some(lock))
}

/// What a server takes. `Ok(None)`: a restore holds the file right now.
///
/// # Errors
/// When the lock file cannot be created.
pub fn lock_shared(db: &Path) -> std::io::Result<Option<DbLock>> {
    let file = lock_file(db)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(DbLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// What `restore` takes. `Ok(None)`: a server (or another restore) uses the file.
///
/// # Errors
/// When the lock file cannot be created.
pub fn lock_exclusive(db: &Path) -> std::io::Result<Option<DbLock>> {
    let file = lock_file(db)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(DbLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
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
