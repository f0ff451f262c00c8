//! Drilling on a category from its detail view (`d`): which drill-down explains it (the
//! library's [`kinds_explaining`]), whether there is a live JVM to take it from, the
//! confirmation a class histogram needs (it forces a full GC), and the request the event loop
//! hands to the drill worker. The app starts nothing itself: it only asks.

use std::sync::Arc;

use jvmem::analysis::culprits::kinds_explaining;
use jvmem::live::{DrillTarget, DrillTopic};

use super::{App, View};
use crate::tui::driller::DrillOutcome;

/// Said when the dashboard shows files: there is no JVM to run jcmd against.
pub const NO_LIVE_JVM: &str = "no live JVM (files shown): `jvmem live --pid PID` drills";

/// Where drills go, and what is pending.
#[derive(Debug, Clone)]
pub struct DrillState {
    /// The live JVM, or why there is none.
    pub access: Result<DrillTarget, String>,
    /// A class histogram waiting for `y` (it forces a full GC).
    pub confirm: Option<DrillTopic>,
    /// Asked for, not yet handed to the worker.
    pub request: Option<DrillTopic>,
    /// Handed to the worker, not yet answered.
    pub running: Option<DrillTopic>,
}

impl Default for DrillState {
    fn default() -> Self {
        DrillState {
            access: Err(NO_LIVE_JVM.to_string()),
            confirm: None,
            request: None,
            running: None,
        }
    }
}

/// The drill-down that explains `category`, if any.
pub fn topic_for(category: &str) -> Option<DrillTopic> {
    kinds_explaining(category)
        .first()
        .map(|k| DrillTopic::for_kind(*k))
}

/// What the key does on this topic, for the detail view: `take a class histogram now`.
pub fn drill_label(topic: DrillTopic) -> String {
    match topic {
        DrillTopic::Heap => "take a class histogram now (forces a full GC)".into(),
        other => format!("take {} now", other.describe()),
    }
}

impl App {
    /// Drills go to this live JVM (`live --pid`/`--cmd`).
    pub fn with_drill_target(mut self, target: DrillTarget) -> App {
        self.drill.access = Ok(target);
        self
    }

    /// There is a source but no drill target, and why (`--cmd` without `VM.native_memory`).
    pub fn with_drill_unavailable(mut self, why: impl Into<String>) -> App {
        self.drill.access = Err(why.into());
        self
    }

    /// The live JVM drills go to, if there is one.
    pub fn drill_target(&self) -> Option<&DrillTarget> {
        self.drill.access.as_ref().ok()
    }

    /// The drill to hand to the worker, once (it is then running until its outcome arrives).
    pub fn take_drill_request(&mut self) -> Option<DrillTopic> {
        let topic = self.drill.request.take()?;
        self.drill.running = Some(topic);
        Some(topic)
    }

    /// True while a class histogram waits for its confirmation.
    #[cfg(test)]
    pub fn confirming_drill(&self) -> bool {
        self.drill.confirm.is_some()
    }

    /// `d`: drill on the category of the detail view.
    pub(super) fn start_drill(&mut self) {
        let category = match (&self.detail, self.view) {
            (Some(name), View::Detail) => Arc::clone(name),
            _ => {
                self.message = Some("d drills into a category: open one first (Enter)".into());
                return;
            }
        };
        let Some(topic) = topic_for(&category) else {
            self.message = Some(format!(
                "no drill-down explains {category}: Java Heap, Class/Metaspace, Thread and native categories have one"
            ));
            return;
        };
        let target = match &self.drill.access {
            Ok(target) => target,
            Err(why) => {
                let line = format!("d: {why}");
                self.say(line.clone());
                self.message = Some(line);
                return;
            }
        };
        if let Some(running) = self.drill.running.or(self.drill.request) {
            self.message = Some(format!("already taking {}…", running.describe()));
            return;
        }
        if topic.forces_full_gc() {
            let jvm = match target {
                DrillTarget::Pid { pid, .. } => format!("pid {pid}"),
                DrillTarget::Shell { .. } => "the JVM of --cmd".to_string(),
            };
            self.drill.confirm = Some(topic);
            self.message = Some(format!(
                "GC.class_histogram forces a full GC of {jvm} (the JVM stops while it runs): y takes it, any other key cancels"
            ));
            return;
        }
        self.request_drill(topic);
    }

    /// `y` (or any other key) on the class histogram's confirmation.
    pub(super) fn confirm_drill(&mut self, yes: bool) {
        let Some(topic) = self.drill.confirm.take() else {
            return;
        };
        if yes {
            self.request_drill(topic);
        } else {
            self.message = Some("class histogram cancelled: no full GC".into());
        }
    }

    fn request_drill(&mut self, topic: DrillTopic) {
        self.drill.request = Some(topic);
        self.message = Some(format!("taking {}…", topic.describe()));
    }

    /// The worker's answer: the captures themselves arrived as updates just before.
    pub(super) fn drilled(&mut self, outcome: DrillOutcome) {
        if self.drill.running == Some(outcome.topic) {
            self.drill.running = None;
        }
        let line = match outcome.result {
            Ok(message) => format!("{}: {message}", outcome.topic.describe()),
            Err(why) => format!("{} failed: {why}", outcome.topic.describe()),
        };
        self.say(line.clone());
        self.message = Some(line);
    }
}
