//! The binary's live/replay/demo/session paths, without a terminal (assert_cmd).

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;

const DEMO_SESSION: &str = "samples/sessions/demo.jvmem";
const DEMO_NMT: &str = include_str!("../samples/scenarios/demo-jdk21-g1/nmt.log");

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").expect("binary")
}

/// The first `n` timestamped snapshots of the demo log.
fn demo_snapshots(n: usize) -> String {
    let mut count = 0;
    let mut out = String::new();
    for line in DEMO_NMT.split_inclusive('\n') {
        if jvmem::nmt::parse_timestamp_line(line).is_some() {
            count += 1;
            if count > n {
                break;
            }
        }
        out.push_str(line);
    }
    out
}

#[test]
fn export_reads_a_session_file() {
    let output = jvmem()
        .args(["export", "--format", "json", DEMO_SESSION])
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let snapshots = json["snapshots"].as_array().expect("snapshots");
    assert_eq!(snapshots.len(), 61);
    assert_eq!(snapshots[0]["source"], "pid:7796");
    assert_eq!(snapshots[0]["timestamp"], "2026-11-26T07:26:35+00:00");
    jvmem()
        .args(["export", "--format", "csv", DEMO_SESSION])
        .assert()
        .success()
        .stdout(predicate::str::contains("Java Heap"));
}

#[test]
fn diff_reads_a_session_file() {
    jvmem()
        .args(["diff", "--format", "text", DEMO_SESSION])
        .assert()
        .success()
        .stdout(predicate::str::contains("Other").and(predicate::str::contains("+90.0 MiB")));
}

#[test]
fn demo_without_a_terminal_prints_the_leak() {
    let dir = tempfile::tempdir().expect("tempdir");
    jvmem()
        .current_dir(dir.path())
        .arg("demo")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("2026-11-26T07:29:35+00:00 pid:7796 committed 635.5 MiB")
                .and(predicate::str::contains("Java Heap"))
                .and(predicate::str::contains("+90.0 MiB")),
        );
}

#[test]
fn a_pipe_into_live_is_recorded_and_replays_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("piped.jvmem");
    let three = demo_snapshots(3);
    let output = jvmem()
        .args(["live", "-", "--record"])
        .arg(&session)
        .write_stdin(three.clone())
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("recorded"));
    // The recording replays to the same lines.
    let replay = jvmem()
        .arg("replay")
        .arg(&session)
        .output()
        .expect("replay");
    assert!(replay.status.success(), "{replay:?}");
    let replayed = String::from_utf8_lossy(&replay.stdout);
    let lines: Vec<&str> = replayed.lines().take(3).collect();
    assert_eq!(lines, stdout.lines().collect::<Vec<_>>());
    // And `export` gives the same as exporting the original text.
    let original = dir.path().join("nmt.log");
    std::fs::write(&original, &three).expect("write");
    let from_text = jvmem()
        .args(["export", "--format", "csv"])
        .arg(&original)
        .output()
        .expect("export");
    let from_session = jvmem()
        .args(["export", "--format", "csv"])
        .arg(&session)
        .output()
        .expect("export");
    let strip = |b: &[u8]| -> Vec<String> {
        // The source/line columns differ (file vs `-`); the amounts must not.
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| l.split(',').skip(2).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(strip(&from_text.stdout), strip(&from_session.stdout));
}

#[test]
fn live_without_a_terminal_or_a_source_says_what_to_give() {
    jvmem()
        .arg("live")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--pid"));
    jvmem()
        .args(["live", "nmt.log"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--follow"));
}

#[test]
fn replay_reads_a_concatenated_log_and_a_torn_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = std::fs::read_to_string(DEMO_SESSION).expect("demo");
    let torn = dir.path().join("torn.jvmem");
    std::fs::write(&torn, &session[..session.len() - 100]).expect("write");
    jvmem()
        .arg("replay")
        .arg(&torn)
        .assert()
        .success()
        .stderr(predicate::str::contains("incomplete"))
        .stdout(predicate::str::contains("07:29:32"));
    jvmem()
        .args(["replay", "samples/scenarios/demo-jdk21-g1/nmt.log"])
        .assert()
        .success()
        .stdout(predicate::str::contains("07:29:35"));
}

#[test]
fn record_refuses_to_overwrite_a_file_that_is_not_a_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "precious").expect("write");
    jvmem()
        .args(["live", "-", "--record"])
        .arg(&notes)
        .write_stdin("")
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a jvmem session"));
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "precious");
}
