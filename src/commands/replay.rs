//! `jvmem replay INPUT... [--speed N]`: plays back a session file, a directory of snapshot
//! files or a concatenated log (GC logs alongside) in the dashboard. Without a terminal, prints
//! the snapshots and the first → last diff instead.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc::channel;

use anyhow::Result;
use jvmem::model::Update;

use crate::tui::{App, Mode};

pub fn run(inputs: &[String], speed: f64, limit_bytes: Option<u64>) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        let timeline = jvmem::input::load(inputs);
        if let Some(code) = super::nothing_read(&timeline) {
            super::print_diagnostics(&timeline.diagnostics);
            return Ok(code);
        }
        super::dashboard::print_summary(&timeline)?;
        return Ok(ExitCode::SUCCESS);
    }
    // A replay needs the whole recording before it starts (its length and time gaps drive the
    // cursor); recordings are small next to what `view` may open. Suspects are judged as of
    // the cursor, on the diagnosis thread.
    let timeline = jvmem::input::load(inputs);
    if let Some(code) = super::nothing_read(&timeline) {
        super::print_diagnostics(&timeline.diagnostics);
        return Ok(code);
    }
    let label = format!("replay {}", inputs.join(", "));
    let app = App::new(
        timeline,
        Mode::Replay {
            playing: true,
            speed,
        },
    )
    .with_limit(limit_bytes)
    .with_source_label(label);
    let (tx, rx) = channel::<Update>();
    crate::tui::run(app, rx, jvmem::live::Sink::new(tx, None))?;
    Ok(ExitCode::SUCCESS)
}
