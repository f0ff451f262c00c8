//! Unified logging (JDK 9–25): real logs from JDK 11, 17, 21 and 25, every collector, several
//! decorator sets (`uptime,level,tags` default, `uptime,tid`, `none`, `utctime,level,tags`,
//! `time,uptimenanos,level,tags,hostname`, `uptimemillis,pid`), `-Xlog:gc` and `-Xlog:gc*`, a
//! rotated set. Expected figures were checked by hand with grep on the files.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use jvmem::analysis::gc_summary::GcSummary;
use jvmem::gclog::{GcParse, load_paths, parse_str};
use jvmem::model::GcLogFormat;
use jvmem::model::{Collector, GcKind};

use common::gc::{K, M, id, pause_sum, sample};

fn load(rel: &str) -> GcParse {
    let p = load_paths(&[sample(rel)]);
    assert_eq!(p.info.format, Some(GcLogFormat::Unified), "{rel}");
    assert_eq!(
        p.info.unrecognized_lines,
        0,
        "{rel}: {:?}",
        p.diagnostics.first()
    );
    p
}

fn count(p: &GcParse, kind: GcKind) -> usize {
    p.events.iter().filter(|e| e.kind == kind).count()
}

#[test]
fn g1_jdk11_xlog_gc_default_decorators() {
    let p = load("unified-small/jdk11-g1-gc.log");
    assert_eq!(p.info.collector, Some(Collector::G1));
    assert_eq!(p.events.len(), 14);
    assert_eq!(count(&p, GcKind::Young), 14);
    assert_eq!(pause_sum(&p), 37.524);
    // [0.821s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 75M->2M(128M) 3.033ms
    let e = id(&p, 1);
    assert_eq!(e.line, 3);
    assert_eq!(e.uptime_s, Some(0.821));
    assert_eq!(
        (
            e.heap_before_bytes,
            e.heap_after_bytes,
            e.heap_capacity_bytes
        ),
        (Some(75 * M), Some(2 * M), Some(128 * M))
    );
    assert_eq!(e.pause_ms, 3.033);
    assert_eq!(e.cause.as_deref(), Some("G1 Evacuation Pause"));
}

#[test]
fn g1_jdk17_gc_star_regions_and_archive() {
    let p = load("bench/g1-jdk17-gcstar-time-uptime-level-tags.log");
    assert_eq!(
        p.info.jvm_version.as_deref(),
        Some("17.0.15+6-Debian-1deb12u1")
    );
    assert_eq!(p.info.region_size_bytes, Some(M));
    assert_eq!(p.events.len(), 30);
    // GC(5): Eden 145->0, Survivor 8->10, Old 0->0, Archive 2->2, Humongous 0->0,
    // Metaspace: 462K(576K)->462K(576K), Pause Young (Normal) (G1 Evacuation Pause) 153M->10M(256M) 2.084ms
    let e = id(&p, 5);
    assert_eq!(e.line, 95);
    assert_eq!(
        e.name.as_ref(),
        "Pause Young (Normal) (G1 Evacuation Pause)"
    );
    assert_eq!(e.pause_ms, 2.084);
    assert_eq!(
        (e.heap_before_bytes, e.heap_after_bytes),
        (Some(153 * M), Some(10 * M))
    );
    assert_eq!(
        (e.young_before_bytes, e.young_after_bytes),
        (Some(153 * M), Some(10 * M))
    );
    assert_eq!(
        (e.old_before_bytes, e.old_after_bytes),
        (Some(2 * M), Some(2 * M))
    );
    assert_eq!(e.metaspace_after_bytes, Some(462 * K));
    assert_eq!(
        e.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-26T07:26:13.148+00:00")
    );
}

#[test]
fn g1_jdk25_gc_star_tags_first() {
    let p = load("unified-small/jdk25-g1-gcstar.log");
    assert_eq!(p.info.jvm_version.as_deref(), Some("25.0.2+10-LTS"));
    assert_eq!(p.events.len(), 14);
    let e = id(&p, 3);
    assert_eq!(e.pause_ms, 6.773);
    assert_eq!(
        (e.heap_before_bytes, e.heap_after_bytes),
        (Some(75 * M), Some(5 * M))
    );
    assert_eq!(
        (e.young_before_bytes, e.young_after_bytes),
        (Some(76 * M), Some(6 * M))
    );
    assert_eq!(e.metaspace_before_bytes, Some(5836 * K));
}

#[test]
fn parallel_jdk17_uptime_tid() {
    let p = load("unified-small/jdk17-parallel-gcstar-uptime-tid.log");
    assert_eq!(p.info.collector, Some(Collector::Parallel));
    assert_eq!(p.events.len(), 29);
    assert_eq!(pause_sum(&p), 86.818);
    // PSYoungGen: 36887K(37376K)->4512K(37376K) … ParOldGen: 8K(87552K)->8K(87552K)
    // Pause Young (Allocation Failure) 36M->4M(122M) 2.545ms
    let e = id(&p, 5);
    assert_eq!(
        (e.young_before_bytes, e.young_after_bytes),
        (Some(36887 * K), Some(4512 * K))
    );
    assert_eq!(
        (e.old_before_bytes, e.old_after_bytes),
        (Some(8 * K), Some(8 * K))
    );
    assert_eq!(e.heap_capacity_bytes, Some(122 * M));
    assert_eq!(e.metaspace_after_bytes, Some(482 * K));
    assert_eq!(e.pause_ms, 2.545);
    assert_eq!(e.uptime_s, Some(1.322));
}

#[test]
fn serial_jdk17_without_decorators() {
    let p = load("unified-small/jdk17-serial-gcstar-none.log");
    assert_eq!(p.info.collector, Some(Collector::Serial));
    assert_eq!(p.events.len(), 27);
    assert_eq!(pause_sum(&p), 31.582);
    // DefNew: 37357K(39296K)->2432K(39296K), Tenured: 7421K(87424K)->8317K(87424K), 43M->10M(123M) 1.118ms
    let e = id(&p, 13);
    assert_eq!(
        (e.young_before_bytes, e.young_after_bytes),
        (Some(37357 * K), Some(2432 * K))
    );
    assert_eq!(
        (e.old_before_bytes, e.old_after_bytes),
        (Some(7421 * K), Some(8317 * K))
    );
    assert_eq!(
        (
            e.heap_before_bytes,
            e.heap_after_bytes,
            e.heap_capacity_bytes
        ),
        (Some(43 * M), Some(10 * M), Some(123 * M))
    );
    assert_eq!(e.pause_ms, 1.118);
    assert_eq!(e.uptime_s, None);
}

#[test]
fn zgc_generational_jdk21_minor_and_major() {
    let p = load("unified-small/jdk21-zgc-gen-gcstar.log");
    assert_eq!(p.info.collector, Some(Collector::Zgc));
    assert_eq!(p.events.len(), 16);
    assert_eq!(count(&p, GcKind::Young), 9);
    assert_eq!(count(&p, GcKind::Concurrent), 7);
    // 62 `Y:`/`O:`/`y:` pause lines (grep "GC([0-9]*) [YOyo]: Pause.*ms$")
    assert_eq!(pause_sum(&p), 0.669);
    // Y: Pause Mark Start 0.023 + Y: Pause Mark End 0.015 + Y: Pause Relocate Start 0.016
    // + O: Pause Mark End 0.011 + O: Pause Relocate Start 0.014; Major Collection (Warmup) 16M(12%)->8M(6%) 0.028s
    let e = id(&p, 0);
    assert_eq!(e.name.as_ref(), "Major Collection (Warmup)");
    assert_eq!(e.pause_ms, 0.079);
    assert_eq!(e.concurrent_ms, Some(28.0));
    assert_eq!(
        (
            e.heap_before_bytes,
            e.heap_after_bytes,
            e.heap_capacity_bytes
        ),
        (Some(16 * M), Some(8 * M), Some(128 * M))
    );
    assert!(e.timestamp.is_some() && e.uptime_s.is_none());
    assert_eq!(id(&p, 3).kind, GcKind::Young);
}

#[test]
fn zgc_single_generation_jdk21_xlog_gc() {
    let p = load("unified-small/jdk21-zgc-single-gc.log");
    assert_eq!(p.events.len(), 16);
    assert_eq!(count(&p, GcKind::Concurrent), 16);
    assert_eq!(id(&p, 0).uptime_s, Some(0.28));
}

#[test]
fn zgc_jdk25_many_decorators() {
    let p = load("unified-small/jdk25-zgc-gcstar.log");
    assert_eq!(p.events.len(), 17);
    assert_eq!(id(&p, 0).uptime_s, Some(0.224460975));
}

#[test]
fn shenandoah_jdk25_and_jdk11() {
    let p = load("unified-small/jdk25-shenandoah-gc.log");
    assert_eq!(p.info.collector, Some(Collector::Shenandoah));
    assert_eq!(p.events.len(), 14);
    // Pause Init Mark 0.017 + Pause Final Mark 0.043; nine concurrent phases sum to 3.282;
    // Concurrent cleanup (unload classes) 32M->2M(128M)
    let e = id(&p, 0);
    assert_eq!(e.pause_ms, 0.06);
    assert_eq!(e.concurrent_ms, Some(3.282));
    assert_eq!(
        (
            e.heap_before_bytes,
            e.heap_after_bytes,
            e.heap_capacity_bytes
        ),
        (Some(32 * M), Some(2 * M), Some(128 * M))
    );
    assert_eq!(e.kind, GcKind::Concurrent);

    let p = load("unified-small/jdk11-shenandoah-gcstar.log");
    assert_eq!(p.events.len(), 13);
    assert_eq!(pause_sum(&p), 4.049);
}

#[test]
fn rotated_set_joins_the_collection_cut_by_rotation() {
    let dir = sample("unified-small/jdk17-g1-rotated");
    let p = load_paths(std::slice::from_ref(&dir));
    assert_eq!(p.info.sources.len(), 4);
    assert_eq!(p.info.unrecognized_lines, 0);
    assert_eq!(p.events.len(), 15);
    assert_eq!(count(&p, GcKind::Young), 15);
    assert_eq!(pause_sum(&p), 42.775);
    let ids: Vec<u64> = p.events.iter().filter_map(|e| e.gc_id).collect();
    assert_eq!(ids, (0..15).collect::<Vec<u64>>());
    // GC(4) starts at the end of gc.log.0 and ends in gc.log.1.
    let e = id(&p, 4);
    assert!(e.source.ends_with("gc.log.0"));
    assert!(e.pause_ms > 0.0 && e.heap_after_bytes.is_some() && e.young_after_bytes.is_some());
}

#[test]
fn corpus_g1_cycle_is_one_event_with_its_pauses() {
    let path =
        common::corpus::file("gc/gcviewer/unified-jvm-logging/sample-ujl-g1-gc-defaults.txt");
    let p = load_paths(&[path]);
    assert_eq!(p.events.len(), 9);
    // GC(6) Pause Remark 121M->121M(128M) 0.837ms, Pause Cleanup 9M->9M(28M) 0.001ms, Concurrent Cycle 42.463ms
    let cycle = id(&p, 6);
    assert_eq!(cycle.kind, GcKind::Concurrent);
    assert_eq!(cycle.pause_ms, 0.838);
    assert_eq!(cycle.concurrent_ms, Some(42.463));
    assert_eq!(
        (cycle.heap_before_bytes, cycle.heap_after_bytes),
        (Some(121 * M), Some(9 * M))
    );
    assert_eq!(id(&p, 5).kind, GcKind::InitialMark);
    assert_eq!(id(&p, 14).kind, GcKind::Full);
    assert_eq!(id(&p, 50).kind, GcKind::Mixed);
}

#[test]
fn summary_of_a_real_log() {
    let p = load("unified-small/jdk17-parallel-gcstar-uptime-tid.log");
    let s = GcSummary::from_events(&p.events, &p.info);
    assert_eq!(s.events, 29);
    assert_eq!(s.pause_total_ms, 86.818);
    assert_eq!(s.collector, Some(Collector::Parallel));
    assert!(s.throughput_percent.is_some_and(|t| t > 90.0 && t < 100.0));
    assert!(s.allocation_rate_bytes_per_s.is_some());
}

#[test]
fn garbage_and_truncation_never_panic() {
    let text = std::fs::read_to_string(sample("unified-small/jdk21-zgc-gen-gcstar.log"))
        .unwrap_or_default();
    for cut in (0..text.len()).step_by(997) {
        let head = text.get(..cut).unwrap_or("");
        let _ = parse_str(Arc::from("t"), head);
    }
    let junk = "\u{0}\u{ff}[[[[]]]GC(GC(99999999999999999999999) Pause 1->(((((\n->->->\n[0.1s] GC(1) Pause Young 9999999999999999999999T->0B(1B) 1e309ms\n";
    let p = parse_str(Arc::from("junk"), junk);
    assert!(p.events.len() <= 2);
}
