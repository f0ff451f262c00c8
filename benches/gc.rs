//! GC log parsing over real sample files (criterion). Whole-process throughput against `wc -l`
//! on a 512 MiB log is measured by scripts/bench-gc.sh; this bench tracks the library's hot
//! paths per format: a unified G1 `-Xlog:gc*` log (one and all threads), generational ZGC, and
//! legacy JDK 8 logs.

// A failed unwrap in a bench's setup is the bench failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jvmem::gclog::{ParseOptions, parse_reader_opts};
use jvmem::model::GcEvent;

fn repeat(rel: &str, copies: usize) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/gc")
        .join(rel);
    let one = std::fs::read(path).unwrap_or_default();
    let mut out = Vec::with_capacity(one.len() * copies);
    for _ in 0..copies {
        out.extend_from_slice(&one);
    }
    out
}

fn bench(c: &mut Criterion) {
    let inputs = [
        (
            "g1-jdk17-gcstar",
            "bench/g1-jdk17-gcstar-time-uptime-level-tags.log",
            200,
        ),
        (
            "zgc-gen-jdk21-gcstar",
            "unified-small/jdk21-zgc-gen-gcstar.log",
            40,
        ),
        (
            "parallel-jdk8-legacy",
            "jdk8-handwritten/parallel-datestamps-cause.log",
            5000,
        ),
        (
            "cms-jdk8-legacy",
            "jdk8-handwritten/cms-interleaved.log",
            2000,
        ),
    ];
    let mut group = c.benchmark_group("gclog");
    for (name, rel, copies) in inputs {
        let text = repeat(rel, copies);
        group.throughput(Throughput::Bytes(text.len() as u64));
        for threads in [1, 2] {
            let options = ParseOptions {
                threads,
                ..ParseOptions::default()
            };
            group.bench_function(format!("{name}/threads={threads}"), |b| {
                b.iter(|| {
                    let mut events: Vec<GcEvent> = Vec::new();
                    let (info, _) = parse_reader_opts(
                        Arc::from("bench"),
                        black_box(text.as_slice()),
                        &mut events,
                        &options,
                    );
                    black_box((events.len(), info.lines))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
