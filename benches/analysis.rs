//! Analysis speed (criterion): the diagnosis (`jvmem report`, the dashboard's suspect marks)
//! over the real demo recording, and over 10,000 snapshots made from it; the NMT series
//! (`nmt_growth`) alone over the 10,000.

// A failed unwrap in a bench's setup is the bench failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use jvmem::analysis::{DiagnoseOptions, diagnose};
use jvmem::model::Timeline;

fn demo() -> Timeline {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/scenarios/demo-jdk21-g1"
    );
    jvmem::input::load(&[format!("{dir}/nmt.log"), format!("{dir}/gc.log")])
}

/// The demo's snapshots repeated to `n`, each repetition shifted past the previous one in time
/// and lifted by the growth of one pass, so trends continue (as in a long recording).
fn stretched(base: &Timeline, n: usize) -> Timeline {
    let mut t = Timeline::default();
    let span = match (base.snapshots.first(), base.snapshots.last()) {
        (Some(a), Some(b)) => b.timestamp.zip(a.timestamp).map(|(b, a)| b - a),
        _ => None,
    }
    .unwrap_or_default()
        + chrono::TimeDelta::seconds(3);
    let mut pass = 0;
    while t.snapshots.len() < n {
        for s in &base.snapshots {
            let mut s = s.to_snapshot();
            s.timestamp = s.timestamp.map(|ts| ts + span * pass);
            for c in &mut s.categories {
                c.usage.committed_bytes += u64::try_from(pass).unwrap() * (1 << 20);
            }
            t.snapshots.push(s);
        }
        pass += 1;
    }
    t.snapshots.truncate(n);
    t
}

fn analysis(c: &mut Criterion) {
    let options = DiagnoseOptions {
        limit_bytes: Some(1 << 30),
        ..DiagnoseOptions::default()
    };
    let demo = demo();
    let mut group = c.benchmark_group("diagnose");
    group.bench_function("demo-61-snapshots-50-gc-events", |b| {
        b.iter(|| diagnose(std::hint::black_box(&demo), &options))
    });
    let big = stretched(&demo, 10_000);
    group.bench_function("10k-snapshots", |b| {
        b.iter(|| diagnose(std::hint::black_box(&big), &options))
    });
    group.finish();
    // The NMT series alone (a third of `report` on long recordings, issue 19).
    let mut group = c.benchmark_group("nmt_growth");
    group.bench_function("10k-snapshots", |b| {
        b.iter(|| jvmem::analysis::growth::nmt_growth(std::hint::black_box(&big), 0.1, 5, 60.0))
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
