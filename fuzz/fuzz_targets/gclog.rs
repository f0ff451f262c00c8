//! The GC-log reader (unified and legacy, every collector) on any bytes: must not panic, hang
//! or go quadratic. Read on one thread (deterministic, so libFuzzer's leak check is meaningful),
//! then with two workers and tiny chunks, whose merge must give the same events.
#![no_main]

use std::sync::Arc;

use jvmem::gclog::{ParseOptions, parse_reader_opts};
use jvmem::model::GcEvent;
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], threads: usize, chunk_bytes: usize) -> Vec<GcEvent> {
    let options = ParseOptions {
        threads,
        chunk_bytes,
        ..ParseOptions::default()
    };
    let mut events: Vec<GcEvent> = Vec::new();
    let _ = parse_reader_opts(Arc::from("fuzz"), data, &mut events, &options);
    events.sort_by_key(|e| e.line);
    events
}

fuzz_target!(|data: &[u8]| {
    let one = read(data, 1, 1 << 20);
    for e in &one {
        assert!(e.pause_ms >= 0.0 || e.pause_ms.is_nan());
    }
    let two = read(data, 2, 256);
    assert_eq!(one.len(), two.len(), "chunked reading lost or added events");
});
