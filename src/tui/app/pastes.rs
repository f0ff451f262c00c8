//! Pastes: jcmd output pasted into the dashboard joins the timeline; a big paste is parsed on
//! a worker thread so the dashboard keeps answering keys.

use std::sync::mpsc::{Receiver, Sender, channel};

use chrono::{DateTime, FixedOffset};

use super::App;
use crate::tui::paste::{BACKGROUND_PASTE_BYTES, PasteResult, parse_paste};

impl App {
    /// A paste goes to the NMT parser as it is; its snapshots join the timeline. A big paste
    /// is parsed on a worker thread (see [`App::poll_pastes`]) so keys still work meanwhile.
    pub(super) fn paste(&mut self, text: String, now: DateTime<FixedOffset>) {
        if text.len() < BACKGROUND_PASTE_BYTES {
            self.apply_paste(parse_paste(&text, now));
            return;
        }
        let tx = self.paste_tx.clone();
        let size = jvmem::model::units::format_bytes(text.len() as u64);
        let spawned = std::thread::Builder::new()
            .name("jvmem paste parser".into())
            .spawn(move || {
                // The app may have quit meanwhile; then nobody wants the result.
                let _ = tx.send(parse_paste(&text, now));
            });
        match spawned {
            Ok(_) => {
                self.pastes_parsing += 1;
                self.message = Some(format!("parsing paste… ({size})"));
            }
            Err(e) => self.message = Some(format!("paste: cannot start a parser thread: {e}")),
        }
    }

    /// Applies pastes whose parsing finished; true when there were any. The event loop calls
    /// this every turn.
    pub fn poll_pastes(&mut self) -> bool {
        let mut any = false;
        while self.pastes_parsing > 0 {
            match self.paste_rx.try_recv() {
                Ok(result) => {
                    self.pastes_parsing -= 1;
                    self.apply_paste(result);
                    self.dirty = true;
                    any = true;
                }
                Err(_) => break,
            }
        }
        any
    }

    /// True while a paste is being parsed in the background.
    pub fn parsing_paste(&self) -> bool {
        self.pastes_parsing > 0
    }

    pub(super) fn apply_paste(&mut self, parsed: PasteResult) {
        if parsed.snapshots.is_empty() {
            let why = parsed
                .diagnostics
                .iter()
                .map(|d| d.message.as_str())
                .next()
                .unwrap_or("no `Native Memory Tracking:` block in it");
            self.message = Some(format!("paste: nothing readable: {why}"));
            return;
        }
        let n = parsed.snapshots.len();
        let warnings = parsed.diagnostics.len();
        self.timeline.diagnostics.extend(parsed.diagnostics);
        self.add_snapshots(parsed.snapshots, true);
        let mut message = format!("pasted {n} snapshot{}", if n == 1 { "" } else { "s" });
        if warnings > 0 {
            message.push_str(&format!(" ({warnings} warnings)"));
        }
        self.message = Some(message);
    }

    /// Waits for every paste being parsed in the background and applies it (tests).
    #[cfg(test)]
    pub fn finish_pastes(&mut self) {
        while self.pastes_parsing > 0 {
            match self.paste_rx.recv() {
                Ok(result) => {
                    self.pastes_parsing -= 1;
                    self.apply_paste(result);
                    self.dirty = true;
                }
                Err(_) => break,
            }
        }
    }
}
