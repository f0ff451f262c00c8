//! Files, directories and rotated sets: `gc.log` + `gc.log.0…N` (unified `filecount=`), JDK 8's
//! `gc.log.0`, `gc.log.1`, … `gc.log.N.current`. Files are read one after the other in time
//! order: by the first wall-clock time in each file, else the first uptime, else rotation order
//! (numbered parts ascending, then `.current`, then the bare name, which unified logging keeps
//! as the file being written).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{
    GcLogInfo, GcParse, GcSink, MAX_STORED_DIAGNOSTICS, decorators, finish_events, legacy,
};
use crate::model::{Diagnostic, GcEvent, GcEvents};

/// Read buffer: large enough that a read call costs little per byte, small enough to stay in cache.
const BUFFER_BYTES: usize = 64 * 1024;

/// Reads GC logs from files and directories into one timeline.
pub fn load_paths(paths: &[PathBuf]) -> GcParse {
    let (files, errors) = expand(paths);
    let files = path_files(&files);
    let refs: Vec<&dyn GcFile> = files.iter().map(|f| f as &dyn GcFile).collect();
    let mut all = load_files(&refs);
    let mut errors = errors;
    errors.append(&mut all.diagnostics);
    all.diagnostics = errors;
    all
}

/// Reads a set of GC logs (a rotated set, wherever its files are) into one timeline.
pub fn load_files(files: &[&dyn GcFile]) -> GcParse {
    let mut all = GcParse::default();
    for file in order_files(files) {
        let mut events = GcEvents::new();
        let (info, diagnostics) = read_one(file, &mut events, all.info.region_size_bytes);
        let mut one = GcParse {
            events,
            info,
            diagnostics,
        };
        finish_events(&mut one);
        // Only the previous file's last events can be continued: a window fixed before this
        // file's events are added (a window that grew with them made the join quadratic, and
        // `continues` never matches within one file anyway). The window is taken out of the
        // packed store while this file's events are joined to it, then put back before them.
        let tail_start = all.events.len().saturating_sub(JOIN_TAIL);
        let mut tail = all.events.split_off(tail_start).to_vec();
        let rest = if tail.is_empty() {
            one.events
        } else {
            let mut rest = GcEvents::new();
            for e in &one.events {
                if let Some(earlier) = tail.iter_mut().rev().find(|a| continues(a, &e)) {
                    join(earlier, e);
                } else {
                    rest.push(e);
                }
            }
            rest
        };
        all.events.extend(tail);
        all.events.append(rest);
        merge(
            &mut all.info,
            &mut all.diagnostics,
            one.info,
            one.diagnostics,
        );
    }
    if all.events.all_timestamped() {
        all.events.sort_by_time();
    }
    all.events.shrink_to_fit();
    all
}

/// Reads GC logs from files and directories, handing each event to `sink` as it completes.
pub fn load_paths_with<S: GcSink>(paths: &[PathBuf], sink: &mut S) -> (GcLogInfo, Vec<Diagnostic>) {
    let (files, mut diagnostics) = expand(paths);
    let files = path_files(&files);
    let refs: Vec<&dyn GcFile> = files.iter().map(|f| f as &dyn GcFile).collect();
    let (info, d) = load_files_with(&refs, sink);
    diagnostics.extend(d);
    (info, diagnostics)
}

/// Reads a set of GC logs (rotated files of one JVM) in time order as one log, handing each
/// event to `sink` as it completes.
pub fn load_files_with<S: GcSink>(
    files: &[&dyn GcFile],
    sink: &mut S,
) -> (GcLogInfo, Vec<Diagnostic>) {
    // One file: nothing to order or join. Read once (ordering opens each file to find its
    // first time) and without the joiner's 64-event delay, which moved every event twice.
    if let [file] = files {
        let (one, d) = read_one(*file, sink, None);
        let mut info = GcLogInfo::default();
        let mut diagnostics = Vec::new();
        merge(&mut info, &mut diagnostics, one, d);
        return (info, diagnostics);
    }
    let mut diagnostics = Vec::new();
    let mut info = GcLogInfo::default();
    let mut joiner = Joiner {
        held: std::collections::VecDeque::new(),
        tail: Vec::new(),
        seen_in_file: 0,
        sink,
    };
    for file in order_files(files) {
        let (one, d) = read_one(file, &mut joiner, info.region_size_bytes);
        merge(&mut info, &mut diagnostics, one, d);
    }
    joiner.flush();
    (info, diagnostics)
}

/// One GC log of a set. The set reader opens it twice: once to learn its first time (to put
/// the set in order), once to read it. Files on disk are `PathFile`s; archive members and
/// compressed files are opened by `input`.
pub trait GcFile {
    /// The name in messages and events. Its rotation suffix (`.3`, `.current`, before a
    /// `.gz`) orders a set whose files carry no times.
    fn name(&self) -> &str;
    /// Calls `read` with the log's text from its start.
    fn read(&self, read: &mut dyn FnMut(&mut dyn BufRead)) -> std::io::Result<()>;
}

/// A GC log file on disk.
pub struct PathFile {
    pub path: PathBuf,
    name: String,
}

impl PathFile {
    pub fn new(path: PathBuf) -> Self {
        let name = path.display().to_string();
        PathFile { path, name }
    }
}

impl GcFile for PathFile {
    fn name(&self) -> &str {
        &self.name
    }

    fn read(&self, read: &mut dyn FnMut(&mut dyn BufRead)) -> std::io::Result<()> {
        let mut reader = BufReader::with_capacity(BUFFER_BYTES, File::open(&self.path)?);
        read(&mut reader);
        Ok(())
    }
}

fn path_files(paths: &[PathBuf]) -> Vec<PathFile> {
    paths.iter().cloned().map(PathFile::new).collect()
}

/// How many of the previous file's last events may be continued by the next file.
const JOIN_TAIL: usize = 64;

/// Holds the last events of each file back so that a collection the JVM split across two
/// rotated files (it rotates by size, in the middle of a collection's lines) becomes one event
/// again. Within one file events pass straight through, after a short delay.
struct Joiner<'a, S: GcSink> {
    /// The current file's most recent events.
    held: std::collections::VecDeque<GcEvent>,
    /// The previous file's last events, open to continuation by the current file's first ones.
    tail: Vec<GcEvent>,
    /// Events seen from the current file.
    seen_in_file: usize,
    sink: &'a mut S,
}

impl<S: GcSink> Joiner<'_, S> {
    fn flush_tail(&mut self) {
        for e in self.tail.drain(..) {
            self.sink.event(e);
        }
    }

    fn flush(&mut self) {
        self.flush_tail();
        while let Some(e) = self.held.pop_front() {
            self.sink.event(e);
        }
    }
}

impl<S: GcSink> GcSink for Joiner<'_, S> {
    fn event(&mut self, e: GcEvent) {
        let new_file = self
            .held
            .back()
            .is_some_and(|last| !Arc::ptr_eq(&last.source, &e.source));
        if new_file {
            self.flush_tail();
            self.tail.extend(self.held.drain(..));
            self.seen_in_file = 0;
        }
        self.seen_in_file += 1;
        if !self.tail.is_empty() {
            if let Some(earlier) = self.tail.iter_mut().rev().find(|a| continues(a, &e)) {
                join(earlier, e);
                return;
            }
            if self.seen_in_file > JOIN_TAIL {
                self.flush_tail();
            }
        }
        self.held.push_back(e);
        if self.held.len() > JOIN_TAIL {
            if let Some(old) = self.held.pop_front() {
                self.sink.event(old);
            }
        }
    }
}

/// True when `b` (from a later file) is the rest of collection `a`: same unified GC id, a
/// different file, and close in time (a restarted JVM counts ids from 0 again).
fn continues(a: &GcEvent, b: &GcEvent) -> bool {
    a.gc_id.is_some()
        && a.gc_id == b.gc_id
        && a.source != b.source
        && match (a.uptime_s, b.uptime_s) {
            (Some(x), Some(y)) => y >= x && y - x < 600.0,
            _ => match (a.timestamp, b.timestamp) {
                (Some(x), Some(y)) => y >= x && (y - x).num_seconds() < 600,
                _ => false,
            },
        }
}

/// Folds the later piece of a collection into the earlier one.
fn join(a: &mut GcEvent, b: GcEvent) {
    if a.kind == crate::model::GcKind::Other || &*a.name == "GC" {
        a.kind = b.kind;
        a.name = b.name;
    }
    a.cause = a.cause.take().or(b.cause);
    a.pause_ms += b.pause_ms;
    a.concurrent_ms = match (a.concurrent_ms, b.concurrent_ms) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    a.heap_before_bytes = a.heap_before_bytes.or(b.heap_before_bytes);
    a.heap_after_bytes = b.heap_after_bytes.or(a.heap_after_bytes);
    a.heap_capacity_bytes = b.heap_capacity_bytes.or(a.heap_capacity_bytes);
    a.young_before_bytes = a.young_before_bytes.or(b.young_before_bytes);
    a.young_after_bytes = b.young_after_bytes.or(a.young_after_bytes);
    a.old_before_bytes = a.old_before_bytes.or(b.old_before_bytes);
    a.old_after_bytes = b.old_after_bytes.or(a.old_after_bytes);
    a.metaspace_before_bytes = a.metaspace_before_bytes.or(b.metaspace_before_bytes);
    a.metaspace_after_bytes = b.metaspace_after_bytes.or(a.metaspace_after_bytes);
}

fn merge(
    info: &mut GcLogInfo,
    diagnostics: &mut Vec<Diagnostic>,
    one: GcLogInfo,
    d: Vec<Diagnostic>,
) {
    info.merge(one);
    let room = MAX_STORED_DIAGNOSTICS.saturating_sub(diagnostics.len());
    diagnostics.extend(d.into_iter().take(room));
}

fn read_one<S: GcSink>(
    file: &dyn GcFile,
    sink: &mut S,
    region_size_hint: Option<u64>,
) -> (GcLogInfo, Vec<Diagnostic>) {
    let source: Arc<str> = Arc::from(file.name());
    let options = super::ParseOptions { region_size_hint };
    let mut result = None;
    let opened = file.read(&mut |reader| {
        result = Some(super::parse_reader_opts(
            Arc::clone(&source),
            reader,
            &mut *sink,
            &options,
        ));
    });
    match (opened, result) {
        (Ok(()), Some(result)) => result,
        (Err(e), _) => {
            let d = Diagnostic::error(&source, 0, format!("cannot read: {e}"));
            (GcLogInfo::default(), vec![d])
        }
        (Ok(()), None) => (GcLogInfo::default(), Vec::new()),
    }
}

/// Files named directly, plus the GC logs found in directories (one level, sniffed by content).
fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| f.is_file() && sniff(f))
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => {
                    let source: Arc<str> = Arc::from(p.display().to_string());
                    errors.push(Diagnostic::error(
                        &source,
                        0,
                        format!("cannot read directory: {e}"),
                    ));
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    (files, errors)
}

fn sniff(path: &Path) -> bool {
    let mut head = Vec::with_capacity(16 * 1024);
    File::open(path)
        .and_then(|f| f.take(16 * 1024).read_to_end(&mut head))
        .is_ok()
        && super::looks_like_gc_log(&String::from_utf8_lossy(&head))
}

/// First wall-clock time, first uptime, rotation rank.
type OrderKey = (Option<DateTime<FixedOffset>>, Option<f64>, (u8, u64));

/// The order to read files in: by first wall-clock time when every file has one, else by first
/// uptime when every file has one, else by rotation number; ties keep the given order.
pub fn order_files<'a>(files: &[&'a dyn GcFile]) -> Vec<&'a dyn GcFile> {
    let keys: Vec<OrderKey> = files
        .iter()
        .map(|f| {
            let (t, u) = first_time(*f);
            (t, u, rotation_rank(Path::new(f.name())))
        })
        .collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    if keys.iter().all(|k| k.0.is_some()) {
        order.sort_by_key(|i| keys.get(*i).and_then(|k| k.0));
    } else if keys.iter().all(|k| k.1.is_some()) {
        order.sort_by(|a, b| {
            let ua = keys.get(*a).and_then(|k| k.1).unwrap_or(0.0);
            let ub = keys.get(*b).and_then(|k| k.1).unwrap_or(0.0);
            ua.total_cmp(&ub)
        });
    } else {
        order.sort_by_key(|i| keys.get(*i).map(|k| k.2));
    }
    order
        .into_iter()
        .filter_map(|i| files.get(i).copied())
        .collect()
}

/// `gc.log.3` → (0, 3); `gc.log.3.current` → (1, 3); `gc.log` → (2, 0).
fn rotation_rank(path: &Path) -> (u8, u64) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").map(str::to_string).unwrap_or(name);
    let (name, current) = match name.strip_suffix(".current") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let number = name.rsplit('.').next().and_then(|s| s.parse::<u64>().ok());
    match (number, current) {
        (Some(n), false) => (0, n),
        (Some(n), true) => (1, n),
        (None, true) => (1, 0),
        (None, false) => (2, 0),
    }
}

/// The first time a file mentions, from its first 256 lines.
fn first_time(file: &dyn GcFile) -> (Option<DateTime<FixedOffset>>, Option<f64>) {
    let mut found = (None, None);
    let _ = file.read(&mut |reader| found = first_time_in(reader));
    found
}

fn first_time_in(reader: &mut dyn BufRead) -> (Option<DateTime<FixedOffset>>, Option<f64>) {
    let mut reader = reader.take(256 * 1024);
    let mut line = Vec::new();
    let mut uptime = None;
    for _ in 0..256 {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let (prefix, _) = decorators::split(&line);
        let (t, u) = if prefix.is_empty() {
            let p = legacy::prefix::prefix(&line);
            (p.timestamp, p.uptime_s)
        } else {
            decorators::times(prefix)
        };
        if t.is_some() {
            return (t, u.or(uptime));
        }
        uptime = uptime.or(u);
    }
    (None, uptime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_rotated_names() {
        assert!(rotation_rank(Path::new("gc.log.0")) < rotation_rank(Path::new("gc.log.1")));
        assert!(
            rotation_rank(Path::new("gc.log.9")) < rotation_rank(Path::new("gc.log.2.current"))
        );
        assert!(rotation_rank(Path::new("gc.log.2.current")) < rotation_rank(Path::new("gc.log")));
        assert_eq!(rotation_rank(Path::new("gc.log.3.gz")), (0, 3));
    }
}
