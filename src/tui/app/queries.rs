//! What the views ask of the state: the snapshots up to the cursor, the rows of the overview,
//! trends and suspect marks.

use std::sync::Arc;

use jvmem::analysis::Suspect;
use jvmem::model::{SnapshotRange, SnapshotRef};

use super::{App, Sort};
use crate::tui::metrics::{self, Trend};

impl App {
    /// The snapshots the views show: up to and including the cursor.
    pub(in crate::tui) fn visible(&self) -> SnapshotRange<'_> {
        self.timeline
            .snapshots
            .range(0..self.cursor.saturating_add(1))
    }

    pub(in crate::tui) fn current(&self) -> Option<SnapshotRef<'_>> {
        self.timeline.snapshots.get(self.cursor)
    }

    pub(in crate::tui) fn base(&self) -> Option<SnapshotRef<'_>> {
        self.timeline.snapshots.get(self.baseline)
    }

    /// GC events up to the cursor's time when both sides have wall-clock time; all otherwise.
    pub(in crate::tui) fn gc_events_visible(&self) -> jvmem::model::GcSlice<'_> {
        let events = self.timeline.gc_events.as_slice();
        let Some(cursor_time) = self.current().and_then(|s| s.timestamp) else {
            return events;
        };
        if !self.timeline.gc_events.all_timestamped() {
            return events;
        }
        let end = events.partition_point_by_time(|t| t.is_some_and(|t| t <= cursor_time));
        events.head(end)
    }

    /// The suspect a category belongs to, if the diagnosis (up to the cursor) names it as
    /// one of a suspect's growing categories: `Class` and `Metaspace` in a class-loader leak.
    /// Followers (`GC` growing with the heap) are not marked: they are not causes.
    pub(in crate::tui) fn suspect(&self, name: &str) -> Option<&Suspect> {
        let diagnosis = &self.judgement.as_ref()?.diagnosis;
        // Only suspects the diagnosis is sure of are marked (as in the verdict line).
        diagnosis
            .suspect_for(name)
            .filter(|s| s.categories.iter().any(|c| c == name))
            .filter(|s| s.confidence >= jvmem::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE)
    }

    /// Overview rows: category names after the filter, in the chosen order.
    pub(in crate::tui) fn rows(&self) -> Vec<Arc<str>> {
        let filter = self.filter.to_lowercase();
        let mut rows: Vec<Arc<str>> = self
            .names
            .iter()
            .filter(|n| filter.is_empty() || n.to_lowercase().contains(&filter))
            .cloned()
            .collect();
        let (Some(cur), base) = (self.current(), self.base()) else {
            return rows;
        };
        let committed = |n: &Arc<str>| metrics::committed_of(cur, n);
        let growth = |n: &Arc<str>| {
            metrics::delta(
                base.map_or(0, |b| metrics::committed_of(b, n)),
                committed(n),
            )
        };
        match self.sort {
            Sort::Delta => rows.sort_by_key(|n| {
                (
                    std::cmp::Reverse(growth(n)),
                    std::cmp::Reverse(committed(n)),
                )
            }),
            Sort::Size => rows.sort_by_key(|n| std::cmp::Reverse(committed(n))),
            Sort::Name => rows.sort_by_key(|n| n.to_lowercase()),
        }
        rows
    }

    /// Growth of a category from the baseline to the cursor.
    pub(in crate::tui) fn trend(&self, name: &Arc<str>) -> Trend {
        match (self.base(), self.current()) {
            (Some(b), Some(c)) => Trend::of(
                metrics::committed_of(b, name),
                metrics::committed_of(c, name),
            ),
            _ => Trend::Flat,
        }
    }
}

/// Where the JVM changes in `snapshots`: indices whose pid differs from the previous
/// snapshot's (both known). Snapshots without a pid header (`PrintNMTStatistics`) never count.
pub fn jvm_changes(snapshots: SnapshotRange<'_>) -> impl Iterator<Item = usize> + '_ {
    let pids = snapshots.iter().map(|s| s.pid);
    pids.clone()
        .zip(pids.skip(1))
        .enumerate()
        .filter(|(_, w)| matches!(w, (Some(a), Some(b)) if a != b))
        .map(|(i, _)| i + 1)
}

impl App {
    /// The last change of JVM at or before snapshot `index`, if any.
    pub(in crate::tui) fn jvm_change_before(&self, index: usize) -> Option<usize> {
        let end = (index + 1).min(self.timeline.snapshots.len());
        jvm_changes(self.timeline.snapshots.range(0..end)).last()
    }
}
