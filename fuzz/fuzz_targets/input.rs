//! The input splitter: kind detection and parsing of whatever an input holds (NMT, GC log,
//! session), as `jvmem export` reads a file.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source: Arc<str> = Arc::from("fuzz");
    let _ = jvmem::input::parse_bytes(&source, data);
});
