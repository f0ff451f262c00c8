//! The session-file reader on any text: torn, corrupt or hostile recordings must give
//! diagnostics, never a panic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source: Arc<str> = Arc::from("fuzz");
    let text = String::from_utf8_lossy(data);
    // Make most inputs look like sessions so the fuzzer explores the record reader.
    let text = if data.first() == Some(&b'{') {
        text.into_owned()
    } else {
        format!("{{\"jvmem_session\":1}}\n{text}")
    };
    let _ = jvmem::session::read_session(&source, &text);
});
