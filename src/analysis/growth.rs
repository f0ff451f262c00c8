//! Time series out of a [`Timeline`] and their trends: per NMT category its committed bytes and
//! sub-fields (malloc, mmap, arena, class count, thread count, metaspace used, stack), and from
//! GC events the heap after GC (old gen after full/mixed collections, the floor of heap after
//! young collections) and metaspace after GC.
//!
//! Times are minutes since the first point. Snapshots without timestamps are spaced by an
//! assumed interval; the caller is told so through [`SeriesTime::Assumed`].

use serde::Serialize;

use super::trend::{Trend, trend, trim_warmup};
use crate::model::{Field, GcEvent, GcKind, Snapshot, Timeline, Usage};

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
    /// Old gen (else whole heap) after full and mixed collections.
    OldAfterFullOrMixedGc,
    /// Rolling minimum of the heap after young collections.
    HeapAfterYoungGcFloor,
    MetaspaceAfterGc,
}

impl Metric {
    /// True for counts (classes, threads), false for bytes.
    pub fn is_count(self) -> bool {
        matches!(self, Metric::ClassCount | Metric::ThreadCount)
    }

    /// True for series read from GC events rather than NMT snapshots.
    pub fn is_gc(self) -> bool {
        matches!(
            self,
            Metric::OldAfterFullOrMixedGc
                | Metric::HeapAfterYoungGcFloor
                | Metric::MetaspaceAfterGc
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

/// Minutes of an event: wall clock when every event has one, else uptime.
fn gc_times(events: &[&GcEvent]) -> Option<Vec<f64>> {
    let first_ts = events.first().and_then(|e| e.timestamp);
    let by_clock: Option<Vec<f64>> = events
        .iter()
        .map(|e| Some((e.timestamp? - first_ts?).num_milliseconds() as f64 / 60_000.0))
        .collect();
    by_clock.or_else(|| {
        events
            .iter()
            .map(|e| e.uptime_s.map(|u| u / 60.0))
            .collect()
    })
}

fn gc_series(events: &[&GcEvent], value: impl Fn(&GcEvent) -> Option<u64>) -> Vec<(f64, f64)> {
    let picked: Vec<&GcEvent> = events
        .iter()
        .copied()
        .filter(|e| value(e).is_some())
        .collect();
    let Some(times) = gc_times(&picked) else {
        return Vec::new();
    };
    picked
        .iter()
        .zip(times)
        .filter_map(|(e, t)| Some((t, value(e)? as f64)))
        .collect()
}

/// The lowest heap-after-young between each old-generation collection (full, mixed, or a
/// concurrent cycle) and the next; young collections before the first one are left out.
fn cycle_floors<'a>(events: &[&'a GcEvent]) -> Vec<&'a GcEvent> {
    let mut floors = Vec::new();
    let mut seen_old = false;
    let mut lowest: Option<&GcEvent> = None;
    for e in events {
        match e.kind {
            GcKind::Full
            | GcKind::Mixed
            | GcKind::Concurrent
            | GcKind::Remark
            | GcKind::Cleanup => {
                floors.extend(lowest.take());
                seen_old = true;
            }
            GcKind::Young
                if seen_old
                    && e.heap_after_bytes.is_some()
                    && lowest.is_none_or(|l| e.heap_after_bytes < l.heap_after_bytes) =>
            {
                lowest = Some(e);
            }
            _ => {}
        }
    }
    floors.extend(lowest);
    floors
}

/// Trends from GC events: old gen after full/mixed, floor of heap after young, metaspace after.
pub fn gc_growth(events: &[GcEvent], warmup_fraction: f64, min_points: usize) -> Vec<SeriesGrowth> {
    let all: Vec<&GcEvent> = events.iter().collect();
    let old: Vec<&GcEvent> = all
        .iter()
        .copied()
        .filter(|e| matches!(e.kind, GcKind::Full | GcKind::Mixed))
        .collect();
    let old_points = gc_series(&old, |e| e.old_after_bytes.or(e.heap_after_bytes));
    // Heap after a young collection includes the old generation's garbage until an
    // old-generation collection reclaims it (G1 below its marking threshold, Parallel and
    // Serial between full GCs): on real logs that floor rises in every JVM. So the floor is
    // taken once per old-generation cycle, after the cycle has run.
    let floors = cycle_floors(&all);
    let young_floor = gc_series(&floors, |e| e.heap_after_bytes);
    let meta_points = gc_series(&all, |e| e.metaspace_after_bytes);
    let mut out = Vec::new();
    for (category, metric, points, trim) in [
        ("Java Heap", Metric::OldAfterFullOrMixedGc, old_points, true),
        (
            "Java Heap",
            Metric::HeapAfterYoungGcFloor,
            young_floor,
            false,
        ),
        ("Metaspace", Metric::MetaspaceAfterGc, meta_points, true),
    ] {
        let window = if trim {
            trim_warmup(&points, warmup_fraction, min_points)
        } else {
            &points[..]
        };
        if let Some(trend) = trend(window) {
            out.push(SeriesGrowth {
                category: category.to_string(),
                metric,
                time: SeriesTime::Measured,
                trend,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Collector;

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
        // Young GCs every second; the heap after young climbs for 8 collections, then a mixed
        // collection brings it back: the sawtooth of a JVM with no leak.
        let mut events = Vec::new();
        for i in 0..200 {
            let t = i as f64;
            events.push(event(t, GcKind::Young, 30 + (i % 8) * 5, None));
            if i % 8 == 7 {
                events.push(event(t + 0.5, GcKind::Mixed, 30, Some(20)));
            }
        }
        let g = gc_growth(&events, 0.15, 5);
        let floor = find(&g, Metric::HeapAfterYoungGcFloor).unwrap();
        assert!(floor.trend.growth().abs() < 1.0, "{floor:?}");
        let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
        assert_eq!(old.trend.slope_per_min, 0.0);
        let meta = find(&g, Metric::MetaspaceAfterGc).unwrap();
        assert_eq!(meta.trend.tau, 0.0);
    }

    #[test]
    fn a_heap_leak_raises_old_gen_after_full_gc_and_the_floor() {
        let mut events = Vec::new();
        for i in 0..120u64 {
            let leaked = i / 2; // 1 MB every 2 s = 30 MB/min
            events.push(event(
                i as f64,
                GcKind::Young,
                30 + leaked + (i % 5) * 4,
                None,
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
        let floor = find(&g, Metric::HeapAfterYoungGcFloor).unwrap();
        assert!(floor.trend.tau > 0.9 && floor.trend.slope_per_min > 0.0);
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
