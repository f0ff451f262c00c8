//! What each key's action does to the state (the key → action mapping is in `tui::keys`).

use std::sync::Arc;

use super::{App, Control, Mode, Overlay, Sort, View};
use crate::tui::keys::Action;

impl App {
    pub(super) fn act(&mut self, action: Action) -> Control {
        let last = self.timeline.snapshots.len().saturating_sub(1);
        match action {
            Action::Quit => return Control::Quit,
            Action::Back if self.overlay.is_some() => self.overlay = None,
            Action::Back if self.view != View::Overview => self.view = View::Overview,
            Action::Back if self.back_to_fleet => {
                self.went_back = true;
                return Control::Quit;
            }
            Action::Back => {
                self.message = Some("q quits".into());
            }
            Action::Up | Action::PageUp if self.overlay.is_some() => {
                let by = if action == Action::Up { 1 } else { 10 };
                self.overlay_scroll = self.overlay_scroll.saturating_sub(by);
            }
            Action::Down | Action::PageDown if self.overlay.is_some() => {
                let by = if action == Action::Down { 1 } else { 10 };
                self.overlay_scroll = self.overlay_scroll.saturating_add(by);
            }
            Action::PageUp if self.view == View::Detail => {
                self.advice_scroll = self.advice_scroll.saturating_sub(5);
            }
            Action::PageDown if self.view == View::Detail => {
                self.advice_scroll = self.advice_scroll.saturating_add(5);
            }
            Action::NextView => self.view = self.view.step(1),
            Action::PrevView => self.view = self.view.step(-1),
            Action::Show(view) => self.view = view,
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-10),
            Action::PageDown => self.move_selection(10),
            Action::Enter => {
                if let Some(name) = self.rows().get(self.selected) {
                    self.detail = Some(Arc::clone(name));
                    self.view = View::Detail;
                }
            }
            Action::CursorPrev => self.set_cursor(self.cursor.saturating_sub(1)),
            Action::CursorNext => self.set_cursor((self.cursor + 1).min(last)),
            Action::CursorFirst => self.set_cursor(0),
            Action::CursorLast => self.set_cursor(last),
            Action::BaselineHere => {
                self.baseline = self.cursor;
                self.message = Some(format!("baseline := #{}", self.cursor + 1));
            }
            Action::BaselinePrev => self.baseline = self.baseline.saturating_sub(1),
            Action::BaselineNext => self.baseline = (self.baseline + 1).min(last),
            Action::CycleSort => {
                self.sort = match self.sort {
                    Sort::Delta => Sort::Size,
                    Sort::Size => Sort::Name,
                    Sort::Name => Sort::Delta,
                }
            }
            Action::StartFilter => self.filter_input = Some(self.filter.clone()),
            Action::FilterChar(c) => {
                if let Some(input) = &mut self.filter_input {
                    input.push(c);
                    self.filter = input.clone();
                    self.selected = 0;
                }
            }
            Action::FilterBackspace => {
                if let Some(input) = &mut self.filter_input {
                    input.pop();
                    self.filter = input.clone();
                }
            }
            Action::FilterDone => self.filter_input = None,
            Action::FilterCancel => {
                self.filter_input = None;
                self.filter.clear();
            }
            Action::ToggleHelp => {
                self.overlay_scroll = 0;
                self.overlay = match self.overlay {
                    Some(Overlay::Help) => None,
                    _ => Some(Overlay::Help),
                }
            }
            Action::ToggleMessages => {
                self.overlay = match self.overlay {
                    Some(Overlay::Messages) => None,
                    _ => {
                        self.overlay_scroll = 0;
                        self.unread = 0;
                        Some(Overlay::Messages)
                    }
                }
            }
            Action::Drill => self.start_drill(),
            Action::ConfirmDrill => self.confirm_drill(true),
            Action::CancelDrill => self.confirm_drill(false),
            Action::TogglePlay => self.toggle_play(),
            Action::Faster => self.change_speed(1),
            Action::Slower => self.change_speed(-1),
        }
        Control::Continue
    }

    fn move_selection(&mut self, by: isize) {
        let rows = self.rows().len();
        if rows == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(by).min(rows - 1);
        if self.view == View::Detail {
            self.detail = self.rows().get(self.selected).cloned();
            self.advice_scroll = 0;
        }
    }

    fn set_cursor(&mut self, index: usize) {
        self.cursor = index;
        let last = self.timeline.snapshots.len().saturating_sub(1);
        self.follow = index == last && !matches!(self.mode, Mode::Replay { .. });
    }
}
