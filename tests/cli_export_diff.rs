//! `jvmem export` and `jvmem diff` as a user runs them: formats, exit codes, messages.

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

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON on stdout")
}

#[test]
fn export_json_gives_bytes_and_every_printed_sub_field() {
    let out = jvmem()
        .current_dir(repo_path(""))
        .args(["export", "samples/nmt/jdk25/summary-diff.txt"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let s = &v["snapshots"][0];
    assert_eq!(s["kind"], "summary.diff");
    assert_eq!(s["pid"], 6379);
    assert_eq!(s["source"], "samples/nmt/jdk25/summary-diff.txt");
    assert_eq!(s["total"]["committed_delta_bytes"], 11052 * 1024);
    let class = s["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Class")
        .unwrap();
    assert_eq!(class["class_count"], 1466);
    assert_eq!(class["class_delta_count"], 405);
    assert_eq!(class["metadata_waste_percent"], 5.28);
    assert_eq!(class["metadata_waste_delta_bytes"], 211 * 1024);
    assert_eq!(v["diagnostics"], Value::Array(vec![]));
}

#[test]
fn export_summary_has_no_delta_keys() {
    let out = jvmem()
        .args([
            "export",
            repo_path("samples/nmt/jdk25/summary.txt").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    let heap = &v["snapshots"][0]["categories"][0];
    assert_eq!(heap["name"], "Java Heap");
    assert_eq!(heap["committed_bytes"], 262144 * 1024);
    assert!(heap.get("committed_delta_bytes").is_none());
    assert_eq!(v["snapshots"][0]["timestamp"], Value::Null);
}

#[test]
fn export_csv_has_one_row_per_snapshot_and_category() {
    let out = jvmem()
        .args(["export", "--format", "csv"])
        .arg(repo_path("samples/nmt/jdk25/concat-date-iso.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], jvmem::report::csv::HEADER);
    assert_eq!(lines.len(), 1 + 5 * 21, "5 snapshots × 21 categories");
    let heap_row = lines
        .iter()
        .find(|l| l.starts_with("3,") && l.contains(",Java Heap,"))
        .unwrap();
    assert!(
        heap_row
            .contains(",2026-11-26T07:25:31+00:00,6379,summary,Java Heap,268435456,268435456,,"),
        "{heap_row}"
    );
}

#[test]
fn export_reads_stdin() {
    let text = std::fs::read(repo_path("samples/nmt/jdk25/summary.txt")).unwrap();
    let out = jvmem()
        .args(["export", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(json_of(&out.stdout)["snapshots"][0]["source"], "-");
}

#[test]
fn nothing_readable_exits_1_and_says_where() {
    jvmem()
        .args(["export"])
        .arg(repo_path("samples/nmt/jdk25/not-enabled.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not-enabled.txt:2: error: jcmd: native memory tracking is not enabled",
        ));
    jvmem()
        .args(["export", "/nonexistent/file.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/nonexistent/file.txt: error: cannot read",
        ));
    let binary: Vec<u8> = (0u8..=255).cycle().take(100_000).collect();
    jvmem()
        .args(["export", "-"])
        .write_stdin(binary)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-: error: binary data"));
    jvmem()
        .args(["export", "-"])
        .write_stdin("")
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2() {
    jvmem().args(["export"]).assert().code(2);
    jvmem()
        .args(["export", "x", "--format", "yaml"])
        .assert()
        .code(2);
    jvmem().args(["frobnicate"]).assert().code(2);
    let sample = repo_path("samples/nmt/jdk25/summary.txt");
    jvmem()
        .args(["diff", &format!("{}@0", sample.display())])
        .assert()
        .code(2);
}

#[test]
fn diff_text_is_sorted_by_change_with_totals() {
    let out = jvmem()
        .arg("diff")
        .arg(repo_path("samples/nmt/jdk25/concat-date-iso.txt"))
        .args(["--format", "text"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().skip(4).collect();
    assert!(rows[0].starts_with("Arena Chunk"), "{text}");
    assert!(rows[0].contains("+11.4 MiB"), "{text}");
    assert!(rows[1].starts_with("Other"), "{text}");
    let total = rows.last().unwrap();
    assert!(
        total.starts_with("Total") && total.contains("+17.4 MiB"),
        "{text}"
    );
}

#[test]
fn diff_json_marks_new_and_gone_categories() {
    let jdk8 = repo_path("samples/nmt/jdk8/summary.txt");
    let jdk25 = repo_path("samples/nmt/jdk25/summary.txt");
    let out = jvmem()
        .arg("diff")
        .arg(&jdk8)
        .arg(&jdk25)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = json_of(&out.stdout);
    let status_of = |name: &str| {
        v["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status_of("Metaspace").as_deref(), Some("new"));
    assert_eq!(status_of("Java Heap").as_deref(), Some("changed"));
    let old_total = v["old"]["total"]["committed_bytes"].as_i64().unwrap();
    let new_total = v["new"]["total"]["committed_bytes"].as_i64().unwrap();
    assert_eq!(
        v["total"]["committed_delta_bytes"].as_i64().unwrap(),
        new_total - old_total
    );
    let sum: i64 = v["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["committed_delta_bytes"].as_i64().unwrap())
        .sum();
    let cats = |side: &str| -> i64 {
        v[side]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["committed_bytes"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sum, cats("new") - cats("old"), "category deltas add up");
}

#[test]
fn diff_picks_snapshots_by_number_and_reports_out_of_range() {
    let file = repo_path("samples/nmt/jdk25/concat-date-iso.txt");
    let out = jvmem()
        .arg("diff")
        .arg(format!("{}@2", file.display()))
        .arg(format!("{}@3", file.display()))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = json_of(&out.stdout);
    assert_eq!(v["old"]["line"], 99);
    assert_eq!(v["new"]["line"], 196);
    jvmem()
        .arg("diff")
        .arg(format!("{}@9", file.display()))
        .arg(format!("{}@last", file.display()))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "has 5 snapshot(s); cannot take snapshot @9",
        ));
    jvmem()
        .arg("diff")
        .arg(repo_path("samples/nmt/jdk25/summary.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has only one snapshot"));
}
