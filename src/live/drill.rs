//! `live --drill heap,classes,threads,native`: drill-down jcmd commands polled on their own,
//! slower schedule (default every 60 s), next to the NMT poll. Each answer is parsed by
//! [`crate::drill`], recorded raw as a `drill` session record, and sent as [`Update::Drills`].
//!
//! `heap` runs `GC.class_histogram`, which **forces a full GC** every time (its `-all` option
//! would not, but then counts dead objects too, which hides a leak's steady rise under garbage):
//! poll it minutes apart on a production JVM. `native` needs `-XX:NativeMemoryTracking=detail`.
//! `classes` asks `VM.metaspace show-loaders`, whose per-loader block is what names a growing
//! loader type's metaspace: ~1 KB per loader (230 loaders: 230 KB; plain `VM.metaspace` is
//! 3 KB), against ~100 B per loader for `VM.classloader_stats`.
//!
//! The dashboard takes one topic once, on demand ([`DrillSource::take_once`], the `d` key in
//! the detail view), through the same commands, parsing and recording.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use crate::drill::{DrillOptions, parse_with};
use crate::model::{DrillKind, Update};
use crate::session::{Record, RecordKind};

use super::LiveError;
use super::command::poll_loop;
use super::run::{humanize, run_with_timeout};
use super::{PollOptions, Sink, SourceHandle, Stopper, capture_time};

/// What to drill into; each topic is one or two jcmd commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillTopic {
    /// `GC.class_histogram` (forces a full GC).
    Heap,
    /// `VM.classloader_stats` and `VM.metaspace show-loaders`.
    Classes,
    /// `Thread.print`.
    Threads,
    /// `VM.native_memory detail` (call sites; needs NMT at `detail`).
    Native,
}

impl DrillTopic {
    /// The jcmd commands (with arguments) this topic runs.
    pub fn commands(self) -> &'static [&'static [&'static str]] {
        match self {
            DrillTopic::Heap => &[&["GC.class_histogram"]],
            DrillTopic::Classes => &[&["VM.classloader_stats"], &["VM.metaspace", "show-loaders"]],
            DrillTopic::Threads => &[&["Thread.print"]],
            DrillTopic::Native => &[&["VM.native_memory", "detail"]],
        }
    }

    /// The topic whose commands print captures of `kind`.
    pub fn for_kind(kind: DrillKind) -> DrillTopic {
        match kind {
            DrillKind::ClassHistogram => DrillTopic::Heap,
            DrillKind::ClassLoaderStats | DrillKind::Metaspace | DrillKind::MetaspaceLoaders => {
                DrillTopic::Classes
            }
            DrillKind::ThreadDump => DrillTopic::Threads,
            DrillKind::NmtDetail => DrillTopic::Native,
        }
    }

    /// True when taking it stops the JVM for a full GC (`GC.class_histogram`).
    pub fn forces_full_gc(self) -> bool {
        self == DrillTopic::Heap
    }

    /// Its commands, as people read them: `VM.classloader_stats, VM.metaspace show-loaders`.
    pub fn describe(self) -> String {
        let commands: Vec<String> = self.commands().iter().map(|c| c.join(" ")).collect();
        commands.join(", ")
    }
}

/// How long a drill taken once may run: a thread dump of thousands of threads and an NMT
/// detail report of a large JVM take seconds, a hung JVM forever.
pub const TAKE_ONCE_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the commands go.
#[derive(Debug, Clone)]
pub enum DrillTarget {
    /// `jcmd PID COMMAND` on this machine.
    Pid { pid: u32, jcmd: String },
    /// A shell command that runs `jcmd … VM.native_memory summary` somewhere (`kubectl exec`):
    /// `VM.native_memory summary` (or the last `VM.native_memory …` words) is replaced by
    /// each drill command.
    Shell { command: String },
}

impl DrillTarget {
    /// The shell form of `command` for a `Shell` target, or why it cannot have one.
    pub fn shell_for(template: &str, jcmd_command: &[&str]) -> Result<String, LiveError> {
        // The NMT command's own argument words (`summary`, `detail.diff`, `scale=MB`) go with it.
        // The pattern is a constant (the tests below compile it), so `ok()` loses nothing.
        let nmt = regex::Regex::new(
            r"VM\.native_memory(\s+(summary|detail|baseline)(\.diff)?)?(\s+scale=[A-Za-z]+)?",
        )
        .ok();
        let found = nmt
            .and_then(|re| re.find(template))
            .ok_or(LiveError::NoNmtCommand)?;
        Ok(format!(
            "{}{}{}",
            &template[..found.start()],
            jcmd_command.join(" "),
            &template[found.end()..]
        ))
    }
}

/// Polls drill-down commands.
#[derive(Debug, Clone)]
pub struct DrillSource {
    pub target: DrillTarget,
    pub topics: Vec<DrillTopic>,
    pub poll: PollOptions,
}

impl DrillSource {
    /// The name its updates carry: `drill:pid:4242` / `drill:cmd`.
    pub fn name(&self) -> Arc<str> {
        match &self.target {
            DrillTarget::Pid { pid, .. } => Arc::from(format!("drill:pid:{pid}")),
            DrillTarget::Shell { .. } => Arc::from("drill:cmd"),
        }
    }

    /// Runs every topic's commands once on the calling thread, as one poll does: captures are
    /// recorded and sent to `sink`; the answer says what was taken (and what failed), or why
    /// nothing was.
    pub fn take_once(&self, sink: &Sink, timeout: Duration) -> Result<String, LiveError> {
        // Held until the end: dropping the sender would tell the commands to stop.
        let (_running, stopper) = Stopper::new();
        self.poll_once(&self.name(), sink, &stopper, timeout)
    }

    /// Starts polling on its own thread; updates are named as [`DrillSource::name`] says.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name = self.name();
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let commands: Vec<String> = self
                .topics
                .iter()
                .flat_map(|t| t.commands().iter().map(|c| c.join(" ")))
                .collect();
            let mut intro = format!(
                "{} every {}",
                commands.join(", "),
                humanize(self.poll.interval)
            );
            if self.topics.contains(&DrillTopic::Heap) {
                intro.push_str(" (GC.class_histogram forces a full GC each time)");
            }
            poll_loop(&name, &self.poll, &stopper, &sink, intro, |timeout| {
                self.poll_once(&name, &sink, &stopper, timeout)
                    .map_err(Into::into)
            });
        })
    }

    fn poll_once(
        &self,
        name: &Arc<str>,
        sink: &Sink,
        stopper: &Stopper,
        timeout: Duration,
    ) -> Result<String, LiveError> {
        let (mut taken, mut failures) = (0, Vec::new());
        for topic in &self.topics {
            for args in topic.commands() {
                let at = capture_time();
                let command = match &self.target {
                    DrillTarget::Pid { pid, jcmd } => {
                        let mut c = Command::new(jcmd);
                        c.arg(pid.to_string()).args(*args);
                        c
                    }
                    DrillTarget::Shell { command } => {
                        let mut c = Command::new("sh");
                        c.arg("-c").arg(DrillTarget::shell_for(command, args)?);
                        c
                    }
                };
                let output = run_with_timeout(command, "jcmd", timeout, stopper)?;
                let options = DrillOptions {
                    default_timestamp: Some(at),
                    first_line: 0,
                };
                let parsed = parse_with(name, &output.text, &options);
                if parsed.captures.is_empty() {
                    // jcmd's `<pid>:` header says nothing: the line after it does.
                    let is_pid = |l: &str| {
                        l.strip_suffix(':')
                            .is_some_and(|p| p.parse::<u32>().is_ok())
                    };
                    let first = output
                        .text
                        .lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !is_pid(l));
                    failures.push(format!(
                        "{}{}: {}",
                        args.join(" "),
                        output.exit_note(),
                        first.unwrap_or("no output")
                    ));
                    continue;
                }
                sink.record(&Record::text(RecordKind::Drill, at, name, 0, &output.text));
                taken += parsed.captures.len();
                sink.send(Update::Drills(parsed.captures));
            }
            if stopper.stopped() {
                break;
            }
        }
        if failures.is_empty() || taken > 0 {
            let mut message = format!(
                "{taken} drill-down capture(s) at {}",
                capture_time().format("%H:%M:%S")
            );
            if !failures.is_empty() {
                message.push_str(&format!("; failed: {}", failures.join("; ")));
            }
            Ok(message)
        } else {
            Err(LiveError::DrillsFailed(failures))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_commands_swap_the_nmt_command() {
        assert_eq!(
            DrillTarget::shell_for(
                "kubectl exec app-0 -- jcmd 1 VM.native_memory summary",
                &["GC.class_histogram"]
            )
            .ok()
            .as_deref(),
            Some("kubectl exec app-0 -- jcmd 1 GC.class_histogram")
        );
        assert_eq!(
            DrillTarget::shell_for(
                "ssh h 'jcmd 7 VM.native_memory summary scale=MB' | cat",
                &["VM.native_memory", "detail"]
            )
            .ok()
            .as_deref(),
            Some("ssh h 'jcmd 7 VM.native_memory detail' | cat")
        );
        assert!(matches!(
            DrillTarget::shell_for("cat file", &["Thread.print"]),
            Err(LiveError::NoNmtCommand)
        ));
    }
}
