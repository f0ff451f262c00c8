//! Drill-down jcmd answers → [`DrillCapture`]s: `GC.class_histogram`, `VM.classloader_stats`,
//! `VM.metaspace` (with the per-loader block of `show-loaders`), `Thread.print` and the call
//! sites of `VM.native_memory detail`.
//!
//! One pass over the lines finds each answer by its first line (the column header, `Total
//! Usage`, `Full thread dump`, NMT's `Details:`), dates it from a timestamp line and jcmd's
//! `<pid>:` header just before it (as NMT snapshots are dated), and hands the following lines
//! to that kind's reader (one small nom function per line shape). Nothing here panics: a line a
//! reader does not know ends its capture, and an answer with no rows is reported, not kept.
//!
//! This is a separate pass from NMT summary parsing ([`crate::nmt`]), run only when
//! [`looks_like_drill`] finds one of the markers, so summary-only input costs one substring
//! search.

pub mod classloaders;
pub mod histogram;
pub mod metaspace;
pub mod nmt_detail;
pub mod threads;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::model::{Diagnostic, DrillCapture, DrillKind, DrillRow};

/// What [`parse_str`] found.
#[derive(Debug, Default)]
pub struct DrillParse {
    pub captures: Vec<DrillCapture>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Markers of each kind's first line; any of them makes an input worth the drill pass.
const MARKERS: &[&str] = &[
    "#instances",
    "ChunkSz",
    "Total Usage",
    "Usage per loader:",
    "Full thread dump",
    "\nDetails:",
];

/// True when `text` may hold a drill-down answer: one pass over the text for all markers at
/// once (the regex crate's multi-literal search); five `memmem` passes cost 8% of NMT summary
/// parsing on a 48 MiB file, this one pass costs the figure in docs/culprits.md.
pub fn looks_like_drill(text: &str) -> bool {
    static MARKERS_RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = MARKERS_RE.get_or_init(|| {
        let alternation: Vec<String> = MARKERS.iter().map(|m| regex::escape(m)).collect();
        regex::Regex::new(&alternation.join("|")).ok()
    });
    match re {
        Some(re) => re.is_match(text),
        None => MARKERS
            .iter()
            .any(|m| memchr::memmem::find(text.as_bytes(), m.as_bytes()).is_some()),
    }
}

/// Rows being collected for one capture: each name once, amounts of repeated names summed.
#[derive(Debug, Default)]
pub struct Rows {
    rows: Vec<DrillRow>,
    index: HashMap<Arc<str>, usize>,
    pub total_bytes: Option<u64>,
    pub total_count: Option<u64>,
}

impl Rows {
    /// Adds `bytes` and `count` to the row `name` (created when new) and returns it.
    pub fn add(&mut self, name: &str, bytes: u64, count: u64) -> &mut DrillRow {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let name: Arc<str> = Arc::from(name);
                self.rows.push(DrillRow::new(Arc::clone(&name), 0, 0));
                self.index.insert(name, self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        // `i` came from the index, which only holds positions of pushed rows.
        let row = &mut self.rows[i];
        row.bytes = row.bytes.saturating_add(bytes);
        row.count = row.count.saturating_add(count);
        row
    }

    /// True when no row was read.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, in the order first printed.
    pub fn into_rows(self) -> Vec<DrillRow> {
        self.rows
    }
}

/// Options of [`parse_with`].
#[derive(Debug, Clone, Default)]
pub struct DrillOptions {
    /// The time of captures that have no timestamp line (a session record's time).
    pub default_timestamp: Option<DateTime<FixedOffset>>,
    /// Lines of the source before `text`, so line numbers point into the original.
    pub first_line: u64,
}

/// Reads every drill-down answer in `text`.
pub fn parse_str(source: &Arc<str>, text: &str) -> DrillParse {
    parse_with(source, text, &DrillOptions::default())
}

/// [`parse_str`] with a default timestamp and a line offset.
pub fn parse_with(source: &Arc<str>, text: &str, options: &DrillOptions) -> DrillParse {
    parse_after_context(source, text, options, 0)
}

/// [`parse_with`] where the first `context_lines` lines of `text` were already read (the end
/// of the previous block of an input read block by block): they are only looked back at for
/// a capture's pid and timestamp lines, never read as a capture.
pub fn parse_after_context(
    source: &Arc<str>,
    text: &str,
    options: &DrillOptions,
    context_lines: usize,
) -> DrillParse {
    let mut out = DrillParse::default();
    if !looks_like_drill(text) {
        return out;
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut nmt_start: Option<usize> = None;
    // `show-loaders` prints its totals after the loaders: that capture is dated as they are.
    let mut after_loaders: Option<(usize, Option<DateTime<FixedOffset>>, Option<u32>)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let kind = if histogram::is_header(line) {
            Some(DrillKind::ClassHistogram)
        } else if classloaders::is_header(line) {
            Some(DrillKind::ClassLoaderStats)
        } else if metaspace::is_loaders_header(line) {
            Some(DrillKind::MetaspaceLoaders)
        } else if metaspace::is_header(line) {
            Some(DrillKind::Metaspace)
        } else if threads::is_header(line) {
            Some(DrillKind::ThreadDump)
        } else if nmt_detail::is_header(line) {
            Some(DrillKind::NmtDetail)
        } else {
            if line.trim_start().starts_with("Native Memory Tracking:") {
                nmt_start = Some(i);
            }
            None
        };
        let Some(kind) = kind.filter(|_| i >= context_lines) else {
            i += 1;
            continue;
        };
        let mut rows = Rows::default();
        let end = match kind {
            DrillKind::ClassHistogram => histogram::read(&lines, i + 1, &mut rows),
            DrillKind::ClassLoaderStats => classloaders::read(&lines, i + 1, &mut rows),
            DrillKind::Metaspace => metaspace::read(&lines, i, &mut rows),
            DrillKind::MetaspaceLoaders => metaspace::read_loaders(&lines, i + 1, &mut rows),
            DrillKind::ThreadDump => threads::read(&lines, i + 1, &mut rows),
            DrillKind::NmtDetail => nmt_detail::read(&lines, i + 1, &mut rows),
        }
        .max(i + 1);
        // The capture's own header is the jcmd answer's first line: NMT's for its call sites.
        let head = match kind {
            DrillKind::NmtDetail => nmt_start.take().unwrap_or(i),
            _ => i,
        };
        let (mut timestamp, mut pid, first) = preamble(&lines, head);
        if let Some((loaders_end, t, p)) = after_loaders.take() {
            let between = lines.get(loaders_end..i).unwrap_or_default();
            if kind == DrillKind::Metaspace && between.iter().all(|l| l.trim().is_empty()) {
                timestamp = timestamp.or(t);
                pid = pid.or(p);
            }
        }
        if kind == DrillKind::MetaspaceLoaders {
            after_loaders = Some((end, timestamp, pid));
        }
        let line_no = options.first_line + first as u64 + 1;
        if rows.is_empty() {
            out.diagnostics.push(Diagnostic::warning(
                source,
                line_no,
                format!("{} answer with no rows: skipped", kind.command()),
            ));
        } else {
            let total_bytes = rows.total_bytes;
            let total_count = rows.total_count;
            out.captures.push(DrillCapture {
                kind,
                source: Arc::clone(source),
                line: line_no,
                timestamp: timestamp.or(options.default_timestamp),
                pid,
                rows: rows.into_rows(),
                total_bytes,
                total_count,
                text: Arc::from(lines[first..end.min(lines.len())].join("\n")),
            });
        }
        i = end;
    }
    out
}

/// The timestamp and jcmd pid written in the few lines before line `head`, and the index of
/// the first of those lines. Looks back over at most three non-blank lines; the nearest
/// timestamp wins (a thread dump prints its own time after jcmd's `<pid>:`).
fn preamble(lines: &[&str], head: usize) -> (Option<DateTime<FixedOffset>>, Option<u32>, usize) {
    let (mut timestamp, mut pid, mut first) = (None, None, head);
    let mut seen = 0;
    let mut j = head;
    while j > 0 && seen < 3 {
        j -= 1;
        let line = lines[j].trim();
        if line.is_empty() {
            continue;
        }
        // JDK 25's VM.metaspace opens with two summary lines before `Total Usage`.
        if line.starts_with("Metaspace ") || line.starts_with("class space ") {
            continue;
        }
        seen += 1;
        if let Some(p) = jcmd_pid(line) {
            pid = pid.or(Some(p));
            first = j;
        } else if let Some(t) = crate::nmt::parse_timestamp_line(line) {
            timestamp = timestamp.or(Some(t));
            first = j;
        } else {
            break;
        }
    }
    (timestamp, pid, first)
}

/// `12345:` — jcmd's first line.
fn jcmd_pid(line: &str) -> Option<u32> {
    line.strip_suffix(':')?.parse().ok()
}

/// Thread names, loader types and call sites with their numbers replaced by `%d`
/// (`pool-3-thread-17` → `pool-%d-thread-%d`), so the members of one group share a name.
pub fn strip_numbers(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_digits = false;
    for c in name.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push_str("%d");
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
