//! NMT inputs as people have them (a `Total:` line only, odd headers) and values that cannot
//! be true, and the JVM a snapshot came from.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{parse_file, parse_text, repo_path};
use jvmem::model::{Severity, SnapshotKind};

fn categories(p: &jvmem::nmt::NmtParse) -> Vec<(String, u64, u64)> {
    p.snapshots
        .first()
        .unwrap()
        .categories
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                c.usage.reserved_bytes,
                c.usage.committed_bytes,
            )
        })
        .collect()
}

#[test]
fn a_summary_pasted_from_the_total_line_on_is_read_with_a_note() {
    for (pasted, whole, kind) in [
        (
            "jdk11-from-total.txt",
            "jdk11/summary.txt",
            SnapshotKind::Summary,
        ),
        (
            "jdk17-from-total.txt",
            "jdk17/summary.txt",
            SnapshotKind::Summary,
        ),
        (
            "jdk11-diff-from-total.txt",
            "jdk11/summary-diff.txt",
            SnapshotKind::SummaryDiff,
        ),
    ] {
        let p = parse_file(&format!("samples/nmt/pasted/{pasted}"));
        let w = parse_file(&format!("samples/nmt/{whole}"));
        assert_eq!(p.snapshots.len(), 1, "{pasted}");
        let s = p.snapshots.first().unwrap();
        assert_eq!(s.kind, kind, "{pasted}");
        assert!(s.complete, "{pasted}");
        assert_eq!(s.total, w.snapshots.first().unwrap().total, "{pasted}");
        assert_eq!(categories(&p), categories(&w), "{pasted}");
        let notes: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(notes.len(), 1, "{pasted}: {notes:?}");
        assert!(notes[0].contains("without its `Native Memory Tracking:` header"));
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
    }
    // Real JDK 8 output (an hs_err file's NMT section), cut the same way.
    let p = parse_file("samples/nmt/pasted/jdk8-from-total.txt");
    let s = p.snapshots.first().unwrap();
    assert_eq!(s.total.committed_bytes, 1438171 << 10);
    assert_eq!(s.committed("Internal"), 9405 << 10);
    assert_eq!(s.categories.len(), 10);
    assert!(s.complete);
}

#[test]
fn two_headerless_pastes_are_two_snapshots_and_the_kind_detects_them() {
    let one =
        std::fs::read_to_string(repo_path("samples/nmt/pasted/jdk11-from-total.txt")).unwrap();
    let p = parse_text("t", &format!("{one}{one}"));
    assert_eq!(p.snapshots.len(), 2);
    assert_eq!(
        jvmem::input::detect_kind(one.as_bytes()),
        jvmem::input::InputKind::Nmt
    );
    // Prose that mentions a total is not a snapshot.
    assert!(!jvmem::nmt::looks_like_nmt(
        "Total: reserved= is what jcmd prints\n"
    ));
}

#[test]
fn jcmd_summaries_in_bytes_are_summaries_not_exit_statistics() {
    for (file, kind) in [
        ("jdk11/summary-scale-b.txt", SnapshotKind::Summary),
        ("jdk11/summary-diff-scale-b.txt", SnapshotKind::SummaryDiff),
        ("jdk17/summary-scale-b.txt", SnapshotKind::Summary),
        ("jdk25/summary-scale-b.txt", SnapshotKind::Summary),
        ("jdk25/summary-diff-scale-b.txt", SnapshotKind::SummaryDiff),
    ] {
        let p = parse_file(&format!("samples/nmt/{file}"));
        let s = p.snapshots.first().unwrap();
        assert_eq!(s.kind, kind, "{file}");
        assert_eq!(s.scale, jvmem::model::Scale::Bytes, "{file}");
        assert!(s.pid.is_some(), "{file}");
        assert!(s.complete, "{file}");
    }
}

/// The real JDK 17 summary every edit below starts from.
const REAL: &str = "samples/nmt/jdk17/summary.txt";

fn real() -> String {
    std::fs::read_to_string(repo_path(REAL)).unwrap()
}

/// Parses `real()` with `from` replaced by `to` (exactly once).
fn edited(from: &str, to: &str) -> jvmem::nmt::NmtParse {
    let text = real();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    parse_text("edited", &text.replacen(from, to, 1))
}

fn warnings(p: &jvmem::nmt::NmtParse) -> Vec<&str> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn values_that_cannot_be_true_are_flagged() {
    // Sanity: the real sample has none of these.
    assert!(parse_text("real", &real()).diagnostics.is_empty());

    // `whole * 100 + hundredths` overflowed (a panic with overflow checks, −9.2e16 % without).
    let p = edited("=16.22%", "=92233720368547758.99%");
    let w = warnings(&p);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("percentage over 100") && w[0].contains("metadata_waste_percent"));

    // An amount that saturates u64 when scaled to bytes.
    let p = edited(
        "Symbol (reserved=1160KB,",
        "Symbol (reserved=99999999999999999KB,",
    );
    assert_eq!(
        p.snapshots
            .first()
            .unwrap()
            .category("Symbol")
            .unwrap()
            .usage
            .reserved_bytes,
        u64::MAX
    );
    assert!(
        warnings(&p)
            .iter()
            .any(|w| w.contains("too large to be real") && w.contains("Symbol"))
    );

    // reserved < committed after a unit edit.
    let p = edited(
        "Safepoint (reserved=8KB, committed=8KB)",
        "Safepoint (reserved=8B, committed=8KB)",
    );
    let w = warnings(&p);
    assert!(
        w.iter()
            .any(|w| w.contains("reserved below committed") && w.contains("Safepoint")),
        "{w:?}"
    );
}

#[test]
fn a_category_printed_twice_is_kept_once_and_flagged() {
    let block = "-                 Safepoint (reserved=8KB, committed=8KB)\n";
    let text = real();
    let at = text.find(block).unwrap();
    let end = at + text[at..].find("\n \n").unwrap() + 3;
    let twice = format!("{}{}{}", &text[..end], &text[at..end], &text[end..]);
    let p = parse_text("twice", &twice);
    let s = p.snapshots.first().unwrap();
    assert_eq!(
        s.categories
            .iter()
            .filter(|c| &*c.name == "Safepoint")
            .count(),
        1
    );
    let w = warnings(&p);
    assert!(
        w.iter().any(|w| w.contains("printed twice: Safepoint")),
        "{w:?}"
    );
    // One OpenMetrics sample per label set (Prometheus rejects a second).
    let timeline = jvmem::model::Timeline {
        snapshots: p.snapshots.clone().into(),
        ..Default::default()
    };
    let mut out = Vec::new();
    jvmem::report::openmetrics::write(
        &mut out,
        &timeline,
        jvmem::report::openmetrics::Samples::Latest,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("category=\"Safepoint\""))
        .collect();
    let mut label_sets: Vec<&str> = lines
        .iter()
        .map(|l| l.rsplit_once(' ').unwrap().0)
        .collect();
    let n = label_sets.len();
    label_sets.dedup();
    assert!(n >= 2 && label_sets.len() == n, "{lines:?}");
}

#[test]
fn a_snapshot_cut_before_its_small_categories_is_not_complete() {
    let text = real();
    // Cut after Synchronization: Serviceability, Metaspace (1,056 KiB), String Deduplication
    // and Object Monitors are lost (the sum check caught this before too; kept as a guard).
    let cut_at = text.find("-            Serviceability").unwrap();
    let p = parse_text("cut", &text[..cut_at]);
    assert!(!p.snapshots.first().unwrap().complete);
    // Cut just after a category header, before its sub-lines: only 2 KiB (the two smallest
    // categories) are missing, within any rounding allowance; this read as complete before.
    let cut_at = text.find("-                 Metaspace").unwrap();
    let line_end = cut_at + text[cut_at..].find('\n').unwrap() + 1;
    let p = parse_text("cut", &text[..line_end]);
    assert!(!p.snapshots.first().unwrap().complete);
    assert!(
        warnings(&p)
            .iter()
            .any(|w| w.contains("(Metaspace) ends before its sub-lines"))
    );
    // The whole text is complete, and so is every real sample (tests/nmt_samples.rs).
    assert!(parse_text("whole", &text).snapshots[0].complete);
}

#[test]
fn csv_has_the_complete_column_json_has() {
    let out = assert_cmd::Command::cargo_bin("jvmem")
        .unwrap()
        .args(["export", "--format", "csv", "-"])
        .write_stdin(real()[..real().find("-            Serviceability").unwrap()].to_string())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(out).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",complete"));
    assert!(lines.all(|l| l.ends_with(",false")));
}

#[test]
fn impossible_gc_durations_are_flagged_and_not_counted() {
    let log = "[0.004s][info][gc] Using G1\n\
[0.191s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(128M) -1.756ms\n\
[0.391s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(128M) 100000000000000000000.000ms\n\
[0.591s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(128M) 2.000ms\n";
    let p = jvmem::gclog::parse_str(std::sync::Arc::from("bad"), log);
    let pauses: Vec<f64> = p.events.iter().map(|e| e.pause_ms).collect();
    assert_eq!(pauses, vec![0.0, 0.0, 2.0]);
    let flagged: Vec<(u64, &str)> = p
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert_eq!(flagged[0].0, 2);
    assert!(flagged[0].1.contains("pause of -1.756 ms is negative"));
    assert_eq!(flagged[1].0, 3);
    assert!(flagged[1].1.contains("longer than a day"));
    // The log's span is not stretched by the impossible pause.
    assert!(p.info.end_uptime_s.unwrap() < 1.0);
}

#[test]
fn snapshots_carry_their_jvm_and_a_change_of_jvm_is_a_new_run_with_a_warning() {
    // Real output: JDK 17 (pid A), A, JDK 21 (pid B), A, each with `jcmd PID VM.version`.
    let t = jvmem::input::load(&[repo_path("samples/nmt/two-jvms")
        .to_string_lossy()
        .into_owned()]);
    assert_eq!(t.snapshots.len(), 4);
    let versions: Vec<Option<&str>> = t
        .snapshots
        .iter()
        .map(|s| s.jvm_version.map(|v| &**v))
        .collect();
    assert_eq!(
        versions,
        vec![
            Some("17.0.15+6-Debian-1deb12u1"),
            Some("17.0.15+6-Debian-1deb12u1"),
            Some("21.0.8+9-LTS"),
            Some("17.0.15+6-Debian-1deb12u1")
        ]
    );
    // The timestamp line before `VM.version` still reaches each snapshot.
    assert!(t.snapshots.iter().all(|s| s.timestamp.is_some()));
    let runs = t.jvm_runs();
    let spans: Vec<(usize, usize)> = runs.iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(spans, vec![(0, 2), (2, 3), (3, 4)]);
    assert_eq!(runs[0].identity.pid, t.snapshots.first().unwrap().pid);
    assert!(
        runs[1]
            .change
            .as_deref()
            .unwrap()
            .contains("JVM 17.0.15+6-Debian-1deb12u1 → 21.0.8+9-LTS")
    );
    let warnings: Vec<&jvmem::model::Diagnostic> = t
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("another JVM"))
        .collect();
    assert_eq!(warnings.len(), 2);
    assert!(warnings[0].source.ends_with("snap_02.txt"));
    // One JVM's concatenated snapshots are one run and say nothing.
    let one = jvmem::input::load(&[repo_path("samples/nmt/jdk17/concat-date-iso.txt")
        .to_string_lossy()
        .into_owned()]);
    assert_eq!(one.jvm_runs().len(), 1);
    assert!(
        one.diagnostics
            .iter()
            .all(|d| !d.message.contains("another JVM"))
    );
}

#[test]
fn diff_of_two_jvms_says_so() {
    assert_cmd::Command::cargo_bin("jvmem")
        .unwrap()
        .current_dir(repo_path(""))
        .args([
            "diff",
            "samples/nmt/two-jvms/snap_01.txt",
            "samples/nmt/two-jvms/snap_02.txt",
            "--format",
            "text",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("come from different JVMs (pid"));
}

#[test]
fn files_are_ordered_by_their_snapshots_times_and_by_name_otherwise() {
    // `diff_03.txt` sorts before `snap_00.txt` by name but was taken after it; an untimed
    // paste between them keeps its place.
    let tmp = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(repo_path(from), tmp.path().join(to)).unwrap();
    };
    copy("samples/nmt/two-jvms/snap_03.txt", "diff_03.txt");
    copy("samples/nmt/jdk17/summary.txt", "notes.txt");
    copy("samples/nmt/two-jvms/snap_00.txt", "snap_00.txt");
    let t = jvmem::input::load(&[tmp.path().to_string_lossy().into_owned()]);
    let names: Vec<String> = t
        .snapshots
        .iter()
        .map(|s| {
            std::path::Path::new(&**s.source)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, vec!["snap_00.txt", "notes.txt", "diff_03.txt"]);
}
