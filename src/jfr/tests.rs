use std::path::PathBuf;

use super::*;
use crate::model::Headline;

fn sample(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn jdk21_recording_with_nmt_gives_snapshots_and_gc_events() {
    let (t, summary) = read_path(&sample("samples/jfr/direct-leak-jdk21/rec.jfr")).expect("reads");
    assert_eq!(summary.chunks, 1);
    // `jfr summary` on this file: 60 NativeMemoryUsageTotal, 42 GarbageCollection events.
    assert_eq!(summary.events.get("jdk.NativeMemoryUsageTotal"), Some(&60));
    assert_eq!(t.snapshots.len(), 60);
    assert_eq!(t.gc_events.len(), 42);
    let first = t.snapshots.first().unwrap();
    assert_eq!(first.committed("Java Heap"), 64 << 20);
    assert!(first.category("Thread Stack").is_some());
    assert!(
        t.snapshots
            .timestamps()
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0] < w[1])
    );
    // The direct leak: Other grows by about the workload's rate (1 MiB/s) over the recording.
    let last = t.snapshots.last().expect("snapshots");
    let grown = Headline::Direct.committed_bytes(last) as f64
        - Headline::Direct.committed_bytes(first) as f64;
    assert!(grown > 30.0 * 1048576.0, "direct grew {grown}");
    assert!(t.gc_events.iter().all(|e| e.heap_after_bytes.is_some()));
}

#[test]
fn jdk17_recording_has_no_nmt_events_and_says_so() {
    let (t, _) = read_path(&sample("samples/jfr/steady-jdk17/rec.jfr")).expect("reads");
    assert!(t.snapshots.is_empty());
    assert!(!t.gc_events.is_empty());
    assert!(
        t.diagnostics
            .iter()
            .any(|d| d.message.contains("NativeMemoryUsage"))
    );
}

#[test]
fn damaged_recordings_are_errors_or_warnings_never_panics() {
    let bytes = std::fs::read(sample("samples/jfr/direct-leak-jdk21/rec.jfr")).expect("sample");
    let dir = tempfile::tempdir().expect("tempdir");
    // Cut at several places, and flip bytes in the body.
    for cut in [3usize, 10, 67, 68, 500, bytes.len() / 2, bytes.len() - 1] {
        let p = dir.path().join(format!("cut{cut}.jfr"));
        std::fs::write(&p, &bytes[..cut]).expect("write");
        match read_path(&p) {
            Ok((t, _)) => assert!(
                !t.diagnostics.is_empty(),
                "cut at {cut} read without a word"
            ),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    for seed in 0..20usize {
        let mut b = bytes.clone();
        for k in 0..8 {
            let at = 68 + (seed * 7919 + k * 104_729) % (b.len() - 68);
            b[at] ^= 0x5a;
        }
        let p = dir.path().join(format!("flip{seed}.jfr"));
        std::fs::write(&p, &b).expect("write");
        let _ = read_path(&p);
    }
    let p = dir.path().join("text.jfr");
    std::fs::write(&p, "not a recording").expect("write");
    assert!(matches!(read_path(&p), Err(JfrError::NotJfr { .. })));
}
