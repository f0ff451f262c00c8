//! Command-line interface (clap derive): subcommands and their flags.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jvmem::model::units::Size;

/// What `--help` ends with: the exit codes, which mean one thing each.
const EXIT_CODES: &str = "Exit codes: 0 success; 1 nothing could be read from the inputs; \
2 usage or environment (bad flag or value, no terminal for the dashboard, cannot write the \
--record file); 3 `report --fail-on-growth` found growth; 4 `live --record` lost records (disk \
full).
`jvmem FILE` opens FILE in the dashboard (= `jvmem view FILE`); `jvmem` alone, `jvmem -` and \
`jvmem --pid PID` are `jvmem live`.";

/// JVM memory forensics: NMT snapshots and GC logs, over time.
#[derive(Debug, Parser)]
#[command(
    name = "jvmem",
    version,
    about,
    long_about = None,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `jvmem` without a subcommand is `jvmem live`: these are its flags.
    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export every snapshot (and GC event) in the inputs as JSON or CSV, amounts in bytes.
    Export {
        /// Files or directories of jcmd output, GC logs or sessions; `-` reads stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
    /// Summarise GC logs (JDK 8 to 25, any collector): collections by kind, pauses (total,
    /// max, p50, p99), throughput, allocation and promotion rates, live-set trend.
    Gc {
        /// GC log files or directories; rotated sets (gc.log, gc.log.0…N, .current) are read as
        /// one, in time order. `-` reads stdin.
        #[arg(required = true, value_name = "LOG")]
        logs: Vec<String>,
        /// List the lines that were not understood, as file:line.
        #[arg(long)]
        verbose: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = GcFormat::Text)]
        format: GcFormat,
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
        /// The container memory limit, in bytes or with a unit as Kubernetes writes it (1Gi =
        /// 2^30, 1G = 10^9, 768Mi) or a JVM flag value (2g, 512m). Default: the cgroup limit
        /// recorded in a session, else none.
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<Size>,
        /// Output format: text and markdown for people, json for programs, html for one
        /// self-contained page with charts (to attach to a ticket).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write the report to FILE instead of standard output. Default: standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Exit with code 3 when any suspect is found (for CI soak tests).
        #[arg(long)]
        fail_on_growth: bool,
        /// With --fail-on-growth: fail only on suspects at least this confident (0..1).
        /// Every suspect is reported whatever its confidence.
        #[arg(long, value_name = "0..1", default_value_t = jvmem::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE)]
        min_confidence: f64,
        /// Work out the container limit this service needs (with headroom) and budget for it.
        #[arg(long, conflicts_with = "limit")]
        suggest_limit: bool,
    },
    /// Compare two snapshots: OLD NEW (FILE, FILE@N, FILE@last), or the first and last of FILE.
    Diff {
        /// The older snapshot: FILE (its first snapshot), FILE@N (1-based) or FILE@last.
        #[arg(value_name = "OLD")]
        old: String,
        /// The newer snapshot: FILE (its last snapshot), FILE@N or FILE@first.
        #[arg(value_name = "NEW")]
        new: Option<String>,
        /// Output format. Default: the interactive Compare view on a terminal, text on a pipe.
        #[arg(long, value_enum)]
        format: Option<DiffFormat>,
    },
    /// Open the dashboard on files: NMT snapshots (concatenated or one per file) and GC logs.
    View {
        /// Files or directories of jcmd output, GC logs or sessions; `-` reads stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// The container's memory limit, to show the total as a percentage of it: bytes,
        /// 1Gi (2^30), 1G (10^9), 512m (JVM). Default: the cgroup limit recorded, else none.
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<Size>,
    },
    /// The live dashboard: paste jcmd outputs, or let jvmem take them (the default command).
    Live(LiveArgs),
    /// Play back a recorded session, a directory of snapshot files or a concatenated log.
    Replay {
        /// Session files (`live --record`), snapshot files or directories, GC logs.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Playback speed: recorded seconds per second, 0.01 to 1000 (`4` or `4x`).
        #[arg(long, value_name = "N", default_value_t = 1.0, value_parser = parse_speed)]
        speed: f64,
        /// The container's memory limit, to show the total as a percentage of it: bytes,
        /// 1Gi (2^30), 1G (10^9), 512m (JVM). Default: the cgroup limit recorded, else none.
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<Size>,
    },
    /// Replay a recorded session of a JVM that leaks (built in: works from any directory).
    Demo {
        /// Playback speed: recorded seconds per second, 0.01 to 1000 (`4` or `4x`).
        #[arg(long, value_name = "N", default_value_t = 8.0, value_parser = parse_speed)]
        speed: f64,
        /// The container's memory limit the demo judges against, in bytes or 1Gi, 512M. Default: 1Gi (said on screen).
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<Size>,
    },
    /// Serve /metrics (OpenMetrics) for Prometheus: NMT per category, GC, RSS and the
    /// verdict of one JVM, taken from --pid, --cmd or --follow; /healthz for probes.
    Serve(ServeArgs),
    /// Diagnose every JVM that `jvmem serve` exposes to a Prometheus: a table ranked by
    /// minutes to the container limit.
    Fleet {
        /// The Prometheus server, http://HOST:PORT[/PATH] (https: port-forward or proxy).
        /// Default: none, it is required.
        #[arg(long, value_name = "URL")]
        prometheus: String,
        /// Which JVMs, as PromQL label matchers: '{namespace="prod",app="bot-gateway"}'.
        /// Default: every JVM with jvmem's series.
        #[arg(long, value_name = "MATCHERS", default_value = "")]
        selector: String,
        /// How far back to read, up to now: 500ms, 5s, 30m, 6h, or seconds (100ms to 24h).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "1h")]
        range: Duration,
        /// Resample with query_range at this step: 500ms, 5s, 30s, 1m, or seconds (100ms to
        /// 24h; at most 10000 steps a query). Default: the raw samples, as scraped (a range
        /// query repeats a series' last sample for 5 minutes, which flattens trends).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        step: Option<Duration>,
        /// A file holding a bearer token for a secured Prometheus (never printed). Default: none.
        #[arg(long, value_name = "FILE")]
        bearer_token_file: Option<PathBuf>,
        /// The container limit for every JVM, overriding their own: bytes, 1Gi (2^30), 1G
        /// (10^9), 512m (JVM). Default: each JVM's jvm_cgroup_memory_limit_bytes.
        #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
        limit: Option<Size>,
        /// Without jvmem's series: the labels of Micrometer's series that hold the Kubernetes
        /// namespace, pod and container, NAMESPACE,POD[,CONTAINER], as your scrape config
        /// relabels them (e.g. kubernetes_namespace,kubernetes_pod_name). cAdvisor's and
        /// kube-state-metrics' series are joined on them by their own namespace/pod/container.
        // `[,CONTAINER]` is usage notation, not a link; clap prints the text as written.
        #[allow(rustdoc::broken_intra_doc_links)]
        #[arg(long, value_name = "LABELS", default_value = "namespace,pod,container", value_parser = jvmem::fleet::PodLabels::parse)]
        pod_labels: jvmem::fleet::PodLabels,
        /// Output format. Default: the fleet view in the dashboard on a terminal (Enter opens
        /// a JVM's timeline), text on a pipe.
        #[arg(long, value_enum)]
        format: Option<FleetFormat>,
    },
    /// Print a shell completion script: `jvmem completions bash > ~/.local/share/bash-completion/completions/jvmem`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The sources besides `--pid` that `live` and `serve` both take, written once so their help
/// cannot drift apart; flattened where the three stood in each, so `--help` is unchanged.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceArgs {
    /// Run a shell command every interval; snapshots in its output are taken. Default: none.
    #[arg(long, value_name = "SHELL COMMAND")]
    pub cmd: Option<String>,
    /// Follow a file of concatenated snapshots that something appends to, or a JFR
    /// repository directory as the JVM writes its chunks (repeatable).
    #[arg(long, value_name = "FILE|DIR")]
    pub follow: Vec<PathBuf>,
    /// Follow a GC log alongside, rotation included (repeatable).
    #[arg(long = "gc-log", value_name = "FILE")]
    pub gc_log: Vec<PathBuf>,
}

/// `jvmem live` (also what `jvmem` alone runs). Sources combine; with none, paste into it.
#[derive(Debug, Clone, Default, Args)]
pub struct LiveArgs {
    /// `-`: read snapshots from stdin (`while sleep 10; do date -Is; jcmd …; done | jvmem live -`).
    #[arg(value_name = "-", value_parser = parse_stdin)]
    pub stdin: Option<String>,
    /// Run `jcmd PID VM.native_memory summary` every interval; also sample RSS and cgroup.
    /// Stops when the process is gone (no such pid), unless --retry. Default: none.
    #[arg(long, value_name = "PID")]
    pub pid: Option<u32>,
    /// With `--pid`: keep retrying after the process has gone (it may be restarted under the
    /// same pid, e.g. PID 1 in a container). Default: stop, keeping what was recorded.
    #[arg(long, requires = "pid")]
    pub retry: bool,
    /// How often `--pid` and `--cmd` take a snapshot: 500ms, 5s, 1m, 1h, or seconds
    /// (100ms to 24h). Default: 5s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,
    /// The jcmd binary for `--pid`. Default: `jcmd` on PATH.
    #[arg(long, value_name = "PATH")]
    pub jcmd: Option<String>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Append every capture (raw text, time, source) to this session file as it arrives.
    /// Default: no recording.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// The container's memory limit, to show the total as a percentage of it: bytes,
    /// 1Gi (2^30), 1G (10^9), 512m (JVM). Default: none (the cgroup's, with --pid).
    #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
    pub limit: Option<Size>,
    /// With --pid/--cmd, also poll what grows inside categories (off by default): heap
    /// (GC.class_histogram: forces a full GC each time), classes (VM.classloader_stats,
    /// VM.metaspace show-loaders), threads (Thread.print), native (VM.native_memory detail:
    /// NMT=detail). Default: none.
    #[arg(long, value_name = "TOPICS", value_enum, value_delimiter = ',')]
    pub drill: Vec<DrillArg>,
    /// How often --drill polls (500ms, 5s, 1m). Default: 60s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub drill_interval: Option<Duration>,
}

/// What `live --drill` polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DrillArg {
    Heap,
    Classes,
    Threads,
    Native,
}

impl DrillArg {
    /// The library's topic.
    pub fn topic(self) -> jvmem::live::DrillTopic {
        match self {
            DrillArg::Heap => jvmem::live::DrillTopic::Heap,
            DrillArg::Classes => jvmem::live::DrillTopic::Classes,
            DrillArg::Threads => jvmem::live::DrillTopic::Threads,
            DrillArg::Native => jvmem::live::DrillTopic::Native,
        }
    }
}

/// `jvmem serve`: one source of snapshots, an address to listen on, and labels.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).multiple(true).args(["pid", "cmd", "follow"])))]
pub struct ServeArgs {
    /// Run `jcmd PID VM.native_memory summary` every interval; also sample RSS and cgroup.
    /// Default: none.
    #[arg(long, value_name = "PID")]
    pub pid: Option<u32>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// The address to listen on, IP:PORT (port 0: any free port, printed on stderr).
    /// Loopback unless you say otherwise.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:9404")]
    pub listen: std::net::SocketAddr,
    /// How often `--pid` and `--cmd` take a snapshot: 500ms, 5s, 1m, 1h, or seconds
    /// (100ms to 24h). Default: 15s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,
    /// How much history the verdict is judged on (and kept in memory): 5s, 30m, 1h, or
    /// seconds, by the snapshots' own timestamps (100ms to 24h; at most 10000 snapshots). Default: 1h.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub window: Option<Duration>,
    /// The jcmd binary for `--pid`. Default: `jcmd` on PATH.
    #[arg(long, value_name = "PATH")]
    pub jcmd: Option<String>,
    /// A label on every sample, k=v (repeatable), e.g. --label pod=$POD_NAME --label namespace=prod.
    #[arg(long, value_name = "K=V", value_parser = parse_label)]
    pub label: Vec<(String, String)>,
    /// The container's memory limit for the verdict: bytes, 1Gi (2^30), 1G (10^9), 512m
    /// (JVM). Default: the cgroup's (with --pid), else none.
    #[arg(long, value_name = "SIZE", value_parser = parse_limit)]
    pub limit: Option<Size>,
}

/// Label names jvmem sets itself; a `--label` cannot take them.
pub const RESERVED_LABELS: &[&str] = &["pid", "jdk", "category", "collector", "kind", "le"];

/// `k=v` with a Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not `__…`).
pub fn parse_label(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not k=v (e.g. pod=bot-gateway-7d9f)"))?;
    let valid = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !k.starts_with("__");
    if !valid {
        return Err(format!(
            "{k:?} is not a label name (letters, digits and _, not starting with a digit or __)"
        ));
    }
    if RESERVED_LABELS.contains(&k) {
        return Err(format!("{k:?} is set by jvmem itself; choose another name"));
    }
    Ok((k.to_string(), v.to_string()))
}

fn parse_stdin(s: &str) -> Result<String, String> {
    if s == "-" {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`live` takes only `-` (stdin) as an argument; to follow a file use --follow {s}"
        ))
    }
}

fn parse_speed(s: &str) -> Result<f64, String> {
    let speed: f64 = s
        .trim_end_matches('x')
        .parse()
        .map_err(|_| format!("not a number: {s}"))?;
    if speed.is_finite() && (0.01..=1000.0).contains(&speed) {
        Ok(speed)
    } else {
        Err(format!("speed must be between 0.01 and 1000, not {s}"))
    }
}

/// `500ms`, `5s`, `2m`, `1h`, or a plain number of seconds (`5`, `0.5`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("not a duration: {s:?} (try 500ms, 5s, 1m)"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("unknown unit {other:?} in {s:?} (ms, s, m, h)")),
    };
    if !(0.1..=86_400.0).contains(&seconds) {
        return Err(format!("{s:?} is out of range (100ms to 24h)"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A memory limit: a size ([`jvmem::model::units::parse_size`]) that is not zero.
pub fn parse_limit(s: &str) -> Result<Size, String> {
    let size = jvmem::model::units::parse_size(s).map_err(|e| e.to_string())?;
    if size.bytes == 0 {
        return Err(format!(
            "{s:?} is 0 bytes; a limit must be more (leave --limit out for none)"
        ));
    }
    Ok(size)
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
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FleetFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GcFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
