//! Finds NMT snapshots in any text — a file, stdin, a paste — among everything else that
//! surrounds them: jcmd's `<pid>:` header, shell prompts, timestamp lines, application logs,
//! log-shipper prefixes, CRLF, trailing spaces, and jcmd's failure messages.
//!
//! One pass over the lines. Outside a snapshot we remember the last few non-blank lines (for
//! the PID header and a timestamp); `Native Memory Tracking:` starts a snapshot; inside one,
//! each line is classified (see `SnapshotBuilder::feed`), and the first line that cannot belong
//! to a snapshot ends it and is then looked at as ordinary text again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::model::{Diagnostic, Snapshot};

use super::builder::{Feed, SnapshotBuilder};
use super::jcmd_errors::jcmd_failure;
use super::timestamp::parse_timestamp_line;

const HEADER: &str = "Native Memory Tracking:";

/// How far back (in non-blank lines) a timestamp or PID header may stand before a snapshot.
const LOOKBACK: usize = 3;

/// Options for one parse.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Timestamp for snapshots that have none of their own (e.g. the time of a paste).
    pub default_timestamp: Option<DateTime<FixedOffset>>,
    /// Added to line numbers, when `text` continues an input (`--follow`).
    pub first_line: u64,
}

/// Snapshots and diagnostics read from one text.
#[derive(Debug, Clone, Default)]
pub struct NmtParse {
    pub snapshots: Vec<Snapshot>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Shared state of one parse: names are interned so 100k snapshots share their strings, and
/// each distinct oddity is reported once, not once per snapshot.
pub(super) struct Context {
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    names: HashMap<Box<str>, Arc<str>>,
    reported: HashSet<String>,
}

impl Context {
    /// The shared copy of `name`, and whether this parse sees it for the first time.
    pub fn intern(&mut self, name: &str) -> (Arc<str>, bool) {
        if let Some(existing) = self.names.get(name) {
            return (Arc::clone(existing), false);
        }
        let shared: Arc<str> = Arc::from(name);
        self.names.insert(Box::from(name), Arc::clone(&shared));
        (shared, true)
    }

    /// A warning reported only the first time its `key` is seen in this parse.
    pub fn warn_once(&mut self, key: String, line: u64, message: String) {
        if self.reported.insert(key) {
            self.diagnostics
                .push(Diagnostic::warning(&self.source, line, message));
        }
    }

    pub fn error(&mut self, line: u64, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(&self.source, line, message));
    }
}

/// Reads every snapshot in `text`.
pub fn parse_str(source: &Arc<str>, text: &str) -> NmtParse {
    parse_with(source, text, &ParseOptions::default())
}

/// Reads every snapshot in `text`, with options.
pub fn parse_with(source: &Arc<str>, text: &str, options: &ParseOptions) -> NmtParse {
    let mut ctx = Context {
        source: Arc::clone(source),
        diagnostics: Vec::new(),
        names: HashMap::new(),
        reported: HashSet::new(),
    };
    let mut snapshots = Vec::new();
    let mut recent: Vec<(u64, &str)> = Vec::with_capacity(LOOKBACK + 1);
    let mut current: Option<SnapshotBuilder<'_>> = None;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    for (index, raw) in lines(text).enumerate() {
        let line_no = options.first_line + index as u64 + 1;
        let line = raw.trim_end();
        if let Some(builder) = current.as_mut() {
            match builder.feed(line, line_no, &mut ctx) {
                Feed::Consumed => continue,
                Feed::Ended => {
                    if let Some(b) = current.take() {
                        finish(b, &mut ctx, &mut snapshots, options);
                    }
                    recent.clear();
                }
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(at) = line.find(HEADER) {
            let prefix = &line[..at];
            let prefix_len = if prefix.trim().is_empty() { 0 } else { at };
            let (pid, pid_line) = pid_before(&recent);
            let timestamp = recent
                .iter()
                .rev()
                .find_map(|(_, l)| parse_timestamp_line(strip_prompt(l)));
            let start = pid_line.unwrap_or(line_no);
            current = Some(SnapshotBuilder::new(start, pid, timestamp, prefix_len));
            recent.clear();
            continue;
        }
        if let Some(message) = jcmd_failure(line) {
            ctx.error(
                line_no,
                format!("{message} (jcmd said: {})", shorten(line.trim())),
            );
            recent.clear();
            continue;
        }
        if recent.len() == LOOKBACK {
            recent.remove(0);
        }
        recent.push((line_no, line));
    }
    if let Some(b) = current.take() {
        finish(b, &mut ctx, &mut snapshots, options);
    }
    NmtParse {
        snapshots,
        diagnostics: ctx.diagnostics,
    }
}

fn finish(
    builder: SnapshotBuilder,
    ctx: &mut Context,
    snapshots: &mut Vec<Snapshot>,
    options: &ParseOptions,
) {
    if let Some(mut snapshot) = builder.finish(ctx) {
        if snapshot.timestamp.is_none() {
            snapshot.timestamp = options.default_timestamp;
        }
        snapshots.push(snapshot);
    }
}

/// The lines of `text` (split on `\n` with memchr, which is faster than `str::split`).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        // `\n` is ASCII, so both ends are char boundaries.
        let line = text.get(start..end).unwrap_or("");
        start = end + 1;
        line
    })
}

/// jcmd prints `<pid>:` on the line before the snapshot (a blank line between).
fn pid_before(recent: &[(u64, &str)]) -> (Option<u32>, Option<u64>) {
    let Some((line_no, last)) = recent.last() else {
        return (None, None);
    };
    let token = last.split_whitespace().last().unwrap_or("");
    match token.strip_suffix(':').map(str::parse::<u32>) {
        Some(Ok(pid)) => (Some(pid), Some(*line_no)),
        _ => (None, None),
    }
}

/// Timestamp lines may come after a shell prompt (`$ date -Is` echoes are separate lines, but
/// `# 2026-11-26T06:39:00+00:00` comments are common in notes).
fn strip_prompt(line: &str) -> &str {
    let t = line.trim();
    t.strip_prefix("# ")
        .or_else(|| t.strip_prefix("## "))
        .unwrap_or(t)
}

fn shorten(line: &str) -> String {
    const MAX: usize = 160;
    if line.len() <= MAX {
        return line.to_string();
    }
    let mut end = MAX;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &line[..end])
}
