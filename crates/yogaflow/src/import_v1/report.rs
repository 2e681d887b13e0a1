//! What an import run did, printed for the operator. Records are named by
//! their 1.0 ids only: no email or name reaches the terminal or its logs.

use std::fmt;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub users: usize,
    pub sequences: usize,
    pub sessions: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub moved: Counts,
    /// Moved by an earlier run (or deleted here since): left alone.
    pub already: Counts,
    /// 1.0 presets: ours come from the library, so they are not moved.
    pub presets: usize,
    /// (kind, 1.0 id, reason).
    pub skipped: Vec<(&'static str, i64, String)>,
    /// Moved, with something dropped on the way.
    pub notes: Vec<(&'static str, i64, String)>,
}

impl Report {
    pub fn skip(&mut self, kind: &'static str, id: i64, reason: impl Into<String>) {
        self.skipped.push((kind, id, reason.into()));
    }
}

/// `1 user`, `0 users`, `2 users`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Counts {
            users,
            sequences,
            sessions,
        } = self.moved;
        writeln!(
            f,
            "moved {}, {}, {}",
            count(users, "user"),
            count(sessions, "session"),
            count(sequences, "sequence")
        )?;
        let a = self.already;
        writeln!(
            f,
            "already moved by an earlier run: {}, {}, {}",
            count(a.users, "user"),
            count(a.sessions, "session"),
            count(a.sequences, "sequence")
        )?;
        writeln!(
            f,
            "not moved: {} 1.0 presets (the library provides ours)",
            self.presets
        )?;
        writeln!(f, "skipped {}:", self.skipped.len())?;
        for (kind, id, reason) in &self.skipped {
            writeln!(f, "  {kind} #{id}: {reason}")?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "moved with changes {}:", self.notes.len())?;
            for (kind, id, note) in &self.notes {
                writeln!(f, "  {kind} #{id}: {note}")?;
            }
        }
        Ok(())
    }
}
