//! NMT parsing speed on real snapshots (criterion). Whole-process figures against `wc -l`
//! are in scripts/bench.sh; results in docs/benchmarks.md.

// A failed unwrap in a bench's setup is the bench failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn sample(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(path).expect("sample present")
}

fn nmt(c: &mut Criterion) {
    let source: Arc<str> = Arc::from("bench");
    let mut group = c.benchmark_group("nmt");
    for (name, file, copies) in [
        ("summary-jdk25", "samples/nmt/jdk25/summary.txt", 1),
        (
            "timestamped-x100",
            "samples/nmt/jdk25/concat-date-iso.txt",
            20,
        ),
        ("detail-jdk25", "samples/nmt/jdk25/detail.txt", 1),
    ] {
        let text = sample(file).repeat(copies);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| jvmem::nmt::parse_str(&source, std::hint::black_box(&text)))
        });
    }
    // What `export --format csv` reads: the same 100 snapshots, keeping category totals only
    // (sub-lines of a shape already read are counted, not tokenised; `nmt::Keep::Totals`).
    let text = sample("samples/nmt/jdk25/concat-date-iso.txt").repeat(20);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("timestamped-x100-totals", |b| {
        b.iter(|| {
            let options = jvmem::nmt::ParseOptions::default();
            jvmem::nmt::NmtStream::new(&source, options)
                .keeping(jvmem::nmt::Keep::Totals)
                .feed(std::hint::black_box(&text))
        })
    });
    group.finish();
}

criterion_group!(benches, nmt);
criterion_main!(benches);
