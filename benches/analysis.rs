//! Analysis speed (criterion): the diagnosis (`jvmem report`, the dashboard's suspect marks)
//! over the real demo recording, and over 10,000 snapshots made from it; the NMT series
//! (`nmt_growth`) alone over the 10,000; and the parts of `report` after parsing (issue 19):
//! one series' trend, the budget's peaks, storing parsed snapshots, the time sort.

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
    // The parts of `report` after the parser (issue 19, the report target).
    let mut group = c.benchmark_group("report_parts");
    // A rising, noisy series of 10,000 points: downsampled to 240, then the pairwise statistics.
    let series: Vec<(f64, f64)> = (0..10_000u64)
        .map(|i| {
            let x = i.wrapping_mul(6364136223846793005) >> 33;
            (
                i as f64 * 0.05,
                1e6 + 300.0 * i as f64 + (x % 50_000) as f64,
            )
        })
        .collect();
    group.bench_function("trend-10k-points", |b| {
        b.iter(|| jvmem::analysis::trend::trend(std::hint::black_box(&series)))
    });
    group.bench_function("budget-needs-10k-snapshots", |b| {
        b.iter(|| jvmem::analysis::budget_peaks::needs(std::hint::black_box(&big)))
    });
    let parsed = big.snapshots.to_vec();
    group.bench_function("store-push-10k-snapshots", |b| {
        b.iter(|| {
            let mut store = jvmem::model::Snapshots::default();
            for s in std::hint::black_box(&parsed) {
                store.push_ref(s);
            }
            store
        })
    });
    // The report input's shape: a recording repeated, its times going back at each copy.
    let mut repeated = Timeline::default();
    for _ in 0..165 {
        repeated.snapshots.append(demo.snapshots.clone());
    }
    group.bench_function("sort-10k-repeated-snapshots", |b| {
        b.iter_batched(
            || repeated.clone(),
            |mut t| {
                t.sort_snapshots();
                t
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
