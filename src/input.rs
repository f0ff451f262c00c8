//! Reading inputs — files, directories, stdin (`-`) — and telling NMT output, GC logs and
//! session recordings apart by their content, then parsing each into one [`Timeline`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::model::{Diagnostic, Timeline, Update};
use crate::nmt;

/// What an input holds, decided from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// jcmd / PrintNMTStatistics text (also the default for text we cannot place).
    Nmt,
    GcLog,
    /// A recording written by `jvmem live --record`.
    Session,
    /// A Java Flight Recorder file (`FLR\0`).
    Jfr,
    /// NUL bytes and none of the above: not read (as `grep` does with binary files).
    Binary,
}

/// An input that could not be read at all.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: is a directory with no files in it")]
    EmptyDirectory(String),
}

/// How many bytes are looked at to decide an input's kind.
const SNIFF_BYTES: usize = 64 * 1024;

/// Decides what `head` (the first bytes of an input) is.
pub fn detect_kind(head: &[u8]) -> InputKind {
    let end = head.len().min(SNIFF_BYTES);
    if crate::jfr::is_jfr(head) {
        return InputKind::Jfr;
    }
    let text = String::from_utf8_lossy(&head[..end]);
    if crate::session::looks_like_session(&text) {
        InputKind::Session
    } else if nmt::looks_like_nmt(&text) {
        InputKind::Nmt
    } else if crate::gclog::looks_like_gc_log(&text) {
        InputKind::GcLog
    } else if head[..end].contains(&0) {
        InputKind::Binary
    } else {
        InputKind::Nmt
    }
}

/// Lines longer than this are skipped when reading NMT text (a real NMT line is under 200
/// bytes; a 1 GB line must not cost a gigabyte of memory).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads text line by line, keeping lines up to [`MAX_LINE_BYTES`]; a longer line becomes an
/// empty line (so line numbers stay right) and a warning naming it. Invalid UTF-8 is read
/// lossily, line by line.
pub fn read_text_capped<R: std::io::BufRead>(
    source: &Arc<str>,
    reader: R,
) -> std::io::Result<(String, Vec<Diagnostic>)> {
    read_text_capped_sized(source, reader, 0)
}

/// [`read_text_capped`] into a buffer sized for `expected_bytes` up front (a file's length),
/// which saves the copies of a growing buffer.
pub fn read_text_capped_sized<R: std::io::BufRead>(
    source: &Arc<str>,
    mut reader: R,
    expected_bytes: usize,
) -> std::io::Result<(String, Vec<Diagnostic>)> {
    let mut lines = CappedLines {
        source,
        text: Vec::with_capacity(expected_bytes),
        diagnostics: Vec::new(),
        line_start: 0,
        skipped: 0,
        line_no: 1,
    };
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', buf) {
            lines.push(&buf[start..=newline]);
            lines.end_line();
            start = newline + 1;
        }
        lines.push(&buf[start..]);
        let used = buf.len();
        reader.consume(used);
    }
    lines.end_line();
    // One UTF-8 check over the whole text (SIMD); lossy only when something is invalid.
    let text = String::from_utf8(lines.text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((text, lines.diagnostics))
}

/// The state of [`read_text_capped`]: the bytes kept so far and where the current line began.
struct CappedLines<'a> {
    source: &'a Arc<str>,
    text: Vec<u8>,
    diagnostics: Vec<Diagnostic>,
    /// Where the current line starts in `text`.
    line_start: usize,
    /// Bytes of the current line dropped for being over the cap (0: none).
    skipped: u64,
    line_no: u64,
}

impl CappedLines<'_> {
    /// More of the current line.
    fn push(&mut self, piece: &[u8]) {
        if self.skipped > 0 {
            self.skipped += piece.len() as u64;
        } else if self.text.len() - self.line_start + piece.len() > MAX_LINE_BYTES {
            self.skipped = (self.text.len() - self.line_start + piece.len()) as u64;
            self.text.truncate(self.line_start);
        } else {
            self.text.extend_from_slice(piece);
        }
    }

    /// The current line is complete (its `\n`, if any, already pushed).
    fn end_line(&mut self) {
        if self.skipped > 0 {
            self.diagnostics.push(Diagnostic::warning(
                self.source,
                self.line_no,
                format!(
                    "line is {} long (over {}): skipped",
                    crate::model::units::format_bytes(self.skipped),
                    crate::model::units::format_bytes(MAX_LINE_BYTES as u64)
                ),
            ));
            self.text.push(b'\n');
            self.skipped = 0;
        }
        self.line_start = self.text.len();
        self.line_no += 1;
    }
}

/// Reads one input from a reader (a file or stdin): its kind is decided from its first bytes,
/// GC logs are parsed as they stream by, NMT text is read with [`read_text_capped`].
pub fn load_reader<R: Read>(source: &Arc<str>, reader: R) -> Timeline {
    load_reader_sized(source, reader, None)
}

/// [`load_reader`] knowing how big the input is (a file's length), when it is known.
fn load_reader_sized<R: Read>(source: &Arc<str>, mut reader: R, size: Option<u64>) -> Timeline {
    // A pipe may deliver less than asked per read: take the head explicitly, then read on
    // from the head followed by the rest.
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        let mut t = Timeline::default();
        t.diagnostics
            .push(Diagnostic::error(source, 0, format!("cannot read: {e}")));
        return t;
    }
    let mut reader = std::io::BufReader::with_capacity(
        SNIFF_BYTES,
        std::io::Cursor::new(head.clone()).chain(reader),
    );
    let mut timeline = Timeline::default();
    match detect_kind(&head) {
        InputKind::GcLog => {
            let parsed = crate::gclog::parse_reader(Arc::clone(source), reader);
            timeline.gc_events = parsed.events;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::Binary => timeline.diagnostics.push(binary_diagnostic(source)),
        InputKind::Jfr => {
            let mut bytes = Vec::new();
            timeline = match reader.read_to_end(&mut bytes) {
                Ok(_) => jfr_timeline(source, crate::jfr::read_bytes(source, &bytes)),
                Err(e) => {
                    let mut t = Timeline::default();
                    t.diagnostics
                        .push(Diagnostic::error(source, 0, format!("cannot read: {e}")));
                    t
                }
            };
        }
        InputKind::Session => {
            let mut bytes = Vec::new();
            match reader.read_to_end(&mut bytes) {
                Ok(_) => {
                    timeline =
                        crate::session::read_session(source, &String::from_utf8_lossy(&bytes))
                }
                Err(e) => timeline.diagnostics.push(Diagnostic::error(
                    source,
                    0,
                    format!("cannot read: {e}"),
                )),
            }
        }
        InputKind::Nmt => match read_text_capped_sized(
            source,
            reader,
            size.map_or(0, |n| usize::try_from(n).unwrap_or(0)),
        ) {
            Ok((text, diagnostics)) => {
                let parsed = nmt::parse_str(source, &text);
                timeline.snapshots = parsed.snapshots;
                timeline.diagnostics = diagnostics;
                timeline.diagnostics.extend(parsed.diagnostics);
            }
            Err(e) => {
                timeline
                    .diagnostics
                    .push(Diagnostic::error(source, 0, format!("cannot read: {e}")))
            }
        },
    }
    if timeline.is_empty()
        && timeline
            .diagnostics
            .iter()
            .all(|d| d.severity != crate::model::Severity::Error)
    {
        timeline.diagnostics.push(nothing_found(source));
    }
    timeline
}

/// A flight recording's timeline, or the reason it could not be read as a diagnostic.
fn jfr_timeline(
    source: &Arc<str>,
    read: Result<(Timeline, crate::jfr::JfrSummary), crate::jfr::JfrError>,
) -> Timeline {
    match read {
        Ok((t, _)) => t,
        Err(e) => {
            let mut t = Timeline::default();
            t.diagnostics
                .push(Diagnostic::error(source, 0, e.to_string()));
            t
        }
    }
}

fn binary_diagnostic(source: &Arc<str>) -> Diagnostic {
    Diagnostic::error(
        source,
        0,
        "binary data (NUL bytes in the first 64 KiB): not jcmd output, a GC log or a session; skipped",
    )
}

fn nothing_found(source: &Arc<str>) -> Diagnostic {
    Diagnostic::error(source, 0, "no NMT snapshot or GC event found in this input")
}

/// Reads a whole input: a path, or `-` for stdin.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, InputError> {
    let io = |source| InputError::Io {
        path: path.to_string(),
        source,
    };
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(io)
    }
}

/// The files an input names: itself, or a directory's files sorted by name (so rotated and
/// numbered snapshot files come in order).
pub fn expand(path: &str) -> Result<Vec<String>, InputError> {
    let p = Path::new(path);
    if path == "-" || !p.is_dir() {
        return Ok(vec![path.to_string()]);
    }
    let entries = std::fs::read_dir(p).map_err(|source| InputError::Io {
        path: path.to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return Err(InputError::EmptyDirectory(path.to_string()));
    }
    files.sort_by_cached_key(|p| natural_key(p));
    Ok(files
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// Sorts `snap-2` before `snap-10`: digit runs compare as numbers.
fn natural_key(path: &Path) -> Vec<(u64, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut key = Vec::new();
    let mut rest: &str = &name;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            key.push((rest[..digits].parse().unwrap_or(u64::MAX), String::new()));
            rest = &rest[digits..];
        } else {
            let text = rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
            key.push((0, rest[..text].to_string()));
            rest = &rest[text..];
        }
    }
    key
}

/// Parses one input's bytes according to its kind.
pub fn parse_bytes(source: &Arc<str>, bytes: &[u8]) -> Timeline {
    let mut timeline = Timeline::default();
    match detect_kind(bytes) {
        InputKind::Nmt => {
            let text = String::from_utf8_lossy(bytes);
            let parsed = nmt::parse_str(source, &text);
            timeline.snapshots = parsed.snapshots;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::GcLog => {
            let parsed = crate::gclog::parse_reader(Arc::clone(source), bytes);
            timeline.gc_events = parsed.events;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::Session => {
            let text = String::from_utf8_lossy(bytes);
            timeline = crate::session::read_session(source, &text);
        }
        InputKind::Binary => timeline.diagnostics.push(binary_diagnostic(source)),
        InputKind::Jfr => timeline = jfr_timeline(source, crate::jfr::read_bytes(source, bytes)),
    }
    if timeline.is_empty() && timeline.diagnostics.is_empty() {
        timeline.diagnostics.push(nothing_found(source));
    }
    timeline
}

/// Reads and parses every input (files, directories, `-`) into one timeline. An input that
/// cannot be opened becomes an error diagnostic; the others are still read. The timeline is
/// what [`load_streaming`]'s updates add up to, so the dashboard (which applies them as they
/// come) and the reports see the same data.
pub fn load(paths: &[String]) -> Timeline {
    load_with_gc_info(paths).0
}

/// [`load`], also returning what the GC logs among the inputs said about themselves (JVM
/// version, collector, lines read) when there were any.
pub fn load_with_gc_info(paths: &[String]) -> (Timeline, Option<crate::gclog::GcLogInfo>) {
    let mut timeline = Timeline::default();
    let info = load_streaming(paths, &mut |update| {
        timeline.apply(update);
        true
    });
    (timeline, info)
}

/// Bytes read between two [`Update::Progress`] reports of one file.
const PROGRESS_EVERY_BYTES: u64 = 4 << 20;

/// The one loader: reads every input (files, directories, `-`) and hands what it finds to
/// `send` as [`Update`]s, file by file — `Progress` while a file is read (bytes read so far,
/// of its size), then its `Diagnostics`, `Snapshots`, `GcEvents` and `Process` samples, then
/// `Finished`. GC log files are read together at the end, as one rotated set in time order,
/// streaming (never whole in memory). Stops early when `send` returns false (the dashboard is
/// gone). Returns what the GC logs said about themselves, when there were any.
pub fn load_streaming(
    paths: &[String],
    send: &mut dyn FnMut(Update) -> bool,
) -> Option<crate::gclog::GcLogInfo> {
    let mut gc_files: Vec<PathBuf> = Vec::new();
    for path in paths {
        let files = match expand(path) {
            Ok(files) => files,
            Err(e) => {
                if !send(Update::Diagnostics(vec![io_diagnostic(path, &e)])) {
                    return None;
                }
                continue;
            }
        };
        for file in files {
            if file != "-" {
                match read_head(&file) {
                    Ok(head) if detect_kind(&head) == InputKind::GcLog => {
                        gc_files.push(PathBuf::from(&file));
                        continue;
                    }
                    Ok(head) if detect_kind(&head) == InputKind::Jfr => {
                        let source: Arc<str> = Arc::from(file.as_str());
                        let read = crate::jfr::read_path(Path::new(&file));
                        let timeline = jfr_timeline(&source, read);
                        if !send_timeline(source, timeline, send) {
                            return None;
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if !send(Update::Diagnostics(vec![io_diagnostic(&file, &e)])) {
                            return None;
                        }
                        continue;
                    }
                }
            }
            if !load_one(&file, send) {
                return None;
            }
        }
    }
    if gc_files.is_empty() {
        return None;
    }
    let source: Arc<str> = match gc_files.as_slice() {
        [one] => Arc::from(one.to_string_lossy().as_ref()),
        many => Arc::from(format!("{} GC log files", many.len())),
    };
    let total_bytes = gc_files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let progress = |done_bytes| Update::Progress {
        source: Arc::clone(&source),
        done_bytes,
        total_bytes: Some(total_bytes),
    };
    if !send(progress(0)) {
        return None;
    }
    let parsed = crate::gclog::load_paths(&gc_files);
    let mut diagnostics = parsed.diagnostics;
    if parsed.events.is_empty() {
        for f in &gc_files {
            let source: Arc<str> = Arc::from(f.to_string_lossy().as_ref());
            diagnostics.push(nothing_found(&source));
        }
    }
    let updates = [
        Update::Diagnostics(diagnostics),
        Update::GcEvents(parsed.events),
        progress(total_bytes),
        Update::Finished { source },
    ];
    for update in updates {
        if !send(update) {
            return None;
        }
    }
    Some(parsed.info)
}

/// Reads one file (or `-`) that is not a GC log, sending its progress and contents; false
/// when `send` asked to stop.
fn load_one(file: &str, send: &mut dyn FnMut(Update) -> bool) -> bool {
    let source: Arc<str> = Arc::from(file);
    let opened: std::io::Result<(Box<dyn Read>, Option<u64>)> = if file == "-" {
        Ok((Box::new(std::io::stdin().lock()), None))
    } else {
        std::fs::File::open(file).map(|f| {
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f) as Box<dyn Read>, size)
        })
    };
    let (reader, size) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            let d = Diagnostic::error(&source, 0, format!("cannot read: {e}"));
            return send(Update::Diagnostics(vec![d]));
        }
    };
    let progress = |done_bytes| Update::Progress {
        source: Arc::clone(&source),
        done_bytes,
        total_bytes: size,
    };
    if !send(progress(0)) {
        return false;
    }
    let mut stopped = false;
    let timeline = {
        let counting = ProgressReader {
            inner: reader,
            done_bytes: 0,
            reported_bytes: 0,
            report: &mut |done| {
                if !stopped && !send(progress(done)) {
                    stopped = true;
                }
            },
        };
        load_reader_sized(&source, counting, size)
    };
    if stopped {
        return false;
    }
    send_timeline(source, timeline, send)
}

/// Sends what one input held, then that it is finished; false when `send` asked to stop.
fn send_timeline(
    source: Arc<str>,
    timeline: Timeline,
    send: &mut dyn FnMut(Update) -> bool,
) -> bool {
    let mut updates = vec![Update::Diagnostics(timeline.diagnostics)];
    if !timeline.snapshots.is_empty() {
        updates.push(Update::Snapshots(timeline.snapshots));
    }
    if !timeline.gc_events.is_empty() {
        updates.push(Update::GcEvents(timeline.gc_events));
    }
    updates.extend(timeline.process.into_iter().map(Update::Process));
    updates.extend(timeline.limit_bytes.map(Update::Limit));
    updates.push(Update::Finished { source });
    updates.into_iter().all(send)
}

/// A reader that reports how many bytes went through it, every [`PROGRESS_EVERY_BYTES`].
struct ProgressReader<'a, R> {
    inner: R,
    done_bytes: u64,
    reported_bytes: u64,
    report: &'a mut dyn FnMut(u64),
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done_bytes += n as u64;
        if self.done_bytes >= self.reported_bytes + PROGRESS_EVERY_BYTES {
            self.reported_bytes = self.done_bytes;
            (self.report)(self.done_bytes);
        }
        Ok(n)
    }
}

/// The first [`SNIFF_BYTES`] of a file, enough to tell its kind.
fn read_head(path: &str) -> Result<Vec<u8>, InputError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .map_err(|source| InputError::Io {
            path: path.to_string(),
            source,
        })?;
    Ok(head)
}

fn io_diagnostic(path: &str, error: &InputError) -> Diagnostic {
    let source: Arc<str> = Arc::from(path);
    let message = match error {
        InputError::Io { source, .. } => format!("cannot read: {source}"),
        other => other.to_string(),
    };
    Diagnostic::error(&source, 0, message)
}

/// An error when `path` is binary (NUL bytes in its first 64 KiB: `/dev/zero`,
/// `/dev/urandom`, an image), for readers that stream a path themselves (`jvmem gc`).
/// Only files and devices are looked at: a FIFO's bytes would be consumed by the look.
pub fn refuse_binary(path: &Path) -> Option<Diagnostic> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let device = {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_char_device() || meta.file_type().is_block_device()
    };
    #[cfg(not(unix))]
    let device = false;
    if !meta.is_file() && !device {
        return None;
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let file = std::fs::File::open(path).ok()?;
    file.take(SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
    (detect_kind(&head) == InputKind::Binary)
        .then(|| binary_diagnostic(&Arc::from(path.to_string_lossy().as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_lines_are_skipped_and_named_and_line_numbers_kept() {
        let source: Arc<str> = Arc::from("t");
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let mut input = format!("first\n{long}\nthird ").into_bytes();
        input.extend_from_slice(b"\xff\nlast");
        let bytes = input.as_slice();
        // Small reads, so lines arrive in pieces as from a pipe.
        let reader = std::io::BufReader::with_capacity(4096, bytes);
        let (text, diagnostics) = read_text_capped(&source, reader).unwrap();
        assert_eq!(text, "first\n\nthird \u{fffd}\nlast");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 2);
        assert!(
            diagnostics[0].message.contains("1.0 MiB long"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn natural_order_of_numbered_files() {
        let mut names = vec!["s-10.txt", "s-2.txt", "s-1.txt", "gc.log"];
        names.sort_by_key(|n| natural_key(Path::new(n)));
        assert_eq!(names, vec!["gc.log", "s-1.txt", "s-2.txt", "s-10.txt"]);
    }

    #[test]
    fn detects_kinds_by_content() {
        assert_eq!(
            detect_kind(b"1:\n\nNative Memory Tracking:\n"),
            InputKind::Nmt
        );
        assert_eq!(
            detect_kind(b"[0.010s][info][gc] Using G1\n[0.2s][info][gc] GC(0) Pause Young"),
            InputKind::GcLog
        );
        assert_eq!(detect_kind(b"\xff\xfe garbage"), InputKind::Nmt);
    }
}
