//! Java Flight Recorder files (`.jfr`, magic `FLR\0`) into the same [`Timeline`] that jcmd
//! output and GC logs give: `jdk.NativeMemoryUsage` / `jdk.NativeMemoryUsageTotal` (JDK 20+,
//! only with NMT on) become NMT snapshots with the names jcmd prints; `jdk.GarbageCollection`
//! with its `jdk.GCHeapSummary` and `jdk.MetaspaceSummary` before/after pairs become GC events;
//! `jdk.ContainerConfiguration`'s memory limit becomes the timeline's limit and
//! `jdk.ContainerMemoryUsage` its cgroup samples; thread and class counts
//! (`jdk.JavaThreadStatistics`, `jdk.ClassLoadingStatistics`) are attached to the `Thread` and
//! `Class` categories as jcmd prints them. Everything else is counted, not an error.
//!
//! The binary format is read by the `jfrs` crate, one chunk at a time (a recording's memory is
//! its largest chunk, 12 MiB by default, not the file). Before a chunk is handed to it, its
//! header is checked against the file's size, since `jfrs` allocates a chunk's declared size
//! up front; a panic inside the crate on a damaged file becomes an error for that file.

mod events;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::model::{Diagnostic, Timeline};
pub use events::JfrSummary;

/// The four bytes every JFR chunk starts with.
pub const MAGIC: [u8; 4] = *b"FLR\0";

/// Whether these first bytes of a file are a flight recording.
pub fn is_jfr(head: &[u8]) -> bool {
    head.starts_with(&MAGIC)
}

/// Why a recording could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum JfrError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a flight recording (no FLR magic)")]
    NotJfr { path: String },
}

/// Wall-clock time of a JFR tick value, with the chunk's clock.
fn tick_time(ticks: i64, clock: &ChunkClock) -> Option<DateTime<FixedOffset>> {
    let nanos = clock.nanos_at(ticks)?;
    Some(Utc.timestamp_nanos(nanos).fixed_offset())
}

/// A chunk's clock: ticks → nanoseconds since the epoch.
#[derive(Debug, Clone, Copy)]
struct ChunkClock {
    start_nanos: i64,
    start_ticks: i64,
    ticks_per_second: i64,
}

impl ChunkClock {
    fn nanos_at(&self, ticks: i64) -> Option<i64> {
        if self.ticks_per_second <= 0 {
            return None;
        }
        let delta = i128::from(ticks) - i128::from(self.start_ticks);
        let nanos = i128::from(self.start_nanos)
            + delta * 1_000_000_000 / i128::from(self.ticks_per_second);
        i64::try_from(nanos).ok()
    }

    fn millis(&self, ticks: i64) -> f64 {
        if self.ticks_per_second <= 0 {
            return 0.0;
        }
        ticks as f64 * 1000.0 / self.ticks_per_second as f64
    }
}

/// Checks that the chunks' declared sizes tile the file, before `jfrs` allocates any of them:
/// returns how many whole chunks there are, and a message when the file ends in a torn one.
fn check_chunks<R: Read + Seek>(
    file: &mut R,
    len: u64,
) -> std::io::Result<(usize, u64, Option<String>)> {
    let mut at = 0u64;
    let mut chunks = 0usize;
    while at < len {
        let mut head = [0u8; 16];
        file.seek(SeekFrom::Start(at))?;
        if len - at < 68 || file.read_exact(&mut head).is_err() {
            return Ok((
                chunks,
                at,
                Some(format!(
                    "torn chunk at byte {at}: the file ends inside its header"
                )),
            ));
        }
        if head[..4] != MAGIC {
            return Ok((chunks, at, Some(format!("no chunk magic at byte {at}"))));
        }
        let mut size_bytes = [0u8; 8];
        size_bytes.copy_from_slice(&head[8..16]);
        let size = i64::from_be_bytes(size_bytes);
        let whole = u64::try_from(size)
            .ok()
            .filter(|&s| s >= 68 && s <= len - at);
        let Some(size) = whole else {
            // A chunk still being written (a live repository) declares its size only when done.
            return Ok((
                chunks,
                at,
                Some(format!(
                    "chunk at byte {at} declares {size} bytes but {} remain (unfinished or damaged)",
                    len - at
                )),
            ));
        };
        at += size;
        chunks += 1;
    }
    Ok((chunks, at, None))
}

/// Reads a whole recording from a file. Damage after the first chunk costs the damaged part
/// only, with a diagnostic; a file that is not JFR is an error.
pub fn read_path(path: &Path) -> Result<(Timeline, JfrSummary), JfrError> {
    let name = path.display().to_string();
    let io = |source| JfrError::Io {
        path: name.clone(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    read_from(&name, BufReader::new(file), len)
}

/// [`read_path`] for a recording already in memory (stdin, an archive member).
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<(Timeline, JfrSummary), JfrError> {
    read_from(name, std::io::Cursor::new(bytes), bytes.len() as u64)
}

fn read_from<R: Read + Seek>(
    name: &str,
    mut file: R,
    len: u64,
) -> Result<(Timeline, JfrSummary), JfrError> {
    let io = |source| JfrError::Io {
        path: name.to_string(),
        source,
    };
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || magic != MAGIC {
        return Err(JfrError::NotJfr {
            path: name.to_string(),
        });
    }
    let (chunks, end, torn) = check_chunks(&mut file, len).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let source: Arc<str> = Arc::from(name);
    let mut collector = events::Collect::new(Arc::clone(&source));
    let limited = LimitedChunks {
        inner: file,
        end,
        pos: 0,
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        collector.read_all(limited, chunks)
    }));
    let mut diagnostics = Vec::new();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(message)) => diagnostics.push(Diagnostic::warning(&source, 0, message)),
        Err(_) => diagnostics.push(Diagnostic::error(
            &source,
            0,
            "the flight recording is damaged: the JFR reader gave up on it (what was read before is kept)",
        )),
    }
    if let Some(t) = torn {
        diagnostics.push(Diagnostic::warning(
            &source,
            0,
            format!("{t}; the whole chunks before it are read"),
        ));
    }
    let (mut timeline, summary) = collector.finish();
    timeline.diagnostics.splice(0..0, diagnostics);
    Ok((timeline, summary))
}

/// A reader that ends where the last whole chunk ends, so `jfrs` never sees a torn chunk.
struct LimitedChunks<R> {
    inner: R,
    end: u64,
    pos: u64,
}

impl<R: Read> Read for LimitedChunks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        if left == 0 {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for LimitedChunks<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => self.inner.seek(SeekFrom::Start(p))?,
            SeekFrom::Current(d) => self.inner.seek(SeekFrom::Current(d))?,
            SeekFrom::End(d) => {
                let target = i128::from(self.end) + i128::from(d);
                let target = u64::try_from(target.max(0)).unwrap_or(0);
                self.inner.seek(SeekFrom::Start(target))?
            }
        };
        self.pos = pos;
        Ok(pos)
    }
}

/// Event counts by type, for `--verbose` and the reference check.
pub type EventCounts = BTreeMap<String, u64>;

#[cfg(test)]
mod tests;
