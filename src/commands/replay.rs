//! `jvmem replay INPUT... [--speed N]`: plays back a session file, a directory of snapshot
//! files or a concatenated log (GC logs alongside) in the dashboard. Without a terminal, prints
//! the snapshots and the first → last diff instead.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc::{Sender, channel};

use anyhow::Result;
use jvmem::model::{Timeline, Update};

use crate::tui::{App, Mode};

pub fn run(inputs: &[String], speed: f64, limit_bytes: Option<u64>) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        let timeline = jvmem::input::load(inputs);
        if let Some(code) = super::nothing_read(&timeline) {
            super::print_diagnostics(&timeline.diagnostics);
            return Ok(code);
        }
        super::dashboard::print_summary(&timeline);
        return Ok(ExitCode::SUCCESS);
    }
    let (tx, rx) = channel();
    let paths = inputs.to_vec();
    // Parsing happens off the UI thread; the dashboard is up at once.
    std::thread::Builder::new()
        .name("jvmem-replay-load".into())
        .spawn(move || send_timeline(jvmem::input::load(&paths), &tx))?;
    let label = format!("replay {}", inputs.join(", "));
    let app = App::new(
        Timeline::default(),
        Mode::Replay {
            playing: true,
            speed,
        },
    )
    .with_limit(limit_bytes)
    .with_source_label(label);
    super::dashboard::run(app, rx, |_, _| {})?;
    Ok(ExitCode::SUCCESS)
}

/// Sends a loaded timeline as updates (what a live source would have sent).
pub fn send_timeline(timeline: Timeline, tx: &Sender<Update>) {
    let Timeline {
        snapshots,
        gc_events,
        process,
        diagnostics,
        ..
    } = timeline;
    let mut updates = vec![
        Update::Diagnostics(diagnostics),
        Update::Snapshots(snapshots),
        Update::GcEvents(gc_events),
    ];
    updates.extend(process.into_iter().map(Update::Process));
    for update in updates {
        if tx.send(update).is_err() {
            return;
        }
    }
}
