//! `jvmem report INPUT... [--gc-log F]... [--limit SIZE] [--format text|markdown|json]
//! [--output FILE] [--fail-on-growth [--min-confidence C]] [--suggest-limit]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use jvmem::analysis::{DiagnoseOptions, diagnose};
use jvmem::report;
use jvmem::report::sanitize::printable;

use crate::cli::ReportFormat;

pub fn run(
    inputs: &[String],
    gc_logs: &[String],
    limit: Option<u64>,
    format: ReportFormat,
    output: Option<&Path>,
    fail_on_growth: Option<f64>,
    suggest_limit: bool,
) -> Result<ExitCode> {
    // `--gc-log` files are GC logs whatever their first lines are (application output).
    let mut timeline = jvmem::input::load_inputs(inputs, gc_logs);
    timeline.sort_gc_events();
    super::print_diagnostics(&timeline.diagnostics);
    if let Some(code) = super::nothing_read(&timeline) {
        return Ok(code);
    }
    let options = DiagnoseOptions {
        limit_bytes: limit,
        ..DiagnoseOptions::default()
    };
    let mut diagnosis = diagnose(&timeline, &options);
    if suggest_limit {
        // The limit this service needs, then the budget for it.
        match jvmem::analysis::budget::suggested_limit(&timeline, &diagnosis.suspects) {
            Some(needed) => {
                let options = DiagnoseOptions {
                    limit_bytes: Some(needed),
                    ..options.clone()
                };
                diagnosis = diagnose(&timeline, &options);
            }
            None => eprintln!("jvmem: --suggest-limit needs at least one NMT snapshot"),
        }
    }
    let culprits = jvmem::analysis::culprits::culprits(&timeline, Some(&diagnosis), &options);
    let paths: Vec<String> = inputs.iter().chain(gc_logs).cloned().collect();
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write the report to {}", path.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    match format {
        ReportFormat::Text => {
            // The dashboard's verdict line, word for word.
            let verdict = jvmem::analysis::verdict::Verdict::new(&diagnosis, &timeline);
            writeln!(out, "In short: {}", printable(&verdict.sentence()))?;
            write!(
                out,
                "{}",
                printable(&report::diagnosis_text::render(&diagnosis))
            )?;
            write!(
                out,
                "{}",
                printable(&report::culprits::render_text(&timeline, &culprits))
            )?;
        }
        ReportFormat::Markdown => {
            write!(
                out,
                "{}",
                printable(&report::diagnosis_markdown::render(&diagnosis))
            )?;
            write!(
                out,
                "{}",
                printable(&report::culprits::render_markdown(&timeline, &culprits))
            )?;
        }
        ReportFormat::Json => {
            let json = report::culprits::ReportJson {
                diagnosis: &diagnosis,
                culprits: &culprits,
            };
            report::json::write_pretty(&mut out, &json)?
        }
        ReportFormat::Html => write!(
            out,
            "{}",
            report::html::render(&timeline, &diagnosis, &paths)
        )?,
    }
    out.flush()?;
    if fail_on_growth.is_some_and(|c| diagnosis.failing(c).next().is_some()) {
        return Ok(ExitCode::from(super::GROWTH_FOUND));
    }
    Ok(ExitCode::SUCCESS)
}
