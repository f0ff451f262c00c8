//! `jvmem export INPUT... [--format json|csv|openmetrics]`: snapshots and GC events.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use jvmem::analysis::gc_summary::GcSummary;
use jvmem::model::{SnapshotTable, Timeline, Update};
use jvmem::nmt::Keep;
use jvmem::report;

use crate::cli::ExportFormat;

pub fn run(inputs: &[String], format: ExportFormat) -> Result<ExitCode> {
    if format == ExportFormat::Csv {
        return run_csv(inputs);
    }
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
        // Read by `run_csv` above.
        ExportFormat::Csv => {}
        ExportFormat::Openmetrics => {
            report::openmetrics::write(&mut out, &timeline, report::openmetrics::Samples::Latest)?
        }
    }
    out.flush()?;
    // The process ends now: freeing a large timeline piece by piece only costs time.
    std::mem::forget(timeline);
    Ok(ExitCode::SUCCESS)
}

/// `export --format csv`: snapshots go from the parser into a [`SnapshotTable`] block by
/// block (about 0.7 KB each instead of the model's ~10 KB; the text is never held whole),
/// and are written in timeline order once all are read. Snapshot rows, then (after a blank
/// line) GC event rows, then drill-down rows: each table with its header; an input of one
/// kind gives one table.
fn run_csv(inputs: &[String]) -> Result<ExitCode> {
    let mut table = SnapshotTable::default();
    let mut rest = Timeline::default();
    // The table keeps category totals only: sub-lines are counted, not read (`nmt::Keep`).
    jvmem::input::load_streaming_inputs_keeping(inputs, &[], Keep::Totals, &mut |update| {
        match update {
            Update::Snapshots(snapshots) => table.extend(snapshots),
            other => rest.apply(other),
        }
        true
    });
    // What `input::load` adds once everything is read.
    let order = table.time_order();
    rest.diagnostics
        .extend(table.jvm_change_diagnostics(&order));
    rest.sort_drills();
    super::print_diagnostics(&rest.diagnostics);
    if table.is_empty() {
        if let Some(code) = super::nothing_read(&rest) {
            return Ok(code);
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let gc_only = table.is_empty() && (!rest.gc_events.is_empty() || !rest.drills.is_empty());
    if !gc_only {
        report::csv::write_table(&mut out, &table, &order)?;
    }
    if !rest.gc_events.is_empty() {
        if !gc_only {
            writeln!(out)?;
        }
        report::csv::write_gc_events(&mut out, &rest)?;
    }
    if !rest.drills.is_empty() {
        if !table.is_empty() || !rest.gc_events.is_empty() {
            writeln!(out)?;
        }
        report::csv::write_drills(&mut out, &rest)?;
    }
    out.flush()?;
    // The process ends now: freeing the columns piece by piece only costs time.
    std::mem::forget(table);
    std::mem::forget(rest);
    Ok(ExitCode::SUCCESS)
}
