//! The plain-text fallback of `live`, `replay` and `demo` for when stdout is not a terminal
//! (the dashboard itself is [`crate::tui::run`], the one runner).

use std::sync::mpsc::Receiver;

use jvmem::analysis::diff::diff;
use jvmem::model::units::format_bytes;
use jvmem::model::{Headline, Snapshot, Timeline, Update};
use jvmem::report;

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
            Update::Progress { .. } | Update::Limit(_) => {}
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
