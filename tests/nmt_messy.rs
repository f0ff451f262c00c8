//! Real snapshots wrapped in the mess users paste: CRLF, prompts, log prefixes, truncation.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{KIB, parse_text, repo_path};
use jvmem::model::{Severity, Snapshot};

fn sample(relative: &str) -> String {
    std::fs::read_to_string(repo_path(relative)).unwrap()
}

/// Category name → committed bytes, to compare two readings of the same snapshot.
fn committed(s: &Snapshot) -> Vec<(String, u64)> {
    s.categories
        .iter()
        .map(|c| (c.name.to_string(), c.usage.committed_bytes))
        .collect()
}

#[test]
fn crlf_trailing_spaces_bom_and_tabs_change_nothing() {
    let clean = sample("samples/nmt/jdk25/summary.txt");
    let reference = parse_text("clean", &clean).snapshots.remove(0);
    let messy: String = clean
        .lines()
        .map(|l| format!("{l}  \t\r\n"))
        .collect::<String>();
    let messy = format!("\u{feff}{messy}");
    let parsed = parse_text("messy", &messy);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let s = parsed.snapshots.first().unwrap();
    assert_eq!(committed(s), committed(&reference));
    assert_eq!(s.total, reference.total);
    assert_eq!(s.categories, reference.categories);
}

#[test]
fn prompts_and_timestamps_around_several_snapshots() {
    let one = sample("samples/nmt/jdk25/summary.txt");
    let text = format!(
        "user@host:~$ date -Is; jcmd 6379 VM.native_memory summary\n\
         2026-11-26T06:39:00+00:00\n{one}\n\
         user@host:~$ date; jcmd 6379 VM.native_memory summary\n\
         Thu Nov 26 06:40:00 UTC 2026\n{one}\n\
         user@host:~$ jcmd 6379 VM.native_memory summary\n{one}\nuser@host:~$ exit\n"
    );
    let parsed = parse_text("paste", &text);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let times: Vec<Option<String>> = parsed
        .snapshots
        .iter()
        .map(|s| s.timestamp.map(|t| t.to_rfc3339()))
        .collect();
    assert_eq!(
        times,
        vec![
            Some("2026-11-26T06:39:00+00:00".to_string()),
            Some("2026-11-26T06:40:00+00:00".to_string()),
            None
        ]
    );
    assert!(parsed.snapshots.iter().all(|s| s.pid == Some(6379)));
    // Each snapshot starts at its `6379:` header line.
    assert_eq!(parsed.snapshots.first().unwrap().line, 3);
}

#[test]
fn kubernetes_log_prefixes_are_stripped() {
    // PrintNMTStatistics at exit, as `kubectl logs --timestamps` or a CRI log file shows it.
    let exit = sample("samples/nmt/jdk25/print-nmt-statistics.txt");
    let reference = parse_text("plain", &exit).snapshots.remove(0);
    let prefixed: String = exit
        .lines()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "2026-11-26T06:39:{:02}.{}Z stdout F {l}\n",
                i % 60,
                10 + i * 7 % 90
            )
        })
        .collect();
    let parsed = parse_text("pod.log", &prefixed);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    assert_eq!(parsed.snapshots.len(), 1);
    assert_eq!(
        committed(parsed.snapshots.first().unwrap()),
        committed(&reference)
    );
    assert_eq!(
        parsed.snapshots.first().unwrap().total.committed_bytes,
        reference.total.committed_bytes
    );
}

#[test]
fn a_truncated_paste_keeps_what_was_read_and_says_so() {
    let full = sample("samples/nmt/jdk25/summary.txt");
    let cut = &full[..full.find("-                        GC").unwrap()];
    let parsed = parse_text("paste", cut);
    let s = parsed.snapshots.first().unwrap();
    assert!(!s.complete);
    assert_eq!(s.committed("Java Heap"), 262144 * KIB);
    assert!(s.category("Thread").is_some());
    assert!(s.category("GC").is_none());
    let warning = &parsed.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("truncated"), "{}", warning.message);

    // Cut before the Total: only the header is left.
    let head = &full[..full.find("Total:").unwrap()];
    let parsed = parse_text("paste", head);
    assert!(parsed.snapshots.is_empty());
    assert_eq!(parsed.diagnostics[0].severity, Severity::Error);
    assert_eq!(
        parsed.diagnostics[0].line, 1,
        "names the snapshot's `6379:` header line"
    );
}

#[test]
fn garbage_and_binary_input_give_no_snapshot_and_no_panic() {
    for text in [
        "",
        "\n\n\n",
        "hello world",
        "Native Memory Tracking:",
        "Native Memory Tracking:\nTotal: reserved=",
        "Native Memory Tracking:\nTotal: reserved=1KB, committed=1KB\n-  X (reserved=1KB, committed=",
        "Native Memory Tracking:\n-  (reserved=(((((, committed=))))\n((((((((\n",
        &"Native Memory Tracking:\n".repeat(1000),
        // Found by proptest: amounts whose sum overflows u64 when Total is missing.
        "Native Memory Tracking:\n- (reserved=1, committed=0)\n- (reserved=20000000000000MB, committed=0)\n- (reserved=, committed=)",
        &String::from_utf8_lossy(&(0u8..=255).cycle().take(10_000).collect::<Vec<u8>>()),
    ] {
        let parsed = parse_text("garbage", text);
        assert!(parsed.snapshots.len() <= text.matches("Native Memory Tracking:").count());
    }
}

#[test]
fn a_mid_snapshot_application_log_line_ends_it_cleanly() {
    let one = sample("samples/nmt/jdk25/summary.txt");
    let text = format!("{one}2026-11-26 06:39:00.123 INFO  [main] c.e.App - started\n{one}");
    let parsed = parse_text("app.log", &text);
    assert_eq!(parsed.snapshots.len(), 2);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
}

#[test]
fn a_garbage_line_right_after_the_header_costs_nothing() {
    let one = sample("samples/nmt/jdk25/summary.txt");
    let damaged = one.replacen(
        "Native Memory Tracking:\n\n",
        "Native Memory Tracking:\n#!%@ garbage from the terminal\n",
        1,
    );
    assert_ne!(damaged, one);
    let parsed = parse_text("paste", &damaged);
    assert_eq!(parsed.snapshots.len(), 1);
    assert_eq!(
        committed(parsed.snapshots.first().unwrap()),
        committed(&parse_text("clean", &one).snapshots[0])
    );
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 4);
    assert!(
        parsed.diagnostics[0]
            .message
            .contains("after the NMT header")
    );
}
