//! NMT inputs as people have them and values that cannot be true (issue 14 points 12–13,
//! issue 13 point 11), and the JVM a snapshot came from.

mod common;

use common::{parse_file, parse_text, repo_path};
use jvmem::model::{Severity, SnapshotKind};

fn categories(p: &jvmem::nmt::NmtParse) -> Vec<(String, u64, u64)> {
    p.snapshots[0]
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
        let s = &p.snapshots[0];
        assert_eq!(s.kind, kind, "{pasted}");
        assert!(s.complete, "{pasted}");
        assert_eq!(s.total, w.snapshots[0].total, "{pasted}");
        assert_eq!(categories(&p), categories(&w), "{pasted}");
        let notes: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(notes.len(), 1, "{pasted}: {notes:?}");
        assert!(notes[0].contains("without its `Native Memory Tracking:` header"));
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
    }
    // Real JDK 8 output (an hs_err file's NMT section), cut the same way.
    let p = parse_file("samples/nmt/pasted/jdk8-from-total.txt");
    let s = &p.snapshots[0];
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
        let s = &p.snapshots[0];
        assert_eq!(s.kind, kind, "{file}");
        assert_eq!(s.scale, jvmem::model::Scale::Bytes, "{file}");
        assert!(s.pid.is_some(), "{file}");
        assert!(s.complete, "{file}");
    }
}
