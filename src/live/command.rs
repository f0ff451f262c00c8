//! Polling sources: run a command on a schedule and read the snapshot in its output.
//! [`PidSource`] runs `jcmd PID VM.native_memory summary` and samples the process's memory;
//! [`CommandSource`] runs any shell command (`kubectl exec POD -- jcmd 1 VM.native_memory summary`).
//! Each run has a deadline and an output cap (`run.rs`); [`poll_loop`] is the schedule they share.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::Update;
use crate::session::Record;

use super::run::{humanize, run_with_timeout};
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
