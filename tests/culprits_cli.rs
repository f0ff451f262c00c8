//! `jvmem report`, `diff` and `export` over drill-down captures, as a user runs them, on the
//! real recordings of `samples/gen/Culprits.java` (see `samples/gen/gen-culprits.sh`).

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const DRILL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/drill");

fn jvmem() -> Command {
    Command::cargo_bin("jvmem").expect("binary built")
}

fn report_json(dir: &str) -> Value {
    let out = jvmem()
        .args([
            "report",
            "--format",
            "json",
            &format!("{DRILL}/{dir}/capture.txt"),
        ])
        .args(["--gc-log", &format!("{DRILL}/{dir}/gc.log")])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn json_report_lists_culprits_largest_growth_first_with_every_field() {
    let doc = report_json("leak-jdk21");
    let culprits = doc["culprits"].as_array().expect("culprits array");
    assert_eq!(culprits.len(), 4, "{culprits:#?}");
    for c in culprits {
        for key in [
            "category",
            "source",
            "name",
            "first_bytes",
            "last_bytes",
            "growth_bytes",
            "first_count",
            "last_count",
            "growth_count",
            "rate_per_min",
            "explains_suspect",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert_eq!(
            c["growth_bytes"].as_i64(),
            Some(c["last_bytes"].as_i64().unwrap_or(0) - c["first_bytes"].as_i64().unwrap_or(0))
        );
    }
    let growth: Vec<i64> = culprits
        .iter()
        .filter_map(|c| c["growth_bytes"].as_i64())
        .collect();
    assert!(growth.windows(2).all(|w| w[0] >= w[1]), "{growth:?}");
    let named: Vec<(&str, &str)> = culprits
        .iter()
        .map(|c| {
            (
                c["category"].as_str().unwrap_or(""),
                c["name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(named.contains(&("Java Heap", "[I")), "{named:?}");
    // VM.classloader_stats names the loader, under the Class category (not Metaspace).
    assert!(named.contains(&("Class", "PluginClassLoader")), "{named:?}");
    assert!(named.contains(&("Thread", "job-runner-%d")), "{named:?}");
    assert!(
        named.contains(&("Other", "Unsafe_AllocateMemory0")),
        "{named:?}"
    );
    let heap = culprits
        .iter()
        .find(|c| c["name"] == "[I")
        .expect("heap culprit");
    assert_eq!(heap["holder"], "ThumbnailCache$Entry");
    assert_eq!(heap["explains_suspect"], "Java Heap");
    assert_eq!(heap["source"], "GC.class_histogram");
    // The diagnosis's own fields are still there.
    assert!(doc["suspects"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn steady_control_has_an_empty_culprit_list() {
    let doc = report_json("steady-jdk25");
    assert_eq!(doc["culprits"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["suspects"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_live_drill_session_replays_into_culprits_as_text_and_markdown() {
    let session = format!("{DRILL}/live-drill-jdk17.jvmem");
    jvmem()
        .args(["report", &session])
        .assert()
        .success()
        .stdout(predicate::str::contains("== Culprits"))
        .stdout(predicate::str::contains("class [I grows"))
        .stdout(predicate::str::contains(
            "check who keeps ThumbnailCache$Entry",
        ))
        .stdout(predicate::str::contains(
            "loader type PluginClassLoader grows",
        ))
        .stdout(predicate::str::contains("thread group job-runner-%d grows"));
    jvmem()
        .args(["report", "--format", "markdown", &session])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Culprits"))
        .stdout(predicate::str::contains(
            "| Java Heap | `GC.class_histogram` | `[I` |",
        ));
}

#[test]
fn diff_of_a_session_shows_each_drill_kind_after_the_nmt_diff() {
    jvmem()
        .args(["diff", &format!("{DRILL}/live-drill-jdk17.jvmem")])
        .assert()
        .success()
        .stdout(predicate::str::contains("== GC.class_histogram:"))
        .stdout(predicate::str::contains("== VM.classloader_stats:"))
        .stdout(predicate::str::contains("== Thread.print:"))
        .stdout(predicate::str::contains("job-runner-%d"));
}

#[test]
fn diff_of_two_histogram_files_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(format!("{DRILL}/leak-jdk11/capture.txt")).expect("sample");
    // The first and last class histograms, each with its `date` and `<pid>:` lines.
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with("num ") && lines[i].contains("#instances"))
        .collect();
    let cut = |at: usize| -> String {
        let end = (at..lines.len())
            .find(|&i| lines[i].starts_with("Total"))
            .expect("Total");
        lines[at - 2..=end].join("\n") + "\n"
    };
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, cut(starts[0])).expect("write");
    std::fs::write(&b, cut(*starts.last().expect("histograms"))).expect("write");
    let out = jvmem()
        .args(["diff", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let d = &doc[0];
    assert_eq!(d["kind"], "class_histogram");
    let first = &d["rows"][0];
    assert_eq!(first["name"], "[I");
    assert_eq!(
        first["delta_bytes"].as_i64(),
        Some(first["new_bytes"].as_i64().unwrap_or(0) - first["old_bytes"].as_i64().unwrap_or(0))
    );
    jvmem()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("ThumbnailCache$Entry"));
}

#[test]
fn export_carries_drill_rows_in_json_and_csv() {
    let session = format!("{DRILL}/live-drill-jdk17.jvmem");
    let out = jvmem().args(["export", &session]).output().expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let drills = doc["drills"].as_array().expect("drills");
    assert_eq!(drills.len(), 32);
    assert!(drills.iter().all(|d| d["timestamp"].is_string()));
    jvmem()
        .args(["export", "--format", "csv", &session])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "kind,source,line,timestamp,pid,name,bytes,count,classes,category,note",
        ))
        .stdout(predicate::str::contains("Thread.print,"));
}
