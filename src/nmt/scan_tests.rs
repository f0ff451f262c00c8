//! Pieces scanned apart against one sequential scan.

use super::*;

/// Cutting at every header gives exactly what one sequential scan gives.
#[test]
fn pieces_scanned_apart_equal_one_scan() {
    let one = "4242:\n\nNative Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n\n\
-                 Java Heap (reserved=8KB, committed=4KB)\n\
                        (mmap: reserved=8KB, committed=4KB)\n\n\
-                    Quirky (reserved=2KB, committed=1KB)\n\
                        (frob=1KB)\n\n";
    let text = format!(
        "$ date -Is\n2026-11-26T06:39:00+00:00\n{one}noise line\nNo baseline for comparison\n\
         1764139200\n{one}{one}Native Memory Tracking:\n\n$ prompt\nThu Nov 26 06:41:00 UTC 2026\n{one}"
    );
    let source: Arc<str> = Arc::from("t");
    let options = ParseOptions::default();
    let sequential = parse_pieces(&source, &text, &options, &[]);
    let cuts: Vec<usize> = text
        .match_indices("\nNative Memory Tracking:")
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(cuts.len(), 5);
    let parallel = parse_pieces(&source, &text, &options, &cuts);
    assert_eq!(parallel.snapshots, sequential.snapshots);
    assert_eq!(parallel.diagnostics, sequential.diagnostics);
    assert_eq!(sequential.snapshots.len(), 4);
    let pids: Vec<Option<u32>> = sequential.snapshots.iter().map(|s| s.pid).collect();
    assert_eq!(pids, vec![Some(4242); 4]);
    let stamped = sequential
        .snapshots
        .iter()
        .filter(|s| s.timestamp.is_some())
        .count();
    assert_eq!(stamped, 3);
    // The unknown category and sub-line are reported once, the empty header, the prompt
    // line skipped after it, and jcmd's answer each once.
    assert_eq!(
        sequential.diagnostics.len(),
        5,
        "{:#?}",
        sequential.diagnostics
    );
}
