//! `jvmem export INPUT... [--format json|csv]`.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
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
            report::json::write_pretty(&mut out, &report::json::ExportJson(&timeline))?
        }
        ExportFormat::Csv => report::csv::write_snapshots(&mut out, &timeline)?,
        ExportFormat::Openmetrics => {
            report::openmetrics::write(&mut out, &timeline, report::openmetrics::Samples::Latest)?
        }
    }
    out.flush()?;
    // The process ends now: freeing a large timeline piece by piece only costs time.
    std::mem::forget(timeline);
    Ok(ExitCode::SUCCESS)
}
