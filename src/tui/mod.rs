//! The terminal dashboard (ratatui + crossterm), used by every mode that shows a timeline:
//! `view`, `diff` on a terminal, and (issue 5) `live` and `replay`.
//!
//! - [`app`]: the state machine ([`App::handle`]) and pure [`render`];
//! - [`keys`]: key → action mapping, a pure function;
//! - [`metrics`]: what the header and tables show, computed from the model;
//! - `views/`: one `render(f, area, &app)` per screen region;
//! - [`terminal`]: raw mode / alternate screen / paste / mouse on, and always off again.
//!
//! [`run`] is the event loop: terminal events, model updates from a channel (loaders and live
//! sources run on their own threads), and a tick; it redraws only when something changed.

pub mod app;
pub mod keys;
pub mod metrics;
pub mod paste;
pub mod signals;
pub mod terminal;
pub mod theme;
mod views;

#[cfg(test)]
mod paste_tests;
#[cfg(test)]
mod tests;

use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use jvmem::model::Update;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self as ct, Event as CtEvent};

pub use app::{App, Control, Event, Mode, SuspectMark, View, render};

/// How often time passes for the app when nothing else happens (replay steps, loading).
const TICK: Duration = Duration::from_millis(100);

/// At most this many updates are applied between two redraws, so a flood of snapshots from a
/// fast source cannot starve the keyboard.
const UPDATES_PER_FRAME: usize = 64;

/// Runs the dashboard on the real terminal until the user quits. The terminal is restored on
/// return, on error and on panic.
pub fn run(app: App, updates: Receiver<Update>) -> Result<()> {
    terminal::install_panic_hook();
    let guard = terminal::TerminalGuard::enter(terminal::CrosstermModes)?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut term = Terminal::new(backend)?;
    term.clear()?;
    let next_event = signals::watch(signals::Signals::get(), crossterm_event);
    let result = run_loop(&mut term, app, &updates, next_event, local_now);
    drop(guard);
    result.map(|_| ())
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
        CtEvent::Resize(w, h) => Some(Event::Resize(w, h)),
        CtEvent::FocusGained | CtEvent::FocusLost => None,
    })
}

/// The loop, generic over the backend and the event source so tests run the real thing on a
/// `TestBackend` with scripted events. Returns the app when the user quits.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: App,
    updates: &Receiver<Update>,
    mut next_event: impl FnMut(Duration) -> std::io::Result<Option<Event>>,
    mut clock: impl FnMut() -> DateTime<FixedOffset>,
) -> Result<App>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let mut updates_open = true;
    loop {
        app.poll_pastes();
        if app.take_dirty() {
            terminal.draw(|frame| render(&app, frame))?;
        }
        let mut applied = 0;
        while updates_open && applied < UPDATES_PER_FRAME {
            match updates.try_recv() {
                Ok(update) => {
                    app.handle(Event::Update(update), clock());
                    applied += 1;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => updates_open = false,
            }
        }
        if applied > 0 {
            continue;
        }
        let event = next_event(TICK)?.unwrap_or(Event::Tick);
        if let Event::Resize(..) = event {
            // Back from a suspension or resized: draw every cell again, not only changes.
            terminal.clear()?;
        }
        if app.handle(event, clock()) == Control::Quit {
            return Ok(app);
        }
    }
}
