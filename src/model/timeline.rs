//! Everything known about one JVM over time: NMT snapshots, GC events, process samples
//! (RSS, cgroup), and what could not be read. Every mode (view, live, replay, report) builds one.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{Diagnostic, DrillCapture, GcEvents, GcLogInfo, Severity, Snapshots};

/// Memory of the whole process at one instant, from `/proc/PID/status` and its cgroup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProcessSample {
    pub timestamp: DateTime<FixedOffset>,
    pub rss_bytes: Option<u64>,
    pub cgroup_usage_bytes: Option<u64>,
    pub cgroup_limit_bytes: Option<u64>,
}

/// The model every view and report reads.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// In time order when every snapshot has a timestamp, otherwise in input order. Kept
    /// compact (~0.6 KB a snapshot), read through `SnapshotRef` views.
    pub snapshots: Snapshots,
    /// In time order (by timestamp, else uptime, else input order), packed: see [`GcEvents`].
    pub gc_events: GcEvents,
    /// What the GC logs read said about themselves (JVM version, collector, lines read), when
    /// GC log files were read.
    pub gc_log: Option<GcLogInfo>,
    pub process: Vec<ProcessSample>,
    /// Drill-down captures (class histograms, loader stats, thread dumps, NMT call sites),
    /// in time order per kind when all have timestamps.
    pub drills: Vec<DrillCapture>,
    pub diagnostics: Vec<Diagnostic>,
    /// The container's memory limit, from `--limit` or the cgroup.
    pub limit_bytes: Option<u64>,
}

impl Timeline {
    /// True when nothing at all was read.
    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty() && self.gc_events.is_empty() && self.drills.is_empty()
    }

    /// Category names over all snapshots, in order of first appearance.
    pub fn category_names(&self) -> Vec<Arc<str>> {
        self.snapshots.category_names()
    }

    /// Number of error diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Orders snapshots by time where they have one, keeping input order (files in natural
    /// name order) for those without: the timestamped snapshots are sorted among the places
    /// timestamped snapshots hold, the others stay where they are. So `diff_03.txt` taken after
    /// `snap_00.txt` comes after it even when an untimed paste sits between them. A stable
    /// sort: equal times keep input order.
    pub fn sort_snapshots(&mut self) {
        let timestamps: Vec<_> = self.snapshots.timestamps().collect();
        if let Some(order) = time_order(&timestamps) {
            self.snapshots.reorder(&order);
        }
    }

    /// Orders drill-down captures by time when all have a timestamp (stable: equal times keep
    /// input order).
    pub fn sort_drills(&mut self) {
        if self.drills.iter().all(|d| d.timestamp.is_some()) {
            self.drills.sort_by_key(|d| d.timestamp);
        }
    }

    /// Orders GC events by wall-clock time when all have one, else by uptime when all have
    /// one; otherwise keeps input order (stable sorts throughout).
    pub fn sort_gc_events(&mut self) {
        self.gc_events.sort_by_time();
    }

    /// Adds another timeline's contents (e.g. one input file) to this one.
    pub fn extend(&mut self, other: Timeline) {
        self.snapshots.append(other.snapshots);
        self.gc_events.append(other.gc_events);
        self.process.extend(other.process);
        self.drills.extend(other.drills);
        self.diagnostics.extend(other.diagnostics);
        self.limit_bytes = self.limit_bytes.or(other.limit_bytes);
    }
}

/// The order [`Timeline::sort_snapshots`] puts snapshots with these timestamps in (indices
/// into `timestamps`), or `None` when they already are in it. The timestamped ones are sorted
/// (stably) among the places timestamped ones hold; the others keep their places.
pub fn time_order(timestamps: &[Option<DateTime<FixedOffset>>]) -> Option<Vec<usize>> {
    let slots: Vec<usize> = (0..timestamps.len())
        .filter(|&i| timestamps[i].is_some())
        .collect();
    if slots.len() < 2
        || slots
            .windows(2)
            .all(|w| timestamps[w[0]] <= timestamps[w[1]])
    {
        return None;
    }
    let mut timed = slots.clone();
    timed.sort_by_key(|&i| timestamps[i]);
    let mut timed = timed.into_iter();
    Some(
        (0..timestamps.len())
            .map(|i| {
                if timestamps[i].is_some() {
                    timed.next().unwrap_or(i)
                } else {
                    i
                }
            })
            .collect(),
    )
}
