//! Tests of the NMT and GC series.
use std::sync::Arc;

use super::gc::*;
use super::*;
use crate::model::{Collector, GcEvent, GcKind};

fn event(uptime_s: f64, kind: GcKind, heap_after_mb: u64, old_after_mb: Option<u64>) -> GcEvent {
    let mut e = GcEvent::new(Arc::from("gc.log"), 1, Collector::G1, Arc::from("Pause"));
    e.uptime_s = Some(uptime_s);
    e.kind = kind;
    e.heap_after_bytes = Some(heap_after_mb << 20);
    e.old_after_bytes = old_after_mb.map(|m| m << 20);
    e.metaspace_after_bytes = Some(20 << 20);
    e
}

/// The one-pass columns hold what a search by name in each snapshot finds, point for point,
/// also when a snapshot lacks a category (NMT omits small ones), lists categories in another
/// order, or is a `.diff` (only its committed amounts count).
#[test]
fn columns_match_the_search_by_name() {
    let text = std::fs::read_to_string("samples/scenarios/demo-jdk21-g1/nmt.log").unwrap();
    let mut snapshots = crate::nmt::parse_str(&Arc::from("nmt.log"), &text).snapshots;
    assert!(snapshots.len() > 50, "{} snapshots", snapshots.len());
    snapshots[3].categories.reverse();
    let dropped = snapshots[5].categories.remove(2).name;
    snapshots[7].categories.rotate_left(3);
    snapshots[9].kind = crate::model::SnapshotKind::SummaryDiff;
    snapshots[11].complete = false;
    let timeline = Timeline {
        snapshots: snapshots.into(),
        ..Timeline::default()
    };
    let metrics: Vec<Metric> = std::iter::once(Metric::Committed)
        .chain(NMT_FIELDS.iter().copied())
        .collect();
    let columns = nmt::Columns::of(&timeline, &metrics, 10.0);
    let complete: Vec<_> = timeline.snapshots.iter().filter(|s| s.complete).collect();
    let timestamps: Vec<_> = complete.iter().map(|s| s.timestamp).collect();
    let (times, _) = snapshot_times(&timestamps, 10.0);
    let mut expected = Vec::new();
    for name in timeline.category_names() {
        for &metric in &metrics {
            let mut seen = false;
            let points: Vec<(f64, f64)> = complete
                .iter()
                .zip(&times)
                .filter(|(s, _)| metric == Metric::Committed || !s.kind.is_diff())
                .map(|(s, &t)| {
                    let value = s.category(&name).and_then(|c| match metric.field() {
                        None => Some(c.usage.committed_bytes as f64),
                        Some(f) => c.usage.field(f).map(|v| v as f64),
                    });
                    seen |= value.is_some();
                    (t, value.unwrap_or(0.0))
                })
                .collect();
            if seen {
                expected.push((name.to_string(), metric, points));
            }
        }
    }
    let got: Vec<_> = columns
        .series()
        .map(|(n, m, p)| (n.to_string(), m, p))
        .collect();
    assert!(got.len() > 40, "{} series", got.len());
    assert_eq!(got, expected);
    let gone = got
        .iter()
        .find(|g| *g.0 == *dropped && g.1 == Metric::Committed);
    assert_eq!(gone.map(|g| g.2[5].1), Some(0.0));
}

fn find(g: &[SeriesGrowth], metric: Metric) -> Option<&SeriesGrowth> {
    g.iter().find(|s| s.metric == metric)
}

#[test]
fn steady_sawtooth_has_a_flat_floor() {
    // Young GCs every second promote 5 MB of garbage each; every 8th pause is followed by
    // a mixed collection that brings the old gen back to 20 MB: a JVM with no leak.
    let mut events = Vec::new();
    for i in 0..200 {
        let t = i as f64;
        events.push(event(
            t,
            GcKind::Young,
            30 + (i % 8) * 5,
            Some(20 + (i % 8) * 5),
        ));
        if i % 8 == 7 {
            events.push(event(t + 0.5, GcKind::Mixed, 30, Some(20)));
        }
    }
    let g = gc_growth(&events, 0.15, 5);
    let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
    assert_eq!(old.trend.slope_per_min, 0.0);
    assert!(old.trend.p_value > 0.5, "{old:?}");
    assert!(find(&g, Metric::OldAfterEveryGc).is_none());
    let meta = find(&g, Metric::MetaspaceAfterGc).unwrap();
    assert_eq!(meta.trend.tau, 0.0);
}

#[test]
fn completed_markings_without_mixed_collections_measure_the_live_set() {
    // -Xms = -Xmx G1 leak: back-to-back markings that find nothing worth collecting (no
    // mixed phase follows), old gen after the pauses rising 1 MB per pause.
    let mut events = Vec::new();
    for i in 0..120u64 {
        let kind = if i % 10 == 0 {
            GcKind::InitialMark
        } else {
            GcKind::Young
        };
        let mut e = event(i as f64, kind, 100 + i, Some(50 + i));
        if i % 10 == 9 {
            e.name = Arc::from("Pause Young (Prepare Mixed) (G1 Evacuation Pause)");
            e.old_after_bytes = Some(1); // never the figure
        }
        events.push(e);
        if i % 10 == 0 {
            let mut c = event(i as f64 + 0.01, GcKind::Concurrent, 100 + i, None);
            c.name = Arc::from("Concurrent Mark Cycle");
            events.push(c);
        }
    }
    let g = gc_growth(&events, 0.15, 5);
    let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
    assert!(
        (old.trend.slope_per_min - 60.0 * (1 << 20) as f64).abs() < 1.0,
        "{old:?}"
    );
    assert!(old.trend.points >= 9, "{old:?}");
    assert!(find(&g, Metric::OldAfterEveryGc).is_none());
}

#[test]
fn g1_without_mixed_collections_judges_old_after_every_pause() {
    // -Xms = -Xmx: G1 runs Concurrent Start pauses (kind initial-mark) and undo cycles
    // only, never a mixed collection; old + humongous after every pause is the series.
    let mut events = Vec::new();
    for i in 0..120u64 {
        let kind = if i % 15 == 0 {
            GcKind::InitialMark
        } else {
            GcKind::Young
        };
        events.push(event(i as f64, kind, 80 + i, Some(20 + i)));
        if i % 15 == 1 {
            let mut c = event(i as f64 + 0.5, GcKind::Concurrent, 80 + i, None);
            c.name = Arc::from("Concurrent Undo Cycle");
            events.push(c);
        }
    }
    let g = gc_growth(&events, 0.15, 5);
    assert!(find(&g, Metric::OldAfterFullOrMixedGc).is_none());
    let every = find(&g, Metric::OldAfterEveryGc).unwrap();
    assert!((every.trend.slope_per_min - 60.0 * (1 << 20) as f64).abs() < 1.0);
    assert!(every.trend.p_value < 1e-6);
}

#[test]
fn a_heap_leak_raises_old_gen_after_full_gc() {
    let mut events = Vec::new();
    for i in 0..120u64 {
        let leaked = i / 2; // 1 MB every 2 s = 30 MB/min
        events.push(event(
            i as f64,
            GcKind::Young,
            30 + leaked + (i % 5) * 4,
            Some(15 + leaked + (i % 10) * 3),
        ));
        if i % 10 == 9 {
            events.push(event(
                i as f64 + 0.5,
                GcKind::Full,
                20 + leaked,
                Some(15 + leaked),
            ));
        }
    }
    let g = gc_growth(&events, 0.15, 5);
    let old = find(&g, Metric::OldAfterFullOrMixedGc).unwrap();
    assert!((old.trend.slope_per_min - 30.0 * (1 << 20) as f64).abs() < 2.0 * (1 << 20) as f64);
    assert!(old.trend.tau > 0.95);
    assert!(old.trend.p_value < 1e-3);
}

#[test]
fn events_without_times_or_amounts_give_no_series() {
    let mut e = GcEvent::new(
        Arc::from("gc.log"),
        1,
        Collector::Unknown,
        Arc::from("Pause"),
    );
    e.kind = GcKind::Full;
    assert!(gc_growth(&[e.clone(), e.clone(), e], 0.1, 3).is_empty());
    assert!(gc_growth(crate::model::GcEvents::new().iter(), 0.1, 3).is_empty());
}
