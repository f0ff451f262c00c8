//! The plain-text fallback of `live`, `replay` and `demo` for when stdout is not a terminal
//! (the dashboard itself is [`crate::tui::run`], the one runner).

use std::io::Write;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use anyhow::Result;
use jvmem::analysis::diff::diff;
use jvmem::model::units::format_bytes;
use jvmem::model::{Headline, SnapshotRef, Timeline, Update};
use jvmem::report;
use jvmem::report::sanitize::printable;

use crate::tui;

/// One line per snapshot for a pipe or a log: time, source, total and the four headline
/// categories.
pub fn snapshot_line(s: SnapshotRef<'_>) -> String {
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
                    writeln!(out, "{}", printable(&snapshot_line(s.view())))?;
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
            Update::Progress { .. } | Update::Limit(_) | Update::GcLog(_) => {}
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
