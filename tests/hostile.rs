//! Hostile and huge inputs (never a panic, never unbounded memory), at sizes a test can
//! afford: binary files, invalid UTF-8, an over-long line, empty inputs, a directory of
//! thousands of files, stdin, a torn session.
//! The full sizes (2 GB, 1 GB line, 1 GB binary, 10,000 files) run in `scripts/hostile.sh`.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::repo_path;
use jvmem::model::{Severity, Snapshot};
use predicates::prelude::*;

const CONCAT: &str = "samples/nmt/jdk25/concat-date-iso.txt";

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").unwrap()
}

fn snapshots_of(json: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(json).expect("JSON on stdout");
    v["snapshots"].as_array().map_or(0, Vec::len)
}

/// The snapshots with where they came from blanked, to compare the same data read two ways.
fn placeless(mut snapshots: Vec<Snapshot>) -> Vec<Snapshot> {
    for s in &mut snapshots {
        s.source = Arc::from("");
        s.line = 0;
    }
    snapshots
}

/// Deterministic noise (xorshift), so a failure reproduces.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed.to_le_bytes()[0]
        })
        .collect()
}

fn assert_refused_as_binary(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    jvmem()
        .arg("export")
        .arg(path)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{name}: error: binary data"
        )))
        .stderr(predicate::str::contains("panick").not());
}

#[test]
fn binary_files_exit_1_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let random = dir.path().join("random.bin");
    std::fs::write(&random, noise(200_000, 7)).unwrap();
    assert_refused_as_binary(&random);

    // An ELF header, then code-like noise: NUL bytes right at the start.
    let mut elf =
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00".to_vec();
    elf.extend(noise(50_000, 11));
    let elf_path = dir.path().join("a.out");
    std::fs::write(&elf_path, elf).unwrap();
    assert_refused_as_binary(&elf_path);

    // A gzip'd GC log (what log shippers rotate into) is not binary data: it is read,
    // although its header holds NULs.
    let log = std::fs::read(repo_path("samples/gc/jdk17/g1-gcstar.log")).unwrap();
    let gz = dir.path().join("gc.log.gz");
    let mut child = std::process::Command::new("gzip")
        .args(["-c", "-n"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::fs::File::create(&gz).unwrap())
        .spawn()
        .expect("gzip");
    child.stdin.take().unwrap().write_all(&log).unwrap();
    assert!(child.wait().unwrap().success());
    let t = jvmem::input::load(&[gz.to_string_lossy().into_owned()]);
    assert_eq!((t.gc_events.len(), t.error_count()), (36, 0));

    // The same through the library: an error diagnostic, nothing read.
    let t = jvmem::input::load(&[random.to_string_lossy().into_owned()]);
    assert!(t.is_empty());
    assert_eq!(t.error_count(), 1, "{:?}", t.diagnostics);
}

#[test]
fn invalid_utf8_between_and_inside_snapshots_leaves_them_exact() {
    let clean = std::fs::read(repo_path(CONCAT)).unwrap();
    let expected = placeless(
        jvmem::input::parse_bytes(&Arc::from("clean"), &clean)
            .snapshots
            .to_vec(),
    );
    assert_eq!(expected.len(), 5);
    // Invalid sequences at the end of every category line and sub-line, on the `(Omitting …)`
    // note, and as a garbage line before every timestamp (between snapshots).
    let mut dirty = Vec::new();
    for line in clean.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"2026-") {
            dirty.extend_from_slice(b"\xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc junk \xff\xfe\n");
        }
        let trimmed = line.trim_ascii_start();
        if line.starts_with(b"-") || line.starts_with(b"(Omitting") || trimmed.starts_with(b"(") {
            dirty.extend_from_slice(&line[..line.len() - 1]);
            dirty.extend_from_slice(b" \xe2\x82\xff\n");
        } else {
            dirty.extend_from_slice(line);
        }
    }
    assert!(std::str::from_utf8(&dirty).is_err());
    let from_bytes = jvmem::input::parse_bytes(&Arc::from("dirty"), &dirty);
    // `assert!`, not `assert_eq!`: a failure would print five whole snapshots twice.
    assert_eq!(
        from_bytes.snapshots.len(),
        5,
        "{:?}",
        from_bytes.diagnostics
    );
    assert!(placeless(from_bytes.snapshots.to_vec()) == expected);
    let streamed = jvmem::input::load_reader(&Arc::from("dirty"), &dirty[..]);
    assert_eq!(streamed.error_count(), 0, "{:?}", streamed.diagnostics);
    assert!(placeless(streamed.snapshots.to_vec()) == expected);
}

/// A reader that makes `line_bytes` of `x` then a newline then `tail`, without ever holding
/// the long line (so the test process itself stays small).
struct LongLine {
    left: usize,
    tail: std::io::Cursor<Vec<u8>>,
}

impl Read for LongLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left > 0 {
            let n = self.left.min(buf.len());
            let fill = if self.left == n { n - 1 } else { n };
            buf[..fill].fill(b'x');
            if fill < n {
                buf[fill] = b'\n';
            }
            self.left -= n;
            return Ok(n);
        }
        self.tail.read(buf)
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Set in the child process [`a_20_mib_line_is_skipped_named_and_never_held`] starts, so the
/// peak memory measured is that of the read alone.
const CHILD: &str = "JVMEM_HOSTILE_LONG_LINE_CHILD";

#[test]
fn a_20_mib_line_is_skipped_named_and_never_held() {
    if std::env::var_os(CHILD).is_none() {
        // Measure in a fresh process: the peak of this one includes the other tests.
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_20_mib_line_is_skipped_named_and_never_held",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("peak RSS"), "{stdout}");
        return;
    }
    let tail = std::fs::read(repo_path("samples/nmt/jdk25/summary.txt")).unwrap();
    let expected = placeless(
        jvmem::input::parse_bytes(&Arc::from("s"), &tail)
            .snapshots
            .to_vec(),
    );
    assert_eq!(expected.len(), 1);
    let source: Arc<str> = Arc::from("long.txt");
    // A first line of NMT-looking text so the kind is told from the head, then 20 MiB.
    let reader = LongLine {
        left: 20 << 20,
        tail: std::io::Cursor::new(tail),
    };
    let t = jvmem::input::load_reader(&source, reader);
    assert_eq!(placeless(t.snapshots.to_vec()), expected);
    let long = t
        .diagnostics
        .iter()
        .find(|d| d.message.contains("skipped"))
        .expect("a warning for the long line");
    assert_eq!((long.line, long.severity), (1, Severity::Warning), "{long}");
    assert!(long.message.contains("20.0 MiB"), "{long}");
    let peak = peak_rss_kib().expect("VmHWM");
    println!("peak RSS {peak} KiB");
    // The line is 20 MiB; the reader keeps at most MAX_LINE_BYTES (1 MiB) of it.
    assert!(
        peak < 16 * 1024,
        "peak RSS {peak} KiB: the long line was held"
    );
}

#[test]
fn empty_and_newline_only_files_exit_1_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("newlines.txt", &b"\n\n\n\r\n\n"[..]),
        ("many-newlines.txt", &vec![b'\n'; 1 << 20][..]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        jvmem()
            .arg("export")
            .arg(&path)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{name}: error: no NMT snapshot or GC event"
            )));
    }
}

#[test]
fn a_directory_of_3000_files_reads_every_snapshot_in_natural_order() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = std::fs::read_to_string(repo_path("samples/nmt/jdk25/summary.txt")).unwrap();
    let mut real = Vec::new();
    let mut junk = 0;
    for i in 1..=3000u32 {
        let name = format!("snap-{i}.txt");
        let bytes: Vec<u8> = match i % 5 {
            0 => noise(300, u64::from(i)),
            1 => Vec::new(),
            2 => b"hello\nnot a snapshot\n".to_vec(),
            _ => {
                real.push(name.clone());
                snapshot.clone().into_bytes()
            }
        };
        if !(3..5).contains(&(i % 5)) {
            junk += 1;
        }
        std::fs::write(dir.path().join(&name), bytes).unwrap();
    }
    let start = Instant::now();
    let t = jvmem::input::load(&[dir.path().to_string_lossy().into_owned()]);
    let took = start.elapsed();
    eprintln!("3000 files: {took:?}");
    let order: Vec<String> = t
        .snapshots
        .iter()
        .map(|s| s.source.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        order, real,
        "every snapshot, in natural order (snap-2 before snap-10)"
    );
    assert_eq!(t.error_count(), junk, "one error per bad file");
    // Generous: a guard against a quadratic path, not a benchmark.
    assert!(took < Duration::from_secs(30), "{took:?}");

    let out = jvmem()
        .args(["export", "--format", "csv"])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .success()
        .stderr(predicate::str::contains("snap-1.txt: error"))
        .stderr(predicate::str::contains("more diagnostics"))
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(out).unwrap();
    assert!(csv.contains("snap-3.txt") && csv.contains("snap-2999.txt"));
}

#[test]
fn a_gc_log_on_stdin() {
    let log = std::fs::read(repo_path("samples/gc/jdk17/g1-gcstar.log")).unwrap();
    let expected = jvmem::input::load(&[repo_path("samples/gc/jdk17/g1-gcstar.log")
        .to_string_lossy()
        .into_owned()]);
    assert!(!expected.gc_events.is_empty());
    let out = jvmem()
        .args(["export", "-"])
        .write_stdin(log.clone())
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["gc_events"].as_array().map_or(0, Vec::len),
        expected.gc_events.len()
    );
    jvmem()
        .args(["gc", "-"])
        .write_stdin(log)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
}

/// The demo recording's header and NMT records: a session whose last record is a snapshot.
fn nmt_session() -> (String, usize) {
    let demo = std::fs::read_to_string(repo_path("samples/sessions/demo.jvmem")).unwrap();
    let mut lines = demo.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    let mut records = 0;
    for line in lines.filter(|l| l.contains(r#""kind":"nmt""#)) {
        text.push_str(line);
        text.push('\n');
        records += 1;
    }
    (text, records)
}

#[test]
fn export_of_a_torn_session_keeps_every_complete_record_and_warns() {
    let (text, records) = nmt_session();
    assert!(records > 10);
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.jvmem");
    std::fs::write(&whole, &text).unwrap();
    let out = jvmem().arg("export").arg(&whole).assert().success();
    assert_eq!(snapshots_of(&out.get_output().stdout), records);

    // Torn inside the last record, as `kill -9` leaves it (a few cuts; every byte offset is
    // covered by the library test in src/session/tests.rs).
    let last_start = text[..text.len() - 1].rfind('\n').unwrap() + 1;
    for cut in [
        last_start + 1,
        last_start + 20,
        (last_start + text.len()) / 2,
        text.len() - 2,
    ] {
        let torn = dir.path().join("torn.jvmem");
        std::fs::write(&torn, &text.as_bytes()[..cut]).unwrap();
        let out = jvmem()
            .arg("export")
            .arg(&torn)
            .assert()
            .success()
            .stderr(predicate::str::contains("torn.jvmem:"))
            .stderr(predicate::str::contains(
                "warning: last record is incomplete",
            ))
            .stderr(predicate::str::contains("error").not());
        assert_eq!(
            snapshots_of(&out.get_output().stdout),
            records - 1,
            "cut at {cut}"
        );
    }
}
