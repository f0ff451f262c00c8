//! Whole-diagnosis tests on synthetic timelines: what must and must not become a suspect.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};

use super::*;
use crate::model::{
    Category, Collector, Field, GcEvent, GcKind, ProcessSample, Scale, Snapshot, SnapshotKind,
    Usage,
};

/// A category as the tests write it: name, committed bytes, sub-fields.
type Cat<'a> = (&'a str, f64, &'a [(Field, i64)]);
/// The same, owning its sub-fields.
type OwnedCat = (&'static str, f64, Vec<(Field, i64)>);

const MIB: f64 = (1 << 20) as f64;

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00+00:00").unwrap()
}

/// A snapshot at `i × 30 s` with the given (category, committed bytes, fields).
fn snapshot(i: usize, timestamps: bool, cats: &[Cat<'_>]) -> Snapshot {
    let categories: Vec<Category> = cats
        .iter()
        .map(|(name, committed, fields)| {
            let mut usage = Usage {
                reserved_bytes: (*committed as u64).max(1 << 30),
                committed_bytes: *committed as u64,
                ..Usage::default()
            };
            for (f, v) in fields.iter() {
                usage.set_field(*f, *v, None);
            }
            Category {
                name: Arc::from(*name),
                usage,
            }
        })
        .collect();
    let total: u64 = categories.iter().map(|c| c.usage.committed_bytes).sum();
    Snapshot {
        source: Arc::from("test"),
        line: i as u64 + 1,
        timestamp: timestamps.then(|| t0() + Duration::seconds(30 * i as i64)),
        pid: Some(1),
        jvm_version: None,
        kind: SnapshotKind::Summary,
        scale: Scale::Kb,
        total: Usage {
            reserved_bytes: total,
            committed_bytes: total,
            ..Usage::default()
        },
        categories,
        complete: true,
    }
}

/// Deterministic noise in -1..1.
fn noise(i: usize) -> f64 {
    let x = (i as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((x >> 33) % 2001) as f64 / 1000.0 - 1.0
}

/// 40 snapshots (20 min) of a JVM whose heap is flat, JIT arenas swing and the code cache
/// grows at startup only; `leak(i)` adds categories.
fn timeline(timestamps: bool, leak: impl Fn(usize) -> Vec<OwnedCat>) -> Timeline {
    let snapshots = (0..40)
        .map(|i| {
            let warm = (i.min(4) as f64) * 2.0 * MIB;
            let mut cats: Vec<OwnedCat> = vec![
                ("Java Heap", 256.0 * MIB, vec![]),
                ("Code", 8.0 * MIB + warm, vec![]),
                ("Arena Chunk", 6.0 * MIB * (1.0 + noise(i)), vec![]),
                ("Compiler", 2.0 * MIB * (1.0 + noise(i + 7)), vec![]),
                ("GC", 40.0 * MIB, vec![]),
                (
                    "Thread",
                    20.0 * MIB + 0.3 * MIB * noise(i + 3),
                    vec![(Field::ThreadCount, 20)],
                ),
                (
                    "Class",
                    12.0 * MIB + warm,
                    vec![(Field::ClassCount, 5000 + 10 * i.min(4) as i64)],
                ),
            ];
            cats.extend(leak(i));
            let refs: Vec<Cat<'_>> = cats
                .iter()
                .map(|(n, v, f)| (*n, *v, f.as_slice()))
                .collect();
            snapshot(i, timestamps, &refs)
        })
        .collect();
    Timeline {
        snapshots,
        ..Timeline::default()
    }
}

/// The default diagnosis under a container limit of `limit_bytes`.
fn diagnose_with_limit(tl: &Timeline, limit_bytes: u64) -> Diagnosis {
    diagnose(
        tl,
        &DiagnoseOptions {
            limit_bytes: Some(limit_bytes),
            ..DiagnoseOptions::default()
        },
    )
}

#[test]
fn steady_jvm_with_noisy_arenas_and_warm_up_has_no_suspect() {
    let d = diagnose(&timeline(true, |_| vec![]), &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
    assert_eq!(d.headline(), "no growth found");
}

#[test]
fn a_direct_buffer_leak_is_named_with_rate_and_hint() {
    let tl = timeline(true, |i| {
        vec![(
            "Other",
            4.0 * MIB + i as f64 * MIB + 0.2 * MIB * noise(i),
            vec![],
        )]
    });
    let d = diagnose_with_limit(&tl, 1 << 30);
    assert_eq!(d.suspects.len(), 1, "{}", d.headline());
    let s = &d.suspects[0];
    assert_eq!(
        (s.category.as_str(), s.kind),
        ("Other", SuspectKind::DirectMemory)
    );
    // 1 MiB per 30 s.
    assert!(
        (s.rate_bytes_per_min / MIB - 2.0).abs() < 0.1,
        "{}",
        s.rate_bytes_per_min
    );
    assert!(s.confidence > 0.6, "{}", s.confidence);
    assert!(
        d.hints_for(s)
            .any(|h| h.flags.iter().any(|f| f == "-XX:MaxDirectMemorySize"))
    );
    let b = d.budget.as_ref().unwrap();
    assert!(b.minutes_to_limit.unwrap() > 0.0);
    assert!(b.flags.contains("-Xmx"));
}

#[test]
fn no_timestamps_still_finds_the_leak_with_lower_confidence() {
    let leak = |i: usize| vec![("Other", 4.0 * MIB + i as f64 * MIB, vec![])];
    let with = diagnose(&timeline(true, leak), &DiagnoseOptions::default());
    let without = diagnose(&timeline(false, leak), &DiagnoseOptions::default());
    assert_eq!(without.suspects.len(), 1);
    assert!(without.suspects[0].confidence < with.suspects[0].confidence * 0.6);
    assert!(without.notes.iter().any(|n| n.contains("no timestamps")));
    assert!(without.suspects[0].evidence.contains("no timestamps"));
}

#[test]
fn class_and_metaspace_growing_together_are_one_suspect() {
    let tl = timeline(true, |i| {
        vec![
            ("Metaspace", 20.0 * MIB + i as f64 * 0.5 * MIB, vec![]),
            ("Module", 0.1 * MIB + i as f64 * 0.05 * MIB, vec![]),
        ]
    });
    // Class grows too: replace the flat Class of the base timeline.
    let mut tl = tl;
    tl.snapshots.edit(|i, s| {
        if let Some(c) = s.categories.iter_mut().find(|c| &*c.name == "Class") {
            c.usage.committed_bytes = (12.0 * MIB + i as f64 * 0.2 * MIB) as u64;
            c.usage
                .set_field(Field::ClassCount, 5000 + 100 * i as i64, None);
        }
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert_eq!(d.suspects.len(), 1, "{}", d.headline());
    let s = &d.suspects[0];
    assert_eq!(
        s.categories,
        vec!["Class".to_string(), "Metaspace".to_string()]
    );
    assert_eq!(s.followers, vec!["Module".to_string()]);
    assert!(s.evidence.contains("counted as one suspect"));
    assert!(
        (s.rate_bytes_per_min / MIB - 1.4).abs() < 0.05,
        "{}",
        s.rate_bytes_per_min / MIB
    );
    assert!(d.suspect_for("Module").is_some());
}

#[test]
fn one_step_in_the_heap_is_not_a_leak() {
    let mut tl = timeline(true, |_| vec![]);
    tl.snapshots.edit(|i, s| {
        if i >= 25 {
            if let Some(c) = s.categories.iter_mut().find(|c| &*c.name == "Java Heap") {
                c.usage.committed_bytes += 128 << 20;
            }
        }
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
}

#[test]
fn growth_that_stops_after_warm_up_is_not_a_leak() {
    let tl = timeline(true, |i| {
        vec![("Symbol", 2.0 * MIB + (i.min(12) as f64) * 0.5 * MIB, vec![])]
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
}

fn gc(uptime_s: f64, kind: GcKind, heap_after: u64, old_after: Option<u64>) -> GcEvent {
    let mut e = GcEvent::new(Arc::from("gc.log"), 1, Collector::G1, Arc::from("Pause"));
    e.uptime_s = Some(uptime_s);
    e.kind = kind;
    e.heap_after_bytes = Some(heap_after);
    e.old_after_bytes = old_after;
    e
}

#[test]
fn heap_leak_inside_a_committed_heap_is_found_from_gc_events() {
    let mut tl = timeline(true, |_| vec![]);
    for i in 0..300u64 {
        let live = (40 << 20) + i * (256 << 10); // +256 KiB per 4 s
        tl.gc_events.push(gc(
            i as f64 * 4.0,
            GcKind::Young,
            live + (i % 5) * (8 << 20),
            None,
        ));
        if i % 20 == 19 {
            tl.gc_events.push(gc(
                i as f64 * 4.0 + 1.0,
                GcKind::Mixed,
                live,
                Some(live - (10 << 20)),
            ));
        }
    }
    let d = diagnose_with_limit(&tl, 1 << 30);
    assert_eq!(d.suspects.len(), 1, "{}", d.headline());
    let s = &d.suspects[0];
    assert_eq!(
        (s.category.as_str(), s.kind),
        ("Java Heap", SuspectKind::Heap)
    );
    assert!(
        (s.rate_bytes_per_min / MIB - 3.75).abs() < 0.3,
        "{}",
        s.rate_bytes_per_min / MIB
    );
    assert!(s.evidence.contains("old gen after full/mixed GC"));
    assert!(d.hints_for(s).any(|h| {
        h.flags
            .iter()
            .any(|f| f == "-XX:+HeapDumpOnOutOfMemoryError")
    }));
}

#[test]
fn budget_reports_rss_gap_and_a_budget_that_fits() {
    let mut tl = timeline(true, |_| vec![]);
    let nmt = tl.snapshots.last().unwrap().total.committed_bytes;
    tl.process.push(ProcessSample {
        timestamp: t0(),
        rss_bytes: Some(nmt + (50 << 20)),
        cgroup_usage_bytes: None,
        cgroup_limit_bytes: Some(2 << 30),
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    let b = d.budget.unwrap();
    assert_eq!(b.limit_bytes, 2 << 30);
    assert_eq!(b.used_source, "rss");
    assert_eq!(b.rss_gap_bytes, Some(50 << 20));
    assert_eq!(b.minutes_to_limit, None);
    assert!(b.fits);
    let total: u64 = b.lines.iter().map(|l| l.budget_bytes).sum();
    assert!(total <= 2 << 30, "the lines add up to the limit at most");
    for item in [
        "heap",
        "metaspace",
        "direct",
        "threads",
        "code cache",
        "gc",
        "other native",
        "headroom",
    ] {
        assert!(b.lines.iter().any(|l| l.item == item), "{item}");
    }
}

#[test]
fn tiny_limit_does_not_fit_and_empty_input_does_not_panic() {
    let tl = timeline(true, |_| vec![]);
    let d = diagnose_with_limit(&tl, 256 << 20);
    assert!(!d.budget.unwrap().fits);
    let d = diagnose_with_limit(&Timeline::default(), 1);
    assert!(d.suspects.is_empty() && d.budget.is_none());
}

/// `n` snapshots `step_s` apart with the given categories at each index.
fn short_timeline(n: usize, step_s: i64, cats: impl Fn(usize) -> Vec<OwnedCat>) -> Timeline {
    let snapshots = (0..n)
        .map(|i| {
            let owned = cats(i);
            let refs: Vec<Cat<'_>> = owned
                .iter()
                .map(|(n, v, f)| (*n, *v, f.as_slice()))
                .collect();
            let mut s = snapshot(i, true, &refs);
            s.timestamp = Some(t0() + Duration::seconds(step_s * i as i64));
            s
        })
        .collect();
    Timeline {
        snapshots,
        ..Timeline::default()
    }
}

#[test]
fn a_short_straight_line_is_reported_with_its_doubt_and_time_to_limit() {
    // A real short recording's shape: 13 snapshots over 27 s, Other 3 -> 69.5 MiB in a
    // straight line, once reported as nothing because the window was short.
    let tl = short_timeline(13, 2, |i| {
        vec![
            ("Java Heap", 256.0 * MIB, vec![]),
            ("Other", 3.0 * MIB + i as f64 * 5.54 * MIB, vec![]),
        ]
    });
    let d = diagnose_with_limit(&tl, 1 << 30);
    assert_eq!(d.suspects.len(), 1, "{}", d.headline());
    let s = &d.suspects[0];
    assert_eq!(s.kind, SuspectKind::DirectMemory);
    assert!(s.short_window);
    assert!(
        s.evidence.contains("too short to rule out a warm-up"),
        "{}",
        s.evidence
    );
    assert!(
        (s.rate_bytes_per_min / MIB - 166.2).abs() < 1.0,
        "{}",
        s.rate_bytes_per_min / MIB
    );
    // Headroom: 1 GiB - (256 + 69.5) MiB = 698.5 MiB at 166 MiB/min.
    let m = s.minutes_to_limit.unwrap();
    assert!((m - 698.5 / 166.2).abs() < 0.1, "{m}");
    assert!(
        s.evidence.contains("limit is reached in 4.2 min"),
        "{}",
        s.evidence
    );
    // Confident enough for --fail-on-growth at the default threshold, less than a long window.
    assert!(
        s.confidence >= DEFAULT_MIN_CONFIDENCE && s.confidence < 0.6,
        "{}",
        s.confidence
    );
    assert_eq!(d.failing(DEFAULT_MIN_CONFIDENCE).count(), 1);
    assert_eq!(d.failing(0.9).count(), 0);
}

#[test]
fn noise_larger_than_the_rise_is_not_growth() {
    // 5 MiB of noise around a 2 MiB rise: tau and slope may lean up, the noise does not allow it.
    let tl = short_timeline(40, 30, |i| {
        vec![(
            "Other",
            50.0 * MIB + i as f64 * 0.05 * MIB + 5.0 * MIB * noise(i),
            vec![],
        )]
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
}

#[test]
fn committed_heap_growth_with_a_flat_gc_live_set_is_sizing_not_a_leak() {
    // G1 growing from -Xms16m: committed 45 -> 59 MiB, old gen after mixed collections flat.
    let mut tl = short_timeline(25, 5, |i| {
        vec![("Java Heap", 45.0 * MIB + i as f64 * 0.6 * MIB, vec![])]
    });
    for i in 0..120u64 {
        tl.gc_events
            .push(gc(i as f64, GcKind::Young, 30 << 20, Some(12 << 20)));
        if i % 10 == 9 {
            tl.gc_events
                .push(gc(i as f64 + 0.5, GcKind::Mixed, 20 << 20, Some(10 << 20)));
        }
    }
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
    assert!(
        d.not_leaks
            .iter()
            .any(|n| n.starts_with("the heap is sizing up")),
        "{:?}",
        d.not_leaks
    );
}

#[test]
fn suspects_are_ranked_by_their_contribution() {
    // A fast direct leak with a short history and a slow, very steady thread leak.
    let tl = short_timeline(40, 30, |i| {
        vec![
            ("Other", 10.0 * MIB + i as f64 * 4.0 * MIB, vec![]),
            (
                "Thread",
                20.0 * MIB + i as f64 * 0.5 * MIB,
                vec![(Field::ThreadCount, 20 + i as i64)],
            ),
        ]
    });
    let d = diagnose(&tl, &DiagnoseOptions::default());
    let kinds: Vec<SuspectKind> = d.suspects.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![SuspectKind::DirectMemory, SuspectKind::Threads]);
}

#[test]
fn snapshots_of_another_jvm_are_not_joined() {
    // A restart: pid 1 at 300 MiB of Other, then pid 2 starting again at 10 MiB, flat.
    let mut tl = short_timeline(30, 10, |i| {
        let other = if i < 15 { 300.0 } else { 10.0 };
        vec![("Other", other * MIB, vec![])]
    });
    tl.snapshots.edit(|i, s| {
        s.pid = Some(if i < 15 { 1 } else { 2 });
    });
    // Without the split the series would fall; with the pids reversed it would rise by a step.
    let d = diagnose(&tl, &DiagnoseOptions::default());
    assert!(d.suspects.is_empty(), "{}", d.headline());
    assert_eq!(d.window.snapshots, 15);
    assert!(
        d.notes[0].contains("pid 2 (15 snapshot(s)), is judged"),
        "{}",
        d.notes[0]
    );
}
