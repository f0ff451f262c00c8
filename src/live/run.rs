//! One run of a command with a deadline: its own process group, killed whole (`sh` and
//! whatever it started) on timeout, on stop, or when it prints more than
//! [`OUTPUT_CAP_BYTES`]; stdout then stderr as text, and how it ended.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{LiveError, Stopper};

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
    use super::*;

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
}
