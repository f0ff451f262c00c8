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

pub fn run(speed: f64) -> Result<ExitCode> {
    let source: Arc<str> = Arc::from("demo.jvmem");
    let timeline = jvmem::session::read_session(&source, DEMO_SESSION);
    if !std::io::stdout().is_terminal() {
        super::dashboard::print_summary(&timeline)?;
        return Ok(ExitCode::SUCCESS);
    }
    let suspects = super::dashboard::suspect_marks(&timeline, None);
    let (_tx, rx) = std::sync::mpsc::channel();
    let mut app = App::new(
        timeline,
        Mode::Replay {
            playing: true,
            speed,
        },
    )
    .with_source_label("demo: JDK 21 leaking heap + direct + classes (recorded)");
    app.set_suspects(suspects);
    super::dashboard::run(app, rx, |_, _| {})?;
    Ok(ExitCode::SUCCESS)
}
