//! Signals and worker panics in `view`, `live` and `replay`: each must leave the terminal as
//! it was found.
//!
//! - SIGTERM, SIGHUP, SIGINT and SIGQUIT (sent with `kill`, `timeout`, systemd, `kubectl`)
//!   end the event loop with [`Terminated`]: the terminal guard restores the terminal, `live`
//!   stops its sources (killing `jcmd` and `--cmd` process groups; every record is already
//!   flushed), and `main` exits with 128 + the signal's number. A second such signal while
//!   shutting down ends the process at once.
//! - SIGTSTP (`kill -TSTP`; Ctrl-Z arrives as a key in raw mode) leaves the alternate screen and
//!   raw mode and stops the process; on SIGCONT both are restored and the screen redrawn.
//! - A panic on any thread but `main` (a loader, a source) is recorded by the panic hook and
//!   ends the event loop with [`WorkerPanicked`], like a panic on the main thread (exit 101).
//!
//! The handlers only set flags (all that is safe in a signal handler); the event loop looks at
//! them between events, at least every tick (100 ms).

use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Event;
use super::terminal::{CrosstermModes, TerminalModes, restore_terminal};

/// The event loop was ended by a signal; the process exits with 128 + the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("terminated by signal {0}")]
pub struct Terminated(pub i32);

/// A worker thread panicked; its panic message (with thread and location).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: {0}")]
pub struct WorkerPanicked(pub String);

/// The exit code for an error that ended the event loop, if it is one of this module's:
/// 128 + n for a signal, 101 (Rust's panic code) for a worker panic.
pub fn exit_code(error: &anyhow::Error) -> Option<u8> {
    error.chain().find_map(|cause| {
        let inner = cause
            .downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            .map(|e| e as &(dyn std::error::Error + 'static));
        [Some(cause), inner].into_iter().flatten().find_map(|e| {
            if let Some(Terminated(n)) = e.downcast_ref::<Terminated>() {
                return Some(u8::try_from(128 + n).unwrap_or(u8::MAX));
            }
            e.downcast_ref::<WorkerPanicked>().map(|_| 101)
        })
    })
}

/// True for errors that already said everything by their exit code (a signal).
pub fn is_quiet(error: &anyhow::Error) -> bool {
    exit_code(error).is_some_and(|code| code != 101)
}

/// The flags the handlers set.
#[derive(Debug)]
pub struct Signals {
    /// The number of the last terminating signal, 0 for none.
    exit: Arc<AtomicUsize>,
    suspend: Arc<AtomicBool>,
    resumed: Arc<AtomicBool>,
}

#[cfg(unix)]
const EXIT_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

impl Signals {
    /// The process's handlers, installed on first use. Installing can fail only on an
    /// invalid signal number; then signals keep their default actions.
    pub fn get() -> &'static Signals {
        static SIGNALS: OnceLock<Signals> = OnceLock::new();
        SIGNALS.get_or_init(|| {
            let signals = Signals {
                exit: Arc::new(AtomicUsize::new(0)),
                suspend: Arc::new(AtomicBool::new(false)),
                resumed: Arc::new(AtomicBool::new(false)),
            };
            let _ = signals.register();
            signals
        })
    }

    #[cfg(unix)]
    fn register(&self) -> io::Result<()> {
        use signal_hook::flag;
        let shutting_down = Arc::new(AtomicBool::new(false));
        for signal in EXIT_SIGNALS {
            // Order matters: the shutdown fires only when an earlier signal armed it.
            flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&shutting_down))?;
            flag::register(signal, Arc::clone(&shutting_down))?;
            let number = usize::try_from(signal).unwrap_or_default();
            flag::register_usize(signal, Arc::clone(&self.exit), number)?;
        }
        flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&self.suspend))?;
        flag::register(signal_hook::consts::SIGCONT, Arc::clone(&self.resumed))?;
        Ok(())
    }

    #[cfg(not(unix))]
    fn register(&self) -> io::Result<()> {
        Ok(())
    }

    /// Why the event loop must end now, if it must: a terminating signal or a worker panic,
    /// as an I/O error (what the event source returns) that [`exit_code`] recognises.
    pub fn exit_reason(&self) -> Option<io::Error> {
        if let Some(message) = worker_panic() {
            return Some(io::Error::other(WorkerPanicked(message)));
        }
        let signal = self.exit.load(Ordering::SeqCst);
        (signal != 0)
            .then(|| io::Error::other(Terminated(i32::try_from(signal).unwrap_or(i32::MAX))))
    }

    /// True (once) when SIGTSTP arrived.
    fn take_suspend(&self) -> bool {
        self.suspend.swap(false, Ordering::SeqCst)
    }

    /// True (once) when SIGCONT arrived.
    fn take_resumed(&self) -> bool {
        self.resumed.swap(false, Ordering::SeqCst)
    }
}

/// Stops the process the way SIGTSTP's default action would, and returns once continued.
#[cfg(unix)]
fn stop_self() {
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
}

#[cfg(not(unix))]
fn stop_self() {}

/// Stops the process without a terminal in raw mode (headless `live`), when SIGTSTP arrived.
pub fn suspend_if_asked(signals: &Signals) {
    if signals.take_suspend() {
        stop_self();
        signals.take_resumed();
    }
}

/// Ctrl-Z as crossterm reports it in raw mode (the terminal sends no SIGTSTP then).
fn is_suspend_key(event: &Event) -> bool {
    matches!(event, Event::Key(KeyEvent { code: KeyCode::Char('z'), modifiers, .. })
        if modifiers.contains(KeyModifiers::CONTROL))
}

/// Wraps the dashboard's event source: ends the loop (as an error) on a terminating signal
/// or worker panic, and suspends on SIGTSTP/Ctrl-Z. After a suspension (or any SIGCONT) it
/// returns a [`Event::Resize`] so the loop clears and redraws the whole screen.
pub fn watch(
    signals: &'static Signals,
    mut next_event: impl FnMut(Duration) -> io::Result<Option<Event>>,
) -> impl FnMut(Duration) -> io::Result<Option<Event>> {
    move |timeout| {
        if let Some(reason) = signals.exit_reason() {
            return Err(reason);
        }
        let mut suspend = signals.take_suspend();
        let mut event = None;
        if !suspend {
            event = next_event(timeout)?;
            suspend = event.as_ref().is_some_and(is_suspend_key) || signals.take_suspend();
        }
        if suspend {
            // Leave the terminal as the shell expects it, stop, and take it back once continued.
            let _ = restore_terminal();
            stop_self();
            CrosstermModes.enter()?;
            signals.take_resumed();
            return Ok(Some(redraw()));
        }
        if signals.take_resumed() {
            // Continued after a SIGSTOP we did not see coming: the screen may be stale.
            return Ok(Some(redraw()));
        }
        Ok(event)
    }
}

/// A resize: the loop clears the screen and draws it whole, at the terminal's current size.
fn redraw() -> Event {
    Event::Resize
}

/// True while an event loop watches for worker panics (from the first
/// [`install_worker_panic_hook`]); otherwise panics print as usual.
static WATCHING: AtomicBool = AtomicBool::new(false);

/// The first worker panic's message, kept by the panic hook.
fn worker_panics() -> &'static Mutex<Option<String>> {
    static PANIC: OnceLock<Mutex<Option<String>>> = OnceLock::new();
    PANIC.get_or_init(|| Mutex::new(None))
}

fn worker_panic() -> Option<String> {
    match worker_panics().lock() {
        Ok(guard) => guard.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Installs (once per process, before the terminal's hook so it runs first) a panic hook that
/// keeps a worker thread's panic for [`Signals::exit_reason`] instead of printing it; panics
/// on the main thread go on to the hooks installed before.
pub fn install_worker_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    WATCHING.store(true, Ordering::SeqCst);
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !note_worker_panic(info) {
                previous(info);
            }
        }));
    });
}

/// Called by the panic hook: true (and the message kept) when the panic is on a worker
/// thread, whose panic must end the app from the main thread instead of being printed over
/// the dashboard.
pub fn note_worker_panic(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("unnamed");
    if name == "main" || !WATCHING.load(Ordering::SeqCst) {
        return false;
    }
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "Box<dyn Any>".to_string());
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let mut slot = match worker_panics().lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if slot.is_none() {
        *slot = Some(format!("thread '{name}' panicked{location}: {message}"));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_found_through_io_errors_and_context() {
        let term = anyhow::Error::from(io::Error::other(Terminated(15)));
        assert_eq!(exit_code(&term), Some(143));
        assert!(is_quiet(&term));
        let hup = anyhow::Error::from(Terminated(1)).context("dashboard");
        assert_eq!(exit_code(&hup), Some(129));
        let panic = anyhow::Error::from(io::Error::other(WorkerPanicked("x".into())));
        assert_eq!(exit_code(&panic), Some(101));
        assert!(!is_quiet(&panic));
        assert_eq!(exit_code(&anyhow::anyhow!("other")), None);
    }

    #[test]
    fn a_worker_panic_ends_the_event_loop_with_its_message() {
        install_worker_panic_hook();
        let worker = std::thread::Builder::new()
            .name("jvmem-load".into())
            .spawn(|| {
                let input: Vec<u8> = Vec::new();
                // What a loader bug would look like: an index out of bounds.
                input[usize::from(input.is_empty())]
            })
            .expect("spawn");
        assert!(worker.join().is_err());
        WATCHING.store(false, Ordering::SeqCst);
        // The dashboard's event source now ends the loop, however many events are waiting.
        let mut next = watch(Signals::get(), |_| Ok(Some(Event::Tick)));
        let error = anyhow::Error::from(next(Duration::ZERO).expect_err("ends"));
        assert_eq!(exit_code(&error), Some(101));
        let message = format!("{error:#}");
        assert!(
            message.contains("thread 'jvmem-load' panicked at src/tui/signals.rs")
                && message.contains("index out of bounds"),
            "{message}"
        );
    }

    #[test]
    fn ctrl_z_is_the_suspend_key() {
        let z = |m| Event::Key(KeyEvent::new(KeyCode::Char('z'), m));
        assert!(is_suspend_key(&z(KeyModifiers::CONTROL)));
        assert!(!is_suspend_key(&z(KeyModifiers::NONE)));
    }
}
