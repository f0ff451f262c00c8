//! Inputs as people have them (what log shippers and support tickets hand over): compressed
//! logs and archives (samples/archives/, made from real samples by
//! samples/gen/make-archives.sh), nested directories, FIFOs and `<(…)`. Each archive must read
//! exactly like the files it was made of.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use common::repo_path;
use jvmem::model::{GcKind, Timeline};
use predicates::prelude::*;

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").unwrap()
}

fn load(paths: &[&str]) -> Timeline {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| repo_path(p).to_string_lossy().into_owned())
        .collect();
    jvmem::input::load(&paths)
}

/// What identifies a GC timeline: each event's kind, pause and heap after, in order.
fn gc_fingerprint(t: &Timeline) -> Vec<(GcKind, u64, Option<u64>)> {
    t.gc_events
        .iter()
        .map(|e| {
            (
                e.kind,
                jvmem::num::u64_from_f64((e.pause_ms * 1000.0).round()),
                e.heap_after_bytes,
            )
        })
        .collect()
}

#[test]
fn a_rotated_set_reads_the_same_from_its_folder_a_zip_a_tar_gz_and_gzipped_members() {
    let folder = load(&["samples/gc/rotated-jdk17-g1"]);
    assert_eq!(folder.gc_events.len(), 289);
    let expected = gc_fingerprint(&folder);
    for archive in [
        "samples/archives/rotated-jdk17-g1.zip",
        "samples/archives/rotated-jdk17-g1.tar.gz",
        "samples/archives/rotated-gz.tar",
    ] {
        let t = load(&[archive]);
        assert_eq!(gc_fingerprint(&t), expected, "{archive}");
        assert_eq!(t.error_count(), 0, "{archive}: {:#?}", t.diagnostics);
    }
    // The command line saved beside the logs is skipped with one warning that names it; the
    // macOS debris is not even mentioned.
    let zip = load(&["samples/archives/rotated-jdk17-g1.zip"]);
    let messages: Vec<&str> = zip.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("command.txt"), "{messages:?}");
}

#[test]
fn gzip_and_zip_of_one_log_read_like_the_log() {
    let plain = load(&["samples/gc/jdk17/g1-gcstar.log"]);
    assert_eq!(plain.gc_events.len(), 36);
    for packed in [
        "samples/archives/g1-gcstar.log.gz",
        "samples/archives/g1-gcstar.log.zip",
    ] {
        assert_eq!(
            gc_fingerprint(&load(&[packed])),
            gc_fingerprint(&plain),
            "{packed}"
        );
    }
}

#[test]
fn nmt_snapshots_in_a_tgz_read_like_the_files() {
    let files = load(&[
        "samples/nmt/jdk17/concat-date-iso.txt",
        "samples/nmt/jdk17/summary.txt",
    ]);
    let packed = load(&["samples/archives/nmt-jdk17.tgz"]);
    assert_eq!(packed.snapshots.len(), files.snapshots.len());
    assert!(packed.snapshots.len() >= 3);
    let totals = |t: &Timeline| -> Vec<u64> {
        let mut v: Vec<u64> = t
            .snapshots
            .iter()
            .map(|s| s.total.committed_bytes)
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(totals(&packed), totals(&files));
    assert!(
        packed
            .snapshots
            .first()
            .unwrap()
            .source
            .starts_with(&*repo_path("samples/archives/nmt-jdk17.tgz!").to_string_lossy())
    );
}

#[test]
fn every_command_reads_archives() {
    let gc = jvmem()
        .current_dir(repo_path(""))
        .args(["gc", "samples/archives/rotated-jdk17-g1.tar.gz"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&gc.get_output().stdout).into_owned();
    assert!(out.contains("Collections  289 "), "{out}");
    let export = jvmem()
        .current_dir(repo_path(""))
        .args([
            "export",
            "--format",
            "csv",
            "samples/archives/nmt-jdk17.tgz",
        ])
        .assert()
        .success();
    let csv = String::from_utf8_lossy(&export.get_output().stdout).into_owned();
    assert!(
        csv.contains("samples/archives/nmt-jdk17.tgz!concat-date-iso.txt"),
        "{csv}"
    );
    jvmem()
        .current_dir(repo_path(""))
        .args(["report", "samples/archives/rotated-jdk17-g1.zip"])
        .assert()
        .success()
        .stdout(predicates::str::contains("289 GC events"));
    // From a pipe too.
    let bytes = std::fs::read(repo_path("samples/archives/g1-gcstar.log.gz")).unwrap();
    let piped = jvmem()
        .args(["gc", "-"])
        .write_stdin(bytes)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&piped.get_output().stdout).into_owned();
    assert!(out.contains("Collections  36 "), "{out}");
    // Following an archive cannot work: refused, saying why.
    jvmem()
        .current_dir(repo_path(""))
        .args(["live", "--follow", "samples/archives/g1-gcstar.log.gz"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "gzip-compressed, which cannot be followed",
        ));
}

#[test]
fn directories_recurse_in_natural_order() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("bundle/pod-1/logs");
    std::fs::create_dir_all(&logs).unwrap();
    for f in std::fs::read_dir(repo_path("samples/gc/rotated-jdk17-g1")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, logs.join(f.file_name().unwrap())).unwrap();
    }
    let nmt = tmp.path().join("bundle/nmt");
    std::fs::create_dir_all(&nmt).unwrap();
    std::fs::copy(
        repo_path("samples/nmt/jdk17/summary.txt"),
        nmt.join("snap-10.txt"),
    )
    .unwrap();
    std::fs::copy(
        repo_path("samples/nmt/jdk17/summary-parallel.txt"),
        nmt.join("snap-2.txt"),
    )
    .unwrap();
    let t = jvmem::input::load(&[tmp.path().to_string_lossy().into_owned()]);
    assert_eq!(t.gc_events.len(), 289);
    let sources: Vec<String> = t
        .snapshots
        .iter()
        .map(|s| {
            Path::new(&**s.source)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(sources, vec!["snap-2.txt", "snap-10.txt"]);
}

/// Writes `bytes` into a new FIFO from a thread, as `<(cat file)` does.
fn fifo_with(dir: &Path, bytes: Vec<u8>) -> (std::path::PathBuf, std::thread::JoinHandle<()>) {
    let path = dir.join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(writer_path)
            .unwrap();
        // A broken pipe (the reader gave up) must fail the test by the assertions, not here.
        let _ = f.write_all(&bytes);
    });
    (path, writer)
}

#[test]
fn a_fifo_is_read_whole_nmt_and_gc() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read(repo_path("samples/nmt/jdk17/concat-date-iso.txt")).unwrap();
    let expected = load(&["samples/nmt/jdk17/concat-date-iso.txt"])
        .snapshots
        .len();
    let (fifo, writer) = fifo_with(tmp.path(), text);
    let out = jvmem()
        .args(["export", "--format", "json"])
        .arg(&fifo)
        .assert()
        .success();
    writer.join().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["snapshots"].as_array().map(Vec::len), Some(expected));

    std::fs::remove_file(&fifo).unwrap();
    let log = std::fs::read(repo_path("samples/gc/jdk17/g1-gcstar.log")).unwrap();
    let (fifo, writer) = fifo_with(tmp.path(), log);
    let out = jvmem().arg("gc").arg(&fifo).assert().success();
    writer.join().unwrap();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("Collections  36 "), "{text}");
}

const MIXED: &str = "samples/gc/mixed-stdout/app-then-gc.log";

#[test]
fn a_gc_log_after_200_lines_of_other_output_is_recognised() {
    // 200 entrypoint lines, then the JVM's `-Xlog:gc` on stdout mixed with the application's.
    let t = load(&[MIXED]);
    assert_eq!(t.gc_events.len(), 27, "{:#?}", t.diagnostics.first());
    assert!(t.snapshots.is_empty());
}

#[test]
fn an_explicit_gc_log_is_a_gc_log_however_long_its_preamble() {
    // 400 KiB of application output first: more than any detection looks at.
    let tmp = tempfile::tempdir().unwrap();
    let real = std::fs::read_to_string(repo_path(MIXED)).unwrap();
    let app_line = real.lines().nth(201).unwrap();
    let mut text = String::new();
    while text.len() < 400 << 10 {
        text.push_str(app_line);
        text.push('\n');
    }
    text.push_str(&real);
    let path = tmp.path().join("stdout.log");
    std::fs::write(&path, text).unwrap();
    let path = path.to_string_lossy().into_owned();
    let t = jvmem::input::load_inputs(&[], std::slice::from_ref(&path));
    assert_eq!(t.gc_events.len(), 27);
    // What the log said about itself comes with the timeline.
    let info = t.gc_log.as_ref().expect("GC log info");
    assert_eq!(info.events, 27);
    assert!(info.lines > 400, "{} lines", info.lines);
    // Without `--gc-log` it is not taken for one (and says that nothing was found).
    let t = jvmem::input::load(std::slice::from_ref(&path));
    assert!(t.gc_events.is_empty());
    assert_eq!(t.error_count(), 1);
    // The command line: `report --gc-log` reads it.
    jvmem()
        .current_dir(repo_path(""))
        .args([
            "report",
            "samples/nmt/jdk17/concat-date-iso.txt",
            "--gc-log",
        ])
        .arg(&path)
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicates::str::contains("no NMT snapshot or GC event").not());
}
