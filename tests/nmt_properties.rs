//! Properties of the NMT reader on any input: no panic, and damage stays local — mutating one
//! line of a real multi-snapshot file leaves the other snapshots read exactly as before.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{parse_text, repo_path};
use proptest::prelude::*;

fn concat_sample() -> String {
    std::fs::read_to_string(repo_path("samples/nmt/jdk25/concat-date-iso.txt")).unwrap()
}

/// The byte range of each snapshot's text in the sample (from its `date` line to the next).
fn snapshot_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let starts: Vec<usize> = text.match_indices("\n2026-").map(|(i, _)| i + 1).collect();
    let mut ranges = Vec::new();
    let mut begin = 0;
    for s in starts {
        ranges.push(begin..s);
        begin = s;
    }
    ranges.push(begin..text.len());
    ranges
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let text = String::from_utf8_lossy(&bytes);
        let parsed = parse_text("fuzz", &text);
        prop_assert!(parsed.snapshots.len() <= text.matches("Native Memory Tracking:").count());
    }

    #[test]
    fn nmt_shaped_noise_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("Native Memory Tracking:".to_string()),
                Just("Total: reserved=10KB, committed=5KB".to_string()),
                "-[ A-Za-z]{0,12} \\(reserved=[0-9]{0,22}[KMG]?B?, committed=[0-9+-]{0,5}\\)",
                "[ ]{0,30}\\((malloc|mmap|arena|peak|stack|  Metadata|    waste)[:=]? ?[0-9#=,.%+ -]{0,20}\\)?",
                "[0-9]{1,7}:",
                "[ -~]{0,40}",
            ],
            0..60,
        )
    ) {
        let text = lines.join("\n");
        let _ = parse_text("noise", &text);
    }

    /// One line of one snapshot damaged (cut, digits changed, swapped with the next, a tab or
    /// CR inserted): every other snapshot is still read with exactly the same values.
    #[test]
    fn damage_to_one_snapshot_leaves_the_others_intact(
        victim in 0usize..5,
        line_pick in any::<prop::sample::Index>(),
        kind in 0u8..5,
    ) {
        let text = concat_sample();
        let clean = parse_text("s", &text);
        let ranges = snapshot_ranges(&text);
        prop_assert_eq!(ranges.len(), 5);
        let range = ranges[victim].clone();
        let mut lines: Vec<String> = text[range.clone()].lines().map(str::to_string).collect();
        let i = line_pick.index(lines.len());
        match kind {
            0 => { let keep = lines[i].len() / 2; lines[i].truncate(keep); }
            1 => lines[i] = lines[i].replace(|c: char| c.is_ascii_digit(), "9"),
            2 if i + 1 < lines.len() => lines.swap(i, i + 1),
            3 => lines[i].insert(0, '\t'),
            _ => lines[i].push('\r'),
        }
        let damaged = format!("{}{}\n{}", &text[..range.start], lines.join("\n"), &text[range.end..]);
        let parsed = parse_text("s", &damaged);
        for (n, s) in clean.snapshots.iter().enumerate() {
            if n == victim {
                continue;
            }
            let found = parsed.snapshots.iter().find(|p| p.timestamp == s.timestamp);
            let found = found.ok_or_else(|| TestCaseError::fail(format!("snapshot {n} lost")))?;
            prop_assert_eq!(&found.categories, &s.categories);
            prop_assert_eq!(&found.total, &s.total);
        }
    }
}
