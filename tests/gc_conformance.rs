//! Conformance over the public corpus of real GC logs (`../shared/corpus/gc`, beside the repo):
//! every file must be read without a panic; prints per file the events found and the
//! unrecognized lines, and checks the overall unrecognized share stays small.
//! Skipped (with a note) when the corpus is not there.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// `$JVMEM_CORPUS/gc`, else `../shared/corpus/gc` from the repo root (or from a worktree one
/// level deeper, as `/work/wt/NAME`).
fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("JVMEM_CORPUS") {
        candidates.push(PathBuf::from(dir).join("gc"));
    }
    candidates.push(root.join("../shared/corpus/gc"));
    candidates.push(root.join("../../shared/corpus/gc"));
    candidates.into_iter().find(|d| d.is_dir())
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt" || e == "log") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_file_reads_without_panic() {
    let Some(dir) = corpus() else {
        println!("note: ../shared/corpus/gc not found; conformance skipped");
        return;
    };
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let (mut total_lines, mut total_unrec, mut total_events) = (0u64, 0u64, 0u64);
    let mut no_events = Vec::new();
    println!(
        "{:<80} {:>7} {:>7} {:>6}",
        "file", "lines", "events", "unrec"
    );
    for p in &paths {
        let name = p.strip_prefix(&dir).unwrap_or(p).display().to_string();
        let parse = jvmem::gclog::load_paths(std::slice::from_ref(p));
        let info = &parse.info;
        println!(
            "{:<80} {:>7} {:>7} {:>6}",
            name,
            info.lines,
            parse.events.len(),
            info.unrecognized_lines
        );
        total_lines += info.lines;
        total_unrec += info.unrecognized_lines;
        total_events += parse.events.len() as u64;
        if parse.events.is_empty() {
            no_events.push(name);
        }
    }
    let share = total_unrec as f64 * 100.0 / total_lines.max(1) as f64;
    println!(
        "TOTAL files={} lines={} events={} unrecognized={} ({:.2}%) files-without-events={}",
        paths.len(),
        total_lines,
        total_events,
        total_unrec,
        share,
        no_events.len()
    );
    for n in &no_events {
        println!("no events: {n}");
    }
    assert!(share < 2.0, "unrecognized share {share:.2}% too high");
}
