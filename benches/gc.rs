//! GC log parsing over real sample files (criterion). Whole-process throughput against `wc -l`
//! on a 512 MiB log is measured by scripts/bench-gc.sh; this bench tracks the library's hot
//! paths per format: a unified G1 `-Xlog:gc*` log, generational ZGC, and
//! legacy JDK 8 logs.

// A failed unwrap in a bench's setup is the bench failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jvmem::gclog::parse_reader_with;
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
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut events: Vec<GcEvent> = Vec::new();
                let (info, _) =
                    parse_reader_with(Arc::from("bench"), black_box(text.as_slice()), &mut events);
                black_box((events.len(), info.lines))
            })
        });
    }
    group.finish();
}

/// The legacy reader on one-line records only (every `[GC`/`[Full GC` line of the JDK 8 samples
/// that balances, repeated): the path where reading the record itself (`legacy::record::read`,
/// crate-private) is most of the time.
fn legacy_records(c: &mut Criterion) {
    let mut one: Vec<u8> = Vec::new();
    for rel in [
        "jdk8-handwritten/cms-interleaved.log",
        "jdk8-handwritten/g1-details.log",
        "jdk8-handwritten/parallel-datestamps-cause.log",
        "jdk8-handwritten/serial-heapatgc.log",
    ] {
        for line in repeat(rel, 1).split(|b| *b == b'\n') {
            let at = memchr::memmem::find(line, b"[GC")
                .or_else(|| memchr::memmem::find(line, b"[Full GC"));
            let balanced =
                memchr::memchr_iter(b'[', line).count() == memchr::memchr_iter(b']', line).count();
            if at.is_some() && balanced && memchr::memmem::find(line, b"concurrent").is_none() {
                one.extend_from_slice(line);
                one.push(b'\n');
            }
        }
    }
    let text = one.repeat(2000);
    let mut group = c.benchmark_group("legacy-records");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("one-line-records", |b| {
        b.iter(|| {
            let mut events: Vec<GcEvent> = Vec::new();
            let (info, _) =
                parse_reader_with(Arc::from("bench"), black_box(text.as_slice()), &mut events);
            black_box((events.len(), info.lines))
        })
    });
    group.finish();
}

criterion_group!(benches, bench, legacy_records);
criterion_main!(benches);
