//! Tests of the line rules (`lines.rs`).

use super::is_noise;

/// The flat list `is_noise` used to test every line against, in full.
const NOISE: [&[u8]; 33] = [
    b"time_until_cms",
    b"free=",
    b"contiguous_available=",
    b"promotion_rate=",
    b"cms_allocation_rate=",
    b"occupancy=",
    b"initiating",
    b"CMSCollector",
    b"cms_time",
    b"Desired survivor size",
    b"- age",
    b"Total time for which application threads were stopped",
    b"Application time:",
    b"AdaptiveSize",
    b"PSAdaptiveSize",
    b"avg_",
    b"{Heap before",
    b"Heap after",
    b"Heap",
    b"}",
    b"[Times:",
    b"CMS: abort preclean",
    b"Memory:",
    b"TLAB",
    b"[G1Ergonomics",
    b"[GC Worker",
    b"Finished",
    b"GC locker:",
    b"Before GC",
    b"After GC",
    b"Concurrent RS",
    b"ParallelGCThreads",
    b", ",
];

#[test]
fn noise_table_matches_the_list() {
    let flat = |rest: &[u8]| NOISE.iter().any(|n| rest.starts_with(n));
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for n in NOISE {
        lines.push(n.to_vec());
        lines.push([n, b" 12.3".as_slice()].concat());
        // Every shorter prefix and a one-byte change must agree too.
        for cut in 0..n.len() {
            lines.push(n[..cut].to_vec());
            let mut changed = n.to_vec();
            changed[cut] ^= 0x20;
            lines.push(changed);
        }
    }
    let samples = [
        "samples/gc/jdk8-handwritten",
        "samples/gc/jdk8-handwritten/rotated",
    ];
    for dir in samples {
        let entries = std::fs::read_dir(dir).unwrap();
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                for line in std::fs::read(&path).unwrap().split(|b| *b == b'\n') {
                    lines.push(line.to_vec());
                    lines.push(crate::gclog::numbers::trim_start(line).to_vec());
                }
            }
        }
    }
    assert!(lines.len() > 1000, "{} lines", lines.len());
    let mut noise = 0;
    for line in &lines {
        assert_eq!(
            is_noise(line),
            flat(line),
            "{:?}",
            String::from_utf8_lossy(line)
        );
        noise += usize::from(flat(line));
    }
    assert!(noise > 100, "{noise} noise lines");
}
