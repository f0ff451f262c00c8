//! `jvmem gc LOG... [--verbose] [--format text|json]`: the GC summary of one JVM's logs.
//!
//! Events stream into the summary as they are read and are not kept, so a log of any size
//! takes a few MiB of memory. A session (`live --gc-log … --record`) is read for the GC log
//! recorded in it.

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use jvmem::analysis::gc_summary::{GcSummary, GcSummaryBuilder};
use jvmem::gclog::{FnSink, GcFile, load_files_with, parse_reader_with};
use jvmem::model::GcLogInfo;
use jvmem::model::{Diagnostic, Severity};
use jvmem::report;
use jvmem::report::sanitize::printable;
use serde::Serialize;

use crate::cli::GcFormat;

/// `--format json`: the summary and every diagnostic.
#[derive(Serialize)]
struct GcJson<'a> {
    gc_summary: &'a GcSummary,
    diagnostics: &'a [Diagnostic],
}

pub fn run(logs: &[String], verbose: bool, format: GcFormat) -> Result<ExitCode> {
    let mut builder = GcSummaryBuilder::default();
    let mut info = GcLogInfo::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    // Files, directories, archives and `-` alike: logs read once (stdin, FIFOs) stream into the
    // summary as they are found, the rest are read afterwards as one set in time order.
    let (sessions, logs): (Vec<String>, Vec<String>) =
        logs.iter().cloned().partition(|p| is_session(Path::new(p)));
    for path in &sessions {
        let source: Arc<str> = Arc::from(path.as_str());
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                diagnostics.push(Diagnostic::error(&source, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        let records = jvmem::session::read_records(&source, &text);
        diagnostics.extend(records.diagnostics.iter().cloned());
        let recorded = jvmem::session::gc_logs(&records);
        if recorded.is_empty() {
            diagnostics.push(Diagnostic::error(
                &source,
                0,
                "this session holds no GC log (record one with `jvmem live --gc-log FILE --record …`)",
            ));
        }
        for (log, text) in recorded {
            let (i, d) = parse_reader_with(log, text.as_bytes(), &mut FnSink(|e| builder.push(&e)));
            info.merge(i);
            diagnostics.extend(d);
        }
    }
    let (members, i, d) = jvmem::input::gc_members_with(&logs, &mut FnSink(|e| builder.push(&e)));
    info.merge(i);
    diagnostics.extend(d);
    if !members.is_empty() {
        let files: Vec<&dyn GcFile> = members.iter().map(|m| m as &dyn GcFile).collect();
        let (i, d) = load_files_with(&files, &mut FnSink(|e| builder.push(&e)));
        info.merge(i);
        diagnostics.extend(d);
    }
    let summary = builder.finish(&info);
    // Errors (unreadable files) always reach the terminal; unrecognized lines are listed by
    // --verbose and counted in the summary.
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    super::print_diagnostics(&errors);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match format {
        GcFormat::Text => {
            let warnings: Vec<Diagnostic> = diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Warning)
                .collect();
            write!(
                out,
                "{}",
                printable(&report::gc_text::render(&summary, &warnings, verbose))
            )?;
        }
        GcFormat::Json => {
            let doc = GcJson {
                gc_summary: &summary,
                diagnostics: &diagnostics,
            };
            report::json::write_pretty(&mut out, &doc)?;
        }
    }
    out.flush()?;
    // A GC log without a collection (Epsilon, a rotated file with only its header) is valid
    // input: 0 collections. Input that is not a GC log at all is not.
    if summary.events == 0 && !info.is_gc_log() {
        eprintln!("jvmem: no GC event could be read from the inputs");
        return Ok(ExitCode::from(super::NOTHING_READ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a file (not a directory, not `-`) starts as a session does.
fn is_session(path: &Path) -> bool {
    let mut head = Vec::with_capacity(64);
    path.is_file()
        && std::fs::File::open(path)
            .and_then(|f| f.take(64).read_to_end(&mut head))
            .is_ok_and(|_| jvmem::session::looks_like_session(&String::from_utf8_lossy(&head)))
}
