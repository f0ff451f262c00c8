//! Data arriving from loaders and live sources: snapshots (the cursor follows the newest),
//! progress, status lines, diagnostics and changes of JVM.

use std::sync::Arc;

use jvmem::model::{Snapshots, Update};

use super::labels::{full_diagnostic, short_diagnostic, source_label};
use super::{App, Loading, Mode, View, queries};

impl App {
    pub(super) fn update(&mut self, update: Update) {
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
                self.timeline.apply(Update::Diagnostics(diagnostics));
            }
            other => self.timeline.apply(other),
        }
    }

    /// Appends snapshots (kept in time order by the timeline) and keeps the cursor on the
    /// newest when it was following.
    pub(super) fn add_snapshots(&mut self, snapshots: Snapshots, sort: bool) {
        if snapshots.is_empty() {
            return;
        }
        for name in snapshots.category_names() {
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
        let changes_before = queries::jvm_changes(self.timeline.snapshots.all()).count();
        self.timeline.snapshots.append(snapshots);
        if sort {
            self.timeline.sort_snapshots();
        }
        let changes: Vec<usize> = queries::jvm_changes(self.timeline.snapshots.all()).collect();
        if changes.len() > changes_before {
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
}
