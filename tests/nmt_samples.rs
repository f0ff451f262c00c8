//! Every real sample parses cleanly, and hand-checked snapshots give exact bytes.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{KIB, files_below, parse_file, parse_text, repo_path};
use jvmem::model::{Field, Scale, Severity, Snapshot, SnapshotKind};

/// jcmd answers that are not snapshots: each must give an error diagnostic and no snapshot.
const FAILURE_FILES: &[&str] = &[
    "not-enabled",
    "no-such-pid",
    "no-matching-process",
    "no-baseline",
];
/// Files next to the samples that are not NMT output at all.
const NOT_NMT: &[&str] = &[
    "baseline.txt",
    "java-version",
    ".exitcode",
    "README",
    ".stderr",
];

fn name_of(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn relative(path: &std::path::Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_real_sample_parses_without_diagnostics() {
    let files = files_below("samples/nmt");
    assert!(
        files.len() >= 20,
        "expected the generated samples, found {}",
        files.len()
    );
    let mut snapshots_seen = 0;
    for path in &files {
        let name = name_of(path);
        if NOT_NMT.iter().any(|n| name.contains(n))
            || FAILURE_FILES.iter().any(|n| name.contains(n))
        {
            continue;
        }
        let parsed = parse_file(&relative(path));
        // Pastes that left the header behind carry exactly the note that says so
        // (tests/nmt_inputs.rs).
        let parsed = if relative(path).starts_with("samples/nmt/pasted/") {
            let mut parsed = parsed;
            assert_eq!(parsed.diagnostics.len(), 1, "{}", path.display());
            parsed.diagnostics.clear();
            parsed
        } else {
            parsed
        };
        assert!(
            parsed.diagnostics.is_empty(),
            "{}: unexpected diagnostics: {:#?}",
            path.display(),
            parsed.diagnostics
        );
        assert!(
            !parsed.snapshots.is_empty(),
            "{}: no snapshot",
            path.display()
        );
        for s in &parsed.snapshots {
            check_snapshot_shape(&name, s);
        }
        snapshots_seen += parsed.snapshots.len();
    }
    assert!(snapshots_seen >= 20);
}

/// The kind follows from what was asked of jcmd; categories add up to the Total.
fn check_snapshot_shape(name: &str, s: &Snapshot) {
    let expected_kind = if name.starts_with("print-nmt-statistics") {
        None // exit output: bytes on JDK 17+, KB before (then it reads as a summary)
    } else if name.starts_with("detail-diff") {
        Some(SnapshotKind::DetailDiff)
    } else if name.contains("diff") {
        Some(SnapshotKind::SummaryDiff)
    } else if name.starts_with("detail") && !name.starts_with("detail-summary") {
        Some(SnapshotKind::Detail)
    } else {
        Some(SnapshotKind::Summary)
    };
    if let Some(kind) = expected_kind {
        assert_eq!(s.kind, kind, "{name}:{}", s.line);
    }
    if name.contains("scale-mb") {
        assert_eq!(s.scale, Scale::Mb, "{name}");
    }
    if name.contains("scale-gb") {
        assert_eq!(s.scale, Scale::Gb, "{name}");
    }
    assert!(s.complete, "{name}:{} marked incomplete", s.line);
    let sum: u64 = s.categories.iter().map(|c| c.usage.committed_bytes).sum();
    let tolerance = s.categories.len() as u64 * s.scale.bytes().max(KIB);
    assert!(
        sum.abs_diff(s.total.committed_bytes) <= tolerance,
        "{name}:{}: categories sum to {sum}, Total says {} (tolerance {tolerance})",
        s.line,
        s.total.committed_bytes
    );
    assert!(
        s.category("Java Heap").is_some() || s.scale == Scale::Gb,
        "{name}: no Java Heap"
    );
}

#[test]
fn jcmd_failures_become_errors_naming_the_line() {
    let mut seen = 0;
    for path in files_below("samples/nmt") {
        let name = name_of(&path);
        if !FAILURE_FILES.iter().any(|n| name.contains(n)) || name.ends_with(".exitcode") {
            continue;
        }
        let parsed = parse_file(&relative(&path));
        assert!(parsed.snapshots.is_empty(), "{name}");
        let errors: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {:#?}", parsed.diagnostics);
        assert!(errors[0].line >= 1, "{name}: error must name its line");
        assert!(
            errors[0].message.starts_with("jcmd: "),
            "{}",
            errors[0].message
        );
        seen += 1;
    }
    assert!(seen >= 4, "expected failure samples, saw {seen}");
}

fn field(s: &Snapshot, category: &str, field: Field) -> Option<i64> {
    s.category(category)?.usage.field(field)
}

#[test]
fn jdk25_summary_exact_values() {
    let parsed = parse_file("samples/nmt/jdk25/summary.txt");
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(
        (s.pid, s.line, s.kind),
        (Some(6379), 1, SnapshotKind::Summary)
    );
    assert_eq!(s.total.reserved_bytes, 1692492 * KIB);
    assert_eq!(s.total.committed_bytes, 326640 * KIB);
    assert_eq!(s.total.field(Field::MallocBytes), Some(11124 * 1024));
    assert_eq!(s.total.field(Field::MallocCount), Some(14334));
    assert_eq!(s.total.field(Field::MallocPeakBytes), Some(10872 * 1024));
    assert_eq!(s.total.field(Field::MallocPeakCount), Some(14336));
    assert_eq!(
        s.total.field(Field::MmapCommittedBytes),
        Some(315516 * 1024)
    );
    let heap = s.category("Java Heap").unwrap();
    assert_eq!(heap.usage.committed_bytes, 262144 * KIB);
    assert_eq!(heap.usage.field(Field::MmapAtPeak), Some(1));
    let class = s.category("Class").unwrap();
    assert_eq!(
        (class.usage.reserved_bytes, class.usage.committed_bytes),
        (1048703 * KIB, 831 * KIB)
    );
    assert_eq!(field(s, "Class", Field::ClassCount), Some(1031));
    assert_eq!(field(s, "Class", Field::InstanceClassCount), Some(894));
    assert_eq!(field(s, "Class", Field::ArrayClassCount), Some(137));
    assert_eq!(field(s, "Class", Field::MallocBytes), Some(127 * 1024));
    assert_eq!(field(s, "Class", Field::MallocCount), Some(1820));
    assert_eq!(field(s, "Class", Field::MallocPeakCount), Some(1821));
    assert_eq!(
        field(s, "Class", Field::MetadataCommittedBytes),
        Some(6272 * 1024)
    );
    assert_eq!(
        field(s, "Class", Field::MetadataUsedBytes),
        Some(6166 * 1024)
    );
    assert_eq!(field(s, "Class", Field::MetadataWastePercent), Some(170));
    assert_eq!(
        field(s, "Class", Field::ClassSpaceUsedBytes),
        Some(630 * 1024)
    );
    assert_eq!(field(s, "Class", Field::ClassSpaceWastePercent), Some(1051));
    assert_eq!(field(s, "Thread", Field::ThreadCount), Some(19));
    assert_eq!(
        field(s, "Thread", Field::StackReservedBytes),
        Some(19456 * 1024)
    );
    assert_eq!(field(s, "Thread", Field::StackPeakBytes), Some(880 * 1024));
    assert_eq!(field(s, "Thread", Field::ArenaBytes), Some(20 * 1024));
    assert_eq!(field(s, "Thread", Field::ArenaPeakBytes), Some(277 * 1024));
    assert_eq!(field(s, "Thread", Field::ArenaPeakCount), Some(30));
    assert_eq!(field(s, "GC", Field::MallocBytes), Some(4331 * 1024));
}

#[test]
fn jdk25_exit_statistics_are_bytes_among_program_output() {
    let parsed = parse_file("samples/nmt/jdk25/print-nmt-statistics.txt");
    assert_eq!(parsed.snapshots.len(), 1);
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(s.kind, SnapshotKind::ExitStatistics);
    assert_eq!(s.scale, Scale::Bytes);
    assert_eq!((s.pid, s.line), (None, 4));
    assert_eq!(s.total.reserved_bytes, 1597529335);
    assert_eq!(s.total.committed_bytes, 196390135);
    assert_eq!(
        s.category("Java Heap").unwrap().usage.committed_bytes,
        134217728
    );
}

#[test]
fn jdk8_handwritten_diff_reads_unitless_arena_deltas() {
    // samples/nmt/jdk8 is hand-written from the facts (no JDK 8 runs here): see samples/README.md.
    let parsed = parse_file("samples/nmt/jdk8/summary-diff.txt");
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(s.kind, SnapshotKind::SummaryDiff);
    assert_eq!(s.total.reserved_delta_bytes, Some(25694 * 1024));
    assert_eq!(s.total.committed_delta_bytes, Some(29406 * 1024));
    let thread = &s.category("Thread").unwrap().usage;
    assert_eq!(
        thread.field_value(Field::ThreadCount).unwrap().delta,
        Some(3)
    );
    let arena = thread.field_value(Field::ArenaBytes).unwrap();
    assert_eq!((arena.value, arena.delta), (75 * 1024, Some(6 * 1024)));
    // Unchanged amounts print no delta: the model says 0.
    let heap = &s.category("Java Heap").unwrap().usage;
    assert_eq!(heap.committed_delta_bytes, Some(0));
}

#[test]
fn corpus_jdk17_in_bytes_and_jdk8_inside_a_crash_report() {
    let parsed = parse_file("tests/corpus/nmt/framefork/nmt-summary-jdk17.txt");
    let s = parsed.snapshots.first().unwrap();
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    assert_eq!(
        (s.total.reserved_bytes, s.total.committed_bytes),
        (18669619469, 1387264269)
    );
    assert_eq!(s.categories.len(), 24);
    assert_eq!(field(s, "Class", Field::MetadataWastePercent), Some(666));
    assert_eq!(
        field(s, "Shared class space", Field::ReadonlyBytes),
        Some(0)
    );
    assert_eq!(
        field(s, "Native Memory Tracking", Field::TrackingOverheadBytes),
        Some(3455088)
    );

    let parsed = parse_file("tests/corpus/nmt/krashpad-dataset26-jdk8-hs_err.txt");
    assert_eq!(parsed.snapshots.len(), 1);
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(s.line, 2032);
    assert_eq!(
        (s.total.reserved_bytes, s.total.committed_bytes),
        (2659951 * KIB, 1438171 * KIB)
    );
    assert_eq!(field(s, "Thread", Field::ThreadCount), Some(43));
    assert_eq!(s.committed("Internal"), 9405 * KIB);
}

#[test]
fn future_categories_are_kept_and_reported_once() {
    let text = std::fs::read_to_string(repo_path("samples/nmt/jdk25/summary.txt")).unwrap();
    let extra = "-              Quantum Foam (reserved=10KB, committed=4KB)\n                            (malloc=4KB #2) (frobs=7KB #1)\n\n";
    let doubled = format!("{}{}", text.trim_end(), "\n\n");
    let text = doubled.replacen(
        "-                 Java Heap",
        &format!("{extra}-                 Java Heap"),
        1,
    );
    let twice = format!("{text}\n{text}");
    let parsed = parse_text("future", &twice);
    assert_eq!(parsed.snapshots.len(), 2);
    for s in &parsed.snapshots {
        let foam = s.category("Quantum Foam").expect("unknown category kept");
        assert_eq!(foam.usage.committed_bytes, 4 * KIB);
        assert_eq!(foam.usage.field(Field::MallocBytes), Some(4 * 1024));
        assert_eq!(&*foam.usage.extras[0].name, "frobs");
        assert_eq!(foam.usage.extras[0].committed_bytes, Some(7 * 1024));
    }
    let messages: Vec<&str> = parsed
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("Quantum Foam"))
            .count(),
        2,
        "{messages:#?}"
    );
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
}

#[test]
fn jdk11_summary_exact_values_with_free_lines() {
    let s = &parse_file("samples/nmt/jdk11/summary.txt").snapshots[0];
    assert_eq!((s.pid, s.kind), (Some(9878), SnapshotKind::Summary));
    assert_eq!(
        (s.total.reserved_bytes, s.total.committed_bytes),
        (1640195 * KIB, 331803 * KIB)
    );
    assert!(
        s.total.fields.is_empty(),
        "JDK 11 prints no Total malloc/mmap lines"
    );
    assert_eq!(field(s, "Class", Field::InstanceClassCount), Some(866));
    assert_eq!(
        field(s, "Class", Field::MetadataReservedBytes),
        Some(8192 * 1024)
    );
    assert_eq!(
        field(s, "Class", Field::MetadataFreeBytes),
        Some(188 * 1024)
    );
    assert_eq!(
        field(s, "Class", Field::ClassSpaceFreeBytes),
        Some(179 * 1024)
    );
    assert_eq!(field(s, "Class", Field::MetadataWastePercent), Some(0));
    assert_eq!(field(s, "Thread", Field::ThreadCount), Some(18));
    assert_eq!(
        field(s, "Thread", Field::StackCommittedBytes),
        Some(804 * 1024)
    );
    assert_eq!(field(s, "Thread", Field::StackPeakBytes), None);
    assert_eq!(s.committed("GC"), 47512 * KIB);
}

#[test]
fn jdk21_early_and_late_updates_differ_and_both_read() {
    let early = &parse_file("samples/nmt/jdk21.0.2/summary.txt").snapshots[0];
    let late = &parse_file("samples/nmt/jdk21.0.8/summary.txt").snapshots[0];
    // 21.0.2 prints `(thread #19)` and no stack peak; 21.0.8 `(threads #19)` with `peak=`.
    assert_eq!(field(early, "Thread", Field::ThreadCount), Some(19));
    assert_eq!(field(early, "Thread", Field::StackPeakBytes), None);
    assert_eq!(early.committed("Thread"), 860 * KIB);
    assert_eq!(field(late, "Thread", Field::ThreadCount), Some(19));
    assert_eq!(
        field(late, "Thread", Field::StackPeakBytes),
        Some(808 * 1024)
    );
    assert_eq!(
        (late.total.reserved_bytes, late.total.committed_bytes),
        (1694996 * KIB, 328752 * KIB)
    );
}

#[test]
fn jdk11_exit_statistics_in_kb_among_program_output() {
    let parsed = parse_file("samples/nmt/jdk11/print-nmt-statistics.txt");
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(s.line, 4, "after the workload's two lines and a blank");
    assert_eq!(s.scale, Scale::Kb);
    assert_eq!(s.total.committed_bytes, 194664 * KIB);
    assert_eq!(s.committed("Java Heap"), 131072 * KIB);
    assert_eq!(field(s, "Class", Field::ClassCount), Some(806));
}

#[test]
fn jdk17_diff_metaspace_headers_after_a_colon() {
    let s = &parse_file("samples/nmt/jdk17/summary-diff.txt").snapshots[0];
    let used = s
        .category("Class")
        .unwrap()
        .usage
        .field_value(Field::MetadataUsedBytes)
        .copied();
    assert_eq!(
        used.map(|f| (f.value, f.delta)),
        Some((2164 * 1024, Some(1194 * 1024)))
    );
    let waste = s
        .category("Class")
        .unwrap()
        .usage
        .field_value(Field::ClassSpaceWasteBytes)
        .copied();
    assert_eq!(
        waste.map(|f| (f.value, f.delta)),
        Some((188 * 1024, Some(60 * 1024)))
    );
    assert_eq!(field(s, "Class", Field::ClassSpaceWastePercent), Some(3264));
}
