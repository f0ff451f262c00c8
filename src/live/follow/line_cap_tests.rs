//! The 1 MiB line cap of followed files and pipes (`live --follow`, `live -`).

use std::sync::mpsc;

use super::*;
use crate::input::MAX_LINE_BYTES;
use crate::live::StdinSource;

const SNAP: &str = "2026-11-26T07:26:35+00:00\n4242:\n\nNative Memory Tracking:\n\nTotal: reserved=100000KB, committed=50000KB\n-                 Java Heap (reserved=100000KB, committed=50000KB)\n";

#[test]
fn an_endless_line_is_held_only_up_to_the_cap_and_skipped() {
    let mut d = LineDecoder::default();
    let piece = vec![b'x'; 64 * 1024];
    for _ in 0..48 {
        assert_eq!(d.push(&piece), "");
        assert!(d.carry.len() <= MAX_LINE_BYTES, "{}", d.carry.len());
    }
    assert_eq!(d.push(format!("\n{SNAP}").as_bytes()), SNAP);
    assert_eq!(d.take_skipped(), 1);
    assert_eq!(d.take_skipped(), 0, "counted once");
}

#[test]
fn whole_long_lines_are_skipped_and_lines_at_the_cap_kept() {
    let mut d = LineDecoder::default();
    let at_cap = "y".repeat(MAX_LINE_BYTES);
    let over = "z".repeat(MAX_LINE_BYTES + 1);
    let text = format!("a\n{over}\n{at_cap}\nb\n");
    assert_eq!(d.push(text.as_bytes()), format!("a\n{at_cap}\nb\n"));
    assert_eq!(d.take_skipped(), 1);
    // A line whose start was carried over from an earlier read counts whole.
    assert_eq!(d.push(&over.as_bytes()[..10]), "");
    assert_eq!(d.push(format!("{}\nc\n", &over[10..]).as_bytes()), "c\n");
    assert_eq!(d.take_skipped(), 1);
}

#[test]
fn a_pipe_with_a_huge_line_still_gives_its_snapshot_and_says_so() {
    let input = format!("{}\n{SNAP}", "x".repeat(3 * MAX_LINE_BYTES));
    let (tx, rx) = mpsc::channel();
    let mut source = StdinSource::new(std::io::Cursor::new(input), Arc::from("-"));
    source.options.settle = Duration::from_millis(50);
    let _handle = source.spawn(Sink::new(tx, None)).expect("spawn");
    let updates: Vec<Update> = rx.iter().collect();
    let snapshots: usize = updates
        .iter()
        .map(|u| match u {
            Update::Snapshots(s) => s.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(snapshots, 1, "{updates:?}");
    assert!(
        updates.iter().any(|u| matches!(u,
        Update::Status { message, .. } if message.contains("skipped 1 line(s) longer than 1 MiB")))
    );
}
