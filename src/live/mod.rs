//! Live sources: threads that take NMT snapshots (and GC events and process samples) as they
//! happen and send them as [`Update`](crate::model::Update)s over an `std::sync::mpsc` channel to whoever holds the
//! timeline. Each source runs on its own thread, never panics on what it reads, reports
//! failures as [`Update::Status`](crate::model::Update::Status) and retries, and stops when its [`SourceHandle`] is dropped
//! or the receiving end goes away.
//!
//! - [`PidSource`]: `jcmd PID VM.native_memory summary` every interval, plus RSS and cgroup;
//! - [`CommandSource`]: `sh -c CMD` every interval (e.g. `kubectl exec … jcmd 1 …`);
//! - [`FollowSource`]: a growing file of concatenated snapshots (rotation, truncation);
//! - [`JfrRepositorySource`]: a JFR repository directory, chunk by chunk as the JVM writes it;
//! - [`StdinSource`]: a pipe (`while sleep 10; do date -Is; jcmd …; done | jvmem live -`);
//! - [`GcLogSource`]: a growing GC log (rotation included);
//! - [`DrillSource`]: drill-down jcmd commands (`live --drill`) on their own, slower schedule.
//! - [`PasteSource`]: jcmd output pasted into the dashboard.
//!
//! With a [`SharedRecorder`](crate::session::SharedRecorder) in the [`Sink`], every capture's
//! raw text is appended to a session file before its snapshots are sent.

mod capture;
mod chunker;
mod command;
mod drill;
mod error;
mod follow;
mod follow_jfr;
mod paste;
mod pipe_writers;
mod process;
mod run;
mod schedule;
mod sink;
mod stdin;
mod window;

pub use capture::NmtCapturer;
pub use chunker::{Chunk, Chunker};
pub use command::{CommandSource, PidSource, PollOptions};
pub use drill::{DrillSource, DrillTarget, DrillTopic, TAKE_ONCE_TIMEOUT};
pub use error::LiveError;
pub use follow::{FileTail, FollowSource, GcLogSource, TailEvent};
pub use follow_jfr::JfrRepositorySource;
pub use paste::{PASTE_SOURCE, PasteSource, normalize_newlines};
pub use pipe_writers::{PipeWriter, pipe_writers_in, stdin_writers, still_running_note};
pub use process::{read_process_sample, read_process_sample_in};
pub use schedule::Schedule;
pub use sink::{Sink, SourceHandle, Stopper};
pub use stdin::StdinSource;
pub use window::BoundedTimeline;

use chrono::{DateTime, FixedOffset};

/// The wall-clock time of a capture.
pub fn capture_time() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}
