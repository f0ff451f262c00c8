//! Polling sources: run a command on a schedule and read the snapshot in its output.
//! [`PidSource`] runs `jcmd PID VM.native_memory summary` and samples the process's memory;
//! [`CommandSource`] runs any shell command (`kubectl exec POD -- jcmd 1 VM.native_memory summary`).

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::model::Update;
use crate::session::Record;

use super::{LiveError, NmtCapturer, Schedule, Sink, SourceHandle, Stopper, capture_time};

/// How often to poll.
#[derive(Debug, Clone)]
pub struct PollOptions {
    pub interval: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            interval: Duration::from_secs(5),
        }
    }
}

/// Polls a local JVM with jcmd, and samples its RSS and cgroup memory.
#[derive(Debug, Clone)]
pub struct PidSource {
    pub pid: u32,
    /// The jcmd binary (`jcmd` on `PATH` by default).
    pub jcmd: String,
    pub poll: PollOptions,
    /// Keep polling after the process has gone (`live --pid PID --retry`): it may come back
    /// under the same pid (PID 1 of a restarted container). Without it, polling stops.
    pub retry: bool,
}

/// A failed poll: what to show, and whether polling ends with it.
#[derive(Debug)]
pub(super) struct Failure {
    message: String,
    last: bool,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure {
            message,
            last: false,
        }
    }
}

impl From<LiveError> for Failure {
    fn from(error: LiveError) -> Self {
        Failure::from(error.to_string())
    }
}

impl PidSource {
    /// Starts polling on its own thread.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name: Arc<str> = Arc::from(format!("pid:{}", self.pid));
        let thread_name = Arc::clone(&name);
        SourceHandle::spawn(thread_name, move |stopper| {
            let mut capturer = NmtCapturer::new(Arc::clone(&name));
            // The dashboard prefixes statuses with the source (`pid:4242: …`).
            let intro = format!(
                "polling every {} with {}",
                humanize(self.poll.interval),
                self.jcmd
            );
            poll_loop(&name, &self.poll, &stopper, &sink, intro, |timeout| {
                self.poll_once(&mut capturer, &sink, &stopper, timeout)
            });
        })
    }

    fn poll_once(
        &self,
        capturer: &mut NmtCapturer,
        sink: &Sink,
        stopper: &Stopper,
        timeout: Duration,
    ) -> Result<String, Failure> {
        let at = capture_time();
        match super::read_process_sample(self.pid, at) {
            Some(sample) => {
                sink.record(&Record::process(capturer.source(), &sample));
                sink.send(Update::Process(sample));
            }
            // Without /proc (not Linux) there is nothing to sample; jcmd may still answer.
            // No such pid: the process is gone for good (unless it comes back under the same
            // pid, which only --retry waits for).
            None if Path::new("/proc/self").exists() && self.retry => {
                return Err(LiveError::NotRunning { pid: self.pid }.into());
            }
            None if Path::new("/proc/self").exists() => {
                return Err(Failure {
                    message: format!(
                        "process {} is not running (no such pid): stopped polling it \
                         (--retry keeps trying)",
                        self.pid
                    ),
                    last: true,
                });
            }
            None => {}
        }
        let mut command = Command::new(&self.jcmd);
        command.args([&self.pid.to_string(), "VM.native_memory", "summary"]);
        let output = run_with_timeout(command, &self.jcmd, timeout, stopper)?;
        match capturer.capture(sink, &output.text, 0, at) {
            Ok(_) => Ok(format!("snapshot at {}", at.format("%H:%M:%S"))),
            Err(reason) => Err(format!("jcmd{}: {reason}", output.exit_note()).into()),
        }
    }
}

/// Runs a shell command on a schedule; any snapshots in its output are taken.
#[derive(Debug, Clone)]
pub struct CommandSource {
    /// Passed to `sh -c`.
    pub command: String,
    pub poll: PollOptions,
}

impl CommandSource {
    /// Starts polling on its own thread. Updates are named `cmd`.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name: Arc<str> = Arc::from("cmd");
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut capturer = NmtCapturer::new(Arc::clone(&name));
            let intro = format!(
                "running `{}` every {}",
                self.command,
                humanize(self.poll.interval)
            );
            poll_loop(&name, &self.poll, &stopper, &sink, intro, |timeout| {
                let at = capture_time();
                let mut command = Command::new("sh");
                command.arg("-c").arg(&self.command);
                let output = run_with_timeout(command, "sh", timeout, &stopper)?;
                match capturer.capture(&sink, &output.text, 0, at) {
                    Ok(n) if output.cut => Ok(format!(
                        "{n} snapshot(s) at {}{}",
                        at.format("%H:%M:%S"),
                        output.exit_note()
                    )),
                    Ok(n) => Ok(format!("{n} snapshot(s) at {}", at.format("%H:%M:%S"))),
                    Err(reason) => Err(format!("command{}: {reason}", output.exit_note()).into()),
                }
            });
        })
    }
}

/// The loop every polling source shares: poll, report, wait, until stopped or unheard.
pub(super) fn poll_loop(
    name: &Arc<str>,
    poll: &PollOptions,
    stopper: &Stopper,
    sink: &Sink,
    intro: String,
    mut poll_once: impl FnMut(Duration) -> Result<String, Failure>,
) {
    let mut schedule = Schedule::new(poll.interval);
    if sink.status(name, intro) {
        loop {
            let started = Instant::now();
            let result = poll_once(schedule.timeout());
            if stopper.stopped() {
                break;
            }
            let wait = schedule.after(result.is_ok(), started.elapsed());
            let message = match result {
                Ok(message) => message,
                Err(Failure {
                    message,
                    last: true,
                }) => {
                    sink.status(name, message);
                    break;
                }
                Err(Failure { message, .. }) => {
                    format!("{message} — retrying in {}", humanize(wait))
                }
            };
            if !sink.status(name, message) || stopper.wait(wait) {
                break;
            }
        }
    }
    sink.send(Update::Finished {
        source: Arc::clone(name),
    });
}

/// At most this much of a command's stdout (and as much of its stderr) is kept per poll: an
/// NMT summary is ~10 KiB and a detail report a few MiB, while `cat /dev/zero` is endless.
/// A command that prints more is stopped and the poll says so.
pub const OUTPUT_CAP_BYTES: usize = 32 << 20;

/// What a command printed (stdout, then stderr) and how it ended.
#[derive(Debug)]
pub struct CommandOutput {
    pub text: String,
    pub exit_code: Option<i32>,
    /// The command printed more than [`OUTPUT_CAP_BYTES`] and was stopped.
    pub cut: bool,
}

impl CommandOutput {
    pub(super) fn exit_note(&self) -> String {
        if self.cut {
            return format!(
                " (printed more than {} MiB; stopped, only the first {} MiB read)",
                OUTPUT_CAP_BYTES >> 20,
                OUTPUT_CAP_BYTES >> 20
            );
        }
        match self.exit_code {
            Some(0) => String::new(),
            Some(code) => format!(" (exit {code})"),
            None => " (killed)".to_string(),
        }
    }
}

/// Runs `command` in a process group of its own, killing the whole group (`sh` and whatever
/// it started) after `timeout`, when the source is stopped, or when it prints more than
/// [`OUTPUT_CAP_BYTES`].
pub fn run_with_timeout(
    command: Command,
    program: &str,
    timeout: Duration,
    stopper: &Stopper,
) -> Result<CommandOutput, LiveError> {
    run_capped(command, program, timeout, stopper, OUTPUT_CAP_BYTES)
}

fn run_capped(
    mut command: Command,
    program: &str,
    timeout: Duration,
    stopper: &Stopper,
    cap: usize,
) -> Result<CommandOutput, LiveError> {
    in_own_process_group(&mut command);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| LiveError::Spawn {
            program: program.to_string(),
            source,
        })?;
    let over_cap = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().map(|p| drain(p, cap, &over_cap));
    let stderr = child.stderr.take().map(|p| drain(p, cap, &over_cap));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => {
                kill_group(&mut child);
                return Err(LiveError::Wait {
                    program: program.to_string(),
                    source: e,
                });
            }
        }
        if over_cap.load(Ordering::Relaxed) {
            kill_group(&mut child);
            break None;
        }
        if started.elapsed() >= timeout {
            kill_group(&mut child);
            return Err(LiveError::Timeout {
                program: program.to_string(),
                timeout,
            });
        }
        if stopper.wait(Duration::from_millis(20)) {
            kill_group(&mut child);
            return Err(LiveError::Stopped);
        }
    };
    // The command has ended; what it started in the background may still hold the pipes.
    kill_group(&mut child);
    let collect = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    let mut text = String::from_utf8_lossy(&collect(stdout)).into_owned();
    let err = collect(stderr);
    if !err.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&String::from_utf8_lossy(&err));
    }
    Ok(CommandOutput {
        text,
        exit_code: status.and_then(|s| s.code()),
        cut: over_cap.load(Ordering::Relaxed),
    })
}

#[cfg(unix)]
fn in_own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn in_own_process_group(_command: &mut Command) {}

/// Kills the child's process group (it leads one, see [`in_own_process_group`]) and reaps it.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = rustix::process::Pid::from_child(child);
        // Fails only when the group is already gone.
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Reads a pipe to its end, keeping at most `cap` bytes; at the cap it stops reading (the
/// writer then gets EPIPE) and raises `over_cap`.
fn drain(
    pipe: impl Read + Send + 'static,
    cap: usize,
    over_cap: &Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<u8>> {
    let over_cap = Arc::clone(over_cap);
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
        let _ = pipe.take(limit).read_to_end(&mut bytes);
        if bytes.len() > cap {
            bytes.truncate(cap);
            over_cap.store(true, Ordering::Relaxed);
        }
        bytes
    })
}

/// `5s`, `1m30s`, `250ms`.
pub fn humanize(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    const SNAP: &str = "4242:\n\nNative Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n-                 Java Heap (reserved=10KB, committed=5KB)\n";

    fn statuses(
        rx: &mpsc::Receiver<Update>,
        mut until: impl FnMut(&Update) -> bool,
    ) -> Vec<Update> {
        let mut seen = Vec::new();
        while let Ok(u) = rx.recv_timeout(Duration::from_secs(10)) {
            let done = until(&u);
            seen.push(u);
            if done {
                break;
            }
        }
        seen
    }

    #[test]
    fn a_command_source_polls_and_a_failing_one_is_retried() {
        let (tx, rx) = mpsc::channel();
        let dir = tempfile::tempdir().expect("tempdir");
        let snap = dir.path().join("snap.txt");
        std::fs::write(&snap, SNAP).expect("write");
        let source = CommandSource {
            command: format!("cat '{}'", snap.display()),
            poll: PollOptions {
                interval: Duration::from_millis(100),
            },
        };
        let handle = source.spawn(Sink::new(tx, None)).expect("spawn");
        let mut snapshots = 0;
        let seen = statuses(&rx, |u| {
            matches!(u, Update::Snapshots(_)) && {
                snapshots += 1;
                snapshots == 2
            }
        });
        assert!(
            matches!(&seen[0], Update::Status { message, .. } if message.contains("every 100ms"))
        );
        handle.stop();
        assert!(rx.iter().any(|u| matches!(u, Update::Finished { .. })));

        let (tx, rx) = mpsc::channel();
        let failing = CommandSource {
            command: "echo 'Native memory tracking is not enabled'; exit 3".into(),
            poll: PollOptions {
                interval: Duration::from_millis(100),
            },
        };
        let handle = failing.spawn(Sink::new(tx, None)).expect("spawn");
        let seen = statuses(
            &rx,
            |u| matches!(u, Update::Status { message, .. } if message.contains("retrying")),
        );
        let Some(Update::Status { message, .. }) = seen.last() else {
            panic!("{seen:?}")
        };
        assert!(
            message.contains("exit 3") && message.contains("not enabled"),
            "{message}"
        );
        drop(handle);
    }

    #[test]
    fn slow_commands_are_killed_after_the_timeout_or_on_stop() {
        let (_stop, stopper) = Stopper::new();
        let mut sleep = Command::new("sh");
        sleep.arg("-c").arg("sleep 5");
        let started = Instant::now();
        let err = run_with_timeout(sleep, "sh", Duration::from_millis(200), &stopper)
            .expect_err("timeout");
        assert!(matches!(err, LiveError::Timeout { .. }), "{err}");
        assert!(err.to_string().contains("did not answer"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(3));
        let missing = run_with_timeout(
            Command::new("/no/such/jcmd"),
            "/no/such/jcmd",
            Duration::from_secs(1),
            &stopper,
        );
        let missing = missing.expect_err("missing");
        assert!(matches!(missing, LiveError::Spawn { .. }), "{missing}");
        assert!(missing.to_string().contains("cannot run /no/such/jcmd"));
        assert_eq!(humanize(Duration::from_secs(90)), "1m30s");
    }

    /// Processes whose command line holds `marker`, read from /proc.
    fn processes_with(marker: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .filter(|c| c.contains(marker))
            .collect()
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_timed_out_command_leaves_no_process_behind() {
        let (_stop, stopper) = Stopper::new();
        // A sleep length no other process uses, to find it in /proc.
        let marker = format!("sleep 1000.{}", std::process::id());
        for (timeout, stop) in [(Duration::from_millis(300), false), (Duration::MAX, true)] {
            let (stop_tx, stop_rx) = Stopper::new();
            let mut command = Command::new("sh");
            command.arg("-c").arg(format!("{marker}; echo x"));
            let stopper = if stop {
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(300));
                    drop(stop_tx);
                });
                &stop_rx
            } else {
                &stopper
            };
            let err = run_with_timeout(command, "sh", timeout, stopper).expect_err("killed");
            if stop {
                assert!(matches!(err, LiveError::Stopped), "{err}");
            } else {
                assert!(matches!(err, LiveError::Timeout { .. }), "{err}");
            }
            // SIGKILL is delivered at once, but the kernel may take a moment to reap.
            let mut left = processes_with(&marker);
            for _ in 0..50 {
                if left.is_empty() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
                left = processes_with(&marker);
            }
            assert!(left.is_empty(), "orphans: {left:?}");
        }
    }

    #[test]
    fn endless_output_is_cut_at_the_cap_and_said_so() {
        let (_stop, stopper) = Stopper::new();
        let mut command = Command::new("sh");
        command.arg("-c").arg("cat /dev/zero");
        let started = Instant::now();
        let output = run_capped(command, "sh", Duration::from_secs(30), &stopper, 1 << 20)
            .expect("cut, not failed");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(output.cut);
        assert_eq!(output.text.len(), 1 << 20);
        assert!(
            output.exit_note().contains("more than 32 MiB"),
            "{}",
            output.exit_note()
        );
        let mut small = Command::new("sh");
        small.arg("-c").arg("printf abc; exit 2");
        let output = run_capped(small, "sh", Duration::from_secs(30), &stopper, 3).expect("ran");
        assert_eq!((output.text.as_str(), output.cut), ("abc", false));
        assert_eq!(output.exit_note(), " (exit 2)");
    }

    #[test]
    fn a_pid_that_is_gone_stops_polling_unless_retried() {
        let (tx, rx) = mpsc::channel();
        let source = PidSource {
            pid: u32::MAX - 1,
            jcmd: "jcmd".into(),
            poll: PollOptions {
                interval: Duration::from_millis(100),
            },
            retry: false,
        };
        let _handle = source.clone().spawn(Sink::new(tx, None)).expect("spawn");
        let seen = statuses(&rx, |u| matches!(u, Update::Finished { .. }));
        let messages: Vec<&str> = seen
            .iter()
            .filter_map(|u| match u {
                Update::Status { message, .. } => Some(message.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(messages.len(), 2, "{seen:?}");
        assert!(messages[1].contains("no such pid"), "{messages:?}");
        assert!(matches!(seen.last(), Some(Update::Finished { .. })));

        let (tx, rx) = mpsc::channel();
        let source = PidSource {
            retry: true,
            ..source
        };
        let handle = source.spawn(Sink::new(tx, None)).expect("spawn");
        let seen = statuses(
            &rx,
            |u| matches!(u, Update::Status { message, .. } if message.contains("retrying")),
        );
        let Some(Update::Status { message, .. }) = seen.last() else {
            panic!("{seen:?}")
        };
        // With /proc the pid is found gone before jcmd runs; without it, jcmd's failure is
        // what is retried.
        if Path::new("/proc/self").exists() {
            let expected = format!("process {} is not running — retrying in ", u32::MAX - 1);
            assert!(message.starts_with(&expected), "{message}");
        } else {
            assert!(message.contains("jcmd"), "{message}");
        }
        handle.stop();
    }
}
