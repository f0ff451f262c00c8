//! Helpers shared by the integration tests: paths to real samples, parsing shortcuts.

// Each test crate compiles this module and uses only some of the helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jvmem::nmt::{NmtParse, parse_str};

/// A file under the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Parses a sample file (lossy UTF-8, like the CLI).
pub fn parse_file(relative: &str) -> NmtParse {
    let path = repo_path(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_text(relative, &String::from_utf8_lossy(&bytes))
}

pub fn parse_text(source: &str, text: &str) -> NmtParse {
    let source: Arc<str> = Arc::from(source);
    parse_str(&source, text)
}

/// Every file below `dir` (relative to the repo), sorted.
pub fn files_below(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo_path(dir), &mut out);
    out.sort();
    out
}

pub const KIB: u64 = 1024;

/// Helpers for the GC-log tests.
pub mod gc {
    use std::path::{Path, PathBuf};

    use jvmem::gclog::GcParse;
    use jvmem::model::GcEvent;

    pub const K: u64 = 1024;
    pub const M: u64 = 1024 * 1024;

    /// A file under samples/gc.
    pub fn sample(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/gc")
            .join(rel)
    }

    /// The event with this GC id.
    pub fn id(p: &GcParse, gc_id: u64) -> &GcEvent {
        p.events
            .iter()
            .find(|e| e.gc_id == Some(gc_id))
            .expect("event with that id")
    }

    /// Total pause time of all events, rounded to microseconds.
    pub fn pause_sum(p: &GcParse) -> f64 {
        (p.events.iter().map(|e| e.pause_ms).sum::<f64>() * 1000.0).round() / 1000.0
    }
}
