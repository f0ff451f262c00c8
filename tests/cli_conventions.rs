//! Command-line conventions through the real binary (what users of Unix tools expect): the
//! first word, pipes that close early, exit codes, Kubernetes units, completions, help text, a
//! pid that is gone.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use common::repo_path;
use predicates::prelude::*;

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").expect("binary built")
}

fn sample(relative: &str) -> String {
    repo_path(relative).to_string_lossy().into_owned()
}

const DEMO_SESSION: &str = "samples/sessions/demo.jvmem";

/// Runs jvmem with its stdout a pipe whose reading end is already closed, as `| head` leaves
/// it once it has its lines: the first write fails with EPIPE, deterministically.
fn run_into_a_closed_pipe(args: &[&str]) -> std::process::Output {
    let mut reader = StdCommand::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("true");
    let pipe = reader.stdin.take().expect("pipe");
    reader.wait().expect("true exits");
    StdCommand::new(cargo_bin("jvmem"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(pipe))
        .stderr(Stdio::piped())
        .output()
        .expect("jvmem runs")
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly_with_0() {
    let session = sample(DEMO_SESSION);
    let leak = sample("samples/scenarios/heap-leak-jdk17-g1/nmt.log");
    let completions = ["completions", "bash"];
    for args in [
        &["demo"][..],
        &["export", &session],
        &["export", &session, "--format", "csv"],
        &["replay", &session],
        &["report", &leak],
        &["report", &leak, "--format", "json"],
        &["diff", &leak],
        &["gc", &sample("samples/scenarios/heap-leak-jdk17-g1/gc.log")],
        &completions,
    ] {
        let out = run_into_a_closed_pipe(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_existing_path_as_the_first_word_opens_the_dashboard() {
    // Without a terminal the dashboard refuses (exit 2, an environment error), which shows
    // the path was taken as `view PATH` and not as an unknown subcommand.
    jvmem()
        .arg(sample("samples/nmt/jdk25/summary.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`jvmem view` needs a terminal"));
    jvmem().arg("no-such-file.log").assert().code(2).stderr(
        predicate::str::contains("unrecognized subcommand 'no-such-file.log'")
            .and(predicate::str::contains("no file or directory named")),
    );
    jvmem()
        .arg("reprot")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("similar name exists: 'report'"));
}

#[test]
fn jvmem_alone_with_a_pid_or_a_dash_is_live() {
    // `jvmem -` with stdin a pipe reads snapshots from it, exactly as `jvmem live -`.
    let text = std::fs::read_to_string(repo_path("samples/nmt/jdk25/summary.txt")).unwrap();
    let out = jvmem().arg("-").write_stdin(text).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("committed"), "{stdout}");
    // `jvmem --pid` is `jvmem live --pid`: a pid that does not exist is polled once.
    jvmem()
        .args(["--pid", "4194303", "--interval", "100ms"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "process 4194303 is not running (no such pid): stopped polling",
        ));
}

#[test]
fn a_pid_that_is_gone_stops_after_saving_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("gone.jvmem");
    jvmem()
        .args([
            "live",
            "--pid",
            "4194303",
            "--interval",
            "100ms",
            "--record",
        ])
        .arg(&session)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("recorded 0 record(s)"));
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(text.starts_with("{\"jvmem_session\""), "{text}");
    // With --retry it keeps polling until stopped.
    let out = jvmem()
        .args(["live", "--pid", "4194303", "--interval", "100ms", "--retry"])
        .timeout(std::time::Duration::from_secs(2))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("retrying"), "{stderr}");
    assert!(!stderr.contains("stopped polling"), "{stderr}");
    jvmem()
        .args(["live", "--retry"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--pid"));
}

#[test]
fn exit_codes_say_input_usage_or_environment() {
    let leak = sample("samples/scenarios/heap-leak-jdk17-g1/nmt.log");
    // 1: nothing could be read.
    jvmem().args(["export", "/no/such/file"]).assert().code(1);
    // 2: usage: a bad flag, a zero limit.
    jvmem().args(["export", &leak, "--nope"]).assert().code(2);
    jvmem()
        .args(["report", &leak, "--limit", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0 bytes"));
    // 2: environment: no terminal for the dashboard, a record path that cannot be written.
    jvmem().args(["view", &leak]).assert().code(2);
    jvmem()
        .args(["live", "-", "--record", "/no/such/dir/s.jvmem"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot record to /no/such/dir/s.jvmem",
        ));
    jvmem()
        .args(["live"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to read"));
    // 3: growth with --fail-on-growth.
    let direct = sample("samples/scenarios/direct-leak-jdk17-g1/nmt.log");
    jvmem()
        .args(["report", &direct, "--fail-on-growth"])
        .assert()
        .code(3);
}

#[test]
fn limits_read_as_kubernetes_writes_them_and_say_so() {
    let leak = sample("samples/scenarios/heap-leak-jdk17-g1/nmt.log");
    let report = |limit: &str| {
        let out = jvmem()
            .args(["report", &leak, "--limit", limit, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{limit}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (gi, gi_note) = report("1Gi");
    let (g, g_note) = report("1G");
    let (jvm, jvm_note) = report("1g");
    assert_eq!(gi["budget"]["limit_bytes"], 1u64 << 30);
    assert_eq!(g["budget"]["limit_bytes"], 1_000_000_000u64);
    assert_eq!(jvm["budget"]["limit_bytes"], 1u64 << 30);
    assert!(
        gi_note.contains("--limit 1Gi = 1073741824 bytes (1.0 GiB): Kubernetes binary"),
        "{gi_note}"
    );
    assert!(
        g_note.contains("--limit 1G = 1000000000 bytes (953.7 MiB): Kubernetes decimal"),
        "{g_note}"
    );
    assert!(jvm_note.contains("JVM flag suffix"), "{jvm_note}");
    jvmem()
        .args(["report", &leak, "--limit", "1gi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown unit"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef jvmem"),
        ("fish", "complete -c jvmem"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = jvmem().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(script.contains(marker), "{shell}");
        // The subcommands and their flags come from the clap definition.
        assert!(
            script.contains("report") && script.contains("fail-on-growth"),
            "{shell}"
        );
    }
    jvmem().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn help_states_the_speed_range_the_parser_accepts_and_the_exit_codes() {
    let out = jvmem().args(["replay", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("0.01 to 1000"), "{help}");
    jvmem()
        .args(["replay", "x", "--speed", "0.01"])
        .assert()
        .stderr(predicate::str::contains("--speed").not());
    jvmem()
        .args(["replay", "x", "--speed", "1001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0.01 and 1000"));
    let out = jvmem().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(help.contains("Exit codes: 0 success; 1 nothing"), "{help}");
}

#[test]
fn gc_reads_the_gc_log_recorded_in_a_session() {
    let summary = |input: &str| {
        let out = jvmem()
            .args(["gc", input, "--format", "json"])
            .assert()
            .success();
        let mut v: serde_json::Value =
            serde_json::from_slice(&out.get_output().stdout).expect("json");
        v["gc_summary"]["sources"] = serde_json::Value::Null;
        v["gc_summary"].clone()
    };
    // The demo session was recorded from the scenario's gc.log: the same summary.
    let from_session = summary(&sample(DEMO_SESSION));
    assert_eq!(from_session["events"], 50);
    assert_eq!(
        from_session,
        summary(&sample("samples/scenarios/demo-jdk21-g1/gc.log"))
    );
}

#[test]
fn diff_of_one_summary_diff_shows_jcmds_deltas() {
    let out = jvmem()
        .args([
            "diff",
            &sample("samples/nmt/jdk25/summary-diff.txt"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("against jcmd's baseline"));
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    // The file's `Total: … committed=338348KB +11052KB` and `Class (… committed=1337KB +493KB)`.
    assert_eq!(v["total"]["committed_delta_bytes"], 11052 * 1024);
    assert_eq!(
        v["old"]["total"]["committed_bytes"],
        (338348 - 11052) * 1024
    );
    assert_eq!(v["old"]["kind"], "summary");
    let class = v["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["name"] == "Class")
        .expect("Class");
    assert_eq!(class["committed_delta_bytes"], 493 * 1024);
    assert_eq!(class["new_committed_bytes"], 1337 * 1024);
    // A plain summary alone still has nothing to compare with.
    jvmem()
        .args(["diff", &sample("samples/nmt/jdk25/summary.txt")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has only one snapshot"));
}

#[test]
fn markdown_report_keeps_commands_as_code() {
    let out = jvmem()
        .args([
            "report",
            &sample("samples/scenarios/class-leak-jdk17-g1/nmt.log"),
            "--format",
            "markdown",
        ])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(md.contains("`jcmd <pid> VM.classloader_stats`"), "{md}");
    // Outside code spans, no `<` is left for GitHub to take as an HTML tag.
    let outside: String = md
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect();
    assert!(!outside.contains('<'), "{outside}");
}

#[test]
fn a_huge_percentage_keeps_the_text_diff_aligned() {
    // Metaspace from 1 KiB to 810 MiB: +82,943,900%, written as a factor.
    let snapshot = |metaspace_kb: u64| {
        format!(
            "1:\n\nNative Memory Tracking:\n\nTotal: reserved={t}KB, committed={t}KB\n\
             -                 Java Heap (reserved=1024KB, committed=1024KB)\n\
             -                 Metaspace (reserved={m}KB, committed={m}KB)\n",
            t = 1024 + metaspace_kb,
            m = metaspace_kb
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.txt"), dir.path().join("new.txt"));
    std::fs::write(&old, snapshot(1)).unwrap();
    std::fs::write(&new, snapshot(810 * 1024)).unwrap();
    let out = jvmem().arg("diff").arg(&old).arg(&new).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let rows: Vec<&str> = text.lines().skip(3).collect();
    let metaspace = rows
        .iter()
        .find(|l| l.starts_with("Metaspace"))
        .expect("row");
    assert!(metaspace.contains("×829440"), "{text}");
    // Every row's Δ reserved column ends where the header's does.
    let end = |l: &str| l.trim_end().chars().count();
    let header = rows[0];
    for row in &rows[1..] {
        assert_eq!(end(row), end(header), "{text}");
    }
}

#[test]
fn man_pages_come_from_the_clap_definition() {
    // `cargo test` builds the examples next to the binary: target/debug/examples/manpage.
    let example = cargo_bin("jvmem")
        .parent()
        .expect("target dir")
        .join("examples/manpage");
    if !example.exists() {
        panic!(
            "{} not built (cargo test builds examples)",
            example.display()
        );
    }
    let dir = tempfile::tempdir().unwrap();
    StdCommand::new(&example)
        .arg(dir.path())
        .output()
        .expect("manpage runs");
    let page = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    assert!(
        page("jvmem.1").contains(".TH jvmem 1"),
        "{}",
        page("jvmem.1")
    );
    let report = page("jvmem-report.1");
    assert!(report.contains("fail\\-on\\-growth"), "{report}");
    assert!(report.contains("Kubernetes"), "{report}");
    assert!(page("jvmem-completions.1").contains("powershell"));
}
