//! GC series: what the live-set judgement needs of each GC event ([`GcPoint`]), the heap
//! after GC (old gen after full/mixed collections, the floor of heap after young collections,
//! old gen up to saturation) and metaspace after GC, as [`SeriesGrowth`]s.

use std::borrow::Borrow;

use super::{Metric, SeriesGrowth, SeriesTime};
use crate::analysis::trend::{rolling_min, trend, trim_warmup};
use crate::model::{Collector, GcEvent, GcKind};

/// What the live-set judgement needs of one GC event: a few numbers, so that `jvmem gc` can
/// keep them for a log of any size and judge it with the same function as `report`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GcPoint {
    /// Minutes on the log's clock (wall clock when every event has one, else uptime).
    pub t_min: f64,
    pub kind: GcKind,
    pub collector: Collector,
    /// G1 `Pause Young (Prepare Mixed)`: taken before old memory is reclaimed.
    pub prepare_mixed: bool,
    /// G1 `Concurrent Mark Cycle` (a marking that ran to its end; not `Concurrent Undo Cycle`).
    pub completed_marking: bool,
    pub old_after_bytes: Option<u64>,
    pub heap_after_bytes: Option<u64>,
    pub heap_before_bytes: Option<u64>,
    pub metaspace_after_bytes: Option<u64>,
}

impl GcPoint {
    /// The point of one event at `t_min`.
    pub fn of(e: &GcEvent, t_min: f64) -> GcPoint {
        GcPoint {
            t_min,
            kind: e.kind,
            collector: e.collector,
            prepare_mixed: e.name.contains("Prepare Mixed"),
            completed_marking: e.collector == Collector::G1
                && e.name.starts_with("Concurrent Mark Cycle"),
            old_after_bytes: e.old_after_bytes,
            heap_after_bytes: e.heap_after_bytes,
            heap_before_bytes: e.heap_before_bytes,
            metaspace_after_bytes: e.metaspace_after_bytes,
        }
    }

    /// A young collection: G1's `Pause Young (Concurrent Start)` (kind `initial-mark`) is one
    /// too — it evacuates eden like any young pause and only starts marking afterwards.
    pub fn is_young(&self) -> bool {
        matches!(self.kind, GcKind::Young | GcKind::InitialMark)
    }

    /// A collection that reclaims old memory: full and mixed collections; for ZGC and
    /// Shenandoah every cycle except a generational ZGC `Minor Collection`.
    pub fn reclaims_old(&self) -> bool {
        match self.kind {
            GcKind::Full | GcKind::Mixed => true,
            GcKind::Concurrent | GcKind::Other => {
                matches!(self.collector, Collector::Zgc | Collector::Shenandoah)
            }
            _ => false,
        }
    }
}

/// The points of events in order, on one clock; `None` when some event has no time.
pub fn gc_points(events: &[&GcEvent]) -> Vec<GcPoint> {
    gc_points_of(events.iter().copied())
}

/// [`gc_points`] of events read twice (once for the clock, once for the points), so that a
/// packed store's events are rebuilt one at a time and never held as a whole.
pub fn gc_points_of<E, I>(events: I) -> Vec<GcPoint>
where
    E: Borrow<GcEvent>,
    I: IntoIterator<Item = E> + Clone,
{
    let (mut first_ts, mut all_ts) = (None, true);
    for e in events.clone() {
        let ts = e.borrow().timestamp;
        first_ts = first_ts.or(ts);
        all_ts &= ts.is_some();
    }
    events
        .into_iter()
        .filter_map(|e| {
            let e = e.borrow();
            let t = match (all_ts, e.timestamp, first_ts) {
                (true, Some(ts), Some(f)) => (ts - f).num_milliseconds() as f64 / 60_000.0,
                _ => e.uptime_s? / 60.0,
            };
            Some(GcPoint::of(e, t))
        })
        .collect()
}

/// The figure after every reclaiming collection, plus one point per G1 marking that ran to
/// its end and was followed by no mixed collection before the next marking: G1 then found
/// too little garbage in the old generation to be worth collecting (under
/// `G1HeapWastePercent`), so the old generation after the pauses of that cycle is live (the
/// point is their lowest figure). That is how a G1 heap leak with `-Xms = -Xmx` shows: no
/// mixed collections, back-to-back markings.
fn after_reclaim(points: &[GcPoint], figure: impl Fn(&GcPoint) -> Option<u64>) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        if p.reclaims_old() {
            if let Some(v) = figure(p) {
                out.push((p.t_min, v as f64));
            }
            continue;
        }
        if !p.completed_marking {
            continue;
        }
        let rest = &points[i + 1..];
        let end = rest
            .iter()
            .position(|q| q.completed_marking || q.kind == GcKind::InitialMark)
            .unwrap_or(rest.len());
        let cycle = &rest[..end];
        if cycle.iter().any(|q| q.reclaims_old()) {
            continue;
        }
        if let Some((t, v)) = cycle
            .iter()
            .filter(|q| q.is_young() && !q.prepare_mixed)
            .filter_map(|q| Some((q.t_min, figure(q)?)))
            .min_by_key(|(_, v)| *v)
        {
            out.push((t, v as f64));
        }
    }
    out
}

/// Collections in a row that make a saturated old generation: each a full collection that
/// frees under [`SATURATED_FREED_SHARE`] of the heap, each under [`SATURATED_GAP_MIN`] after the
/// previous one. Measured on the Parallel heap-saturated recordings: 200+ full collections in
/// the last 35 s, 0.1-1 s apart, each freeing 0-2% (the old gen at its capacity, the JVM short
/// of `OutOfMemoryError: GC overhead limit exceeded`); a healthy JVM's full collections free
/// 30-70% and come minutes apart.
pub const SATURATED_RUN: usize = 8;
/// See [`SATURATED_RUN`].
pub const SATURATED_FREED_SHARE: f64 = 0.05;
/// See [`SATURATED_RUN`] (minutes).
pub const SATURATED_GAP_MIN: f64 = 0.2;

/// The time (minutes) from which the old generation is saturated, when the log ends in a run
/// of [`SATURATED_RUN`] futile full collections.
fn saturation_start(points: &[GcPoint], cut: f64) -> Option<f64> {
    let full: Vec<&GcPoint> = points
        .iter()
        .filter(|p| p.kind == GcKind::Full && p.t_min >= cut)
        .collect();
    let futile = |p: &GcPoint| match (p.heap_before_bytes, p.heap_after_bytes) {
        (Some(b), Some(a)) if b > 0 => {
            (b.saturating_sub(a) as f64) < SATURATED_FREED_SHARE * b as f64
        }
        _ => false,
    };
    let mut start = None;
    let mut run = 0usize;
    let mut prev: Option<f64> = None;
    for p in &full {
        let close = prev.is_some_and(|t| p.t_min - t <= SATURATED_GAP_MIN);
        if futile(p) && (close || run == 0) {
            if run == 0 {
                start = Some(p.t_min);
            }
            run += 1;
        } else {
            run = usize::from(futile(p));
            start = futile(p).then_some(p.t_min);
        }
        prev = Some(p.t_min);
    }
    // Only a run that lasts to the end of the log: the JVM is saturated now.
    (run >= SATURATED_RUN).then_some(start).flatten()
}

/// Fewest old-generation collections in the window for their figures to make a series; below
/// that the series of the old generation after every young pause is shown instead.
pub const MIN_CYCLES: usize = 3;

/// Trends from GC points, all warm-up trimmed alike (the same share of the log's span): the
/// old generation (else the heap) after old-generation collections (`after_reclaim`); when
/// the window has fewer than [`MIN_CYCLES`] of them, the old generation after every young
/// pause (G1's old + humongous regions after each pause; `Concurrent Start` pauses count as
/// young, `Prepare Mixed` ones do not); and metaspace after GC.
pub fn gc_growth_of_points(
    points: &[GcPoint],
    warmup_fraction: f64,
    min_points: usize,
) -> Vec<SeriesGrowth> {
    let has_old = points.iter().any(|p| p.old_after_bytes.is_some());
    let figure = |p: &GcPoint| {
        if has_old {
            p.old_after_bytes
        } else {
            p.heap_after_bytes
        }
    };
    // Warm-up is cut on the whole log's time span first, so every series loses the same start.
    let (first, last) = match (points.first(), points.last()) {
        (Some(a), Some(b)) => (a.t_min, b.t_min),
        _ => return Vec::new(),
    };
    let cut = first + (last - first) * warmup_fraction.clamp(0.0, 0.9);
    let floors = after_reclaim(points, figure);
    let floors_after: Vec<(f64, f64)> = floors.iter().copied().filter(|p| p.0 >= cut).collect();
    let mut out = Vec::new();
    let mut push = |category: &str, metric: Metric, series: &[(f64, f64)]| {
        let window = trim_warmup(series, 0.0, min_points);
        if let Some(trend) = trend(window) {
            out.push(SeriesGrowth {
                category: category.to_string(),
                metric,
                time: SeriesTime::Measured,
                trend,
            });
        }
    };
    if let Some(start) = saturation_start(points, cut) {
        // The rise is what came before the old generation reached its saturated level.
        let mut level: Vec<f64> = floors_after
            .iter()
            .filter(|p| p.0 >= start)
            .map(|p| p.1)
            .collect();
        level.sort_by(f64::total_cmp);
        let level = level.get(level.len() / 2).copied().unwrap_or(f64::INFINITY);
        let before: Vec<(f64, f64)> = floors_after
            .iter()
            .copied()
            .take_while(|p| p.0 < start && p.1 < 0.97 * level)
            .collect();
        push("Java Heap", Metric::OldAfterGcUntilSaturated, &before);
    } else if floors_after.len() >= MIN_CYCLES {
        push("Java Heap", Metric::OldAfterFullOrMixedGc, &floors_after);
    } else {
        let every: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.is_young() && !p.prepare_mixed && p.t_min >= cut)
            .filter_map(|p| Some((p.t_min, figure(p)? as f64)))
            .collect();
        let metric = if has_old {
            Metric::OldAfterEveryGc
        } else {
            Metric::HeapAfterYoungGcFloor
        };
        // Without old figures, the heap after young pauses is a sawtooth: its floor is taken
        // over runs of 5 pauses.
        let every = if has_old {
            every
        } else {
            rolling_min(&every, 5)
        };
        push("Java Heap", metric, &every);
    }
    let meta: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.t_min >= cut)
        .filter_map(|p| Some((p.t_min, p.metaspace_after_bytes? as f64)))
        .collect();
    push("Metaspace", Metric::MetaspaceAfterGc, &meta);
    out
}

/// Trends from GC events (see [`gc_growth_of_points`]).
pub fn gc_growth<E: Borrow<GcEvent>>(
    events: impl IntoIterator<Item = E> + Clone,
    warmup_fraction: f64,
    min_points: usize,
) -> Vec<SeriesGrowth> {
    gc_growth_of_points(&gc_points_of(events), warmup_fraction, min_points)
}
