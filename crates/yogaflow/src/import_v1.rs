//! `yogaflow import-v1 --from postgres://…`: moves users (with their bcrypt
//! hashes, upgraded to Argon2id at their next sign-in), custom sequences and
//! practice sessions from a YogaFlow 1.0 database into ours.
//!
//! Reading (`read`), mapping (`map`, pure) and reporting (`report`) are apart;
//! this file only orders the work: users, then sequences (they need owners),
//! then sessions (they need both). Every record moves with its row in
//! `import_v1_map`, so a second run moves nothing twice.

mod map;
mod read;
mod report;

use crate::config::Config;
use crate::serve::{connect, load_library};
use anyhow::Context as _;
use read::{V1Data, V1Sequence};
use report::Report;
use std::collections::HashMap;
use time::OffsetDateTime;
use yogaflow_content::Library;
use yogaflow_core::clock::{Clock as _, SystemClock};
use yogaflow_store::{Db, ImportKind, ImportedUser, from_micros};

pub async fn run(config: &Config, from: &str) -> anyhow::Result<()> {
    let old = read::open(from).await?;
    let data = read::read_all(&old).await;
    old.close().await;
    let data = data?;
    let db = connect(config).await?;
    // Sequences need our poses and sessions our presets: make sure they are in.
    let library = Library::embedded().context("the built-in library is not valid")?;
    load_library(&db, &library).await?;
    let result = import(&db, &data, SystemClock.now()).await;
    db.close().await;
    print!("{}", result?);
    Ok(())
}

/// Moves what `data` holds into `db`.
///
/// # Errors
/// Database failures; what was moved before stays moved (and mapped).
async fn import(db: &Db, data: &V1Data, now: OffsetDateTime) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let users = users(db, data, now, &mut report).await?;
    let sequences = sequences(db, data, &users, now, &mut report).await?;
    sessions(db, data, &users, &sequences, now, &mut report).await?;
    Ok(report)
}

/// 1.0 id → id here, for records moved now or before; `None` when the record
/// was deleted here after an earlier run.
type Ids = HashMap<i64, Option<i64>>;

/// Why a record's owner or sequence is not here.
fn missing(what: &str, old: i64, ids: &Ids) -> String {
    match ids.get(&old) {
        Some(None) => format!("{what} #{old} was moved earlier and deleted here since"),
        _ => format!("{what} #{old} was not moved"),
    }
}

async fn users(
    db: &Db,
    data: &V1Data,
    now: OffsetDateTime,
    report: &mut Report,
) -> anyhow::Result<Ids> {
    let done = db.import_v1_ids(ImportKind::User).await?;
    let twins = map::case_twins(
        &data
            .users
            .iter()
            .filter_map(|u| map::address(&u.email).map(|a| (u.user_id, a, u.email_verified)))
            .collect::<Vec<_>>(),
    );
    let mut ids = Ids::new();
    for u in &data.users {
        if let Some(here) = done.get(&u.user_id) {
            report.already.users += 1;
            ids.insert(u.user_id, *here);
            continue;
        }
        let m = match map::user(u) {
            Ok(m) => m,
            Err(reason) => {
                report.skip("user", u.user_id, reason);
                continue;
            }
        };
        if let Some(reason) = twins.get(&u.user_id) {
            report.skip("user", u.user_id, reason.clone());
            continue;
        }
        let new = ImportedUser {
            email: &m.email,
            name: &m.name,
            password_hash: &u.password_hash,
            experience_level: m.level,
            email_verified: u.email_verified,
            created_at: from_micros(u.created_us),
            last_login: u.last_login_us.map(from_micros),
        };
        match db.import_v1_user(&new, u.user_id, now).await? {
            Some(id) => {
                ids.insert(u.user_id, Some(id));
                report.moved.users += 1;
            }
            // Never merged: the 1.0 password would then open someone's account here.
            None => report.skip(
                "user",
                u.user_id,
                "an account with this address already exists here; not merged",
            ),
        }
    }
    Ok(ids)
}

async fn sequences(
    db: &Db,
    data: &V1Data,
    users: &Ids,
    now: OffsetDateTime,
    report: &mut Report,
) -> anyhow::Result<Ids> {
    let done = db.import_v1_ids(ImportKind::Sequence).await?;
    let poses = db.pose_ids_by_v1().await?;
    let mut ids = Ids::new();
    for s in &data.sequences {
        if s.is_preset {
            report.presets += 1;
            continue;
        }
        if let Some(here) = done.get(&s.sequence_id) {
            report.already.sequences += 1;
            ids.insert(s.sequence_id, *here);
            continue;
        }
        let Some(old_owner) = s.created_by else {
            report.skip("sequence", s.sequence_id, "it has no owner");
            continue;
        };
        let Some(Some(owner)) = users.get(&old_owner) else {
            let why = missing("its owner, 1.0 user", old_owner, users);
            report.skip("sequence", s.sequence_id, why);
            continue;
        };
        match map::sequence(s, *owner, &poses) {
            Ok(draft) => {
                let id = db
                    .import_v1_sequence(
                        &draft,
                        s.sequence_id,
                        from_micros(s.created_us),
                        from_micros(s.updated_us),
                        now,
                    )
                    .await?;
                ids.insert(s.sequence_id, Some(id));
                report.moved.sequences += 1;
            }
            Err(reason) => report.skip("sequence", s.sequence_id, reason),
        }
    }
    Ok(ids)
}

async fn sessions(
    db: &Db,
    data: &V1Data,
    users: &Ids,
    sequences: &Ids,
    now: OffsetDateTime,
    report: &mut Report,
) -> anyhow::Result<()> {
    let done = db.import_v1_ids(ImportKind::Session).await?;
    let presets = db.preset_ids_by_name().await?;
    let old_sequences: HashMap<i64, &V1Sequence> =
        data.sequences.iter().map(|s| (s.sequence_id, s)).collect();
    for s in &data.sessions {
        if done.contains_key(&s.session_id) {
            report.already.sessions += 1;
            continue;
        }
        let Some(Some(user)) = users.get(&s.user_id) else {
            let why = missing("its owner, 1.0 user", s.user_id, users);
            report.skip("session", s.session_id, why);
            continue;
        };
        let (sequence_id, note) = match s.sequence_id {
            None => (None, None),
            Some(q) => match link(q, sequences, &old_sequences, &presets) {
                Ok(id) => (Some(id), None),
                Err(why) => (None, Some(format!("moved without its sequence: {why}"))),
            },
        };
        match map::session(s, *user, sequence_id) {
            Ok(new) => {
                db.import_v1_session(&new, s.session_id, now).await?;
                report.moved.sessions += 1;
                if let Some(note) = note {
                    report.notes.push(("session", s.session_id, note));
                }
            }
            Err(reason) => report.skip("session", s.session_id, reason),
        }
    }
    Ok(())
}

/// The sequence here that a session of 1.0 sequence `q` links to: the one moved
/// from it, or the library's preset of the same name.
///
/// # Errors
/// Why there is none; the session then keeps its time without a sequence.
fn link(
    q: i64,
    moved: &Ids,
    old: &HashMap<i64, &V1Sequence>,
    presets: &HashMap<String, i64>,
) -> Result<i64, String> {
    if let Some(Some(id)) = moved.get(&q) {
        return Ok(*id);
    }
    match old.get(&q) {
        Some(s) if s.is_preset => presets
            .get(&s.name.to_lowercase())
            .copied()
            .ok_or_else(|| format!("1.0 preset #{q} is not in our library")),
        Some(_) => Err(missing("1.0 sequence", q, moved)),
        None => Err(format!("1.0 sequence #{q} no longer exists in 1.0")),
    }
}
