//! What the dashboard's tests share: the fixed clock, samples named relative to the checkout,
//! key presses through `App::handle`, a frame drawn on a `TestBackend`, and the judgement the
//! diagnosis thread would have sent.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::Timeline;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Control, Event};

/// The tests' clock: every `handle` happens at this moment unless a test moves it.
pub(super) fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-26T08:00:00+00:00").unwrap()
}

/// A file of the checkout (`samples/…`) as an absolute path.
pub(super) fn sample(rel: &str) -> String {
    let mut p = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    p.push(rel);
    p.to_string_lossy().into_owned()
}

/// The files `rels` of the checkout loaded as `jvmem view` does, every snapshot's source named
/// `rels[0]`: screens stay independent of where the checkout lives.
pub(super) fn load(rels: &[&str]) -> Timeline {
    let paths: Vec<String> = rels.iter().map(|rel| sample(rel)).collect();
    let mut t = jvmem::input::load(&paths);
    let short: Arc<str> = Arc::from(rels.first().copied().unwrap_or_default());
    t.snapshots.edit(|_, s| {
        s.source = Arc::clone(&short);
    });
    t
}

/// The key event of `code` with no modifier.
pub(super) fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn key(app: &mut App, code: KeyCode) -> Control {
    app.handle(press(code), now())
}

/// Each character of `text` as a key press.
pub(super) fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub(super) fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| super::render(app, f)).unwrap();
    terminal
}

/// The frame's text, a quoted line per row.
pub(super) fn screen(app: &App, width: u16, height: u16) -> String {
    draw(app, width, height).backend().to_string()
}

/// Insta snapshots of the app's screen at 80×24, 120×40 and 220×60, named `NAME_WxH` after the
/// calling test module (`jvmem__tui__tests__NAME_80x24.snap`).
macro_rules! snap {
    ($name:expr, $app:expr) => {
        for (w, h) in [(80u16, 24u16), (120, 40), (220, 60)] {
            insta::assert_snapshot!(
                format!("{}_{}x{}", $name, w, h),
                super::test_support::screen(&$app, w, h)
            );
        }
    };
}
pub(super) use snap;

/// Gives the app the judgement the diagnosis thread would send for its cursor.
pub(super) fn judged(app: &mut App) {
    if let Some(request) = app.take_judge_request() {
        let judgement = super::judge::judge_now(app.timeline(), request);
        app.handle(Event::Judged(Arc::new(judgement)), now());
    }
}
