//! The GC-log reader (unified and legacy, every collector) on any bytes: must not panic, hang
//! or go quadratic. Read whole, then fed to the incremental reader in 256-byte pieces, which
//! must give the same events.
#![no_main]

use std::sync::Arc;

use jvmem::gclog::{GcReader, parse_reader_with};
use jvmem::model::GcEvent;
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8]) -> Vec<GcEvent> {
    let mut events: Vec<GcEvent> = Vec::new();
    let _ = parse_reader_with(Arc::from("fuzz"), data, &mut events);
    events.sort_by_key(|e| e.line);
    events
}

fn read_in_pieces(data: &[u8]) -> Vec<GcEvent> {
    let mut r = GcReader::new(Arc::from("fuzz"));
    let mut events = Vec::new();
    for piece in data.chunks(256) {
        r.push(piece);
        events.extend(r.take_ready(false));
    }
    events.extend(r.finish().events);
    events
}

fuzz_target!(|data: &[u8]| {
    let one = read(data);
    for e in &one {
        assert!(e.pause_ms >= 0.0 || e.pause_ms.is_nan());
    }
    let pieces = read_in_pieces(data);
    assert_eq!(one.len(), pieces.len(), "reading in pieces lost or added events");
});
