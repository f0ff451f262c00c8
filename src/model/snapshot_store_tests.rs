//! The compact store gives back exactly what was pushed, for every NMT sample in the repo, and
//! costs at most 1 KiB a snapshot on real recordings (issue 19's budget).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::model::{Category, ExtraLine, Field, Scale, Snapshot, SnapshotKind, Usage};

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "log") {
            out.push(path);
        }
    }
}

fn parse(path: &Path) -> Vec<Snapshot> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let source: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    crate::nmt::parse_str(&source, &text).snapshots
}

/// Every view of `stored` reads what `s` holds.
fn assert_views_agree(stored: SnapshotRef<'_>, s: &Snapshot) {
    assert_eq!(stored.to_snapshot(), *s);
    let plain = s.view();
    assert_eq!(stored.category_count(), s.categories.len());
    for (c, p) in stored.categories().zip(&s.categories) {
        assert_eq!(stored.committed(&p.name), plain.committed(&p.name));
        assert_eq!(stored.amounts(&p.name), plain.amounts(&p.name));
        let found = stored.category(&p.name).map(|c| c.usage.to_usage());
        assert_eq!(found, plain.category(&p.name).map(|c| c.usage.to_usage()));
        assert_eq!(c.usage.fields().collect::<Vec<_>>(), p.usage.fields);
        for f in Field::ALL {
            assert_eq!(c.usage.field_value(*f), p.usage.field_value(*f).copied());
        }
    }
    let amounts: Vec<_> = stored.committed_amounts().collect();
    let expected: Vec<_> = plain.committed_amounts().collect();
    assert_eq!(amounts, expected);
    assert_eq!(stored.committed("no such category"), 0);
    assert!(stored.category("no such category").is_none());
}

#[test]
fn every_sample_reads_back_exactly() {
    let mut files = Vec::new();
    text_files(Path::new("samples/nmt"), &mut files);
    text_files(Path::new("samples/scenarios"), &mut files);
    let mut snapshots = 0;
    for path in &files {
        let parsed = parse(path);
        let store: Snapshots = parsed.clone().into();
        assert_eq!(store.len(), parsed.len());
        for (i, s) in parsed.iter().enumerate() {
            assert_views_agree(store.get(i).unwrap(), s);
        }
        assert_eq!(store, parsed, "{}", path.display());
        snapshots += parsed.len();
    }
    assert!(
        files.len() > 100 && snapshots > 500,
        "{} {snapshots}",
        files.len()
    );
}

/// What NMT never prints but hostile or future input could: amounts that are not whole KiB,
/// the extremes of u64/i64, deltas on every field, unknown sub-lines, no categories.
#[test]
fn edge_values_read_back_exactly() {
    let mut usage = Usage {
        reserved_bytes: u64::MAX,
        committed_bytes: 1023,
        reserved_delta_bytes: Some(i64::MIN),
        committed_delta_bytes: Some(-1),
        fields: Vec::new(),
        extras: vec![
            ExtraLine {
                name: "frobs é".into(),
                reserved_bytes: None,
                committed_bytes: Some(7 << 10),
            },
            ExtraLine {
                name: "".into(),
                reserved_bytes: Some(1),
                committed_bytes: None,
            },
        ],
    };
    for (k, f) in Field::ALL.iter().enumerate() {
        let v = [i64::MAX, i64::MIN, -1024, 0, 5][k % 5];
        usage.set_field(*f, v, (k % 2 == 0).then_some(-v.saturating_add(3)));
    }
    let base = Snapshot {
        source: Arc::from("edge"),
        line: u64::MAX,
        timestamp: None,
        pid: Some(u32::MAX),
        jvm_version: Some(Arc::from("25+1")),
        kind: SnapshotKind::DetailDiff,
        scale: Scale::Bytes,
        total: usage.clone(),
        categories: vec![
            Category {
                name: Arc::from("Weird"),
                usage: usage.clone(),
            },
            Category {
                name: Arc::from("Weird"),
                usage: Usage::default(),
            },
        ],
        complete: false,
    };
    let empty = Snapshot {
        categories: Vec::new(),
        total: Usage::default(),
        jvm_version: None,
        ..base.clone()
    };
    let store: Snapshots = vec![base.clone(), empty.clone()].into();
    assert_views_agree(store.get(0).unwrap(), &base);
    assert_views_agree(store.get(1).unwrap(), &empty);
    // A name printed twice: the first, as a search of the parsed snapshot finds.
    let weird = store.get(0).unwrap().category("Weird").unwrap();
    assert_eq!(weird.usage.committed_bytes, 1023);
}

/// Reordering, cutting and joining stores gives what the same on a `Vec` gives.
#[test]
fn store_operations_match_a_vec() {
    let a = parse(Path::new("samples/scenarios/demo-jdk21-g1/nmt.log"));
    let b = parse(Path::new("samples/nmt/jdk25/concat-date-iso.txt"));
    let c = parse(Path::new("samples/nmt/jdk8/summary.txt"));
    let mut store: Snapshots = b.clone().into();
    store.append(a.clone().into());
    store.append(c.clone().into());
    let all: Vec<Snapshot> = b.iter().chain(&a).chain(&c).cloned().collect();
    assert_eq!(store, all);
    let tail = store.split_off(10);
    assert_eq!(store, all[..10]);
    assert_eq!(tail, all[10..]);
    assert_eq!(store.slice(3..7), all[3..7]);
    let mut joined = store.clone();
    joined.append(tail);
    assert_eq!(joined, all);
    let order: Vec<usize> = (0..all.len()).rev().collect();
    joined.reorder(&order);
    let reversed: Vec<Snapshot> = all.iter().rev().cloned().collect();
    assert_eq!(joined, reversed);
    joined.retain(|s| s.kind == SnapshotKind::Summary && s.line % 2 == 1);
    let kept: Vec<Snapshot> = reversed
        .iter()
        .filter(|s| s.kind == SnapshotKind::Summary && s.line % 2 == 1)
        .cloned()
        .collect();
    assert!(kept.len() > 5 && kept.len() < reversed.len());
    assert_eq!(joined, kept);
    joined.remove_front(3);
    assert_eq!(joined, kept[3..]);
    let range = joined.range(1..4);
    assert_eq!(range.len(), 3);
    assert_eq!(range.last().unwrap().to_snapshot(), kept[6]);
    let names = Snapshots::from(all.clone()).category_names();
    let mut expected: Vec<Arc<str>> = Vec::new();
    for s in &all {
        for c in &s.categories {
            if !expected.contains(&c.name) {
                expected.push(Arc::clone(&c.name));
            }
        }
    }
    assert_eq!(names, expected);
}

/// Bytes held per snapshot for real recordings: JDK 17 and 21 scenario recordings and the
/// JDK 25 sample. The bytes of the names and sources
/// are shared by all snapshots of a store; they are counted too.
#[test]
fn real_recordings_cost_at_most_1_kib_a_snapshot() {
    for path in [
        "samples/scenarios/demo-jdk21-g1/nmt.log",
        "samples/scenarios/heap-leak-jdk17-g1/nmt.log",
        "samples/scenarios/class-leak-jdk21-parallel/nmt.log",
    ] {
        let parsed = parse(Path::new(path));
        assert!(parsed.len() > 10, "{path}");
        let mut store = Snapshots::default();
        store.extend(parsed.iter().cloned());
        let per = store.heap_bytes() / store.len();
        eprintln!(
            "{path}: {} snapshots, {per} B each (head {} B)",
            store.len(),
            std::mem::size_of::<Head>()
        );
        assert!(per <= 1024, "{path}: {per} B a snapshot");
    }
    // Five JDK 25 snapshots, each pushed 40 times (the shared tables' cost spread as over a
    // recording of 200).
    let jdk25 = parse(Path::new("samples/nmt/jdk25/concat-date-iso.txt"));
    assert!(jdk25.iter().all(|s| s.categories.len() >= 20));
    let store: Snapshots = (0..40).flat_map(|_| jdk25.iter().cloned()).collect();
    let per = store.heap_bytes() / store.len();
    eprintln!("jdk25: {per} B each");
    assert!(per <= 1024, "JDK 25: {per} B a snapshot");
}
