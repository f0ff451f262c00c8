//! Starting the watched sources that `live` and `serve` both take (`--pid`, `--cmd`,
//! `--follow`, `--gc-log`): one place, so the two commands cannot drift apart.

use std::path::PathBuf;

use anyhow::Result;
use jvmem::live::{
    CommandSource, FollowSource, GcLogSource, JfrRepositorySource, PidSource, PollOptions, Sink,
    SourceHandle,
};

/// What to watch, as the command line gave it.
pub struct Watched<'a> {
    pub pid: Option<u32>,
    pub cmd: Option<&'a str>,
    pub follow: &'a [PathBuf],
    pub gc_log: &'a [PathBuf],
    pub jcmd: Option<&'a str>,
    pub poll: PollOptions,
    /// Keep polling a pid that is gone (`serve`: a sidecar outlives JVM restarts).
    pub retry: bool,
}

/// Spawns one thread per source, each sending into `sink`.
pub fn start(w: &Watched<'_>, sink: &Sink) -> Result<Vec<SourceHandle>> {
    let mut handles = Vec::new();
    if let Some(pid) = w.pid {
        handles.push(
            PidSource {
                pid,
                jcmd: w.jcmd.unwrap_or("jcmd").to_string(),
                poll: w.poll.clone(),
                retry: w.retry,
            }
            .spawn(sink.clone())?,
        );
    }
    if let Some(command) = w.cmd {
        handles.push(
            CommandSource {
                command: command.to_string(),
                poll: w.poll.clone(),
            }
            .spawn(sink.clone())?,
        );
    }
    for path in w.follow {
        // A directory is a JFR repository; a file is followed as snapshot text unless it is
        // a flight recording.
        handles.push(if JfrRepositorySource::applies_to(path) {
            JfrRepositorySource::new(path).spawn(sink.clone())?
        } else {
            FollowSource::new(path).spawn(sink.clone())?
        });
    }
    for path in w.gc_log {
        handles.push(GcLogSource::new(path).spawn(sink.clone())?);
    }
    Ok(handles)
}
