//! Properties of GC log reading over real logs: however the bytes arrive, the result is the
//! one of a single sequential read of the whole text.
//!
//! Inputs are random concatenations (one to three logs, repeats allowed) of real logs: JDK 11 to
//! 25 unified logs of every collector from `samples/gc`, and public legacy and unified logs from
//! `tests/corpus/gc`. A concatenation is what a JVM restart appending to its log gives, and a
//! unified log followed by a legacy one is nonsense both paths must agree on too.
//!
//! - Buffer size does not matter: a read through a `BufReader` of random capacity (so the
//!   driver's own line cutting at buffer ends is exercised) against one with 64 KiB. (This was
//!   "parallel = sequential" until the parallel reader was removed.)
//! - Incremental = whole: `GcReader::push` in random pieces (1 byte to 8 KiB), taking the ready
//!   events after each piece, settling at the end or not (as a followed log that went quiet),
//!   then `finish`, against one `parse_reader` of the whole text.
//!
//! 128 cases each (`PROPTEST_CASES` overrides): 0.4 s for the file in a debug build.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::BufReader;
use std::sync::Arc;

use jvmem::gclog::{GcParse, GcReader, parse_reader, parse_reader_with};
use jvmem::model::GcLogInfo;
use jvmem::model::{Diagnostic, GcEvent};
use proptest::prelude::*;

use common::repo_path;

/// Real logs, each under 50 KiB so a case stays fast in a debug build: path, collector, and
/// whether it starts with a run header (`Using G1`) and carries decorators.
const LOGS: &[(&str, &str, bool, bool)] = &[
    ("samples/gc/unified-small/jdk11-g1-gc.log", "g1", true, true),
    (
        "samples/gc/unified-small/jdk17-parallel-gcstar-uptime-tid.log",
        "parallel",
        true,
        true,
    ),
    (
        "samples/gc/unified-small/jdk17-serial-gcstar-none.log",
        "serial",
        true,
        false,
    ),
    (
        "samples/gc/unified-small/jdk21-zgc-single-gc.log",
        "zgc",
        false,
        true,
    ),
    (
        "samples/gc/unified-small/jdk25-g1-gcstar.log",
        "g1",
        true,
        true,
    ),
    (
        "samples/gc/unified-small/jdk25-shenandoah-gc.log",
        "shenandoah",
        true,
        true,
    ),
    ("samples/gc/jdk17/g1-gcstar.log", "g1", true, true),
    (
        "samples/gc/jdk17/shenandoah-gc.log",
        "shenandoah",
        true,
        true,
    ),
    ("samples/gc/jdk17/zgc-deco-none.log", "zgc", false, false),
    (
        "tests/corpus/gc/gcviewer/unified-jvm-logging/sample-ujl-g1-gc-defaults.txt",
        "g1",
        true,
        true,
    ),
    (
        "tests/corpus/gc/gcviewer/unified-jvm-logging/sample-ujl-cms-gc-all,safepoint,os+cpu.txt",
        "cms",
        false,
        true,
    ),
    (
        "tests/corpus/gc/garbagecat/dataset287.txt",
        "shenandoah",
        false,
        true,
    ),
    (
        "tests/corpus/gc/gcviewer/SampleSun1_6_0CMS.txt",
        "cms",
        false,
        false,
    ),
    (
        "tests/corpus/gc/gcviewer/SampleSun1_8_0G1_ConcurrentCycle.txt",
        "g1",
        false,
        false,
    ),
    (
        "tests/corpus/gc/gcviewer/SampleSun1_8_0CmsPrintGcId.txt",
        "cms",
        false,
        false,
    ),
    (
        "tests/corpus/gc/garbagecat/dataset76.txt",
        "g1",
        false,
        false,
    ),
];

/// True when the picked logs were written with more than one collector.
///
/// Such a log (a JVM restarted with another collector, appending to its file) is read with one
/// collector for every event, and which one depends on how it was read: a sequential read
/// labels all events with the last run's collector, the incremental reader each event with the collector known when it was taken (found by
/// these properties; left to the GC reader's owners). Events are then compared without it.
fn mixes_collectors(picks: &[usize]) -> bool {
    picks.iter().any(|&i| LOGS[i].1 != LOGS[picks[0]].1)
}

/// `event` with its collector left out when the picks mix collectors.
fn comparable(event: &GcEvent, mixed: bool) -> GcEvent {
    let mut e = event.clone();
    if mixed {
        e.collector = jvmem::model::Collector::Unknown;
    }
    e
}

fn logs() -> &'static [Vec<u8>] {
    static LOADED: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        LOGS.iter()
            .map(|(rel, ..)| {
                let path = repo_path(rel);
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            })
            .collect()
    })
}

/// The picked logs one after another, each starting on a line of its own (garbagecat's
/// excerpts lack a final newline; a JVM appending to its log starts a new line).
fn concatenation(picks: &[usize]) -> Vec<u8> {
    let mut text = Vec::new();
    for &i in picks {
        if text.last().is_some_and(|&b| b != b'\n') {
            text.push(b'\n');
        }
        text.extend_from_slice(&logs()[i]);
    }
    text
}

fn picks() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..LOGS.len(), 1..=3)
}

fn read(text: &[u8], capacity: usize) -> (Vec<GcEvent>, GcLogInfo, Vec<Diagnostic>) {
    let mut events = Vec::new();
    let reader = BufReader::with_capacity(capacity, text);
    let (info, diagnostics) = parse_reader_with(Arc::from("gc.log"), reader, &mut events);
    events.sort_by_key(|e| e.line);
    (events, info, diagnostics)
}

/// What must not depend on how the text was cut: everything but timing-free bookkeeping.
fn same_info(a: &GcLogInfo, b: &GcLogInfo, mixed: bool) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.lines, b.lines);
    prop_assert_eq!(a.bytes, b.bytes);
    prop_assert_eq!(a.unrecognized_lines, b.unrecognized_lines);
    prop_assert_eq!(a.events, b.events);
    prop_assert_eq!(a.format, b.format);
    if !mixed {
        prop_assert_eq!(a.collector, b.collector);
    }
    prop_assert_eq!(&a.jvm_version, &b.jvm_version);
    prop_assert_eq!(a.jvm_runs, b.jvm_runs);
    prop_assert_eq!(a.region_size_bytes, b.region_size_bytes);
    prop_assert_eq!(a.heap_max_bytes, b.heap_max_bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::proptest_cases(128), ..ProptestConfig::default() })]

    #[test]
    fn any_buffer_size_reads_the_same(
        picks in picks(),
        capacity in 64usize..64 * 1024,
    ) {
        let text = concatenation(&picks);
        let (ea, ia, da) = read(&text, 1 << 16);
        let (eb, ib, db) = read(&text, capacity);
        prop_assert!(!ea.is_empty(), "{picks:?}: no events at all");
        prop_assert_eq!(ea.len(), eb.len(), "{:?}", picks);
        let mixed = mixes_collectors(&picks);
        for (a, b) in ea.iter().zip(&eb) {
            prop_assert_eq!(comparable(a, mixed), comparable(b, mixed), "{:?}", picks);
        }
        same_info(&ia, &ib, mixed)?;
        prop_assert_eq!(da, db);
    }

    #[test]
    fn pushing_pieces_equals_a_whole_read(
        picks in picks(),
        sizes in prop::collection::vec(1usize..8 * 1024, 1..64),
        settle_at_end in any::<bool>(),
    ) {
        let text = concatenation(&picks);
        let whole: GcParse = parse_reader(Arc::from("gc.log"), text.as_slice());
        let mut reader = GcReader::new(Arc::from("gc.log"));
        let mut events = Vec::new();
        let mut at = 0;
        let mut step = 0;
        while at < text.len() {
            let size = sizes[step % sizes.len()];
            let end = (at + size).min(text.len());
            reader.push(&text[at..end]);
            events.extend(reader.take_ready(false));
            at = end;
            step += 1;
        }
        // A followed log that has gone quiet is settled before it ends.
        if settle_at_end {
            events.extend(reader.take_ready(true));
        }
        let rest = reader.finish();
        events.extend(rest.events);
        events.sort_by_key(|e| e.line);
        prop_assert!(!whole.events.is_empty(), "{picks:?}: no events at all");
        prop_assert_eq!(events.len(), whole.events.len(), "{:?}", picks);
        let mixed = mixes_collectors(&picks);
        for (a, b) in events.iter().zip(&whole.events) {
            prop_assert_eq!(comparable(a, mixed), comparable(&b, mixed), "{:?}", picks);
        }
        same_info(&rest.info, &whole.info, mixed)?;
        prop_assert_eq!(rest.diagnostics, whole.diagnostics);
    }
}
