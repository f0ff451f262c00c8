//! The fleet view's event loop: the table until Enter, then the dashboard's own loop
//! ([`super::run_loop`]) on the selected JVM until Esc brings the table back (or `q` quits
//! both). One terminal guard and one signal watch for the whole run, so every way out —
//! `q`, Ctrl-c, a signal, a hang-up, an error, a panic — restores the terminal.
//!
//! Every read runs on a thread of its own (a 1,000-JVM fleet takes seconds to minutes), the
//! first one too: the screen opens at once and keeps answering keys (q, Esc, Ctrl-c and the
//! signals leave at any time; the read's thread ends with the process), shows how far the
//! read has come, and the rows (or the error) when they come. `r` starts the same read
//! again; [`run_fleet_loop`] starts them all in one place.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use jvmem::fleet::{Fleet, ReadProgress};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::Event;
use super::fleet::{FleetApp, FleetControl};
use super::judge::{DiagnoseFn, Judge};
use super::{Feeds, TICK, run_loop, signals, terminal};

/// Reads the fleet (from the command: the same client, selector and window, up to now),
/// reporting its progress to the function it is given.
pub type ReadFleet =
    Arc<dyn Fn(&mut dyn FnMut(ReadProgress)) -> Result<Fleet, String> + Send + Sync>;

/// How an opened JVM is judged (the report's diagnosis; tests may inject another).
pub type DiagnoseFactory = Box<dyn Fn() -> DiagnoseFn>;

/// Runs the fleet view on the real terminal until the user quits; the app as it was then.
pub fn run(app: FleetApp, read: Option<ReadFleet>) -> Result<FleetApp> {
    terminal::install_panic_hook();
    let guard = terminal::TerminalGuard::enter(terminal::CrosstermModes)?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut term = Terminal::new(backend)?;
    term.clear()?;
    #[cfg(unix)]
    terminal::watch_for_hangup();
    let next_event = signals::watch(signals::Signals::get(), super::crossterm_event);
    let diagnose: DiagnoseFactory = Box::new(super::judge::report_diagnosis);
    let result = run_fleet_loop(
        &mut term,
        app,
        read,
        &diagnose,
        next_event,
        super::local_now,
    );
    drop(guard);
    result
}

/// What a read's thread sends.
enum ReadMessage {
    Progress(ReadProgress),
    Done(Result<Fleet, String>),
}

/// A read running on its own thread.
struct Reading {
    messages: Receiver<ReadMessage>,
}

impl Reading {
    fn start(read: &ReadFleet) -> std::io::Result<Reading> {
        let (tx, messages) = mpsc::channel();
        let read = Arc::clone(read);
        std::thread::Builder::new()
            .name("jvmem fleet read".into())
            .spawn(move || {
                let progress = tx.clone();
                let result = read(&mut |p| {
                    let _ = progress.send(ReadMessage::Progress(p));
                });
                let _ = tx.send(ReadMessage::Done(result));
            })?;
        Ok(Reading { messages })
    }

    /// Hands the app the progress sent since the last call; the result, once there is one
    /// (`Some(Err)` when the thread ended without one).
    fn poll(&self, app: &mut FleetApp) -> Option<Result<Fleet, String>> {
        loop {
            match self.messages.try_recv() {
                Ok(ReadMessage::Progress(p)) => app.read_progress(p),
                Ok(ReadMessage::Done(result)) => return Some(result),
                Err(mpsc::TryRecvError::Empty) => return None,
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Some(Err("the read stopped".into()));
                }
            }
        }
    }
}

/// The loop, generic over the backend and the event source (tests run it on a `TestBackend`
/// with scripted events). Returns the fleet app when the user quits.
pub fn run_fleet_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: FleetApp,
    read: Option<ReadFleet>,
    diagnose: &DiagnoseFactory,
    mut next_event: impl FnMut(Duration) -> std::io::Result<Option<Event>>,
    mut clock: impl FnMut() -> DateTime<FixedOffset>,
) -> Result<FleetApp>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let mut reading: Option<Reading> = None;
    // An app without a fleet yet ([`FleetApp::reading`]) starts with the read `r` starts.
    let mut control = if app.refreshing() {
        FleetControl::Refresh
    } else {
        FleetControl::Continue
    };
    loop {
        match control {
            FleetControl::Continue => {}
            FleetControl::Quit => return Ok(app),
            FleetControl::Refresh => match &read {
                Some(read) if reading.is_none() => {
                    reading = Some(Reading::start(read)?);
                    app.read_started(clock());
                }
                Some(_) => {}
                None => app.refreshed(Err("no Prometheus to read from".into()), clock()),
            },
            FleetControl::Open(index) => {
                if let Some(jvm) = app.open(index) {
                    // No source sends updates: the channel is closed from the start.
                    let (_, updates) = mpsc::channel();
                    let feeds = Feeds {
                        updates,
                        pastes: None,
                        judge: Some(Judge::spawn(diagnose())?),
                        driller: None,
                    };
                    terminal.clear()?;
                    let jvm = run_loop(terminal, jvm, &feeds, &mut next_event, &mut clock)?;
                    if !jvm.went_back() {
                        return Ok(app);
                    }
                    terminal.clear()?;
                    app.touch();
                }
            }
        }
        if let Some(result) = reading.as_ref().and_then(|r| r.poll(&mut app)) {
            reading = None;
            app.refreshed(result, clock());
        }
        if app.take_dirty() {
            terminal.draw(|frame| super::views::fleet::render(&app, frame))?;
        }
        let event = next_event(TICK)?.unwrap_or(Event::Tick);
        if let Event::Resize = event {
            terminal.clear()?;
        }
        app.tick(clock());
        control = app.handle(&event);
    }
}
