//! The terminal dashboard (ratatui + crossterm), used by every mode that shows a timeline:
//! `view`, `diff` on a terminal, `live`, `replay` and `demo`.
//!
//! - [`app`]: the state machine ([`App::handle`]) and pure [`render`];
//! - [`keys`]: key → action mapping, a pure function over one table the help also reads;
//! - [`judge`]: the diagnosis, on its own thread, as of the cursor;
//! - [`driller`]: drill-downs asked for from the detail view, on their own thread;
//! - [`metrics`]: what the header and tables show, computed from the model;
//! - `views/`: one `render(f, area, &app)` per screen region;
//! - [`fleet`], [`fleet_loop`]: `jvmem fleet`'s table of JVMs, whose Enter opens this
//!   dashboard on one of them;
//! - [`terminal`]: raw mode / alternate screen / paste / mouse on, and always off again.
//!
//! [`run`] is the one event loop: terminal events, model updates from a channel (loaders,
//! live sources and pastes run on their own threads), judgements from the diagnosis thread,
//! and a tick; it redraws only when something changed. The app starts no thread.

pub mod app;
pub mod driller;
pub mod fleet;
pub mod fleet_loop;
pub mod judge;
pub mod keys;
pub mod metrics;
pub mod signals;
pub mod terminal;
pub mod theme;
mod views;

#[cfg(test)]
mod drill_tests;
#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod loader_tests;
#[cfg(test)]
mod loading_tests;
#[cfg(test)]
mod loop_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod verdict_tests;

use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use jvmem::live::{PasteSource, Sink};
use jvmem::model::Update;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self as ct, Event as CtEvent};

pub use app::{App, Control, Event, Mode, View, render};
pub use driller::Driller;
pub use judge::{DiagnoseFn, Judge};

/// How often time passes for the app when nothing else happens (replay steps, loading).
const TICK: Duration = Duration::from_millis(100);

/// At most this many updates are applied between two redraws, so a flood of snapshots from a
/// fast source cannot starve the keyboard.
const UPDATES_PER_FRAME: usize = 64;

/// What feeds the loop besides the terminal: the sources' updates, the paste source (pastes
/// are one more live source: parsed, recorded when recording, sent back as updates) and the
/// diagnosis thread.
pub struct Feeds {
    pub updates: Receiver<Update>,
    pub pastes: Option<PasteSource>,
    pub judge: Option<Judge>,
    /// Takes drill-downs asked for with `d` (only with a live JVM).
    pub driller: Option<Driller>,
}

impl Feeds {
    /// Updates only: no pastes, no diagnosis (tests of the loop).
    #[cfg(test)]
    pub fn new(updates: Receiver<Update>) -> Feeds {
        Feeds {
            updates,
            pastes: None,
            judge: None,
            driller: None,
        }
    }

    /// Everything the dashboard needs: pastes go to `paste_sink` (with the recorder when
    /// recording), the diagnosis runs on its own thread over the app's timeline, shared.
    pub fn start(
        app: &App,
        updates: Receiver<Update>,
        paste_sink: Sink,
        diagnose: DiagnoseFn,
    ) -> std::io::Result<Feeds> {
        let driller = match app.drill_target() {
            Some(target) => Some(Driller::spawn(target.clone(), paste_sink.clone())?),
            None => None,
        };
        Ok(Feeds {
            updates,
            pastes: Some(PasteSource::spawn(paste_sink)?),
            judge: Some(Judge::spawn(diagnose)?),
            driller,
        })
    }

    /// Waits for pastes still being read (and recorded), then stops them.
    pub fn finish(self) {
        if let Some(pastes) = self.pastes {
            pastes.finish();
        }
    }
}

/// Runs the dashboard on the real terminal until the user quits: the one runner of every
/// command. Pastes go to `paste_sink`. The terminal is restored on return, on error and on
/// panic.
pub fn run(app: App, updates: Receiver<Update>, paste_sink: Sink) -> Result<()> {
    let feeds = Feeds::start(&app, updates, paste_sink, judge::report_diagnosis())?;
    terminal::install_panic_hook();
    let guard = terminal::TerminalGuard::enter(terminal::CrosstermModes)?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut term = Terminal::new(backend)?;
    term.clear()?;
    let signals = signals::Signals::get();
    #[cfg(unix)]
    terminal::watch_for_hangup();
    let next_event = signals::watch(signals, crossterm_event);
    let result = run_loop(&mut term, app, &feeds, next_event, local_now);
    drop(guard);
    feeds.finish();
    // The process ends next: freeing a big timeline piece by piece (0.3 s at 100k snapshots)
    // would only delay the shell prompt after `q`.
    result.map(std::mem::forget)
}

/// The current local time, as the app receives it.
pub fn local_now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// Waits up to `timeout` for a terminal event; `None` when the time passed without one.
pub(crate) fn crossterm_event(timeout: Duration) -> std::io::Result<Option<Event>> {
    if !ct::poll(timeout)? {
        return Ok(None);
    }
    Ok(match ct::read()? {
        CtEvent::Key(key) => Some(Event::Key(key)),
        CtEvent::Mouse(mouse) => Some(Event::Mouse(mouse)),
        CtEvent::Paste(text) => Some(Event::Paste(text)),
        CtEvent::Resize(..) => Some(Event::Resize),
        CtEvent::FocusGained | CtEvent::FocusLost => None,
    })
}

/// The loop, generic over the backend and the event source so tests run the real thing on a
/// `TestBackend` with scripted events. Returns the app when the user quits.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: App,
    feeds: &Feeds,
    mut next_event: impl FnMut(Duration) -> std::io::Result<Option<Event>>,
    mut clock: impl FnMut() -> DateTime<FixedOffset>,
) -> Result<App>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let mut updates_open = true;
    loop {
        if let Some(judgement) = feeds.judge.as_ref().and_then(Judge::try_result) {
            app.handle(Event::Judged(judgement), clock());
        }
        if app.take_dirty() {
            terminal.draw(|frame| render(&app, frame))?;
        }
        let mut applied = 0;
        while updates_open && applied < UPDATES_PER_FRAME {
            match feeds.updates.try_recv() {
                Ok(update) => {
                    app.handle(Event::Update(update), clock());
                    applied += 1;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => updates_open = false,
            }
        }
        if let Some(judge) = &feeds.judge {
            if let Some(request) = app.take_judge_request() {
                judge.request(request, app.shared_timeline());
            }
        }
        if let Some(driller) = &feeds.driller {
            if let Some(topic) = app.take_drill_request() {
                driller.request(topic);
            }
            // Its captures come on `updates` (before it, or in the next round); the judgement follows.
            if let Some(outcome) = driller.try_result() {
                app.handle(Event::Drilled(outcome), clock());
                continue;
            }
        }
        if applied > 0 {
            continue;
        }
        let event = next_event(TICK)?.unwrap_or(Event::Tick);
        if let (Event::Paste(text), Some(pastes)) = (&event, &feeds.pastes) {
            pastes.paste(text.clone(), clock());
        }
        if let Event::Resize = event {
            // Back from a suspension or resized: draw every cell again, not only changes.
            terminal.clear()?;
        }
        if app.handle(event, clock()) == Control::Quit {
            return Ok(app);
        }
    }
}
