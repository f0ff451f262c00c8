//! The packed GC event store gives back every event of every sample log exactly as the parser
//! made it (field for field, `f64`s bit for bit), keeps them in the same order a `Vec` sort
//! gave, and is as small as docs/architecture.md says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jvmem::gclog::parse_reader_with;
use jvmem::model::{GcEvent, GcEvents, Timeline};

fn logs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            logs(&path, out);
        } else if path.extension().is_none_or(|e| e != "gz" && e != "md") {
            out.push(path);
        }
    }
}

fn sample_logs() -> Vec<PathBuf> {
    let mut all = Vec::new();
    logs(&common::gc::sample(""), &mut all);
    all.sort();
    assert!(all.len() > 20, "{}", all.len());
    all
}

/// Events as the parser hands them out, in a plain `Vec`.
fn parsed(path: &Path) -> Vec<GcEvent> {
    let text = std::fs::read(path).unwrap();
    let mut events: Vec<GcEvent> = Vec::new();
    let _ = parse_reader_with(
        Arc::from(path.display().to_string()),
        &text[..],
        &mut events,
    );
    events
}

/// `Debug` tells -0.0 from 0.0 and prints every digit: equal text is bit-for-bit equality.
fn exact(events: impl IntoIterator<Item = GcEvent>) -> Vec<String> {
    events.into_iter().map(|e| format!("{e:?}")).collect()
}

#[test]
fn every_sample_event_comes_back_exactly() {
    let mut total = 0;
    for path in sample_logs() {
        let want = parsed(&path);
        let store: GcEvents = want.iter().cloned().collect();
        assert_eq!(store.len(), want.len());
        assert_eq!(
            exact(store.iter()),
            exact(want.clone()),
            "{}",
            path.display()
        );
        assert_eq!(
            exact(store.iter().rev()),
            exact(want.iter().rev().cloned()),
            "{}",
            path.display()
        );
        assert_eq!(
            serde_json::to_string(&store).unwrap(),
            serde_json::to_string(&want).unwrap()
        );
        total += want.len();
    }
    assert!(total > 1000, "{total}");
}

#[test]
fn sorting_by_time_and_line_matches_a_stable_vec_sort() {
    for path in sample_logs() {
        let mut want = parsed(&path);
        let mut t = Timeline {
            gc_events: want.iter().cloned().collect(),
            ..Timeline::default()
        };
        t.gc_events.sort_by_line();
        want.sort_by_key(|e| e.line);
        assert_eq!(exact(t.gc_events.iter()), exact(want.clone()));
        // Reverse them so that the time sort has work to do.
        t.gc_events = want.iter().rev().cloned().collect();
        want.reverse();
        t.sort_gc_events();
        if want.iter().all(|e| e.timestamp.is_some()) {
            want.sort_by_key(|e| e.timestamp);
        } else if want.iter().all(|e| e.uptime_s.is_some()) {
            want.sort_by(|a, b| {
                a.uptime_s
                    .partial_cmp(&b.uptime_s)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        assert_eq!(exact(t.gc_events.iter()), exact(want), "{}", path.display());
    }
}

#[test]
fn edits_keep_the_other_events_in_place() {
    let want = parsed(&common::gc::sample("jdk17/g1-gcstar.log"));
    assert!(want.len() > 10);
    let mut store: GcEvents = want.iter().cloned().collect();
    let later = store.split_off(4);
    assert_eq!(exact(store.iter()), exact(want[..4].to_vec()));
    store.append(later);
    assert_eq!(exact(store.iter()), exact(want.clone()));
    // A flight recording's exact byte count and a nanosecond time widen their columns only.
    let mut odd = want[2].clone();
    odd.heap_after_bytes = Some(123_456_789);
    odd.pause_ms = 0.1 + 0.2;
    odd.timestamp = odd.timestamp.map(|t| t + chrono::Duration::nanoseconds(7));
    odd.cause = Some(Arc::from("a cause no other event has"));
    store.set(2, &odd);
    let mut edited = want.clone();
    edited[2] = odd;
    assert_eq!(exact(store.iter()), exact(edited.clone()));
    store.retain(|e| e.gc_id.is_some_and(|id| id % 2 == 0));
    edited.retain(|e| e.gc_id.is_some_and(|id| id % 2 == 0));
    assert_eq!(exact(store.iter()), exact(edited.clone()));
    store.drain_front(1);
    assert_eq!(exact(store.iter()), exact(edited[1..].to_vec()));
    let slice = store.slice(1..3);
    assert_eq!(exact(slice.iter()), exact(edited[2..4].to_vec()));
    assert_eq!(slice.last().map(|e| e.line), Some(edited[3].line));
}

#[test]
fn a_jvm_written_log_packs_into_about_80_bytes_an_event() {
    for rel in [
        "bench/g1-jdk17-gcstar-time-uptime-level-tags.log",
        "jdk8-handwritten/cms-interleaved.log",
        "jdk21.0.8/zgc-generational-gcstar.log",
    ] {
        let want = parsed(&common::gc::sample(rel));
        let store: GcEvents = want.iter().cloned().collect();
        let per_event = store.column_bytes() / store.len();
        eprintln!("{rel}: {} events, {per_event} B an event", store.len());
        assert!(per_event <= 84, "{rel}: {per_event} bytes an event");
        assert!(
            std::mem::size_of::<GcEvent>() >= 3 * per_event,
            "{rel}: {per_event} vs {}",
            std::mem::size_of::<GcEvent>()
        );
    }
}
