//! Helpers shared by the integration tests: paths to real samples, parsing shortcuts.
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
