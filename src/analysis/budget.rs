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
use super::diagnosis::{Suspect, SuspectKind};
use crate::model::categories::names;
use crate::model::units::format_bytes;
use crate::model::{Collector, Snapshot, Timeline};
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
fn heap_exhaustion(last: Option<&Snapshot>, suspects: &[Suspect]) -> Option<HeapExhaustion> {
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

/// Which areas leak, from the diagnosis's suspects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Leaks {
    pub heap: bool,
    pub metaspace: bool,
    pub direct: bool,
    pub threads: bool,
    pub code: bool,
}

impl Leaks {
    pub(crate) fn of(suspects: &[Suspect]) -> Leaks {
        let any = |kind| suspects.iter().any(|s| s.kind == kind);
        Leaks {
            heap: any(SuspectKind::Heap),
            metaspace: any(SuspectKind::ClassMetadata),
            direct: any(SuspectKind::DirectMemory),
            threads: any(SuspectKind::Threads),
            code: any(SuspectKind::CodeCache),
        }
    }
}

/// Headroom kept under every limit for what nobody accounts (page tables, glibc arena
/// fragmentation, short peaks between snapshots): 10% of the limit, at least 32 MiB.
pub(crate) fn reserve_for(limit: u64) -> u64 {
    round_up_mib(limit as f64 * 0.10).max(32 * MIB)
}

/// Room for areas that do not leak: the peak plus a quarter, at least `extra` more.
fn grown(peak: u64, extra: u64) -> u64 {
    round_up_mib(peak as f64 + (peak as f64 * 0.25).max(extra as f64))
}

fn round_up_mib(bytes: f64) -> u64 {
    let mib = u64_from_f64((bytes / MIB as f64).ceil());
    mib.max(1).saturating_mul(MIB)
}

/// A cap at most what was seen: the peak rounded down to whole MiB (at least 1 MiB).
fn cap_at(peak: u64) -> u64 {
    (peak / MIB).max(1) * MIB
}

/// The margin's words for an area that does not leak; a full stop for one that does.
fn margin(leaks: bool, words: &'static str) -> &'static str {
    if leaks { "." } else { words }
}

fn mib_flag(flag: &str, bytes: u64) -> String {
    format!("{flag}{}m", bytes / MIB)
}

const LEAK_NOTE: &str = "It leaks: capped at the peak seen, not fed; reaching the cap ends in a Java OutOfMemoryError with a stack trace, not in a container OOM kill.";

/// The lines for one limit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub lines: Vec<BudgetLine>,
    pub fits: bool,
    pub short_by: u64,
    pub needed_limit: u64,
    pub xmx: u64,
}

/// Sizes every line for `limit` from the window's needs.
pub(crate) fn plan(n: &Needs, leaks: &Leaks, limit: u64) -> Plan {
    let model = gc_model(n.collector);
    let line = |item: &str, seen: u64, budget: u64, flag: Option<String>, capped, why: String| {
        BudgetLine {
            item: item.into(),
            observed_bytes: seen,
            budget_bytes: budget,
            flag,
            capped,
            why: if capped {
                format!("{why} {LEAK_NOTE}")
            } else {
                why
            },
        }
    };
    let now = |s: &super::budget_peaks::Seen| {
        if s.last_bytes == s.peak_bytes {
            String::new()
        } else {
            format!(" (now {})", format_bytes(s.last_bytes))
        }
    };

    let mut fixed = Vec::new();
    let meta = if leaks.metaspace {
        cap_at(n.metaspace.peak_bytes)
    } else {
        grown(n.metaspace.peak_bytes, 16 * MIB)
    };
    fixed.push(line(
        "metaspace",
        n.metaspace.peak_bytes,
        meta,
        Some(mib_flag("-XX:MaxMetaspaceSize=", meta)),
        leaks.metaspace,
        format!(
            "metaspace committed peaked at {}{}{}",
            format_bytes(n.metaspace.peak_bytes),
            now(&n.metaspace),
            margin(
                leaks.metaspace,
                "; +25% (at least 16 MiB) for classes loaded later."
            )
        ),
    ));
    let code = if leaks.code {
        cap_at(n.code.peak_bytes)
    } else {
        // Twice the peak, at least 48 MiB, never above the JVM's default 240 MiB unless seen.
        round_up_mib(
            ((n.code.peak_bytes * 2).max(48 * MIB)).min((240 * MIB).max(n.code.peak_bytes * 5 / 4))
                as f64,
        )
    };
    fixed.push(line(
        "code cache",
        n.code.peak_bytes,
        code,
        Some(mib_flag("-XX:ReservedCodeCacheSize=", code)),
        leaks.code,
        format!(
            "Code committed peaked at {}{}",
            format_bytes(n.code.peak_bytes),
            margin(
                leaks.code,
                "; twice that (at least 48 MiB) so the JIT never stops for a full code cache."
            )
        ),
    ));
    let direct = if leaks.direct {
        cap_at(n.direct.peak_bytes)
    } else {
        grown(n.direct.peak_bytes, 16 * MIB)
    };
    fixed.push(line(
        "direct",
        n.direct.peak_bytes,
        direct,
        Some(mib_flag("-XX:MaxDirectMemorySize=", direct)),
        leaks.direct,
        format!(
            "{} committed peaked at {}{} (direct ByteBuffers on JDK {}){} Without the flag the JVM allows as much direct memory as heap.",
            n.direct_category,
            format_bytes(n.direct.peak_bytes),
            now(&n.direct),
            if n.jdk8 { "8" } else { "9+" },
            margin(leaks.direct, "; +25% (at least 16 MiB).")
        ),
    ));
    let threads = if leaks.threads {
        round_up_mib(n.threads.peak_bytes as f64)
    } else {
        grown(n.threads.peak_bytes, 8 * MIB)
    };
    let xss = n.stack_per_thread_bytes.map(xss_flag);
    fixed.push(line(
        "threads",
        n.threads.peak_bytes,
        threads,
        xss.clone(),
        leaks.threads,
        format!(
            "{} threads at most, {} committed at the peak (stacks commit as they are touched; each may reserve {}, the -Xss){}{}",
            n.thread_count_peak,
            format_bytes(n.threads.peak_bytes),
            n.stack_per_thread_bytes.map_or("?".into(), format_bytes),
            margin(leaks.threads, "; +25% (at least 8 MiB) for pool bursts."),
            if leaks.threads {
                format!(" No JVM flag caps the number of threads: a pids limit of {} tasks does (then `OutOfMemoryError: unable to create native thread`).", n.thread_count_peak + 1)
            } else {
                String::new()
            }
        ),
    ));
    let gap = u64::try_from(n.rss_gap_peak_bytes.unwrap_or(0)).unwrap_or(0);
    let other_seen = n.other_native.peak_bytes.saturating_add(gap);
    let other = round_up_mib(other_seen as f64 * 1.25);
    fixed.push(line(
        "other native",
        other_seen,
        other,
        None,
        false,
        match n.rss_gap_peak_bytes {
            Some(g) => format!(
                "the remaining NMT categories peaked at {}, plus RSS − NMT up to {} (memory NMT does not see); +25%.",
                format_bytes(n.other_native.peak_bytes),
                crate::model::units::format_delta(g)
            ),
            None => format!(
                "the remaining NMT categories peaked at {}; +25%. RSS unknown: memory NMT does not see (glibc arenas, JNI) is left to the headroom.",
                format_bytes(n.other_native.peak_bytes)
            ),
        },
    ));

    let non_heap = fixed.iter().map(|l| l.budget_bytes).sum::<u64>();
    let gc_fixed = model.fixed_for(n);
    let share = model.share_of_max_heap;
    let heap_floor = round_up_mib(n.heap.peak_bytes as f64);
    let gc_for = |xmx: u64| round_up_mib(gc_fixed as f64 + share * xmx as f64);
    // The least limit that holds all this: heap at its floor, and the headroom rule.
    let need_without_reserve = non_heap + heap_floor + gc_for(heap_floor);
    let needed_limit = {
        let l = (need_without_reserve + 32 * MIB)
            .max(u64_from_f64((need_without_reserve as f64 / 0.9).ceil()));
        l.div_ceil(16 * MIB) * 16 * MIB
    };
    let reserve = reserve_for(limit);
    let room = limit.saturating_sub(reserve + non_heap + gc_fixed) as f64 / (1.0 + share);
    let xmx_max = u64_from_f64(room / MIB as f64).saturating_mul(MIB);
    let fits = xmx_max >= heap_floor && heap_floor > 0;
    let xmx = if leaks.heap || !fits {
        heap_floor
    } else {
        xmx_max
    };
    let gc = gc_for(xmx);
    let used = non_heap + xmx + gc;
    let headroom = if fits {
        limit.saturating_sub(used)
    } else {
        reserve
    };
    let short_by = (used + headroom).saturating_sub(limit);

    let mut lines = Vec::with_capacity(8);
    let percent = xmx as f64 * 100.0 / limit as f64;
    lines.push(line(
        "heap",
        n.heap.peak_bytes,
        xmx,
        Some(mib_flag("-Xmx", xmx)),
        leaks.heap,
        if leaks.heap {
            format!(
                "the heap the service already uses (Java Heap committed peaked at {}, -Xmx was {}); -Xmx never goes below it.",
                format_bytes(n.heap.peak_bytes),
                format_bytes(n.heap_max_bytes)
            )
        } else if fits {
            format!(
                "what is left of the {} limit after the other lines and the headroom: {:.1}% of it (-XX:MaxRAMPercentage={:.1} gives the same on JDK 10+ / 8u191+). Java Heap committed peaked at {}{}.",
                format_bytes(limit),
                percent,
                (percent * 10.0).floor() / 10.0,
                format_bytes(n.heap.peak_bytes),
                n.heap_used_peak_bytes
                    .map(|u| format!(", in use before a collection at most {}", format_bytes(u)))
                    .unwrap_or_default()
            )
        } else {
            format!(
                "the least heap: what the service already uses (Java Heap committed peaked at {}); the limit leaves room for only {}.",
                format_bytes(n.heap.peak_bytes),
                format_bytes(xmx_max)
            )
        },
    ));
    lines.push(line(
        "gc",
        n.gc.peak_bytes,
        gc,
        None,
        false,
        format!(
            "{}: {} fixed + {:.1}% of the maximum heap {} (measured, docs/diagnosis.md); GC + GCCardSet peaked at {} with a {} maximum heap.",
            model.name,
            format_bytes(gc_fixed),
            share * 100.0,
            format_bytes(xmx),
            format_bytes(n.gc.peak_bytes),
            format_bytes(n.heap_max_bytes)
        ),
    ));
    lines.extend(fixed);
    lines.push(line(
        "headroom",
        0,
        headroom,
        None,
        false,
        if leaks.heap && fits {
            "the rest of the limit (at least 10%, 32 MiB, for page tables, glibc fragmentation, short peaks); the heap leaks, so it does not get this room: more heap only delays the OutOfMemoryError.".into()
        } else {
            "the rest of the limit (at least 10%, 32 MiB) for what nobody accounts: page tables, glibc arena fragmentation, short peaks.".into()
        },
    ));
    if !fits {
        // No flags that cannot work.
        for l in &mut lines {
            l.flag = None;
        }
    }
    Plan {
        lines,
        fits,
        short_by,
        needed_limit,
        xmx,
    }
}

/// `-Xss` as the JVM takes it: `1m` when whole MiB, else KiB.
fn xss_flag(bytes: u64) -> String {
    if bytes % MIB == 0 {
        format!("-Xss{}m", bytes / MIB)
    } else {
        format!("-Xss{}k", bytes / 1024)
    }
}

/// The flags to set together: the collector the data came from (the JVM picks Serial by itself
/// under 2 CPUs or 1792 MB, and the GC line would no longer hold), `-Xmx`, `-Xss`, then the caps.
fn flags(n: &Needs, lines: &[BudgetLine]) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(collector_flags(n.collector).iter().map(|f| f.to_string()));
    let order = ["heap", "threads", "metaspace", "direct", "code cache"];
    for item in order {
        if let Some(f) = lines
            .iter()
            .find(|l| l.item == item)
            .and_then(|l| l.flag.clone())
        {
            out.push(f);
        }
    }
    out
}

fn collector_flags(c: Collector) -> &'static [&'static str] {
    match c {
        Collector::G1 => &["-XX:+UseG1GC"],
        Collector::Parallel => &["-XX:+UseParallelGC"],
        Collector::Serial => &["-XX:+UseSerialGC"],
        Collector::Cms => &["-XX:+UseConcMarkSweepGC"],
        Collector::Shenandoah => &["-XX:+UseShenandoahGC"],
        Collector::Zgc => &["-XX:+UseZGC"],
        Collector::Epsilon => &["-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC"],
        Collector::Unknown => &[],
    }
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
