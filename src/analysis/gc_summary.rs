//! What a GC log says in a few numbers: collections by kind, pause total/max/p50/p99,
//! throughput, allocation and promotion rates, and whether the heap left after collections
//! grows (the classic leak signal).
//!
//! [`GcSummaryBuilder`] takes events one at a time (4 bytes kept per pause, for percentiles), so
//! a log of any size can be summarised while it streams; [`GcSummary::from_events`] is the same
//! over a slice.

use std::collections::BTreeMap;

use serde::Serialize;

use super::diagnosis::{DiagnoseOptions, SuspectKind, find_suspects};
use super::growth::{GcPoint, gc_growth_of_points};
use crate::model::{Collector, GcEvent, GcKind};
use crate::model::{GcLogFormat, GcLogInfo};
use crate::num::{u64_from_f64, usize_from_f64};

/// Points kept for the live-set judgement before young pauses are thinned (every other one
/// dropped; collections that reclaim old memory are always kept): ~50 bytes each.
const MAX_LIVE_SET_POINTS: usize = 400_000;

/// Whether the live set grows, judged by the same function as `jvmem report`'s heap suspect
/// ([`find_suspects`] over [`gc_growth_of_points`]), so the two commands cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveSetJudgement {
    /// True when `report` would name the heap from this log.
    pub growing: bool,
    /// The series judged, in words (`old gen after full/mixed GC`, …).
    pub basis: &'static str,
    pub rate_bytes_per_min: f64,
    pub start_bytes: u64,
    pub end_bytes: u64,
    pub points: usize,
    pub span_min: f64,
    /// The heap suspect's confidence, when growing.
    pub confidence: Option<f64>,
    /// Why the judgement is not sure (no collection reclaimed old memory), when so.
    pub note: Option<String>,
}

/// The judgement over GC points (see [`LiveSetJudgement`]).
pub fn judge_live_set(points: &[GcPoint]) -> Option<LiveSetJudgement> {
    let options = DiagnoseOptions::default();
    let series = gc_growth_of_points(points, options.warmup_fraction, options.min_points);
    let findings = find_suspects(&series, &options, crate::model::categories::names::OTHER);
    let suspects = findings.suspects;
    let heap = suspects.iter().find(|s| s.kind == SuspectKind::Heap);
    let shown = heap
        .and_then(|h| h.series.iter().find(|s| s.metric.is_gc()))
        .or_else(|| series.iter().find(|s| s.category == "Java Heap"))?;
    let t = &shown.trend;
    Some(LiveSetJudgement {
        growing: heap.is_some(),
        basis: shown.metric.label(),
        rate_bytes_per_min: heap.map_or(t.slope_per_min, |h| h.rate_bytes_per_min),
        start_bytes: u64_from_f64(t.start_value),
        end_bytes: u64_from_f64(t.end_value),
        points: t.points,
        span_min: t.span_min,
        confidence: heap.map(|h| h.confidence),
        note: heap
            .filter(|h| h.confidence < super::diagnosis::DEFAULT_MIN_CONFIDENCE)
            .map(|_| {
                "not sure: no collection in the window reclaimed old memory, so this may be garbage not yet collected".to_string()
            }),
    })
}

/// A straight line fitted through (time, bytes) points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeapTrend {
    /// Which figure was fitted: `old-after-full`, `heap-after-full`, or `after-old-gc` (old gen,
    /// else heap, after full, mixed and concurrent collections).
    pub basis: &'static str,
    pub points: u64,
    pub first_bytes: u64,
    pub last_bytes: u64,
    /// Least-squares slope; positive means the live set grows.
    pub slope_bytes_per_s: f64,
}

/// The summary of one GC log (or one rotated set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GcSummary {
    pub collector: Option<Collector>,
    pub jvm_version: Option<String>,
    pub format: Option<GcLogFormat>,
    /// What the header said about the heap (`gc,init`), when it did.
    pub heap_initial_bytes: Option<u64>,
    pub heap_max_bytes: Option<u64>,
    /// JVM runs in the input when more than one (0 otherwise): collections of different runs
    /// are never merged.
    pub jvm_runs: u64,
    pub sources: Vec<String>,
    pub lines: u64,
    pub unrecognized_lines: u64,
    pub events: u64,
    /// Keys are the kinds' names (`young`, `mixed`, `full`, …).
    pub events_by_kind: BTreeMap<&'static str, u64>,
    /// Events with a stop-the-world pause.
    pub pauses: u64,
    pub pause_total_ms: f64,
    pub pause_max_ms: Option<f64>,
    pub pause_p50_ms: Option<f64>,
    pub pause_p99_ms: Option<f64>,
    pub concurrent_total_ms: f64,
    /// Time the log covers, from its first line to the end of its last collection.
    pub elapsed_s: Option<f64>,
    /// Share of the elapsed time the application was not paused.
    pub throughput_percent: Option<f64>,
    /// Heap filled between collections, per second of elapsed time.
    pub allocation_rate_bytes_per_s: Option<f64>,
    /// Old generation growth across young collections, per second.
    pub promotion_rate_bytes_per_s: Option<f64>,
    pub heap_capacity_max_bytes: Option<u64>,
    pub heap_after_max_bytes: Option<u64>,
    /// `None` with fewer than 3 old-generation collections: the live set is not visible yet.
    pub heap_after_trend: Option<HeapTrend>,
    /// Whether the live set grows, as `jvmem report` judges it.
    pub live_set: Option<LiveSetJudgement>,
    pub old_collections: u64,
    pub metaspace_after_first_bytes: Option<u64>,
    pub metaspace_after_last_bytes: Option<u64>,
}

/// Online least squares.
#[derive(Debug, Default, Clone, Copy)]
struct Fit {
    n: u64,
    sx: f64,
    sy: f64,
    sxx: f64,
    sxy: f64,
    first: u64,
    last: u64,
}

impl Fit {
    fn push(&mut self, x: f64, bytes: u64) {
        if self.n == 0 {
            self.first = bytes;
        }
        self.last = bytes;
        let y = bytes as f64;
        self.n += 1;
        self.sx += x;
        self.sy += y;
        self.sxx += x * x;
        self.sxy += x * y;
    }

    fn trend(&self, basis: &'static str) -> Option<HeapTrend> {
        let n = self.n as f64;
        let den = n * self.sxx - self.sx * self.sx;
        (self.n >= 2 && den.abs() > f64::EPSILON).then(|| HeapTrend {
            basis,
            points: self.n,
            first_bytes: self.first,
            last_bytes: self.last,
            slope_bytes_per_s: (n * self.sxy - self.sx * self.sy) / den,
        })
    }
}

/// Where a kind's count is kept: its place in [`GcKind::ALL`] (a `match`, so a new kind does
/// not compile without a slot; a test checks the two agree).
fn kind_slot(kind: GcKind) -> usize {
    match kind {
        GcKind::Young => 0,
        GcKind::Mixed => 1,
        GcKind::Full => 2,
        GcKind::InitialMark => 3,
        GcKind::Remark => 4,
        GcKind::Cleanup => 5,
        GcKind::Concurrent => 6,
        GcKind::Other => 7,
    }
}

/// Builds a [`GcSummary`] from events handed over one at a time.
#[derive(Debug, Default)]
pub struct GcSummaryBuilder {
    events: u64,
    /// Events per kind, by [`kind_slot`] (a `BTreeMap` entry per event compared strings:
    /// ~4% of `jvmem gc`'s instructions went to it and its callers' moves).
    by_kind: [u64; GcKind::ALL.len()],
    pauses: Vec<f32>,
    pause_total_ms: f64,
    concurrent_total_ms: f64,
    /// Time axis: wall clock (seconds since the first timestamp) when the first event has one.
    use_timestamps: Option<bool>,
    first_ts: Option<chrono::DateTime<chrono::FixedOffset>>,
    t_first: Option<f64>,
    t_last: Option<f64>,
    last_heap_after: Option<u64>,
    allocated_bytes: u64,
    promoted_bytes: u64,
    promotion_seen: bool,
    capacity_max: Option<u64>,
    heap_after_max: Option<u64>,
    old_after_full: Fit,
    heap_after_full: Fit,
    after_old_gc: Fit,
    /// Old-generation collections (full, mixed, concurrent cycles).
    old_collections: u64,
    meta_first: Option<u64>,
    meta_last: Option<u64>,
    live_set_points: Vec<GcPoint>,
    /// Young pauses kept: one in `2^thinning`.
    thinning: u32,
    young_seen: u64,
}

impl GcSummaryBuilder {
    fn keep_point(&mut self, e: &GcEvent, t_s: f64) {
        let p = GcPoint::of(e, t_s / 60.0);
        let keep_always = p.reclaims_old() || p.completed_marking || !p.is_young();
        if !keep_always {
            self.young_seen += 1;
            if self.young_seen % (1u64 << self.thinning) != 0 {
                return;
            }
        }
        self.live_set_points.push(p);
        if self.live_set_points.len() > MAX_LIVE_SET_POINTS {
            let mut n = 0u64;
            self.live_set_points.retain(|q| {
                let always = q.reclaims_old() || q.completed_marking || !q.is_young();
                n += u64::from(!always);
                always || n % 2 == 0
            });
            self.thinning += 1;
        }
    }

    /// Takes one event into account.
    pub fn push(&mut self, e: &GcEvent) {
        self.events += 1;
        if let Some(n) = self.by_kind.get_mut(kind_slot(e.kind)) {
            *n += 1;
        }
        if e.pause_ms > 0.0 {
            // f32 halves the memory of a long log's pauses; its 24-bit mantissa keeps a pause
            // to 7 significant digits, and percentiles are printed to 3 decimals of a ms.
            #[allow(clippy::cast_possible_truncation)]
            self.pauses.push(e.pause_ms as f32);
            self.pause_total_ms += e.pause_ms;
        }
        self.concurrent_total_ms += e.concurrent_ms.unwrap_or(0.0);
        let use_ts = *self.use_timestamps.get_or_insert(e.timestamp.is_some());
        let t = if use_ts {
            e.timestamp.map(|ts| {
                let first = *self.first_ts.get_or_insert(ts);
                (ts - first).num_milliseconds() as f64 / 1e3
            })
        } else {
            e.uptime_s
        };
        if let Some(t) = t {
            self.t_first = Some(self.t_first.map_or(t, |f| f.min(t)));
            self.t_last = Some(self.t_last.map_or(t, |l| l.max(t)));
        }
        if let (Some(before), Some(after)) = (e.heap_before_bytes, e.heap_after_bytes) {
            if let Some(prev) = self.last_heap_after {
                self.allocated_bytes += before.saturating_sub(prev);
            }
            self.last_heap_after = Some(after);
            self.heap_after_max = Some(self.heap_after_max.map_or(after, |m| m.max(after)));
        }
        if let Some(c) = e.heap_capacity_bytes {
            self.capacity_max = Some(self.capacity_max.map_or(c, |m| m.max(c)));
        }
        if e.kind == GcKind::Young {
            if let (Some(ob), Some(oa)) = (e.old_before_bytes, e.old_after_bytes) {
                self.promoted_bytes += oa.saturating_sub(ob);
                self.promotion_seen = true;
            }
        }
        if let Some(m) = e.metaspace_after_bytes {
            self.meta_first.get_or_insert(m);
            self.meta_last = Some(m);
        }
        let old_gc = matches!(e.kind, GcKind::Full | GcKind::Mixed | GcKind::Concurrent);
        if old_gc {
            self.old_collections += 1;
        }
        // Only old-generation collections show the live set: after a young collection the
        // heap still holds old garbage no collection has reclaimed yet.
        if let Some(t) = t {
            self.keep_point(e, t);
            if e.kind == GcKind::Full {
                if let Some(o) = e.old_after_bytes {
                    self.old_after_full.push(t, o);
                }
                if let Some(h) = e.heap_after_bytes {
                    self.heap_after_full.push(t, h);
                }
            }
            if old_gc {
                if let Some(v) = e.old_after_bytes.or(e.heap_after_bytes) {
                    self.after_old_gc.push(t, v);
                }
            }
        }
    }

    /// The summary, with what the parser learnt about the log.
    pub fn finish(mut self, info: &GcLogInfo) -> GcSummary {
        self.pauses.sort_by(f32::total_cmp);
        let pct = |p: f64| -> Option<f64> {
            let n = self.pauses.len();
            if n == 0 {
                return None;
            }
            let rank = usize_from_f64((p * n as f64).ceil()).clamp(1, n);
            self.pauses.get(rank - 1).map(|v| round3(f64::from(*v)))
        };
        let span = match (self.t_first, self.t_last) {
            (Some(a), Some(b)) if b > a => Some(b - a),
            _ => None,
        };
        let elapsed_s = elapsed(info).or(span);
        let throughput_percent = elapsed_s
            .filter(|e| *e > 0.0)
            .map(|e| (100.0 * (1.0 - self.pause_total_ms / 1e3 / e)).clamp(0.0, 100.0));
        // A full collection's figures show the live set best; then any old-generation one's.
        let heap_after_trend = [
            (self.old_after_full, "old-after-full"),
            (self.heap_after_full, "heap-after-full"),
            (self.after_old_gc, "after-old-gc"),
        ]
        .iter()
        .filter(|(f, _)| f.n >= 3)
        .find_map(|(f, basis)| f.trend(basis));
        GcSummary {
            collector: info.collector,
            jvm_version: info.jvm_version.clone(),
            format: info.format,
            heap_initial_bytes: info.heap_initial_bytes,
            heap_max_bytes: info.heap_max_bytes,
            jvm_runs: info.jvm_runs,
            sources: info.sources.iter().map(|s| s.to_string()).collect(),
            lines: info.lines,
            unrecognized_lines: info.unrecognized_lines,
            events: self.events,
            events_by_kind: GcKind::ALL
                .iter()
                .zip(self.by_kind)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (k.as_str(), n))
                .collect(),
            pauses: self.pauses.len() as u64,
            pause_total_ms: round3(self.pause_total_ms),
            pause_max_ms: self.pauses.last().map(|v| round3(f64::from(*v))),
            pause_p50_ms: pct(0.50),
            pause_p99_ms: pct(0.99),
            concurrent_total_ms: round3(self.concurrent_total_ms),
            elapsed_s,
            throughput_percent,
            allocation_rate_bytes_per_s: span
                .filter(|_| self.allocated_bytes > 0)
                .map(|s| self.allocated_bytes as f64 / s),
            promotion_rate_bytes_per_s: span
                .filter(|_| self.promotion_seen)
                .map(|s| self.promoted_bytes as f64 / s),
            heap_capacity_max_bytes: self.capacity_max,
            heap_after_max_bytes: self.heap_after_max,
            heap_after_trend,
            live_set: judge_live_set(&self.live_set_points),
            old_collections: self.old_collections,
            metaspace_after_first_bytes: self.meta_first,
            metaspace_after_last_bytes: self.meta_last,
        }
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// From the first line to the end of the last collection, by uptime, else by wall clock.
fn elapsed(info: &GcLogInfo) -> Option<f64> {
    match (info.start_uptime_s, info.end_uptime_s) {
        (Some(a), Some(b)) if b > a => return Some(b - a),
        _ => {}
    }
    match (info.start_timestamp, info.end_timestamp) {
        (Some(a), Some(b)) if b > a => Some((b - a).num_milliseconds() as f64 / 1e3),
        _ => None,
    }
}

impl GcSummary {
    /// The summary of events already read.
    pub fn from_events<E: std::borrow::Borrow<GcEvent>>(
        events: impl IntoIterator<Item = E>,
        info: &GcLogInfo,
    ) -> GcSummary {
        let mut b = GcSummaryBuilder::default();
        for e in events {
            b.push(e.borrow());
        }
        b.finish(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn every_kind_has_its_own_slot() {
        for (i, k) in GcKind::ALL.iter().enumerate() {
            assert_eq!(kind_slot(*k), i, "{k:?}");
        }
        let mut b = GcSummaryBuilder::default();
        for k in [GcKind::Remark, GcKind::Young, GcKind::Remark, GcKind::Other] {
            b.push(&event(1.0, k, 1.0, 10, 5));
        }
        let s = b.finish(&GcLogInfo::default());
        let got: Vec<(&str, u64)> = s.events_by_kind.into_iter().collect();
        assert_eq!(got, vec![("other", 1), ("remark", 2), ("young", 1)]);
    }

    fn event(uptime: f64, kind: GcKind, pause: f64, before: u64, after: u64) -> GcEvent {
        let mut e = GcEvent::new(Arc::from("t"), 1, Collector::G1, Arc::from("x"));
        e.uptime_s = Some(uptime);
        e.kind = kind;
        e.pause_ms = pause;
        e.heap_before_bytes = Some(before);
        e.heap_after_bytes = Some(after);
        e
    }

    #[test]
    fn summarises_pauses_and_trend() {
        let events = vec![
            event(1.0, GcKind::Young, 10.0, 100, 20),
            event(2.0, GcKind::Full, 100.0, 120, 30),
            event(3.0, GcKind::Young, 20.0, 130, 40),
            event(4.0, GcKind::Full, 50.0, 140, 50),
            event(5.0, GcKind::Full, 20.0, 150, 70),
        ];
        let info = GcLogInfo {
            start_uptime_s: Some(0.0),
            end_uptime_s: Some(10.0),
            ..GcLogInfo::default()
        };
        let s = GcSummary::from_events(&events, &info);
        assert_eq!(s.events, 5);
        assert_eq!(s.events_by_kind.get("full"), Some(&3));
        assert_eq!(s.pause_total_ms, 200.0);
        assert_eq!(s.pause_max_ms, Some(100.0));
        assert_eq!(s.pause_p50_ms, Some(20.0));
        assert_eq!(s.pause_p99_ms, Some(100.0));
        assert!((s.throughput_percent.unwrap() - 98.0).abs() < 1e-9);
        // allocated: (120-20)+(130-30)+(140-40)+(150-50) = 400 bytes over 4 s
        assert!((s.allocation_rate_bytes_per_s.unwrap() - 100.0).abs() < 1e-9);
        // heap after the full collections: 30, 50, 70 at 2, 4, 5 s
        let t = s.heap_after_trend.unwrap();
        assert_eq!(t.basis, "heap-after-full");
        assert_eq!(t.points, 3);
        assert!(t.slope_bytes_per_s > 10.0);
        assert_eq!(s.old_collections, 3);

        // Young collections only: the live set is not visible.
        let young: Vec<GcEvent> = (0..10)
            .map(|i| {
                event(
                    f64::from(i),
                    GcKind::Young,
                    1.0,
                    100,
                    10 * u64::from(i as u32),
                )
            })
            .collect();
        assert_eq!(GcSummary::from_events(&young, &info).heap_after_trend, None);
    }
}
