//! Helpers shared by the integration tests: paths to real samples, parsing shortcuts.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
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

/// Cases per property: `PROPTEST_CASES` when set (a longer run by hand), else `default`.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

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
    pub fn id(p: &GcParse, gc_id: u64) -> GcEvent {
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

/// Real public JVM output from other projects' test suites (see `tests/corpus/README.md`).
///
/// A committed subset lives in `tests/corpus/` so the tests that read it always have their
/// data; the full corpus (`$JVMEM_CORPUS`, else `../shared/corpus` beside the repository or
/// beside a worktree one level deeper) is read in addition where it is present.
pub mod corpus {
    use std::path::{Path, PathBuf};

    /// The committed subset's root, `tests/corpus`.
    pub fn subset() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
    }

    /// A committed corpus file (`gc/…` or `nmt/…`); panics when it is missing, so a test that
    /// names one can never pass without reading it.
    pub fn file(rel: &str) -> PathBuf {
        let path = subset().join(rel);
        assert!(
            path.is_file(),
            "{}: committed corpus file missing",
            path.display()
        );
        path
    }

    /// The full corpus's root (holding `gc/` and `nmt/`), when it is present: `$JVMEM_CORPUS`
    /// when set (so `JVMEM_CORPUS=/nowhere` runs the subset alone), else `../shared/corpus`.
    pub fn full() -> Option<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let candidates: Vec<PathBuf> = match std::env::var_os("JVMEM_CORPUS") {
            Some(dir) => vec![PathBuf::from(dir)],
            None => vec![
                root.join("../shared/corpus"),
                root.join("../../shared/corpus"),
            ],
        };
        candidates.into_iter().find(|d| d.join("gc").is_dir())
    }
}

/// True when `program` runs (`-version`, or `-h` for tools without it): a real JVM test skips,
/// saying so, without a JDK on PATH.
pub fn on_path(program: &str) -> bool {
    use std::process::{Command, Stdio};
    let runs = |flag: &str| {
        Command::new(program)
            .arg(flag)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    runs("-version") || runs("-h")
}

#[path = "../support/child.rs"]
mod child;
pub use child::KillOnDrop;

/// A JVM started by a test, killed however the test ends.
pub struct Jvm(KillOnDrop);

impl Jvm {
    /// Runs the single-file program `java_source` (its class `Sleep`, written to `dir`) as
    /// `java ARGS Sleep.java` and waits until it prints `ready`, so that jcmd does not race the
    /// JVM's start.
    pub fn start_ready(dir: &Path, java_source: &str, args: &[&str]) -> Jvm {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let source = dir.join("Sleep.java");
        std::fs::write(&source, java_source).expect("write Sleep.java");
        let mut child = Command::new("java")
            .args(args)
            .arg(&source)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start java");
        let stdout = child.stdout.take().expect("stdout");
        let jvm = Jvm(KillOnDrop(child));
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        assert_eq!(line.trim(), "ready", "the test JVM did not start");
        jvm
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

/// A session file `name` in `dir`, opened for a live source to record into.
pub fn recorder(dir: &Path, name: &str) -> (PathBuf, jvmem::session::SharedRecorder) {
    use jvmem::session::{Header, Recorder};
    let session = dir.join(name);
    let recorder = Recorder::open(&session, &Header::new(jvmem::live::capture_time(), None))
        .expect("recorder")
        .shared();
    (session, recorder)
}
