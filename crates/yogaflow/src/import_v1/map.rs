//! From 1.0's rows to ours: pure functions, so every rule is unit-tested. A
//! row that cannot be moved faithfully gives the reason it is skipped.

use super::read::{V1Sequence, V1Session, V1User};
use std::collections::HashMap;
use yogaflow_core::accounts::Email;
use yogaflow_core::catalog::{Difficulty, FocusArea, SequenceDraft, SlotDraft, Style};
use yogaflow_core::practice::session::MAX_DURATION_SECONDS;
use yogaflow_core::practice::{SessionKind, SessionStatus};
use yogaflow_store::{ImportedSession, from_micros};

/// Longest display name we accept (1.0 allowed 255).
const MAX_NAME_CHARS: usize = 100;

/// Reads a 1.0 enum value stored as a member name (`FORWARD_BENDS`) or as a
/// wire value (`forward_bends`): the lowercase name is the wire value.
pub fn vocab<T>(raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    parse(&raw.trim().to_ascii_lowercase())
}

/// A name as we store it: no control characters, trimmed, at most 100 characters.
pub fn clean_name(raw: &str) -> String {
    let kept: String = raw.chars().filter(|c| !c.is_control()).collect();
    kept.trim()
        .chars()
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// A 1.0 account ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedUser {
    pub email: String,
    pub name: String,
    pub level: Difficulty,
}

/// An address as we store it (trimmed, NFKC, lowercase), if it is one.
pub fn address(raw: &str) -> Option<String> {
    Email::parse(raw, "email")
        .ok()
        .map(|e| e.as_str().to_owned())
}

/// Whether 1.0 wrote this hash with bcrypt (passlib writes `$2b$`), which our
/// sign-in verifies and then replaces with Argon2id.
pub fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) && hash.len() == 60
}

/// # Errors
/// The reason the account is skipped.
pub fn user(u: &V1User) -> Result<MappedUser, String> {
    if !u.is_active {
        return Err("deactivated in 1.0".into());
    }
    let email = address(&u.email).ok_or_else(|| "its email is not a valid address".to_owned())?;
    if !is_bcrypt(&u.password_hash) {
        return Err("its password hash is not bcrypt, so no password could be checked".into());
    }
    let mut name = clean_name(&u.name);
    if name.is_empty() {
        name = email
            .as_str()
            .split('@')
            .next()
            .unwrap_or("member")
            .to_owned();
    }
    // 1.0 stored NULL for "never chose"; its default was beginner.
    let level = u
        .experience_level
        .as_deref()
        .and_then(|l| vocab(l, Difficulty::parse))
        .unwrap_or(Difficulty::Beginner);
    Ok(MappedUser { email, name, level })
}

/// 1.0 compared emails as exact strings, so `Sam@x.net` and `sam@x.net` could be
/// two accounts; here they are one address. `users` holds every 1.0 account
/// with a valid address, also those skipped for other reasons, so a twin never
/// wins just because the owner's own account cannot move. Returns the skip
/// reason for each account that loses: when exactly one of the twins verified the address, it
/// keeps it; otherwise nothing shows who owns the mailbox, and moving either
/// could hand one person's address to another, so all of them are skipped.
pub fn case_twins(users: &[(i64, String, bool)]) -> HashMap<i64, String> {
    let mut by_address: HashMap<&str, Vec<(i64, bool)>> = HashMap::new();
    for (id, email, verified) in users {
        by_address.entry(email).or_default().push((*id, *verified));
    }
    let mut losers = HashMap::new();
    for twins in by_address.values().filter(|t| t.len() > 1) {
        let verified: Vec<i64> = twins.iter().filter(|t| t.1).map(|t| t.0).collect();
        for (id, _) in twins {
            let reason = match verified.as_slice() {
                [winner] if winner == id => continue,
                [winner] => format!(
                    "same address as 1.0 user #{winner} apart from letter case; only that one verified it"
                ),
                _ => format!(
                    "{} 1.0 accounts share this address apart from letter case and {} verified it; nothing shows whose it is",
                    twins.len(),
                    if verified.is_empty() {
                        "none"
                    } else {
                        "several"
                    }
                ),
            };
            losers.insert(*id, reason);
        }
    }
    losers
}

/// A 1.0 sequence as its owner's private sequence here. 1.0 played holds back
/// to back, so there are no transitions: the sequence keeps its length.
///
/// # Errors
/// The reason the sequence is skipped.
pub fn sequence(
    s: &V1Sequence,
    owner_id: i64,
    poses: &HashMap<i64, i64>,
) -> Result<SequenceDraft, String> {
    let difficulty = vocab(&s.difficulty_level, Difficulty::parse)
        .ok_or_else(|| format!("unknown difficulty `{}`", s.difficulty_level))?;
    let focus_area = vocab(&s.focus_area, FocusArea::parse)
        .ok_or_else(|| format!("unknown focus area `{}`", s.focus_area))?;
    let style =
        vocab(&s.style, Style::parse).ok_or_else(|| format!("unknown style `{}`", s.style))?;
    if s.slots.is_empty() {
        return Err("it has no poses".into());
    }
    let mut slots = Vec::with_capacity(s.slots.len());
    for slot in &s.slots {
        let pose_id = *poses.get(&slot.pose_id).ok_or_else(|| {
            format!(
                "1.0 pose #{} is not one of the 80 poses in our library",
                slot.pose_id
            )
        })?;
        slots.push(SlotDraft {
            pose_id,
            seconds: u32::try_from(slot.duration_seconds).unwrap_or(u32::MAX),
            side: None,
            note: String::new(),
        });
    }
    let draft = SequenceDraft {
        slug: None,
        name: clean_name(&s.name),
        description: s.description.clone().unwrap_or_default(),
        difficulty,
        focus_area,
        style,
        duration_minutes: u32::try_from(s.duration_minutes).unwrap_or(0),
        transition_seconds: 0,
        is_preset: false,
        owner_id: Some(owner_id),
        slots,
    };
    draft.check().map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(draft)
}

/// A 1.0 session, ended. 1.0 never closed a session that was started and left
/// (`completed_at` empty); it ends here as abandoned at the last moment 1.0
/// knew of, so it never shows as one to resume.
///
/// # Errors
/// The reason the session is skipped.
pub fn session(
    s: &V1Session,
    user_id: i64,
    sequence_id: Option<i64>,
) -> Result<ImportedSession, String> {
    let status = match vocab(&s.completion_status, SessionStatus::parse) {
        Some(
            st @ (SessionStatus::Completed | SessionStatus::Partial | SessionStatus::Abandoned),
        ) => st,
        _ => {
            return Err(format!(
                "unknown completion status `{}`",
                s.completion_status
            ));
        }
    };
    let duration = u32::try_from(s.duration_seconds)
        .ok()
        .filter(|d| *d <= MAX_DURATION_SECONDS)
        .ok_or_else(|| {
            format!(
                "duration of {} s is outside 0 to {MAX_DURATION_SECONDS} s",
                s.duration_seconds
            )
        })?;
    let started_at = from_micros(s.started_us);
    let (status, completed_at) = match s.completed_us {
        Some(c) => (status, from_micros(c)),
        None => (
            SessionStatus::Abandoned,
            started_at + time::Duration::seconds(i64::from(duration)),
        ),
    };
    Ok(ImportedSession {
        user_id,
        kind: if s.sequence_id.is_some() {
            SessionKind::Sequence
        } else {
            SessionKind::Free
        },
        sequence_id,
        status,
        started_at,
        completed_at: Some(completed_at),
        duration_seconds: duration,
    })
}

#[cfg(test)]
mod tests;
