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

use crate::model::intern::Interner;
use crate::model::{Diagnostic, Snapshot};

use super::builder::{Feed, SnapshotBuilder};
use super::jcmd_errors::jcmd_failure;
use super::lines::{
    headerless_total, jvm_version_line, lines, pid_before, shorten, timestamp_before,
};
use super::shapes::{Known, Shapes};
use super::templates::Template;

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

/// What the consumer of a scan keeps of each snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Everything read: the model of `report`, `view`, `diff` and JSON.
    #[default]
    All,
    /// What a table of category totals shows (`export --format csv`): per snapshot its
    /// place, time, pid, kind, completeness, Total and each category's name, amounts and
    /// deltas. The sub-fields (`malloc=`, `Metadata`…) of a category may be missing or partial:
    /// sub-lines of a shape read before are only counted (`shapes.rs`). Diagnostics are the
    /// same as with [`Keep::All`].
    Totals,
}

/// Snapshots and diagnostics read from one text.
#[derive(Debug, Clone, Default)]
pub struct NmtParse {
    pub snapshots: Vec<Snapshot>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Interned category names: one shared `Arc<str>` per distinct name.
pub(super) type Names = Interner;

/// Shared state of one scan: names are interned so 100k snapshots share their strings, and
/// each distinct oddity is reported once, not once per snapshot.
pub(super) struct Context {
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    names: Names,
    /// Keys of once-only warnings, with the index of the diagnostic each produced.
    reported: HashMap<String, usize>,
    /// Sub-line shapes read in full so far ([`Keep::Totals`] only).
    pub shapes: Option<Shapes<Known>>,
    /// Sub-line shapes read in full so far, with how to read their numbers ([`Keep::All`]
    /// only; `None`: a shape that is always read in full).
    pub templates: Option<Shapes<Option<Template>>>,
    /// The same for the amounts of category headers (the n-th category is the place).
    pub headers: Option<Shapes<Option<Template>>>,
}

impl Context {
    /// The shared copy of `name`, and whether this parse sees it for the first time.
    pub fn intern(&mut self, name: &str) -> (Arc<str>, bool) {
        self.names.get_str(name)
    }

    /// A warning reported only the first time its `key` is seen in this parse.
    pub fn warn_once(&mut self, key: String, line: u64, message: String) {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.reported.entry(key) {
            slot.insert(self.diagnostics.len());
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

/// Inputs smaller than this are scanned on the calling thread.
const PARALLEL_MIN_BYTES: usize = 8 << 20;

/// Reads every snapshot in `text`, with options.
///
/// Large inputs are cut at column-0 `Native Memory Tracking:` lines and the pieces scanned on
/// all cores. The result is the same as one sequential scan: a piece starts exactly where a
/// snapshot starts, the context a sequential scan would have had there (PID header, timestamp
/// line) is taken from where the previous piece ended, and once-only warnings stay once-only.
pub fn parse_with(source: &Arc<str>, text: &str, options: &ParseOptions) -> NmtParse {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_pieces(source, text, options, &cut_points(text))
}

/// Scans the pieces of `text` between `cuts` (starts of column-0 header lines) in parallel.
fn parse_pieces(source: &Arc<str>, text: &str, options: &ParseOptions, cuts: &[usize]) -> NmtParse {
    if cuts.is_empty() {
        let chunk = scan(source, text, options.first_line, options);
        return NmtParse {
            snapshots: chunk.snapshots,
            diagnostics: chunk.diagnostics,
        };
    }
    let (pieces, first_lines) = split_at_cuts(text, options.first_line, cuts);
    let chunks = scan_pieces(
        source,
        &pieces,
        &first_lines,
        options,
        &Names::default(),
        Keep::All,
    );
    merge(chunks, &first_lines, options)
}

/// Where to cut `text` for parallel scanning: starts of column-0 header lines, each at least
/// `PARALLEL_MIN_BYTES` after the previous cut, at most one per core.
fn cut_points(text: &str) -> Vec<usize> {
    cut_points_min(text, PARALLEL_MIN_BYTES)
}

/// [`cut_points`] with pieces of at least `min_piece_bytes`.
pub(super) fn cut_points_min(text: &str, min_piece_bytes: usize) -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || text.len() < 2 * min_piece_bytes {
        return Vec::new();
    }
    let pieces = cores.min(text.len() / min_piece_bytes);
    let finder = memchr::memmem::Finder::new("\nNative Memory Tracking:");
    let mut cuts = Vec::new();
    for k in 1..pieces {
        let from = (text.len() / pieces * k).max(cuts.last().map_or(0, |c| c + 1));
        if let Some(at) = text
            .get(from..)
            .and_then(|rest| finder.find(rest.as_bytes()))
        {
            cuts.push(from + at + 1);
        }
    }
    cuts.dedup();
    cuts
}

/// What one piece of the input gave, and the scanner state it ended in.
struct Chunk {
    snapshots: Vec<Snapshot>,
    diagnostics: Vec<Diagnostic>,
    reported: HashMap<String, usize>,
    /// The non-blank lines a sequential scan would remember at the end of this piece.
    tail: Vec<(u64, String)>,
    /// The last JVM version line seen in this piece (with the pid header before it).
    version: Option<(Option<u32>, Arc<str>)>,
    /// Snapshots finished before the piece's first version line (all of them when none).
    before_first_version: usize,
    /// The names interned while scanning (those it was given, and new ones).
    names: Names,
    /// Line feeds in the piece (counted by the scan, not by another pass).
    newlines: u64,
}

impl Chunk {
    /// Stands in for a piece whose thread panicked (a bug): says so instead of losing it all.
    fn failed(source: &Arc<str>, line: u64) -> Chunk {
        Chunk {
            snapshots: Vec::new(),
            diagnostics: vec![Diagnostic::error(
                source,
                line,
                "internal error while reading part of this input; please report it",
            )],
            reported: HashMap::new(),
            tail: Vec::new(),
            version: None,
            before_first_version: 0,
            names: Names::default(),
            newlines: 0,
        }
    }
}

fn merge(chunks: Vec<Chunk>, first_lines: &[u64], options: &ParseOptions) -> NmtParse {
    let mut merger = Merger::default();
    let mut out = NmtParse::default();
    for (chunk, &first_line) in chunks.into_iter().zip(first_lines) {
        merger.push(chunk, first_line, options, &mut out);
    }
    out
}

/// Joins the pieces of one input scanned apart, in order, into what one sequential scan gives:
/// what a scan remembers at the end of a piece (its last lines, the JVM version line seen,
/// the once-only warnings given) is carried into the next. Kept between calls when an input
/// is read block by block ([`super::stream::NmtStream`]).
#[derive(Default)]
pub(super) struct Merger {
    started: bool,
    reported: HashSet<String>,
    tail: Vec<(u64, String)>,
    version: Option<(Option<u32>, Arc<str>)>,
    /// Category names of the blocks so far, so that every block's snapshots share one
    /// `Arc<str>` per name (comparing shared names is a pointer comparison; `nmt_growth`
    /// took twice as long with a copy per block).
    names: Names,
}

impl Merger {
    /// Adds the next piece, whose first line is `first_line + 1`, to `out`.
    fn push(
        &mut self,
        mut chunk: Chunk,
        first_line: u64,
        options: &ParseOptions,
        out: &mut NmtParse,
    ) {
        if self.started {
            // Only a snapshot that starts at the cut lacks its context.
            if let Some(first) = chunk
                .snapshots
                .first_mut()
                .filter(|s| s.line == first_line + 1)
            {
                let recent: Vec<(u64, &str)> =
                    self.tail.iter().map(|(n, l)| (*n, l.as_str())).collect();
                let (pid, pid_line) = pid_before(&recent);
                first.pid = pid;
                first.line = pid_line.unwrap_or(first.line);
                first.timestamp = timestamp_before(&recent).or(options.default_timestamp);
            }
            // Snapshots before the piece's own first version line get the one seen before it.
            let before = chunk.before_first_version.min(chunk.snapshots.len());
            for snapshot in &mut chunk.snapshots[..before] {
                apply_version(snapshot, self.version.as_ref());
            }
        }
        self.started = true;
        let duplicates: HashSet<usize> = chunk
            .reported
            .iter()
            .filter(|(key, _)| self.reported.contains(*key))
            .map(|(_, &i)| i)
            .collect();
        self.reported.extend(chunk.reported.into_keys());
        out.diagnostics.extend(
            chunk
                .diagnostics
                .into_iter()
                .enumerate()
                .filter(|(i, _)| !duplicates.contains(i))
                .map(|(_, d)| d),
        );
        if chunk.names.len() > self.names.len() {
            // Names new in this piece: pieces scanned side by side may each have made a copy.
            self.names.absorb(chunk.names);
            for category in chunk.snapshots.iter_mut().flat_map(|s| &mut s.categories) {
                if let Some(shared) = self.names.shared(&category.name) {
                    if !Arc::ptr_eq(shared, &category.name) {
                        category.name = Arc::clone(shared);
                    }
                }
            }
        }
        out.snapshots.append(&mut chunk.snapshots);
        self.tail = chunk.tail;
        if chunk.version.is_some() {
            self.version = chunk.version;
        }
    }
}

/// Scans the pieces of a block in parallel and merges them with `merger`'s state: the block's
/// first line is `first_line + 1`; `cuts` are starts of column-0 header lines in it. Also gives
/// the number of line feeds in `text`.
pub(super) fn parse_block(
    source: &Arc<str>,
    text: &str,
    first_line: u64,
    options: &ParseOptions,
    cuts: &[usize],
    merger: &mut Merger,
    keep: Keep,
) -> (NmtParse, u64) {
    let (pieces, first_lines) = split_at_cuts(text, first_line, cuts);
    let chunks = scan_pieces(source, &pieces, &first_lines, options, &merger.names, keep);
    let mut out = NmtParse::default();
    let mut newlines = 0;
    for (chunk, &first) in chunks.into_iter().zip(&first_lines) {
        newlines += chunk.newlines;
        merger.push(chunk, first, options, &mut out);
    }
    (out, newlines)
}

/// The pieces of `text` between `cuts`, and the number of lines before each.
fn split_at_cuts<'t>(text: &'t str, first_line: u64, cuts: &[usize]) -> (Vec<&'t str>, Vec<u64>) {
    let mut bounds = vec![0];
    bounds.extend(cuts);
    bounds.push(text.len());
    let pieces: Vec<&str> = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let mut first_lines = vec![first_line];
    for piece in &pieces[..pieces.len() - 1] {
        let newlines = memchr::memchr_iter(b'\n', piece.as_bytes()).count() as u64;
        first_lines.push(first_lines[first_lines.len() - 1] + newlines);
    }
    (pieces, first_lines)
}

/// Each piece scanned on its own thread (the last on this one).
fn scan_pieces(
    source: &Arc<str>,
    pieces: &[&str],
    first_lines: &[u64],
    options: &ParseOptions,
    names: &Names,
    keep: Keep,
) -> Vec<Chunk> {
    if pieces.len() == 1 {
        return vec![scan_with_names(
            source,
            pieces[0],
            first_lines[0],
            options,
            names.clone(),
            keep,
        )];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .zip(first_lines)
            .map(|(piece, &first)| {
                let names = names.clone();
                scope.spawn(move || scan_with_names(source, piece, first, options, names, keep))
            })
            .collect();
        handles
            .into_iter()
            .zip(first_lines)
            .zip(pieces)
            .map(|((h, &first), piece)| {
                h.join().unwrap_or_else(|_| Chunk {
                    newlines: memchr::memchr_iter(b'\n', piece.as_bytes()).count() as u64,
                    ..Chunk::failed(source, first)
                })
            })
            .collect()
    })
}

/// Gives `snapshot` the JVM version seen before it, when it applies to its pid.
fn apply_version(snapshot: &mut Snapshot, version: Option<&(Option<u32>, Arc<str>)>) {
    // The version applies to the pid it was asked of (or to all, when either is unknown).
    if let Some((pid, version)) = version {
        if pid.is_none() || snapshot.pid.is_none() || *pid == snapshot.pid {
            snapshot.jvm_version = Some(Arc::clone(version));
        }
    }
}

/// One sequential scan of `text`, whose first line is `first_line + 1`.
fn scan(source: &Arc<str>, text: &str, first_line: u64, options: &ParseOptions) -> Chunk {
    scan_with_names(
        source,
        text,
        first_line,
        options,
        Names::default(),
        Keep::All,
    )
}

/// [`scan`] that interns category names into `names` (those of earlier blocks).
fn scan_with_names(
    source: &Arc<str>,
    text: &str,
    first_line: u64,
    options: &ParseOptions,
    names: Names,
    keep: Keep,
) -> Chunk {
    let mut ctx = Context {
        source: Arc::clone(source),
        diagnostics: Vec::new(),
        names,
        reported: HashMap::new(),
        shapes: (keep == Keep::Totals).then(Shapes::default),
        templates: (keep == Keep::All).then(Shapes::default),
        headers: (keep == Keep::All).then(Shapes::default),
    };
    let mut snapshots = Vec::new();
    let mut recent: Vec<(u64, &str)> = Vec::with_capacity(LOOKBACK + 1);
    let mut current: Option<SnapshotBuilder<'_>> = None;
    // The last JVM version line seen, with the pid header before it.
    let mut version_seen: Option<(Option<u32>, Arc<str>)> = None;
    let mut before_first_version = usize::MAX;
    let mut line_count: u64 = 0;

    for raw in lines(text) {
        line_count += 1;
        let line_no = first_line + line_count;
        let line = raw.trim_ascii_end();
        if let Some(builder) = current.as_mut() {
            match builder.feed(line, line_no, &mut ctx) {
                Feed::Consumed => continue,
                Feed::Ended => {
                    if let Some(b) = current.take() {
                        finish(b, &mut ctx, &mut snapshots, options, version_seen.as_ref());
                    }
                    recent.clear();
                }
            }
        }
        if line.trim_ascii_start().is_empty() {
            continue;
        }
        if let Some(at) = line.find(HEADER) {
            let prefix = &line[..at];
            let prefix_len = if prefix.trim().is_empty() { 0 } else { at };
            let (pid, pid_line) = pid_before(&recent);
            let timestamp = timestamp_before(&recent);
            let start = pid_line.unwrap_or(line_no);
            current = Some(SnapshotBuilder::new(start, pid, timestamp, prefix_len));
            recent.clear();
            continue;
        }
        // Pasted from the `Total:` line on (the header left behind): unambiguous NMT all the
        // same. The builder starts as if the header had been there and the Total is its
        // first line.
        if let Some(at) = headerless_total(line) {
            let (pid, pid_line) = pid_before(&recent);
            let timestamp = timestamp_before(&recent);
            let start = pid_line.unwrap_or(line_no);
            let prefix_len = if line[..at].trim().is_empty() { 0 } else { at };
            let mut builder = SnapshotBuilder::new(start, pid, timestamp, prefix_len);
            ctx.warn_once(
                "headerless".to_string(),
                line_no,
                "NMT summary without its `Native Memory Tracking:` header (pasted from the \
                 `Total:` line on?): read from the Total line"
                    .to_string(),
            );
            builder.feed(line, line_no, &mut ctx);
            current = Some(builder);
            recent.clear();
            continue;
        }
        // `jcmd PID VM.version` (or `java -version`) before the snapshots: the JVM's version,
        // for the snapshots of that pid that follow. Not remembered as a context line, so the
        // timestamp line before it still reaches the snapshot.
        if let Some(version) = jvm_version_line(line) {
            let (pid, _) = pid_before(&recent);
            if version_seen.is_none() {
                before_first_version = snapshots.len();
            }
            version_seen = Some((pid, Arc::from(version)));
            continue;
        }
        if line.trim().starts_with("JDK ") && version_seen.is_some() {
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
    // A snapshot still open here would, in one sequential scan, be ended by the next piece's
    // header line, which clears what the scanner remembers.
    let tail = if current.is_some() {
        Vec::new()
    } else {
        recent.iter().map(|(n, l)| (*n, (*l).to_string())).collect()
    };
    if let Some(b) = current.take() {
        finish(b, &mut ctx, &mut snapshots, options, version_seen.as_ref());
    }
    let snapshots_len = snapshots.len();
    Chunk {
        snapshots,
        diagnostics: ctx.diagnostics,
        reported: ctx.reported,
        tail,
        before_first_version: before_first_version.min(snapshots_len),
        version: version_seen,
        names: ctx.names,
        // `lines` gives the text after the last line feed too.
        newlines: line_count.saturating_sub(1),
    }
}

fn finish(
    builder: SnapshotBuilder,
    ctx: &mut Context,
    snapshots: &mut Vec<Snapshot>,
    options: &ParseOptions,
    version: Option<&(Option<u32>, Arc<str>)>,
) {
    if let Some(mut snapshot) = builder.finish(ctx) {
        if snapshot.timestamp.is_none() {
            snapshot.timestamp = options.default_timestamp;
        }
        apply_version(&mut snapshot, version);
        snapshots.push(snapshot);
    }
}

#[cfg(test)]
#[path = "scan_props.rs"]
mod props;

#[cfg(test)]
#[path = "scan_tests.rs"]
mod tests;
