//! Recorded sessions: the file `jvmem live --record FILE` writes and `replay`, `export` and
//! `diff` read. The format (JSON Lines, versioned) is documented in `docs/session-format.md`.
//!
//! A session keeps every capture's *raw* text with its capture time and source, never the
//! parsed model, so a newer jvmem re-parses an old recording with its better parsers.

mod import;
mod reader;
mod record;
mod writer;

pub use import::{ScenarioTexts, session_from_scenario};
pub use reader::{SessionRecords, gc_logs, read_records, read_session};
pub use record::{FORMAT_VERSION, Header, Record, RecordKind};
pub use writer::{Recorder, SharedRecorder};

/// True when `head` (the first bytes of an input) is the start of a session file.
pub fn looks_like_session(head: &str) -> bool {
    let head = head.strip_prefix('\u{feff}').unwrap_or(head).trim_start();
    head.starts_with("{\"jvmem_session\"")
}

#[cfg(test)]
mod tests;
