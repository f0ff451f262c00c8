//! Unified logs on several cores. The calling thread reads the input in chunks of whole lines
//! and hands them round-robin to worker threads; each worker reads its chunk with its own
//! parser and returns the pieces of events it saw (a collection cut by a chunk boundary, or a
//! concurrent cycle spanning chunks, comes back in several pieces). The calling thread merges
//! the pieces by GC id in chunk order — so line numbers, order and results are the same as on
//! one thread — and hands complete events to the sink.
//!
//! Memory stays flat: at most `2 × threads` chunks are in flight and their buffers are reused.

use std::collections::HashMap;
use std::io::{BufRead, ErrorKind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rustc_hash::FxHashMap;

use super::driver::{Ctx, Driver, Mode, ParseOptions};
use super::unified::{Pending, UnifiedParser, finish, take_below};
use super::{GcLogFormat, GcLogInfo, GcSink, MAX_STORED_DIAGNOSTICS};
use crate::model::intern::Interner;
use crate::model::{Collector, Diagnostic, GcEvent};

/// Pieces this far behind the newest id are complete (as [`super::unified`]'s window).
const ID_WINDOW: u64 = 1024;

struct Job {
    /// A reused buffer; only `buf[..len]` holds this chunk's lines.
    buf: Vec<u8>,
    len: usize,
    first: bool,
}

struct ChunkResult {
    buf: Vec<u8>,
    lines: u64,
    // Boxed on purpose: each piece moves on into the merger's map without copying its bytes.
    #[allow(clippy::vec_box)]
    partials: Vec<Box<Pending>>,
    info: GcLogInfo,
    collector: Option<Collector>,
    region_size: Option<u64>,
    diagnostics: Vec<Diagnostic>,
}

fn parse_chunk(source: &Arc<str>, job: Job, decorated: bool) -> ChunkResult {
    let mut unused: Vec<GcEvent> = Vec::new();
    let mut d = Driver::new(
        Arc::clone(source),
        &mut unused,
        Mode::Unified,
        UnifiedParser::for_chunk(decorated, job.first),
    );
    d.lines(job.buf.get(..job.len).unwrap_or_default());
    d.finish_undecided();
    d.unified.finish(&mut d.ctx);
    let (collector, region_size) = d.unified.header();
    ChunkResult {
        lines: d.line_no,
        partials: d.unified.take_partials(),
        info: std::mem::take(&mut d.ctx.info),
        collector,
        region_size,
        diagnostics: std::mem::take(&mut d.diagnostics),
        buf: job.buf,
    }
}

/// Merges chunk results in order and hands complete events on.
struct Merger<S: GcSink> {
    ctx: Ctx<S>,
    pending: FxHashMap<u64, Box<Pending>>,
    newest: u64,
    /// JVM runs before the chunk being merged (see [`Pending::run`]).
    epoch: u32,
    line_offset: u64,
    collector: Option<Collector>,
    region_size: Option<u64>,
    diagnostics: Vec<Diagnostic>,
}

impl<S: GcSink> Merger<S> {
    fn merge(&mut self, r: ChunkResult) {
        let info = &mut self.ctx.info;
        if self.collector.is_none() {
            self.collector = r.collector;
            info.collector = r.collector;
        }
        self.region_size = r.region_size.or(self.region_size);
        info.jvm_version = info.jvm_version.take().or(r.info.jvm_version);
        // The gc,init header's heap sizes are in the first chunk; later chunks keep them.
        info.heap_initial_bytes = info.heap_initial_bytes.or(r.info.heap_initial_bytes);
        info.heap_max_bytes = info.heap_max_bytes.or(r.info.heap_max_bytes);
        info.start_uptime_s = info.start_uptime_s.or(r.info.start_uptime_s);
        info.start_timestamp = info.start_timestamp.or(r.info.start_timestamp);
        info.unrecognized_lines += r.info.unrecognized_lines;
        for mut d in r.diagnostics {
            if self.diagnostics.len() >= MAX_STORED_DIAGNOSTICS {
                break;
            }
            d.line += self.line_offset;
            self.diagnostics.push(d);
        }
        for mut p in r.partials {
            p.shift_line(self.line_offset);
            // Ids repeat across JVM runs: the run is part of the key.
            let id = (u64::from(self.epoch + p.run()) << 40) | p.id();
            self.newest = self.newest.max(id);
            match self.pending.get_mut(&id) {
                Some(earlier) => earlier.merge(p),
                None => {
                    self.pending.insert(id, p);
                }
            }
        }
        self.line_offset += r.lines;
        let new_runs = r.info.jvm_runs.saturating_sub(1);
        self.epoch = self
            .epoch
            .saturating_add(u32::try_from(new_runs).unwrap_or(u32::MAX));
        let info = &mut self.ctx.info;
        info.jvm_runs = match (info.jvm_runs, r.info.jvm_runs) {
            (0, n) | (n, 0) => n,
            (a, b) => a + b - 1,
        };
        if self.pending.len() as u64 > 2 * ID_WINDOW {
            let cutoff = self.newest.saturating_sub(ID_WINDOW);
            for p in take_below(&mut self.pending, cutoff) {
                if p.started() {
                    self.ctx.emit(finish(p, self.collector, self.region_size));
                }
            }
        }
    }

    fn finish(mut self) -> (GcLogInfo, Vec<Diagnostic>) {
        let mut rest: Vec<Box<Pending>> = self.pending.drain().map(|(_, p)| p).collect();
        rest.sort_by_key(|p| (p.run(), p.id()));
        for p in rest.into_iter().filter(|p| p.started()) {
            self.ctx.emit(finish(p, self.collector, self.region_size));
        }
        self.ctx.info.lines = self.line_offset;
        self.ctx.info.region_size_bytes = self.region_size;
        (self.ctx.info, self.diagnostics)
    }
}

/// Reads a whole unified log with `options.threads` workers.
pub fn run<R: BufRead, S: GcSink>(
    source: Arc<str>,
    mut reader: R,
    sink: &mut S,
    options: &ParseOptions,
    decorated: bool,
) -> (GcLogInfo, Vec<Diagnostic>) {
    let threads = options.threads.max(1);
    let chunk = options.chunk_bytes.max(4096);
    let in_flight_max = 2 * threads;
    let mut merger = Merger {
        ctx: Ctx::new(Arc::clone(&source), sink),
        pending: HashMap::default(),
        newest: 0,
        epoch: 0,
        line_offset: 0,
        collector: None,
        region_size: None,
        diagnostics: Vec::new(),
    };
    merger.region_size = options.region_size_hint;
    merger.ctx.info.format = Some(GcLogFormat::Unified);
    let mut read_error = None;
    std::thread::scope(|scope| {
        let mut jobs: Vec<SyncSender<Job>> = Vec::new();
        let mut results: Vec<Receiver<ChunkResult>> = Vec::new();
        for _ in 0..threads {
            let (job_tx, job_rx) = sync_channel::<Job>(2);
            let (res_tx, res_rx) = sync_channel::<ChunkResult>(2);
            let source = Arc::clone(&source);
            scope.spawn(move || {
                for job in job_rx {
                    if res_tx.send(parse_chunk(&source, job, decorated)).is_err() {
                        break;
                    }
                }
            });
            jobs.push(job_tx);
            results.push(res_rx);
        }
        let mut free: Vec<Vec<u8>> = Vec::new();
        let mut carry: Vec<u8> = Vec::new();
        let (mut sent, mut received) = (0usize, 0usize);
        let mut eof = false;
        while !eof {
            // Buffers keep their full length between uses: reading straight into them saves a
            // copy of every byte (and zeroing is paid once per buffer, not per chunk).
            let mut buf = free.pop().unwrap_or_default();
            let want = chunk.max(carry.len() + 4096);
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let mut filled = carry.len();
            if let Some(head) = buf.get_mut(..filled) {
                head.copy_from_slice(&carry);
            }
            carry.clear();
            while filled < buf.len() {
                let Some(dest) = buf.get_mut(filled..) else {
                    break;
                };
                match reader.read(dest) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        filled += n;
                        merger.ctx.info.bytes += n as u64;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => {
                        read_error = Some(e.to_string());
                        eof = true;
                        break;
                    }
                }
            }
            let mut len = filled;
            if !eof {
                // Whole lines only: the cut-off tail starts the next chunk.
                if let Some(nl) = buf.get(..filled).and_then(|b| memchr::memrchr(b'\n', b)) {
                    carry.extend_from_slice(buf.get(nl + 1..filled).unwrap_or_default());
                    len = nl + 1;
                }
            }
            if len == 0 {
                free.push(buf);
                continue;
            }
            if sent - received == in_flight_max {
                if let Some(r) = results
                    .get(received % threads)
                    .and_then(|rx| rx.recv().ok())
                {
                    free.push(r.buf_take(&mut merger));
                }
                received += 1;
            }
            if let Some(tx) = jobs.get(sent % threads) {
                if tx
                    .send(Job {
                        buf,
                        len,
                        first: sent == 0,
                    })
                    .is_ok()
                {
                    sent += 1;
                }
            }
        }
        drop(jobs);
        while received < sent {
            if let Some(r) = results
                .get(received % threads)
                .and_then(|rx| rx.recv().ok())
            {
                r.buf_take(&mut merger);
            }
            received += 1;
        }
    });
    let (mut info, mut diagnostics) = merger.finish();
    info.sources = vec![Arc::clone(&source)];
    if let Some(e) = read_error {
        diagnostics.push(Diagnostic::error(
            &source,
            info.lines,
            format!("read error: {e}"),
        ));
    }
    (info, diagnostics)
}

impl ChunkResult {
    /// Merges this result and gives its buffer back for reuse.
    fn buf_take<S: GcSink>(mut self, merger: &mut Merger<S>) -> Vec<u8> {
        let buf = std::mem::take(&mut self.buf);
        merger.merge(self);
        buf
    }
}

impl<S: GcSink> Ctx<S> {
    /// A context for merged events.
    fn new(source: Arc<str>, sink: S) -> Self {
        Ctx::with(source, Interner::default(), sink)
    }
}
