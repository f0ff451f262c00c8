//! The flag plan of the container budget: each area's line sized for one limit from the
//! window's peaks (see the rules in [`budget`](super::budget)), and the JVM flags that say it.

use super::budget::BudgetLine;
use super::budget_gc::gc_model;
use super::budget_peaks::Needs;
use super::diagnosis::{Suspect, SuspectKind};
use crate::model::Collector;
use crate::model::units::format_bytes;
use crate::num::u64_from_f64;

const MIB: u64 = 1 << 20;

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

pub(super) fn round_up_mib(bytes: f64) -> u64 {
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

const LEAK_NOTE: &str = "It leaks: capped, not fed; reaching the cap ends in a Java OutOfMemoryError with a stack trace, not in a container OOM kill.";

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
    // A leaking heap is neither fed nor cut: it keeps the -Xmx it runs with (whole MiB) when
    // that fits, else the most the limit leaves, and never less than it already uses. Cutting
    // it to the committed peak only brings the OutOfMemoryError sooner (the demo: -Xmx512m,
    // 443 MiB committed, 1 GiB limit: -Xmx443m was advised and the leak failed 69 MiB earlier).
    let configured = n.heap_max_bytes / MIB * MIB;
    let xmx = if !fits {
        heap_floor
    } else if leaks.heap {
        configured.clamp(heap_floor, xmx_max)
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
        if leaks.heap && fits && xmx == configured && xmx > heap_floor {
            format!(
                "the -Xmx the service runs with ({}), which fits the limit: a leaking heap is neither fed nor cut (Java Heap committed peaked at {}).",
                format_bytes(xmx),
                format_bytes(n.heap.peak_bytes)
            )
        } else if leaks.heap && fits && xmx > heap_floor {
            format!(
                "the most the {} limit leaves after the other lines and the headroom, below the -Xmx the service runs with ({}); a leaking heap is not fed (Java Heap committed peaked at {}).",
                format_bytes(limit),
                format_bytes(n.heap_max_bytes),
                format_bytes(n.heap.peak_bytes)
            )
        } else if leaks.heap {
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
pub(crate) fn flags(n: &Needs, lines: &[BudgetLine]) -> Vec<String> {
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
