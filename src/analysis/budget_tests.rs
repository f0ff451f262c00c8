//! The budget on real recordings: `samples/budget/` (the proof's own recordings, JDK 17),
//! `samples/scenarios/` and the JDK 8 NMT fixture. Every test fails when its data is missing.

use std::path::Path;

use super::*;
use crate::analysis::budget_plan::{Plan, round_up_mib};
use crate::analysis::{DiagnoseOptions, diagnose};
use crate::model::Timeline;
use crate::model::units::format_bytes;

const GIB: u64 = 1 << 30;

fn load(rel: &str) -> Timeline {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let paths: Vec<String> = ["nmt.log", "gc.log"]
        .iter()
        .map(|f| dir.join(f))
        .filter(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let paths = if paths.is_empty() {
        vec![dir.to_string_lossy().into_owned()]
    } else {
        paths
    };
    let mut tl = crate::input::load(&paths);
    tl.sort_gc_events();
    assert!(
        !tl.snapshots.is_empty(),
        "{rel}: no snapshots read: the sample is missing"
    );
    tl
}

fn line<'a>(b: &'a Budget, item: &str) -> &'a BudgetLine {
    b.lines
        .iter()
        .find(|l| l.item == item)
        .unwrap_or_else(|| panic!("no {item} line in {:?}", b.lines))
}

fn sum(b: &Budget) -> u64 {
    b.lines.iter().map(|l| l.budget_bytes).sum()
}

fn budget_of(tl: &Timeline, limit: u64) -> Budget {
    let d = diagnose(
        tl,
        &DiagnoseOptions {
            limit_bytes: Some(limit),
            ..DiagnoseOptions::default()
        },
    );
    d.budget.expect("a limit and snapshots give a budget")
}

/// Peak and last of one area, computed here independently of `budget_peaks`.
fn peak_and_last(tl: &Timeline, name: &str) -> (u64, u64) {
    let values: Vec<u64> = tl
        .snapshots
        .iter()
        .filter(|s| s.complete && !s.kind.is_diff())
        .map(|s| s.committed(name))
        .collect();
    (
        values.iter().copied().max().unwrap_or(0),
        values.last().copied().unwrap_or(0),
    )
}

#[test]
fn a_sawtooth_cut_at_a_trough_is_budgeted_for_its_peak() {
    let mut tl = load("samples/budget/sawtooth-jdk17-g1");
    // Cut the real recording at its lowest point after the first peaks (the case).
    let lowest = (5..tl.snapshots.len())
        .min_by_key(|&i| tl.snapshots.get(i).unwrap().committed("Other"))
        .expect("snapshots");
    tl.snapshots.truncate(lowest + 1);
    let (peak, last) = peak_and_last(&tl, "Other");
    // The recording's direct buffers rise to ~96 MiB and are freed every 20 s.
    assert!(peak > 80 * MIB, "peak {peak}");
    assert!(
        last < peak / 2,
        "the recording must end below its peak: {last} vs {peak}"
    );
    let b = budget_of(&tl, 512 * MIB);
    let direct = line(&b, "direct");
    assert_eq!(direct.observed_bytes, peak);
    assert!(!direct.capped, "a sawtooth is not a leak");
    // Peak + 25%, rounded up to MiB.
    assert_eq!(direct.budget_bytes, round_up_mib(peak as f64 * 1.25));
    assert!(b.flag_list.contains(&format!(
        "-XX:MaxDirectMemorySize={}m",
        direct.budget_bytes / MIB
    )));
    assert_eq!(sum(&b), 512 * MIB);
}

#[test]
fn a_warm_up_plateau_keeps_the_heap_it_reached() {
    let tl = load("samples/budget/plateau-jdk17-g1");
    let (heap_peak, _) = peak_and_last(&tl, "Java Heap");
    let b = budget_of(&tl, 512 * MIB);
    assert!(b.fits);
    let heap = line(&b, "heap");
    assert_eq!(heap.observed_bytes, heap_peak);
    assert!(
        heap.budget_bytes >= heap_peak,
        "-Xmx never below the heap in use"
    );
    assert_eq!(sum(&b), 512 * MIB);
}

#[test]
fn leaks_are_capped_at_what_was_seen_and_the_heap_is_not_cut() {
    for (dir, item, category, flag) in [
        (
            "samples/scenarios/direct-leak-jdk17-g1",
            "direct",
            "Other",
            "-XX:MaxDirectMemorySize=",
        ),
        (
            "samples/budget/direct-leak-jdk17-parallel",
            "direct",
            "Other",
            "-XX:MaxDirectMemorySize=",
        ),
        (
            "samples/budget/class-leak-jdk17-serial",
            "metaspace",
            "",
            "-XX:MaxMetaspaceSize=",
        ),
    ] {
        let tl = load(dir);
        let b = budget_of(&tl, GIB);
        let l = line(&b, item);
        assert!(
            l.capped,
            "{dir}: the diagnosis names the leak, so {item} is capped"
        );
        let seen = if category.is_empty() {
            l.observed_bytes
        } else {
            peak_and_last(&tl, category).0
        };
        assert_eq!(l.observed_bytes, seen, "{dir}");
        assert!(
            l.budget_bytes <= seen,
            "{dir}: the cap is at most what was seen"
        );
        assert!(l.budget_bytes + MIB > seen, "{dir}: and not far below it");
        assert!(
            b.flag_list
                .contains(&format!("{flag}{}m", l.budget_bytes / MIB)),
            "{dir}: {:?}",
            b.flag_list
        );
        let (heap_peak, _) = peak_and_last(&tl, "Java Heap");
        assert!(line(&b, "heap").budget_bytes >= heap_peak, "{dir}");
        assert_eq!(sum(&b), GIB, "{dir}");
    }
}

#[test]
fn a_thread_leak_gets_a_pids_limit_of_the_threads_seen() {
    let tl = load("samples/budget/thread-leak-jdk17-g1");
    let counts: Vec<i64> = tl
        .snapshots
        .iter()
        .filter_map(|s| {
            s.category("Thread")?
                .usage
                .field(crate::model::Field::ThreadCount)
        })
        .collect();
    let peak = counts.iter().copied().max().unwrap_or(0) as u64;
    assert!(peak > 200, "the recording leaks ~4 threads/s: {peak}");
    let b = budget_of(&tl, 512 * MIB);
    assert_eq!(b.max_threads, Some(peak));
    assert_eq!(b.pids_limit, Some(peak + 1));
    assert!(line(&b, "threads").capped);
    assert!(
        b.flag_list.contains(&"-Xss1m".to_string()),
        "{:?}",
        b.flag_list
    );
}

#[test]
fn a_leaking_heap_keeps_the_heap_it_uses_and_the_rest_stays_headroom() {
    let tl = load("samples/budget/heap-leak-jdk17-g1");
    let n = needs(&tl).expect("snapshots");
    let leaks = Leaks {
        heap: true,
        ..Leaks::default()
    };
    let p = plan(&n, &leaks, GIB);
    assert!(p.fits);
    let heap = p.lines.iter().find(|l| l.item == "heap").expect("heap");
    assert_eq!(heap.budget_bytes, round_up_mib(n.heap.peak_bytes as f64));
    assert_eq!(heap.budget_bytes, 256 * MIB, "-Xmx256m, fully committed");
    let total: u64 = p.lines.iter().map(|l| l.budget_bytes).sum();
    assert_eq!(total, GIB);
    let headroom = p
        .lines
        .iter()
        .find(|l| l.item == "headroom")
        .expect("headroom");
    assert!(
        headroom.budget_bytes > GIB / 2,
        "the leak is not fed: {}",
        headroom.budget_bytes
    );
}

#[test]
fn gc_is_a_fixed_part_plus_a_share_of_the_maximum_heap() {
    let tl = load("samples/budget/steady-jdk17-g1");
    let n = needs(&tl).expect("snapshots");
    assert_eq!(n.collector, Collector::G1);
    let model = gc_model(Collector::G1);
    for limit in [512 * MIB, GIB, 2 * GIB] {
        let p = plan(&n, &Leaks::default(), limit);
        let gc = p.lines.iter().find(|l| l.item == "gc").expect("gc");
        assert_eq!(
            gc.budget_bytes,
            round_up_mib(model.fixed_for(&n) as f64 + 0.04 * p.xmx as f64),
            "{limit}"
        );
        // Measured: G1 on JDK 17 needs 41 MiB at -Xmx128m and 118 MiB at -Xmx2g, never the
        // tenfold of a ratio to an early committed heap.
        assert!(
            gc.budget_bytes < 40 * MIB + p.xmx / 20,
            "{limit}: {}",
            gc.budget_bytes
        );
    }
}

#[test]
fn every_recording_adds_up_to_the_limit_or_says_by_how_much_it_does_not() {
    let mut dirs = Vec::new();
    for root in ["samples/scenarios", "samples/budget"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
        let entries = std::fs::read_dir(&path).expect("sample folder");
        for e in entries.filter_map(Result::ok) {
            if e.path().join("nmt.log").is_file() {
                dirs.push(format!("{root}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    assert!(dirs.len() >= 25, "{dirs:?}");
    for dir in &dirs {
        let tl = load(dir);
        for limit in [384 * MIB, 512 * MIB, GIB] {
            let b = budget_of(&tl, limit);
            if b.fits {
                assert_eq!(sum(&b), limit, "{dir} {limit}");
                assert_eq!(b.short_by_bytes, 0);
                assert!(b.flags.contains("-Xmx"), "{dir}");
                let (heap_peak, _) = peak_and_last(&tl, "Java Heap");
                assert!(line(&b, "heap").budget_bytes >= heap_peak, "{dir}");
            } else {
                assert!(b.short_by_bytes > 0, "{dir} {limit}");
                assert_eq!(sum(&b), limit + b.short_by_bytes, "{dir} {limit}");
                assert!(b.flags.is_empty() && b.lines.iter().all(|l| l.flag.is_none()));
            }
            // The limit it says it needs does hold it, and 16 MiB less does not.
            let n = needs(&tl).expect("snapshots");
            let leaks = Leaks::of(&diagnose(&tl, &DiagnoseOptions::default()).suspects);
            assert!(plan(&n, &leaks, b.needed_limit_bytes).fits, "{dir}");
            assert!(
                !plan(&n, &leaks, b.needed_limit_bytes - 16 * MIB).fits,
                "{dir}"
            );
        }
    }
}

#[test]
fn jdk8_direct_memory_is_internal_and_a_small_limit_says_by_how_much() {
    let tl = load("samples/nmt/jdk8/summary.txt");
    let n = needs(&tl).expect("snapshot");
    assert!(n.jdk8);
    assert_eq!(n.direct_category, "Internal");
    // `Internal (reserved=52516KB, committed=52516KB)`.
    assert_eq!(n.direct.peak_bytes, 52516 * 1024);
    // JDK 8 counts metaspace in `Class` committed: 61074KB.
    assert_eq!(n.metaspace.peak_bytes, 61074 * 1024);
    let b = budget(&tl, &[], Some(GIB)).expect("budget");
    assert_eq!(b.jdk, "8");
    let direct = line(&b, "direct");
    assert_eq!(direct.observed_bytes, 52516 * 1024);
    // 51.3 MiB + max(25%, 16 MiB) = 67.3 → 68 MiB.
    assert_eq!(direct.budget_bytes, 68 * MIB);
    assert!(
        direct.why.starts_with("Internal committed"),
        "{}",
        direct.why
    );
    assert!(
        b.flags.contains("-XX:MaxDirectMemorySize=68m"),
        "{}",
        b.flags
    );
    assert_eq!(sum(&b), GIB);

    // 256 MiB of heap already committed plus ~260 MiB of the rest: 384 MiB cannot hold it.
    let small = budget(&tl, &[], Some(384 * MIB)).expect("budget");
    assert!(!small.fits);
    assert!(small.flags.is_empty());
    assert_eq!(sum(&small), 384 * MIB + small.short_by_bytes);
    assert!(small.short_by_bytes > 100 * MIB, "{}", small.short_by_bytes);
    let text = crate::report::diagnosis_text::fit_verdict(&small);
    assert!(text.starts_with("Does not fit"), "{text}");
    assert!(
        text.contains(&format_bytes(small.short_by_bytes)),
        "says by how much: {text}"
    );
    assert!(text.contains(&format!(
        "resources.limits.memory: {}Mi",
        small.needed_limit_bytes / MIB
    )));
}

#[test]
fn zgc_takes_its_maximum_heap_from_the_gc_log_not_its_reserved_address_space() {
    let tl = load("samples/budget/steady-jdk17-zgc");
    let heap = tl
        .snapshots
        .last()
        .and_then(|s| s.category("Java Heap"))
        .expect("heap");
    // ZGC reserves 48 × -Xmx256m of address space.
    assert!(heap.usage.reserved_bytes > 10 * GIB);
    let n = needs(&tl).expect("snapshots");
    assert_eq!(n.collector, Collector::Zgc);
    assert_eq!(n.heap_max_bytes, 256 * MIB);
    let p = plan(&n, &Leaks::default(), 512 * MIB);
    let gc = p.lines.iter().find(|l| l.item == "gc").expect("gc");
    // Measured: 65.6–71.0 MiB at every -Xmx; this recording peaked at 67.8 MiB.
    assert!(
        (66 * MIB..=72 * MIB).contains(&gc.budget_bytes),
        "{}",
        gc.budget_bytes
    );
    assert!(gc.budget_bytes >= n.gc.peak_bytes);
}

#[test]
fn a_leaking_heap_keeps_the_xmx_it_runs_with_when_that_fits_and_is_never_cut_below_its_use() {
    // The demo: -Xmx512m, the heap leaking but not yet fully committed.
    let tl = load("samples/scenarios/demo-jdk21-g1");
    let n = needs(&tl).expect("snapshots");
    assert_eq!(n.heap_max_bytes, 512 * MIB, "the demo runs with -Xmx512m");
    let floor = round_up_mib(n.heap.peak_bytes as f64);
    assert!(floor < 512 * MIB, "committed peak {}", format_bytes(floor));
    let leaks = Leaks {
        heap: true,
        ..Leaks::default()
    };
    let heap_of = |p: &Plan| {
        p.lines
            .iter()
            .find(|l| l.item == "heap")
            .expect("heap")
            .clone()
    };

    // 1 GiB leaves room for -Xmx512m: it is kept, not cut to the committed peak.
    let p = plan(&n, &leaks, GIB);
    assert!(p.fits);
    assert_eq!(p.xmx, 512 * MIB);
    let heap = heap_of(&p);
    assert_eq!(heap.flag.as_deref(), Some("-Xmx512m"));
    assert!(heap.capped);
    assert!(
        heap.why.contains("the -Xmx the service runs with"),
        "{}",
        heap.why
    );
    assert_eq!(p.lines.iter().map(|l| l.budget_bytes).sum::<u64>(), GIB);

    // Every limit from 512 MiB to 1 GiB: when it fits, -Xmx is between the committed peak and
    // the configured 512 MiB, the lines add up to the limit, and some limit lands in between
    // (the most that limit leaves, below 512 MiB and above the peak).
    let mut between = 0;
    for limit in (512 * MIB..=GIB).step_by(16 * MIB as usize) {
        let q = plan(&n, &leaks, limit);
        if !q.fits {
            continue;
        }
        assert!(
            q.xmx >= floor && q.xmx <= 512 * MIB,
            "{}: -Xmx {}",
            format_bytes(limit),
            format_bytes(q.xmx)
        );
        assert_eq!(q.lines.iter().map(|l| l.budget_bytes).sum::<u64>(), limit);
        if q.xmx > floor && q.xmx < 512 * MIB {
            between += 1;
            assert!(
                heap_of(&q)
                    .why
                    .contains("below the -Xmx the service runs with")
            );
        }
    }
    assert!(between > 0, "no limit between the peak and -Xmx512m");
}
