//! `jvmem serve --pid PID | --cmd '…' | --follow FILE [--gc-log F] --listen 127.0.0.1:9404`:
//! the live sources feed a bounded window ([`jvmem::live::BoundedTimeline`]); an HTTP server
//! (tiny_http, one thread, no async runtime) answers `/metrics` with the OpenMetrics
//! exposition of the latest snapshot, GC totals, process memory and the verdict on the
//! window, and `/healthz` with a line of state. SIGTERM/SIGINT stop it cleanly (exit 0).

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use jvmem::analysis::diagnosis::{DiagnoseOptions, diagnose};
use jvmem::live::{BoundedTimeline, PollOptions, Sink, SourceHandle};
use jvmem::model::Update;
use jvmem::report::openmetrics::{Extras, Samples, write_with};

use crate::cli::ServeArgs;

const DEFAULT_INTERVAL: Duration = Duration::from_secs(15);
const DEFAULT_WINDOW: Duration = Duration::from_secs(3600);
/// At most this many snapshots (and GC events, process samples) in the window: 24 h of 10 s
/// snapshots is 8640. A snapshot of ~30 categories is a few KiB, so the window stays in the
/// tens of MiB at worst.
const MAX_ITEMS: usize = 10_000;
/// The OpenMetrics content type Prometheus negotiates for.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What the HTTP thread reads: the window and the sources' last status lines.
struct State {
    window: BoundedTimeline,
    status: BTreeMap<Arc<str>, String>,
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    for path in args.sources.follow.iter().chain(&args.sources.gc_log) {
        if let Some(why) = jvmem::input::cannot_follow(path) {
            anyhow::bail!("{}: {why}", path.display());
        }
    }
    let server = tiny_http::Server::http(args.listen)
        .map_err(|e| super::usage(format!("cannot listen on {}: {e}", args.listen)))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| args.listen.to_string(), |a| a.to_string());
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "jvmem: note: {} is reachable from other hosts; /metrics has no authentication",
            args.listen.ip()
        );
    }
    eprintln!("jvmem: serving http://{bound}/metrics and /healthz");

    let state = Arc::new(Mutex::new(State {
        window: BoundedTimeline::new(args.window.unwrap_or(DEFAULT_WINDOW), MAX_ITEMS),
        status: BTreeMap::new(),
    }));
    let (tx, rx) = channel();
    let sink = Sink::new(tx, None);
    let handles = start_sources(args, &sink)?;
    drop(sink);
    let applier = {
        let state = Arc::clone(&state);
        std::thread::Builder::new()
            .name("jvmem serve updates".into())
            .spawn(move || {
                for update in rx {
                    let Ok(mut s) = state.lock() else { return };
                    match &update {
                        Update::Status { source, message } => {
                            s.status.insert(Arc::clone(source), message.clone());
                        }
                        Update::Finished { source } => {
                            s.status.insert(Arc::clone(source), "finished".into());
                        }
                        _ => {}
                    }
                    s.window.apply(update);
                }
            })
            .context("cannot start the update thread")?
    };

    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot install a signal handler")?;
    }
    while !stop.load(Ordering::Relaxed) {
        let request = match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("the HTTP server failed"),
        };
        // A client that hangs up early is its problem, not the server's.
        let _ = respond(request, &state, args);
    }
    for handle in handles {
        handle.stop();
    }
    drop(applier);
    eprintln!("jvmem: stopped");
    Ok(ExitCode::SUCCESS)
}

fn respond(
    request: tiny_http::Request,
    state: &Mutex<State>,
    args: &ServeArgs,
) -> std::io::Result<()> {
    use tiny_http::{Header, Method, Response};
    let header = |v: &str| Header::from_bytes(&b"Content-Type"[..], v.as_bytes()).ok();
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = Response::from_string("only GET\n").with_status_code(405);
        return request.respond(r);
    }
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let (status, body, content_type) = match path.as_str() {
        "/metrics" => (200, metrics(state, args), CONTENT_TYPE),
        "/healthz" => (200, health(state), "text/plain; charset=utf-8"),
        "/" => (
            200,
            "jvmem serve: /metrics (OpenMetrics), /healthz\n".to_string(),
            "text/plain; charset=utf-8",
        ),
        _ => (
            404,
            "not found: try /metrics or /healthz\n".to_string(),
            "text/plain; charset=utf-8",
        ),
    };
    let mut response = Response::from_string(body).with_status_code(status);
    if let Some(h) = header(content_type) {
        response = response.with_header(h);
    }
    request.respond(response)
}

/// The exposition of the window as it is now.
fn metrics(state: &Mutex<State>, args: &ServeArgs) -> String {
    let s = match state.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let timeline = &s.window.timeline;
    let latest = timeline
        .snapshots
        .iter()
        .rev()
        .find(|s| s.complete && !s.kind.is_diff());
    let mut labels = Vec::new();
    if let Some(pid) = latest.and_then(|s| s.pid).or(args.pid) {
        labels.push(("pid".to_string(), pid.to_string()));
    }
    if let Some(v) = timeline
        .snapshots
        .iter()
        .rev()
        .find_map(|s| s.jvm_version.cloned())
    {
        labels.push(("jdk".to_string(), v.to_string()));
    }
    labels.extend(args.label.iter().cloned());
    let limit_bytes = args
        .limit
        .as_ref()
        .map(|l| l.bytes)
        .or(timeline.limit_bytes);
    let diagnosis = diagnose(
        timeline,
        &DiagnoseOptions {
            limit_bytes,
            ..DiagnoseOptions::default()
        },
    );
    let extras = Extras {
        labels,
        gc: Some(&s.window.gc_totals),
        pause_histogram: true,
        process: timeline.process.last(),
        limit_bytes,
        diagnosis: Some(&diagnosis),
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_with(&mut out, timeline, Samples::Latest, &extras);
    String::from_utf8_lossy(&out).into_owned()
}

/// `ok`, what the window holds, and each source's last status.
fn health(state: &Mutex<State>) -> String {
    let s = match state.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let t = &s.window.timeline;
    let mut out = format!(
        "ok: {} snapshot(s), {} GC event(s) in the window, {} update(s)\n",
        t.snapshots.len(),
        t.gc_events.len(),
        s.window.updates
    );
    for (source, message) in &s.status {
        out.push_str(&format!("{source}: {message}\n"));
    }
    out
}

fn start_sources(args: &ServeArgs, sink: &Sink) -> Result<Vec<SourceHandle>> {
    let watched = super::sources::Watched {
        pid: args.pid,
        cmd: args.sources.cmd.as_deref(),
        follow: &args.sources.follow,
        gc_log: &args.sources.gc_log,
        jcmd: args.jcmd.as_deref(),
        poll: PollOptions {
            interval: args.interval.unwrap_or(DEFAULT_INTERVAL),
        },
        // A sidecar outlives restarts of the JVM it watches.
        retry: true,
    };
    super::sources::start(&watched, sink)
}
