//! Legacy GC logs (JDK ≤ 8, `-XX:+PrintGCDetails` and friends): one event per collection record.
//!
//! A record starts at `[GC`, `[Full GC`, `[GC pause …` after an optional date/uptime/id
//! [`prefix`], and may span lines (tenuring distribution, adaptive-size policy and G1 ergonomics
//! lines in between); it ends when its brackets balance. Concurrent phases ([`concurrent`]) may
//! arrive on their own lines or inside another record's text: they are cut out and gathered
//! into one `concurrent` event per cycle. G1's `[Eden: …]` summary and `PrintHeapAtGC` dumps
//! follow a record; the first amends the event ([`g1`]), the second is skipped.

pub mod concurrent;
pub mod g1;
pub mod prefix;
pub mod record;

use std::sync::Arc;

use super::driver::{Ctx, LineStatus};
use super::numbers::trim_start;
use super::{GcLogInfo, GcSink};
use crate::model::{Collector, GcEvent, GcKind};
use prefix::{Prefix, prefix};

/// A record longer than this is cut (a truncated log, or a line the rules misread).
const MAX_RECORD_LINES: u32 = 400;
const MAX_RECORD_BYTES: usize = 64 * 1024;

/// The legacy parser's state.
#[derive(Debug, Default)]
pub struct LegacyParser {
    record: Vec<u8>,
    depth: i32,
    record_line: u64,
    record_lines: u32,
    record_uptime: Option<f64>,
    record_timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    record_id: Option<u64>,
    /// The last pause, held back so the lines after it (`[Eden: …]`) can complete it.
    held: Option<GcEvent>,
    /// The concurrent cycle in progress.
    cycle: Option<GcEvent>,
    /// The last CMS occupancy-only record (`[GC 46468K(83008K), …]`) was an initial mark: the
    /// next is its remark.
    mark_open: bool,
    collector: Option<Collector>,
}

impl LegacyParser {
    /// Reads one non-blank line.
    pub fn line<S: GcSink>(&mut self, line_no: u64, line: &[u8], ctx: &mut Ctx<S>) -> LineStatus {
        let p = prefix(line);
        if !self.record.is_empty() {
            if is_fragment_line(p.rest) {
                // The open record may go on after the phase, on the same line (`[GC
                // concurrent-root-region-scan-end, 0.0189841 secs] (to-space exhausted),
                // 0.3314995 secs]`): only the phase's group is cut out.
                let end = concurrent::group_end(p.rest, 0).unwrap_or(p.rest.len());
                let fragment = p.rest.get(..end).unwrap_or_default().to_vec();
                self.concurrent_fragment(line_no, &p, &fragment, ctx);
                let tail = p.rest.get(end..).unwrap_or_default();
                if memchr::memchr2(b']', b',', tail).is_some() {
                    self.record.push(b' ');
                    self.record.extend_from_slice(tail);
                    self.depth += bracket_delta(tail);
                    if self.depth <= 0 {
                        self.complete(ctx);
                    }
                }
                return LineStatus::Recognized;
            }
            let structural = memchr::memchr2(b'[', b']', line).is_some()
                || crate::gclog::find::find(line, b"->").is_some();
            // `PrintHeapAtGC` dumps inside a record print address ranges `[0x…, 0x…)` whose
            // brackets never close.
            let heap_dump = crate::gclog::find::find(line, b"[0x").is_some();
            if !structural || heap_dump || p.rest.starts_with(b"[G1Ergonomics") {
                return LineStatus::Recognized;
            }
            self.record.push(b' ');
            self.record.extend_from_slice(line);
            self.depth += bracket_delta(line);
            self.record_lines += 1;
            if self.depth <= 0
                || self.record_lines > MAX_RECORD_LINES
                || self.record.len() > MAX_RECORD_BYTES
            {
                self.complete(ctx);
            }
            return LineStatus::Recognized;
        }
        let trimmed = trim_start(line);
        if trimmed.starts_with(b"[Eden: ") {
            if let Some(e) = self.held.as_mut() {
                if g1::eden_line(trimmed, e) {
                    return LineStatus::Recognized;
                }
            }
            return LineStatus::Unrecognized;
        }
        if starts_record(line, &p) {
            if is_fragment_line(p.rest) {
                self.concurrent_fragment(line_no, &p, p.rest, ctx);
                return LineStatus::Recognized;
            }
            if p.rest.starts_with(b"[G1Ergonomics")
                || p.rest.starts_with(b"[Times:")
                || is_start_marker(p.rest)
            {
                return LineStatus::Recognized;
            }
            self.flush_held(ctx);
            self.record.extend_from_slice(p.rest);
            self.depth = bracket_delta(p.rest);
            self.record_line = line_no;
            self.record_lines = 1;
            self.record_uptime = p.uptime_s;
            self.record_timestamp = p.timestamp;
            self.record_id = p.gc_id;
            if self.depth <= 0 {
                self.complete(ctx);
            }
            return LineStatus::Recognized;
        }
        if is_noise(p.rest)
            || is_noise(trimmed)
            || header_line(line, &mut ctx.info) == LineStatus::Recognized
        {
            return LineStatus::Recognized;
        }
        // Indented lines after a record are its details (G1 phases, heap dumps, adaptive sizing),
        // and so are the same details printed at the margin.
        if line.first().is_some_and(u8::is_ascii_whitespace) || is_detail_group(p.rest) {
            // A concurrent phase can end such a line (`[Preclean …]…[CMS-concurrent-preclean: …]`).
            if let Some(at) = concurrent::find_fragment(p.rest) {
                let end = concurrent::group_end(p.rest, at).unwrap_or(p.rest.len());
                let fragment = p.rest.get(at..end).unwrap_or_default().to_vec();
                self.concurrent_fragment(line_no, &p, &fragment, ctx);
            }
            return LineStatus::Recognized;
        }
        LineStatus::Unrecognized
    }

    /// Reads what is left: a record cut off by the end of the log, the held pause, an open cycle.
    pub fn finish<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if !self.record.is_empty() {
            self.complete(ctx);
        }
        self.flush_held(ctx);
        if let Some(c) = self.cycle.take() {
            ctx.emit(c);
        }
        // What the records showed beats the command line (which can be edited or stale).
        if self.collector.is_some() {
            ctx.info.collector = self.collector;
        }
    }

    /// The log has gone quiet (a followed log): the pause held for a summary line that has
    /// not come is handed on; a record in progress and an open concurrent cycle stay.
    pub fn settle<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if self.record.is_empty() {
            self.flush_held(ctx);
        }
    }

    fn flush_held<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if let Some(e) = self.held.take() {
            ctx.emit(e);
        }
    }

    /// One concurrent phase, on its own or cut out of another record.
    fn concurrent_fragment<S: GcSink>(
        &mut self,
        line_no: u64,
        p: &Prefix<'_>,
        fragment: &[u8],
        ctx: &mut Ctx<S>,
    ) {
        let phase = concurrent::phase(fragment);
        let cms = fragment.starts_with(b"[CMS");
        if phase.starts_cycle {
            if let Some(c) = self.cycle.take() {
                ctx.emit(c);
            }
        }
        let collector = if cms { Collector::Cms } else { Collector::G1 };
        self.collector.get_or_insert(collector);
        let cycle = self.cycle.get_or_insert_with(|| {
            let name: &[u8] = if cms {
                b"CMS concurrent cycle"
            } else {
                b"G1 concurrent cycle"
            };
            let mut e = GcEvent::new(
                Arc::clone(&ctx.source),
                line_no,
                collector,
                ctx.names.get(name),
            );
            e.kind = GcKind::Concurrent;
            e.uptime_s = p.uptime_s;
            e.timestamp = p.timestamp;
            e
        });
        if let Some(ms) = phase.ms {
            cycle.concurrent_ms = Some(cycle.concurrent_ms.unwrap_or(0.0) + ms);
        }
        if phase.ends_cycle {
            if let Some(c) = self.cycle.take() {
                ctx.emit(c);
            }
        }
    }

    /// The record's brackets balanced (or it was cut): read it into an event.
    fn complete<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let mut text = std::mem::take(&mut self.record);
        self.depth = 0;
        let line_no = self.record_line;
        let p = Prefix {
            timestamp: self.record_timestamp,
            uptime_s: self.record_uptime,
            gc_id: self.record_id,
            rest: b"",
        };
        // Cut out concurrent phases printed into the middle of this record.
        let mut from = 1;
        while let Some(pos) = text.get(from..).and_then(concurrent::find_fragment) {
            let start = from + pos;
            let end = concurrent::group_end(&text, start).unwrap_or(text.len());
            let fragment = text.get(start..end).unwrap_or_default().to_vec();
            self.concurrent_fragment(line_no, &p, &fragment, ctx);
            blank(&mut text, start, end);
            from = end;
        }
        // A collection printed inside another (`-XX:+CMSScavengeBeforeRemark`: the remark's
        // young collection, `[GC (CMS Final Remark) [YG occupancy: …]1.2: [GC (CMS Final
        // Remark) 1.2: [ParNew: …] …, 0.07 secs]…[1 CMS-remark: …] …]`) is its own event.
        let mut from = 1;
        while let Some(start) = nested_collection(&text, from) {
            let end = concurrent::group_end(&text, start).unwrap_or(text.len());
            let inner = text.get(start..end).unwrap_or_default().to_vec();
            if let Some(e) = self.event_of(&inner, line_no, &p, ctx) {
                ctx.emit(e);
            }
            blank(&mut text, start, end);
            from = end;
        }
        for key in [&b"[Times:"[..], b"[G1Ergonomics"] {
            let mut from = 0;
            while let Some(pos) = text
                .get(from..)
                .and_then(|t| crate::gclog::find::find(t, key))
            {
                let start = from + pos;
                let end = concurrent::group_end(&text, start).unwrap_or(text.len());
                blank(&mut text, start, end);
                from = end;
            }
        }
        self.held = self.event_of(&text, line_no, &p, ctx);
        text.clear();
        self.record = text;
    }

    /// Reads one balanced record (fragments already cut out) into an event.
    fn event_of<S: GcSink>(
        &mut self,
        text: &[u8],
        line_no: u64,
        p: &Prefix<'_>,
        ctx: &mut Ctx<S>,
    ) -> Option<GcEvent> {
        let r = record::read(text);
        if !r.head.is_empty() {
            // One JVM, one collector: CMS may run DefNew young collections (iCMS), so CMS wins
            // over Serial once seen.
            match (self.collector, r.collector) {
                (None, c) | (Some(Collector::Serial), c @ Some(Collector::Cms)) => {
                    self.collector = c.or(self.collector)
                }
                _ => {}
            }
            let collector = self
                .collector
                .or(ctx.info.collector)
                .unwrap_or(Collector::Unknown);
            let name = collapse_spaces(r.head);
            let mut e = GcEvent::new(
                Arc::clone(&ctx.source),
                line_no,
                collector,
                ctx.names.get(&name),
            );
            e.gc_id = p.gc_id;
            e.uptime_s = p.uptime_s;
            e.timestamp = p.timestamp;
            e.kind = match r.kind {
                // Without a cause, the open concurrent cycle tells the remark from the initial
                // mark; without cycle lines either (`-verbose:gc` only), they alternate.
                Some(GcKind::InitialMark)
                    if r.occupancy_only
                        && r.cause.is_none()
                        && (self.cycle.is_some() || self.mark_open) =>
                {
                    GcKind::Remark
                }
                k => k.unwrap_or(GcKind::Other),
            };
            if r.occupancy_only {
                self.mark_open = e.kind == GcKind::InitialMark;
            }
            e.cause = r.cause.map(|c| ctx.names.get(c));
            e.pause_ms = r.pause_ms.unwrap_or(0.0);
            if let Some(h) = r.heap {
                e.heap_before_bytes = Some(h.before);
                e.heap_after_bytes = Some(h.after);
                e.heap_capacity_bytes = h.capacity;
            }
            if let Some(y) = r.young {
                e.young_before_bytes = Some(y.before);
                e.young_after_bytes = Some(y.after);
            }
            if let Some(o) = r.old {
                e.old_before_bytes = Some(o.before);
                e.old_after_bytes = Some(o.after);
            } else if let (Some(h), Some(y)) = (r.heap, r.young) {
                // Young collections print only young and whole-heap figures: old is the rest.
                e.old_before_bytes = h.before.checked_sub(y.before);
                e.old_after_bytes = h.after.checked_sub(y.after);
            }
            if let Some(m) = r.meta {
                e.metaspace_before_bytes = Some(m.before);
                e.metaspace_after_bytes = Some(m.after);
            }
            return Some(e);
        }
        None
    }
}

/// Where a collection record opens inside another record's text, from `from` on.
fn nested_collection(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(pos) = text.get(at..).and_then(|t| memchr::memchr(b'[', t)) {
        let start = at + pos;
        if is_collection_open(text.get(start..).unwrap_or_default()) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

fn blank(text: &mut [u8], start: usize, end: usize) {
    if let Some(s) = text.get_mut(start..end) {
        s.fill(b' ');
    }
}

fn collapse_spaces(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if !(c == b' ' && out.last() == Some(&b' ')) {
            out.push(c);
        }
    }
    out
}

fn bracket_delta(s: &[u8]) -> i32 {
    let count = |b| i32::try_from(memchr::memchr_iter(b, s).count()).unwrap_or(i32::MAX);
    count(b'[') - count(b']')
}

fn is_fragment_line(rest: &[u8]) -> bool {
    rest.starts_with(b"[CMS-concurrent")
        || rest.starts_with(b"[GC concurrent")
        || rest.starts_with(b"[Concurrent ")
}

/// After the prefix: `[` and a capital letter (`[GC`, `[Full GC`, `[CMS-concurrent…`).
fn is_record_rest(rest: &[u8]) -> bool {
    matches!(rest, [b'[', c, ..] if c.is_ascii_uppercase())
}

/// A record starts at column 0, or anywhere after a date/uptime, and opens with a collection's
/// name: `[GC`, `[Full GC`, or JDK 8 Shenandoah's `[Pause …`. Every other bracket group is a
/// detail of a record: G1's phase lines (`[Parallel Time: …]`, `[Ext Root Scanning (ms): …]`,
/// printed at column 0 by some JDK 8 builds), reference processing during a CMS preclean
/// (`[Preclean SoftReferences, … secs]`), `[Unloading class …]`.
fn starts_record(line: &[u8], p: &Prefix<'_>) -> bool {
    let at_margin = !line.first().is_some_and(u8::is_ascii_whitespace);
    let stamped = p.uptime_s.is_some() || p.timestamp.is_some();
    (at_margin || stamped) && (is_collection_open(p.rest) || is_fragment_line(p.rest))
}

/// `[GC` (not `[GC Worker…`, `[GC ref-proc…`), `[Full GC`, `[Pause ` at the start of `rest`;
/// concurrent fragments (`[GC concurrent…`, `[CMS-concurrent…`) are told apart before this.
pub(crate) fn is_collection_open(rest: &[u8]) -> bool {
    if let Some(after) = rest.strip_prefix(b"[GC") {
        // `[GC (Allocation Failure)`, `[GC 1.2: [ParNew`, `[GC[YG occupancy`, `[GC2014-…`,
        // `[GCAdaptiveSizePolicy…` (a record broken by -XX:+PrintAdaptiveSizePolicy).
        !(after.starts_with(b" Worker")
            || after.starts_with(b" ref-")
            || after.first().is_some_and(u8::is_ascii_lowercase))
    } else {
        rest.starts_with(b"[Full GC") || rest.starts_with(b"[Pause ")
    }
}

/// JDK 8 Shenandoah announces a pause before printing it: `[Pause Full, start]`.
fn is_start_marker(rest: &[u8]) -> bool {
    crate::gclog::numbers::trim_end(rest).ends_with(b", start]")
        && memchr::memchr(b']', rest) == Some(trim_end_len(rest) - 1)
}

fn trim_end_len(s: &[u8]) -> usize {
    crate::gclog::numbers::trim_end(s).len()
}

/// A bracket group that details a collection rather than being one: a capitalised name and
/// then `:` or `, N secs]` (`[Parallel Time: 18.9 ms, GC Workers: 1]`, `[Update RS (ms): 0.0]`,
/// `[Preclean SoftReferences, 0.0000050 secs]`, `[Unloading class Foo 0x…]`).
fn is_detail_group(rest: &[u8]) -> bool {
    let Some(body) = rest.strip_prefix(b"[") else {
        return false;
    };
    if !body.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    if body.starts_with(b"Unloading class ") || body.starts_with(b"Loaded ") {
        return true;
    }
    let end = body
        .iter()
        .position(|c| !(c.is_ascii_alphabetic() || matches!(c, b' ' | b'(' | b')' | b'-' | b'_')))
        .unwrap_or(body.len());
    match body.get(end..) {
        Some([b':', ..]) => true,
        Some([b',', b' ', rest @ ..]) => record::secs(rest).is_some(),
        _ => false,
    }
}

/// True when `line` starts a legacy collection record (or a G1/CMS line only legacy logs print).
pub fn is_record_start(line: &[u8]) -> bool {
    let p = prefix(line);
    let rest = p.rest;
    rest.starts_with(b"[GC")
        || rest.starts_with(b"[Full GC")
        || rest.starts_with(b"[CMS-concurrent")
        || ((p.uptime_s.is_some() || p.timestamp.is_some()) && is_record_rest(rest))
}

/// True for lines only legacy logs have (the JVM banner, `CommandLine flags:`, heap dumps,
/// a safepoint line with a legacy date/uptime prefix).
pub fn is_legacy_only(line: &[u8]) -> bool {
    let p = prefix(line);
    ((p.uptime_s.is_some() || p.timestamp.is_some()) && is_noise(p.rest))
        || is_rotation_banner(line)
        || line.starts_with(b"Java HotSpot")
        || line.starts_with(b"OpenJDK")
        || line.starts_with(b"CommandLine flags:")
        || line.starts_with(b"{Heap before GC")
}

/// `-XX:+UseGCLogFileRotation` banners: `2024-03-01 10:00:00 GC log file created gc.log.0`,
/// `… GC log file has reached the maximum size. Saved as gc.log.0`.
fn is_rotation_banner(line: &[u8]) -> bool {
    line.first().is_some_and(u8::is_ascii_digit)
        && crate::gclog::find::find(line, b" GC log file ").is_some()
}

/// Lines that belong to legacy logs but carry nothing for the events (safepoint times,
/// tenuring, adaptive sizing, heap dumps, `-XX:+PrintCMSInitiationStatistics`).
///
/// One dispatch on the first byte, then only the prefixes that start with it (at most three):
/// this runs on every line of a legacy log that is not a record, twice (after the prefix and
/// after the indentation), and testing all 33 prefixes was most of the parse time.
/// `tests::noise_table_matches_the_list` checks it against the flat list.
pub fn is_noise(rest: &[u8]) -> bool {
    let candidates: &[&[u8]] = match rest.first() {
        Some(b't') => &[b"time_until_cms"],
        Some(b'f') => &[b"free="],
        Some(b'c') => &[
            b"contiguous_available=",
            b"cms_allocation_rate=",
            b"cms_time",
        ],
        Some(b'p') => &[b"promotion_rate="],
        Some(b'o') => &[b"occupancy="],
        Some(b'i') => &[b"initiating"],
        Some(b'a') => &[b"avg_"],
        Some(b'C') => &[b"CMSCollector", b"CMS: abort preclean", b"Concurrent RS"],
        Some(b'D') => &[b"Desired survivor size"],
        Some(b'-') => &[b"- age"],
        Some(b'T') => &[
            b"Total time for which application threads were stopped",
            b"TLAB",
        ],
        Some(b'A') => &[b"Application time:", b"AdaptiveSize", b"After GC"],
        Some(b'P') => &[b"PSAdaptiveSize", b"ParallelGCThreads"],
        Some(b'{') => &[b"{Heap before"],
        // `Heap after` and `Heap` are both in the list; `Heap` covers the other.
        Some(b'H') => &[b"Heap"],
        Some(b'}') => return true,
        Some(b'[') => &[b"[Times:", b"[G1Ergonomics", b"[GC Worker"],
        Some(b'M') => &[b"Memory:"],
        Some(b'F') => &[b"Finished"],
        Some(b'G') => &[b"GC locker:"],
        Some(b'B') => &[b"Before GC"],
        Some(b',') => &[b", "],
        _ => return false,
    };
    candidates.iter().any(|n| rest.starts_with(n))
}

/// Reads a legacy header line (`Java HotSpot(TM) … JRE (1.8.0_332-b09) …`, `CommandLine
/// flags: … -XX:+UseG1GC …`); recognized when it was one.
pub fn header_line(line: &[u8], info: &mut GcLogInfo) -> LineStatus {
    if is_noise(prefix(line).rest) || is_rotation_banner(line) {
        return LineStatus::Recognized;
    }
    let has = |n: &[u8]| crate::gclog::find::find(line, n).is_some();
    if line.starts_with(b"Java HotSpot") || line.starts_with(b"OpenJDK") {
        if let Some(pos) = crate::gclog::find::find(line, b"JRE (") {
            let rest = line.get(pos + 5..).unwrap_or_default();
            let end = memchr::memchr(b')', rest).unwrap_or(rest.len());
            if info.jvm_version.is_none() {
                info.jvm_version =
                    Some(String::from_utf8_lossy(rest.get(..end).unwrap_or(rest)).into_owned());
            }
        }
        return LineStatus::Recognized;
    }
    if line.starts_with(b"CommandLine flags:") {
        let c = if has(b"+UseG1GC") {
            Some(Collector::G1)
        } else if has(b"+UseConcMarkSweepGC") {
            Some(Collector::Cms)
        } else if has(b"+UseParallelGC") || has(b"+UseParallelOldGC") {
            Some(Collector::Parallel)
        } else if has(b"+UseSerialGC") {
            Some(Collector::Serial)
        } else if has(b"+UseShenandoahGC") {
            Some(Collector::Shenandoah)
        } else {
            None
        };
        if info.collector.is_none() {
            info.collector = c;
        }
        return LineStatus::Recognized;
    }
    if line.starts_with(b"Memory:") {
        return LineStatus::Recognized;
    }
    LineStatus::Unrecognized
}

#[cfg(test)]
mod tests {
    use super::is_noise;

    /// The flat list `is_noise` used to test every line against, in full.
    const NOISE: [&[u8]; 33] = [
        b"time_until_cms",
        b"free=",
        b"contiguous_available=",
        b"promotion_rate=",
        b"cms_allocation_rate=",
        b"occupancy=",
        b"initiating",
        b"CMSCollector",
        b"cms_time",
        b"Desired survivor size",
        b"- age",
        b"Total time for which application threads were stopped",
        b"Application time:",
        b"AdaptiveSize",
        b"PSAdaptiveSize",
        b"avg_",
        b"{Heap before",
        b"Heap after",
        b"Heap",
        b"}",
        b"[Times:",
        b"CMS: abort preclean",
        b"Memory:",
        b"TLAB",
        b"[G1Ergonomics",
        b"[GC Worker",
        b"Finished",
        b"GC locker:",
        b"Before GC",
        b"After GC",
        b"Concurrent RS",
        b"ParallelGCThreads",
        b", ",
    ];

    #[test]
    fn noise_table_matches_the_list() {
        let flat = |rest: &[u8]| NOISE.iter().any(|n| rest.starts_with(n));
        let mut lines: Vec<Vec<u8>> = Vec::new();
        for n in NOISE {
            lines.push(n.to_vec());
            lines.push([n, b" 12.3".as_slice()].concat());
            // Every shorter prefix and a one-byte change must agree too.
            for cut in 0..n.len() {
                lines.push(n[..cut].to_vec());
                let mut changed = n.to_vec();
                changed[cut] ^= 0x20;
                lines.push(changed);
            }
        }
        let samples = [
            "samples/gc/jdk8-handwritten",
            "samples/gc/jdk8-handwritten/rotated",
        ];
        for dir in samples {
            let entries = std::fs::read_dir(dir).unwrap();
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_file() {
                    for line in std::fs::read(&path).unwrap().split(|b| *b == b'\n') {
                        lines.push(line.to_vec());
                        lines.push(crate::gclog::numbers::trim_start(line).to_vec());
                    }
                }
            }
        }
        assert!(lines.len() > 1000, "{} lines", lines.len());
        let mut noise = 0;
        for line in &lines {
            assert_eq!(
                is_noise(line),
                flat(line),
                "{:?}",
                String::from_utf8_lossy(line)
            );
            noise += usize::from(flat(line));
        }
        assert!(noise > 100, "{noise} noise lines");
    }
}
