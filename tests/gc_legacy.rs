//! Legacy (JDK ≤ 8) logs: hand-written fixtures under samples/gc/jdk8-handwritten with every
//! figure checked by hand, a rotated set, and a few real logs from the public corpus (the copies
//! committed in tests/corpus).

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jvmem::gclog::{GcParse, load_paths};
use jvmem::model::GcLogFormat;
use jvmem::model::{Collector, GcEvent, GcKind};

use common::corpus;
use common::gc::{K, M, sample};

fn load(rel: &str) -> GcParse {
    load_paths(&[sample(rel)])
}

fn kinds(events: &[GcEvent]) -> Vec<GcKind> {
    events.iter().map(|e| e.kind).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn parallel_with_datestamps_and_causes() {
    let p = load("jdk8-handwritten/parallel-datestamps-cause.log");
    assert_eq!(p.info.format, Some(GcLogFormat::Legacy));
    assert_eq!(p.info.collector, Some(Collector::Parallel));
    assert_eq!(p.info.jvm_version.as_deref(), Some("1.8.0_202-b08"));
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(
        kinds(&p.events.to_vec()),
        [GcKind::Young, GcKind::Young, GcKind::Full]
    );
    let full = &p.events.to_vec()[2];
    assert_eq!(full.line, 6);
    assert_eq!(full.cause.as_deref(), Some("Ergonomics"));
    assert_eq!(full.name.as_ref(), "Full GC (Ergonomics)");
    assert!(close(full.pause_ms, 50.0));
    assert_eq!(full.heap_before_bytes, Some(20480 * K));
    assert_eq!(full.heap_after_bytes, Some(15360 * K));
    assert_eq!(full.heap_capacity_bytes, Some(251392 * K));
    assert_eq!(full.old_after_bytes, Some(15360 * K));
    assert_eq!(full.metaspace_after_bytes, Some(3072 * K));
    assert_eq!(full.uptime_s, Some(3.0));
    assert_eq!(
        full.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-03-01T10:00:03+00:00")
    );
    let total: f64 = p.events.iter().map(|e| e.pause_ms).sum();
    assert!(close(total, 80.0));
}

#[test]
fn cms_cycle_with_interleaved_preclean_and_concurrent_mode_failure() {
    let p = load("jdk8-handwritten/cms-interleaved.log");
    assert_eq!(p.info.collector, Some(Collector::Cms));
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(
        kinds(&p.events.to_vec()),
        [
            GcKind::Young,
            GcKind::InitialMark,
            GcKind::Concurrent,
            GcKind::Young,
            GcKind::Remark,
            GcKind::Full
        ]
    );
    // The ParNew line cut by the abortable preclean is still one young collection.
    let cut = &p.events.to_vec()[3];
    assert_eq!(cut.line, 14);
    assert_eq!(cut.young_before_bytes, Some(78656 * K));
    assert_eq!(cut.heap_after_bytes, Some(120000 * K));
    assert!(close(cut.pause_ms, 11.0));
    // mark 48 + preclean 2 + abortable preclean 53 + sweep 44 + reset 2 (wall times)
    let cycle = &p.events.to_vec()[2];
    assert_eq!(
        cycle.concurrent_ms.map(|v| (v * 1000.0).round() / 1000.0),
        Some(149.0)
    );
    assert_eq!(cycle.pause_ms, 0.0);
    let initial = &p.events.to_vec()[1];
    assert_eq!(initial.heap_before_bytes, Some(110000 * K));
    assert_eq!(initial.heap_capacity_bytes, Some(253440 * K));
    // Concurrent mode failure: a young collection that fell back to the old generation.
    let failure = &p.events.to_vec()[5];
    assert_eq!(failure.old_before_bytes, Some(150000 * K));
    assert_eq!(failure.old_after_bytes, Some(60000 * K));
    assert!(close(failure.pause_ms, 200.1));
}

#[test]
fn g1_details_eden_line_and_cycle() {
    let p = load("jdk8-handwritten/g1-details.log");
    assert_eq!(p.info.collector, Some(Collector::G1));
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(
        kinds(&p.events.to_vec()),
        [
            GcKind::Young,
            GcKind::InitialMark,
            GcKind::Concurrent,
            GcKind::Remark,
            GcKind::Cleanup,
            GcKind::Mixed
        ]
    );
    let young = &p.events.to_vec()[0];
    assert_eq!(young.heap_before_bytes, Some(24 * M));
    assert_eq!(young.heap_after_bytes, Some(6144 * K));
    assert_eq!(young.heap_capacity_bytes, Some(256 * M));
    assert_eq!(young.young_before_bytes, Some(24 * M));
    assert_eq!(young.young_after_bytes, Some(4 * M));
    assert_eq!(young.cause.as_deref(), Some("G1 Evacuation Pause"));
    assert_eq!(
        p.events.to_vec()[1].cause.as_deref(),
        Some("G1 Humongous Allocation")
    );
    assert_eq!(
        p.events.to_vec()[2]
            .concurrent_ms
            .map(|v| (v * 1000.0).round() / 1000.0),
        Some(47.0)
    );
    assert_eq!(p.events.to_vec()[4].heap_after_bytes, Some(90 * M));
    let pauses: f64 = p.events.iter().map(|e| e.pause_ms).sum();
    assert!(close(pauses, 5.0 + 4.0 + 3.0 + 1.0 + 8.0));
}

#[test]
fn serial_with_heap_at_gc_dumps() {
    let p = load("jdk8-handwritten/serial-heapatgc.log");
    assert_eq!(p.info.collector, Some(Collector::Serial));
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(kinds(&p.events.to_vec()), [GcKind::Young, GcKind::Full]);
    assert_eq!(p.events.to_vec()[0].young_after_bytes, Some(2176 * K));
    assert_eq!(p.events.to_vec()[1].old_after_bytes, Some(7000 * K));
    assert_eq!(p.events.to_vec()[1].cause.as_deref(), Some("System.gc()"));
}

#[test]
fn rotated_set_reads_in_time_order_whatever_the_argument_order() {
    let dir = sample("jdk8-handwritten/rotated");
    let by_dir = load_paths(std::slice::from_ref(&dir));
    let reversed = load_paths(&[
        dir.join("gc.log.2.current"),
        dir.join("gc.log.1"),
        dir.join("gc.log.0"),
    ]);
    for p in [&by_dir, &reversed] {
        let uptimes: Vec<Option<f64>> = p.events.iter().map(|e| e.uptime_s).collect();
        assert_eq!(uptimes, [Some(1.0), Some(2.0), Some(3.0), Some(4.0)]);
        assert_eq!(p.info.sources.len(), 3);
        assert_eq!(p.info.unrecognized_lines, 0, "{:?}", p.diagnostics);
        assert_eq!(p.events.to_vec()[3].kind, GcKind::Full);
    }
}

#[test]
fn real_cms_log_with_concurrent_mode_failure() {
    let path = corpus::file("gc/gcviewer/SampleSun1_6_0CMS.txt");
    let p = load_paths(&[path]);
    assert_eq!(p.info.unrecognized_lines, 0);
    let first = &p.events.to_vec()[0];
    // 0.294: [GC 0.294: [ParNew: 104960K->13042K(118016K), 0.0284337 secs] 104960K->34501K(249088K), 0.0285898 secs]
    assert_eq!(first.young_before_bytes, Some(104960 * K));
    assert_eq!(first.heap_after_bytes, Some(34501 * K));
    assert!(close(first.pause_ms, 28.5898));
    // 0.769: … (concurrent mode failure): 91890K->20323K(131072K), 0.0186232 secs] 209896K->20323K(249088K)
    let failure = p
        .events
        .iter()
        .find(|e| e.line == 12)
        .expect("record at line 12");
    assert_eq!(failure.kind, GcKind::Full);
    assert_eq!(failure.old_before_bytes, Some(91890 * K));
    assert_eq!(failure.old_after_bytes, Some(20323 * K));
}

#[test]
fn real_parallel_log_with_heap_at_gc() {
    let path = corpus::file("gc/gcviewer/SampleSun1_8_0ParallelPrintHeapAtGC.txt");
    let p = load_paths(&[path]);
    assert_eq!(p.events.len(), 1);
    let e = &p.events.to_vec()[0];
    // 2.998: [GC (System.gc()) [PSYoungGen: 26428K->4457K(154112K)] 26428K->4461K(502272K), 0.0103603 secs]
    assert_eq!(e.cause.as_deref(), Some("System.gc()"));
    assert_eq!(e.heap_after_bytes, Some(4461 * K));
    assert_eq!(e.heap_capacity_bytes, Some(502272 * K));
    assert!(close(e.pause_ms, 10.3603));
    assert_eq!(p.info.unrecognized_lines, 0);
}
