//! Data arriving from loaders and live sources: snapshots (the cursor follows the newest),
//! progress, status lines, diagnostics and changes of JVM.
//!
//! Two rules keep a long load cheap (see docs/architecture.md, "Loading a big input"):
//! - the timeline is shared with the diagnosis thread (an `Arc`, not a copy): while a
//!   judgement reads it, updates wait in [`Intake`] (at most [`MAX_WAIT_S`], then the
//!   timeline is copied once) and are applied, in order, as soon as it is free again;
//! - while files load, snapshots are appended as read and put in time order only when the
//!   unsorted tail is as long as the sorted part (and once the load ends), so ordering a
//!   timeline read in N batches costs O(n log n) in all, not N sorts of it.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Snapshots, Timeline, Update};

use super::labels::{full_diagnostic, short_diagnostic, source_label};
use super::{App, Loading, Mode, View, queries};

/// Longest a data update waits for a judgement to let go of the timeline before the app
/// takes a copy of its own (so a slow diagnosis never freezes live data for long).
pub(super) const MAX_WAIT_S: i64 = 1;

/// Updates not applied yet, and how much of the timeline is not in time order yet.
#[derive(Debug, Default)]
pub(in crate::tui) struct Intake {
    pending: VecDeque<Update>,
    /// When the oldest of `pending` arrived.
    since: Option<DateTime<FixedOffset>>,
    /// Snapshots appended since the timeline was last put in order (and its changes of JVM
    /// looked for).
    unsorted: usize,
    /// How many sorts the intake has run (tests check the schedule).
    pub(in crate::tui) sorts: usize,
}

#[cfg(test)]
impl Intake {
    /// Updates waiting for the timeline.
    pub(in crate::tui) fn pending(&self) -> usize {
        self.pending.len()
    }
}

impl App {
    /// Takes an update: applied now when the timeline is not being read by a judgement, else
    /// queued behind the others.
    pub(super) fn take_update(&mut self, update: Update, now: DateTime<FixedOffset>) {
        self.intake.pending.push_back(update);
        self.apply_pending(now);
    }

    /// Applies the queued updates, in order, when the timeline is the app's alone (or they
    /// have waited [`MAX_WAIT_S`]: then the timeline is copied). True when any was applied.
    pub(super) fn apply_pending(&mut self, now: DateTime<FixedOffset>) -> bool {
        if self.intake.pending.is_empty() {
            return false;
        }
        if Arc::get_mut(&mut self.timeline).is_none() {
            let since = *self.intake.since.get_or_insert(now);
            if now - since < chrono::Duration::seconds(MAX_WAIT_S) {
                return false;
            }
        }
        self.intake.since = None;
        while let Some(update) = self.intake.pending.pop_front() {
            self.update(update);
        }
        true
    }

    /// The timeline to change (a copy only when a judgement still holds it: see `apply_pending`).
    pub(super) fn timeline_mut(&mut self) -> &mut Timeline {
        Arc::make_mut(&mut self.timeline)
    }

    fn update(&mut self, update: Update) {
        match update {
            Update::Snapshots(snapshots) => self.add_snapshots(snapshots.into(), true),
            Update::Progress {
                source,
                done_bytes,
                total_bytes,
            } => {
                let entry = Loading {
                    source: Arc::clone(&source),
                    done_bytes,
                    total_bytes,
                };
                match self.loading.iter_mut().find(|l| l.source == source) {
                    Some(l) => *l = entry,
                    None => self.loading.push(entry),
                }
            }
            Update::Status { source, message } => {
                let line = format!("{source}: {message}");
                self.say(line.clone());
                self.message = Some(line);
            }
            Update::Finished { source } => {
                self.loading.retain(|l| l.source != source);
                if self.loading.is_empty() {
                    self.settle(true);
                }
                if self.loading.is_empty() && self.mode == Mode::View {
                    let n = self.timeline.snapshots.len();
                    let e = self.timeline.gc_events.len();
                    let line = format!("loaded {n} snapshots, {e} GC events");
                    self.say(line.clone());
                    if self.message.is_none() {
                        self.message = Some(line);
                    }
                    if n == 0 && e > 0 && self.view == View::Overview {
                        self.view = View::Gc;
                    }
                }
            }
            Update::Diagnostics(diagnostics) => {
                for d in &diagnostics {
                    self.say(full_diagnostic(d));
                }
                if let Some(first) = diagnostics.first() {
                    self.message = Some(short_diagnostic(first));
                }
                self.timeline_mut().apply(Update::Diagnostics(diagnostics));
            }
            // The first events are taken as they are (`apply` would copy them into an empty
            // list: twice the memory of a big GC log for a moment).
            Update::GcEvents(events) if self.timeline.gc_events.is_empty() => {
                let timeline = self.timeline_mut();
                timeline.gc_events = events;
                timeline.sort_gc_events();
            }
            other => self.timeline_mut().apply(other),
        }
    }

    /// Appends snapshots and keeps the cursor on the newest when it was following. With
    /// `sort`, the timeline is put in time order: at once when no file is loading, else when
    /// the snapshots appended since the last sort are as many as those before them.
    pub(super) fn add_snapshots(&mut self, snapshots: Snapshots, sort: bool) {
        if snapshots.is_empty() {
            return;
        }
        for name in snapshots.category_names() {
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
        self.intake.unsorted += snapshots.len();
        self.timeline_mut().snapshots.append(snapshots);
        let sorted = self.timeline.snapshots.len() - self.intake.unsorted;
        if !sort || self.loading.is_empty() || self.intake.unsorted >= sorted {
            self.settle(sort);
        }
        if self.source_label.is_empty() {
            self.source_label = source_label(&self.timeline);
        }
        let last = self.timeline.snapshots.len() - 1;
        if self.follow {
            self.cursor = last;
        }
        self.cursor = self.cursor.min(last);
        self.baseline = self.baseline.min(last);
    }

    /// Puts the snapshots appended since the last time in order (with `sort`) and says where
    /// the JVM changes, when it changes at more places than before.
    fn settle(&mut self, sort: bool) {
        if self.intake.unsorted == 0 {
            return;
        }
        self.intake.unsorted = 0;
        if sort {
            self.intake.sorts += 1;
            self.timeline_mut().sort_snapshots();
        }
        let changes: Vec<usize> = queries::jvm_changes(self.timeline.snapshots.all()).collect();
        if changes.len() <= self.jvm_changes_said {
            return;
        }
        self.jvm_changes_said = changes.len();
        for &i in &changes {
            let s = &self.timeline.snapshots;
            let (Some(prev), Some(at)) = (s.get(i - 1), s.get(i)) else {
                continue;
            };
            let (was, now) = (prev.pid, at.pid);
            let line = format!(
                "{}: snapshot #{} is from another JVM (pid {} after pid {}): growth across #{} is not real; the verdict judges from #{} on",
                at.source,
                i + 1,
                now.unwrap_or_default(),
                was.unwrap_or_default(),
                i + 1,
                i + 1
            );
            if !self.messages.contains(&line) {
                self.say(line);
            }
        }
        self.message = Some(format!(
            "another JVM from #{} on (m: details)",
            changes.last().map_or(0, |i| i + 1)
        ));
    }
}
