//! Recorded sessions: the file `jvmem live --record FILE` writes and `replay`, `export` and
//! `diff` read. The format (JSON Lines, versioned) is documented in `docs/session-format.md`.
//!
//! A session keeps every capture's *raw* text with its capture time and source, never the
//! parsed model, so a newer jvmem re-parses an old recording with its better parsers.

mod header;
mod import;
mod reader;
mod record;
mod writer;

pub use import::{ScenarioTexts, session_from_scenario};
pub use reader::{SessionRecords, gc_logs, read_records, read_session};
pub use record::{FORMAT_VERSION, Header, Record, RecordKind};
pub use writer::{Recorder, SharedRecorder};

/// True when `head` (the first bytes of an input) is the start of a session file: a header
/// first (a UTF-8 BOM and leading whitespace allowed), or — when a damaged byte hides the
/// header's name — a `{…}` first line followed by a record line.
pub fn looks_like_session(head: &str) -> bool {
    let head = head.strip_prefix('\u{feff}').unwrap_or(head).trim_start();
    if head.starts_with("{\"jvmem_session\"") {
        return true;
    }
    let mut lines = head.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or_default();
    let second = lines.next().unwrap_or_default();
    (first.starts_with('{') || first.contains("\"jvmem_session\""))
        && second.starts_with("{\"t\":\"")
}

#[cfg(test)]
mod tests;
