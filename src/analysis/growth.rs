//! Time series out of a [`Timeline`] and their trends: per NMT category its committed bytes and
//! sub-fields (malloc, mmap, arena, class count, thread count, metaspace used, stack), and from
//! GC events the heap after GC (old gen after full/mixed collections, the floor of heap after
//! young collections) and metaspace after GC.
//!
//! Times are minutes since the first point. Snapshots without timestamps are spaced by an
//! assumed interval; the caller is told so through [`SeriesTime::Assumed`].

use serde::Serialize;

use super::trend::{Trend, rolling_min, trend, trim_warmup};
use crate::model::{Collector, Field, GcEvent, GcKind, Snapshot, Timeline, Usage};

/// What one series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Committed,
    Malloc,
    MmapCommitted,
    Arena,
    StackCommitted,
    MetaspaceUsed,
    ClassCount,
    ThreadCount,
    /// Old gen (else whole heap) after full and mixed collections (ZGC, Shenandoah: after
    /// every cycle; G1: also after a completed marking that no mixed collection followed).
    OldAfterFullOrMixedGc,
    /// Rolling minimum of the heap after young collections (logs without old-gen figures
    /// and with too few old-generation cycles).
    HeapAfterYoungGcFloor,
    MetaspaceAfterGc,
    /// Old gen after every young pause, when no collection in the window reclaimed old memory
    /// (G1 old + humongous regions after each pause).
    OldAfterEveryGc,
    /// Old gen after full/mixed collections up to the moment the old generation saturated
    /// (back-to-back collections that reclaim almost nothing).
    OldAfterGcUntilSaturated,
}

impl Metric {
    /// True for counts (classes, threads), false for bytes.
    pub fn is_count(self) -> bool {
        matches!(self, Metric::ClassCount | Metric::ThreadCount)
    }

    /// What a count series counts, for rates (`classes/min`).
    pub fn count_unit(self) -> &'static str {
        match self {
            Metric::ClassCount => "classes",
            Metric::ThreadCount => "threads",
            _ => "",
        }
    }

    /// True for series read from GC events rather than NMT snapshots.
    pub fn is_gc(self) -> bool {
        matches!(
            self,
            Metric::OldAfterFullOrMixedGc
                | Metric::HeapAfterYoungGcFloor
                | Metric::MetaspaceAfterGc
                | Metric::OldAfterEveryGc
                | Metric::OldAfterGcUntilSaturated
        )
    }

    /// Words for people: `committed`, `class count`, `old gen after full/mixed GC`.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Committed => "committed",
            Metric::Malloc => "malloc",
            Metric::MmapCommitted => "mmap committed",
            Metric::Arena => "arena",
            Metric::StackCommitted => "stack committed",
            Metric::MetaspaceUsed => "metaspace used",
            Metric::ClassCount => "class count",
            Metric::ThreadCount => "thread count",
            Metric::OldAfterFullOrMixedGc => "old gen after full/mixed GC",
            Metric::HeapAfterYoungGcFloor => "floor of heap after young GC",
            Metric::MetaspaceAfterGc => "metaspace after GC",
            Metric::OldAfterEveryGc => "old gen after every young GC (nothing reclaimed it)",
            Metric::OldAfterGcUntilSaturated => "old gen after full/mixed GC until it saturated",
        }
    }

    fn field(self) -> Option<Field> {
        match self {
            Metric::Malloc => Some(Field::MallocBytes),
            Metric::MmapCommitted => Some(Field::MmapCommittedBytes),
            Metric::Arena => Some(Field::ArenaBytes),
            Metric::StackCommitted => Some(Field::StackCommittedBytes),
            Metric::MetaspaceUsed => Some(Field::MetadataUsedBytes),
            Metric::ClassCount => Some(Field::ClassCount),
            Metric::ThreadCount => Some(Field::ThreadCount),
            _ => None,
        }
    }
}

/// NMT sub-fields followed per category, besides committed bytes.
pub const NMT_FIELDS: &[Metric] = &[
    Metric::Malloc,
    Metric::MmapCommitted,
    Metric::Arena,
    Metric::StackCommitted,
    Metric::MetaspaceUsed,
    Metric::ClassCount,
    Metric::ThreadCount,
];

/// How the times of a series were known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesTime {
    /// From timestamps (or GC uptimes).
    Measured,
    /// No timestamps: points spaced by this many seconds.
    Assumed { interval_s: f64 },
}

/// The trend of one series of one category (GC series use `Java Heap` / `Metaspace`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesGrowth {
    pub category: String,
    pub metric: Metric,
    pub time: SeriesTime,
    pub trend: Trend,
}

/// Minutes since the first snapshot for every snapshot, or index × interval when any
/// snapshot lacks a timestamp.
pub fn snapshot_times(snapshots: &[&Snapshot], assumed_interval_s: f64) -> (Vec<f64>, SeriesTime) {
    let first = snapshots.first().and_then(|s| s.timestamp);
    let measured: Option<Vec<f64>> = snapshots
        .iter()
        .map(|s| {
            let (t, f) = (s.timestamp?, first?);
            Some((t - f).num_milliseconds() as f64 / 60_000.0)
        })
        .collect();
    match measured {
        Some(times) if times.last().is_some_and(|&t| t > 0.0) => (times, SeriesTime::Measured),
        _ => {
            let step = assumed_interval_s / 60.0;
            let times = (0..snapshots.len()).map(|i| i as f64 * step).collect();
            (
                times,
                SeriesTime::Assumed {
                    interval_s: assumed_interval_s,
                },
            )
        }
    }
}

/// One series of one category over the snapshots; `None` when the category never printed it.
fn nmt_series(
    snapshots: &[&Snapshot],
    times: &[f64],
    usages: &[Option<&Usage>],
    metric: Metric,
) -> Option<Vec<(f64, f64)>> {
    let mut seen = false;
    let points = snapshots
        .iter()
        .zip(times)
        .zip(usages)
        .filter(|((s, _), _)| !s.kind.is_diff() || metric == Metric::Committed)
        .map(|((_, &t), usage)| {
            let value = match (metric, usage) {
                (_, None) => 0.0, // NMT omits categories under 1 KB
                (Metric::Committed, Some(u)) => {
                    seen = true;
                    u.committed_bytes as f64
                }
                (m, Some(u)) => match m.field().and_then(|f| u.field(f)) {
                    Some(v) => {
                        seen = true;
                        v as f64
                    }
                    None => 0.0,
                },
            };
            (t, value)
        })
        .collect();
    seen.then_some(points)
}

/// Each snapshot's usage of category `name`, looked up once for all of its metrics. NMT prints
/// categories in the same order in every snapshot, so the previous snapshot's position is tried
/// before a search by name (the same category as `Snapshot::category` while a snapshot holds
/// each name once).
fn category_usages<'a>(snapshots: &[&'a Snapshot], name: &str) -> Vec<Option<&'a Usage>> {
    let mut hint = 0;
    snapshots
        .iter()
        .map(|s| {
            if let Some(c) = s.categories.get(hint).filter(|c| &*c.name == name) {
                return Some(&c.usage);
            }
            let at = s.categories.iter().position(|c| &*c.name == name)?;
            hint = at;
            s.categories.get(at).map(|c| &c.usage)
        })
        .collect()
}

/// Trends of every category's committed bytes and sub-fields, warm-up trimmed.
pub fn nmt_growth(
    timeline: &Timeline,
    warmup_fraction: f64,
    min_points: usize,
    assumed_interval_s: f64,
) -> Vec<SeriesGrowth> {
    let snapshots: Vec<&Snapshot> = timeline.snapshots.iter().filter(|s| s.complete).collect();
    let (times, time) = snapshot_times(&snapshots, assumed_interval_s);
    let mut out = Vec::new();
    for name in timeline.category_names() {
        let usages = category_usages(&snapshots, &name);
        for &metric in std::iter::once(&Metric::Committed).chain(NMT_FIELDS) {
            let Some(points) = nmt_series(&snapshots, &times, &usages, metric) else {
                continue;
            };
            if let Some(trend) = trend(trim_warmup(&points, warmup_fraction, min_points)) {
                out.push(SeriesGrowth {
                    category: name.to_string(),
                    metric,
                    time,
                    trend,
                });
            }
        }
    }
    out
}

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
    let first_ts = events.iter().find_map(|e| e.timestamp);
    let all_ts = events.iter().all(|e| e.timestamp.is_some());
    events
        .iter()
        .filter_map(|e| {
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
pub fn gc_growth(events: &[GcEvent], warmup_fraction: f64, min_points: usize) -> Vec<SeriesGrowth> {
    let all: Vec<&GcEvent> = events.iter().collect();
    gc_growth_of_points(&gc_points(&all), warmup_fraction, min_points)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn event(
        uptime_s: f64,
        kind: GcKind,
        heap_after_mb: u64,
        old_after_mb: Option<u64>,
    ) -> GcEvent {
        let mut e = GcEvent::new(Arc::from("gc.log"), 1, Collector::G1, Arc::from("Pause"));
        e.uptime_s = Some(uptime_s);
        e.kind = kind;
        e.heap_after_bytes = Some(heap_after_mb << 20);
        e.old_after_bytes = old_after_mb.map(|m| m << 20);
        e.metaspace_after_bytes = Some(20 << 20);
        e
    }

    /// The position hint finds what a search by name finds, also when a snapshot lacks the
    /// category (NMT omits small ones) or lists categories in another order.
    #[test]
    fn category_usages_match_the_search_by_name() {
        let text = std::fs::read_to_string("samples/scenarios/demo-jdk21-g1/nmt.log").unwrap();
        let mut snapshots = crate::nmt::parse_str(&Arc::from("nmt.log"), &text).snapshots;
        assert!(snapshots.len() > 50, "{} snapshots", snapshots.len());
        snapshots[3].categories.reverse();
        let dropped = snapshots[5].categories.remove(2).name;
        snapshots[7].categories.rotate_left(3);
        let refs: Vec<&Snapshot> = snapshots.iter().collect();
        let names: Vec<String> = snapshots[0]
            .categories
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        assert!(names.len() > 10);
        for name in names.iter().map(String::as_str).chain(["no such category"]) {
            let found = category_usages(&refs, name);
            for (s, u) in refs.iter().zip(&found) {
                let expected = s.category(name).map(|c| &c.usage);
                assert_eq!(
                    u.map(|u| u as *const Usage),
                    expected.map(|u| u as *const Usage),
                    "{name}"
                );
            }
        }
        assert!(category_usages(&refs, &dropped)[5].is_none());
        assert!(category_usages(&refs, &dropped)[6].is_some());
    }

    fn find(g: &[SeriesGrowth], metric: Metric) -> Option<&SeriesGrowth> {
        g.iter().find(|s| s.metric == metric)
    }

    #[test]
    fn steady_sawtooth_has_a_flat_floor() {
        // Young GCs every second promote 5 MB of garbage each; every 8th pause is followed by
        // a mixed collection that brings the old gen back to 20 MB: a JVM with no leak.
        let mut events = Vec::new();
        for i in 0..200 {
            let t = i as f64;
            events.push(event(
                t,
                GcKind::Young,
                30 + (i % 8) * 5,
                Some(20 + (i % 8) * 5),
            ));
            if i % 8 == 7 {
                events.push(event(t + 0.5, GcKind::Mixed, 30, Some(20)));
            }
        }
        let g = gc_growth(&events, 0.15, 5);
        let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
        assert_eq!(old.trend.slope_per_min, 0.0);
        assert!(old.trend.p_value > 0.5, "{old:?}");
        assert!(find(&g, Metric::OldAfterEveryGc).is_none());
        let meta = find(&g, Metric::MetaspaceAfterGc).unwrap();
        assert_eq!(meta.trend.tau, 0.0);
    }

    #[test]
    fn completed_markings_without_mixed_collections_measure_the_live_set() {
        // -Xms = -Xmx G1 leak: back-to-back markings that find nothing worth collecting (no
        // mixed phase follows), old gen after the pauses rising 1 MB per pause.
        let mut events = Vec::new();
        for i in 0..120u64 {
            let kind = if i % 10 == 0 {
                GcKind::InitialMark
            } else {
                GcKind::Young
            };
            let mut e = event(i as f64, kind, 100 + i, Some(50 + i));
            if i % 10 == 9 {
                e.name = Arc::from("Pause Young (Prepare Mixed) (G1 Evacuation Pause)");
                e.old_after_bytes = Some(1); // never the figure
            }
            events.push(e);
            if i % 10 == 0 {
                let mut c = event(i as f64 + 0.01, GcKind::Concurrent, 100 + i, None);
                c.name = Arc::from("Concurrent Mark Cycle");
                events.push(c);
            }
        }
        let g = gc_growth(&events, 0.15, 5);
        let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
        assert!(
            (old.trend.slope_per_min - 60.0 * (1 << 20) as f64).abs() < 1.0,
            "{old:?}"
        );
        assert!(old.trend.points >= 9, "{old:?}");
        assert!(find(&g, Metric::OldAfterEveryGc).is_none());
    }

    #[test]
    fn g1_without_mixed_collections_judges_old_after_every_pause() {
        // -Xms = -Xmx: G1 runs Concurrent Start pauses (kind initial-mark) and undo cycles
        // only, never a mixed collection; old + humongous after every pause is the series.
        let mut events = Vec::new();
        for i in 0..120u64 {
            let kind = if i % 15 == 0 {
                GcKind::InitialMark
            } else {
                GcKind::Young
            };
            events.push(event(i as f64, kind, 80 + i, Some(20 + i)));
            if i % 15 == 1 {
                let mut c = event(i as f64 + 0.5, GcKind::Concurrent, 80 + i, None);
                c.name = Arc::from("Concurrent Undo Cycle");
                events.push(c);
            }
        }
        let g = gc_growth(&events, 0.15, 5);
        assert!(find(&g, Metric::OldAfterFullOrMixedGc).is_none());
        let every = find(&g, Metric::OldAfterEveryGc).unwrap();
        assert!((every.trend.slope_per_min - 60.0 * (1 << 20) as f64).abs() < 1.0);
        assert!(every.trend.p_value < 1e-6);
    }

    #[test]
    fn a_heap_leak_raises_old_gen_after_full_gc() {
        let mut events = Vec::new();
        for i in 0..120u64 {
            let leaked = i / 2; // 1 MB every 2 s = 30 MB/min
            events.push(event(
                i as f64,
                GcKind::Young,
                30 + leaked + (i % 5) * 4,
                Some(15 + leaked + (i % 10) * 3),
            ));
            if i % 10 == 9 {
                events.push(event(
                    i as f64 + 0.5,
                    GcKind::Full,
                    20 + leaked,
                    Some(15 + leaked),
                ));
            }
        }
        let g = gc_growth(&events, 0.15, 5);
        let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
        assert!((old.trend.slope_per_min - 30.0 * (1 << 20) as f64).abs() < 2.0 * (1 << 20) as f64);
        assert!(old.trend.tau > 0.95);
        assert!(old.trend.p_value < 1e-3);
    }

    #[test]
    fn events_without_times_or_amounts_give_no_series() {
        let mut e = GcEvent::new(
            Arc::from("gc.log"),
            1,
            Collector::Unknown,
            Arc::from("Pause"),
        );
        e.kind = GcKind::Full;
        assert!(gc_growth(&[e.clone(), e.clone(), e], 0.1, 3).is_empty());
        assert!(gc_growth(&[], 0.1, 3).is_empty());
    }
}
