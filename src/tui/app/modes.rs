//! What the dashboard is showing and how: where the data comes from ([`Mode`]), the screen
//! ([`View`]), what is drawn over it ([`Overlay`]), the overview's order ([`Sort`]) and the
//! progress of loads ([`Loading`]).

use std::sync::Arc;

/// Where the data comes from and how the time cursor moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Files loaded once (`jvmem view`, `jvmem diff`); the cursor follows the last snapshot
    /// while loading. Space starts a replay from the cursor.
    View,
    /// Snapshots keep arriving (paste, `--pid`, `--cmd`, `--follow`, stdin); the cursor follows
    /// the newest unless the user moved it back.
    Live,
    /// A recorded timeline played back: the cursor advances on ticks by the snapshots' own
    /// time gaps divided by `speed`.
    Replay { playing: bool, speed: f64 },
}

/// The screen below the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Detail,
    Gc,
    /// Baseline (A) against the cursor (B).
    Compare,
}

impl View {
    /// Every view, in tab order: the one list the tabs, the digit keys and the help read.
    pub const ALL: [View; 4] = [View::Overview, View::Detail, View::Gc, View::Compare];

    /// The digit that opens it (its place in [`View::ALL`]).
    pub fn key(self) -> char {
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        char::from(b"123456789".get(i).copied().unwrap_or(b'?'))
    }

    /// Its name, as the tab and the help show it.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Detail => "detail",
            View::Gc => "GC",
            View::Compare => "compare",
        }
    }

    /// The tab title: `1 Overview`.
    pub fn title(self) -> String {
        let name = self.name();
        let mut chars = name.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{} {capital}", self.key())
    }

    pub(super) fn step(self, by: isize) -> View {
        let n = Self::ALL.len();
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        let by_abs = by.unsigned_abs() % n;
        Self::ALL[if by < 0 { i + n - by_abs } else { i + by_abs } % n]
    }
}

/// What is drawn over the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// Every status message and parse warning, newest first.
    Messages,
}

/// Overview order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Largest growth since the baseline first.
    Delta,
    /// Largest committed first.
    Size,
    Name,
}

impl Sort {
    /// The label in the tab bar; the order is exactly this (suspects are marked `!`, not
    /// moved first).
    pub fn label(self) -> &'static str {
        match self {
            Sort::Delta => "growth since base",
            Sort::Size => "committed",
            Sort::Name => "name",
        }
    }
}

/// How far a load has got, per source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    pub source: Arc<str>,
    pub done_bytes: u64,
    pub total_bytes: Option<u64>,
}
