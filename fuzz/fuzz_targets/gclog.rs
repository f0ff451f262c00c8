//! The GC-log reader (unified and legacy, every collector) on any bytes, read both as one
//! stream and through the line-buffered reader: must not panic, hang or go quadratic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source: Arc<str> = Arc::from("fuzz");
    let parsed = jvmem::gclog::parse_reader(Arc::clone(&source), data);
    for e in &parsed.events {
        assert!(e.pause_ms >= 0.0 || e.pause_ms.is_nan());
    }
    let text = String::from_utf8_lossy(data);
    let _ = jvmem::gclog::parse_str(source, &text);
});
