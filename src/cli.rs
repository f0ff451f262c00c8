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
    /// Compare two snapshots: OLD NEW (FILE, FILE@N, FILE@last), or the first and last of FILE.
    Diff {
        /// The older snapshot: FILE (its first snapshot), FILE@N (1-based) or FILE@last.
        #[arg(value_name = "OLD")]
        old: String,
        /// The newer snapshot: FILE (its last snapshot), FILE@N or FILE@first.
        #[arg(value_name = "NEW")]
        new: Option<String>,
        /// Output format; without it, a terminal gets the interactive Compare view and a pipe
        /// gets text.
        #[arg(long, value_enum)]
        format: Option<DiffFormat>,
    },
    /// Open the dashboard on files: NMT snapshots (concatenated or one per file) and GC logs.
    View {
        /// Files or directories of jcmd output, GC logs or sessions; `-` reads stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// The container's memory limit, to show the total as a percentage of it (1Gi, 512M).
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<u64>,
    },
}

fn parse_limit(s: &str) -> Result<u64, String> {
    jvmem::model::units::parse_size(s).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}
