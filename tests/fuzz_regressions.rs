//! Inputs the fuzzers (fuzz/, scripts/fuzz.sh) and property tests found, kept as regression
//! tests: each file under tests/fuzz-regressions/<target>/ goes through the same checks as its
//! fuzz target.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;

use jvmem::gclog::{ParseOptions, parse_reader_opts};
use jvmem::model::GcEvent;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

fn gc_events(data: &[u8], threads: usize, chunk_bytes: usize) -> Vec<GcEvent> {
    let options = ParseOptions {
        threads,
        chunk_bytes,
        ..ParseOptions::default()
    };
    let mut events: Vec<GcEvent> = Vec::new();
    let _ = parse_reader_opts(Arc::from("regression"), data, &mut events, &options);
    events.sort_by_key(|e| e.line);
    events
}

/// Found by the `gclog` target: a ZGC capacity row of a collection whose start line is absent
/// became an event when read in chunks, but not on one thread.
#[test]
fn gclog_inputs_read_the_same_on_one_thread_and_in_small_chunks() {
    let files = inputs("gclog");
    assert!(!files.is_empty());
    for (name, data) in files {
        let one = gc_events(&data, 1, 1 << 20);
        let chunked = gc_events(&data, 2, 256);
        let ids = |e: &[GcEvent]| e.iter().map(|e| (e.line, e.gc_id)).collect::<Vec<_>>();
        assert_eq!(ids(&chunked), ids(&one), "{name}");
    }
}

/// Found by proptest (`tests/nmt_properties.rs`): category sums overflowed u64.
#[test]
fn nmt_inputs_never_panic() {
    let files = inputs("nmt");
    assert!(!files.is_empty());
    for (name, data) in files {
        let source: Arc<str> = Arc::from(name.as_str());
        let parsed = jvmem::nmt::parse_str(&source, &String::from_utf8_lossy(&data));
        assert!(parsed.snapshots.len() <= 1, "{name}");
        let _ = jvmem::input::parse_bytes(&source, &data);
    }
}
