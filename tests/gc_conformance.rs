//! Conformance over real public GC logs (GCViewer's and garbagecat's test logs).
//!
//! Always: the committed subset in `tests/corpus/gc` (every file listed in `SUBSET`, its source
//! and licence in `tests/corpus/README.md`) must read with exactly the lines, unrecognized lines
//! and collections by kind written below. The kinds were checked against the text's own records
//! counted by `scripts/gc-conformance.py`'s separate rules (same buckets: young/mixed →
//! pause, initial-mark/remark/cleanup → mark for legacy logs), not copied from jvmem's output.
//!
//! Also, where the full corpus is present (`$JVMEM_CORPUS/gc`, else `../shared/corpus/gc`):
//! every file in it reads without a panic, the overall unrecognized share stays under 2%, it
//! holds at least `FULL_MIN_FILES` logs, and each subset file in it is byte-for-byte the
//! committed copy and reads the same. The test prints which of the two it ran.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use jvmem::gclog::{GcParse, load_paths};
use jvmem::model::GcKind;

use common::corpus;

/// (path under `gc/`, lines, unrecognized lines, collections by kind in `GcKind` order).
const SUBSET: &[(&str, u64, u64, &str)] = &[
    ("garbagecat/dataset207.txt", 80, 7, "full 1"),
    ("garbagecat/dataset287.txt", 171, 0, "full 1, concurrent 1"),
    ("garbagecat/dataset289.txt", 10, 0, "young 5, full 4"),
    (
        "garbagecat/dataset76.txt",
        36,
        0,
        // One G1 cycle: its root-region scan starts inside the first `[Full GC` record.
        "full 2, initial-mark 1, concurrent 1",
    ),
    ("gcviewer/SampleSun1_4_2NoFullGC.txt", 12, 0, "young 12"),
    (
        "gcviewer/SampleSun1_4_2PrintGCDetails.txt",
        5,
        0,
        "young 1, full 3",
    ),
    (
        "gcviewer/SampleSun1_5_0PromotionFailure.txt",
        6,
        0,
        "young 5, full 1",
    ),
    (
        "gcviewer/SampleSun1_6_0CMS.txt",
        48,
        0,
        "young 13, full 2, initial-mark 3, remark 1, concurrent 3",
    ),
    (
        "gcviewer/SampleSun1_8_0CmsPrintGcId.txt",
        21,
        0,
        "young 8, initial-mark 1, remark 1, concurrent 1",
    ),
    (
        "gcviewer/SampleSun1_8_0G1_ConcurrentCycle.txt",
        69,
        0,
        "young 1, initial-mark 1, remark 1, cleanup 1, concurrent 1",
    ),
    (
        "gcviewer/SampleSun1_8_0ParallelPrintHeapAtGC.txt",
        23,
        0,
        "young 1",
    ),
    (
        "gcviewer/SampleSun1_8_0Parallel_Apple.txt",
        21,
        1,
        "young 6",
    ),
    (
        "gcviewer/unified-jvm-logging/Sample-ujl-shenandoah-jdk11-PauseDegeneratedGc.txt",
        34,
        0,
        "full 1",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-cms-gc-all,safepoint,os+cpu.txt",
        125,
        0,
        "young 7, full 2, concurrent 2",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-g1-gc-defaults.txt",
        16,
        0,
        "young 5, mixed 1, full 1, initial-mark 1, concurrent 1",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-jdk17-full-concurrent-cycle-g1-gc-all-safepont,os-cpu.txt",
        137,
        0,
        "young 7, concurrent 1",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-parallel-gc-all,safepoint,os+cpu.txt",
        113,
        0,
        "young 4, full 4",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-serial-gc-defaults.txt",
        12,
        0,
        "young 8, full 3",
    ),
    (
        "gcviewer/unified-jvm-logging/sample-ujl-zgc-gc-default.txt",
        6,
        0,
        "concurrent 5",
    ),
];

/// The full corpus held 401 logs on 2026-12-01; fewer means it is not the corpus these
/// figures speak of (a partial copy, a moved folder).
const FULL_MIN_FILES: usize = 400;

/// `young 5, full 4`: the events of each kind, in `GcKind` order, kinds with none left out.
fn kind_counts(parse: &GcParse) -> String {
    GcKind::ALL
        .iter()
        .filter_map(|&k| {
            let n = parse.events.iter().filter(|e| e.kind == k).count();
            (n > 0).then(|| format!("{} {n}", k.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt" || e == "log") {
            out.push(p);
        }
    }
}

/// Reads the committed subset; returns how many files it checked.
fn check_subset() -> usize {
    let dir = corpus::subset().join("gc");
    let mut present = Vec::new();
    files(&dir, &mut present);
    let mut listed: Vec<PathBuf> = SUBSET.iter().map(|(rel, ..)| dir.join(rel)).collect();
    listed.sort();
    assert_eq!(
        present, listed,
        "tests/corpus/gc and SUBSET must hold the same files"
    );
    for &(rel, lines, unrecognized, kinds) in SUBSET {
        let parse = load_paths(&[corpus::file(&format!("gc/{rel}"))]);
        let got = (parse.info.lines, parse.info.unrecognized_lines);
        assert_eq!(got, (lines, unrecognized), "{rel}: lines, unrecognized");
        assert_eq!(kind_counts(&parse), kinds, "{rel}");
        assert_eq!(parse.info.events, parse.events.len() as u64, "{rel}");
    }
    SUBSET.len()
}

/// Reads every file of the full corpus at `dir`; returns how many it read.
fn check_full(dir: &Path) -> usize {
    let mut paths = Vec::new();
    files(dir, &mut paths);
    assert!(
        paths.len() >= FULL_MIN_FILES,
        "{}: {} logs, expected at least {FULL_MIN_FILES}",
        dir.display(),
        paths.len()
    );
    for &(rel, ..) in SUBSET {
        let full = std::fs::read(dir.join(rel)).unwrap_or_default();
        let committed = std::fs::read(corpus::file(&format!("gc/{rel}"))).unwrap_or_default();
        assert!(
            full == committed,
            "{rel}: the committed copy differs from the corpus file"
        );
    }
    let (mut total_lines, mut total_unrec, mut total_events) = (0u64, 0u64, 0u64);
    let mut no_events = Vec::new();
    println!(
        "{:<80} {:>7} {:>7} {:>6}",
        "file", "lines", "events", "unrec"
    );
    for p in &paths {
        let name = p.strip_prefix(dir).unwrap_or(p).display().to_string();
        let parse = load_paths(std::slice::from_ref(p));
        let info = &parse.info;
        println!(
            "{:<80} {:>7} {:>7} {:>6}",
            name,
            info.lines,
            parse.events.len(),
            info.unrecognized_lines
        );
        total_lines += info.lines;
        total_unrec += info.unrecognized_lines;
        total_events += parse.events.len() as u64;
        if parse.events.is_empty() {
            no_events.push(name);
        }
    }
    let share = total_unrec as f64 * 100.0 / total_lines.max(1) as f64;
    println!(
        "TOTAL files={} lines={} events={} unrecognized={} ({:.2}%) files-without-events={}",
        paths.len(),
        total_lines,
        total_events,
        total_unrec,
        share,
        no_events.len()
    );
    for n in &no_events {
        println!("no events: {n}");
    }
    assert!(share < 2.0, "unrecognized share {share:.2}% too high");
    paths.len()
}

#[test]
fn real_public_gc_logs_read_with_the_expected_counts() {
    let subset = check_subset();
    match corpus::full() {
        Some(root) => {
            let dir = root.join("gc");
            let full = check_full(&dir);
            println!(
                "ran: the committed subset ({subset} files, exact counts) and the full corpus \
                 at {} ({full} files)",
                dir.display()
            );
        }
        None => println!(
            "ran: the committed subset only ({subset} files, exact counts); the full corpus \
             (../shared/corpus/gc or $JVMEM_CORPUS/gc) is absent"
        ),
    }
}
