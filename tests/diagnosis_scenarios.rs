//! Real JVM recordings (samples/scenarios/<mode>-jdk<NN>-<gc>/: nmt.log every 3 s, gc.log,
//! rss.log, cmd.txt): each leak scenario must name exactly its leak, the steady controls nothing.
//!
//! Every scenario directory present is checked, so recordings added later are covered too.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/eval.rs"]
mod eval;

use std::path::Path;

use jvmem::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE;
use jvmem::analysis::{DiagnoseOptions, Diagnosis, SuspectKind, diagnose};

use eval::{Recording, mode_of};

fn scenarios() -> Vec<Recording> {
    let dirs = eval::recordings(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios"));
    // All of them, or a test over them could pass having checked none.
    let expected: usize = MODES.iter().map(|(_, n)| n).sum();
    let names: Vec<&str> = dirs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(dirs.len(), expected, "samples/scenarios: {names:?}");
    dirs
}

/// Old-generation collections (full, mixed, concurrent cycles) in the GC log: only across
/// those does heap-after-GC show the live set.
fn old_gen_collections(timeline: &jvmem::model::Timeline) -> usize {
    use jvmem::model::GcKind;
    timeline
        .gc_events
        .iter()
        .filter(|e| matches!(e.kind, GcKind::Full | GcKind::Mixed | GcKind::Concurrent))
        .count()
}

fn run(dir: &Path) -> (Diagnosis, usize) {
    let paths = vec![
        dir.join("nmt.log").to_string_lossy().into_owned(),
        dir.join("gc.log").to_string_lossy().into_owned(),
    ];
    let timeline = jvmem::input::load(&paths);
    let options = DiagnoseOptions {
        limit_bytes: Some(1 << 30),
        ..DiagnoseOptions::default()
    };
    (
        diagnose(&timeline, &options),
        old_gen_collections(&timeline),
    )
}

/// The kinds named with at least the default `--min-confidence`. Below it a suspect is
/// "not sure": the only one these recordings give is the old generation rising after young
/// pauses with no old-generation collection in the window (may be garbage), checked below.
fn kinds(d: &Diagnosis) -> Vec<SuspectKind> {
    d.failing(DEFAULT_MIN_CONFIDENCE).map(|s| s.kind).collect()
}

/// The recordings, by mode: 4 of each (JDK 17 and 21, G1 and Parallel) and the demo.
const MODES: &[(&str, usize)] = &[
    ("class-leak", 4),
    ("demo", 1),
    ("direct-leak", 4),
    ("heap-leak", 4),
    ("steady", 4),
    ("thread-leak", 4),
];

#[test]
fn every_mode_has_its_recordings() {
    let mut found: Vec<(String, usize)> = Vec::new();
    for r in scenarios() {
        let mode = mode_of(&r.name).to_string();
        match found.iter_mut().find(|(m, _)| *m == mode) {
            Some((_, n)) => *n += 1,
            None => found.push((mode, 1)),
        }
    }
    found.sort();
    let want: Vec<(String, usize)> = MODES.iter().map(|(m, n)| (m.to_string(), *n)).collect();
    assert_eq!(found, want);
}

#[test]
fn every_scenario_names_exactly_its_leak() {
    for r in scenarios() {
        let name = &r.name;
        let mode = mode_of(name);
        let (d, old_collections) = run(&r.dir);
        let mut found = kinds(&d);
        found.sort_by_key(|k| format!("{k:?}"));
        let mut want = r.expected.clone();
        want.sort_by_key(|k| format!("{k:?}"));
        if mode == "heap-leak" {
            // With NMT alone a heap leak is invisible: the heap is committed up front and the
            // leak fits inside it. Only heap-after-GC shows it, and only across old-generation
            // collections (before them, old garbage looks like growth in every JVM). The
            // heap-leak recordings run on a 160 MiB heap so that they have 20+ such
            // collections (samples/gen/generate.sh: 20-31 today); fewer than 8 would be a
            // recording this test cannot judge.
            assert!(
                old_collections >= 8,
                "{name}: {old_collections} old collections"
            );
        }
        assert_eq!(found, want, "{name}: {}", d.headline());
        for s in d
            .suspects
            .iter()
            .filter(|s| s.confidence < DEFAULT_MIN_CONFIDENCE)
        {
            assert!(
                s.kind == SuspectKind::Heap
                    && s.evidence.contains("may be garbage not yet collected"),
                "{name}: unsure {}",
                s.headline()
            );
        }
        for s in d.failing(DEFAULT_MIN_CONFIDENCE) {
            // Heap evidence comes from old-generation collections, which in these 96-second
            // recordings span about one minute with 8-20 points: confidence says so (0.2-0.5;
            // it qualifies a finding, it no longer hides one). Everything else is seen by
            // NMT from the first snapshot and must be clearly above that.
            let floor = if s.kind == SuspectKind::Heap {
                0.15
            } else {
                0.3
            };
            assert!(
                s.confidence > floor && s.confidence <= 1.0,
                "{name}: {}",
                s.headline()
            );
            assert!(
                s.rate_bytes_per_min > 0.0 && s.growth_bytes > 0,
                "{name}: {}",
                s.headline()
            );
            assert!(
                d.hints_for(s).next().is_some(),
                "{name}: no hint for {}",
                s.category
            );
        }
    }
}

#[test]
fn class_leak_is_one_suspect_for_class_and_metaspace() {
    let dirs: Vec<Recording> = scenarios()
        .into_iter()
        .filter(|r| mode_of(&r.name) == "class-leak")
        .collect();
    assert_eq!(dirs.len(), 4, "{dirs:?}");
    for r in &dirs {
        let dir = &r.dir;
        let (d, _) = run(dir);
        let s = &d.suspects[0];
        assert_eq!(s.category, "Class");
        assert_eq!(
            s.categories,
            ["Class", "Metaspace"],
            "{dir:?}: {}",
            s.evidence
        );
        assert!(s.evidence.contains("class count"), "{}", s.evidence);
    }
}

#[test]
fn leaks_give_a_time_to_the_limit_and_controls_do_not() {
    for r in scenarios() {
        let (d, _) = run(&r.dir);
        let dir = &r.dir;
        let b = d.budget.as_ref().expect("a limit was given");
        // A leak either reaches the container limit or, inside a fully committed heap,
        // exhausts the heap first; a control does neither.
        assert_eq!(
            b.minutes_to_limit.is_some() || b.heap_exhaustion.is_some(),
            d.failing(DEFAULT_MIN_CONFIDENCE).next().is_some(),
            "{dir:?}"
        );
        assert!(b.lines.iter().any(|l| l.item == "heap" && l.flag.is_some()));
    }
}
