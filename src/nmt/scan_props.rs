//! Property: the parallel scan gives exactly the sequential scan's snapshots and diagnostics,
//! wherever the input is cut. Inputs are random concatenations of real `jcmd` answers
//! (`samples/nmt`, JDK 8 hand-written to 25: summaries in every scale, diffs, detail,
//! `PrintNMTStatistics`, jcmd's failures, five-snapshot files with date lines) with shell
//! prompts, date lines and application noise between them; the cuts are a random subset of the
//! column-0 `Native Memory Tracking:` lines, as `cut_points` chooses on a large input.
//! 96 cases: about 1 s in a debug build.

use std::sync::Arc;

use proptest::prelude::*;

use super::{ParseOptions, parse_pieces};

const SAMPLES: &[&str] = &[
    "samples/nmt/jdk8/summary.txt",
    "samples/nmt/jdk11/summary.txt",
    "samples/nmt/jdk11/summary-diff.txt",
    "samples/nmt/jdk17/concat-date-iso.txt",
    "samples/nmt/jdk17/summary-scale-mb.txt",
    "samples/nmt/jdk17/not-enabled.txt",
    "samples/nmt/jdk21.0.8/concat-date-epoch.txt",
    "samples/nmt/jdk21.0.8/detail-diff.txt",
    "samples/nmt/jdk25/concat-date-plain.txt",
    "samples/nmt/jdk25/summary-scale-gb.txt",
    "samples/nmt/jdk25/print-nmt-statistics.txt",
    "samples/nmt/jdk25/summary-diff-no-baseline.txt",
];

/// What stands between two answers in a real capture file or paste.
const BETWEEN: &[&str] = &[
    "",
    "\n",
    "$ jcmd 4242 VM.native_memory summary\n",
    "2026-12-01T23:30:00+00:00\n",
    "Tue Dec  1 23:30:05 UTC 2026\n",
    "1764631805\n",
    "4242:\n",
    "INFO  [main] c.e.App - request served in 12 ms\n",
    "Native Memory Tracking:\n",
];

fn samples() -> &'static [String] {
    static LOADED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        SAMPLES
            .iter()
            .map(|rel| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn pieces_scanned_in_parallel_equal_one_scan(
        parts in prop::collection::vec((0..SAMPLES.len(), 0..BETWEEN.len()), 1..8),
        keep in prop::collection::vec(any::<bool>(), 64),
        first_line in 0u64..1000,
        dated in any::<bool>(),
    ) {
        let mut text = String::new();
        for (sample, between) in &parts {
            text.push_str(BETWEEN[*between]);
            text.push_str(&samples()[*sample]);
        }
        let cuts: Vec<usize> = text
            .match_indices("\nNative Memory Tracking:")
            .map(|(i, _)| i + 1)
            .enumerate()
            .filter(|(n, _)| keep[n % keep.len()])
            .map(|(_, at)| at)
            .collect();
        let source: Arc<str> = Arc::from("prop");
        let options = ParseOptions {
            default_timestamp: dated.then(|| {
                chrono::DateTime::parse_from_rfc3339("2026-12-01T23:00:00+00:00").unwrap()
            }),
            first_line,
        };
        let sequential = parse_pieces(&source, &text, &options, &[]);
        let parallel = parse_pieces(&source, &text, &options, &cuts);
        prop_assert!(!sequential.snapshots.is_empty() || text.matches("Total: ").count() == 0);
        prop_assert_eq!(parallel.snapshots, sequential.snapshots);
        prop_assert_eq!(parallel.diagnostics, sequential.diagnostics);
    }
}
