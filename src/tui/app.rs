//! The dashboard's state machine: one entry, [`App::handle`], takes every event (keys, mouse,
//! pastes, resizes, ticks, model updates) with the time injected, so tests drive it with no
//! terminal and no sleeps. Drawing is [`render`], a pure function of the state.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Snapshot, Timeline, Update};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

use super::judge::{JudgeRequest, Judgement};
use super::keys::{Action, KeyContext, action_for};
use super::theme::Theme;

mod queries;
mod replay;

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
}

/// What the event loop should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    Quit,
}

/// Where the data comes from and how the time cursor moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Files loaded once (`jvmem view`, `jvmem diff`); the cursor follows the last snapshot
    /// while loading. Space starts a replay from the cursor.
    View,
    /// Snapshots keep arriving (paste, `--pid`, `--cmd`, `--follow`, stdin); the cursor follows
    /// the newest unless the user moved it back.
    Live,
    /// A recorded timeline played back: the cursor advances on ticks by the snapshots' own
    /// time gaps divided by `speed`.
    Replay { playing: bool, speed: f64 },
}

/// The screen below the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Detail,
    Gc,
    /// Baseline (A) against the cursor (B).
    Compare,
}

impl View {
    /// Every view, in tab order: the one list the tabs, the digit keys and the help read.
    pub const ALL: [View; 4] = [View::Overview, View::Detail, View::Gc, View::Compare];

    /// The digit that opens it (its place in [`View::ALL`]).
    pub fn key(self) -> char {
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        char::from(b"123456789".get(i).copied().unwrap_or(b'?'))
    }

    /// Its name, as the tab and the help show it.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Detail => "detail",
            View::Gc => "GC",
            View::Compare => "compare",
        }
    }

    /// The tab title: `1 Overview`.
    pub fn title(self) -> String {
        let name = self.name();
        let mut chars = name.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{} {capital}", self.key())
    }

    fn step(self, by: isize) -> View {
        let n = Self::ALL.len();
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        let by_abs = by.unsigned_abs() % n;
        Self::ALL[if by < 0 { i + n - by_abs } else { i + by_abs } % n]
    }
}

/// What is drawn over the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Every status message and parse warning, newest first.
    Messages,
}

/// Overview order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Largest growth since the baseline first.
    Delta,
    /// Largest committed first.
    Size,
    Name,
}

impl Sort {
    /// The label in the tab bar; the order is exactly this (suspects are marked `!`, not
    /// moved first).
    pub fn label(self) -> &'static str {
        match self {
            Sort::Delta => "growth since base",
            Sort::Size => "committed",
            Sort::Name => "name",
        }
    }
}

/// How far a load has got, per source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    pub source: Arc<str>,
    pub done_bytes: u64,
    pub total_bytes: Option<u64>,
}

/// The dashboard's state.
pub struct App {
    pub(super) timeline: Timeline,
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
    last_tick: Option<DateTime<FixedOffset>>,
    /// Replay time owed to the next step, in seconds of recorded time.
    replay_credit_s: f64,
    dirty: bool,
}

impl App {
    /// A dashboard over `timeline` (possibly empty: data may arrive through [`Event::Update`]).
    /// The cursor starts on the last snapshot (the first in replay), the baseline on the first.
    pub fn new(timeline: Timeline, mode: Mode) -> App {
        let mut app = App {
            timeline: Timeline::default(),
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
            last_tick: None,
            replay_credit_s: 0.0,
            dirty: true,
        };
        app.source_label = source_label(&timeline);
        let limit = timeline.limit_bytes;
        app.timeline.limit_bytes = limit;
        app.timeline.diagnostics = timeline.diagnostics;
        app.timeline.gc_events = timeline.gc_events;
        app.timeline.process = timeline.process;
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
            self.timeline.limit_bytes = limit_bytes;
        }
        self
    }

    /// A limit to use when none is known, said on screen with `note` (`demo`: 1 GiB).
    pub fn with_default_limit(mut self, limit_bytes: u64, note: impl Into<String>) -> App {
        if self.timeline.limit_bytes.is_none() {
            self.timeline.limit_bytes = Some(limit_bytes);
            self.limit_note = Some(note.into());
        }
        self
    }

    /// What the status bar names as the source (file names, `pid 4242`).
    pub fn with_source_label(mut self, label: impl Into<String>) -> App {
        self.source_label = label.into();
        self
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
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    // What tests read back; the views read the fields directly.
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
        match event {
            Event::Key(key) => {
                let context = if self.overlay.is_some() {
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
                self.update(update);
                self.dirty = true;
            }
            Event::Judged(judgement) => {
                self.judgement = Some(judgement);
                self.dirty = true;
            }
        }
        Control::Continue
    }

    fn act(&mut self, action: Action) -> Control {
        let last = self.timeline.snapshots.len().saturating_sub(1);
        match action {
            Action::Quit => return Control::Quit,
            Action::Back if self.overlay.is_some() => self.overlay = None,
            Action::Back if self.view != View::Overview => self.view = View::Overview,
            Action::Back => {
                self.message = Some("q quits".into());
            }
            Action::Up | Action::PageUp if self.overlay.is_some() => {
                let by = if action == Action::Up { 1 } else { 10 };
                self.overlay_scroll = self.overlay_scroll.saturating_sub(by);
            }
            Action::Down | Action::PageDown if self.overlay.is_some() => {
                let by = if action == Action::Down { 1 } else { 10 };
                self.overlay_scroll = self.overlay_scroll.saturating_add(by);
            }
            Action::PageUp if self.view == View::Detail => {
                self.advice_scroll = self.advice_scroll.saturating_sub(5);
            }
            Action::PageDown if self.view == View::Detail => {
                self.advice_scroll = self.advice_scroll.saturating_add(5);
            }
            Action::NextView => self.view = self.view.step(1),
            Action::PrevView => self.view = self.view.step(-1),
            Action::Show(view) => self.view = view,
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-10),
            Action::PageDown => self.move_selection(10),
            Action::Enter => {
                if let Some(name) = self.rows().get(self.selected) {
                    self.detail = Some(Arc::clone(name));
                    self.view = View::Detail;
                }
            }
            Action::CursorPrev => self.set_cursor(self.cursor.saturating_sub(1)),
            Action::CursorNext => self.set_cursor((self.cursor + 1).min(last)),
            Action::CursorFirst => self.set_cursor(0),
            Action::CursorLast => self.set_cursor(last),
            Action::BaselineHere => {
                self.baseline = self.cursor;
                self.message = Some(format!("baseline := #{}", self.cursor + 1));
            }
            Action::BaselinePrev => self.baseline = self.baseline.saturating_sub(1),
            Action::BaselineNext => self.baseline = (self.baseline + 1).min(last),
            Action::CycleSort => {
                self.sort = match self.sort {
                    Sort::Delta => Sort::Size,
                    Sort::Size => Sort::Name,
                    Sort::Name => Sort::Delta,
                }
            }
            Action::StartFilter => self.filter_input = Some(self.filter.clone()),
            Action::FilterChar(c) => {
                if let Some(input) = &mut self.filter_input {
                    input.push(c);
                    self.filter = input.clone();
                    self.selected = 0;
                }
            }
            Action::FilterBackspace => {
                if let Some(input) = &mut self.filter_input {
                    input.pop();
                    self.filter = input.clone();
                }
            }
            Action::FilterDone => self.filter_input = None,
            Action::FilterCancel => {
                self.filter_input = None;
                self.filter.clear();
            }
            Action::ToggleHelp => {
                self.overlay_scroll = 0;
                self.overlay = match self.overlay {
                    Some(Overlay::Help) => None,
                    _ => Some(Overlay::Help),
                }
            }
            Action::ToggleMessages => {
                self.overlay = match self.overlay {
                    Some(Overlay::Messages) => None,
                    _ => {
                        self.overlay_scroll = 0;
                        self.unread = 0;
                        Some(Overlay::Messages)
                    }
                }
            }
            Action::TogglePlay => self.toggle_play(),
            Action::Faster => self.change_speed(1),
            Action::Slower => self.change_speed(-1),
        }
        Control::Continue
    }

    fn move_selection(&mut self, by: isize) {
        let rows = self.rows().len();
        if rows == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(by).min(rows - 1);
        if self.view == View::Detail {
            self.detail = self.rows().get(self.selected).cloned();
            self.advice_scroll = 0;
        }
    }

    fn set_cursor(&mut self, index: usize) {
        self.cursor = index;
        let last = self.timeline.snapshots.len().saturating_sub(1);
        self.follow = index == last && !matches!(self.mode, Mode::Replay { .. });
    }

    fn update(&mut self, update: Update) {
        match update {
            Update::Snapshots(snapshots) => self.add_snapshots(snapshots, true),
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
    fn add_snapshots(&mut self, snapshots: Vec<Snapshot>, sort: bool) {
        if snapshots.is_empty() {
            return;
        }
        for s in &snapshots {
            for c in &s.categories {
                if !self.names.iter().any(|n| n == &c.name) {
                    self.names.push(Arc::clone(&c.name));
                }
            }
        }
        let changes_before = queries::jvm_changes(&self.timeline.snapshots).count();
        if sort {
            self.timeline.apply(Update::Snapshots(snapshots));
        } else {
            self.timeline.snapshots.extend(snapshots);
        }
        let changes: Vec<usize> = queries::jvm_changes(&self.timeline.snapshots).collect();
        if changes.len() > changes_before {
            for &i in &changes {
                let s = &self.timeline.snapshots;
                let (was, now) = (s[i - 1].pid, s[i].pid);
                let line = format!(
                    "{}: snapshot #{} is from another JVM (pid {} after pid {}): growth across #{} is not real; the verdict judges from #{} on",
                    s[i].source,
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

/// A diagnostic for the one-line status bar: the file's name, not its whole path.
pub fn short_diagnostic(d: &jvmem::model::Diagnostic) -> String {
    let file = d.source.rsplit('/').next().unwrap_or(&d.source);
    if d.line == 0 {
        format!("{file}: {}", d.message)
    } else {
        format!("{file}:{}: {}", d.line, d.message)
    }
}

/// A diagnostic in full, for the messages overlay: the whole path, line and severity.
pub fn full_diagnostic(d: &jvmem::model::Diagnostic) -> String {
    let severity = match d.severity {
        jvmem::model::Severity::Error => "error",
        _ => "warning",
    };
    if d.line == 0 {
        format!("{}: {severity}: {}", d.source, d.message)
    } else {
        format!("{}:{}: {severity}: {}", d.source, d.line, d.message)
    }
}

fn source_label(timeline: &Timeline) -> String {
    let mut sources: Vec<&str> = Vec::new();
    for s in &timeline.snapshots {
        if !sources.contains(&&*s.source) {
            sources.push(&s.source);
        }
    }
    for e in &timeline.gc_events {
        if !sources.contains(&&*e.source) {
            sources.push(&e.source);
        }
    }
    let short: Vec<&str> = sources
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .collect();
    match short.len() {
        0 => String::new(),
        1..=2 => short.join(", "),
        n => format!("{}, … ({n} inputs)", short[0]),
    }
}

/// Draws the whole dashboard.
pub fn render(app: &App, frame: &mut Frame) {
    super::views::render(app, frame);
}
