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
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
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
