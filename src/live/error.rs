//! Why a live source's poll or capture gave nothing: the typed form of what a source shows as
//! its status line (`jcmd did not answer within 10s`) and what `live --drill` refuses.

use std::time::Duration;

use super::run::humanize;

/// What went wrong in a live source. Sources never stop on these (except where said): they
/// report them as an `Update::Status` and try again at the next poll.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The command could not be started (no such program, no permission).
    #[error("cannot run {program}: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    /// Waiting for the command failed.
    #[error("{program}: {source}")]
    Wait {
        program: String,
        #[source]
        source: std::io::Error,
    },
    /// The command was killed, with its process group, after `timeout`.
    #[error("{program} did not answer within {}", humanize(*.timeout))]
    Timeout { program: String, timeout: Duration },
    /// The source was stopped while a command ran (it was killed).
    #[error("stopped")]
    Stopped,
    /// The polled process is gone (no `/proc/PID`).
    #[error("process {pid} is not running")]
    NotRunning { pid: u32 },
    /// A capture held no snapshot: why (jcmd's own failure message when it printed one, else
    /// what the text looked like).
    #[error("{0}")]
    NoSnapshot(String),
    /// `--drill` with `--cmd`: the command has no `jcmd … VM.native_memory …` part to replace
    /// with each drill command.
    #[error(
        "--drill with --cmd needs a command that runs `jcmd … VM.native_memory summary`: \
         that part is replaced by each drill command"
    )]
    NoNmtCommand,
    /// Every drill command of a poll failed: each one's command and first line of output.
    #[error("{}", .0.join("; "))]
    DrillsFailed(Vec<String>),
}
