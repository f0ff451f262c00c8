//! Cuts a growing stream of concatenated snapshots (a followed file, a pipe) into chunks that
//! hold only whole snapshots, so a snapshot still being written is never parsed half-way.
//!
//! A snapshot is known to be whole when the next one begins after it. The last one in the
//! stream is taken once the stream has been quiet for a moment (`settle`): jcmd writes a
//! snapshot in a burst, and loops feeding `--follow` or a pipe sleep between snapshots.
//! Time is passed in (`now`), so this is tested without sleeping.

use std::time::{Duration, Instant};

use crate::nmt::parse_timestamp_line;

const HEADER: &str = "Native Memory Tracking:";

/// Non-blank lines before a header that may belong to its snapshot (timestamp, `PID:`,
/// a prompt line): the NMT scanner looks back as far.
const LOOKBACK: usize = 3;

/// A trailing snapshot that does not add up is taken anyway after `settle` × this.
const GIVE_UP_FACTOR: u32 = 20;

/// A piece of the stream that holds whole snapshots (and whatever surrounds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub text: String,
    /// Lines of the stream before `text`.
    pub first_line: u64,
}

/// The cutting state of one stream.
#[derive(Debug)]
pub struct Chunker {
    /// Whole lines not yet handed out.
    buf: String,
    /// The last, unfinished line.
    partial: String,
    first_line: u64,
    last_growth: Option<Instant>,
    settle: Duration,
}

impl Chunker {
    /// A chunker that takes a trailing snapshot after `settle` without growth.
    pub fn new(settle: Duration) -> Self {
        Chunker {
            buf: String::new(),
            partial: String::new(),
            first_line: 0,
            last_growth: None,
            settle,
        }
    }

    /// Adds text read from the stream at `now`.
    pub fn push(&mut self, text: &str, now: Instant) {
        if text.is_empty() {
            return;
        }
        self.last_growth = Some(now);
        self.partial.push_str(text);
        if let Some(end) = self.partial.rfind('\n') {
            let rest = self.partial.split_off(end + 1);
            self.buf.push_str(&self.partial);
            self.partial = rest;
        }
    }

    /// The next chunk of whole snapshots, if any is ready at `now`.
    pub fn ready(&mut self, now: Instant) -> Option<Chunk> {
        if self.buf.is_empty() {
            return None;
        }
        let settled = self
            .last_growth
            .is_none_or(|t| now.saturating_duration_since(t) >= self.settle);
        let cut = if settled {
            // A snapshot whose writer paused mid-way (it does not add up) waits longer.
            let tail_start = last_snapshot_start(&self.buf).unwrap_or(0);
            let waited = self
                .last_growth
                .map_or(Duration::MAX, |t| now.saturating_duration_since(t));
            if waited < self.settle.saturating_mul(GIVE_UP_FACTOR)
                && !looks_whole(&self.buf[tail_start..])
            {
                tail_start
            } else {
                self.buf.len()
            }
        } else {
            last_snapshot_start(&self.buf)?
        };
        self.take(cut)
    }

    /// Everything left, the unfinished last line included (the stream has ended).
    pub fn flush(&mut self) -> Option<Chunk> {
        let partial = std::mem::take(&mut self.partial);
        self.buf.push_str(&partial);
        self.take(self.buf.len())
    }

    /// Forgets everything (the file was truncated or replaced): line numbers restart.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.partial.clear();
        self.first_line = 0;
        self.last_growth = None;
    }

    /// Bytes held back, waiting for their snapshot to be whole.
    pub fn pending_bytes(&self) -> usize {
        self.buf.len() + self.partial.len()
    }

    fn take(&mut self, cut: usize) -> Option<Chunk> {
        if cut == 0 || self.buf.trim().is_empty() && cut == self.buf.len() {
            // Only blank lines: nothing to parse, but they still count as lines.
            if cut > 0 {
                self.first_line += self.buf.matches('\n').count() as u64;
                self.buf.clear();
            }
            return None;
        }
        let rest = self.buf.split_off(cut);
        let text = std::mem::replace(&mut self.buf, rest);
        let first_line = self.first_line;
        self.first_line += text.matches('\n').count() as u64;
        Some(Chunk { text, first_line })
    }
}

/// Byte offset where the last snapshot in `buf` begins (its timestamp/PID lines included),
/// when a snapshot precedes it; `None` when `buf` holds at most one snapshot, still growing.
fn last_snapshot_start(buf: &str) -> Option<usize> {
    let lines: Vec<(usize, &str)> = buf
        .split_inclusive('\n')
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .collect();
    let header = lines.iter().rposition(|(_, l)| l.contains(HEADER))?;
    let mut start = lines[header].0;
    let mut taken = 0;
    for &(offset, line) in lines[..header].iter().rev() {
        if line.trim().is_empty() {
            continue;
        }
        if taken == LOOKBACK || is_snapshot_body(line) {
            break;
        }
        taken += 1;
        start = offset;
    }
    (start > 0).then_some(start)
}

/// True when `tail` holds no snapshot start, or its last snapshot adds up (`complete`).
fn looks_whole(tail: &str) -> bool {
    if !tail.contains(HEADER) {
        return true;
    }
    let source: std::sync::Arc<str> = std::sync::Arc::from("");
    crate::nmt::parse_str(&source, tail)
        .snapshots
        .last()
        .is_some_and(|s| s.complete)
}

/// A line that can only be part of an NMT snapshot (so it belongs to the one before).
fn is_snapshot_body(line: &str) -> bool {
    let t = line.trim();
    if parse_timestamp_line(t).is_some() {
        return false;
    }
    t.starts_with('(')
        || t.starts_with('-')
        || t.starts_with("Total:")
        || t.starts_with("malloc")
        || t.starts_with("mmap")
        || t.contains("reserved=")
        || t.contains(HEADER)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNAP: &str = "2026-11-26T07:26:35+00:00\n4242:\n\nNative Memory Tracking:\n\nTotal: reserved=100000KB, committed=50000KB\n-                 Java Heap (reserved=100000KB, committed=50000KB)\n                            (mmap: reserved=100000KB, committed=50000KB)\n \n";

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_half_written_snapshot_waits_until_it_is_whole() {
        let t0 = Instant::now();
        let mut c = Chunker::new(ms(500));
        let half = SNAP.len() / 2;
        c.push(&SNAP[..half], t0);
        assert_eq!(c.ready(t0), None);
        assert_eq!(c.ready(t0 + ms(100)), None);
        c.push(&SNAP[half..], t0 + ms(200));
        assert_eq!(c.ready(t0 + ms(300)), None, "not settled yet");
        let chunk = c.ready(t0 + ms(700)).expect("settled");
        assert_eq!(chunk.text, SNAP);
        assert_eq!(chunk.first_line, 0);
        assert_eq!(c.ready(t0 + ms(5000)), None, "only once");
    }

    #[test]
    fn a_writer_pausing_mid_snapshot_is_waited_for() {
        let t0 = Instant::now();
        let mut c = Chunker::new(ms(100));
        // Up to the Total line: the categories are missing, so it does not add up.
        let cut = SNAP.find("-  ").expect("category line");
        c.push(&SNAP[..cut], t0);
        assert_eq!(c.ready(t0 + ms(500)), None, "settled but not whole");
        c.push(&SNAP[cut..], t0 + ms(600));
        assert_eq!(c.ready(t0 + ms(800)).expect("whole").text, SNAP);
        c.push(&SNAP[..cut], t0 + ms(900));
        assert!(
            c.ready(t0 + ms(900) + ms(100 * 20)).is_some(),
            "given up waiting"
        );
    }

    #[test]
    fn the_next_snapshot_releases_the_previous_one_at_once() {
        let t0 = Instant::now();
        let mut c = Chunker::new(Duration::from_secs(60));
        c.push(SNAP, t0);
        assert_eq!(c.ready(t0), None);
        c.push(&SNAP[..60], t0);
        let chunk = c.ready(t0).expect("first is whole");
        assert_eq!(
            chunk.text, SNAP,
            "the timestamp line stays with the next one"
        );
        c.push(&SNAP[60..], t0);
        let rest = c.flush().expect("flush");
        assert_eq!(rest.text, SNAP);
        assert_eq!(rest.first_line, SNAP.matches('\n').count() as u64);
    }

    #[test]
    fn back_to_back_snapshots_without_preamble_are_not_split_in_the_body() {
        let body = "Native Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n-  Java Heap (reserved=10KB, committed=5KB)\n";
        let t0 = Instant::now();
        let mut c = Chunker::new(Duration::from_secs(60));
        c.push(&format!("{body}{body}"), t0);
        assert_eq!(c.ready(t0).expect("first").text, body);
    }

    #[test]
    fn blank_lines_and_noise() {
        let t0 = Instant::now();
        let mut c = Chunker::new(ms(10));
        c.push("\n\n", t0);
        assert_eq!(c.ready(t0 + ms(20)), None);
        c.push("java.io.IOException: No such process\n", t0 + ms(30));
        let chunk = c
            .ready(t0 + ms(50))
            .expect("noise is handed out for its diagnostics");
        assert_eq!(chunk.first_line, 2);
        c.push("no newline yet", t0);
        assert_eq!(c.ready(t0 + ms(100)), None);
        assert_eq!(c.pending_bytes(), 14);
        c.reset();
        assert_eq!(c.flush(), None);
    }
}
