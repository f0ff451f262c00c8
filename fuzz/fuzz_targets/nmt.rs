//! The NMT reader on any text: must not panic, hang or go quadratic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source: Arc<str> = Arc::from("fuzz");
    let parsed = jvmem::nmt::parse_str(&source, &text);
    for s in &parsed.snapshots {
        assert!(s.line >= 1);
    }
});
