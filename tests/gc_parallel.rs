//! Reading a unified log on several threads in small chunks gives exactly what one thread gives:
//! same events (ids, lines, pauses, heap figures), same counts. Chunks of 4 KiB cut collections
//! and concurrent cycles across chunks on purpose.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jvmem::gclog::{ParseOptions, parse_reader_opts};
use jvmem::model::GcEvent;

fn read(path: &Path, options: &ParseOptions) -> (Vec<GcEvent>, jvmem::model::GcLogInfo) {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut events = Vec::new();
    let (info, _) = parse_reader_opts(Arc::from("x"), text.as_slice(), &mut events, options);
    events.sort_by_key(|e| e.line);
    (events, info)
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
    let one = ParseOptions {
        threads: 1,
        chunk_bytes: 1 << 20,
        region_size_hint: None,
    };
    let many = ParseOptions {
        threads: 3,
        chunk_bytes: 4096,
        region_size_hint: None,
    };
    let (mut ea, mut eb) = (Vec::new(), Vec::new());
    let (ia, _) = parse_reader_opts(Arc::from("x"), text.as_bytes(), &mut ea, &one);
    let (ib, _) = parse_reader_opts(Arc::from("x"), text.as_bytes(), &mut eb, &many);
    assert_eq!(ia.unrecognized_lines, 1);
    assert_eq!(ib.unrecognized_lines, 1);
    assert_eq!(ea.len(), 400);
    assert_eq!(eb.len(), 400);
}

#[test]
fn parallel_chunks_match_one_thread() {
    let one = ParseOptions {
        threads: 1,
        chunk_bytes: 1 << 20,
        region_size_hint: None,
    };
    let many = ParseOptions {
        threads: 3,
        chunk_bytes: 4096,
        region_size_hint: None,
    };
    let files = unified_files();
    // The bench log, samples/gc/unified-small's 9 logs and the 7 committed corpus logs at
    // least (more with the full corpus).
    assert!(files.len() >= 17, "{files:?}");
    for path in files {
        let (a, ia) = read(&path, &one);
        let (b, ib) = read(&path, &many);
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
