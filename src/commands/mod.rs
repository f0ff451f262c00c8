//! One module per subcommand: each loads inputs through the library, renders, and returns
//! the process exit code. No parsing or analysis happens here.

mod dashboard;
pub mod demo;
pub mod diff;
pub mod export;
pub mod gc;
pub mod live;
pub mod replay;
pub mod report;
pub mod view;

use std::process::ExitCode;

use jvmem::model::{Diagnostic, Timeline};

/// Exit code when nothing at all could be read from the inputs.
pub const NOTHING_READ: u8 = 1;
/// Exit code for usage errors (clap uses it too).
pub const USAGE: u8 = 2;
/// Exit code of `report --fail-on-growth` when a suspect was found.
pub const GROWTH_FOUND: u8 = 3;
/// Exit code of `live --record` when some records could not be written (a full disk).
pub const RECORDS_LOST: u8 = 4;

/// At most this many diagnostics are printed to stderr; JSON output carries all of them.
const SHOWN_DIAGNOSTICS: usize = 20;

/// Prints diagnostics to stderr for the person at the terminal.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics.iter().take(SHOWN_DIAGNOSTICS) {
        eprintln!("jvmem: {d}");
    }
    if diagnostics.len() > SHOWN_DIAGNOSTICS {
        eprintln!(
            "jvmem: … and {} more diagnostics (all are in --format json output)",
            diagnostics.len() - SHOWN_DIAGNOSTICS
        );
    }
}

/// Exit code 1 with a message when nothing was read; `None` when there is something to show.
pub fn nothing_read(timeline: &Timeline) -> Option<ExitCode> {
    if !timeline.is_empty() {
        return None;
    }
    eprintln!("jvmem: no NMT snapshot or GC event could be read from the inputs (see above)");
    Some(ExitCode::from(NOTHING_READ))
}
