//! Keys → actions: one table, [`BINDINGS`], read both by [`action_for`] (a pure function, so
//! every binding is testable without a terminal) and by the help overlay ([`help_rows`]), so
//! the help can never miss a key.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::View;

/// Something the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Esc: close what is open (help, messages), go back from detail / compare.
    Back,
    NextView,
    PrevView,
    Show(View),
    Up,
    Down,
    /// A page up/down: the list in the overview, the advice in the detail view.
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
    ToggleMessages,
    TogglePlay,
    Faster,
    Slower,
    FilterChar(char),
    FilterBackspace,
    FilterDone,
    FilterCancel,
    /// `d` in the detail view: take the category's drill-down now.
    Drill,
    /// The class histogram's confirmation: `y` takes it, any other key cancels.
    ConfirmDrill,
    CancelDrill,
}

/// What keys currently mean: the filter prompt takes text; an overlay scrolls or closes; a
/// confirmation takes `y` or cancels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Normal,
    Filter,
    Overlay,
    Confirm,
}

/// Keys bound to one action, and what the help says about it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    pub action: Action,
    pub help: &'static str,
}

const fn bind(keys: &'static [KeyCode], action: Action, help: &'static str) -> Binding {
    Binding { keys, action, help }
}

/// Every binding of the normal context (views are bound by their digit, from [`View::ALL`]).
pub const BINDINGS: &[Binding] = &[
    bind(&[KeyCode::Char('q')], Action::Quit, "quit"),
    bind(
        &[KeyCode::Esc],
        Action::Back,
        "close help / messages; back to the overview",
    ),
    bind(&[KeyCode::Tab], Action::NextView, "next view"),
    bind(&[KeyCode::BackTab], Action::PrevView, "previous view"),
    bind(
        &[KeyCode::Char('j'), KeyCode::Down],
        Action::Down,
        "selection down (also the wheel)",
    ),
    bind(
        &[KeyCode::Char('k'), KeyCode::Up],
        Action::Up,
        "selection up",
    ),
    bind(
        &[KeyCode::PageDown],
        Action::PageDown,
        "page down: the list; the advice in detail",
    ),
    bind(&[KeyCode::PageUp], Action::PageUp, "page up"),
    bind(
        &[KeyCode::Enter],
        Action::Enter,
        "open the selected category",
    ),
    bind(
        &[KeyCode::Char('h'), KeyCode::Left],
        Action::CursorPrev,
        "time cursor: previous snapshot",
    ),
    bind(
        &[KeyCode::Char('l'), KeyCode::Right],
        Action::CursorNext,
        "time cursor: next snapshot",
    ),
    bind(
        &[KeyCode::Char('g'), KeyCode::Home],
        Action::CursorFirst,
        "time cursor: first snapshot",
    ),
    bind(
        &[KeyCode::Char('G'), KeyCode::End],
        Action::CursorLast,
        "time cursor: last snapshot",
    ),
    bind(
        &[KeyCode::Char('b')],
        Action::BaselineHere,
        "baseline := snapshot under the cursor",
    ),
    bind(
        &[KeyCode::Char('[')],
        Action::BaselinePrev,
        "baseline: previous (compare: A)",
    ),
    bind(
        &[KeyCode::Char(']')],
        Action::BaselineNext,
        "baseline: next",
    ),
    bind(
        &[KeyCode::Char(' ')],
        Action::TogglePlay,
        "replay: play / pause",
    ),
    bind(
        &[KeyCode::Char('+'), KeyCode::Char('=')],
        Action::Faster,
        "replay: faster",
    ),
    bind(&[KeyCode::Char('-')], Action::Slower, "replay: slower"),
    bind(
        &[KeyCode::Char('s')],
        Action::CycleSort,
        "sort: growth, committed, name",
    ),
    bind(
        &[KeyCode::Char('/')],
        Action::StartFilter,
        "filter categories (Enter keeps, Esc clears)",
    ),
    bind(
        &[KeyCode::Char('d')],
        Action::Drill,
        "detail: drill in now (heap: full GC, asks y)",
    ),
    bind(
        &[KeyCode::Char('m')],
        Action::ToggleMessages,
        "messages: every status and warning, newest first",
    ),
    bind(&[KeyCode::Char('?')], Action::ToggleHelp, "this help"),
];

/// How a key is written in the help.
pub fn key_label(code: KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::BackTab => "⇧Tab".into(),
        other => other.to_string(),
    }
}

/// The help overlay's rows, (keys, what they do), from the bindings and the views.
pub fn help_rows() -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = BINDINGS
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| key_label(*k)).collect();
            (keys.join(" "), b.help.to_string())
        })
        .collect();
    let views: Vec<String> = View::ALL.iter().map(|v| v.key().to_string()).collect();
    let names: Vec<&str> = View::ALL.iter().map(|v| v.name()).collect();
    rows.insert(4, (views.join(" "), names.join(", ")));
    rows.push((
        "paste".into(),
        "jcmd output pasted joins the timeline".into(),
    ));
    rows.push(("Ctrl-c".into(), "quit, from anywhere".into()));
    rows
}

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
        KeyContext::Overlay => Some(match key.code {
            KeyCode::Char('q') => Action::Quit,
            KeyCode::Char('j') | KeyCode::Down => Action::Down,
            KeyCode::Char('k') | KeyCode::Up => Action::Up,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::PageUp => Action::PageUp,
            _ => Action::Back,
        }),
        KeyContext::Confirm => Some(match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Action::ConfirmDrill,
            _ => Action::CancelDrill,
        }),
        KeyContext::Normal => normal_action(key.code),
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

fn normal_action(code: KeyCode) -> Option<Action> {
    if let Some(view) = View::ALL.iter().find(|v| KeyCode::Char(v.key()) == code) {
        return Some(Action::Show(*view));
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&code))
        .map(|b| b.action)
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
            action_for(key(KeyCode::Char('x')), Overlay),
            Some(Action::Back)
        );
        assert_eq!(action_for(key(KeyCode::Char('x')), Normal), None);
        assert_eq!(action_for(key(KeyCode::Char('5')), Normal), None);
        assert_eq!(
            action_for(key(KeyCode::Char('d')), Normal),
            Some(Action::Drill)
        );
        assert_eq!(
            action_for(key(KeyCode::Char('y')), Confirm),
            Some(Action::ConfirmDrill)
        );
        assert_eq!(
            action_for(key(KeyCode::Char('d')), Confirm),
            Some(Action::CancelDrill)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c, Filter), Some(Action::Quit));
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(release, Normal), None);
    }

    /// Every key the normal context accepts, found by trying them all, is in the help, on
    /// the row of the action it does.
    #[test]
    fn every_accepted_key_is_in_the_help() {
        let mut codes: Vec<KeyCode> = (' '..='~').map(KeyCode::Char).collect();
        codes.extend([
            KeyCode::Esc,
            KeyCode::Enter,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Delete,
            KeyCode::Insert,
        ]);
        codes.extend((1..=12).map(KeyCode::F));
        let help = help_rows();
        let mut accepted = 0;
        for code in codes {
            let Some(action) = action_for(key(code), KeyContext::Normal) else {
                continue;
            };
            accepted += 1;
            let label = key_label(code);
            let row = help
                .iter()
                .find(|(keys, _)| keys.split(' ').any(|k| k == label))
                .unwrap_or_else(|| panic!("{label} ({action:?}) is not in the help"));
            let documented = match action {
                Action::Show(view) => row.1.contains(view.name()),
                other => BINDINGS
                    .iter()
                    .any(|b| b.action == other && b.help == row.1),
            };
            assert!(documented, "{label} does {action:?}, help says {row:?}");
        }
        // 4 views + the 31 keys of the table.
        assert_eq!(accepted, 35);
    }
}
