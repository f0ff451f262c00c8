//! Times the phases of loading one NMT file: read, UTF-8 check, parse (development aid).
use std::sync::Arc;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: nmttime FILE");
        std::process::exit(2);
    };
    let t = Instant::now();
    let bytes = std::fs::read(&path)?;
    let read = t.elapsed();
    let t = Instant::now();
    let text = String::from_utf8_lossy(&bytes);
    let utf8 = t.elapsed();
    let t = Instant::now();
    let source: Arc<str> = Arc::from(path.as_str());
    let parsed = jvmem::nmt::parse_str(&source, &text);
    let parse = t.elapsed();
    let mb = bytes.len() as f64 / 1048576.0;
    println!(
        "{mb:.1} MB: read {read:?}, utf8 {utf8:?}, parse {parse:?} ({:.0} MB/s), {} snapshots",
        mb / parse.as_secs_f64(),
        parsed.snapshots.len()
    );
    Ok(())
}
