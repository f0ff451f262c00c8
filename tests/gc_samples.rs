//! The shared real logs (samples/gc/jdk11, jdk17, jdk21.0.8, jdk25, rotated-jdk17-g1; see each
//! directory's commands.txt): one JVM run per collector was logged through several `-Xlog`
//! outputs at once (`gc`, `gc*`, different decorator sets, none), so every variant of a run
//! must give the same collections and pause total. Figures below were checked with grep.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jvmem::gclog::{GcParse, load_paths};
use jvmem::model::{Collector, GcKind};

use common::gc::{K, M, id, pause_sum, sample};

fn load(rel: &str) -> GcParse {
    let p = load_paths(&[sample(rel)]);
    assert_eq!(
        p.info.unrecognized_lines,
        0,
        "{rel}: {:?}",
        p.diagnostics.first()
    );
    p
}

fn kinds(p: &GcParse) -> Vec<GcKind> {
    p.events.iter().map(|e| e.kind).collect()
}

#[test]
fn every_variant_of_a_run_reads_the_same() {
    let dir = sample("");
    let mut checked = 0;
    for jdk in ["jdk11", "jdk17", "jdk21.0.8", "jdk25"] {
        let Ok(entries) = std::fs::read_dir(dir.join(jdk)) else {
            continue;
        };
        let mut logs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".log"))
            .collect();
        logs.sort();
        for log in &logs {
            // `zgc-generational-gc.log` belongs to zgc-generational, not zgc.
            let run = log
                .trim_end_matches(".log")
                .trim_end_matches("-gcstar")
                .trim_end_matches("-gc")
                .split("-deco-")
                .next()
                .unwrap_or_default()
                .to_string();
            let reference = logs
                .iter()
                .find(|l| **l == format!("{run}-gcstar.log"))
                .unwrap_or(log);
            let a = load(&format!("{jdk}/{log}"));
            let b = load(&format!("{jdk}/{reference}"));
            assert_eq!(kinds(&a), kinds(&b), "{jdk}/{log} vs {reference}");
            let ids = |p: &GcParse| p.events.iter().map(|e| e.gc_id).collect::<Vec<_>>();
            assert_eq!(ids(&a), ids(&b), "{jdk}/{log}");
            // ZGC's `-Xlog:gc` prints no pauses (they are `gc,phases`).
            if !(run.starts_with("zgc") && log.ends_with("-gc.log")) {
                assert_eq!(pause_sum(&a), pause_sum(&b), "{jdk}/{log} vs {reference}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} logs");
}

#[test]
fn cms_jdk11_cycle_young_and_full() {
    let p = load("jdk11/cms-gcstar.log");
    assert_eq!(p.info.collector, Some(Collector::Cms));
    assert_eq!(p.events.len(), 30);
    assert_eq!(pause_sum(&p), 195.726);
    // GC(20): Pause Initial Mark 48M->48M(123M) 1.032ms, Concurrent Mark 1.040ms, Preclean
    // 0.087ms, Abortable Preclean 401.447ms, Pause Remark 69M->69M(123M) 1.775ms, Sweep 0.355ms,
    // Reset 0.069ms
    let cycle = id(&p, 20);
    assert_eq!(cycle.kind, GcKind::Concurrent);
    assert_eq!(cycle.pause_ms, 2.807);
    assert_eq!(cycle.concurrent_ms, Some(402.998));
    assert_eq!(
        (cycle.heap_before_bytes, cycle.heap_after_bytes),
        (Some(48 * M), Some(69 * M))
    );
    // GC(11): ParNew: 5857K->0K(39296K), CMS: 28028K->25639K(87424K), Metaspace: 4687K->4687K,
    // Pause Full (System.gc()) 33M->25M(123M) 13.644ms
    let full = id(&p, 11);
    assert_eq!(full.kind, GcKind::Full);
    assert_eq!(full.cause.as_deref(), Some("System.gc()"));
    assert_eq!(
        (full.young_before_bytes, full.young_after_bytes),
        (Some(5857 * K), Some(0))
    );
    assert_eq!(
        (full.old_before_bytes, full.old_after_bytes),
        (Some(28028 * K), Some(25639 * K))
    );
    assert_eq!(full.metaspace_after_bytes, Some(4687 * K));
    assert_eq!(full.pause_ms, 13.644);
    // GC(19): ParNew: 38144K->2944K(39296K), CMS: 41646K->44719K(87424K), 77M->46M(123M) 6.218ms
    let young = id(&p, 19);
    assert_eq!(
        (young.old_before_bytes, young.old_after_bytes),
        (Some(41646 * K), Some(44719 * K))
    );
    assert_eq!(young.heap_after_bytes, Some(46 * M));
}

#[test]
fn g1_jdk17_xlog_gc_cycles_mixed_and_full() {
    let p = load("jdk17/g1-gc.log");
    assert_eq!(p.events.len(), 36);
    assert_eq!(pause_sum(&p), 106.861);
    assert_eq!(id(&p, 20).kind, GcKind::InitialMark);
    // GC(21): Pause Remark 0.648ms, Pause Cleanup 0.046ms, Concurrent Mark Cycle 3.875ms
    let cycle = id(&p, 21);
    assert_eq!(cycle.kind, GcKind::Concurrent);
    assert_eq!(cycle.name.as_ref(), "Concurrent Mark Cycle");
    assert_eq!(cycle.pause_ms, 0.694);
    assert_eq!(cycle.concurrent_ms, Some(3.875));
    let full = id(&p, 22);
    assert_eq!(full.kind, GcKind::Full);
    assert_eq!(
        (
            full.heap_before_bytes,
            full.heap_after_bytes,
            full.heap_capacity_bytes
        ),
        (Some(79 * M), Some(43 * M), Some(107 * M))
    );
    assert_eq!(
        id(&p, 25).kind,
        GcKind::Young,
        "Prepare Mixed is a young pause"
    );
    assert_eq!(id(&p, 26).kind, GcKind::Mixed);
}

#[test]
fn zgc_generational_jdk21() {
    let p = load("jdk21.0.8/zgc-generational-gcstar.log");
    assert_eq!(p.events.len(), 24);
    assert_eq!(
        p.events.iter().filter(|e| e.kind == GcKind::Young).count(),
        8
    );
    // 110 `Y:`/`O:`/`y:` pause lines
    assert_eq!(pause_sum(&p), 1.369);
    // GC(0) Major Collection (Warmup) 16M(12%)->8M(6%) 0.017s
    let e = id(&p, 0);
    assert_eq!(
        (e.heap_before_bytes, e.heap_after_bytes),
        (Some(16 * M), Some(8 * M))
    );
    assert_eq!(e.concurrent_ms, Some(17.0));
    assert_eq!(p.info.jvm_version.as_deref(), Some("21.0.8+9-LTS"));
}

#[test]
fn shenandoah_jdk25_xlog_gc() {
    let p = load("jdk25/shenandoah-gc.log");
    assert_eq!(p.info.collector, Some(Collector::Shenandoah));
    assert_eq!(p.events.len(), 34);
    // 96 pause lines
    assert_eq!(pause_sum(&p), 6.314);
}

#[test]
fn rotated_set_with_wrapped_numbering() {
    // filecount=5: gc.log.0 … gc.log.4 hold the older parts (oldest first here), gc.log is
    // being written; the set starts in the middle of GC(277) and ends at GC(565).
    let p = load("rotated-jdk17-g1");
    let names: Vec<String> = p
        .info
        .sources
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "gc.log.0", "gc.log.1", "gc.log.2", "gc.log.3", "gc.log.4", "gc.log"
        ]
    );
    // 289 distinct ids; 334 pause lines
    assert_eq!(p.events.len(), 289);
    assert_eq!(pause_sum(&p), 315.469);
    let ids: Vec<u64> = p.events.iter().filter_map(|e| e.gc_id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "one event per id, in order"
    );
}
