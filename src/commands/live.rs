//! `jvmem live [-] [--pid PID] [--cmd 'SHELL'] [--follow FILE] [--gc-log FILE] [--record FILE]`
//! (and `jvmem` alone): sources run on their own threads and send updates to the dashboard;
//! with `--record`, every capture's raw text (pastes included) is appended to a session file
//! as it arrives. Without a terminal, snapshots are printed as lines (a background recorder).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc::channel;
use std::time::Duration;

use anyhow::Result;
use jvmem::live::{
    DrillSource, DrillTarget, DrillTopic, PollOptions, Sink, SourceHandle, StdinSource,
};
use jvmem::model::Timeline;
use jvmem::report::sanitize::printable;
use jvmem::session::{Header, Recorder};

use crate::cli::LiveArgs;
use crate::tui::{App, Mode};

const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// `--drill` is slower: a class histogram is a full GC, a thread dump a safepoint.
const DEFAULT_DRILL_INTERVAL: Duration = Duration::from_secs(60);

pub fn run(args: &LiveArgs) -> Result<ExitCode> {
    let interactive = std::io::stdout().is_terminal();
    let reads_stdin = args.stdin.is_some();
    if reads_stdin && std::io::stdin().is_terminal() {
        return Err(super::usage(
            "`-` reads snapshots from a pipe, but stdin is the terminal (paste into `jvmem live` instead)",
        ));
    }
    let has_source = reads_stdin
        || args.pid.is_some()
        || args.sources.cmd.is_some()
        || !args.sources.follow.is_empty()
        || !args.sources.gc_log.is_empty();
    if !interactive && !has_source {
        return Err(super::usage(
            "nothing to read: give --pid PID, --cmd 'COMMAND', --follow FILE, --gc-log FILE or `-` \
             (or run on a terminal and paste jcmd output)",
        ));
    }
    for path in args.sources.follow.iter().chain(&args.sources.gc_log) {
        if let Some(why) = jvmem::input::cannot_follow(path) {
            anyhow::bail!("{}: {why}", path.display());
        }
    }
    let recorder = match &args.record {
        Some(path) => {
            let header = Header::new(jvmem::live::capture_time(), Some(describe(args)));
            let recorder = Recorder::open(path, &header)
                .map_err(|e| super::usage(format!("cannot record to {}: {e}", path.display())))?;
            Some(recorder.shared())
        }
        None => None,
    };
    let (tx, rx) = channel();
    let sink = Sink::new(tx, recorder.clone());
    let handles = start_sources(args, &sink)?;

    let result = if interactive {
        let label = label(args);
        let app = App::new(Timeline::default(), Mode::Live)
            .with_limit(args.limit.as_ref().map(|l| l.bytes))
            .with_source_label(label);
        // `d` in the detail view drills into the JVM of --pid / --cmd.
        let app = match drill_target(args) {
            Ok(target) => app.with_drill_target(target),
            Err(why) => app.with_drill_unavailable(why),
        };
        // Pastes are one more source, recorded like the others; the runner waits for a
        // paste made just before quitting to be recorded.
        let result = crate::tui::run(app, rx, sink);
        if reads_stdin && result.is_ok() {
            // The producer of `… | jvmem live -` may outlive jvmem (a `while` loop does).
            if let Some(note) = jvmem::live::still_running_note(&jvmem::live::stdin_writers()) {
                eprintln!("jvmem: {note}");
            }
        }
        result
    } else {
        // Only the sources hold senders now: without a terminal, the output ends when they do.
        drop(sink);
        super::dashboard::print_updates(rx)
    };
    // Also when a signal ended the dashboard: children are killed, the last records written.
    for handle in handles {
        handle.stop();
    }
    let mut lost = 0;
    if let (Some(path), Some(recorder)) = (&args.record, &recorder) {
        let (records, failed) = match recorder.lock() {
            Ok(r) => (r.records(), r.failed()),
            Err(poisoned) => (poisoned.get_ref().records(), poisoned.get_ref().failed()),
        };
        let path = printable(&path.to_string_lossy()).into_owned();
        eprintln!("jvmem: recorded {records} record(s) to {path}");
        if failed > 0 {
            eprintln!("jvmem: {failed} record(s) could not be written to {path} and are lost");
        }
        lost = failed;
    }
    result?;
    if lost > 0 {
        return Ok(ExitCode::from(super::RECORDS_LOST));
    }
    Ok(ExitCode::SUCCESS)
}

fn start_sources(args: &LiveArgs, sink: &Sink) -> Result<Vec<SourceHandle>> {
    let watched = super::sources::Watched {
        pid: args.pid,
        cmd: args.sources.cmd.as_deref(),
        follow: &args.sources.follow,
        gc_log: &args.sources.gc_log,
        jcmd: args.jcmd.as_deref(),
        poll: PollOptions {
            interval: args.interval.unwrap_or(DEFAULT_INTERVAL),
        },
        retry: args.retry,
    };
    let mut handles = super::sources::start(&watched, sink)?;
    if args.stdin.is_some() {
        handles.push(StdinSource::stdin().spawn(sink.clone())?);
    }
    handles.extend(start_drill(args, sink)?);
    Ok(handles)
}

/// `--drill`: the drill-down poll of `--pid` (or else `--cmd`), on its own interval.
fn start_drill(args: &LiveArgs, sink: &Sink) -> Result<Option<SourceHandle>> {
    if args.drill.is_empty() {
        return Ok(None);
    }
    let target = match (args.pid, &args.sources.cmd) {
        (None, None) => return Err(super::usage("--drill needs --pid PID or --cmd 'COMMAND'")),
        _ => drill_target(args).map_err(anyhow::Error::msg)?,
    };
    let mut topics: Vec<DrillTopic> = args.drill.iter().map(|d| d.topic()).collect();
    topics.dedup();
    let source = DrillSource {
        target,
        topics,
        poll: PollOptions {
            interval: args.drill_interval.unwrap_or(DEFAULT_DRILL_INTERVAL),
        },
    };
    Ok(Some(source.spawn(sink.clone())?))
}

/// Where drill-downs go: `jcmd` on `--pid`, else `--cmd` with its NMT command swapped; or why
/// there is nowhere.
fn drill_target(args: &LiveArgs) -> std::result::Result<DrillTarget, String> {
    match (args.pid, &args.sources.cmd) {
        (Some(pid), _) => Ok(DrillTarget::Pid {
            pid,
            jcmd: args.jcmd.clone().unwrap_or_else(|| "jcmd".to_string()),
        }),
        (None, Some(command)) => {
            DrillTarget::shell_for(command, &["GC.class_histogram"]).map_err(|e| e.to_string())?;
            Ok(DrillTarget::Shell {
                command: command.clone(),
            })
        }
        (None, None) => {
            Err("no live JVM (pastes, followed files): `--pid PID` or `--cmd` drills".to_string())
        }
    }
}

/// The status bar's source label: `pid 4242 · gc.log · ● rec s.jvmem`.
fn label(args: &LiveArgs) -> String {
    let mut parts = Vec::new();
    if let Some(pid) = args.pid {
        parts.push(format!("pid {pid}"));
    }
    if args.sources.cmd.is_some() {
        parts.push("cmd".to_string());
    }
    parts.extend(args.sources.follow.iter().map(|p| p.display().to_string()));
    parts.extend(args.sources.gc_log.iter().map(|p| p.display().to_string()));
    if args.stdin.is_some() {
        parts.push("stdin".to_string());
    }
    if parts.is_empty() {
        parts.push("paste".to_string());
    }
    if let Some(path) = &args.record {
        parts.push(format!("● rec {}", path.display()));
    }
    parts.join(" · ")
}

/// The session header's note: what was recorded and how.
fn describe(args: &LiveArgs) -> String {
    let mut parts = vec!["jvmem live".to_string()];
    if args.stdin.is_some() {
        parts.push("-".into());
    }
    if let Some(pid) = args.pid {
        parts.push(format!("--pid {pid}"));
    }
    if let Some(cmd) = &args.sources.cmd {
        parts.push(format!("--cmd {cmd:?}"));
    }
    if let Some(interval) = args.interval {
        parts.push(format!("--interval {}ms", interval.as_millis()));
    }
    for p in &args.sources.follow {
        parts.push(format!("--follow {}", p.display()));
    }
    for p in &args.sources.gc_log {
        parts.push(format!("--gc-log {}", p.display()));
    }
    if !args.drill.is_empty() {
        let topics: Vec<String> = args
            .drill
            .iter()
            .map(|d| format!("{d:?}").to_lowercase())
            .collect();
        parts.push(format!("--drill {}", topics.join(",")));
    }
    parts.join(" ")
}
