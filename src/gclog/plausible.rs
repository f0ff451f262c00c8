//! Durations a JVM cannot have printed: a negative pause, or a pause or
//! concurrent phase longer than a day (`100000000000000000000.000ms`). Each is reported with
//! its line and not counted, rather than passed on to the summary (where one such event made
//! the total pause time 3 billion years) or dropped without a word.
//!
//! Decision: one day. The longest real pauses reported publicly are minutes (a heap swapped
//! out); a concurrent cycle runs at most hours. Anything over a day is damage, not data.

use std::sync::Arc;

use super::GcSink;
use crate::model::{Diagnostic, GcEvent};

/// Longest pause or concurrent phase taken as real: one day.
pub const MAX_PLAUSIBLE_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// A sink that checks each event before passing it on.
pub struct Checked<'a, S: GcSink> {
    pub inner: &'a mut S,
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<S: GcSink> GcSink for Checked<'_, S> {
    #[inline]
    fn event(&mut self, mut event: GcEvent) {
        if let Some(why) = implausible(event.pause_ms) {
            self.flag(
                &event,
                format!("pause of {} ms {why}: not counted", event.pause_ms),
            );
            event.pause_ms = 0.0;
        }
        if let Some(ms) = event.concurrent_ms {
            if let Some(why) = implausible(ms) {
                self.flag(
                    &event,
                    format!("concurrent phase of {ms} ms {why}: not counted"),
                );
                event.concurrent_ms = None;
            }
        }
        self.inner.event(event);
    }
}

impl<S: GcSink> Checked<'_, S> {
    fn flag(&mut self, event: &GcEvent, message: String) {
        if self.diagnostics.len() < super::MAX_STORED_DIAGNOSTICS {
            let id = event
                .gc_id
                .map(|id| format!("GC({id}): "))
                .unwrap_or_default();
            self.diagnostics.push(Diagnostic::warning(
                &self.source,
                event.line,
                format!("{id}{message}"),
            ));
        }
    }
}

/// `ms` when it can be true, else 0 (for the log's time span, computed before the check).
pub fn counted_ms(ms: f64) -> f64 {
    if implausible(ms).is_some() { 0.0 } else { ms }
}

/// Why a duration cannot be true, if it cannot.
fn implausible(ms: f64) -> Option<&'static str> {
    if ms.is_nan() || ms < 0.0 {
        Some("is negative, which cannot be true")
    } else if ms > MAX_PLAUSIBLE_MS {
        Some("is longer than a day, which cannot be true")
    } else {
        None
    }
}
