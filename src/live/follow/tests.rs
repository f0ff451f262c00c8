use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

use super::*;
use crate::session::{Header, Recorder, read_session};

const DEMO_NMT: &str = include_str!("../../../samples/scenarios/demo-jdk21-g1/nmt.log");
const DEMO_GC: &str = include_str!("../../../samples/scenarios/demo-jdk21-g1/gc.log");

/// The first `n` timestamped snapshots of the demo log as text.
fn demo_snapshots(n: usize) -> String {
    let mut starts = DEMO_NMT
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .filter(|&i| {
            crate::nmt::parse_timestamp_line(DEMO_NMT[i..].lines().next().unwrap_or("")).is_some()
        });
    let end = starts.nth(n - 1).unwrap_or(DEMO_NMT.len());
    DEMO_NMT[..end].to_string()
}

fn fast() -> FollowOptions {
    FollowOptions {
        poll_every: Duration::from_millis(20),
        settle: Duration::from_millis(150),
    }
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .expect("open");
    f.write_all(text.as_bytes()).expect("write");
}

/// Every snapshot received until `quiet` passes with no update at all.
fn snapshots_until_quiet(
    rx: &mpsc::Receiver<Update>,
    quiet: Duration,
) -> Vec<crate::model::Snapshot> {
    let mut out = Vec::new();
    while let Ok(u) = rx.recv_timeout(quiet) {
        if let Update::Snapshots(s) = u {
            out.extend(s);
        }
    }
    out
}

#[test]
fn a_growing_file_gives_each_snapshot_once_and_never_half() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nmt.log");
    let session_path = dir.path().join("s.jvmem");
    let one = demo_snapshots(1);
    let half = one.find("-                     Class").expect("Class line");
    append(&path, &one[..half]);
    let recorder = Recorder::open(&session_path, &Header::new(capture_time(), None))
        .expect("recorder")
        .shared();
    let (tx, rx) = mpsc::channel();
    let source = FollowSource {
        path: path.clone(),
        options: fast(),
    };
    let handle = source.spawn(Sink::new(tx, Some(recorder))).expect("spawn");
    // Longer than `settle`: the half snapshot must still be held back (it does not add up).
    assert!(snapshots_until_quiet(&rx, Duration::from_millis(500)).is_empty());
    append(&path, &one[half..]);
    let got = snapshots_until_quiet(&rx, Duration::from_millis(600));
    assert_eq!(got.len(), 1, "one snapshot, once");
    assert!(got[0].complete);
    assert_eq!(got[0].line, 2, "line numbers point into the followed file");
    assert_eq!(
        got[0].timestamp.map(|t| t.to_rfc3339()),
        Some("2026-11-26T07:26:35+00:00".to_string())
    );
    // Two more at once, then truncation: the file starts over.
    let three = demo_snapshots(3);
    append(&path, &three[one.len()..]);
    assert_eq!(
        snapshots_until_quiet(&rx, Duration::from_millis(600)).len(),
        2
    );
    std::fs::write(&path, &one).expect("truncate");
    let again = snapshots_until_quiet(&rx, Duration::from_millis(600));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].line, 2);
    handle.stop();
    // Everything sent was recorded, and reads back the same.
    let text = std::fs::read_to_string(&session_path).expect("session");
    let replayed = read_session(&Arc::from("s"), &text);
    assert_eq!(replayed.snapshots.len(), 4);
    assert_eq!(replayed.snapshots.first().unwrap().to_snapshot(), got[0]);
}

#[test]
fn a_tail_notices_rotation_and_reads_the_old_file_to_its_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gc.log");
    let mut tail = FileTail::new(&path);
    assert!(matches!(tail.poll().as_slice(), [TailEvent::Waiting(_)]));
    append(&path, "a\n");
    assert_eq!(tail.poll(), vec![TailEvent::Data(b"a\n".to_vec())]);
    assert_eq!(tail.poll(), vec![]);
    append(&path, "b\n");
    std::fs::rename(&path, dir.path().join("gc.log.0")).expect("rotate");
    append(&path, "c\n");
    let events = tail.poll();
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0], TailEvent::Data(b"b\n".to_vec()));
    assert!(matches!(&events[1], TailEvent::Restarted(r) if r.contains("rotated")));
    assert_eq!(events[2], TailEvent::Data(b"c\n".to_vec()));
    std::fs::write(&path, "").expect("truncate");
    assert!(matches!(tail.poll().as_slice(), [TailEvent::Restarted(r)] if r.contains("truncated")));
}

#[test]
fn split_utf8_characters_are_decoded_whole() {
    let mut d = LineDecoder::default();
    let bytes = "é\n".as_bytes();
    assert_eq!(d.push(&bytes[..1]), "");
    assert_eq!(d.push(&bytes[1..]), "é\n");
    assert_eq!(d.push(b"tail"), "");
    assert_eq!(d.finish(), "tail");
}

#[test]
fn a_gc_log_is_recorded_line_for_line_and_every_collection_sent() {
    let (tx, rx) = mpsc::channel();
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("s.jvmem");
    let recorder = Recorder::open(&session, &Header::new(capture_time(), None))
        .expect("recorder")
        .shared();
    let sink = Sink::new(tx, Some(recorder));
    let mut gc = GcFollower::new(Arc::from("gc.log"), Duration::from_millis(10));
    let t0 = Instant::now();
    let half = DEMO_GC.len() / 2;
    gc.push(&sink, &DEMO_GC.as_bytes()[..half], t0);
    gc.emit_ready(&sink, t0);
    gc.push(&sink, &DEMO_GC.as_bytes()[half..], t0);
    gc.emit_ready(&sink, t0 + Duration::from_secs(1));
    drop(sink);
    let updates: Vec<Update> = rx.iter().collect();
    let events: usize = updates
        .iter()
        .map(|u| match u {
            Update::GcEvents(e) => e.len(),
            _ => 0,
        })
        .sum();
    // Read incrementally: every collection of the demo log was sent once the log settled.
    let whole = crate::gclog::parse_str(Arc::from("gc.log"), DEMO_GC)
        .events
        .len();
    assert!(whole > 10, "{whole}");
    assert_eq!(events, whole, "{updates:?}");
    let text = std::fs::read_to_string(&session).expect("session");
    let records = crate::session::read_records(&Arc::from("s"), &text).records;
    let recorded: String = records.iter().filter_map(|(_, r)| r.text.clone()).collect();
    assert_eq!(recorded, DEMO_GC);
    // Replaying the session gives the same events as the live side sent.
    assert_eq!(read_session(&Arc::from("s"), &text).gc_events.len(), events);
}
