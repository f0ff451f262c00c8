//! Reading a unified log fed in small pieces (as a followed log arrives: `GcReader`) gives
//! exactly what one whole read gives: same events (ids, lines, pauses, heap figures), same
//! counts. Pieces of 4 KiB cut collections, concurrent cycles and lines on purpose.
//! (This compared the parallel chunked reader with one thread until that reader was removed;
//! the pieces now go through the incremental reader, which must keep the same promise.)

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jvmem::gclog::{GcReader, parse_reader};
use jvmem::model::{GcEvent, GcLogInfo};

fn whole(text: &[u8]) -> (Vec<GcEvent>, GcLogInfo) {
    let p = parse_reader(Arc::from("x"), text);
    (p.events.to_vec(), p.info)
}

fn in_pieces(text: &[u8], size: usize) -> (Vec<GcEvent>, GcLogInfo) {
    let mut r = GcReader::new(Arc::from("x"));
    let mut events = Vec::new();
    for piece in text.chunks(size) {
        r.push(piece);
        events.extend(r.take_ready(false));
    }
    let rest = r.finish();
    events.extend(rest.events);
    events.sort_by_key(|e| e.line);
    (events, rest.info)
}

fn unified_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("samples/gc/bench/g1-jdk17-gcstar-time-uptime-level-tags.log")];
    if let Ok(entries) = std::fs::read_dir(root.join("samples/gc/unified-small")) {
        out.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file()),
        );
    }
    // The committed copies always; the whole corpus folder too where it is present.
    let mut dirs = vec![common::corpus::subset().join("gc/gcviewer/unified-jvm-logging")];
    dirs.extend(common::corpus::full().map(|c| c.join("gc/gcviewer/unified-jvm-logging")));
    for dir in dirs {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        out.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
    }
    out
}

#[test]
fn stray_lines_before_the_first_decorated_one_read_the_same() {
    let mut text = String::from("something else entirely\nInitializing The Z Garbage Collector\n");
    for i in 0..400 {
        text.push_str(&format!(
            "[{i}.000s][info][gc] GC({i}) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(34M) 1.000ms\n"
        ));
    }
    let (ea, ia) = whole(text.as_bytes());
    let (eb, ib) = in_pieces(text.as_bytes(), 4096);
    assert_eq!(ia.unrecognized_lines, 1);
    assert_eq!(ib.unrecognized_lines, 1);
    assert_eq!(ea.len(), 400);
    assert_eq!(eb.len(), 400);
}

#[test]
fn pieces_match_one_whole_read() {
    let files = unified_files();
    // The bench log, samples/gc/unified-small's 9 logs and the 7 committed corpus logs at
    // least (more with the full corpus).
    assert!(files.len() >= 17, "{files:?}");
    for path in files {
        let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (a, ia) = whole(&text);
        let (b, ib) = in_pieces(&text, 4096);
        assert_eq!(a.len(), b.len(), "{}", path.display());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{}", path.display());
        }
        assert_eq!(ia.lines, ib.lines, "{}", path.display());
        assert_eq!(
            ia.unrecognized_lines,
            ib.unrecognized_lines,
            "{}",
            path.display()
        );
        assert_eq!(ia.collector, ib.collector, "{}", path.display());
        assert_eq!(ia.jvm_version, ib.jvm_version, "{}", path.display());
        assert_eq!(ia.bytes, ib.bytes, "{}", path.display());
    }
}
