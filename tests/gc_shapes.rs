//! Real-world GC log shapes that jvmem once misread (split records, interleaved lines,
//! restarts inside one file), one fixture
//! each in `samples/gc/shapes/` (see its README for where each comes from). Every test failed
//! before the grammar fix it covers (the counts in the comments are what jvmem said then).

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use jvmem::model::{Collector, GcEvent, GcKind};

fn read(name: &str) -> jvmem::gclog::GcParse {
    let path = PathBuf::from("samples/gc/shapes").join(name);
    assert!(path.is_file(), "fixture {} is missing", path.display());
    jvmem::gclog::load_paths(&[path])
}

fn kinds(p: &jvmem::gclog::GcParse) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for e in &p.events {
        *m.entry(e.kind.as_str()).or_insert(0) += 1;
    }
    m
}

fn map(pairs: &[(&'static str, usize)]) -> BTreeMap<&'static str, usize> {
    pairs.iter().copied().collect()
}

/// The pauses of one kind in ms, in log order, to 0.1 µs (what the logs print).
fn pauses_of(p: &jvmem::gclog::GcParse, kind: GcKind) -> Vec<f64> {
    p.events
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.pause_ms * 1e4).round() / 1e4)
        .collect()
}

/// The first event of a kind; the test fails without one.
fn first_of(p: &jvmem::gclog::GcParse, kind: GcKind) -> GcEvent {
    p.events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} event"))
}

/// Point 1: JDK 8 G1 phase lines at column 0 are details, not collections (was 26 young).
#[test]
fn g1_detail_lines_at_column_0_are_not_collections() {
    let p = read("handwritten/jdk8-g1-details-column0.log");
    assert_eq!(kinds(&p), map(&[("remark", 1), ("young", 2)]));
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(pauses_of(&p, GcKind::Young), vec![18.9, 12.0]);
}

/// Point 2: `[GC 46468K(83008K), 0.0039333 secs]` is a CMS initial mark or remark (was young).
#[test]
fn cms_verbose_gc_occupancy_records_are_marks() {
    let p = read("handwritten/jdk8-cms-verbose-gc.log");
    assert_eq!(
        kinds(&p),
        map(&[("initial-mark", 2), ("remark", 2), ("young", 4)])
    );
    let order: Vec<&str> = p.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        order,
        [
            "young",
            "young",
            "initial-mark",
            "young",
            "remark",
            "young",
            "initial-mark",
            "remark"
        ]
    );
}

/// Point 3: debug `Concurrent refinement …:` lines inside a young pause (were 6 `concurrent`).
#[test]
fn debug_refinement_lines_do_not_make_pauses_concurrent() {
    let p = read("jdk17-g1-gcstar-debug.log");
    assert_eq!(kinds(&p), map(&[("young", 6)]));
    let p = read("corpus-g1-debug-refinement.log");
    assert_eq!(kinds(&p), map(&[("initial-mark", 1)]));
}

/// Point 4: `[Preclean SoftReferences, … secs]` is part of a CMS preclean (was a young).
#[test]
fn preclean_reference_groups_are_not_collections() {
    let p = read("handwritten/jdk8-cms-preclean-references.log");
    assert_eq!(
        kinds(&p),
        map(&[
            ("concurrent", 1),
            ("initial-mark", 1),
            ("remark", 1),
            ("young", 1)
        ])
    );
    assert_eq!(p.info.unrecognized_lines, 0);
}

/// Point 5: the ParNew inside a scavenge-before-remark record is a young collection too
/// (only the remark was kept).
#[test]
fn scavenge_before_remark_keeps_its_young_collection() {
    let p = read("corpus-cms-scavenge-before-remark.log");
    assert_eq!(kinds(&p), map(&[("remark", 1), ("young", 1)]));
    let young = first_of(&p, GcKind::Young);
    assert_eq!(young.young_before_bytes, Some(10451 << 10));
    assert!((young.pause_ms - 0.0778).abs() < 1e-9, "{}", young.pause_ms);
}

/// Point 6 (part): a G1 pause with a root-region scan printed inside it stays one pause, and
/// the scan joins the concurrent cycle (the second pause was lost).
#[test]
fn root_region_scan_inside_a_pause_does_not_swallow_it() {
    let p = read("corpus-g1-root-region-scan-inside-pause.log");
    assert_eq!(kinds(&p).get("young"), Some(&2));
    assert_eq!(pauses_of(&p, GcKind::Young), vec![331.4995, 108.3307]);
}

/// Point 7: generational Shenandoah's old cycle (`Coalescing and filling (Old)`) is a
/// concurrent collection with its time (was `other`, no time).
#[test]
fn generational_shenandoah_old_cycle_has_its_kind_and_time() {
    let p = read("jdk25-shenandoah-generational-old-cycle.log");
    let old = p
        .events
        .iter()
        .find(|e| e.name.starts_with("Coalescing and filling"))
        .expect("old cycle");
    assert_eq!(old.kind, GcKind::Concurrent);
    assert_eq!(old.concurrent_ms, Some(1.089));
    assert!(p.events.iter().all(|e| e.kind != GcKind::Other));
    assert!(p.events.iter().all(|e| e.cause.as_deref() != Some("Young")));
}

/// Point 8: JDK 8 Shenandoah `[Pause Full 1589M->1002M(1690M), 4077.274 ms]` (was two
/// young collections of 0 ms).
#[test]
fn pauses_in_ms_with_a_space_are_read() {
    let p = read("corpus-jdk8-shenandoah-ms.log");
    assert_eq!(kinds(&p), map(&[("full", 1)]));
    let e = &p.events.to_vec()[0];
    assert_eq!(e.pause_ms, 4077.274);
    assert_eq!(e.heap_after_bytes, Some(1002 << 20));
    assert_eq!(e.collector, Collector::Shenandoah);
}

/// Point 9: logs with no collection are GC logs: 0 collections and the header's facts.
#[test]
fn logs_without_collections_are_gc_logs() {
    let p = read("jdk17-epsilon-gcstar.log");
    assert!(p.events.is_empty());
    assert!(p.info.is_gc_log());
    assert_eq!(p.info.collector, Some(Collector::Epsilon));
    assert_eq!(p.info.heap_max_bytes, Some(64 << 20));
    let p = read("jdk17-g1-header-only.log");
    assert!(p.events.is_empty() && p.info.is_gc_log());
    assert_eq!(p.info.collector, Some(Collector::G1));
    assert_eq!(p.info.heap_initial_bytes, Some(128 << 20));
    let not = jvmem::gclog::load_paths(&[PathBuf::from("README.md")]);
    assert!(!not.info.is_gc_log());
}

/// Two JVM runs in one file (a restart appended to the log) stay apart (were 5 collections,
/// max pause summed), with a warning.
#[test]
fn two_jvm_runs_in_one_log_are_not_merged() {
    {
        let mut events = Vec::new();
        let text = std::fs::read("samples/gc/shapes/jdk17-g1-two-runs.log").expect("fixture");
        let (info, diagnostics) =
            jvmem::gclog::parse_reader_with("two".into(), &text[..], &mut events);
        assert_eq!(events.len(), 9);
        assert_eq!(info.jvm_runs, 2);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.line == 7 && d.message.contains("another JVM run"))
        );
        let max = events.iter().map(|e| e.pause_ms).fold(0.0, f64::max);
        assert!(max < 120.0, "{max}");
    }
}

/// Point 5, split by `-XX:+PrintHeapAtGC` (no details): the remark's young collection opens at
/// the margin after a heap dump, and the remark ends lines later (was 2 young, no remark).
#[test]
fn scavenge_before_remark_split_by_a_heap_dump() {
    let p = read("corpus-cms-scavenge-before-remark-heapatgc.log");
    assert_eq!(kinds(&p), map(&[("remark", 1), ("young", 1)]));
    assert_eq!(pauses_of(&p, GcKind::Young), vec![122.3879]);
    assert_eq!(pauses_of(&p, GcKind::Remark), vec![232.8529]);
    let young = first_of(&p, GcKind::Young);
    assert_eq!(young.line, 12);
    assert_eq!(young.heap_after_bytes, Some(620060 << 10));
}

/// Point 5 with details, tenuring and `-XX:PrintFLSStatistics`: the young collection is its own
/// record from its own line (it was read from the remark's first line, named `GC Before GC:`).
#[test]
fn scavenge_before_remark_split_by_heap_dump_and_fls_statistics() {
    let p = read("corpus-cms-scavenge-before-remark-heapatgc-fls.log");
    assert_eq!(kinds(&p), map(&[("remark", 1), ("young", 1)]));
    let young = first_of(&p, GcKind::Young);
    assert_eq!(&*young.name, "GC");
    assert_eq!((young.line, young.uptime_s), (9, Some(12.357)));
    assert_eq!(young.young_before_bytes, Some(830688 << 10));
    assert_eq!(pauses_of(&p, GcKind::Remark), vec![178.7717]);
    assert_eq!(p.info.unrecognized_lines, 0);
}

/// Point 6: a promotion-failed ParNew cut by a concurrent phase and never completed (a
/// truncated log) is a full collection of its own; the records after it keep their own times
/// (were 3 young, all at the cut record's uptime).
#[test]
fn a_cut_record_does_not_swallow_the_records_after_it() {
    let p = read("corpus-cms-cut-promotion-failed.log");
    assert_eq!(
        kinds(&p),
        map(&[("concurrent", 1), ("full", 1), ("young", 2)])
    );
    let young: Vec<Option<f64>> = p
        .events
        .iter()
        .filter(|e| e.kind == GcKind::Young)
        .map(|e| e.uptime_s)
        .collect();
    assert_eq!(young, vec![Some(36467.891), Some(36468.221)]);
    assert_eq!(pauses_of(&p, GcKind::Young), vec![152.674, 162.62]);
}

/// Point 6: a promotion-failed ParNew interrupted by two class histograms and a concurrent
/// phase, completed 27 lines later, is one full collection (was a 0 ms young: the histogram's
/// `[C` / `[Ljava…` names unbalanced the record).
#[test]
fn a_record_interrupted_by_histograms_and_a_phase_stays_one_collection() {
    let p = read("corpus-cms-class-histogram-concurrent-mode-failure.log");
    assert_eq!(kinds(&p), map(&[("concurrent", 1), ("full", 1)]));
    let full = first_of(&p, GcKind::Full);
    assert_eq!(pauses_of(&p, GcKind::Full), vec![102335.7902]);
    assert_eq!(full.heap_after_bytes, Some(1290167 << 10));
    assert_eq!(full.old_after_bytes, Some(1290167 << 10));
    assert_eq!(p.info.unrecognized_lines, 0);
}

/// Point 6: `[Full GC (Metadata GC Threshold) [GC concurrent-root-region-scan-start]` and the
/// phases after it are one G1 concurrent cycle (the start, read only when the full collection
/// ended, split it in two).
#[test]
fn root_region_scan_inside_a_full_gc_is_one_cycle() {
    let p = read("corpus-g1-full-gc-root-region-scan.log");
    assert_eq!(kinds(&p), map(&[("concurrent", 1), ("full", 1)]));
    let cycle = first_of(&p, GcKind::Concurrent);
    assert_eq!(cycle.concurrent_ms, Some(0.2076));
    assert_eq!(pauses_of(&p, GcKind::Full), vec![1381.3895]);
}

/// Point 6: a line where two unfinished `[ParNew` starts run into a whole record is read from
/// the record's own date (was unrecognized, the collection lost).
#[test]
fn a_whole_record_after_garbage_on_its_line_is_recovered() {
    let p = read("corpus-cms-garbled-parnew.log");
    assert_eq!(kinds(&p), map(&[("young", 3)]));
    assert_eq!(p.info.unrecognized_lines, 0);
    let second = &p.events.to_vec()[1];
    assert_eq!((second.line, second.uptime_s), (2, Some(833918.729)));
    assert!(second.timestamp.is_some());
    assert_eq!(
        pauses_of(&p, GcKind::Young),
        vec![32.5135, 56.1698, 39.3509]
    );
}

/// Point 6, JDK 6 CMS with `-XX:+UseAdaptiveSizePolicy`: `[ASCMS-concurrent-…]` phases form
/// cycles and `[ASCMS … (concurrent mode failure)` makes a full collection (were 5
/// unrecognized lines and a young collection).
#[test]
fn adaptive_size_cms_phases_and_old_generation() {
    let p = read("corpus-cms-adaptive-size-policy.log");
    assert_eq!(
        kinds(&p),
        map(&[
            ("concurrent", 2),
            ("full", 1),
            ("initial-mark", 1),
            ("remark", 1),
            ("young", 9)
        ])
    );
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(pauses_of(&p, GcKind::Full), vec![26.6062]);
    let first = first_of(&p, GcKind::Concurrent);
    assert_eq!(first.concurrent_ms, Some(292.0));
}

/// `[GC …][Full GC …]` on one line: a record ends at its balancing bracket and the rest of the
/// line is read again, with its own uptime when it prints one (the count was right before,
/// through the nested-record rule, but the full collection had the young one's uptime).
#[test]
fn a_young_and_a_full_collection_on_one_line() {
    let p = read("handwritten/jdk6-serial-gc-then-full-gc-one-line.log");
    assert_eq!(kinds(&p), map(&[("full", 3), ("young", 4)]));
    let full: Vec<(u64, Option<f64>, f64)> = p
        .events
        .iter()
        .filter(|e| e.kind == GcKind::Full)
        .map(|e| (e.line, e.uptime_s, (e.pause_ms * 1e4).round() / 1e4))
        .collect();
    assert_eq!(
        full,
        vec![
            (3, Some(0.731), 74.1738),
            (4, Some(1.107), 61.2004),
            (5, Some(1.35), 90.2211)
        ]
    );
}
