//! The GC view's chart series, downsampled to the drawn width and kept between frames: a
//! frame after a key press or a tick reuses them, so drawing the GC view of a big log costs
//! the events once per change (new events, another cursor, another width), not once per frame
//! (6 passes over 165k events were ~100 ms a frame: `cargo bench --bench render -- "render Gc"`).

use std::cell::RefCell;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{GcSize, GcSlice};
use jvmem::num::u64_from_f64;

use super::super::metrics;
use super::chart::{Series, seconds_since};

/// The series of the heap and pause charts, at most `buckets` (min, max) pairs each.
#[derive(Debug, Default, PartialEq)]
pub struct GcSeries {
    pub before: Series,
    pub after: Series,
    pub capacity: Series,
    pub old_after: Series,
    pub metaspace: Series,
    /// Pause times in microseconds.
    pub pauses: Series,
}

/// What the series are computed from: a change of any of these computes them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    /// All events the timeline holds (they are only ever added).
    all: usize,
    /// Those up to the cursor.
    visible: usize,
    buckets: usize,
    /// The first snapshot's time: the origin of the x axis.
    t0: Option<DateTime<FixedOffset>>,
}

/// The last series computed, with what they were computed from.
#[derive(Debug, Default)]
pub struct GcSeriesCache {
    last: RefCell<Option<(Key, Arc<GcSeries>)>>,
    /// How many times the series were computed (tests check reuse).
    computed: std::cell::Cell<usize>,
}

impl GcSeriesCache {
    /// The series of `visible` (the first events of the `all` held), on an x axis of seconds
    /// since `t0` (else since the first event, else uptime).
    pub fn get(
        &self,
        all: usize,
        visible: &GcSlice<'_>,
        t0: Option<DateTime<FixedOffset>>,
        buckets: usize,
    ) -> Arc<GcSeries> {
        let key = Key {
            all,
            visible: visible.len(),
            buckets,
            t0,
        };
        if let Some((k, series)) = self.last.borrow().as_ref() {
            if *k == key {
                return Arc::clone(series);
            }
        }
        let series = Arc::new(compute(visible, t0, buckets));
        self.computed.set(self.computed.get() + 1);
        *self.last.borrow_mut() = Some((key, Arc::clone(&series)));
        series
    }

    /// How many times the series were computed.
    #[cfg(test)]
    pub fn computed(&self) -> usize {
        self.computed.get()
    }
}

fn compute(events: &GcSlice<'_>, t0: Option<DateTime<FixedOffset>>, buckets: usize) -> GcSeries {
    let origin = t0.or_else(|| events.timestamp(0));
    // Events are read a column at a time (not rebuilt whole).
    let x_of = |i: usize| match (origin, events.timestamp(i)) {
        (Some(t0), Some(t)) => Some(seconds_since(t0, t)),
        _ => events.uptime_s(i),
    };
    let series = |f: &dyn Fn(usize) -> Option<u64>| -> Series {
        let points: Series = (0..events.len())
            .filter_map(|i| Some((x_of(i)?, f(i)? as f64)))
            .collect();
        metrics::min_max_buckets(&points, buckets)
    };
    let size = |field: GcSize| move |i: usize| events.size(i, field);
    GcSeries {
        before: series(&size(GcSize::HeapBefore)),
        after: series(&size(GcSize::HeapAfter)),
        capacity: series(&size(GcSize::HeapCapacity)),
        old_after: series(&size(GcSize::OldAfter)),
        metaspace: series(&size(GcSize::MetaspaceAfter)),
        pauses: series(&|i| Some(u64_from_f64(events.pause_ms(i) * 1000.0))),
    }
}
