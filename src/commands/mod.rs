//! One module per subcommand: each loads inputs through the library, renders, and returns
//! the process exit code. No parsing or analysis happens here.

pub mod completions;
mod dashboard;
pub mod demo;
pub mod diff;
pub mod export;
pub mod fleet;
pub mod gc;
pub mod live;
pub mod replay;
pub mod report;
pub mod serve;
pub mod sources;
pub mod view;

use std::fmt;
use std::process::ExitCode;

use jvmem::model::{Diagnostic, Timeline};
use jvmem::report::sanitize::printable;

/// Exit code when nothing at all could be read from the inputs (and for any other failure
/// while reading or writing them).
pub const NOTHING_READ: u8 = 1;
/// Exit code for usage and environment errors: a bad flag or value (clap uses 2 too), no
/// terminal for the dashboard, a `--record` file that cannot be written.
pub const USAGE: u8 = 2;
/// Exit code of `report --fail-on-growth` when a suspect was found.
pub const GROWTH_FOUND: u8 = 3;
/// Exit code of `live --record` when some records could not be written (a full disk).
pub const RECORDS_LOST: u8 = 4;

/// An error that is the command line's or the environment's, not the inputs': exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage or environment error (exit code 2) with this message.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The exit code for an error that ended a command, after saying what it was on stderr. A
/// closed pipe (`jvmem export … | head`) ends quietly with 0, as `grep` and `jq` do: the
/// reader has what it wanted.
pub fn exit_for(error: &anyhow::Error) -> ExitCode {
    // Ended by a signal (128 + n, nothing to add) or a worker thread's panic (101).
    if let Some(code) = crate::tui::signals::exit_code(error) {
        if !crate::tui::signals::is_quiet(error) {
            eprintln!("jvmem: {}", printable(&format!("{error:#}")));
        }
        return ExitCode::from(code);
    }
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    // Errors name paths and quote input (`jcmd said: …`): shown inert.
    eprintln!("jvmem: error: {}", printable(&format!("{error:#}")));
    if error.chain().any(|e| e.is::<UsageError>()) {
        ExitCode::from(USAGE)
    } else {
        ExitCode::from(NOTHING_READ)
    }
}

/// Whether a broken pipe is anywhere in the error's chain. serde_json's error hides the I/O
/// error it wraps from `source()`, so it is asked for its kind.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// At most this many diagnostics are printed to stderr; JSON output carries all of them.
const SHOWN_DIAGNOSTICS: usize = 20;

/// Prints diagnostics to stderr for the person at the terminal.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics.iter().take(SHOWN_DIAGNOSTICS) {
        eprintln!("jvmem: {}", printable(&d.to_string()));
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
