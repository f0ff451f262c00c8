//! `live --follow DIR` on a JFR repository: the chunk files a JVM with
//! `-XX:StartFlightRecording` writes, read as they are finished and as the open one is flushed
//! ([`RepositoryFollower`] holds the rules).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::jfr::repository::{POLL_EVERY, RepositoryFollower};
use crate::model::Update;

use super::{Sink, SourceHandle};

/// Follows a JFR repository directory (a repository base, one JVM's directory in it, or one
/// chunk file).
#[derive(Debug, Clone)]
pub struct JfrRepositorySource {
    pub path: PathBuf,
    pub poll_every: Duration,
}

impl JfrRepositorySource {
    /// Follows `path`, looking once a second (the JVM flushes once a second).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        JfrRepositorySource {
            path: path.into(),
            poll_every: POLL_EVERY,
        }
    }

    /// Whether `path` is something to follow as a repository: a directory (a snapshot file
    /// is followed as text), or a file that starts with the JFR magic.
    pub fn applies_to(path: &std::path::Path) -> bool {
        if path.is_dir() {
            return true;
        }
        let mut head = [0u8; 4];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok_and(|()| crate::jfr::is_jfr(&head))
    }

    /// Starts following on its own thread; updates are named after the path.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let name: Arc<str> = Arc::from(self.path.to_string_lossy().as_ref());
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut follower = RepositoryFollower::new(&self.path, Arc::clone(&name));
            let label = "following the JFR repository";
            sink.status(&name, label);
            if sink.is_recording() {
                sink.status(
                    &name,
                    "not recorded into the session: the repository's chunk files are the record",
                );
            }
            let mut waiting: Option<String> = None;
            let mut last_status = (0, 0, 0);
            loop {
                let mut listening = true;
                let polled = follower.poll(&mut |update| {
                    listening = sink.send(update);
                    listening && !stopper.stopped()
                });
                if !listening {
                    break;
                }
                match polled {
                    Ok(()) => {
                        if waiting.take().is_some() {
                            sink.status(&name, label);
                        }
                        let now = (
                            follower.chunks_finished,
                            follower.snapshots_sent,
                            follower.gc_events_sent,
                        );
                        if now != last_status {
                            last_status = now;
                            sink.status(
                                &name,
                                format!(
                                    "{label}: {} finished chunk(s) read, {} snapshot(s), {} GC event(s)",
                                    now.0, now.1, now.2
                                ),
                            );
                        }
                    }
                    Err(e) => {
                        let why = format!("{}: {e}", self.path.display());
                        if waiting.as_deref() != Some(why.as_str()) {
                            sink.status(&name, format!("waiting for {why}"));
                            waiting = Some(why);
                        }
                    }
                }
                if stopper.wait(self.poll_every) {
                    break;
                }
            }
            sink.send(Update::Finished {
                source: Arc::clone(&name),
            });
        })
    }
}
