//! Unified lines without a GC id: the `gc,init` header (`Using G1`, `Version: …`, heap sizes,
//! region size), the line a JVM run starts with, and what a collection's name betrays about
//! the collector when the header is missing.

use super::{UnifiedParser, g1};
use crate::gclog::GcLogInfo;
use crate::model::Collector;

/// The collector a line's name betrays when the header did not say.
pub(super) fn infer_from_name(body: &[u8]) -> Option<Collector> {
    let has = |n: &[u8]| memchr::memmem::find(body, n).is_some();
    if has(b"G1 ") || has(b"Pause Remark") && has(b"Concurrent Cycle") {
        Some(Collector::G1)
    } else if has(b"Init Mark")
        || has(b"Final Mark")
        || has(b"Degenerated")
        || has(b"Concurrent marking")
    {
        Some(Collector::Shenandoah)
    } else {
        None
    }
}

/// Without decorators (`-Xlog:gc*:file=…:none`) a line is only its message, so there is no
/// structure left to check: the JVM's messages start with a letter (`CPUs: 2 total`,
/// `CDS archive(s) not mapped`, Shenandoah's `all workers. Dividing …` statistics), an indent
/// (heap and statistics tables) or a table rule.
pub(super) fn undecorated_info(msg: &[u8]) -> bool {
    msg.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b' ' | b'\t' | b'-' | b'=' | b'|'))
}

/// The line a JVM run's log starts with: `Using G1` (every collector but Epsilon names itself
/// so, JDK 9–25).
pub(super) fn is_run_header(msg: &[u8]) -> bool {
    msg.strip_prefix(b"Using ").is_some_and(|rest| {
        matches!(
            rest,
            b"G1"
                | b"Parallel"
                | b"Serial"
                | b"Concurrent Mark Sweep"
                | b"Shenandoah"
                | b"The Z Garbage Collector"
                | b"Epsilon"
        )
    })
}

/// Reads a line without a GC id: `Using G1`, `Version: …`, `Heap region size: 1M`.
pub(super) fn header(msg: &[u8], info: &mut GcLogInfo, parser: &mut UnifiedParser) -> bool {
    if let Some(rest) = msg
        .strip_prefix(b"Using ")
        .or_else(|| msg.strip_prefix(b"Initializing "))
    {
        let c = match rest {
            b"G1" => Some(Collector::G1),
            b"Parallel" => Some(Collector::Parallel),
            b"Serial" => Some(Collector::Serial),
            b"Concurrent Mark Sweep" => Some(Collector::Cms),
            b"Shenandoah" => Some(Collector::Shenandoah),
            b"The Z Garbage Collector" => Some(Collector::Zgc),
            b"Epsilon" => Some(Collector::Epsilon),
            _ => None,
        };
        if let Some(c) = c {
            parser.collector = Some(c);
            info.collector = Some(c);
            return true;
        }
    }
    if let Some(rest) = msg.strip_prefix(b"Version: ") {
        let v = rest.split(|c| *c == b' ').next().unwrap_or(rest);
        if info.jvm_version.is_none() {
            info.jvm_version = Some(String::from_utf8_lossy(v).into_owned());
        }
        return true;
    }
    // `Heap Initial Capacity: 64M`, `Heap Max Capacity: 64M` (gc,init, JDK 17+).
    for (key, slot) in [
        (
            &b"Heap Initial Capacity: "[..],
            &mut info.heap_initial_bytes,
        ),
        (b"Heap Max Capacity: ", &mut info.heap_max_bytes),
    ] {
        if let Some(rest) = msg.strip_prefix(key) {
            if let Some((v, _)) = crate::gclog::numbers::leading_size(rest) {
                *slot = Some(v);
                return true;
            }
        }
    }
    if let Some(size) = g1::region_size(msg) {
        parser.region_size = Some(size);
        return true;
    }
    false
}
