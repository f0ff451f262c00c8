//! Following a JFR repository: the directory a JVM with `-XX:StartFlightRecording` writes its
//! chunk files to while it runs (`live --follow DIR`).
//!
//! Layout, seen on JDK 17, 21 and 25 here (`-XX:FlightRecorderOptions:repository=BASE`, or the
//! default BASE `java.io.tmpdir`): the JVM makes `BASE/yyyy_MM_dd_HH_mm_ss_PID/` and writes
//! one chunk per file in it, `yyyy_MM_dd_HH_mm_ss.jfr` (the chunk's start; `_N` is added when
//! two start in the same second). A chunk is rotated at `maxchunksize` (12 MiB by default), on
//! `jcmd PID JFR.dump` and when a recording starts or stops; `maxage`/`maxsize` delete old ones.
//!
//! The newest chunk is being written. Its header is rewritten at every flush (once a second):
//! the byte at offset 64 is a generation counter, 1–254 while the chunk is open, 255 while the
//! header itself is being updated, 0 once the chunk is finished; the header's chunk size and
//! constant-pool offset then describe the flushed part, which is a whole chunk in itself (the
//! file may already hold bytes past it). So the open chunk's flushed part is read as it grows,
//! not only once it is finished: snapshots arrive about a second after the JVM takes them.
//!
//! Memory stays bounded: a finished chunk is read once, streamed from the disk, and then only
//! its path is remembered (dropped when the JVM deletes the file); the open chunk's flushed
//! part is read into memory (at most one chunk) each time it has grown, and what was already
//! sent from it is skipped by time (snapshots, container samples) and `gcId` (collections).
//! The newest snapshot and collection of an open chunk are held back until the next flush or
//! the chunk's end, since their sibling events (categories of one sample, the heap summaries
//! of one GC) could straddle a flush; if the file goes first (a JVM deletes its repository
//! when it exits, often before the last chunk's final header is seen), they are sent as read.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::{Diagnostic, GcEvent, Snapshot, Timeline, Update};

use super::MAGIC;

/// A chunk header's length in bytes.
pub const HEADER_LEN: usize = 68;
/// Offset of the generation byte (the top byte of the header's `features` word).
const STATE_AT: usize = 64;
/// The generation byte while the JVM rewrites the header.
const UPDATING: u8 = 255;
/// Bit of the header's last byte the JVM sets on a recording's final chunk.
const FINAL_CHUNK: u8 = 1 << 1;

/// Where a chunk file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkState {
    /// Written to the end: the header's size is the chunk's.
    Finished,
    /// Being written; the number is the flush generation (1–254).
    Open(u8),
    /// The JVM is rewriting the header right now: look again later.
    Updating,
}

/// What a chunk file's first 68 bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkHead {
    /// The chunk's size, or for an open chunk the size of its flushed part.
    pub size: u64,
    /// Wall-clock start of the chunk, nanoseconds since the epoch.
    pub start_nanos: i64,
    pub state: ChunkState,
    /// The last chunk of a recording (set when the recording stops).
    pub last: bool,
}

impl ChunkHead {
    /// Reads a chunk header; `None` when `bytes` is shorter than a header or has no magic.
    pub fn parse(bytes: &[u8]) -> Option<ChunkHead> {
        if bytes.len() < HEADER_LEN || bytes[..4] != MAGIC {
            return None;
        }
        let long = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[at..at + 8]);
            i64::from_be_bytes(b)
        };
        let state = match bytes[STATE_AT] {
            0 => ChunkState::Finished,
            UPDATING => ChunkState::Updating,
            g => ChunkState::Open(g),
        };
        Some(ChunkHead {
            size: u64::try_from(long(8)).unwrap_or(0),
            start_nanos: long(32),
            state,
            last: bytes[HEADER_LEN - 1] & FINAL_CHUNK != 0,
        })
    }
}

/// The chunk files under `root`: `*.jfr` in it and in its immediate subdirectories (the
/// per-JVM directories of a repository base), unordered. `root` may also be one chunk file.
pub fn chunk_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(root)?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            // A JVM directory can vanish between listing and reading (the JVM exited).
            if let Ok(inner) = std::fs::read_dir(&path) {
                files.extend(
                    inner
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| is_chunk_name(p)),
                );
            }
        } else if is_chunk_name(&path) {
            files.push(path);
        }
    }
    Ok(files)
}

fn is_chunk_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "jfr") && path.is_file()
}

/// What was already sent from one chunk file.
#[derive(Debug, Default)]
struct Sent {
    snapshot_nanos: Option<i64>,
    gc_id: Option<u64>,
    process_nanos: Option<i64>,
    /// The flushed size last read (an open chunk is read again only when it has grown).
    size_read: u64,
    /// An open chunk is not parsed again before this (see [`RepositoryFollower::reparse_factor`]).
    not_before: Option<Instant>,
    /// An open chunk's newest snapshot and collection, held back; sent as they are if the
    /// file goes away before it is finished (the JVM deletes its repository when it exits).
    held_snapshot: Option<Snapshot>,
    held_gc: Option<GcEvent>,
}

/// Follows a repository directory: each [`poll`](Self::poll) sends what chunk files gained
/// since the last one. No threads; `live` runs it on a source thread.
#[derive(Debug)]
pub struct RepositoryFollower {
    root: PathBuf,
    source: Arc<str>,
    /// Finished chunk files already read.
    done: HashSet<PathBuf>,
    /// Chunk files read while open (their flushed parts), with what was sent from each.
    open: HashMap<PathBuf, Sent>,
    limit: Option<u64>,
    reported: HashSet<String>,
    /// An open chunk is parsed again only after this many times its last parse took, so
    /// following costs at most about 1/(1+factor) of a core (a 12 MiB chunk takes ~0.4 s).
    pub reparse_factor: u32,
    /// Counters for the status line and tests.
    pub chunks_finished: usize,
    pub snapshots_sent: usize,
    pub gc_events_sent: usize,
}

impl RepositoryFollower {
    /// Follows `root` (a repository base, one JVM's repository directory, or a chunk file);
    /// updates are named `source`.
    pub fn new(root: impl Into<PathBuf>, source: Arc<str>) -> Self {
        RepositoryFollower {
            root: root.into(),
            source,
            done: HashSet::new(),
            open: HashMap::new(),
            limit: None,
            reported: HashSet::new(),
            reparse_factor: 4,
            chunks_finished: 0,
            snapshots_sent: 0,
            gc_events_sent: 0,
        }
    }

    /// Reads what is new, oldest chunk first, handing each update to `send`; stops early when
    /// `send` returns false (nobody listens). `Err` when the directory cannot be listed.
    pub fn poll(&mut self, send: &mut dyn FnMut(Update) -> bool) -> std::io::Result<()> {
        let files = chunk_files(&self.root)?;
        let present: HashSet<&PathBuf> = files.iter().collect();
        self.done.retain(|p| present.contains(p));
        let gone: Vec<PathBuf> = self
            .open
            .keys()
            .filter(|p| !present.contains(p))
            .cloned()
            .collect();
        for path in gone {
            if let Some(sent) = self.open.remove(&path)
                && !self.send_held(sent, send)
            {
                return Ok(());
            }
        }
        let mut pending: Vec<(ChunkHead, PathBuf)> = Vec::new();
        for path in files {
            if self.done.contains(&path) {
                continue;
            }
            match read_head(&path) {
                Ok(Some(head)) => pending.push((head, path)),
                // Just created: the JVM has not written the header yet.
                Ok(None) if file_len(&path) < HEADER_LEN as u64 => {}
                Ok(None) => {
                    let message = format!("{}: not a JFR chunk (no FLR magic)", path.display());
                    self.done.insert(path);
                    if !self.diagnostic(Diagnostic::warning(&self.source, 0, message), send) {
                        return Ok(());
                    }
                }
                Err(_) => {} // Deleted between listing and reading.
            }
        }
        pending.sort_by(|a, b| (a.0.start_nanos, &a.1).cmp(&(b.0.start_nanos, &b.1)));
        for (head, path) in pending {
            let keep_going = match head.state {
                ChunkState::Finished => {
                    if head.size > file_len(&path) || head.size < HEADER_LEN as u64 {
                        // Still being copied in, or cut short: wait, and keep the order.
                        break;
                    }
                    self.read_finished(&path, send)
                }
                ChunkState::Open(_) => self.read_open(&path, head, send),
                ChunkState::Updating => true,
            };
            if !keep_going {
                break;
            }
        }
        Ok(())
    }

    fn read_finished(&mut self, path: &Path, send: &mut dyn FnMut(Update) -> bool) -> bool {
        self.done.insert(path.to_path_buf());
        let sent = self.open.remove(path).unwrap_or_default();
        let read = File::open(path).and_then(|f| {
            let len = f.metadata()?.len();
            Ok((BufReader::new(f), len))
        });
        let (timeline, _) = match read {
            Ok((reader, len)) => match super::read_from(&self.source, reader, len) {
                Ok(read) => read,
                Err(e) => return self.diagnostic(self.file_error(path, e.to_string()), send),
            },
            Err(e) => return self.diagnostic(self.file_error(path, e.to_string()), send),
        };
        self.chunks_finished += 1;
        let mut sent = sent;
        self.send_new(path, timeline, &mut sent, true, send)
    }

    fn read_open(
        &mut self,
        path: &Path,
        head: ChunkHead,
        send: &mut dyn FnMut(Update) -> bool,
    ) -> bool {
        let mut sent = self.open.remove(path).unwrap_or_default();
        let now = Instant::now();
        let due = sent.not_before.is_none_or(|t| now >= t);
        if head.size <= sent.size_read || head.size < HEADER_LEN as u64 || !due {
            self.open.insert(path.to_path_buf(), sent);
            return true;
        }
        let image = match read_flushed(path, head.size) {
            Some(image) => image,
            None => {
                // Rewritten while we read: next time.
                self.open.insert(path.to_path_buf(), sent);
                return true;
            }
        };
        let parsed = super::read_bytes(&self.source, &image);
        drop(image);
        let took = now.elapsed();
        sent.size_read = head.size;
        sent.not_before = Some(Instant::now() + took * self.reparse_factor);
        let keep_going = match parsed {
            Ok((timeline, _)) => self.send_new(path, timeline, &mut sent, false, send),
            Err(e) => self.diagnostic(self.file_error(path, e.to_string()), send),
        };
        self.open.insert(path.to_path_buf(), sent);
        keep_going
    }

    /// Sends what `timeline` (all of one chunk file read so far) has beyond `sent`; an open
    /// chunk's newest snapshot and collection wait (see the module doc).
    fn send_new(
        &mut self,
        path: &Path,
        timeline: Timeline,
        sent: &mut Sent,
        finished: bool,
        send: &mut dyn FnMut(Update) -> bool,
    ) -> bool {
        let Timeline {
            snapshots,
            gc_events,
            process,
            diagnostics,
            limit_bytes,
            ..
        } = timeline;
        let mut snapshots = snapshots.to_vec();
        let nanos = |t: Option<chrono::DateTime<chrono::FixedOffset>>| {
            t.and_then(|t| t.timestamp_nanos_opt())
        };
        snapshots.retain(|s| nanos(s.timestamp) > sent.snapshot_nanos);
        // One chunk's events: a small batch, handled as plain structs.
        let mut gc_events = gc_events.to_vec();
        gc_events.retain(|e| e.gc_id > sent.gc_id);
        sent.held_snapshot = None;
        sent.held_gc = None;
        if !finished {
            sent.held_snapshot = snapshots.pop();
            if let Some(newest) = gc_events.iter().filter_map(|e| e.gc_id).max()
                && let Some(at) = gc_events.iter().position(|e| e.gc_id == Some(newest))
            {
                sent.held_gc = Some(gc_events.remove(at));
            }
        }
        let mut ok = true;
        if let Some(limit) = limit_bytes.filter(|&l| Some(l) != self.limit) {
            self.limit = Some(limit);
            ok = send(Update::Limit(limit));
        }
        for d in diagnostics {
            if !ok {
                break;
            }
            let mut d = d;
            d.message = format!("{}: {}", short_name(path), d.message);
            ok = self.diagnostic(d, send);
        }
        for sample in process {
            let at = sample.timestamp.timestamp_nanos_opt();
            if ok && at > sent.process_nanos {
                sent.process_nanos = at;
                ok = send(Update::Process(sample));
            }
        }
        if ok && !snapshots.is_empty() {
            sent.snapshot_nanos = snapshots.iter().filter_map(|s| nanos(s.timestamp)).max();
            self.snapshots_sent += snapshots.len();
            ok = send(Update::Snapshots(snapshots));
        }
        if ok && !gc_events.is_empty() {
            sent.gc_id = gc_events.iter().filter_map(|e| e.gc_id).max();
            self.gc_events_sent += gc_events.len();
            ok = send(Update::GcEvents(gc_events.into()));
        }
        ok
    }

    /// Sends what an open chunk that went away was holding back.
    fn send_held(&mut self, sent: Sent, send: &mut dyn FnMut(Update) -> bool) -> bool {
        let mut ok = true;
        if let Some(s) = sent.held_snapshot {
            self.snapshots_sent += 1;
            ok = send(Update::Snapshots(vec![s]));
        }
        if let Some(e) = sent.held_gc.filter(|_| ok) {
            self.gc_events_sent += 1;
            ok = send(Update::GcEvents(vec![e].into()));
        }
        ok
    }

    /// Sends a diagnostic once (the same warning comes with every chunk).
    fn diagnostic(&mut self, d: Diagnostic, send: &mut dyn FnMut(Update) -> bool) -> bool {
        let key = d.message.split_once(": ").map_or(&*d.message, |(_, m)| m);
        if !self.reported.insert(key.to_string()) {
            return true;
        }
        send(Update::Diagnostics(vec![d]))
    }

    fn file_error(&self, path: &Path, message: String) -> Diagnostic {
        Diagnostic::error(&self.source, 0, format!("{}: {message}", short_name(path)))
    }
}

/// `JVMDIR/CHUNK.jfr`, enough to tell chunks apart in a message.
fn short_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned());
    match (dir, file) {
        (Some(d), Some(f)) => format!("{d}/{f}"),
        (None, Some(f)) => f,
        _ => path.display().to_string(),
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn read_head(path: &Path) -> std::io::Result<Option<ChunkHead>> {
    let mut head = [0u8; HEADER_LEN];
    let mut file = File::open(path)?;
    let mut got = 0;
    while got < HEADER_LEN {
        match file.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(ChunkHead::parse(&head[..got]))
}

/// The first `size` bytes of an open chunk file (its flushed part), or `None` when the header
/// in them no longer says `size` (the JVM flushed again meanwhile) or is being rewritten.
fn read_flushed(path: &Path, size: u64) -> Option<Vec<u8>> {
    let len = usize::try_from(size).ok()?;
    let mut image = Vec::new();
    File::open(path)
        .ok()?
        .take(size)
        .read_to_end(&mut image)
        .ok()?;
    let head = ChunkHead::parse(&image)?;
    (image.len() == len && head.size == size && head.state != ChunkState::Updating).then_some(image)
}

/// How long a source waits between looks at a repository: the JVM flushes once a second.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests;
