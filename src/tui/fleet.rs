//! The fleet view (`jvmem fleet` on a terminal): the JVMs of a Prometheus, ranked by time to
//! the limit, one row each. Enter opens the selected JVM's timeline in the dashboard's own
//! views ([`FleetApp::open`] builds the same [`App`] `jvmem view` runs); Esc on its overview
//! comes back here. `r` reads the fleet again, off the UI thread ([`super::fleet_loop`]).
//! The first read goes the same way: [`FleetApp::reading`] opens the screen at once, saying
//! how far the read has come, and shows its error if it fails (`r` tries again).
//!
//! Like [`App`], a state machine with one entry, [`FleetApp::handle`], and a pure render
//! (`views/fleet.rs`); the keys are one table, [`FLEET_BINDINGS`], that the help reads too.

use std::cell::Cell;

use chrono::{DateTime, FixedOffset};
use jvmem::fleet::{Exporter, Fleet, FleetRow, ReadProgress, names};
use jvmem::report::sanitize::printable;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::app::{App, Event, Mode};
use super::theme::Theme;

/// What a key does in the fleet table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetAction {
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Refresh,
    ToggleHelp,
}

/// Keys bound to one action, and what the help says.
pub struct FleetBinding {
    pub keys: &'static [KeyCode],
    pub action: FleetAction,
    pub help: &'static str,
}

const fn bind(keys: &'static [KeyCode], action: FleetAction, help: &'static str) -> FleetBinding {
    FleetBinding { keys, action, help }
}

/// Every key of the fleet table.
pub const FLEET_BINDINGS: &[FleetBinding] = &[
    bind(&[KeyCode::Char('q')], FleetAction::Quit, "quit"),
    bind(
        &[KeyCode::Esc],
        FleetAction::Back,
        "close the help (before a fleet is read: quit)",
    ),
    bind(
        &[KeyCode::Char('j'), KeyCode::Down],
        FleetAction::Down,
        "next JVM (also the wheel)",
    ),
    bind(
        &[KeyCode::Char('k'), KeyCode::Up],
        FleetAction::Up,
        "previous JVM",
    ),
    bind(&[KeyCode::PageDown], FleetAction::PageDown, "page down"),
    bind(&[KeyCode::PageUp], FleetAction::PageUp, "page up"),
    bind(
        &[KeyCode::Char('g'), KeyCode::Home],
        FleetAction::First,
        "first JVM",
    ),
    bind(
        &[KeyCode::Char('G'), KeyCode::End],
        FleetAction::Last,
        "last JVM",
    ),
    bind(
        &[KeyCode::Enter],
        FleetAction::Open,
        "open the JVM's timeline (overview, detail, GC; Esc comes back)",
    ),
    bind(
        &[KeyCode::Char('r')],
        FleetAction::Refresh,
        "read the fleet from Prometheus again",
    ),
    bind(&[KeyCode::Char('?')], FleetAction::ToggleHelp, "this help"),
];

/// The action of a key in the fleet table; `None` for keys that mean nothing there.
pub fn fleet_action(key: KeyEvent) -> Option<FleetAction> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(FleetAction::Quit);
    }
    FLEET_BINDINGS
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

/// What the loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetControl {
    Continue,
    Quit,
    /// Open the row at this index in the dashboard.
    Open(usize),
    /// Read the fleet again (the loop starts it unless one is running).
    Refresh,
}

/// Where the fleet was read from, for the header: `http://prom:9090 {namespace="prod"}, last 1h`.
#[derive(Debug, Clone, Default)]
pub struct FleetSource {
    /// The Prometheus URL, for "reading Prometheus at …".
    pub url: String,
    pub label: String,
    /// The `--limit` given, which overrides every JVM's own (also in the opened dashboards).
    pub limit_bytes: Option<u64>,
}

/// The fleet table's state.
pub struct FleetApp {
    pub(super) fleet: Fleet,
    /// Each row's short name ([`names::short_names`]), in row order.
    pub(super) names: Vec<String>,
    pub(super) selected: usize,
    /// The first row drawn; kept by the render so the selection moves before the page does.
    pub(super) offset: Cell<usize>,
    /// Rows the last drawn page held (PgUp/PgDn move by it).
    pub(super) page: Cell<usize>,
    pub(super) source: FleetSource,
    pub(super) read_at: DateTime<FixedOffset>,
    /// A read is running (the first one or `r`).
    pub(super) refreshing: bool,
    /// How far the running read has come.
    pub(super) progress: ReadProgress,
    /// When the running read started, and the clock's last tick (for "… 12 s").
    pub(super) started: Option<DateTime<FixedOffset>>,
    pub(super) now: DateTime<FixedOffset>,
    /// A read with JVMs has arrived: the table shows them. Until then the screen says how
    /// the read goes, or why it failed.
    pub(super) loaded: bool,
    /// Why the last read found no fleet, while none has been read (the exit code says it too).
    pub(super) failure: Option<String>,
    pub(super) message: Option<String>,
    pub(super) help: bool,
    pub(super) theme: Theme,
    dirty: bool,
}

impl FleetApp {
    pub fn new(fleet: Fleet, source: FleetSource, read_at: DateTime<FixedOffset>) -> FleetApp {
        let mut app = FleetApp {
            fleet,
            names: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            page: Cell::new(10),
            source,
            read_at,
            refreshing: false,
            progress: ReadProgress::default(),
            started: None,
            now: read_at,
            loaded: true,
            failure: None,
            message: None,
            help: false,
            theme: Theme::from_env(),
            dirty: true,
        };
        app.names = app.short_names();
        app
    }

    /// No fleet yet: the first read is to start (the loop starts it as it starts `r`'s).
    pub fn reading(source: FleetSource, now: DateTime<FixedOffset>) -> FleetApp {
        let mut app = FleetApp::new(Fleet::empty(), source, now);
        app.loaded = false;
        app.refreshing = true;
        app
    }

    /// Whether a read is running; the loop starts one when an app begins with it.
    pub fn refreshing(&self) -> bool {
        self.refreshing
    }

    /// Why no fleet could be read, when none was: the last read's error, or that Prometheus
    /// had no series (kept while `r` tries again). `None` before the first read ends and once
    /// a fleet is shown.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Whether a fleet has been read and shown.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// The running read has started (at `now`).
    pub fn read_started(&mut self, now: DateTime<FixedOffset>) {
        self.started = Some(now);
        self.now = now;
        self.progress = ReadProgress::default();
        self.dirty = true;
    }

    /// The running read has come this far.
    pub fn read_progress(&mut self, progress: ReadProgress) {
        if progress != self.progress {
            self.progress = progress;
            self.dirty = true;
        }
    }

    /// The clock, between events: the waiting screen counts the seconds of the read.
    pub fn tick(&mut self, now: DateTime<FixedOffset>) {
        if self.refreshing && !self.loaded && now.timestamp() != self.now.timestamp() {
            self.dirty = true;
        }
        self.now = now;
    }

    #[cfg(test)]
    pub fn with_color(mut self, color: bool) -> FleetApp {
        self.theme = Theme::new(color);
        self
    }

    fn short_names(&self) -> Vec<String> {
        let keys: Vec<&str> = self.fleet.rows.iter().map(|r| r.jvm.as_str()).collect();
        names::short_names(&keys)
    }

    pub fn rows(&self) -> &[FleetRow] {
        &self.fleet.rows
    }

    pub fn exporter(&self) -> Exporter {
        self.fleet.exporter
    }

    /// The selected row's index.
    #[cfg(test)]
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// True once since the last call if anything visible changed.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    /// Draw again (back from a JVM's dashboard).
    pub fn touch(&mut self) {
        self.dirty = true;
    }

    /// Applies a terminal event; says what the loop should do.
    pub fn handle(&mut self, event: &Event) -> FleetControl {
        let action = match event {
            Event::Key(key) => match (self.help, fleet_action(*key)) {
                (_, Some(FleetAction::Quit)) => Some(FleetAction::Quit),
                // Any other key closes the help.
                (true, _) => Some(FleetAction::ToggleHelp),
                (false, action) => action,
            },
            Event::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => Some(FleetAction::Down),
                MouseEventKind::ScrollUp => Some(FleetAction::Up),
                _ => None,
            },
            Event::Resize => {
                self.dirty = true;
                None
            }
            _ => None,
        };
        match action {
            Some(action) => {
                self.dirty = true;
                self.act(action)
            }
            None => FleetControl::Continue,
        }
    }

    fn act(&mut self, action: FleetAction) -> FleetControl {
        let last = self.fleet.rows.len().saturating_sub(1);
        let page = self.page.get().max(1);
        match action {
            FleetAction::Quit => return FleetControl::Quit,
            FleetAction::Back if self.help => self.help = false,
            // Nothing to come back to before the first fleet: Esc leaves, as q does.
            FleetAction::Back if !self.loaded => return FleetControl::Quit,
            FleetAction::Back => self.message = Some("q quits".into()),
            FleetAction::Up => self.selected = self.selected.saturating_sub(1),
            FleetAction::Down => self.selected = (self.selected + 1).min(last),
            FleetAction::PageUp => self.selected = self.selected.saturating_sub(page),
            FleetAction::PageDown => self.selected = (self.selected + page).min(last),
            FleetAction::First => self.selected = 0,
            FleetAction::Last => self.selected = last,
            FleetAction::ToggleHelp => self.help = !self.help,
            FleetAction::Open if self.fleet.rows.is_empty() => {}
            FleetAction::Open => return FleetControl::Open(self.selected),
            FleetAction::Refresh if self.refreshing => {
                self.message = Some("still reading…".into());
            }
            FleetAction::Refresh => {
                self.refreshing = true;
                // Before the first fleet the whole screen says it.
                self.message = self.loaded.then(|| "reading the fleet again…".into());
                return FleetControl::Refresh;
            }
        }
        FleetControl::Continue
    }

    /// A re-read has finished: its rows replace these (the selection stays on the same JVM
    /// when it is still there), or its error is said and these are kept.
    pub fn refreshed(&mut self, result: Result<Fleet, String>, now: DateTime<FixedOffset>) {
        self.refreshing = false;
        self.started = None;
        self.dirty = true;
        if !self.loaded {
            self.first_read(result, now);
            return;
        }
        match result {
            Ok(fleet) if fleet.rows.is_empty() => {
                self.message = Some("read again: no JVM any more; kept the last table".into());
            }
            Ok(fleet) => {
                let selected = self.fleet.rows.get(self.selected).map(|r| r.jvm.clone());
                self.fleet = fleet;
                self.names = self.short_names();
                self.selected = selected
                    .and_then(|key| self.fleet.rows.iter().position(|r| r.jvm == key))
                    .unwrap_or(0);
                self.read_at = now;
                self.message = Some(format!("read again at {}", now.format("%H:%M:%S")));
            }
            Err(e) => self.message = Some(format!("reading again failed: {}", printable(&e))),
        }
    }

    /// The first fleet, or why there is none.
    fn first_read(&mut self, result: Result<Fleet, String>, now: DateTime<FixedOffset>) {
        match result {
            Ok(fleet) if fleet.rows.is_empty() => {
                self.failure = Some(format!(
                    "Prometheus has neither jvmem's nor Micrometer's series in this window for {}",
                    fleet.queries.join(" nor ")
                ));
            }
            Ok(fleet) => {
                self.message = fleet.without_pods().then(|| {
                    "Micrometer's series have no pod label: no working set or limit joined (see --pod-labels)".into()
                });
                self.fleet = fleet;
                self.names = self.short_names();
                self.selected = 0;
                self.read_at = now;
                self.loaded = true;
                self.failure = None;
            }
            // Prometheus' answer is quoted in it: shown inert.
            Err(e) => self.failure = Some(printable(&e).into_owned()),
        }
    }

    /// The dashboard on the JVM of row `index`: its timeline, its limit (or `--limit`), named
    /// in the status bar, with Esc on the overview coming back to the fleet.
    pub fn open(&self, index: usize) -> Option<App> {
        let row = self.fleet.rows.get(index)?;
        let timeline = self.fleet.timeline(&row.jvm)?.clone();
        let name = self
            .names
            .get(index)
            .map_or(row.jvm.as_str(), String::as_str);
        Some(
            App::new(timeline, Mode::View)
                .with_limit(self.source.limit_bytes)
                .with_source_label(format!("Esc: back to the fleet · {name}"))
                .with_back_to_fleet(),
        )
    }
}
