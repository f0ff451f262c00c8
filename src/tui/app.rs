//! The dashboard's state machine: one entry, [`App::handle`], takes every event (keys, mouse,
//! pastes, resizes, ticks, model updates) with the time injected, so tests drive it with no
//! terminal and no sleeps. Drawing is [`render`], a pure function of the state.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Snapshot, Timeline, Update};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

use super::keys::{Action, KeyContext, action_for};
use super::metrics::{self, Trend};
use super::paste::PasteResult;
use super::theme::Theme;

mod pastes;
mod queries;
mod replay;

pub use replay::format_speed;

/// Everything the app reacts to.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// A bracketed paste, whole.
    Paste(String),
    Resize(u16, u16),
    /// Time passes (drives replay).
    Tick,
    /// New data from a loader or live source.
    Update(Update),
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
    const ORDER: [View; 4] = [View::Overview, View::Detail, View::Gc, View::Compare];

    /// The tab title.
    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "1 Overview",
            View::Detail => "2 Detail",
            View::Gc => "3 GC",
            View::Compare => "4 Compare",
        }
    }

    fn step(self, by: isize) -> View {
        let i = Self::ORDER.iter().position(|v| *v == self).unwrap_or(0) as isize;
        Self::ORDER[(i + by).rem_euclid(Self::ORDER.len() as isize) as usize]
    }
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
    /// The label in the table title.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Delta => "Δ base",
            Sort::Size => "committed",
            Sort::Name => "name",
        }
    }
}

/// A leak suspect, as leak detection (issue 6) reports it; the dashboard only shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspectMark {
    /// The NMT category name, exactly as the JVM prints it (`Other`, `Java Heap`).
    pub category: String,
    /// One line: `Other grows 1.2 MiB/min for 3 min: direct buffers?`.
    pub headline: String,
    /// What to check next.
    pub hints: Vec<String>,
}

/// Judges a timeline (with the container limit, when known) for suspects to mark.
pub type SuspectSource = fn(&jvmem::model::Timeline, Option<u64>) -> Vec<SuspectMark>;

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
    pub(super) help: bool,
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
    pub(super) loading: Vec<Loading>,
    pub(super) suspects: Vec<SuspectMark>,
    /// Judges the timeline for suspects when data arrives (`view` when loading is done, `live`
    /// on every new snapshot); `None`: marks come only from `set_suspects`.
    suspects_from: Option<SuspectSource>,
    pub(super) source_label: String,
    pub(super) theme: Theme,
    /// Category names in order of first appearance, kept as snapshots arrive.
    pub(super) names: Vec<Arc<str>>,
    last_tick: Option<DateTime<FixedOffset>>,
    /// Replay time owed to the next step, in seconds of recorded time.
    replay_credit_s: f64,
    dirty: bool,
    /// Big pastes are parsed on worker threads, which send their results here.
    paste_tx: Sender<PasteResult>,
    paste_rx: Receiver<PasteResult>,
    /// Pastes handed to a worker and not yet back.
    pastes_parsing: usize,
}

impl App {
    /// A dashboard over `timeline` (possibly empty: data may arrive through [`Event::Update`]).
    /// The cursor starts on the last snapshot (the first in replay), the baseline on the first.
    pub fn new(timeline: Timeline, mode: Mode) -> App {
        let (paste_tx, paste_rx) = channel();
        let mut app = App {
            timeline: Timeline::default(),
            mode,
            view: View::Overview,
            help: false,
            filter_input: None,
            filter: String::new(),
            cursor: 0,
            baseline: 0,
            follow: !matches!(mode, Mode::Replay { .. }),
            selected: 0,
            detail: None,
            sort: Sort::Delta,
            message: None,
            loading: Vec::new(),
            suspects: Vec::new(),
            suspects_from: None,
            source_label: String::new(),
            theme: Theme::from_env(),
            names: Vec::new(),
            last_tick: None,
            replay_credit_s: 0.0,
            dirty: true,
            paste_tx,
            paste_rx,
            pastes_parsing: 0,
        };
        app.source_label = source_label(&timeline);
        let limit = timeline.limit_bytes;
        app.timeline.limit_bytes = limit;
        app.timeline.diagnostics = timeline.diagnostics;
        app.timeline.gc_events = timeline.gc_events;
        app.timeline.process = timeline.process;
        app.add_snapshots(timeline.snapshots, false);
        if let Some(first) = app.timeline.diagnostics.first() {
            app.message = Some(short_diagnostic(first));
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

    /// Colours on or off (`NO_COLOR`); defaults to the environment.
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

    /// What the status bar names as the source (file names, `pid 4242`).
    pub fn with_source_label(mut self, label: impl Into<String>) -> App {
        self.source_label = label.into();
        self
    }

    /// Suspects are judged by `source` from the timeline as data arrives (see `suspects_from`).
    pub fn with_suspects_from(mut self, source: SuspectSource) -> App {
        self.suspects_from = Some(source);
        self
    }

    /// Asks the suspect source again, over everything loaded so far.
    fn refresh_suspects(&mut self) {
        if let Some(judge) = self.suspects_from {
            self.suspects = judge(&self.timeline, self.timeline.limit_bytes);
            self.dirty = true;
        }
    }

    /// Replaces the leak suspects shown (highlighted rows, headline and hints in the detail).
    pub fn set_suspects(&mut self, suspects: Vec<SuspectMark>) {
        self.suspects = suspects;
        self.dirty = true;
    }

    /// The timeline as loaded so far.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// Index of the snapshot under the time cursor.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn baseline(&self) -> usize {
        self.baseline
    }

    /// The status-bar message, if any.
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
                let context = if self.help {
                    KeyContext::Help
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
                self.paste(text, now);
                self.dirty = true;
            }
            Event::Resize(..) => self.dirty = true,
            Event::Tick => self.tick(now),
            Event::Update(update) => {
                self.update(update);
                self.dirty = true;
            }
        }
        Control::Continue
    }

    fn act(&mut self, action: Action) -> Control {
        let last = self.timeline.snapshots.len().saturating_sub(1);
        match action {
            Action::Quit => return Control::Quit,
            Action::Back if self.view == View::Detail => self.view = View::Overview,
            Action::Back => return Control::Quit,
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
            Action::ToggleHelp => self.help = !self.help,
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
        let next = (self.selected as isize + by).clamp(0, rows as isize - 1);
        self.selected = next as usize;
        if self.view == View::Detail {
            self.detail = self.rows().get(self.selected).cloned();
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
                self.message = Some(format!("{source}: {message}"))
            }
            Update::Finished { source } => {
                self.loading.retain(|l| l.source != source);
                if self.loading.is_empty() {
                    if self.message.is_none() {
                        let n = self.timeline.snapshots.len();
                        self.message = Some(format!("loaded {n} snapshots"));
                    }
                    self.refresh_suspects();
                }
            }
            Update::Diagnostics(diagnostics) => {
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
        if sort {
            self.timeline.apply(Update::Snapshots(snapshots));
        } else {
            self.timeline.snapshots.extend(snapshots);
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
        // Live data is judged as it comes. The diagnosis takes ~1 ms on 60 snapshots but
        // ~200 ms on 10,000 (benches/analysis.rs), so past 1,000 every 10th batch is enough.
        let n = self.timeline.snapshots.len();
        if self.mode == Mode::Live && (n < 1000 || n % 10 == 0) {
            self.refresh_suspects();
        }
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
