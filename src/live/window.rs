//! A timeline that keeps only a bounded window (`jvmem serve` runs for weeks): the
//! snapshots, GC events and process samples of the last `span` (by their own timestamps)
//! and at most `max_items` of each, while GC counters keep adding up over everything seen.
//!
//! The window decides what the verdict is judged on: an hour of 15 s snapshots is 240
//! points, enough for the trend tests (`docs/diagnosis.md`: 5 points at least) and recent
//! enough that a leak that started ten minutes ago is not averaged away by a flat week.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::model::{GcEvents, Snapshots, Timeline, Update};
use crate::report::openmetrics::GcTotals;

/// The window and the running GC totals.
#[derive(Debug, Clone)]
pub struct BoundedTimeline {
    pub timeline: Timeline,
    pub gc_totals: GcTotals,
    span: chrono::Duration,
    max_items: usize,
    /// Updates applied, for `/healthz`.
    pub updates: u64,
}

impl BoundedTimeline {
    /// Keeps what is at most `span` older than the newest item and at most `max_items` of each
    /// kind (at least 1).
    pub fn new(span: Duration, max_items: usize) -> Self {
        BoundedTimeline {
            timeline: Timeline::default(),
            gc_totals: GcTotals::default(),
            span: chrono::Duration::from_std(span).unwrap_or(chrono::Duration::MAX),
            max_items: max_items.max(1),
            updates: 0,
        }
    }

    /// Applies an update, then drops what fell out of the window.
    pub fn apply(&mut self, update: Update) {
        if let Update::GcEvents(events) = &update {
            let mut events: Vec<_> = events.iter().collect();
            events.sort_by_key(|e| e.timestamp);
            for e in &events {
                self.gc_totals.add(e);
            }
        }
        self.updates += 1;
        self.timeline.apply(update);
        self.trim();
    }

    fn trim(&mut self) {
        let (span, max) = (self.span, self.max_items);
        let t = &mut self.timeline;
        keep_recent_snapshots(&mut t.snapshots, span, max);
        keep_recent_gc(&mut t.gc_events, span, max);
        keep_recent(&mut t.process, span, max, |p| Some(p.timestamp));
        let diagnostics = t.diagnostics.len();
        if diagnostics > max {
            t.diagnostics.drain(..diagnostics - max);
        }
    }
}

/// Drops items (in time order) older than `span` before the newest timestamp, then the
/// oldest beyond `max`.
fn keep_recent<T>(
    items: &mut Vec<T>,
    span: chrono::Duration,
    max: usize,
    time: impl Fn(&T) -> Option<DateTime<FixedOffset>>,
) {
    if let Some(newest) = items.iter().filter_map(&time).max() {
        if let Some(cutoff) = newest.checked_sub_signed(span) {
            items.retain(|i| time(i).is_none_or(|t| t >= cutoff));
        }
    }
    if items.len() > max {
        items.drain(..items.len() - max);
    }
}

/// [`keep_recent`] for the packed GC events.
fn keep_recent_gc(events: &mut GcEvents, span: chrono::Duration, max: usize) {
    if let Some(newest) = (0..events.len()).filter_map(|i| events.timestamp(i)).max() {
        if let Some(cutoff) = newest.checked_sub_signed(span) {
            events.retain(|e| e.timestamp.is_none_or(|t| t >= cutoff));
        }
    }
    if events.len() > max {
        events.drain_front(events.len() - max);
    }
}

/// [`keep_recent`] of the timeline's compact snapshots.
fn keep_recent_snapshots(items: &mut Snapshots, span: chrono::Duration, max: usize) {
    if let Some(newest) = items.timestamps().flatten().max() {
        if let Some(cutoff) = newest.checked_sub_signed(span) {
            if items.timestamps().flatten().any(|t| t < cutoff) {
                items.retain(|s| s.timestamp.is_none_or(|t| t >= cutoff));
            }
        }
    }
    if items.len() > max {
        items.remove_front(items.len() - max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ProcessSample;

    fn sample(minute: i64) -> Update {
        let t = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+00:00").unwrap()
            + chrono::Duration::minutes(minute);
        Update::Process(ProcessSample {
            timestamp: t,
            rss_bytes: Some(minute as u64),
            cgroup_usage_bytes: None,
            cgroup_limit_bytes: None,
        })
    }

    #[test]
    fn keeps_the_last_span_and_at_most_max_items() {
        let mut w = BoundedTimeline::new(Duration::from_secs(600), 1000);
        for m in 0..30 {
            w.apply(sample(m));
        }
        // Minutes 19..=29: ten minutes before the newest, inclusive.
        let kept: Vec<_> = w.timeline.process.iter().map(|p| p.rss_bytes).collect();
        assert_eq!(kept.first(), Some(&Some(19)));
        assert_eq!(kept.len(), 11);
        let mut w = BoundedTimeline::new(Duration::from_secs(86_400), 5);
        for m in 0..30 {
            w.apply(sample(m));
        }
        assert_eq!(w.timeline.process.len(), 5);
        assert_eq!(w.timeline.process[0].rss_bytes, Some(25));
        assert_eq!(w.updates, 30);
    }
}
