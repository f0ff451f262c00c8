//! Prints what the NMT parser read from each file given: a quick look while developing.
use std::sync::Arc;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let source: Arc<str> = Arc::from(path.as_str());
        let parsed = jvmem::nmt::parse_str(&source, &text);
        for s in &parsed.snapshots {
            let sum: u64 = s.categories.iter().map(|c| c.usage.committed_bytes).sum();
            println!(
                "{path}:{} {:?} pid={:?} ts={:?} scale={:?} total={}/{} sum={} cats={} complete={}",
                s.line,
                s.kind,
                s.pid,
                s.timestamp.map(|t| t.to_rfc3339()),
                s.scale,
                s.total.reserved_bytes,
                s.total.committed_bytes,
                sum,
                s.categories.len(),
                s.complete
            );
        }
        for d in &parsed.diagnostics {
            println!("  {d}");
        }
    }
}
