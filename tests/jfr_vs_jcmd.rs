//! A flight recording and the jcmd snapshots taken from the same JVM at the same time
//! (samples/gen/jfr.sh) must give the same diagnosis: the same suspects, rates within a few %.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jvmem::analysis::diagnosis::{DiagnoseOptions, Diagnosis, diagnose};

fn diagnosis(rel: &str) -> Diagnosis {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    let mut t = jvmem::input::load(&[path]);
    t.sort_gc_events();
    assert!(!t.snapshots.is_empty(), "{rel}: no snapshots");
    diagnose(
        &t,
        &DiagnoseOptions {
            limit_bytes: Some(512 << 20),
            ..DiagnoseOptions::default()
        },
    )
}

fn rate_of(d: &Diagnosis, category: &str) -> f64 {
    d.suspects
        .iter()
        .find(|s| s.categories.iter().any(|c| c == category))
        .map(|s| s.rate_bytes_per_min)
        .unwrap_or_else(|| panic!("no {category} suspect: {}", d.headline()))
}

#[test]
fn recording_and_jcmd_name_the_same_direct_leak() {
    for scenario in ["direct-leak-jdk21", "direct-leak-jdk25"] {
        let jfr = diagnosis(&format!("samples/jfr/{scenario}/rec.jfr"));
        let jcmd = diagnosis(&format!("samples/jfr/{scenario}/nmt.log"));
        let mut a: Vec<&str> = jfr.suspects.iter().map(|s| s.category.as_str()).collect();
        let mut b: Vec<&str> = jcmd.suspects.iter().map(|s| s.category.as_str()).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{scenario}: suspects differ");
        let (r1, r2) = (rate_of(&jfr, "Other"), rate_of(&jcmd, "Other"));
        // The workload leaks 1 MiB/s of direct buffers.
        assert!((r1 - r2).abs() / r2 < 0.05, "{scenario}: {r1} vs {r2}");
        assert!((r1 / 1048576.0 - 60.0).abs() < 6.0, "{scenario}: {r1}");
    }
}
