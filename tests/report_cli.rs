//! `jvmem report` and `jvmem export --format openmetrics` as a user runs them: exit codes,
//! formats, and a structural check of the OpenMetrics exposition.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/scenarios");

fn nmt(scenario: &str) -> String {
    format!("{SCENARIOS}/{scenario}/nmt.log")
}

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").expect("binary built")
}

#[test]
fn steady_jvm_reports_no_growth_and_exits_0_even_with_fail_on_growth() {
    jvmem()
        .args(["report", &nmt("steady-jdk17-g1"), "--fail-on-growth"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "In short: no growth found\nVerdict: no growth found",
        ));
}

#[test]
fn leak_exits_3_with_fail_on_growth_and_0_without() {
    jvmem()
        .args(["report", &nmt("direct-leak-jdk17-g1"), "--fail-on-growth"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("1. Other grows"));
    jvmem()
        .args(["report", &nmt("direct-leak-jdk17-g1")])
        .assert()
        .code(0);
}

#[test]
fn nothing_read_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.txt");
    std::fs::write(&file, "hello\n").unwrap();
    jvmem()
        .args(["report", file.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no NMT snapshot"));
    jvmem().args(["report", "/no/such/file"]).assert().code(1);
}

#[test]
fn bad_limit_is_a_usage_error() {
    jvmem()
        .args(["report", &nmt("steady-jdk17-g1"), "--limit", "lots"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read size"));
}

#[test]
fn json_has_the_documented_shape() {
    let out = jvmem()
        .args([
            "report",
            &nmt("thread-leak-jdk17-g1"),
            "--format",
            "json",
            "--limit",
            "1Gi",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let s = &v["suspects"][0];
    assert_eq!(s["category"], "Thread");
    assert!(s["rate_bytes_per_min"].as_f64().unwrap() > 0.0);
    assert!(s["growth_bytes"].as_i64().unwrap() > 0);
    let c = s["confidence"].as_f64().unwrap();
    assert!(c > 0.0 && c <= 1.0);
    assert!(s["evidence"].as_str().unwrap().contains("thread count"));
    assert_eq!(v["budget"]["limit_bytes"], 1u64 << 30);
    assert!(v["budget"]["minutes_to_limit"].as_f64().unwrap() > 0.0);
    assert!(
        v["hints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["category"] == "Thread")
    );
}

#[test]
fn markdown_and_text_show_verdict_budget_and_hints() {
    jvmem()
        .args([
            "report",
            &nmt("class-leak-jdk17-g1"),
            "--format",
            "markdown",
            "--limit",
            "512Mi",
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("**Verdict: 1 suspect(s)**")
                .and(predicate::str::contains("## Container budget"))
                .and(predicate::str::contains("-XX:MaxMetaspaceSize=")),
        );
    jvmem()
        .args(["report", &nmt("class-leak-jdk17-g1"), "--limit", "512Mi"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("class-loader leak")
                .and(predicate::str::contains("the limit is reached in about"))
                .and(predicate::str::contains("What to do:")),
        );
}

/// Checks the OpenMetrics text structure: every sample belongs to a declared family, names
/// and labels are well formed, values are numbers, and the exposition ends with `# EOF`.
fn check_openmetrics(text: &str) {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut families: Vec<(String, String)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "must end with # EOF");
    assert!(text.ends_with("# EOF\n"));
    for line in &lines[..lines.len() - 1] {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kw, name) = (parts.next().unwrap(), parts.next().unwrap());
            assert!(["TYPE", "HELP", "UNIT"].contains(&kw), "{line}");
            assert!(name_ok(name), "{line}");
            if kw == "TYPE" {
                let t = parts.next().unwrap();
                assert!(["gauge", "counter"].contains(&t), "{line}");
                families.push((name.to_string(), t.to_string()));
            }
            if kw == "UNIT" {
                assert!(
                    name.ends_with(&format!("_{}", parts.next().unwrap())),
                    "{line}"
                );
            }
            continue;
        }
        let end = match line.rfind('}') {
            Some(i) => i + 1,
            None => line.find(' ').expect("a value"),
        };
        let (series, rest) = line.split_at(end);
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (n, Some(l.strip_suffix('}').expect("labels close"))),
            None => (series, None),
        };
        let numbers: Vec<&str> = rest.split(' ').skip(1).collect();
        assert!(
            (1..=2).contains(&numbers.len()),
            "value [timestamp]: {line}"
        );
        assert!(numbers.iter().all(|n| n.parse::<f64>().is_ok()), "{line}");
        let (family, kind) = families.last().expect("sample before TYPE");
        let expected = if kind == "counter" {
            format!("{family}_total")
        } else {
            family.clone()
        };
        assert_eq!(name, expected, "{line}");
        if let Some(labels) = labels {
            // label="value" pairs, with \" \\ \n as the only escapes.
            let mut chars = labels.chars().peekable();
            while chars.peek().is_some() {
                let key: String = chars.by_ref().take_while(|&c| c != '=').collect();
                assert!(name_ok(&key), "{line}");
                assert_eq!(chars.next(), Some('"'), "{line}");
                loop {
                    match chars.next() {
                        Some('\\') => {
                            assert!(matches!(chars.next(), Some('"' | '\\' | 'n')), "{line}")
                        }
                        Some('"') => break,
                        Some('\n') | None => panic!("unterminated label in {line}"),
                        Some(_) => {}
                    }
                }
                if chars.peek() == Some(&',') {
                    chars.next();
                }
            }
        }
    }
}

#[test]
fn export_openmetrics_is_valid_and_has_every_category() {
    let out = jvmem()
        .args(["export", &nmt("steady-jdk17-g1"), "--format", "openmetrics"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    check_openmetrics(&text);
    assert!(
        text.contains("jvm_nmt_committed_bytes{category=\"Java Heap\"} 268435456\n"),
        "{text}"
    );
    assert!(text.contains("jvm_nmt_reserved_bytes{category=\"Shared class space\"}"));
    assert!(text.contains("# TYPE jvm_nmt_total_committed_bytes gauge"));
}

#[test]
fn openmetrics_with_every_snapshot_and_gc_figures_is_valid() {
    use jvmem::model::{Collector, GcEvent, GcKind};
    use jvmem::report::openmetrics::{Samples, write};
    use std::sync::Arc;
    let mut timeline = jvmem::input::load(&[nmt("steady-jdk17-parallel")]);
    for (i, kind) in [GcKind::Young, GcKind::Full, GcKind::Young]
        .into_iter()
        .enumerate()
    {
        let mut e = GcEvent::new(
            Arc::from("gc.log"),
            i as u64,
            Collector::Parallel,
            Arc::from("Pause"),
        );
        e.kind = kind;
        e.pause_ms = 3.5;
        e.heap_after_bytes = Some(1 << 20);
        timeline.gc_events.push(e);
    }
    let mut out = Vec::new();
    write(&mut out, &timeline, Samples::All).unwrap();
    let text = String::from_utf8(out).unwrap();
    check_openmetrics(&text);
    let heap_samples = text
        .lines()
        .filter(|l| l.starts_with("jvm_nmt_committed_bytes{category=\"Java Heap\"}"))
        .count();
    assert_eq!(heap_samples, timeline.snapshots.len());
    assert!(text.contains("jvm_gc_collections_total{collector=\"Parallel\",kind=\"young\"} 2"));
    assert!(
        text.contains("jvm_gc_pause_seconds_total{collector=\"Parallel\",kind=\"full\"} 0.0035")
    );
}

/// `--suggest-limit`: the report is budgeted for the least limit that holds the
/// service, that limit is a whole number of 16 MiB, and the flags can be read from the JSON.
#[test]
fn suggest_limit_budgets_for_the_limit_it_suggests() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/budget/steady-jdk17-g1"
    );
    let out = jvmem()
        .args(["report", "--suggest-limit", "--format", "json", dir])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let b = &v["budget"];
    let limit = b["limit_bytes"].as_u64().unwrap();
    assert_eq!(b["needed_limit_bytes"].as_u64(), Some(limit));
    assert_eq!(limit % (16 << 20), 0);
    // -Xmx256m fully committed plus ~200 MiB for the rest and the headroom.
    assert!((400 << 20..600 << 20).contains(&limit), "{limit}");
    assert_eq!(b["fits"], true);
    let flags: Vec<&str> = b["flag_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(flags[0], "-XX:+UseG1GC");
    assert!(flags.iter().any(|f| f.starts_with("-Xmx")), "{flags:?}");
    assert_eq!(b["flags"].as_str().unwrap(), flags.join(" "));
    let total: u64 = b["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["budget_bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(total, limit);

    jvmem()
        .args(["report", "--suggest-limit", "--limit", "1Gi", dir])
        .assert()
        .code(2);
}
