//! Debug aid: prints every event of a GC log as one JSON line, then the info.
use std::sync::Arc;

fn main() {
    for path in std::env::args().skip(1) {
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let parse =
            jvmem::gclog::parse_reader(Arc::from(path.as_str()), std::io::BufReader::new(file));
        for e in &parse.events {
            println!("{}", serde_json::to_string(&e).unwrap_or_default());
        }
        println!("{}", serde_json::to_string(&parse.info).unwrap_or_default());
        for d in parse.diagnostics.iter().take(20) {
            println!("{d}");
        }
    }
}
