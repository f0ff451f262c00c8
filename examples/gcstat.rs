//! Whole-process timing entry until `jvmem gc` exists: streams GC logs (files, directories,
//! rotated sets) into a summary without keeping events, and prints it.
//! `cargo run --release --example gcstat -- LOG... [--verbose] [--json]`

use std::path::PathBuf;

use jvmem::analysis::gc_summary::GcSummaryBuilder;
use jvmem::gclog::{FnSink, load_paths_with};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let json = args.iter().any(|a| a == "--json");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let mut builder = GcSummaryBuilder::default();
    let (info, diagnostics) = load_paths_with(&paths, &mut FnSink(|e| builder.push(&e)));
    let summary = builder.finish(&info);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        print!(
            "{}",
            jvmem::report::gc_text::render(&summary, &diagnostics, verbose)
        );
    }
    if summary.events == 0 {
        std::process::exit(1);
    }
}
