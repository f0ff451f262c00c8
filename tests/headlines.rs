//! The headline figures (heap, metaspace, direct, threads) are one rule in the library
//! (`model::categories`): the dashboard shows `Headline::committed_bytes`, and the report's
//! budget lines must state the same figures, on every JDK's real output.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jvmem::analysis::diagnosis::{DiagnoseOptions, diagnose};
use jvmem::model::Headline;

/// Every single-snapshot NMT summary sample, so "the snapshot" means the same one to both.
fn single_snapshot_samples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/nmt");
    let mut out = Vec::new();
    for jdk in std::fs::read_dir(&root).expect("samples/nmt") {
        let jdk = jdk.expect("entry").path();
        for f in std::fs::read_dir(&jdk).expect("jdk dir") {
            let f = f.expect("entry").path();
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("summary") && !name.contains("diff") && name.ends_with(".txt") {
                out.push(f.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn report_budget_states_the_dashboard_headlines_on_every_sample() {
    let samples = single_snapshot_samples();
    assert!(samples.len() >= 20, "only {} samples found", samples.len());
    let mut jdk8_direct_checked = false;
    for path in &samples {
        let timeline = jvmem::input::load(std::slice::from_ref(path));
        assert_eq!(timeline.snapshots.len(), 1, "{path}");
        let s = timeline.snapshots.first().unwrap();
        let options = DiagnoseOptions {
            limit_bytes: Some(1 << 30),
            ..DiagnoseOptions::default()
        };
        let d = diagnose(&timeline, &options);
        let budget = d
            .budget
            .as_ref()
            .unwrap_or_else(|| panic!("{path}: no budget"));
        let line = |item: &str| {
            budget
                .lines
                .iter()
                .find(|l| l.item == item)
                .unwrap_or_else(|| panic!("{path}: no {item} line"))
                .observed_bytes
        };
        assert_eq!(
            line("metaspace"),
            Headline::Metaspace.committed_bytes(s),
            "{path}"
        );
        assert_eq!(
            line("direct"),
            Headline::Direct.committed_bytes(s),
            "{path}"
        );
        if path.contains("jdk8") {
            assert!(
                line("direct") > 50 << 20,
                "{path}: JDK 8 direct is Internal"
            );
            jdk8_direct_checked = true;
        }
    }
    assert!(jdk8_direct_checked, "no JDK 8 sample");
}
