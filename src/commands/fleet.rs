//! `jvmem fleet --prometheus URL [--selector '{…}'] [--range 6h] [--step 30s]`: reads
//! jvmem's own series (else Micrometer's) from Prometheus, rebuilds a timeline per JVM and
//! prints the ranked table (`--format`), or, on a terminal, opens the fleet view on it.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use jvmem::analysis::diagnosis::DiagnoseOptions;
use jvmem::fleet::{self, Exporter, FleetRow, Window, prometheus};
use jvmem::report::sanitize::printable;

use crate::cli::FleetFormat;
use crate::tui::fleet::{FleetApp, FleetSource};
use crate::tui::fleet_loop::ReadFleet;

pub struct FleetArgs<'a> {
    pub prometheus: &'a str,
    pub selector: &'a str,
    pub range: Duration,
    pub step: Option<Duration>,
    pub bearer_token_file: Option<&'a Path>,
    pub limit_bytes: Option<u64>,
    pub pod_labels: &'a fleet::PodLabels,
    /// `None`: the fleet view on a terminal, text on a pipe.
    pub format: Option<FleetFormat>,
}

/// The window of `--range` (and `--step`) up to now.
fn window_now(range: Duration, step: Option<Duration>) -> Window {
    let end = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
    match step {
        // Without --step: the raw samples (see `Client::query_raw`).
        None => Window::Raw {
            range_s: range.as_secs().max(1),
            end,
        },
        Some(step) => Window::Steps {
            start: end - range.as_secs_f64(),
            end,
            step: step.as_secs_f64(),
        },
    }
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
    let interactive = args.format.is_none() && std::io::stdout().is_terminal();
    let options = DiagnoseOptions {
        limit_bytes: args.limit_bytes,
        ..DiagnoseOptions::default()
    };
    if interactive {
        // The screen opens at once; the first read runs as `r`'s do, off the UI thread.
        return view(args, client, options);
    }
    let read = |client: &prometheus::Client, selector: &str| {
        fleet::read(
            client,
            selector,
            window_now(args.range, args.step),
            args.pod_labels,
            &options,
        )
    };
    let fleet = read(&client, args.selector)
        .with_context(|| format!("reading the fleet from {}", args.prometheus))?;
    if fleet.jvms.is_empty() {
        eprintln!(
            "jvmem: Prometheus has neither jvmem's nor Micrometer's series in the last {:?} for {}",
            args.range,
            fleet.queries.join(" nor ")
        );
        return Ok(ExitCode::from(super::NOTHING_READ));
    }
    if fleet.exporter == Exporter::Standard {
        eprintln!(
            "jvmem: no jvmem serve series: read Micrometer's (with cAdvisor's working set and kube-state-metrics' limit where present); no NMT, so only heap, metaspace, code, direct buffers, threads and classes are judged"
        );
    }
    if fleet.without_pods() {
        eprintln!(
            "jvmem: Micrometer's series have no {:?} label, so no container working set or limit could be joined; --pod-labels names the labels your scrape config gives them",
            args.pod_labels.pod
        );
    }
    let rows = &fleet.rows;
    let mut out = std::io::stdout().lock();
    match args.format.unwrap_or(FleetFormat::Text) {
        FleetFormat::Markdown => out.write_all(fleet::markdown::render(rows).as_bytes())?,
        FleetFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        FleetFormat::Text => write_text(&mut out, rows)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The fleet view, opened before anything is read: the first read and every `r` read with
/// the same client, selector and window, up to then. Exit 1 (with the error on stderr too,
/// once the terminal is back) when no fleet could be read.
fn view(
    args: &FleetArgs,
    client: prometheus::Client,
    options: DiagnoseOptions,
) -> Result<ExitCode> {
    let selector = args.selector.to_string();
    let (range, step, names) = (args.range, args.step, args.pod_labels.clone());
    let read: ReadFleet = Arc::new(move |progress| {
        fleet::read_with(
            &client,
            &selector,
            window_now(range, step),
            &names,
            &options,
            progress,
        )
        .map_err(|e| e.to_string())
    });
    let mut label = args.prometheus.to_string();
    if !args.selector.is_empty() {
        label = format!("{label} {}", args.selector);
    }
    label = format!("{label} · last {}", humantime(args.range));
    let source = FleetSource {
        url: args.prometheus.to_string(),
        label,
        limit_bytes: args.limit_bytes,
    };
    let app = FleetApp::reading(source, crate::tui::local_now());
    let app = crate::tui::fleet_loop::run(app, Some(read))?;
    if let Some(failure) = app.failure() {
        eprintln!(
            "jvmem: error: reading the fleet from {}: {}",
            args.prometheus,
            printable(failure)
        );
        return Ok(ExitCode::from(super::NOTHING_READ));
    }
    if !app.loaded() {
        eprintln!(
            "jvmem: quit before the fleet was read from {}",
            args.prometheus
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `1h`, `30m`, `90s`: a range as it was probably typed.
fn humantime(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => format!("{}ms", d.as_millis()),
        _ if s % 3600 == 0 => format!("{}h", s / 3600),
        _ if s % 60 == 0 => format!("{}m", s / 60),
        _ => format!("{s}s"),
    }
}

/// The ranked table (minutes left to the first failure, and whether it is the OOM kill or
/// the heap's OutOfMemoryError), one line per JVM, named by its short name ([`fleet::names`]; the JSON
/// has every label), the name column as wide as the longest.
fn write_text(out: &mut impl Write, rows: &[FleetRow]) -> std::io::Result<()> {
    let keys: Vec<&str> = rows.iter().map(|r| r.jvm.as_str()).collect();
    let names = fleet::names::short_names(&keys);
    let w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let suspects: Vec<String> = rows.iter().map(FleetRow::top_suspect_text).collect();
    let sw = suspects
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(11);
    writeln!(
        out,
        "{:<w$} {:>10} {:>10} {:<sw$} {:>12} {:>9} {:<8} {:>5} {:>5}",
        "JVM", "LIMIT", "USAGE", "TOP SUSPECT", "RATE", "MIN LEFT", "FAILS BY", "CONF", "SNAPS"
    )?;
    for (r, name) in rows.iter().zip(&names) {
        let [_, limit, usage, suspect, rate, left, by, conf, snaps] = r.cells();
        writeln!(
            out,
            "{name:<w$} {limit:>10} {usage:>10} {suspect:<sw$} {rate:>12} {left:>9} {by:<8} {conf:>5} {snaps:>5}"
        )?;
    }
    Ok(())
}
