use std::sync::Arc;

use chrono::DateTime;

use super::*;
use crate::model::{ProcessSample, Severity, Snapshot};
use crate::nmt::{self, ParseOptions};

const DEMO_NMT: &str = include_str!("../../samples/scenarios/demo-jdk21-g1/nmt.log");

/// The first `n` timestamped snapshots of the demo log, each as the raw text of one capture.
fn captures(n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in DEMO_NMT.split_inclusive('\n') {
        if nmt::parse_timestamp_line(line).is_some() {
            out.push(String::new());
        }
        if let Some(current) = out.last_mut() {
            current.push_str(line);
        }
    }
    out.truncate(n);
    out
}

fn t(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test time")
}

/// Records three captures and a process sample; returns the file and the snapshots the live
/// side parsed from the same text.
fn recorded() -> (Vec<u8>, Vec<Snapshot>) {
    let source: Arc<str> = Arc::from("pid:7796");
    let header = Header::new(t("2026-11-26T07:26:35+00:00"), Some("test".into()));
    let mut recorder = Recorder::new(Vec::new(), &header).expect("header");
    let mut live = Vec::new();
    for (i, text) in captures(3).iter().enumerate() {
        // Capture times with nanoseconds: they must survive the round trip exactly.
        let at = t("2026-11-26T07:26:35.123456789+00:00") + chrono::Duration::seconds(i as i64);
        let options = ParseOptions {
            default_timestamp: Some(at),
            first_line: 0,
        };
        live.extend(nmt::parse_with(&source, text, &options).snapshots);
        let record = Record::text(RecordKind::Nmt, at, &source, 0, text.as_str());
        recorder.append(&record).expect("append");
    }
    let sample = ProcessSample {
        timestamp: t("2026-11-26T07:26:36+00:00"),
        rss_bytes: Some(48512 * 1024),
        cgroup_usage_bytes: None,
        cgroup_limit_bytes: Some(1 << 30),
    };
    recorder
        .append(&Record::process(&source, &sample))
        .expect("append");
    (recorder.into_inner(), live)
}

#[test]
fn record_then_read_gives_identical_snapshots() {
    let (bytes, live) = recorded();
    assert_eq!(live.len(), 3);
    let text = String::from_utf8(bytes).expect("utf8");
    assert!(looks_like_session(&text));
    let timeline = read_session(&Arc::from("s.jvmem"), &text);
    assert_eq!(timeline.snapshots, live);
    assert_eq!(timeline.process.len(), 1);
    assert_eq!(timeline.limit_bytes, Some(1 << 30));
    assert!(
        timeline
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        timeline.diagnostics
    );
}

#[test]
fn a_session_torn_anywhere_in_its_last_record_keeps_every_complete_record() {
    let (bytes, _) = recorded();
    // Drop the process record so the last record is an NMT snapshot (the big one).
    let text = String::from_utf8(bytes).expect("utf8");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let whole: String = lines[..lines.len() - 1].concat();
    let last_start = lines[..lines.len() - 2].concat().len();
    let source: Arc<str> = Arc::from("torn.jvmem");
    let complete = read_session(&source, &whole);
    assert_eq!(complete.snapshots.len(), 3);
    // Every cut strictly inside the last record's JSON (not at its start, not after its `}`).
    let json_end = whole.len() - 1;
    for cut in last_start + 1..json_end {
        if !whole.is_char_boundary(cut) {
            continue;
        }
        let torn = read_session(&source, &whole[..cut]);
        assert_eq!(
            torn.snapshots,
            complete.snapshots.to_vec()[..2],
            "cut at {cut}"
        );
        assert_eq!(
            torn.diagnostics.len(),
            1,
            "cut at {cut}: {:?}",
            torn.diagnostics
        );
        let d = &torn.diagnostics[0];
        assert_eq!(d.line, lines.len() as u64 - 1, "cut at {cut}");
        assert!(d.message.contains("incomplete"), "{d}");
    }
    // Cut after the `}` but before the newline: the record is whole.
    assert_eq!(read_session(&source, &whole[..json_end]).snapshots.len(), 3);
}

#[test]
fn damage_in_the_middle_and_unknown_kinds_are_reported_not_fatal() {
    let (bytes, _) = recorded();
    let text = String::from_utf8(bytes).expect("utf8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.insert(2, "{\"t\":\"garbage".to_string());
    lines.insert(
        3,
        r#"{"t":"2026-11-26T07:26:35Z","source":"x","kind":"heapdump","path":"/h.hprof"}"#
            .to_string(),
    );
    let timeline = read_session(&Arc::from("s"), &lines.join("\n"));
    assert_eq!(timeline.snapshots.len(), 3);
    assert_eq!(timeline.diagnostics.len(), 2, "{:?}", timeline.diagnostics);
    assert_eq!(timeline.diagnostics[0].severity, Severity::Error);
    assert_eq!(timeline.diagnostics[0].line, 3);
    assert!(timeline.diagnostics[1].message.contains("heapdump"));
}

#[test]
fn newer_versions_and_bad_headers() {
    let newer = "{\"jvmem_session\":7}\n";
    let timeline = read_session(&Arc::from("s"), newer);
    assert_eq!(timeline.diagnostics.len(), 1);
    assert!(timeline.diagnostics[0].message.contains("newer"));
    // A damaged header alone: a warning, and nothing else to read.
    let bad = read_session(&Arc::from("s"), "{\"jvmem_session\":\n");
    assert_eq!(bad.diagnostics[0].severity, Severity::Warning);
    assert!(bad.diagnostics[0].message.contains("damaged"));
    assert!(bad.snapshots.is_empty());
    assert!(read_session(&Arc::from("s"), "").diagnostics.is_empty());
    assert!(!looks_like_session("1234:\n\nNative Memory Tracking:"));
    assert!(looks_like_session("\u{feff}{\"jvmem_session\":1}"));
}

#[test]
fn a_recorder_continues_an_existing_session_and_ends_its_torn_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.jvmem");
    let header = Header::new(t("2026-11-26T07:26:35+00:00"), None);
    let source: Arc<str> = Arc::from("paste");
    let text = captures(1).remove(0);
    let record = Record::text(RecordKind::Nmt, t("2026-11-26T07:26:35Z"), &source, 0, text);
    {
        let mut r = Recorder::open(&path, &header).expect("open");
        r.append(&record).expect("append");
    }
    // A kill -9 in the middle of a write.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).expect("read") + "{\"t\":\"2026",
    )
    .expect("tear");
    {
        let mut r = Recorder::open(&path, &header).expect("reopen");
        r.append(&record).expect("append");
    }
    let timeline = read_session(&source, &std::fs::read_to_string(&path).expect("read"));
    assert_eq!(timeline.snapshots.len(), 2);
    assert_eq!(timeline.error_count(), 1);
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "my notes").expect("write");
    assert!(Recorder::open(&other, &header).is_err());
    assert_eq!(std::fs::read_to_string(&other).expect("read"), "my notes");
}

/// The recorded session with its header line replaced by `header` (`None`: no header).
fn with_header(header: Option<&str>) -> String {
    let (bytes, _) = recorded();
    let text = String::from_utf8(bytes).expect("utf8");
    let records = text.split_once('\n').expect("header line").1;
    match header {
        Some(h) => format!("{h}\n{records}"),
        None => records.to_string(),
    }
}

#[test]
fn odd_and_damaged_headers_cost_a_warning_never_the_records() {
    let real = r#"{"jvmem_session":1,"created":"2026-11-26T07:26:35+00:00","tool":"jvmem 0.1.0"}"#;
    let bom = format!("\u{feff}{real}");
    // One damaged byte at each of a few places of the header.
    let damaged: Vec<String> = [0, 2, 9, 17, 30, real.len() - 1]
        .iter()
        .map(|&i| {
            let mut b = real.as_bytes().to_vec();
            b[i] = b'#';
            String::from_utf8(b).expect("ascii")
        })
        .collect();
    let mut cases: Vec<(String, Option<&str>)> = vec![
        (bom, None),
        (r#"{"jvmem_session":0}"#.into(), Some("version 0")),
        (r#"{"jvmem_session":4294967296}"#.into(), Some("4294967296")),
        (r#"{"jvmem_session":-1}"#.into(), Some("-1")),
        (r#"{"jvmem_session":"1"}"#.into(), Some("\"1\"")),
        (r#"{"jvmem_session":null}"#.into(), Some("null")),
    ];
    cases.extend(damaged.into_iter().map(|d| (d, Some("header"))));
    for (header, warning) in &cases {
        let text = with_header(Some(header));
        assert!(looks_like_session(&text), "not detected: {header}");
        let timeline = read_session(&Arc::from("s"), &text);
        assert_eq!(timeline.snapshots.len(), 3, "{header}");
        assert_eq!(timeline.process.len(), 1, "{header}");
        assert_eq!(
            timeline.error_count(),
            0,
            "{header}: {:?}",
            timeline.diagnostics
        );
        match warning {
            None => assert!(
                timeline.diagnostics.is_empty(),
                "{:?}",
                timeline.diagnostics
            ),
            Some(w) => {
                assert_eq!(timeline.diagnostics.len(), 1, "{header}");
                let d = &timeline.diagnostics[0];
                assert_eq!((d.severity, d.line), (Severity::Warning, 1), "{header}");
                assert!(d.message.contains(w), "{header}: {}", d.message);
            }
        }
    }
    let headless = read_session(&Arc::from("s"), &with_header(None));
    assert_eq!(headless.snapshots.len(), 3);
    assert!(headless.diagnostics[0].message.contains("no header"));
}

/// A disk with `room` bytes left (shared, so a test fills and frees it while recording):
/// a write that does not fit writes what fits, the next fails.
#[derive(Clone, Default)]
struct FillingDisk {
    bytes: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
    room: std::rc::Rc<std::cell::Cell<usize>>,
}

impl std::io::Write for FillingDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.room.get());
        if n == 0 && !buf.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ));
        }
        self.room.set(self.room.get() - n);
        self.bytes.borrow_mut().extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_disk_loses_only_the_records_that_failed_and_counts_them() {
    let source: Arc<str> = Arc::from("pid:7796");
    let header = Header::new(t("2026-11-26T07:26:35+00:00"), None);
    let disk = FillingDisk::default();
    disk.room.set(usize::MAX);
    let mut recorder = Recorder::new(disk.clone(), &header).expect("header");
    let texts = captures(4);
    let record = |i: usize| {
        let at = t("2026-11-26T07:26:35Z") + chrono::Duration::seconds(i as i64);
        Record::text(RecordKind::Nmt, at, &source, 0, texts[i].as_str())
    };
    recorder.append(&record(0)).expect("first");
    // The disk fills 100 bytes into the second record's line; the third finds it full.
    disk.room.set(100);
    assert!(recorder.append(&record(1)).is_err());
    assert!(recorder.append(&record(2)).is_err());
    // Space frees: the next records must not be glued to the torn one.
    disk.room.set(usize::MAX);
    recorder.append(&record(3)).expect("space again");
    recorder.append(&record(0)).expect("and again");
    assert_eq!((recorder.records(), recorder.failed()), (3, 2));
    let text = String::from_utf8(disk.bytes.borrow().clone()).expect("utf8");
    let timeline = read_session(&source, &text);
    assert_eq!(timeline.snapshots.len(), 3, "{:?}", timeline.diagnostics);
    assert_eq!(timeline.error_count(), 1, "the torn line, once");
}
