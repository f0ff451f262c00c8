//! The container budget: how much room is left under the memory limit, when the observed growth
//! will use it up, how much of the process NMT does not see (RSS − NMT committed), and a
//! suggested set of JVM flags that fits the observed per-category needs into the limit.

use serde::Serialize;

use super::diagnosis::{Suspect, SuspectKind};
use crate::model::categories;
use crate::model::units::format_bytes;
use crate::model::{Field, Snapshot, Timeline};

const MIB: u64 = 1 << 20;

/// One line of the suggested budget: an area of memory, what was seen, what to allow, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetLine {
    /// `heap`, `metaspace`, `direct`, `threads`, `code cache`, `gc`, `other native`, `headroom`.
    pub item: String,
    pub observed_bytes: u64,
    pub budget_bytes: u64,
    /// The flag that enforces this line, e.g. `-XX:MaxMetaspaceSize=96m`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
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
    pub lines: Vec<BudgetLine>,
    /// False when the observed needs do not fit the limit.
    pub fits: bool,
    /// Flags of the suggested budget, on one line, ready to paste.
    pub flags: String,
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
fn heap_exhaustion(last: Option<&Snapshot>, suspects: &[Suspect]) -> Option<HeapExhaustion> {
    let heap = suspects.iter().find(|s| s.kind == SuspectKind::Heap)?;
    let nmt_heap = last.and_then(|s| s.category("Java Heap"))?;
    let max = nmt_heap.usage.reserved_bytes;
    let live = heap
        .series
        .iter()
        .filter(|g| g.metric.is_gc())
        .map(|g| g.trend.end_value.max(0.0) as u64)
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

fn round_up_mib(bytes: f64) -> u64 {
    let mib = (bytes.max(0.0) / MIB as f64).ceil() as u64;
    mib.max(1).saturating_mul(MIB)
}

fn mib_flag(flag: &str, bytes: u64) -> String {
    format!("{flag}{}m", bytes / MIB)
}

fn committed(s: &Snapshot, names: &[&str]) -> u64 {
    names
        .iter()
        .fold(0u64, |acc, n| acc.saturating_add(s.committed(n)))
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
    if last.is_none() && rss.is_none() {
        return None;
    }
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
        .and_then(|s| s.category("Java Heap"))
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
    let rate = heap_rate + other_rate;
    let minutes_to_limit = minutes_to_limit(headroom as f64, heap_rate, heap_room, other_rate);
    let rss_gap = match (rss, nmt) {
        (Some(r), Some(n)) => {
            Some((i128::from(r) - i128::from(n)).clamp(i64::MIN.into(), i64::MAX.into()) as i64)
        }
        _ => None,
    };
    let (lines, fits) = match last {
        Some(s) => suggest(s, suspects, limit, rss_gap),
        None => (Vec::new(), true),
    };
    let flags = lines
        .iter()
        .filter_map(|l| l.flag.clone())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Budget {
        limit_bytes: limit,
        used_bytes: used,
        used_source,
        headroom_bytes: headroom,
        growth_rate_bytes_per_min: rate,
        minutes_to_limit,
        nmt_committed_bytes: nmt,
        rss_bytes: rss,
        rss_gap_bytes: rss_gap,
        lines,
        fits,
        flags,
        heap_exhaustion: heap_exhaustion(last, suspects),
    })
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

fn leaking(suspects: &[Suspect], kind: SuspectKind) -> bool {
    suspects.iter().any(|s| s.kind == kind)
}

const LEAK_NOTE: &str = " It is growing: no budget holds a leak; the cap turns a container OOM kill into a Java OutOfMemoryError with a stack trace.";

/// The line-by-line budget for `limit` from the needs seen in snapshot `s`.
fn suggest(
    s: &Snapshot,
    suspects: &[Suspect],
    limit: u64,
    rss_gap: Option<i64>,
) -> (Vec<BudgetLine>, bool) {
    let mut lines = Vec::new();
    let note = |kind| {
        if leaking(suspects, kind) {
            LEAK_NOTE
        } else {
            ""
        }
    };

    let thread = s.category("Thread");
    let threads = thread
        .and_then(|c| c.usage.field(Field::ThreadCount))
        .unwrap_or(0)
        .max(0) as u64;
    let stack_reserved = thread
        .and_then(|c| c.usage.field(Field::StackReservedBytes))
        .unwrap_or(0)
        .max(0) as u64;
    let per_thread = stack_reserved.checked_div(threads).unwrap_or(0);
    let thread_seen = s.committed("Thread");
    let thread_budget = round_up_mib((thread_seen as f64 * 1.5).max((16 * MIB) as f64));
    lines.push(BudgetLine {
        item: "threads".into(),
        observed_bytes: thread_seen,
        budget_bytes: thread_budget,
        flag: None,
        why: format!(
            "{threads} threads, {} committed in all (stacks commit as they are touched; each may reserve {}, the -Xss); +50% for pool bursts.{}",
            format_bytes(thread_seen),
            format_bytes(per_thread),
            note(SuspectKind::Threads)
        ),
    });

    let meta_seen = categories::metaspace_committed_bytes(s);
    let meta_budget = round_up_mib((meta_seen as f64 * 1.5).max((64 * MIB) as f64));
    lines.push(BudgetLine {
        item: "metaspace".into(),
        observed_bytes: meta_seen,
        budget_bytes: meta_budget,
        flag: Some(mib_flag("-XX:MaxMetaspaceSize=", meta_budget)),
        why: format!(
            "Metaspace committed {} (Metadata + Class space); +50% for classes loaded later (at least 64 MiB).{}",
            format_bytes(meta_seen),
            note(SuspectKind::ClassMetadata)
        ),
    });

    let code_seen = s.committed("Code");
    let code_budget = round_up_mib((code_seen as f64 * 2.0).max((64 * MIB) as f64));
    lines.push(BudgetLine {
        item: "code cache".into(),
        observed_bytes: code_seen,
        budget_bytes: code_budget,
        flag: Some(mib_flag("-XX:ReservedCodeCacheSize=", code_budget)),
        why: format!(
            "Code committed {}; twice that (at least 64 MiB) so the JIT never stops for a full code cache.",
            format_bytes(code_seen)
        ),
    });

    let direct_category = categories::direct_category(s);
    let direct_seen = categories::direct_committed_bytes(s);
    let direct_budget = round_up_mib((direct_seen as f64 * 1.5).max((64 * MIB) as f64));
    lines.push(BudgetLine {
        item: "direct".into(),
        observed_bytes: direct_seen,
        budget_bytes: direct_budget,
        flag: Some(mib_flag("-XX:MaxDirectMemorySize=", direct_budget)),
        why: format!(
            "{direct_category} committed {} (where this JDK counts direct ByteBuffers); +50% (at least 64 MiB). Without the flag the JVM allows as much direct memory as heap.{}",
            format_bytes(direct_seen),
            note(SuspectKind::DirectMemory)
        ),
    });

    let heap_seen = s.committed("Java Heap");
    let gc_seen = committed(s, &["GC", "GCCardSet"]);
    let gc_ratio = if heap_seen > 0 {
        gc_seen as f64 / heap_seen as f64
    } else {
        0.1
    };

    let named = [
        "Java Heap",
        "Class",
        "Metaspace",
        "Thread",
        "Code",
        direct_category,
        "GC",
        "GCCardSet",
    ];
    let other_seen: u64 = s
        .categories
        .iter()
        .filter(|c| !named.contains(&&*c.name))
        .fold(0u64, |acc, c| acc.saturating_add(c.usage.committed_bytes));
    let gap = rss_gap.unwrap_or(0).max(0) as u64;
    let other_budget = round_up_mib(other_seen.saturating_add(gap) as f64 * 1.25);
    lines.push(BudgetLine {
        item: "other native".into(),
        observed_bytes: other_seen.saturating_add(gap),
        budget_bytes: other_budget,
        flag: None,
        why: match rss_gap {
            Some(g) => format!(
                "the remaining NMT categories {} plus RSS − NMT {} (memory NMT does not see); +25%.",
                format_bytes(other_seen),
                crate::model::units::format_delta(g)
            ),
            None => format!(
                "the remaining NMT categories {}; +25%. RSS unknown: memory NMT does not see (glibc arenas, JNI) is not counted.",
                format_bytes(other_seen)
            ),
        },
    });

    let headroom = round_up_mib((limit as f64 * 0.10).max((32 * MIB) as f64));
    lines.push(BudgetLine {
        item: "headroom".into(),
        observed_bytes: 0,
        budget_bytes: headroom,
        flag: None,
        why: "10% of the limit (at least 32 MiB) for what nobody accounts: page tables, glibc arena fragmentation, short peaks.".into(),
    });

    let fixed: u64 = lines
        .iter()
        .fold(0u64, |acc, l| acc.saturating_add(l.budget_bytes));
    let rest = limit.saturating_sub(fixed) as f64 / (1.0 + gc_ratio);
    let heap_budget = (rest / MIB as f64).floor() as u64 * MIB;
    let gc_budget = round_up_mib(heap_budget as f64 * gc_ratio);
    lines.push(BudgetLine {
        item: "gc".into(),
        observed_bytes: gc_seen,
        budget_bytes: gc_budget,
        flag: None,
        why: format!(
            "GC structures were {} for a {} heap ({:.1}%); they scale with the heap.",
            format_bytes(gc_seen),
            format_bytes(heap_seen),
            gc_ratio * 100.0
        ),
    });
    let fits = heap_budget > 0 && heap_budget >= heap_seen;
    let percent = heap_budget as f64 * 100.0 / limit as f64;
    lines.push(BudgetLine {
        item: "heap".into(),
        observed_bytes: heap_seen,
        budget_bytes: heap_budget,
        flag: (heap_budget > 0).then(|| mib_flag("-Xmx", heap_budget)),
        why: format!(
            "what is left of the {} limit after the lines above: {:.0}% of it (-XX:MaxRAMPercentage={:.0} gives the same). Heap committed now {}.{}{}",
            format_bytes(limit),
            percent,
            percent.floor(),
            format_bytes(heap_seen),
            if heap_budget < heap_seen { " Less than the heap committed now: the limit is too small for this JVM as observed." } else { "" },
            note(SuspectKind::Heap)
        ),
    });
    (lines, fits)
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
