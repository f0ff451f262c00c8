//! `jvmem view INPUT... [--limit SIZE]`: the dashboard on files. Inputs are read and parsed on
//! a loader thread that sends [`Update`]s, so the dashboard is up (with a progress indicator)
//! while a large file is still being read.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

use anyhow::Result;
use jvmem::input;
use jvmem::model::{Diagnostic, Timeline, Update};

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
    std::thread::Builder::new()
        .name("jvmem-load".into())
        .spawn(move || load(&paths, &tx))?;
    let label = inputs
        .iter()
        .map(|p| short_name(p))
        .collect::<Vec<_>>()
        .join(", ");
    let app = App::new(Timeline::default(), Mode::View)
        .with_limit(limit_bytes)
        .with_source_label(label)
        .with_suspects_from(super::dashboard::suspect_marks);
    crate::tui::run(app, rx)?;
    Ok(ExitCode::SUCCESS)
}

/// `heap-leak/nmt.log` from a long path: the last two components say the most.
fn short_name(path: &str) -> String {
    let parts: Vec<&str> = path.trim_end_matches('/').rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// Reads every input, file by file, sending what each holds. Stops quietly when the
/// dashboard has gone (the receiver is dropped).
fn load(paths: &[String], tx: &Sender<Update>) {
    for path in paths {
        let files = match input::expand(path) {
            Ok(files) => files,
            Err(e) => {
                let source: Arc<str> = Arc::from(path.as_str());
                let _ = tx.send(Update::Diagnostics(vec![Diagnostic::error(
                    &source,
                    0,
                    reason(&e),
                )]));
                continue;
            }
        };
        for file in files {
            let source: Arc<str> = Arc::from(file.as_str());
            let total_bytes = std::fs::metadata(&file).ok().map(|m| m.len());
            let progress = |done_bytes| Update::Progress {
                source: Arc::clone(&source),
                done_bytes,
                total_bytes,
            };
            if tx.send(progress(0)).is_err() {
                return;
            }
            let timeline = match input::read_bytes(&file) {
                Ok(bytes) => {
                    let _ = tx.send(progress(bytes.len() as u64 / 2));
                    input::parse_bytes(&source, &bytes)
                }
                Err(e) => {
                    let mut t = Timeline::default();
                    t.diagnostics
                        .push(Diagnostic::error(&source, 0, reason(&e)));
                    t
                }
            };
            let updates = [
                Update::Diagnostics(timeline.diagnostics),
                Update::Snapshots(timeline.snapshots),
                Update::GcEvents(timeline.gc_events),
                Update::Drills(timeline.drills),
                Update::Finished { source },
            ];
            for update in updates {
                if tx.send(update).is_err() {
                    return;
                }
            }
        }
    }
}

/// What went wrong, without the path the diagnostic already names.
fn reason(error: &input::InputError) -> String {
    match error {
        input::InputError::Io { source, .. } => format!("cannot read: {source}"),
        other => other.to_string(),
    }
}
