//! Session round trip as a property: whatever is recorded — real NMT snapshots from JDK 11 to
//! 25, a real GC log cut into records at random places, process samples, and arbitrary text
//! (quotes, control characters, any Unicode, CRLF) — writing it with the `Recorder` and
//! reading it back gives the same records, and the same snapshots, GC events and samples as
//! parsing the captured texts directly.
//!
//! Capture times are random but strictly increasing and the NMT texts carry no date of their
//! own, so each snapshot is dated by its record and the timeline's order is the record order.
//! 64 cases (`PROPTEST_CASES` overrides): under 1 s in a debug build.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use jvmem::model::{GcEvent, ProcessSample, Snapshot};
use jvmem::session::{Header, Record, RecordKind, Recorder, read_records, read_session};
use proptest::prelude::*;

use common::repo_path;

/// Real `jcmd … VM.native_memory` answers without a date line of their own.
const NMT: &[&str] = &[
    "samples/nmt/jdk11/summary.txt",
    "samples/nmt/jdk17/summary.txt",
    "samples/nmt/jdk17/summary-scale-mb.txt",
    "samples/nmt/jdk17/summary-diff.txt",
    "samples/nmt/jdk21.0.8/summary-zgc.txt",
    "samples/nmt/jdk25/summary.txt",
    "samples/nmt/jdk25/summary-scale-kb.txt",
];

/// A real unified G1 log (JDK 17, `-Xlog:gc*`), recorded in pieces as a follower reads it.
const GC_LOG: &str = "samples/gc/jdk17/g1-gcstar.log";

fn read(rel: &str) -> String {
    let path = repo_path(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn texts() -> &'static (Vec<String>, String) {
    static LOADED: std::sync::OnceLock<(Vec<String>, String)> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| (NMT.iter().map(|r| read(r)).collect(), read(GC_LOG)))
}

/// One capture of a recording.
#[derive(Debug, Clone)]
enum Capture {
    /// One of the real NMT answers, from one of the sources.
    Nmt { sample: usize, source: usize },
    /// Arbitrary text recorded as an NMT capture (a paste of anything).
    Text(String),
    Process {
        rss: Option<u64>,
        usage: Option<u64>,
        limit: Option<u64>,
    },
}

const SOURCES: &[&str] = &["pid:4242", "cmd", "paste", "/var/log/app/gc \"1\".log", "-"];

fn capture() -> impl Strategy<Value = Capture> {
    prop_oneof![
        4 => (0..NMT.len(), 0..SOURCES.len())
            .prop_map(|(sample, source)| Capture::Nmt { sample, source }),
        1 => any::<String>().prop_map(Capture::Text),
        1 => "[ -~\t\r\n\"\\\\\u{0}\u{1b}é€😀]{0,80}".prop_map(Capture::Text),
        2 => (any::<Option<u64>>(), any::<Option<u64>>(), any::<Option<u64>>())
            .prop_map(|(rss, usage, limit)| Capture::Process { rss, usage, limit }),
    ]
}

fn t0() -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(2 * 3600).unwrap();
    offset.with_ymd_and_hms(2026, 12, 1, 23, 30, 0).unwrap()
}

/// The snapshots, events and samples a direct parse of the captures gives.
fn expected(captures: &[(DateTime<FixedOffset>, Capture)]) -> (Vec<Snapshot>, Vec<ProcessSample>) {
    let (nmt, _) = texts();
    let mut snapshots = Vec::new();
    let mut samples = Vec::new();
    for (t, c) in captures {
        let (source, text) = match c {
            Capture::Nmt { sample, source } => (SOURCES[*source], nmt[*sample].as_str()),
            Capture::Text(text) => ("paste", text.as_str()),
            Capture::Process { rss, usage, limit } => {
                samples.push(ProcessSample {
                    timestamp: *t,
                    rss_bytes: *rss,
                    cgroup_usage_bytes: *usage,
                    cgroup_limit_bytes: *limit,
                });
                continue;
            }
        };
        let options = jvmem::nmt::ParseOptions {
            default_timestamp: Some(*t),
            first_line: 0,
        };
        let parsed = jvmem::nmt::parse_with(&Arc::from(source), text, &options);
        snapshots.extend(parsed.snapshots);
    }
    (snapshots, samples)
}

fn by_line(mut events: Vec<GcEvent>) -> Vec<GcEvent> {
    events.sort_by_key(|e| e.line);
    events
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::proptest_cases(64), ..ProptestConfig::default() })]

    #[test]
    fn a_recorded_session_reads_back_as_recorded(
        captures in prop::collection::vec((1i64..600_000, capture()), 0..24),
        gc_cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        note in proptest::option::of(any::<String>()),
    ) {
        let (_, gc_log) = texts();
        // Strictly increasing capture times, milliseconds apart to minutes apart.
        let mut t = t0();
        let captures: Vec<(DateTime<FixedOffset>, Capture)> = captures
            .into_iter()
            .map(|(ms, c)| {
                t += Duration::milliseconds(ms);
                (t, c)
            })
            .collect();
        // The GC log cut at random byte offsets (on character boundaries, as text is kept).
        let mut cuts: Vec<usize> = gc_cuts.iter().map(|i| i.index(gc_log.len())).collect();
        cuts.retain(|&c| gc_log.is_char_boundary(c));
        cuts.extend([0, gc_log.len()]);
        cuts.sort_unstable();
        cuts.dedup();

        let header = Header::new(t0(), note);
        let mut recorder = Recorder::new(Vec::new(), &header).unwrap();
        let mut written = Vec::new();
        let gc_source: Arc<str> = Arc::from("gc.log");
        let (nmt, _) = texts();
        let mut gc_pieces = cuts.windows(2).map(|w| &gc_log[w[0]..w[1]]);
        for (t, c) in &captures {
            let record = match c {
                Capture::Nmt { sample, source } => Record::text(
                    RecordKind::Nmt, *t, &Arc::from(SOURCES[*source]), 0, nmt[*sample].as_str(),
                ),
                Capture::Text(text) => {
                    Record::text(RecordKind::Nmt, *t, &Arc::from("paste"), 0, text.as_str())
                }
                Capture::Process { rss, usage, limit } => Record::process(
                    &Arc::from("pid:4242"),
                    &ProcessSample {
                        timestamp: *t,
                        rss_bytes: *rss,
                        cgroup_usage_bytes: *usage,
                        cgroup_limit_bytes: *limit,
                    },
                ),
            };
            recorder.append(&record).unwrap();
            written.push(record);
            // GC pieces interleave with the other captures, as a follower's records do.
            if let Some(piece) = gc_pieces.next() {
                let record = Record::text(RecordKind::Gc, *t, &gc_source, 0, piece);
                recorder.append(&record).unwrap();
                written.push(record);
            }
        }
        for piece in gc_pieces {
            let record = Record::text(RecordKind::Gc, t, &gc_source, 0, piece);
            recorder.append(&record).unwrap();
            written.push(record);
        }
        prop_assert_eq!(recorder.records(), written.len() as u64);
        let bytes = recorder.into_inner();
        let text = String::from_utf8(bytes).unwrap();
        let name: Arc<str> = Arc::from("s.jvmem");

        let decoded = read_records(&name, &text);
        prop_assert_eq!(decoded.header.as_ref(), Some(&header));
        prop_assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
        let records: Vec<Record> = decoded.records.into_iter().map(|(_, r)| r).collect();
        prop_assert_eq!(&records, &written);

        let timeline = read_session(&name, &text);
        let (snapshots, samples) = expected(&captures);
        prop_assert_eq!(timeline.snapshots.len(), snapshots.len());
        for (got, want) in timeline.snapshots.iter().zip(&snapshots) {
            prop_assert_eq!(&got.to_snapshot(), want);
        }
        prop_assert_eq!(&timeline.process, &samples);
        let whole = jvmem::gclog::parse_str(Arc::clone(&gc_source), gc_log);
        prop_assert!(whole.events.len() > 30);
        prop_assert_eq!(
            by_line(timeline.gc_events.to_vec()),
            by_line(whole.events.to_vec())
        );
    }
}
