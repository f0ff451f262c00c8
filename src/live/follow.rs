//! Following growing files: [`FollowSource`] for concatenated NMT snapshots, [`GcLogSource`]
//! for a GC log. [`FileTail`] reads what was appended since the last look and notices a file
//! that was truncated or replaced (log rotation), reading the old file to its end first.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::{Diagnostic, Update};
use crate::session::{Record, RecordKind};

use super::{Chunk, Chunker, NmtCapturer, Sink, SourceHandle, capture_time};

/// At most this much is read per look, so a huge backlog does not stall a source's thread.
const READ_CAP: u64 = 8 << 20;

/// Something that happened to a followed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailEvent {
    /// Bytes appended.
    Data(Vec<u8>),
    /// The file starts over: truncated, or replaced by a new file (rotation). The reason.
    Restarted(String),
    /// The file cannot be opened (yet): why.
    Waiting(String),
}

/// Reading position in one followed path.
#[derive(Debug)]
pub struct FileTail {
    path: PathBuf,
    file: Option<File>,
    offset: u64,
    identity: Option<(u64, u64)>,
}

impl FileTail {
    /// Follows `path` from its beginning.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTail {
            path: path.into(),
            file: None,
            offset: 0,
            identity: None,
        }
    }

    /// What happened since the last look.
    pub fn poll(&mut self) -> Vec<TailEvent> {
        let mut events = Vec::new();
        if self.file.is_none() {
            if let Err(e) = self.open() {
                events.push(TailEvent::Waiting(format!("{}: {e}", self.path.display())));
                return events;
            }
        }
        let on_disk = std::fs::metadata(&self.path)
            .ok()
            .and_then(|m| identity(&m));
        if on_disk.is_some() && on_disk != self.identity {
            // Rotated: what the old file got after our last look comes first.
            self.read_rest(&mut events);
            if self.open().is_ok() {
                events.push(TailEvent::Restarted(format!(
                    "{} was replaced (rotated); following the new file",
                    self.path.display()
                )));
            }
        }
        let len = self
            .file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map(|m| m.len());
        if let (Some(len), Some(file)) = (len, self.file.as_mut()) {
            if len < self.offset && file.seek(SeekFrom::Start(0)).is_ok() {
                self.offset = 0;
                events.push(TailEvent::Restarted(format!(
                    "{} was truncated; reading it from the start",
                    self.path.display()
                )));
            }
        }
        self.read_rest(&mut events);
        events
    }

    fn open(&mut self) -> std::io::Result<()> {
        let file = File::open(&self.path)?;
        self.identity = file.metadata().ok().and_then(|m| identity(&m));
        self.file = Some(file);
        self.offset = 0;
        Ok(())
    }

    fn read_rest(&mut self, events: &mut Vec<TailEvent>) {
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let mut bytes = Vec::new();
        if file.seek(SeekFrom::Start(self.offset)).is_err() {
            return;
        }
        match file.take(READ_CAP).read_to_end(&mut bytes) {
            Ok(0) => {}
            Ok(n) => {
                self.offset += n as u64;
                events.push(TailEvent::Data(bytes));
            }
            Err(e) => events.push(TailEvent::Waiting(format!("{}: {e}", self.path.display()))),
        }
    }
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Turns bytes into whole lines of text; a multi-byte character split between two reads is
/// decoded once both halves are in (a `\n` byte is never part of one). Lines longer than
/// [`MAX_LINE_BYTES`](crate::input::MAX_LINE_BYTES) are skipped and counted, as `export -`
/// skips them: an unfinished line is kept only up to the cap, and only new bytes are scanned
/// for line ends (a 300 MiB line once cost 212 s re-scanning its growing carry on every read).
#[derive(Debug, Default)]
pub(crate) struct LineDecoder {
    carry: Vec<u8>,
    /// Inside a line that is over the cap: bytes are dropped until its end.
    skipping: bool,
    skipped_lines: u64,
}

impl LineDecoder {
    /// The whole lines completed by `bytes`.
    pub fn push(&mut self, mut bytes: &[u8]) -> String {
        use crate::input::MAX_LINE_BYTES;
        if self.skipping {
            let Some(end) = memchr::memchr(b'\n', bytes) else {
                return String::new();
            };
            self.skipping = false;
            bytes = &bytes[end + 1..];
        }
        let Some(last_end) = memchr::memrchr(b'\n', bytes) else {
            self.carry.extend_from_slice(bytes);
            self.cap_carry();
            return String::new();
        };
        let carried = std::mem::take(&mut self.carry);
        let mut lines = Vec::with_capacity(carried.len() + last_end + 1);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &bytes[..=last_end]) {
            // The first line began in an earlier read (the carry).
            let before: &[u8] = if start == 0 { &carried } else { &[] };
            let line = &bytes[start..=end];
            if before.len() + line.len() - 1 > MAX_LINE_BYTES {
                self.skipped_lines += 1;
            } else {
                lines.extend_from_slice(before);
                lines.extend_from_slice(line);
            }
            start = end + 1;
        }
        self.carry.extend_from_slice(&bytes[last_end + 1..]);
        self.cap_carry();
        String::from_utf8_lossy(&lines).into_owned()
    }

    /// Drops an unfinished line that is already over the cap.
    fn cap_carry(&mut self) {
        if self.carry.len() > crate::input::MAX_LINE_BYTES {
            self.carry = Vec::new();
            self.skipping = true;
            self.skipped_lines += 1;
        }
    }

    /// Lines skipped for being too long since the last call.
    pub fn take_skipped(&mut self) -> u64 {
        std::mem::take(&mut self.skipped_lines)
    }

    /// The unfinished last line (the input ended).
    pub fn finish(&mut self) -> String {
        self.skipping = false;
        String::from_utf8_lossy(&std::mem::take(&mut self.carry)).into_owned()
    }
}

/// Says (as a status) how many lines were skipped for being over the line cap.
fn report_long_lines(decoder: &mut LineDecoder, sink: &Sink, source: &Arc<str>) {
    let skipped = decoder.take_skipped();
    if skipped > 0 {
        sink.status(
            source,
            format!(
                "skipped {skipped} line(s) longer than {} MiB (not NMT or GC log text)",
                crate::input::MAX_LINE_BYTES >> 20
            ),
        );
    }
}

/// How often followed files are looked at, and how long a trailing snapshot must stay
/// unchanged before it is taken.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    pub poll_every: Duration,
    pub settle: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            poll_every: Duration::from_millis(250),
            settle: Duration::from_millis(750),
        }
    }
}

/// Tails a file of concatenated snapshots (`while …; do date -Is; jcmd …; done >> FILE`).
#[derive(Debug, Clone)]
pub struct FollowSource {
    pub path: PathBuf,
    pub options: FollowOptions,
}

impl FollowSource {
    /// Follows `path` with the default timing.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FollowSource {
            path: path.into(),
            options: FollowOptions::default(),
        }
    }

    /// Starts following on its own thread; updates are named after the path.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name: Arc<str> = Arc::from(self.path.to_string_lossy().as_ref());
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut follower = NmtFollower::new(Arc::clone(&name), self.options.settle);
            tail_loop(
                &self.path,
                &name,
                "following",
                &self.options,
                &sink,
                &stopper,
                &mut follower,
            );
        })
    }
}

/// What a followed file's bytes go to: NMT snapshots or GC events.
trait Follow {
    fn push(&mut self, sink: &Sink, bytes: &[u8], now: Instant);
    /// The file was truncated or replaced (rotation).
    fn restarted(&mut self, sink: &Sink, now: Instant);
    /// Sends what is complete by `now`.
    fn emit_ready(&mut self, sink: &Sink, now: Instant);
}

impl Follow for NmtFollower {
    fn push(&mut self, _sink: &Sink, bytes: &[u8], now: Instant) {
        NmtFollower::push(self, bytes, now);
    }
    fn restarted(&mut self, sink: &Sink, _now: Instant) {
        self.restart(sink);
    }
    fn emit_ready(&mut self, sink: &Sink, now: Instant) {
        NmtFollower::emit_ready(self, sink, now);
    }
}

impl Follow for GcFollower {
    fn push(&mut self, sink: &Sink, bytes: &[u8], now: Instant) {
        GcFollower::push(self, sink, bytes, now);
    }
    fn restarted(&mut self, sink: &Sink, now: Instant) {
        // A line cut by the rotation must not run into the new file's first line.
        GcFollower::push(self, sink, b"\n", now);
    }
    fn emit_ready(&mut self, sink: &Sink, now: Instant) {
        GcFollower::emit_ready(self, sink, now);
    }
}

/// Tails `path` until stopped: new bytes go to `follower`, truncation and rotation restart it,
/// and the status says when the source is waiting (file missing, unreadable) and when it
/// follows again (`label`).
fn tail_loop(
    path: &std::path::Path,
    name: &Arc<str>,
    label: &str,
    options: &FollowOptions,
    sink: &Sink,
    stopper: &super::Stopper,
    follower: &mut impl Follow,
) {
    let mut tail = FileTail::new(path);
    let mut waiting: Option<String> = None;
    sink.status(name, label);
    loop {
        let now = Instant::now();
        for event in tail.poll() {
            match event {
                TailEvent::Data(bytes) => {
                    if waiting.take().is_some() {
                        sink.status(name, label);
                    }
                    follower.push(sink, &bytes, now);
                }
                TailEvent::Restarted(reason) => {
                    follower.restarted(sink, now);
                    sink.status(name, reason);
                }
                TailEvent::Waiting(why) => {
                    if waiting.as_deref() != Some(why.as_str()) {
                        sink.status(name, format!("waiting for {why}"));
                        waiting = Some(why);
                    }
                }
            }
        }
        follower.emit_ready(sink, now);
        if stopper.wait(options.poll_every) {
            break;
        }
    }
    sink.send(Update::Finished {
        source: Arc::clone(name),
    });
}

/// NMT text arriving in pieces → whole snapshots → the sink. Shared by follow and stdin.
#[derive(Debug)]
pub(crate) struct NmtFollower {
    decoder: LineDecoder,
    chunker: Chunker,
    capturer: NmtCapturer,
    pub snapshots: usize,
}

impl NmtFollower {
    pub fn new(source: Arc<str>, settle: Duration) -> Self {
        NmtFollower {
            decoder: LineDecoder::default(),
            chunker: Chunker::new(settle),
            capturer: NmtCapturer::new(source),
            snapshots: 0,
        }
    }

    pub fn push(&mut self, bytes: &[u8], now: Instant) {
        let text = self.decoder.push(bytes);
        self.chunker.push(&text, now);
    }

    pub fn emit_ready(&mut self, sink: &Sink, now: Instant) {
        report_long_lines(&mut self.decoder, sink, self.capturer.source());
        while let Some(chunk) = self.chunker.ready(now) {
            self.emit(sink, chunk);
        }
    }

    /// The input ended: everything left is taken.
    pub fn finish(&mut self, sink: &Sink) {
        let rest = self.decoder.finish();
        self.chunker.push(&rest, Instant::now());
        if let Some(chunk) = self.chunker.flush() {
            self.emit(sink, chunk);
        }
    }

    /// The file starts over: the old file's tail is taken, line numbers restart.
    pub fn restart(&mut self, sink: &Sink) {
        self.finish(sink);
        self.chunker.reset();
    }

    fn emit(&mut self, sink: &Sink, chunk: Chunk) {
        let source = Arc::clone(self.capturer.source());
        match self
            .capturer
            .capture(sink, &chunk.text, chunk.first_line, capture_time())
        {
            Ok(n) => self.snapshots += n,
            Err(reason) => {
                sink.status(&source, format!("line {}: {reason}", chunk.first_line + 1));
            }
        }
    }
}

/// Follows a GC log (rotation included): new lines are recorded as they come and read by the
/// incremental GC reader, so a collection spread over several reads is one event.
#[derive(Debug, Clone)]
pub struct GcLogSource {
    pub path: PathBuf,
    pub options: FollowOptions,
}

impl GcLogSource {
    /// Follows `path` with the default timing.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        GcLogSource {
            path: path.into(),
            options: FollowOptions::default(),
        }
    }

    /// Starts following on its own thread; updates are named after the path.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name: Arc<str> = Arc::from(self.path.to_string_lossy().as_ref());
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut gc = GcFollower::new(Arc::clone(&name), self.options.settle);
            let label = "following the GC log";
            tail_loop(
                &self.path,
                &name,
                label,
                &self.options,
                &sink,
                &stopper,
                &mut gc,
            );
        })
    }
}

/// GC log text → events sent once each, read incrementally ([`crate::gclog::GcReader`]: the
/// log is never kept or re-read); the newest pause waits until the log settles (its detail
/// lines may still be coming).
pub(crate) struct GcFollower {
    source: Arc<str>,
    decoder: LineDecoder,
    reader: crate::gclog::GcReader,
    changed: bool,
    last_growth: Option<Instant>,
    settle: Duration,
    reported: std::collections::HashSet<String>,
}

impl std::fmt::Debug for GcFollower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GcFollower")
            .field("source", &self.source)
            .field("events", &self.reader.info().events)
            .finish_non_exhaustive()
    }
}

impl GcFollower {
    pub fn new(source: Arc<str>, settle: Duration) -> Self {
        GcFollower {
            reader: crate::gclog::GcReader::new(Arc::clone(&source)),
            source,
            decoder: LineDecoder::default(),
            changed: false,
            last_growth: None,
            settle,
            reported: Default::default(),
        }
    }

    pub fn push(&mut self, sink: &Sink, bytes: &[u8], now: Instant) {
        let lines = self.decoder.push(bytes);
        if lines.trim().is_empty() {
            return;
        }
        sink.record(&Record::text(
            RecordKind::Gc,
            capture_time(),
            &self.source,
            0,
            lines.as_str(),
        ));
        self.reader.push(lines.as_bytes());
        self.changed = true;
        self.last_growth = Some(now);
    }

    pub fn emit_ready(&mut self, sink: &Sink, now: Instant) {
        report_long_lines(&mut self.decoder, sink, &self.source);
        let settled = self
            .last_growth
            .is_none_or(|t| now.saturating_duration_since(t) >= self.settle);
        if !self.changed {
            return;
        }
        let events = self.reader.take_ready(settled);
        if !events.is_empty() {
            sink.send(Update::GcEvents(events.into()));
        }
        let fresh: Vec<Diagnostic> = self
            .reader
            .take_diagnostics()
            .into_iter()
            .filter(|d| self.reported.insert(d.message.clone()))
            .collect();
        if !fresh.is_empty() {
            sink.send(Update::Diagnostics(fresh));
        }
        self.changed = !settled;
    }
}

#[cfg(test)]
mod line_cap_tests;
#[cfg(test)]
mod tests;
