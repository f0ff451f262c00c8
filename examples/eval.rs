//! The diagnosis evaluation (is each verdict right on recordings whose truth is known) over
//! recording directories: prints the markdown tables
//! of docs/diagnosis.md. Run by scripts/eval-diagnosis.sh.
//!
//! Usage: cargo run --release --example eval -- [--part tune|held|old] ROOT...

#[path = "../tests/support/eval.rs"]
mod eval;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut part: Option<String> = None;
    if let Some(i) = args.iter().position(|a| a == "--part") {
        part = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
    }
    if let Some(i) = args.iter().position(|a| a == "--debug") {
        let f: f64 = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(1.0);
        for r in eval::recordings(std::path::Path::new(&args[i + 2])) {
            println!("{}:\n{}", r.name, eval::debug_prefix(&r, f));
        }
        return;
    }
    let mut recordings = Vec::new();
    for root in &args {
        recordings.extend(eval::recordings(std::path::Path::new(root)));
    }
    let outcomes: Vec<eval::Outcome> = recordings
        .iter()
        .filter(|r| part.as_ref().is_none_or(|p| &r.part == p))
        .map(|r| {
            let o = eval::evaluate(r, 10);
            eprintln!("{} {}: {:?} -> {:?}", o.part, o.name, o.expected, o.ranked);
            o
        })
        .collect();
    println!("{}", eval::table(&outcomes));
    if outcomes.iter().any(|o| !o.kill_predictions.is_empty()) {
        let kills: Vec<eval::Outcome> = outcomes
            .iter()
            .filter(|o| !o.kill_predictions.is_empty())
            .cloned()
            .collect();
        println!("{}", eval::kill_table(&kills));
    }
}
