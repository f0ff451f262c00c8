//! Command-line interface (clap derive): subcommands and their flags.

use clap::{Parser, Subcommand, ValueEnum};

/// JVM memory forensics: NMT snapshots and GC logs, over time.
#[derive(Debug, Parser)]
#[command(name = "jvmem", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export every snapshot (and GC event) in the inputs as JSON or CSV, amounts in bytes.
    Export {
        /// Files or directories of jcmd output, GC logs or sessions; `-` reads stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
    /// Diagnose: which memory keeps growing, how fast, when the container limit is reached,
    /// and what to change. Exit 3 with --fail-on-growth when anything grows.
    Report {
        /// Files or directories of jcmd output (with timestamps), GC logs or sessions.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// A GC log of the same JVM (repeatable; rotated files too).
        #[arg(long = "gc-log", value_name = "FILE")]
        gc_logs: Vec<String>,
        /// The container memory limit: 1Gi, 768Mi, 2g, bytes.
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<u64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Exit with code 3 when any suspect is found (for CI soak tests).
        #[arg(long)]
        fail_on_growth: bool,
    },
    /// Compare two snapshots: OLD NEW (FILE, FILE@N, FILE@last), or the first and last of FILE.
    Diff {
        /// The older snapshot: FILE (its first snapshot), FILE@N (1-based) or FILE@last.
        #[arg(value_name = "OLD")]
        old: String,
        /// The newer snapshot: FILE (its last snapshot), FILE@N or FILE@first.
        #[arg(value_name = "NEW")]
        new: Option<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    /// OpenMetrics / Prometheus text: the latest snapshot's categories and GC totals.
    Openmetrics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

fn parse_limit(s: &str) -> Result<u64, String> {
    jvmem::model::units::parse_size(s).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}
