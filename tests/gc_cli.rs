//! `jvmem gc` and the GC side of `jvmem export` as a user runs them: text, JSON, CSV,
//! `--verbose`, stdin, rotated directories, exit codes.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use assert_cmd::Command;
use common::repo_path;
use predicates::prelude::*;
use serde_json::Value;

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").unwrap()
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    jvmem()
        .current_dir(repo_path(""))
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

const PARALLEL: &str = "samples/gc/unified-small/jdk17-parallel-gcstar-uptime-tid.log";

#[test]
fn gc_text_summary() {
    let out = String::from_utf8(stdout_of(&["gc", PARALLEL])).unwrap();
    insta::assert_snapshot!("gc_text_parallel_jdk17", out);
}

#[test]
fn gc_json_summary_has_hand_checked_totals() {
    let v: Value =
        serde_json::from_slice(&stdout_of(&["gc", "--format", "json", PARALLEL])).unwrap();
    let s = &v["gc_summary"];
    assert_eq!(s["collector"], "Parallel");
    assert_eq!(s["jvm_version"], "17.0.15+6-Debian-1deb12u1");
    assert_eq!(s["events"], 29);
    assert_eq!(s["pause_total_ms"], 86.818);
    assert_eq!(s["events_by_kind"]["young"], 29);
    assert_eq!(s["unrecognized_lines"], 0);
}

#[test]
fn gc_reads_a_rotated_directory_and_stdin() {
    let v: Value = serde_json::from_slice(&stdout_of(&[
        "gc",
        "--format",
        "json",
        "samples/gc/unified-small/jdk17-g1-rotated",
    ]))
    .unwrap();
    assert_eq!(v["gc_summary"]["events"], 15);
    assert_eq!(v["gc_summary"]["pause_total_ms"], 42.775);
    let text = std::fs::read(repo_path("samples/gc/jdk8-handwritten/g1-details.log")).unwrap();
    jvmem()
        .args(["gc", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Collections  6 (cleanup 1, concurrent 1, initial-mark 1, mixed 1, remark 1, young 1)",
        ));
}

#[test]
fn gc_verbose_lists_unrecognized_lines_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gc.log");
    std::fs::write(
        &log,
        // After a decorated line, an undecorated one continues a multi-line message; before
        // any, it is not understood.
        "something else entirely\n[0.010s][info][gc] Using G1\n[0.2s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(34M) 5.696ms\n",
    )
    .unwrap();
    let log = log.to_string_lossy().into_owned();
    jvmem()
        .args(["gc", &log])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 unrecognized"))
        .stdout(predicate::str::contains("something else").not());
    jvmem()
        .args(["gc", "--verbose", &log])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{log}:1: warning: unrecognized line: something else entirely"
        )));
}

#[test]
fn gc_exits_1_when_nothing_could_be_read() {
    jvmem()
        .args(["gc", "/no/such/gc.log"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn export_json_carries_gc_events_and_summary_beside_snapshots() {
    let v: Value = serde_json::from_slice(&stdout_of(&[
        "export",
        "samples/scenarios/steady-jdk17-g1/nmt.log",
        "samples/scenarios/steady-jdk17-g1/gc.log",
    ]))
    .unwrap();
    assert!(!v["snapshots"].as_array().unwrap().is_empty());
    let events = v["gc_events"].as_array().unwrap();
    assert_eq!(events.len(), 27);
    assert_eq!(events[0]["kind"], "young");
    assert_eq!(events[0]["collector"], "G1");
    assert_eq!(v["gc_summary"]["events"], 27);
    assert_eq!(v["gc_summary"]["jvm_version"], "17.0.15+6-Debian-1deb12u1");
}

#[test]
fn export_csv_gc_rows() {
    let out = String::from_utf8(stdout_of(&["export", "--format", "csv", PARALLEL])).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(jvmem::report::csv::GC_HEADER));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 29);
    // GC(5): Pause Young (Allocation Failure) 36M->4M(122M) 2.545ms
    let row5: Vec<&str> = rows[5].split(',').collect();
    assert_eq!(row5[2], "5");
    assert_eq!(row5[6], "young");
    assert_eq!(row5[9], "2.545");
    assert_eq!(row5[12], (4u64 << 20).to_string());

    // NMT and GC together: the snapshot table, a blank line, the GC table.
    let both = String::from_utf8(stdout_of(&[
        "export",
        "--format",
        "csv",
        "samples/scenarios/steady-jdk17-g1/nmt.log",
        "samples/scenarios/steady-jdk17-g1/gc.log",
    ]))
    .unwrap();
    assert!(both.starts_with(jvmem::report::csv::HEADER));
    assert!(both.contains(&format!("\n\n{}\n", jvmem::report::csv::GC_HEADER)));
}
