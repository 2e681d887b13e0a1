//! `yogaflow backup` and `yogaflow restore`, for the SQLite database.
//! PostgreSQL has `pg_dump` and `pg_restore`; docs/DEPLOYMENT.md shows how.
//!
//! Both write a temporary file beside the destination and rename it into place,
//! so a crash or a full disk leaves either the old file or the new one, never
//! half of one.

use crate::config::Config;
use crate::db_file::{lock_exclusive, sqlite_path};
use anyhow::{Context as _, anyhow, bail};
use std::fs::File;
use std::path::{Path, PathBuf};
use yogaflow_store::{Db, check_restorable, checkpoint_sqlite_file};

const POSTGRES_HINT: &str = "DATABASE_URL names PostgreSQL; use pg_dump and pg_restore \
     as docs/DEPLOYMENT.md describes";

/// `<dir>/.<name>.<purpose>`, hidden beside `path` so the rename stays on one
/// file system.
fn sibling(path: &Path, purpose: &str) -> PathBuf {
    let name = path.file_name().map_or_else(
        || "yogaflow.db".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    path.with_file_name(format!(".{name}.{purpose}"))
}

/// The folder holding `path` (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes the rename of a file in `dir` survive a power cut.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<()> {
    let db_path = sqlite_path(config.database_url.as_deref(), &config.data_dir)
        .ok_or_else(|| anyhow!(POSTGRES_HINT))?;
    // Connecting would create an empty database, and back that up.
    if !db_path.exists() {
        bail!("there is no database at {}", db_path.display());
    }
    let db = Db::connect(config.database_url.as_deref(), &config.data_dir, 1)
        .await
        .context("cannot open the database")?;
    let tmp = sibling(out, "partial");
    // VACUUM INTO refuses an existing file; one left by a crashed run is stale.
    let _ = std::fs::remove_file(&tmp);
    let copied = db.backup_into(&tmp).await;
    db.close().await;
    copied.with_context(|| format!("cannot write {}", tmp.display()))?;
    let result = async {
        let status = check_restorable(&tmp).await.map_err(|e| anyhow!(e))?;
        File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, out)?;
        sync_dir(parent(out))?;
        anyhow::Ok(status)
    }
    .await;
    let status = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.context(format!("the backup to {} failed", out.display())));
        }
    };
    let bytes = std::fs::metadata(out).map_or(0, |m| m.len());
    println!(
        "backed up {} to {} ({bytes} bytes, {} migrations)",
        db_path.display(),
        out.display(),
        status.applied.len()
    );
    Ok(())
}

pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<()> {
    let target = sqlite_path(config.database_url.as_deref(), &config.data_dir)
        .ok_or_else(|| anyhow!(POSTGRES_HINT))?;
    let status = check_restorable(from)
        .await
        .map_err(|e| anyhow!("refusing to restore: {e}"))?;
    std::fs::create_dir_all(parent(&target))
        .with_context(|| format!("cannot create {}", parent(&target).display()))?;
    let Some(_lock) = lock_exclusive(&target)? else {
        bail!(
            "a YogaFlow server is using {}; stop every server on it, then restore",
            target.display()
        );
    };
    let tmp = sibling(&target, "restoring");
    std::fs::copy(from, &tmp)
        .with_context(|| format!("cannot copy {} to {}", from.display(), tmp.display()))?;
    File::open(&tmp)?.sync_all()?;
    let kept = if target.exists() {
        // The write-ahead log belongs to the old file; folded in now, it can
        // neither be lost from the kept copy nor replayed onto the restored one.
        checkpoint_sqlite_file(&target)
            .await
            .with_context(|| format!("cannot checkpoint {}", target.display()))?;
        let mut kept = target.as_os_str().to_owned();
        kept.push(".pre-restore");
        let kept = PathBuf::from(kept);
        let _ = std::fs::remove_file(&kept);
        std::fs::hard_link(&target, &kept)
            .with_context(|| format!("cannot keep the old database as {}", kept.display()))?;
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&tmp, &target)
        .with_context(|| format!("cannot move the copy into {}", target.display()))?;
    sync_dir(parent(&target))?;
    println!(
        "restored {} into {} ({} migrations; a start applies any newer ones)",
        from.display(),
        target.display(),
        status.applied.len()
    );
    if let Some(kept) = kept {
        println!("the replaced database is kept as {}", kept.display());
    }
    Ok(())
}
