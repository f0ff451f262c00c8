//! Terminal modes on and off. Everything turned on (raw mode, alternate screen, bracketed
//! paste, mouse capture) is turned off again by a guard's `Drop` on return and error, and by a
//! panic hook before the panic message prints — so a crash leaves a usable shell.

use std::io::{self, Write};
use std::sync::Once;

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Turning the terminal's modes on and off; a fake in tests records the calls.
pub trait TerminalModes {
    fn enter(&mut self) -> io::Result<()>;
    /// Turns off everything `enter` turned on; tries every step even when one fails.
    fn restore(&mut self) -> io::Result<()>;
}

/// The real terminal, on stdout.
pub struct CrosstermModes;

impl TerminalModes for CrosstermModes {
    fn enter(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture
        )
    }

    fn restore(&mut self) -> io::Result<()> {
        restore_terminal()
    }
}

/// Restores stdout's terminal: every step is attempted; the first error is returned.
pub fn restore_terminal() -> io::Result<()> {
    let mut out = io::stdout();
    let results = [
        disable_raw_mode(),
        execute!(out, DisableMouseCapture),
        execute!(out, DisableBracketedPaste),
        // Blank the alternate screen before leaving it: tmux (3.3) otherwise shows part of it
        // on the normal screen when the window was resized while the dashboard ran.
        execute!(out, Clear(ClearType::All)),
        execute!(out, LeaveAlternateScreen),
        execute!(out, Show),
        out.flush(),
    ];
    results
        .into_iter()
        .collect::<io::Result<Vec<()>>>()
        .map(|_| ())
}

/// Holds the terminal in the dashboard's modes; dropping it restores them.
pub struct TerminalGuard<M: TerminalModes> {
    modes: M,
}

impl<M: TerminalModes> TerminalGuard<M> {
    /// Turns the modes on; if that fails half-way, what was turned on is turned off again.
    pub fn enter(mut modes: M) -> io::Result<Self> {
        if let Err(error) = modes.enter() {
            let _ = modes.restore();
            return Err(error);
        }
        Ok(TerminalGuard { modes })
    }
}

impl<M: TerminalModes> Drop for TerminalGuard<M> {
    fn drop(&mut self) {
        // Nothing useful can be done with an error here; never panic in Drop.
        let _ = self.modes.restore();
    }
}

/// Installs (once per process) a panic hook that restores the terminal, then runs the
/// previous hook so the panic message prints on a normal screen. A panic on a worker thread
/// is left to the main thread to report (see [`super::signals`]), which ends the dashboard.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| chain_panic_hook(|| drop(restore_terminal())));
    // Outermost, so a worker's panic does not restore the terminal under a running dashboard.
    super::signals::install_worker_panic_hook();
}

/// Runs `restore` first on every panic, then the hook that was installed before.
pub fn chain_panic_hook(restore: impl Fn() + Send + Sync + 'static) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Ends the process when the controlling terminal hangs up (its tmux pane or ssh session
/// closed), as two SIGHUPs would.
///
/// The kernel sends SIGHUP only to the session leader (the shell), and crossterm 0.29's event
/// reader spins on a hung-up terminal's endless `read(0) = 0` without ever returning, even with
/// a timeout (crossterm-rs/crossterm#793, fix not released): the dashboard stayed, orphaned, at
/// 20–100% CPU after `tmux kill-session`. A thread blocks in `poll` on `/dev/tty` (no CPU while
/// it waits) and on the hangup raises SIGHUP: the signal rules then apply — the event loop ends
/// on its next look at the flags, and if it is stuck inside crossterm, a second SIGHUP a second
/// later ends the process at once with 129. Records are flushed as written, so nothing is lost.
#[cfg(unix)]
pub fn watch_for_hangup() {
    let Ok(tty) = std::fs::File::open("/dev/tty") else {
        return; // no controlling terminal: nothing to hang up
    };
    let _ = std::thread::Builder::new()
        .name("hangup watch".into())
        .spawn(move || {
            use rustix::event::{PollFd, PollFlags, poll};
            loop {
                // No events asked: poll reports only a hangup or an error, and sleeps until then.
                let mut fds = [PollFd::new(&tty, PollFlags::empty())];
                match poll(&mut fds, None) {
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(_) => return,
                    Ok(_) => {}
                }
                let revents = fds[0].revents();
                if revents.intersects(PollFlags::HUP | PollFlags::ERR) {
                    break;
                }
                if revents.contains(PollFlags::NVAL) {
                    return;
                }
            }
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGHUP);
            std::thread::sleep(std::time::Duration::from_secs(1));
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGHUP);
        });
}
