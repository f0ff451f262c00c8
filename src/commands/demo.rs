//! `jvmem demo`: replays a real recording of a JDK 21 JVM that leaks heap, direct buffers and
//! classes (samples/scenarios/demo-jdk21-g1, converted by examples/scenario_to_session.rs).
//! The session is built into the binary, so this works from any directory.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;

use crate::tui::{App, Mode};

/// The recorded session, embedded.
pub const DEMO_SESSION: &str = include_str!("../../samples/sessions/demo.jvmem");

/// The container limit the demo assumes when none is given: the recording has none of its
/// own, and the container story (time to the limit) is what the demo is for.
pub const DEMO_LIMIT_BYTES: u64 = 1 << 30;

pub fn run(speed: f64, limit_bytes: Option<u64>) -> Result<ExitCode> {
    let source: Arc<str> = Arc::from("demo.jvmem");
    let timeline = jvmem::session::read_session(&source, DEMO_SESSION);
    if !std::io::stdout().is_terminal() {
        super::dashboard::print_summary(&timeline)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let app = App::new(
        timeline,
        Mode::Replay {
            playing: true,
            speed,
        },
    )
    .with_limit(limit_bytes)
    .with_default_limit(DEMO_LIMIT_BYTES, "demo default, --limit to change")
    .with_source_label("demo: JDK 21 leaking heap + direct + classes (recorded)");
    crate::tui::run(app, rx, jvmem::live::Sink::new(tx, None))?;
    Ok(ExitCode::SUCCESS)
}
