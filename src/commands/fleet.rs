//! `jvmem fleet --prometheus URL [--selector '{…}'] [--range 6h] [--step 30s]`: reads
//! jvmem's own series from Prometheus, rebuilds a timeline per JVM and prints the ranked table.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use jvmem::analysis::diagnosis::DiagnoseOptions;
use jvmem::fleet::{self, Exporter, FleetRow, Window, prometheus};

use crate::cli::FleetFormat;

pub struct FleetArgs<'a> {
    pub prometheus: &'a str,
    pub selector: &'a str,
    pub range: Duration,
    pub step: Option<Duration>,
    pub bearer_token_file: Option<&'a Path>,
    pub limit_bytes: Option<u64>,
    pub format: FleetFormat,
}

pub fn run(args: &FleetArgs) -> Result<ExitCode> {
    let token = match args.bearer_token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| super::usage(format!("cannot read {}: {e}", path.display())))?
                .trim()
                .to_string(),
        ),
        None => None,
    };
    let client =
        prometheus::Client::new(args.prometheus, token).map_err(|e| super::usage(e.to_string()))?;
    // Checked before anything is asked, so that a bad selector is a usage error.
    prometheus::query(fleet::SERIES, args.selector).map_err(|e| super::usage(e.to_string()))?;
    let end = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
    let window = match args.step {
        // Without --step: the raw samples (see `Client::query_raw`).
        None => Window::Raw {
            range_s: args.range.as_secs().max(1),
            end,
        },
        Some(step) => Window::Steps {
            start: end - args.range.as_secs_f64(),
            end,
            step: step.as_secs_f64(),
        },
    };
    let fetched = fleet::fetch(&client, args.selector, window)
        .with_context(|| format!("reading the fleet from {}", args.prometheus))?;
    let jvms = fetched.jvms;
    if jvms.is_empty() {
        eprintln!(
            "jvmem: Prometheus has neither jvmem's nor Micrometer's series in the last {:?} for {}",
            args.range,
            fetched.queries.join(" nor ")
        );
        return Ok(ExitCode::from(super::NOTHING_READ));
    }
    if fetched.exporter == Exporter::Standard {
        eprintln!(
            "jvmem: no jvmem serve series: read Micrometer's (with cAdvisor's working set and kube-state-metrics' limit where present); no NMT, so only heap, metaspace, code, direct buffers, threads and classes are judged"
        );
    }
    let rows = fleet::rank(
        &jvms,
        &DiagnoseOptions {
            limit_bytes: args.limit_bytes,
            ..DiagnoseOptions::default()
        },
    );
    let mut out = std::io::stdout().lock();
    match args.format {
        FleetFormat::Markdown => out.write_all(fleet::markdown::render(&rows).as_bytes())?,
        FleetFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        FleetFormat::Text => write_text(&mut out, &rows)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut impl Write, rows: &[FleetRow]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<50} {:>10} {:>10} {:<22} {:>12} {:>9} {:>5} {:>5}",
        "JVM", "LIMIT", "USAGE", "TOP SUSPECT", "RATE", "MIN LEFT", "CONF", "SNAPS"
    )?;
    for r in rows {
        let [jvm, limit, usage, suspect, rate, left, conf, snaps] = r.cells();
        writeln!(
            out,
            "{jvm:<50} {limit:>10} {usage:>10} {suspect:<22} {rate:>12} {left:>9} {conf:>5} {snaps:>5}"
        )?;
    }
    Ok(())
}
