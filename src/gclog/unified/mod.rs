//! Unified logging (JDK 9–25): one event per `GC(N)` id, whatever the collector.
//!
//! Every line of a collection carries its id, so lines are gathered per id: the `Pause …` /
//! `Concurrent …` / `… Collection` lines give the name, kind, pauses, concurrent time and heap
//! transition; generation, region and Metaspace lines give young/old/metaspace figures. An
//! event is handed on when its id has fallen far behind the newest one (a concurrent cycle
//! spans many young collections) or at the end of the log.
//!
//! Families: [`names`] (kinds and causes for G1, Shenandoah, ZGC, CMS, Serial, Parallel),
//! [`g1`] (regions), [`generations`] (Serial/Parallel/CMS spaces, Metaspace), [`zgc`] (heap table),
//! `header` (lines without a GC id).

pub mod g1;
pub mod generations;
mod header;
pub mod names;
pub mod zgc;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;

use super::GcSink;
use super::decorators;
use super::driver::{Ctx, LineStatus};
use super::numbers::{IdCache, find_transition_and_arrow, trailing_duration_ms, trim_end};
use crate::model::{Collector, GcEvent, GcKind};
use generations::Space;
use header::{header, infer_from_name, is_run_header, undecorated_info};
use names::Seen;

/// Ids this far behind the newest are complete: a concurrent cycle (G1 marking, a generational
/// ZGC major collection) spans a few dozen collections at most, not a thousand.
const ID_WINDOW: u64 = 1024;

/// When a followed log settles, a G1 concurrent cycle this many ids behind the newest is handed
/// on even without its closing line (a cycle spans a few young pauses in practice).
const SETTLE_WINDOW: u64 = 64;

/// An event still being read.
#[derive(Debug)]
struct Pending {
    event: GcEvent,
    flags: Seen,
    name_rank: u8,
    /// The whole cycle's duration (`Concurrent Cycle 42.4ms`, `Major Collection … 0.047s`).
    cycle_ms: Option<f64>,
    /// Sum of the concurrent phases' durations.
    phases_ms: f64,
    /// The whole cycle's closing line was read (`Concurrent Mark Cycle 12.3ms`, ZGC's
    /// `Garbage Collection (…) 20M(10%)->12M(6%)`): no more lines will come for it.
    cycle_done: bool,
    /// A `Pause …` line with its duration was read: the pause's own closing line.
    pause_done: bool,
    regions: g1::Regions,
}

/// The unified-logging parser's state.
#[derive(Debug, Default)]
pub struct UnifiedParser {
    /// Boxed: a collection moves from the map to the sink by pointer. Unboxed, the moves of
    /// a ~400-byte `Pending` were 8% of `jvmem gc` (memmove, perf) against ~2% for the
    /// allocation.
    pending: FxHashMap<u64, Box<Pending>>,
    /// The name of a collection before its pause or phase line names it.
    unnamed: Option<Arc<str>>,
    /// Scratch list of the ids [`UnifiedParser::evict`] hands on (kept to reuse its memory).
    done_ids: Vec<u64>,
    /// What each distinct pause/phase name says (flags, rank, cause), worked out once.
    names: FxHashMap<Box<[u8]>, NameInfo>,
    newest_id: u64,
    region_size: Option<u64>,
    /// The collector the header named, or the one the events betray.
    collector: Option<Collector>,
    /// Seen a decorated line: undecorated lines are then continuations of a multi-line message.
    decorated: bool,
    /// Whether the log's lines carry decorators at all (known once its format is); without
    /// them, a line is only its message.
    log_decorated: Option<bool>,
    /// The lines at which JVM runs after the first one (restarts) start.
    pub(crate) restarts: Vec<u64>,
    /// Uptime of the newest collection opened, to notice time going back.
    last_open_uptime: Option<f64>,
    /// The minute of the last ISO timestamp read.
    iso: decorators::IsoCache,
    ids: IdCache, // the last `GC(N)` id read
}

impl UnifiedParser {
    /// A parser that knows the G1 region size before the log says it.
    pub fn with_region_size(region_size: Option<u64>) -> Self {
        UnifiedParser {
            region_size,
            ..UnifiedParser::default()
        }
    }

    /// Tells whether the log carries decorators (from the line that showed its format).
    pub fn set_log_decorated(&mut self, decorated: bool) {
        self.log_decorated = Some(decorated);
    }

    /// The collector and G1 region size, when known.
    pub fn header(&self) -> (Option<Collector>, Option<u64>) {
        (self.collector, self.region_size)
    }

    /// Reads one non-blank line.
    pub fn line<S: GcSink>(&mut self, line_no: u64, line: &[u8], ctx: &mut Ctx<S>) -> LineStatus {
        let (prefix, msg) = decorators::split(line);
        if let Some(rest) = msg.strip_prefix(b"GC(") {
            if let Some((id, r)) = self.ids.id_then_paren(rest) {
                if let Some(body) = r.strip_prefix(b")") {
                    let body = body.strip_prefix(b" ").unwrap_or(body);
                    self.gc_line(id, line_no, prefix, body, ctx);
                    return LineStatus::Recognized;
                }
            }
        }
        if ctx.info.start_uptime_s.is_none() && !prefix.is_empty() {
            let (t, u) = decorators::times_cached(prefix, &mut self.iso);
            ctx.info.start_uptime_s = u;
            ctx.info.start_timestamp = ctx.info.start_timestamp.or(t);
        }
        self.decorated |= !prefix.is_empty();
        if is_run_header(msg) && self.last_open_uptime.is_some() {
            self.restart(line_no, ctx);
        }
        let undecorated_log = self.log_decorated != Some(true);
        if header(msg, &mut ctx.info, self)
            || self.decorated
            || (undecorated_log && undecorated_info(msg))
        {
            LineStatus::Recognized
        } else {
            LineStatus::Unrecognized
        }
    }

    fn gc_line<S: GcSink>(
        &mut self,
        id: u64,
        line_no: u64,
        prefix: &[u8],
        body: &[u8],
        ctx: &mut Ctx<S>,
    ) {
        // Generational ZGC tags phases with the generation.
        let body = match body {
            [b'Y' | b'O' | b'y' | b'o', b':', b' ', rest @ ..] => rest,
            _ => body,
        };
        // Phase details (`GC(0)   Pre Evacuate …`) and tables are indented: skip them, except
        // ZGC's capacity row.
        if body.first() == Some(&b' ') {
            if body.get(1..3) == Some(b"  ") || body.get(1) == Some(&b'C') {
                if let Some(cap) = zgc::capacity_row(body) {
                    if let Some(p) = self.pending.get_mut(&id) {
                        p.event.heap_capacity_bytes = Some(cap);
                    }
                }
            }
            return;
        }
        let Some(first) = body.first() else { return };
        // Only these initials start lines that matter; the rest (workers, cpu, tasks) are skipped
        // before any lookup.
        if !matches!(
            first,
            b'P' | b'C' | b'G' | b'M' | b'E' | b'S' | b'O' | b'H' | b'A' | b'D' | b'T'
        ) {
            return;
        }
        // One lookup for the lines of an open collection; a second only for the line that
        // opens one.
        let p = match self.pending.get_mut(&id) {
            Some(p) => p,
            None if starts_event(body) => {
                // Uptime going back by more than a second: another JVM run (two logs `cat`
                // together, a restart appending without its header).
                // Read once for both (the ISO timestamp is the costly part).
                let (timestamp, uptime) = decorators::times_cached(prefix, &mut self.iso);
                if let (Some(u), Some(last)) = (uptime, self.last_open_uptime) {
                    if u + 1.0 < last {
                        self.restart(line_no, ctx);
                    }
                }
                self.open(id, line_no, (timestamp, uptime), ctx);
                self.last_open_uptime = uptime.or(self.last_open_uptime).or(Some(0.0));
                let Some(p) = self.pending.get_mut(&id) else {
                    return;
                };
                p
            }
            None => return,
        };
        let mut inferred = None;
        match first {
            b'P' if body.starts_with(b"Pause ") => timed_line(p, &mut self.names, body, true, ctx),
            b'C' if is_concurrent_phase(body) => timed_line(p, &mut self.names, body, false, ctx),
            b'G' if body.starts_with(b"Garbage Collection") => {
                inferred = Some(Collector::Zgc);
                timed_line(p, &mut self.names, body, false, ctx);
            }
            b'M' if body.starts_with(b"Minor Collection")
                || body.starts_with(b"Major Collection") =>
            {
                inferred = Some(Collector::Zgc);
                if body.starts_with(b"Minor") {
                    p.flags |= Seen::MINOR;
                }
                timed_line(p, &mut self.names, body, false, ctx);
            }
            b'E' | b'S' | b'O' | b'H' | b'A' if g1::region_line(body, &mut p.regions) => {
                inferred = Some(Collector::G1);
            }
            _ => {
                if let Some((space, t, c)) = generations::generation_line(body) {
                    inferred = c;
                    let e = &mut p.event;
                    match space {
                        Space::Young => {
                            e.young_before_bytes = Some(t.before);
                            e.young_after_bytes = Some(t.after);
                        }
                        Space::Old => {
                            e.old_before_bytes = Some(t.before);
                            e.old_after_bytes = Some(t.after);
                        }
                        Space::Metaspace => {
                            e.metaspace_before_bytes.get_or_insert(t.before);
                            e.metaspace_after_bytes = Some(t.after);
                        }
                    }
                }
            }
        }
        if self.collector.is_none() {
            if let Some(c) = inferred.or_else(|| infer_from_name(body)) {
                self.collector = Some(c);
                ctx.info.collector = Some(c);
            }
        }
        if id > self.newest_id {
            self.newest_id = id;
            if id % 256 == 0 {
                self.evict(ctx);
            }
        }
    }

    fn open<S: GcSink>(
        &mut self,
        id: u64,
        line_no: u64,
        (timestamp, uptime): (Option<DateTime<FixedOffset>>, Option<f64>),
        ctx: &mut Ctx<S>,
    ) {
        let collector = self.collector.unwrap_or(Collector::Unknown);
        // Named once the pause or phase line is read. One shared empty name: looking `""` up in
        // the interner for every collection was 8% of `jvmem gc` (perf, 128 MiB G1 log).
        let unnamed = Arc::clone(self.unnamed.get_or_insert_with(|| ctx.names.get(b"")));
        let mut event = GcEvent::new(ctx.source.clone(), line_no, collector, unnamed);
        event.gc_id = Some(id);
        event.timestamp = timestamp;
        event.uptime_s = uptime;
        self.pending.insert(
            id,
            Box::new(Pending {
                event,
                flags: Seen::empty(),
                name_rank: 0,
                cycle_ms: None,
                phases_ms: 0.0,
                cycle_done: false,
                pause_done: false,
                regions: g1::Regions::default(),
            }),
        );
    }

    /// Hands on the events whose ids are far enough behind.
    fn evict<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let cutoff = self.newest_id.saturating_sub(ID_WINDOW);
        if self.pending.len() < 256 {
            return;
        }
        // Ids first, then each collection straight from the map to the sink: collecting the
        // collections into a vector first moved every one once more (4% of `jvmem gc`).
        let mut done = std::mem::take(&mut self.done_ids);
        done.clear();
        done.extend(self.pending.keys().copied().filter(|id| *id < cutoff));
        done.sort_unstable();
        for id in &done {
            if let Some(p) = self.pending.remove(id) {
                ctx.emit(finish(p, self.collector, self.region_size));
            }
        }
        self.done_ids = done;
    }

    /// Another JVM run starts at `line_no`: the collections of the previous one are complete,
    /// and ids count from 0 again.
    fn restart<S: GcSink>(&mut self, line_no: u64, ctx: &mut Ctx<S>) {
        self.finish(ctx);
        self.newest_id = 0;
        self.last_open_uptime = None;
        self.restarts.push(line_no);
        ctx.info.jvm_runs = ctx.info.jvm_runs.max(1) + 1;
    }

    /// The log has gone quiet (a followed log): hands on every collection that later lines
    /// are not expected to extend — every pause whose closing `Pause … 3.4ms` line was read, and the concurrent cycles that printed their
    /// closing line, or (collectors whose cycles do not overlap: Shenandoah, ZGC) that a newer
    /// collection has followed, or that fell [`SETTLE_WINDOW`] ids behind. A G1 marking cycle
    /// without its closing line stays open: its remark and cleanup come after younger pauses.
    pub fn settle<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let newest = self.newest_id;
        let overlapping = matches!(self.collector, Some(Collector::G1) | None);
        let mut done: Vec<u64> = self
            .pending
            .iter()
            .filter(|(id, p)| {
                (!p.flags.contains(Seen::CONCURRENT) && p.pause_done)
                    || p.cycle_done
                    || (**id < newest && !overlapping)
                    || **id + SETTLE_WINDOW <= newest
            })
            .map(|(id, _)| *id)
            .collect();
        done.sort_unstable();
        for id in done {
            if let Some(p) = self.pending.remove(&id) {
                ctx.emit(finish(p, self.collector, self.region_size))
            }
        }
    }

    /// Hands on every event still open, in id order.
    pub fn finish<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let mut rest: Vec<Box<Pending>> = self.pending.drain().map(|(_, p)| p).collect();
        rest.sort_by_key(|p| p.event.line);
        for p in rest {
            ctx.emit(finish(p, self.collector, self.region_size))
        }
    }
}

/// Lines that can open an event; anything else with an unseen id (e.g. a stray `Using 4 workers`
/// line) does not make one.
fn starts_event(body: &[u8]) -> bool {
    body.starts_with(b"Pause ")
        || is_concurrent_phase(body)
        || body.starts_with(b"Garbage Collection")
        || body.starts_with(b"Minor Collection")
        || body.starts_with(b"Major Collection")
        || body.starts_with(b"Eden regions")
        || body.starts_with(b"Survivor regions")
        || body.starts_with(b"Old regions")
        || body.starts_with(b"Humongous regions")
        || body.starts_with(b"Archive regions")
        || generations::generation_line(body).is_some()
}

/// A concurrent phase or cycle: `Concurrent Mark (0.1s)`, `Concurrent marking 3.687ms`,
/// `Concurrent Cycle`. Statistics that merely start with the word — G1's debug-level
/// `Concurrent refinement times: …` / `Concurrent refinement: 0.00ms, refined: 0`, printed
/// inside a young pause — have a colon after a name, which no phase name has.
///
/// Generational Shenandoah (JDK 25) names one old-generation phase without the word:
/// `Coalescing and filling (Old) 29.328ms`, which can be an old cycle's only timed line.
fn is_concurrent_phase(body: &[u8]) -> bool {
    (body.starts_with(b"Concurrent ") || body.starts_with(names::COALESCE_AND_FILL))
        && memchr::memchr(b':', body).is_none()
}

/// What a name says, cached per distinct name.
#[derive(Debug, Clone)]
struct NameInfo {
    name: std::sync::Arc<str>,
    cause: Option<std::sync::Arc<str>>,
    pause_flags: Seen,
    rank: u8,
    is_cycle: bool,
}

/// Works out what a name not seen before says.
fn new_name_info<S: GcSink>(name: &[u8], ctx: &mut Ctx<S>) -> NameInfo {
    NameInfo {
        name: ctx.names.get(name),
        cause: names::cause(name).map(|c| ctx.names.get(c)),
        pause_flags: names::pause_flags(name),
        rank: names::name_rank(name),
        is_cycle: name.starts_with(b"Concurrent Cycle")
            || name.starts_with(b"Concurrent Mark Cycle")
            || name.starts_with(b"Concurrent Undo Cycle")
            || !(name.starts_with(b"Concurrent ") || name.starts_with(names::COALESCE_AND_FILL)),
    }
}

/// A `Pause …`, `Concurrent …` or `… Collection` line, with or without its closing
/// `heap transition` and duration.
fn timed_line<S: GcSink>(
    p: &mut Pending,
    cache: &mut FxHashMap<Box<[u8]>, NameInfo>,
    body: &[u8],
    pause: bool,
    ctx: &mut Ctx<S>,
) {
    let (duration, head) = match trailing_duration_ms(body) {
        Some((ms, head)) => (Some(ms), head),
        None => (None, trim_end(body)),
    };
    let (name, transition) = match find_transition_and_arrow(head) {
        Some((t, _, arrow)) => {
            let mut start = arrow;
            while start > 0 && head.get(start - 1).is_some_and(|c| *c != b' ') {
                start -= 1;
            }
            (trim_end(head.get(..start).unwrap_or(head)), Some(t))
        }
        None => (head, None),
    };
    // Borrowed from the cache: its names are cloned (an atomic increment each, and the
    // decrement when dropped) only when they become the event's.
    let fresh;
    let info = match cache.get(name) {
        Some(info) => info,
        None => {
            fresh = new_name_info(name, ctx);
            if cache.len() < 4096 {
                cache.insert(name.into(), fresh.clone());
            }
            &fresh
        }
    };
    let is_cycle = !pause && info.is_cycle;
    if pause {
        p.flags |= info.pause_flags;
        if let Some(ms) = duration {
            p.event.pause_ms += ms;
            p.pause_done = true;
        }
    } else {
        p.flags |= Seen::CONCURRENT;
        if is_cycle && (duration.is_some() || transition.is_some()) {
            p.cycle_done = true;
        }
        if let Some(ms) = duration {
            if is_cycle {
                p.cycle_ms = Some(ms);
            } else {
                p.phases_ms += ms;
            }
        }
    }
    if info.rank > p.name_rank {
        p.name_rank = info.rank;
        p.event.name = Arc::clone(&info.name);
        if info.cause.is_some() {
            p.event.cause.clone_from(&info.cause);
        }
    }
    if let Some(t) = transition {
        let e = &mut p.event;
        e.heap_before_bytes.get_or_insert(t.before);
        e.heap_after_bytes = Some(t.after);
        if t.capacity.is_some() {
            e.heap_capacity_bytes = t.capacity;
        }
    }
}

/// Decides the kind and the concurrent time of a complete event.
/// In place in the box (`let p = *p` copied the whole `Pending`, then its event again).
fn finish(mut p: Box<Pending>, collector: Option<Collector>, region_size: Option<u64>) -> GcEvent {
    let e = &mut p.event;
    if let Some(((yb, ya), old)) = region_size.and_then(|size| p.regions.bytes(size)) {
        e.young_before_bytes = Some(yb);
        e.young_after_bytes = Some(ya);
        if let Some((ob, oa)) = old {
            e.old_before_bytes = Some(ob);
            e.old_after_bytes = Some(oa);
        }
    }
    e.humongous_after_bytes = region_size.and_then(|size| p.regions.humongous_after(size));
    if e.collector == Collector::Unknown {
        e.collector = collector.unwrap_or(Collector::Unknown);
    }
    let f = p.flags;
    e.kind = if f.contains(Seen::FULL) {
        GcKind::Full
    } else if f.contains(Seen::MINOR) {
        GcKind::Young
    } else if f.contains(Seen::CONCURRENT) {
        GcKind::Concurrent
    } else if f.contains(Seen::MIXED) {
        GcKind::Mixed
    } else if f.contains(Seen::INITIAL_MARK) {
        GcKind::InitialMark
    } else if f.contains(Seen::YOUNG) {
        GcKind::Young
    } else if f.contains(Seen::REMARK) {
        GcKind::Remark
    } else if f.contains(Seen::CLEANUP) {
        GcKind::Cleanup
    } else {
        GcKind::Other
    };
    if f.contains(Seen::CONCURRENT) {
        e.concurrent_ms = p
            .cycle_ms
            .or((p.phases_ms > 0.0).then_some(p.phases_ms))
            .map(round_ns);
    }
    // Sums of 3-decimal figures: round off the float noise so that the order they were added
    // in (one thread or several) does not show.
    e.pause_ms = round_ns(e.pause_ms);
    if e.name.is_empty() {
        e.name = std::sync::Arc::from("GC");
    }
    p.event
}

fn round_ns(ms: f64) -> f64 {
    (ms * 1e6).round() / 1e6
}
