//! The dashboard's state machine: one entry, [`App::handle`], takes every event (keys, mouse,
//! pastes, resizes, ticks, model updates) with the time injected, so tests drive it with no
//! terminal and no sleeps. Drawing is [`render`], a pure function of the state.
//!
//! Here: the [`App`] struct, its builders and accessors, and `handle`. Beside it, in `app/`:
//! `modes` (Mode, View, Overlay, Sort), `actions` (what each key's action does), `updates`
//! (data arriving), `queries` (what the views ask), `replay` (the playing cursor) and
//! `labels` (how diagnostics and sources are written).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Timeline, Update};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

use super::judge::{JudgeRequest, Judgement};
use super::keys::{Action, KeyContext, action_for};
use super::theme::Theme;
use labels::source_label;

mod actions;
mod drill;
mod labels;
mod modes;
mod queries;
mod replay;
mod updates;

pub use drill::{DrillState, drill_label, topic_for};
pub use labels::{full_diagnostic, short_diagnostic};
pub use modes::{Loading, Mode, Overlay, Sort, View};
pub use queries::jvm_changes;
pub use replay::format_speed;

/// Everything the app reacts to.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// A bracketed paste, whole (the loop hands it to the paste source; the app says so).
    Paste(String),
    /// The terminal changed size (the next draw reads the new size from the terminal).
    Resize,
    /// Time passes (drives replay).
    Tick,
    /// New data from a loader or live source.
    Update(Update),
    /// A diagnosis, made off the UI thread, of the snapshots up to the cursor.
    Judged(Arc<Judgement>),
    /// A drill-down taken on demand (`d`) has finished.
    Drilled(super::driller::DrillOutcome),
}

/// What the event loop should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Quit,
}

/// The dashboard's state.
pub struct App {
    /// Shared with the diagnosis thread while it judges (see `updates`: no second copy).
    pub(super) timeline: Arc<Timeline>,
    /// Updates waiting for the timeline, and how much of it is still to be put in order.
    pub(super) intake: updates::Intake,
    /// Changes of JVM already said (a message each).
    jvm_changes_said: usize,
    /// The GC view's chart series, kept between frames.
    pub(super) gc_series: super::views::GcSeriesCache,
    pub(super) mode: Mode,
    pub(super) view: View,
    pub(super) overlay: Option<Overlay>,
    /// Lines scrolled in the messages overlay / the detail view's advice.
    pub(super) overlay_scroll: u16,
    pub(super) advice_scroll: u16,
    /// `Some` while the filter prompt is open.
    pub(super) filter_input: Option<String>,
    pub(super) filter: String,
    /// Index of the snapshot under the time cursor; views show data up to it.
    pub(super) cursor: usize,
    pub(super) baseline: usize,
    /// The cursor follows new snapshots (it is at the end and the user has not moved it back).
    follow: bool,
    pub(super) selected: usize,
    /// The category the detail view shows (stays put when the overview re-sorts).
    pub(super) detail: Option<Arc<str>>,
    pub(super) sort: Sort,
    pub(super) message: Option<String>,
    /// Every status message and diagnostic, in full, oldest first (the messages overlay).
    pub(super) messages: Vec<String>,
    /// How many of `messages` arrived since the overlay was last open.
    pub(super) unread: usize,
    pub(super) loading: Vec<Loading>,
    /// The latest diagnosis: suspect marks, advice and the verdict line.
    pub(super) judgement: Option<Arc<Judgement>>,
    /// The last judgement asked for (so each cursor position is asked once).
    requested: Option<JudgeRequest>,
    /// Said on screen next to the limit: where it comes from (`demo default`).
    pub(super) limit_note: Option<String>,
    pub(super) source_label: String,
    pub(super) theme: Theme,
    /// Category names in order of first appearance, kept as snapshots arrive.
    pub(super) names: Vec<Arc<str>>,
    /// Drilling from the detail view: the live JVM, a pending confirmation or request.
    pub(super) drill: DrillState,
    last_tick: Option<DateTime<FixedOffset>>,
    /// Replay time owed to the next step, in seconds of recorded time.
    replay_credit_s: f64,
    /// Opened from the fleet view: Esc on the overview goes back to it.
    pub(super) back_to_fleet: bool,
    /// The user went back to the fleet (the loop ended by Esc, not by quitting).
    pub(super) went_back: bool,
    dirty: bool,
}

impl App {
    /// A dashboard over `timeline` (possibly empty: data may arrive through [`Event::Update`]).
    /// The cursor starts on the last snapshot (the first in replay), the baseline on the first.
    pub fn new(timeline: Timeline, mode: Mode) -> App {
        let mut app = App {
            timeline: Arc::new(Timeline::default()),
            intake: updates::Intake::default(),
            jvm_changes_said: 0,
            gc_series: super::views::GcSeriesCache::default(),
            mode,
            view: View::Overview,
            overlay: None,
            overlay_scroll: 0,
            advice_scroll: 0,
            filter_input: None,
            filter: String::new(),
            cursor: 0,
            baseline: 0,
            follow: !matches!(mode, Mode::Replay { .. }),
            selected: 0,
            detail: None,
            sort: Sort::Delta,
            message: None,
            messages: Vec::new(),
            unread: 0,
            loading: Vec::new(),
            judgement: None,
            requested: None,
            limit_note: None,
            source_label: String::new(),
            theme: Theme::from_env(),
            names: Vec::new(),
            drill: DrillState::default(),
            last_tick: None,
            replay_credit_s: 0.0,
            back_to_fleet: false,
            went_back: false,
            dirty: true,
        };
        app.source_label = source_label(&timeline);
        let mine = app.timeline_mut();
        mine.limit_bytes = timeline.limit_bytes;
        mine.diagnostics = timeline.diagnostics;
        mine.gc_events = timeline.gc_events;
        mine.process = timeline.process;
        mine.drills = timeline.drills;
        app.add_snapshots(timeline.snapshots, false);
        let diagnostics: Vec<String> = app
            .timeline
            .diagnostics
            .iter()
            .map(full_diagnostic)
            .collect();
        for d in diagnostics {
            app.say(d);
        }
        if let Some(first) = app.timeline.diagnostics.first() {
            app.message = Some(short_diagnostic(first));
        }
        // Only a GC log: the GC view is where the data is.
        if app.timeline.snapshots.is_empty() && !app.timeline.gc_events.is_empty() {
            app.view = View::Gc;
        }
        app
    }

    /// Opens on another view (e.g. `jvmem diff` opens [`View::Compare`]).
    pub fn with_view(mut self, view: View) -> App {
        self.view = view;
        self
    }

    /// Sets the two snapshots compared: A is the baseline, B the cursor.
    pub fn with_compare(mut self, a: usize, b: usize) -> App {
        let last = self.timeline.snapshots.len().saturating_sub(1);
        self.baseline = a.min(last);
        self.cursor = b.min(last);
        self.follow = self.cursor == last;
        self
    }

    /// Colours on or off (`NO_COLOR`); defaults to the environment. Tests turn them off so
    /// screens compare as text.
    #[cfg(test)]
    pub fn with_color(mut self, color: bool) -> App {
        self.theme = Theme::new(color);
        self
    }

    /// The container limit the header shows a percentage of (`--limit`).
    pub fn with_limit(mut self, limit_bytes: Option<u64>) -> App {
        if limit_bytes.is_some() {
            self.timeline_mut().limit_bytes = limit_bytes;
        }
        self
    }

    /// A limit to use when none is known, said on screen with `note` (`demo`: 1 GiB).
    pub fn with_default_limit(mut self, limit_bytes: u64, note: impl Into<String>) -> App {
        if self.timeline.limit_bytes.is_none() {
            self.timeline_mut().limit_bytes = Some(limit_bytes);
            self.limit_note = Some(note.into());
        }
        self
    }

    /// What the status bar names as the source (file names, `pid 4242`).
    pub fn with_source_label(mut self, label: impl Into<String>) -> App {
        self.source_label = label.into();
        self
    }

    /// Opened from the fleet view: Esc on the overview ends the loop with [`App::went_back`].
    pub fn with_back_to_fleet(mut self) -> App {
        self.back_to_fleet = true;
        self
    }

    /// True when the loop ended because the user went back to the fleet (not `q`).
    pub fn went_back(&self) -> bool {
        self.went_back
    }

    /// The judgement to ask the diagnosis worker for, when it changed since the last one
    /// asked: the snapshots up to the cursor, against the limit. Files being loaded are
    /// judged once they are all read.
    pub fn take_judge_request(&mut self) -> Option<JudgeRequest> {
        if self.timeline.is_empty() || (self.mode == Mode::View && !self.loading.is_empty()) {
            return None;
        }
        let wanted = JudgeRequest {
            as_of: if self.timeline.snapshots.is_empty() {
                0
            } else {
                self.cursor + 1
            },
            limit_bytes: self.timeline.limit_bytes,
            drills: self.timeline.drills.len(),
        };
        if self.requested == Some(wanted) {
            return None;
        }
        self.requested = Some(wanted);
        Some(wanted)
    }

    /// The latest judgement, if one has arrived.
    pub fn judgement(&self) -> Option<&Judgement> {
        self.judgement.as_deref()
    }

    /// True while the judgement shown is not of the snapshots up to the cursor.
    pub fn judging(&self) -> bool {
        match (&self.judgement, self.requested) {
            (Some(j), Some(r)) => j.request != r,
            (None, Some(_)) => true,
            _ => false,
        }
    }

    /// Every message in full, newest first.
    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().rev().map(String::as_str)
    }

    /// Keeps a message for the messages overlay.
    fn say(&mut self, message: String) {
        self.messages.push(message);
        self.unread += 1;
    }

    /// The timeline as loaded so far.
    #[cfg(test)]
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The timeline as loaded so far, shared (what a judgement reads, without a copy).
    pub fn shared_timeline(&self) -> Arc<Timeline> {
        Arc::clone(&self.timeline)
    }

    /// Updates waiting for a judgement to let go of the timeline.
    #[cfg(test)]
    pub fn pending_updates(&self) -> usize {
        self.intake.pending()
    }

    #[cfg(test)]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    #[cfg(test)]
    pub fn view(&self) -> View {
        self.view
    }

    /// Index of the snapshot under the time cursor.
    #[cfg(test)]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    #[cfg(test)]
    pub fn baseline(&self) -> usize {
        self.baseline
    }

    /// The status-bar message, if any.
    #[cfg(test)]
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// True once since the last call if anything visible changed (the loop redraws then).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    /// The one entry: applies an event at time `now`.
    pub fn handle(&mut self, event: Event, now: DateTime<FixedOffset>) -> Control {
        // Updates that waited for a judgement go in first, when it has let go of the timeline.
        if self.apply_pending(now) {
            self.dirty = true;
        }
        match event {
            Event::Key(key) => {
                let context = if self.drill.confirm.is_some() {
                    KeyContext::Confirm
                } else if self.overlay.is_some() {
                    KeyContext::Overlay
                } else if self.filter_input.is_some() {
                    KeyContext::Filter
                } else {
                    KeyContext::Normal
                };
                if let Some(action) = action_for(key, context) {
                    self.dirty = true;
                    return self.act(action);
                }
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::ScrollDown => {
                    self.dirty = true;
                    return self.act(Action::Down);
                }
                MouseEventKind::ScrollUp => {
                    self.dirty = true;
                    return self.act(Action::Up);
                }
                _ => {}
            },
            Event::Paste(text) => {
                let size = jvmem::model::units::format_bytes(text.len() as u64);
                self.message = Some(format!("reading paste ({size})…"));
                self.dirty = true;
            }
            Event::Resize => self.dirty = true,
            Event::Tick => self.tick(now),
            Event::Update(update) => {
                self.take_update(update, now);
                self.dirty = true;
            }
            Event::Judged(judgement) => {
                self.judgement = Some(judgement);
                self.dirty = true;
            }
            Event::Drilled(outcome) => {
                self.drilled(outcome);
                self.dirty = true;
            }
        }
        Control::Continue
    }
}

/// Draws the whole dashboard.
pub fn render(app: &App, frame: &mut Frame) {
    super::views::render(app, frame);
}
