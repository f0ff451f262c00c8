//! `jvmem export INPUT... [--format json|csv|openmetrics]`: snapshots and GC events.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use jvmem::analysis::gc_summary::GcSummary;
use jvmem::report;

use crate::cli::ExportFormat;

pub fn run(inputs: &[String], format: ExportFormat) -> Result<ExitCode> {
    let timeline = jvmem::input::load(inputs);
    super::print_diagnostics(&timeline.diagnostics);
    if let Some(code) = super::nothing_read(&timeline) {
        return Ok(code);
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match format {
        ExportFormat::Json => {
            let summary = timeline
                .gc_log
                .as_ref()
                .filter(|_| !timeline.gc_events.is_empty())
                .map(|info| GcSummary::from_events(&timeline.gc_events, info));
            let doc = report::json::ExportJson(&timeline, summary.as_ref());
            report::json::write_pretty(&mut out, &doc)?
        }
        // Snapshot rows, then (after a blank line) GC event rows: two tables, each with its
        // header; an input of one kind gives one table.
        ExportFormat::Csv => {
            let gc_only = timeline.snapshots.is_empty()
                && (!timeline.gc_events.is_empty() || !timeline.drills.is_empty());
            if !gc_only {
                report::csv::write_snapshots(&mut out, &timeline)?;
            }
            if !timeline.gc_events.is_empty() {
                if !gc_only {
                    writeln!(out)?;
                }
                report::csv::write_gc_events(&mut out, &timeline)?;
            }
            if !timeline.drills.is_empty() {
                if !timeline.snapshots.is_empty() || !timeline.gc_events.is_empty() {
                    writeln!(out)?;
                }
                report::csv::write_drills(&mut out, &timeline)?;
            }
        }
        ExportFormat::Openmetrics => {
            report::openmetrics::write(&mut out, &timeline, report::openmetrics::Samples::Latest)?
        }
    }
    out.flush()?;
    // The process ends now: freeing a large timeline piece by piece only costs time.
    std::mem::forget(timeline);
    Ok(ExitCode::SUCCESS)
}
