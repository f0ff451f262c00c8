//! `jvmem view INPUT... [--limit SIZE]`: the dashboard on files. Inputs are read and parsed on
//! a loader thread that sends [`Update`]s, so the dashboard is up (with a progress indicator)
//! while a large file is still being read.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc::{Sender, channel};

use anyhow::Result;
use jvmem::input;
use jvmem::model::{Timeline, Update};

use crate::tui::{App, Mode};

pub fn run(inputs: &[String], limit_bytes: Option<u64>) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() {
        return Err(super::usage(
            "`jvmem view` needs a terminal; for a pipe use `jvmem export` or `jvmem diff`",
        ));
    }
    if inputs.iter().any(|i| i == "-") && std::io::stdin().is_terminal() {
        return Err(super::usage(
            "`-` reads snapshots from stdin, but stdin is the terminal",
        ));
    }
    let (tx, rx) = channel();
    let paths = inputs.to_vec();
    let loader = tx.clone();
    std::thread::Builder::new()
        .name("jvmem-load".into())
        .spawn(move || load(&paths, &loader))?;
    let label = inputs
        .iter()
        .map(|p| short_name(p))
        .collect::<Vec<_>>()
        .join(", ");
    let app = App::new(Timeline::default(), Mode::View)
        .with_limit(limit_bytes)
        .with_source_label(label);
    crate::tui::run(app, rx, jvmem::live::Sink::new(tx, None))?;
    Ok(ExitCode::SUCCESS)
}

/// `heap-leak/nmt.log` from a long path: the last two components say the most.
fn short_name(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches('/').rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// Reads every input through the one loader, sending what each file holds as it is read.
/// Stops quietly when the dashboard has gone (the receiver is dropped).
fn load(paths: &[String], tx: &Sender<Update>) {
    input::load_streaming(paths, &mut |update| tx.send(update).is_ok());
}
