//! The drill-down parsers over real recordings (`samples/drill/`, made by
//! `samples/gen/gen-culprits.sh`) and hand-written JDK 8 shapes.

use std::sync::Arc;

use super::*;

fn sample(rel: &str) -> String {
    let path = format!("{}/samples/drill/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(rel: &str) -> DrillParse {
    let source: Arc<str> = Arc::from(rel);
    parse_str(&source, &sample(rel))
}

#[test]
fn debug_dump() {
    let p = parse("leak-jdk11/capture.txt");
    for c in &p.captures {
        eprintln!(
            "{:?} line {} t {:?} pid {:?} rows {} total {:?}/{:?}",
            c.kind,
            c.line,
            c.timestamp,
            c.pid,
            c.rows.len(),
            c.total_bytes,
            c.total_count
        );
        for r in c.rows.iter().take(3) {
            eprintln!("   {r:?}");
        }
    }
    eprintln!("{:?}", p.diagnostics);
}
