//! Updates sent from a loader or live source (a thread) to whoever holds the timeline (the
//! TUI, a recorder). Loading never happens on the UI thread: it only applies these.

use std::sync::Arc;

use super::{Diagnostic, DrillCapture, GcEvents, GcLogInfo, ProcessSample, Snapshot, Timeline};

/// Something new for a timeline.
#[derive(Debug, Clone)]
pub enum Update {
    Snapshots(Vec<Snapshot>),
    GcEvents(GcEvents),
    /// What GC log files said about themselves, once they are read (folded into earlier info).
    GcLog(GcLogInfo),
    Process(ProcessSample),
    /// Drill-down captures (`live --drill`).
    Drills(Vec<DrillCapture>),
    Diagnostics(Vec<Diagnostic>),
    /// The container limit an input states (a flight recording's); kept when none is known.
    Limit(u64),
    /// How far a long load has got, for a progress indicator.
    Progress {
        source: Arc<str>,
        done_bytes: u64,
        total_bytes: Option<u64>,
    },
    /// A one-line status from a source: `polling pid 4242 every 5s`, `jcmd failed: …`.
    Status {
        source: Arc<str>,
        message: String,
    },
    /// A source has delivered everything it will (files), or stopped (a dead live source).
    Finished {
        source: Arc<str>,
    },
}

impl Timeline {
    /// Applies an update. Snapshots and GC events are appended and kept in time order;
    /// progress, status and finish messages carry no data and are left to the caller.
    pub fn apply(&mut self, update: Update) {
        match update {
            Update::Snapshots(snapshots) => {
                self.snapshots.extend(snapshots);
                self.sort_snapshots();
            }
            Update::GcEvents(events) => {
                self.gc_events.append(events);
                self.sort_gc_events();
            }
            Update::Process(sample) => {
                if self.limit_bytes.is_none() {
                    self.limit_bytes = sample.cgroup_limit_bytes;
                }
                self.process.push(sample);
            }
            Update::Drills(drills) => {
                self.drills.extend(drills);
                self.sort_drills();
            }
            Update::Diagnostics(diagnostics) => self.diagnostics.extend(diagnostics),
            Update::GcLog(info) => match &mut self.gc_log {
                Some(known) => known.merge(info),
                None => self.gc_log = Some(info),
            },
            Update::Limit(limit) => self.limit_bytes = self.limit_bytes.or(Some(limit)),
            Update::Progress { .. } | Update::Status { .. } | Update::Finished { .. } => {}
        }
    }
}
