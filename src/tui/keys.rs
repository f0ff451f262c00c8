//! Keys → actions: one pure function, so every binding is testable without a terminal and
//! the help overlay lists the same table the mapping uses.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::View;

/// Something the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Esc: close what is open (help, detail), else quit.
    Back,
    NextView,
    PrevView,
    Show(View),
    Up,
    Down,
    PageUp,
    PageDown,
    Enter,
    CursorPrev,
    CursorNext,
    CursorFirst,
    CursorLast,
    BaselineHere,
    BaselinePrev,
    BaselineNext,
    CycleSort,
    StartFilter,
    ToggleHelp,
    TogglePlay,
    Faster,
    Slower,
    FilterChar(char),
    FilterBackspace,
    FilterDone,
    FilterCancel,
}

/// What keys currently mean: the filter prompt takes text; the help overlay only closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Normal,
    Filter,
    Help,
}

/// Every binding, as the help overlay shows it.
pub const HELP: &[(&str, &str)] = &[
    ("q", "quit"),
    ("Esc", "close help / detail, else quit"),
    ("Tab ⇧Tab", "next / previous view"),
    ("1 2 3 4", "overview, detail, GC, compare"),
    ("j k ↑ ↓ wheel", "move the selection"),
    ("PgUp PgDn", "move the selection by a page"),
    ("Enter", "open the selected category"),
    ("← → h l", "time cursor: previous / next snapshot"),
    ("g G Home End", "time cursor: first / last snapshot"),
    ("b", "baseline := snapshot under the cursor"),
    ("[ ]", "baseline: previous / next (compare: pick A)"),
    ("space", "replay: play / pause"),
    ("+ -", "replay: faster / slower"),
    ("s", "sort: Δ, size, name"),
    ("/", "filter categories (Enter keeps, Esc clears)"),
    ("?", "this help"),
    ("paste", "jcmd output pasted is added to the timeline"),
];

/// The action a key stands for in a context; `None` for keys that mean nothing there.
pub fn action_for(key: KeyEvent, context: KeyContext) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match context {
        KeyContext::Filter => filter_action(key),
        KeyContext::Help => match key.code {
            KeyCode::Char('q') => Some(Action::Quit),
            _ => Some(Action::ToggleHelp),
        },
        KeyContext::Normal => normal_action(key),
    }
}

fn filter_action(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Enter => Some(Action::FilterDone),
        KeyCode::Esc => Some(Action::FilterCancel),
        KeyCode::Backspace => Some(Action::FilterBackspace),
        KeyCode::Char(c) => Some(Action::FilterChar(c)),
        _ => None,
    }
}

fn normal_action(key: KeyEvent) -> Option<Action> {
    let action = match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::NextView,
        KeyCode::BackTab => Action::PrevView,
        KeyCode::Char('1') => Action::Show(View::Overview),
        KeyCode::Char('2') => Action::Show(View::Detail),
        KeyCode::Char('3') => Action::Show(View::Gc),
        KeyCode::Char('4') | KeyCode::Char('5') => Action::Show(View::Compare),
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Enter => Action::Enter,
        KeyCode::Char('h') | KeyCode::Left => Action::CursorPrev,
        KeyCode::Char('l') | KeyCode::Right => Action::CursorNext,
        KeyCode::Char('g') | KeyCode::Home => Action::CursorFirst,
        KeyCode::Char('G') | KeyCode::End => Action::CursorLast,
        KeyCode::Char('b') => Action::BaselineHere,
        KeyCode::Char('[') => Action::BaselinePrev,
        KeyCode::Char(']') => Action::BaselineNext,
        KeyCode::Char(' ') => Action::TogglePlay,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
        KeyCode::Char('-') => Action::Slower,
        KeyCode::Char('s') => Action::CycleSort,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    };
    Some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn maps_keys_purely() {
        use KeyContext::*;
        assert_eq!(
            action_for(key(KeyCode::Char('q')), Normal),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(key(KeyCode::Char('3')), Normal),
            Some(Action::Show(View::Gc))
        );
        assert_eq!(
            action_for(key(KeyCode::Char('q')), Filter),
            Some(Action::FilterChar('q'))
        );
        assert_eq!(
            action_for(key(KeyCode::Esc), Filter),
            Some(Action::FilterCancel)
        );
        assert_eq!(
            action_for(key(KeyCode::Char('x')), Help),
            Some(Action::ToggleHelp)
        );
        assert_eq!(action_for(key(KeyCode::Char('x')), Normal), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c, Filter), Some(Action::Quit));
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(release, Normal), None);
    }
}
