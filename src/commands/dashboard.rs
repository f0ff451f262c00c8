//! Running the dashboard for `live`, `replay` and `demo`: like [`crate::tui::run`], with a
//! hook that sees each paste first (so `live --record` records pastes too), and a plain-text
//! fallback for when stdout is not a terminal.

use std::io::Write;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use jvmem::analysis::diagnosis::{DiagnoseOptions, diagnose};
use jvmem::analysis::diff::diff;
use jvmem::model::units::format_bytes;
use jvmem::model::{Headline, Snapshot, Timeline, Update};
use jvmem::report;
use jvmem::report::sanitize::printable;
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
    let next_event = tui::signals::watch(tui::signals::Signals::get(), next_event);
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
    let culprits = jvmem::analysis::culprits::culprits(timeline, Some(&diagnosis), &options);
    diagnosis
        .suspects
        .iter()
        .map(|suspect| SuspectMark {
            category: suspect.category.clone(),
            headline: suspect.headline(),
            // What grows inside the category (from drill-down captures) comes first.
            hints: culprits
                .iter()
                .filter(|c| c.explains_suspect.as_deref() == Some(suspect.category.as_str()))
                .map(|c| format!("Culprit: {}", c.headline()))
                .chain(
                    diagnosis.hints_for(suspect).flat_map(|h| {
                        std::iter::once(h.title.clone()).chain(h.steps.iter().cloned())
                    }),
                )
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

/// Prints updates as lines until every source has finished, a terminating signal arrives or
/// a source panics: `live` without a terminal, e.g. a background recorder. Fails when stdout
/// does (a closed pipe ends it).
pub fn print_updates(updates: Receiver<Update>) -> Result<()> {
    let signals = tui::signals::Signals::get();
    tui::signals::install_worker_panic_hook();
    let mut out = std::io::stdout();
    loop {
        if let Some(reason) = signals.exit_reason() {
            return Err(reason.into());
        }
        tui::signals::suspend_if_asked(signals);
        let update = match updates.recv_timeout(Duration::from_millis(100)) {
            Ok(update) => update,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        match update {
            Update::Snapshots(snapshots) => {
                for s in &snapshots {
                    writeln!(out, "{}", printable(&snapshot_line(s)))?;
                }
                out.flush()?;
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
            Update::Drills(drills) => {
                for d in &drills {
                    eprintln!("jvmem: {} ({} rows)", d.kind.command(), d.rows.len());
                }
            }
            Update::Diagnostics(diagnostics) => super::print_diagnostics(&diagnostics),
            Update::Status { source, message } => {
                eprintln!("jvmem: {}", printable(&format!("{source}: {message}")))
            }
            Update::Finished { source } => eprintln!("jvmem: {}: finished", printable(&source)),
            Update::Progress { .. } => {}
        }
    }
}

/// A replay's text form for a pipe: every snapshot as a line, then first → last as a diff.
pub fn print_summary(timeline: &Timeline) -> std::io::Result<()> {
    super::print_diagnostics(&timeline.diagnostics);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in &timeline.snapshots {
        writeln!(out, "{}", printable(&snapshot_line(s)))?;
    }
    if let (Some(first), Some(last)) = (timeline.snapshots.first(), timeline.snapshots.last()) {
        if timeline.snapshots.len() > 1 {
            writeln!(out)?;
            write!(
                out,
                "{}",
                printable(&report::diff_text::render(&diff(first, last)))
            )?;
        }
    }
    if !timeline.gc_events.is_empty() {
        writeln!(out, "\n{} GC events", timeline.gc_events.len())?;
    }
    out.flush()
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
    fn culprits_of_a_drill_session_lead_their_suspects_hints() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/drill/live-drill-jdk17.jvmem"
        );
        let text = std::fs::read_to_string(path).expect("sample session");
        let timeline = jvmem::session::read_session(&std::sync::Arc::from("s"), &text);
        let marks = suspect_marks(&timeline, None);
        let hint = |category: &str| {
            marks
                .iter()
                .find(|m| m.category == category)
                .and_then(|m| m.hints.first().cloned())
                .unwrap_or_default()
        };
        // This session has no GC log, and heap committed growth without GC evidence is the
        // heap sizing up, not a suspect (docs/diagnosis.md): so no heap mark to carry a culprit.
        assert!(
            marks.iter().all(|m| m.category != "Java Heap"),
            "{marks:#?}"
        );
        assert!(
            hint("Thread").starts_with("Culprit: thread group job-runner-%d"),
            "{marks:#?}"
        );
    }

    #[test]
    fn pasted_carriage_returns_become_line_breaks() {
        assert_eq!(normalize_newlines("a\rb\r\nc\n"), "a\nb\nc\n");
    }
}
