//! Converts a recorded scenario directory (`nmt.log`, `rss.log`, `gc.log`, as written by
//! `samples/gen/generate.sh`) into a jvmem session file. This is how the embedded demo is made:
//!
//! ```sh
//! cargo run --example scenario_to_session -- samples/scenarios/demo-jdk21-g1 samples/sessions/demo.jvmem
//! ```
//!
//! The output is reproducible byte for byte (a unit test checks the committed demo against it).

use std::path::Path;

use jvmem::session::{ScenarioTexts, session_from_scenario};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: scenario_to_session SCENARIO_DIR OUT.jvmem");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let (nmt, rss, gc) = (read("nmt.log"), read("rss.log"), read("gc.log"));
    let name = dir.to_string_lossy().trim_end_matches('/').to_string();
    let note = if name.ends_with("demo-jdk21-g1") {
        // Kept identical to the note the reproducibility test expects.
        "samples/scenarios/demo-jdk21-g1 (JDK 21, G1, leaking heap + direct buffers + classes), converted by examples/scenario_to_session.rs".to_string()
    } else {
        format!("{name}, converted by examples/scenario_to_session.rs")
    };
    let session = session_from_scenario(ScenarioTexts {
        nmt: &nmt,
        rss: &rss,
        gc: &gc,
        note: &note,
    });
    std::fs::write(out, session)?;
    eprintln!("wrote {out}");
    Ok(())
}
