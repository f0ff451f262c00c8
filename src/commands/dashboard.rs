//! Running the dashboard for `live`, `replay` and `demo`: like [`crate::tui::run`], with a
//! hook that sees each paste first (so `live --record` records pastes too), and a plain-text
//! fallback for when stdout is not a terminal.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use jvmem::analysis::diagnosis::{DiagnoseOptions, diagnose};
use jvmem::analysis::diff::diff;
use jvmem::model::units::format_bytes;
use jvmem::model::{Headline, Snapshot, Timeline, Update};
use jvmem::report;
use ratatui::Terminal;

use crate::tui::{self, App, Event, SuspectMark};

/// Runs the dashboard on the real terminal; `on_paste` sees every bracketed paste (as the
/// terminal sent it, CRs and all) before the app does. The terminal is restored on return, on error and on panic.
pub fn run(
    app: App,
    updates: Receiver<Update>,
    mut on_paste: impl FnMut(&str, DateTime<FixedOffset>),
) -> Result<()> {
    tui::terminal::install_panic_hook();
    let guard = tui::terminal::TerminalGuard::enter(tui::terminal::CrosstermModes)?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut terminal = Terminal::new(backend)?;
    terminal.clear()?;
    let next_event = |timeout: Duration| -> std::io::Result<Option<Event>> {
        // The hook and the app each read the paste off the UI thread when it is big; here
        // it is only handed on.
        let event = crate::tui::crossterm_event(timeout)?;
        if let Some(Event::Paste(text)) = &event {
            on_paste(text, tui::local_now());
        }
        Ok(event)
    };
    let result = tui::run_loop(&mut terminal, app, &updates, next_event, tui::local_now);
    drop(guard);
    result.map(|_| ())
}

/// The leak suspects of a whole recorded timeline (what `jvmem report` finds), as the
/// dashboard marks them: highlighted rows, a headline, and what to check next.
pub fn suspect_marks(timeline: &Timeline, limit_bytes: Option<u64>) -> Vec<SuspectMark> {
    let options = DiagnoseOptions {
        limit_bytes: limit_bytes.or(timeline.limit_bytes),
        ..DiagnoseOptions::default()
    };
    let diagnosis = diagnose(timeline, &options);
    diagnosis
        .suspects
        .iter()
        .map(|suspect| SuspectMark {
            category: suspect.category.clone(),
            headline: suspect.headline(),
            hints: diagnosis
                .hints_for(suspect)
                .flat_map(|h| std::iter::once(h.title.clone()).chain(h.steps.iter().cloned()))
                .collect(),
        })
        .collect()
}

/// Terminals (xterm, tmux `paste-buffer`, most others) send a pasted newline as a carriage
/// return; the NMT reader splits lines on `\n`, so lone CRs become LFs (CRLF stays one break).
pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// One line per snapshot for a pipe or a log: time, source, total and the four headline
/// categories.
pub fn snapshot_line(s: &Snapshot) -> String {
    let time = s.timestamp.map_or_else(
        || "-".to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    );
    format!(
        "{time} {} committed {} heap {} metaspace {} direct {} thread {}",
        s.source,
        format_bytes(s.total.committed_bytes),
        format_bytes(Headline::Heap.committed_bytes(s)),
        format_bytes(Headline::Metaspace.committed_bytes(s)),
        format_bytes(Headline::Direct.committed_bytes(s)),
        format_bytes(Headline::Threads.committed_bytes(s)),
    )
}

/// Prints updates as lines until every source has finished (or the process is interrupted):
/// `live` without a terminal, e.g. a background recorder.
pub fn print_updates(updates: Receiver<Update>) {
    for update in updates {
        match update {
            Update::Snapshots(snapshots) => {
                for s in &snapshots {
                    println!("{}", snapshot_line(s));
                }
            }
            Update::Process(p) => {
                if let Some(rss) = p.rss_bytes {
                    eprintln!(
                        "jvmem: {} rss {}",
                        p.timestamp.format("%H:%M:%S"),
                        format_bytes(rss)
                    );
                }
            }
            Update::GcEvents(events) => eprintln!("jvmem: {} GC event(s)", events.len()),
            Update::Diagnostics(diagnostics) => super::print_diagnostics(&diagnostics),
            Update::Status { source, message } => eprintln!("jvmem: {source}: {message}"),
            Update::Finished { source } => eprintln!("jvmem: {source}: finished"),
            Update::Progress { .. } => {}
        }
    }
}

/// A replay's text form for a pipe: every snapshot as a line, then first → last as a diff.
pub fn print_summary(timeline: &Timeline) {
    super::print_diagnostics(&timeline.diagnostics);
    for s in &timeline.snapshots {
        println!("{}", snapshot_line(s));
    }
    if let (Some(first), Some(last)) = (timeline.snapshots.first(), timeline.snapshots.last()) {
        if timeline.snapshots.len() > 1 {
            println!();
            print!("{}", report::diff_text::render(&diff(first, last)));
        }
    }
    if !timeline.gc_events.is_empty() {
        println!("\n{} GC events", timeline.gc_events.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_recording_has_the_three_leaks_it_was_made_with() {
        let timeline = jvmem::session::read_session(
            &std::sync::Arc::from("demo"),
            super::super::demo::DEMO_SESSION,
        );
        let marks = suspect_marks(&timeline, None);
        let mut categories: Vec<&str> = marks.iter().map(|m| m.category.as_str()).collect();
        categories.sort_unstable();
        assert_eq!(categories, ["Class", "Java Heap", "Other"]);
        assert!(
            marks
                .iter()
                .all(|m| !m.headline.is_empty() && !m.hints.is_empty())
        );
    }

    #[test]
    fn pasted_carriage_returns_become_line_breaks() {
        assert_eq!(normalize_newlines("a\rb\r\nc\n"), "a\nb\nc\n");
    }
}
