//! The container budget: how much room is left under the memory limit, when the observed growth
//! will use it up, how much of the process NMT does not see (RSS − NMT committed), and a set of
//! JVM flags that fits the service into the limit — or the plain statement that it does not fit.
//!
//! The rules (measured in `docs/diagnosis.md`, "Budget", and proven under real cgroup limits by
//! `scripts/budget-proof.sh`):
//! - every line is sized from the **peak** of its area over the whole window
//!   ([`budget_peaks`](super::budget_peaks)), never from the last snapshot;
//! - GC structures are a fixed part plus a measured share of the **maximum** heap, per collector
//!   ([`budget_gc`](super::budget_gc));
//! - a **leaking** area is capped at what was seen, never given more: the cap makes the JVM fail
//!   with a Java `OutOfMemoryError` (with a stack trace) instead of being OOM-killed; a leaking
//!   heap keeps the heap it already uses and the room it does not get stays headroom;
//! - `-Xmx` never drops below the heap the service already uses (peak `Java Heap` committed);
//!   when that does not fit, there are no flags, only by how much the limit is short;
//! - the lines add up to the limit exactly (the headroom line takes the rest).

use serde::Serialize;

use super::budget_gc::{GcModel, gc_model};
use super::budget_peaks::{Needs, needs};
use super::budget_plan::flags;
use super::budget_plan::{Leaks, plan};
use super::diagnosis::{Suspect, SuspectKind};
use crate::model::categories::names;
use crate::model::{Collector, SnapshotRef, Timeline};
use crate::num::{difference, u64_from_f64};

const MIB: u64 = 1 << 20;

/// One line of the suggested budget: an area of memory, what was seen, what to allow, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetLine {
    /// `heap`, `gc`, `metaspace`, `code cache`, `direct`, `threads`, `other native`, `headroom`.
    pub item: String,
    /// The peak of this area over the window.
    pub observed_bytes: u64,
    pub budget_bytes: u64,
    /// The flag that enforces this line, e.g. `-XX:MaxMetaspaceSize=96m`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// True when this area leaks: its line is a cap at what was seen.
    pub capped: bool,
    pub why: String,
}

/// Room under the limit and the suggested flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    pub limit_bytes: u64,
    /// What counts against the limit now: RSS when known, else NMT total committed.
    pub used_bytes: u64,
    /// `rss` or `nmt-committed`.
    pub used_source: &'static str,
    /// Limit − used (negative: already over).
    pub headroom_bytes: i64,
    /// Sum of the suspects' rates that add to the process footprint.
    pub growth_rate_bytes_per_min: f64,
    /// Minutes until the limit at that rate; `None` when nothing grows.
    pub minutes_to_limit: Option<f64>,
    pub nmt_committed_bytes: Option<u64>,
    pub rss_bytes: Option<u64>,
    /// RSS − NMT committed: native memory NMT does not track (glibc arenas, JNI libraries).
    pub rss_gap_bytes: Option<i64>,
    /// Heap, GC, metaspace, code cache, direct, threads, other native, headroom. When the
    /// service fits they add up to `limit_bytes`; when it does not, to `limit_bytes +
    /// short_by_bytes` (the heap at the least it already uses).
    pub lines: Vec<BudgetLine>,
    /// False when the service does not fit the limit even with every leak capped at what was
    /// seen and the heap at what it already uses; then `flags` is empty.
    pub fits: bool,
    /// How much the limit is short of the needs (0 when it fits).
    pub short_by_bytes: u64,
    /// The smallest limit that holds the needs with the headroom rule (`--suggest-limit`),
    /// rounded up to 16 MiB.
    pub needed_limit_bytes: u64,
    /// Flags of the suggested budget, on one line, ready to paste (empty when it does not fit).
    pub flags: String,
    /// The same flags one by one (for scripts: `jq -r '.budget.flag_list[]'`).
    pub flag_list: Vec<String>,
    /// `-XX:MaxRAMPercentage` that gives the same heap at this limit (JDK 10+, 8u191+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_ram_percentage: Option<f64>,
    /// When threads leak: the most JVM threads to allow (the peak NMT counted). No JVM flag
    /// caps them; a pids limit does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_threads: Option<u64>,
    /// The pids limit (`pids.max`, the kubelet's `podPidsLimit`) that allows `max_threads`:
    /// one more task for the launcher's primordial thread, which NMT does not count (measured:
    /// `/proc/PID/status` Threads = NMT `thread #` + 1 on JDK 17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pids_limit: Option<u64>,
    /// `8` or `9+`: decides which category is direct memory.
    pub jdk: &'static str,
    /// The GC model the `gc` line used.
    pub gc_model: GcModel,
    /// The per-area peaks the lines were sized from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<Needs>,
    /// When the heap itself grows: how soon it is full (then `OutOfMemoryError: Java heap
    /// space`, which comes first when the heap is already fully committed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap_exhaustion: Option<HeapExhaustion>,
}

/// A growing heap projected to its maximum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeapExhaustion {
    /// The maximum heap (`-Xmx`: NMT `Java Heap` reserved).
    pub max_heap_bytes: u64,
    /// Heap in use after collections at the end of the window (the live set, or as close to
    /// it as the GC log shows), else NMT `Java Heap` committed.
    pub live_bytes: u64,
    /// True when the heap is committed up to its maximum: growth inside it adds nothing to
    /// the container's footprint, and the JVM fails with OutOfMemoryError instead.
    pub fully_committed: bool,
    /// Minutes until the live set reaches the maximum at the heap suspect's rate.
    pub minutes: f64,
}

/// The heap suspect projected to the maximum heap, when both are known.
fn heap_exhaustion(last: Option<SnapshotRef<'_>>, suspects: &[Suspect]) -> Option<HeapExhaustion> {
    let heap = suspects.iter().find(|s| s.kind == SuspectKind::Heap)?;
    let nmt_heap = last.and_then(|s| s.category(names::JAVA_HEAP))?;
    let max = nmt_heap.usage.reserved_bytes;
    let live = heap
        .series
        .iter()
        .filter(|g| g.metric.is_gc())
        .map(|g| u64_from_f64(g.trend.end_value))
        .max()
        .unwrap_or(nmt_heap.usage.committed_bytes);
    if heap.rate_bytes_per_min <= 0.0 || max == 0 {
        return None;
    }
    Some(HeapExhaustion {
        max_heap_bytes: max,
        live_bytes: live,
        fully_committed: nmt_heap.usage.committed_bytes >= max,
        minutes: max.saturating_sub(live) as f64 / heap.rate_bytes_per_min,
    })
}

/// The limit to judge against: the explicit one, the timeline's, or the cgroup's.
pub fn effective_limit(timeline: &Timeline, limit_bytes: Option<u64>) -> Option<u64> {
    limit_bytes
        .or(timeline.limit_bytes)
        .or_else(|| {
            timeline
                .process
                .iter()
                .rev()
                .find_map(|p| p.cgroup_limit_bytes)
        })
        .filter(|&l| l > 0)
}

/// The budget, or `None` without a limit or a snapshot to read needs from.
pub fn budget(
    timeline: &Timeline,
    suspects: &[Suspect],
    limit_bytes: Option<u64>,
) -> Option<Budget> {
    let limit = effective_limit(timeline, limit_bytes)?;
    let last = timeline
        .snapshots
        .iter()
        .rev()
        .find(|s| s.complete && !s.kind.is_diff());
    let rss = timeline.process.iter().rev().find_map(|p| p.rss_bytes);
    let nmt = last.map(|s| s.total.committed_bytes);
    let (used, used_source) = match (rss, nmt) {
        (Some(r), _) => (r, "rss"),
        (None, Some(n)) => (n, "nmt-committed"),
        (None, None) => return None,
    };
    let headroom = i64::try_from(limit)
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(used).unwrap_or(i64::MAX));
    // The heap adds to the footprint only until it is committed up to -Xmx; past that a heap
    // leak ends in OutOfMemoryError, not in an OOM kill (see `heap_exhaustion`).
    let heap_room = last
        .and_then(|s| s.category(names::JAVA_HEAP))
        .map_or(f64::INFINITY, |c| {
            c.usage
                .reserved_bytes
                .saturating_sub(c.usage.committed_bytes) as f64
        });
    let rate_of = |heap: bool| -> f64 {
        suspects
            .iter()
            .filter(|s| (s.kind == SuspectKind::Heap) == heap)
            .map(|s| s.rate_bytes_per_min.max(0.0))
            .sum()
    };
    let (heap_rate, other_rate) = (rate_of(true), rate_of(false));
    let heap_rate = if heap_room > 0.0 { heap_rate } else { 0.0 };
    let minutes_to_limit = minutes_to_limit(headroom as f64, heap_rate, heap_room, other_rate);
    let rss_gap = match (rss, nmt) {
        (Some(r), Some(n)) => Some(difference(r, n)),
        _ => None,
    };
    let needs = needs(timeline);
    let leaks = Leaks::of(suspects);
    let plan = needs.as_ref().map(|n| plan(n, &leaks, limit));
    let gc = gc_model(needs.as_ref().map_or(Collector::Unknown, |n| n.collector));
    let (lines, fits, short_by, needed, xmx) = match &plan {
        Some(p) => (p.lines.clone(), p.fits, p.short_by, p.needed_limit, p.xmx),
        None => (Vec::new(), true, 0, 0, 0),
    };
    let flag_list: Vec<String> = match (&needs, fits) {
        (Some(n), true) => flags(n, &lines),
        _ => Vec::new(),
    };
    Some(Budget {
        limit_bytes: limit,
        used_bytes: used,
        used_source,
        headroom_bytes: headroom,
        growth_rate_bytes_per_min: heap_rate + other_rate,
        minutes_to_limit,
        nmt_committed_bytes: nmt,
        rss_bytes: rss,
        rss_gap_bytes: rss_gap,
        lines,
        fits,
        short_by_bytes: short_by,
        needed_limit_bytes: needed,
        flags: flag_list.join(" "),
        max_ram_percentage: (fits && xmx > 0)
            .then(|| (xmx as f64 * 1000.0 / limit as f64).floor() / 10.0),
        flag_list,
        max_threads: match (&needs, leaks.threads) {
            (Some(n), true) if n.thread_count_peak > 0 => Some(n.thread_count_peak),
            _ => None,
        },
        pids_limit: match (&needs, leaks.threads) {
            (Some(n), true) if n.thread_count_peak > 0 => Some(n.thread_count_peak + 1),
            _ => None,
        },
        jdk: match &needs {
            Some(n) if n.jdk8 => "8",
            _ => "9+",
        },
        gc_model: gc,
        needs,
        heap_exhaustion: heap_exhaustion(last, suspects),
    })
}

/// The smallest container limit that holds this service as observed (every leak capped at what
/// was seen, the heap at what it already uses, the headroom rule on top), rounded up to 16 MiB;
/// `None` without a snapshot. What `report --suggest-limit` judges against.
pub fn suggested_limit(timeline: &Timeline, suspects: &[Suspect]) -> Option<u64> {
    let n = needs(timeline)?;
    Some(plan(&n, &Leaks::of(suspects), MIB).needed_limit)
}

/// Minutes until `headroom` is used up when the heap grows at `heap_rate` for at most
/// `heap_room` bytes and everything else at `other_rate`; `None` when it never is.
fn minutes_to_limit(headroom: f64, heap_rate: f64, heap_room: f64, other_rate: f64) -> Option<f64> {
    if headroom <= 0.0 {
        return Some(0.0);
    }
    let both = heap_rate + other_rate;
    if both <= 0.0 {
        return None;
    }
    let heap_stops = if heap_rate > 0.0 {
        heap_room / heap_rate
    } else {
        f64::INFINITY
    };
    let together = headroom / both;
    if together <= heap_stops {
        return Some(together);
    }
    let left = headroom - both * heap_stops;
    (other_rate > 0.0).then(|| heap_stops + left / other_rate)
}

#[cfg(test)]
mod projection_tests {
    use super::minutes_to_limit;

    #[test]
    fn the_heap_stops_adding_once_committed_to_its_maximum() {
        // 100 MiB of room; heap +10/min for at most 20, other +5/min: 20 + 5*2 = 30 after
        // 2 min, then 70 more at 5/min = 14 min: 16 in all.
        let m = 1024.0 * 1024.0;
        assert_eq!(
            minutes_to_limit(100.0 * m, 10.0 * m, 20.0 * m, 5.0 * m),
            Some(16.0)
        );
        assert_eq!(minutes_to_limit(100.0 * m, 10.0 * m, 20.0 * m, 0.0), None);
        assert_eq!(
            minutes_to_limit(100.0 * m, 10.0 * m, f64::INFINITY, 0.0),
            Some(10.0)
        );
        assert_eq!(minutes_to_limit(0.0, 0.0, 0.0, 0.0), Some(0.0));
        assert_eq!(minutes_to_limit(100.0 * m, 0.0, 0.0, 0.0), None);
    }
}

#[cfg(test)]
#[path = "budget_tests.rs"]
mod tests;
