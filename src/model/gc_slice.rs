//! Reading a [`GcEvents`] without copying it: [`GcSlice`] (a run of its events), [`Iter`]
//! (events rebuilt one at a time), the std traits a `Vec<GcEvent>` had, and the two orders a
//! timeline and a parse put events in.

use std::ops::Range;

use chrono::{DateTime, FixedOffset};
use serde::{Serialize, Serializer};

use super::{GcEvent, GcEvents, GcSize};

impl GcEvents {
    /// The events in order, each rebuilt as it is reached.
    pub fn iter(&self) -> Iter<'_> {
        self.slice(0..self.len()).iter()
    }

    /// All events, as a view.
    pub fn as_slice(&self) -> GcSlice<'_> {
        self.slice(0..self.len())
    }

    /// The events in `range` (clamped to the events there are), as a view.
    pub fn slice(&self, range: Range<usize>) -> GcSlice<'_> {
        let end = range.end.min(self.len());
        GcSlice {
            events: self,
            range: range.start.min(end)..end,
        }
    }

    /// Orders the events by wall-clock time when all have one, else by uptime when all have
    /// one; otherwise keeps input order. Stable: equal times keep input order.
    pub fn sort_by_time(&mut self) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        if self.all_timestamped() {
            let keys: Vec<_> = order.iter().map(|&i| self.timestamp(i)).collect();
            order.sort_by_key(|&i| keys.get(i).copied().flatten());
        } else if self.all_have_uptime() {
            let keys: Vec<_> = order.iter().map(|&i| self.uptime_s(i)).collect();
            let key = |i: usize| keys.get(i).copied().flatten();
            order.sort_by(|&a, &b| {
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        } else {
            return;
        }
        self.permute_unless_in_order(&order);
    }

    /// Orders the events by line (stable), as one file's parse gives them.
    pub fn sort_by_line(&mut self) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        let keys: Vec<u64> = order.iter().map(|&i| self.line(i)).collect();
        order.sort_by_key(|&i| keys.get(i).copied().unwrap_or(0));
        self.permute_unless_in_order(&order);
    }

    fn permute_unless_in_order(&mut self, order: &[usize]) {
        if order.iter().enumerate().any(|(at, &i)| at != i) {
            self.permute(order);
        }
    }
}

/// A run of events of a [`GcEvents`] (those up to the dashboard's cursor, say).
#[derive(Debug, Clone)]
pub struct GcSlice<'a> {
    pub(super) events: &'a GcEvents,
    pub(super) range: Range<usize>,
}

impl<'a> GcSlice<'a> {
    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// Event `i` of the view, rebuilt.
    pub fn get(&self, i: usize) -> Option<GcEvent> {
        (i < self.len())
            .then(|| self.events.get(self.range.start + i))
            .flatten()
    }

    pub fn first(&self) -> Option<GcEvent> {
        self.get(0)
    }

    pub fn last(&self) -> Option<GcEvent> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> Iter<'a> {
        Iter {
            events: self.events,
            front: self.range.start,
            back: self.range.end,
        }
    }

    /// The first `n` events of the view.
    pub fn head(&self, n: usize) -> GcSlice<'a> {
        let end = self.range.start + n.min(self.len());
        GcSlice {
            events: self.events,
            range: self.range.start..end,
        }
    }

    /// Wall-clock time of event `i` of the view, read from its column alone.
    pub fn timestamp(&self, i: usize) -> Option<DateTime<FixedOffset>> {
        (i < self.len())
            .then(|| self.events.timestamp(self.range.start + i))
            .flatten()
    }

    /// Uptime of event `i` of the view, read from its column alone.
    pub fn uptime_s(&self, i: usize) -> Option<f64> {
        (i < self.len())
            .then(|| self.events.uptime_s(self.range.start + i))
            .flatten()
    }

    /// A size of event `i` of the view, read from its column alone.
    pub fn size(&self, i: usize, field: GcSize) -> Option<u64> {
        (i < self.len())
            .then(|| self.events.size(self.range.start + i, field))
            .flatten()
    }

    /// Pause of event `i` of the view, read from its column alone (0 past the end).
    pub fn pause_ms(&self, i: usize) -> f64 {
        if i < self.len() {
            self.events.pause_ms(self.range.start + i)
        } else {
            0.0
        }
    }

    /// True when every event of the view has a wall-clock time.
    pub fn all_timestamped(&self) -> bool {
        (0..self.len()).all(|i| self.timestamp(i).is_some())
    }

    /// The number of leading events for which `pred` holds (they must come first), as
    /// `slice::partition_point`, looking at their times only.
    pub fn partition_point_by_time(
        &self,
        mut pred: impl FnMut(Option<DateTime<FixedOffset>>) -> bool,
    ) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.timestamp(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// The events of a [`GcEvents`] or [`GcSlice`], each rebuilt as it is reached.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    pub(super) events: &'a GcEvents,
    pub(super) front: usize,
    pub(super) back: usize,
}

impl Iterator for Iter<'_> {
    type Item = GcEvent;

    fn next(&mut self) -> Option<GcEvent> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.events.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<GcEvent> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<GcEvent> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.events.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a GcEvents {
    type Item = GcEvent;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for GcSlice<'a> {
    type Item = GcEvent;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &GcSlice<'a> {
    type Item = GcEvent;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Extend<GcEvent> for GcEvents {
    fn extend<I: IntoIterator<Item = GcEvent>>(&mut self, events: I) {
        events.into_iter().for_each(|e| self.push_ref(&e));
    }
}

impl FromIterator<GcEvent> for GcEvents {
    fn from_iter<I: IntoIterator<Item = GcEvent>>(events: I) -> Self {
        let mut all = GcEvents::new();
        all.extend(events);
        all
    }
}

impl From<Vec<GcEvent>> for GcEvents {
    fn from(events: Vec<GcEvent>) -> Self {
        events.into_iter().collect()
    }
}

impl PartialEq for GcEvents {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// As a sequence of [`GcEvent`]s: `export --format json`'s `gc_events` array.
impl Serialize for GcEvents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The events of a [`GcEvents`] it owns, each rebuilt as it is reached.
#[derive(Debug, Clone)]
pub struct IntoIter {
    events: GcEvents,
    front: usize,
}

impl Iterator for IntoIter {
    type Item = GcEvent;

    fn next(&mut self) -> Option<GcEvent> {
        let e = self.events.get(self.front)?;
        self.front += 1;
        Some(e)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.events.len().saturating_sub(self.front);
        (n, Some(n))
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for GcEvents {
    type Item = GcEvent;
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        IntoIter {
            events: self,
            front: 0,
        }
    }
}
