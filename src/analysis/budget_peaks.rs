//! What each line of the container budget needs, read from the whole window: the **peak** of
//! every area over all snapshots (a sawtooth cut at a trough must not shrink the budget), the
//! value in the last snapshot beside it, the JDK flavour (which category counts direct
//! buffers), the collector and the per-thread stack reserve.

use serde::Serialize;

use crate::model::{Collector, Field, SnapshotRef, Timeline};

// The JDK rules (direct = `Internal` on JDK 8, `Other` on 9+; metaspace counted once) are
// asked of `model::categories`, the one place that knows them.
use crate::model::categories::{
    direct_category, gc_committed_bytes, is_jdk8_like, metaspace_committed_bytes, names,
    thread_committed_bytes, thread_count,
};

/// One area: its highest value in the window and its value in the last snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub peak_bytes: u64,
    pub last_bytes: u64,
}

impl Seen {
    fn add(&mut self, value: u64) {
        self.peak_bytes = self.peak_bytes.max(value);
        self.last_bytes = value;
    }
}

/// The needs of every budget line, from the window's snapshots (and GC events).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Needs {
    /// Snapshots read (complete, not diffs).
    pub snapshots: usize,
    /// `Java Heap` committed.
    pub heap: Seen,
    /// `Java Heap` reserved: the `-Xmx` the JVM ran with (ZGC: see [`needs`]).
    pub heap_max_bytes: u64,
    /// Highest heap occupancy before a collection, from the GC log (the heap in use).
    pub heap_used_peak_bytes: Option<u64>,
    pub metaspace: Seen,
    /// Direct buffers: `Internal` on JDK 8, `Other` on JDK 9+.
    pub direct: Seen,
    /// The category [`Needs::direct`] was read from.
    pub direct_category: &'static str,
    pub threads: Seen,
    /// Threads alive (NMT's thread count): peak and last.
    pub thread_count_peak: u64,
    pub thread_count_last: u64,
    /// Stack reserved per thread (the `-Xss` in effect), when NMT prints stacks.
    pub stack_per_thread_bytes: Option<u64>,
    pub code: Seen,
    /// `GC` + `GCCardSet`.
    pub gc: Seen,
    /// Every other NMT category, summed per snapshot.
    pub other_native: Seen,
    /// NMT total committed.
    pub total: Seen,
    /// RSS − NMT committed at the same moment, highest over the window (memory NMT does not
    /// see), when RSS samples exist.
    pub rss_gap_peak_bytes: Option<i64>,
    /// True when the snapshots look like JDK 8 (no JDK 9+ categories).
    pub jdk8: bool,
    /// The collector named by the GC log, `Unknown` without one.
    pub collector: Collector,
}

/// The snapshots a budget reads: complete summaries (diffs carry deltas, not levels).
fn levels(timeline: &Timeline) -> impl Iterator<Item = SnapshotRef<'_>> {
    timeline
        .snapshots
        .iter()
        .filter(|s| s.complete && !s.kind.is_diff())
}

/// Categories that have a line of their own; the rest are "other native".
fn has_own_line(name: &str, direct: &str) -> bool {
    name == direct
        || [
            names::JAVA_HEAP,
            names::CLASS,
            names::METASPACE,
            names::THREAD,
            names::THREAD_STACK,
            names::CODE,
            names::GC,
            names::GC_CARD_SET,
        ]
        .contains(&name)
}

/// The needs over the whole window, or `None` without a snapshot.
pub fn needs(timeline: &Timeline) -> Option<Needs> {
    let mut n: Option<Needs> = None;
    for s in levels(timeline) {
        let direct_name = direct_category(s);
        let n = n.get_or_insert_with(|| Needs {
            snapshots: 0,
            heap: Seen::default(),
            heap_max_bytes: 0,
            heap_used_peak_bytes: None,
            metaspace: Seen::default(),
            direct: Seen::default(),
            direct_category: direct_name,
            threads: Seen::default(),
            thread_count_peak: 0,
            thread_count_last: 0,
            stack_per_thread_bytes: None,
            code: Seen::default(),
            gc: Seen::default(),
            other_native: Seen::default(),
            total: Seen::default(),
            rss_gap_peak_bytes: None,
            jdk8: is_jdk8_like(s),
            collector: Collector::Unknown,
        });
        n.snapshots += 1;
        n.direct_category = direct_name;
        n.jdk8 = is_jdk8_like(s);
        n.heap.add(s.committed(names::JAVA_HEAP));
        if let Some(h) = s.category(names::JAVA_HEAP) {
            n.heap_max_bytes = n.heap_max_bytes.max(h.usage.reserved_bytes);
        }
        n.metaspace.add(metaspace_committed_bytes(s));
        n.direct.add(s.committed(direct_name));
        n.threads.add(thread_committed_bytes(s));
        let count = u64::try_from(thread_count(s).unwrap_or(0)).unwrap_or(0);
        n.thread_count_peak = n.thread_count_peak.max(count);
        n.thread_count_last = count;
        if let Some(per) = stack_per_thread(s, count) {
            n.stack_per_thread_bytes = Some(per);
        }
        n.code.add(s.committed(names::CODE));
        n.gc.add(gc_committed_bytes(s));
        // The rows only (no sub-fields): decoding every category's fields for this sum was
        // half of `needs`.
        n.other_native.add(
            s.committed_amounts()
                .filter(|(name, _)| !has_own_line(name, direct_name))
                .fold(0u64, |acc, (_, committed)| acc.saturating_add(committed)),
        );
        n.total.add(s.total.committed_bytes);
    }
    let mut n = n?;
    n.heap_used_peak_bytes = timeline
        .gc_events
        .iter()
        .filter_map(|e| e.heap_before_bytes)
        .max();
    n.collector = timeline
        .gc_events
        .iter()
        .map(|e| e.collector)
        .find(|&c| c != Collector::Unknown)
        .unwrap_or(Collector::Unknown);
    n.rss_gap_peak_bytes = rss_gap_peak(timeline);
    if n.collector == Collector::Zgc {
        // ZGC reserves many times -Xmx of address space (JDK 17: 6 GiB of `Java Heap` reserved
        // for -Xmx128m); its maximum heap is the capacity the GC log prints, else the
        // committed peak.
        n.heap_max_bytes = timeline
            .gc_events
            .iter()
            .filter_map(|e| e.heap_capacity_bytes)
            .max()
            .unwrap_or(n.heap.peak_bytes)
            .max(n.heap.peak_bytes);
    }
    Some(n)
}

/// The stack each thread may reserve (`-Xss`): stack reserved over the thread count. JDK 8
/// prints no stack line; its `Thread` reserved is all stacks.
fn stack_per_thread(s: SnapshotRef<'_>, count: u64) -> Option<u64> {
    let thread = s.category(names::THREAD)?;
    let stacks = thread
        .usage
        .field(Field::StackReservedBytes)
        .map(|b| u64::try_from(b).unwrap_or(0))
        .unwrap_or(thread.usage.reserved_bytes);
    let per = stacks.checked_div(count)?;
    // Round to the 64 KiB steps stack sizes are given in (thread-local structures are in
    // `Thread` reserved on JDK 8 too).
    let step = 64 * 1024;
    (per >= step).then(|| per / step * step)
}

/// Highest RSS − NMT committed over snapshots that have an RSS sample within 10 s.
fn rss_gap_peak(timeline: &Timeline) -> Option<i64> {
    let samples: Vec<_> = timeline
        .process
        .iter()
        .filter_map(|p| Some((p.timestamp, p.rss_bytes?)))
        .collect();
    if samples.is_empty() {
        return None;
    }
    levels(timeline)
        .filter_map(|s| {
            let t = s.timestamp?;
            let (at, rss) = samples
                .iter()
                .min_by_key(|(at, _)| (*at - t).num_milliseconds().abs())?;
            ((*at - t).num_seconds().abs() <= 10)
                .then(|| i64::try_from(*rss).unwrap_or(i64::MAX))
                .map(|rss| rss.saturating_sub(i64::try_from(s.total.committed_bytes).unwrap_or(0)))
        })
        .max()
}
