//! The real event loop (`run_loop`) on a `TestBackend` with scripted events, and the terminal
//! restored when something panics inside it or anywhere else.

use std::sync::{Arc, Mutex};

use jvmem::model::{Timeline, Update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::app::{App, Event, Mode, View};
use super::terminal::{TerminalGuard, TerminalModes};
use super::test_support::{load, now, press};

const HEAP_LEAK: &str = "samples/scenarios/heap-leak-jdk17-g1/nmt.log";

#[derive(Clone, Default)]
struct FakeModes(Arc<Mutex<Vec<&'static str>>>);

impl TerminalModes for FakeModes {
    fn enter(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap().push("enter");
        Ok(())
    }
    fn restore(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap().push("restore");
        Err(std::io::Error::other(
            "restoring may fail; Drop must not panic",
        ))
    }
}

#[test]
fn a_panic_inside_the_loop_restores_the_terminal() {
    let modes = FakeModes::default();
    let calls = Arc::clone(&modes.0);
    let result = std::panic::catch_unwind(move || {
        let _guard = TerminalGuard::enter(modes).unwrap();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let (_tx, rx) = std::sync::mpsc::channel();
        let app = App::new(load(&[HEAP_LEAK]), Mode::View);
        let _ = super::run_loop(
            &mut terminal,
            app,
            &super::Feeds::new(rx),
            |_| panic!("boom inside the loop"),
            now,
        );
    });
    assert!(result.is_err());
    assert_eq!(*calls.lock().unwrap(), vec!["enter", "restore"]);
}

#[test]
fn the_panic_hook_restores_before_the_message() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RESTORED: AtomicUsize = AtomicUsize::new(0);
    super::terminal::chain_panic_hook(|| {
        RESTORED.fetch_add(1, Ordering::SeqCst);
    });
    let _ = std::panic::catch_unwind(|| panic!("boom"));
    assert!(RESTORED.load(Ordering::SeqCst) >= 1);
}

#[test]
fn the_loop_quits_on_q_and_redraws_only_on_change() {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(Update::Snapshots(load(&[HEAP_LEAK]).snapshots.to_vec()))
        .unwrap();
    drop(tx);
    let mut script = vec![
        Some(press(KeyCode::Char('q'))),
        None,
        None,
        Some(Event::Resize),
        Some(press(KeyCode::Char('3'))),
    ];
    let app = App::new(Timeline::default(), Mode::Live).with_color(false);
    let app = super::run_loop(
        &mut terminal,
        app,
        &super::Feeds::new(rx),
        |_| Ok(script.pop().flatten()),
        now,
    )
    .unwrap();
    assert_eq!(app.view(), View::Gc);
    assert_eq!(app.timeline().snapshots.len(), 31);
    assert!(terminal.backend().to_string().contains("No GC events"));
}
