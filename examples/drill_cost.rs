//! What the drill-down pass costs on top of NMT parsing, for docs/culprits.md:
//! `cargo run --release --example drill_cost -- FILE` prints the best of 5 of each.

use std::sync::Arc;
use std::time::Instant;

fn best(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let start = Instant::now();
        n = f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, n)
}

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let text = std::fs::read_to_string(&path)?;
    let source: Arc<str> = Arc::from(path.as_str());
    let mb = text.len() as f64 / (1 << 20) as f64;
    let (nmt, snapshots) = best(|| jvmem::nmt::parse_str(&source, &text).snapshots.len());
    let (drill, captures) = best(|| jvmem::drill::parse_str(&source, &text).captures.len());
    println!(
        "{mb:.1} MiB: NMT parse {nmt:.3} s ({snapshots} snapshots), drill pass {drill:.4} s ({captures} captures), {:.2}% extra",
        100.0 * drill / nmt
    );
    Ok(())
}
