//! [`GcEvents`]: a timeline's GC events in packed columns, ~80 bytes an event on the logs the
//! JVM writes instead of the ~330 of a [`GcEvent`] (plus a `Vec`'s growth), so `report
//! --gc-log`, `replay` and the dashboard keep a 128 MiB log's 82,000 collections in ~6 MiB.
//!
//! Events go in and come out as [`GcEvent`]s, rebuilt on the fly (two or three `Arc` clones
//! and a few multiplications): call sites read `for e in &timeline.gc_events { e.pause_ms … }`
//! as they did with a `Vec`. Source, name and cause are ids into one string table (`u16`);
//! collector and kind one byte each; the 15 optional fields share a presence bitmap (`u16`),
//! so an absent value costs no sentinel that a real one could collide with; numbers are packed
//! by [`gc_columns`](super::gc_columns), exactly (every value comes back bit for bit).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;

use super::gc_columns::{Column, Decimal, Millis, SmallId, Whole};
use super::{Collector, GcEvent, GcKind};

/// Presence bits of the optional fields.
const GC_ID: u16 = 1;
const TIMESTAMP: u16 = 1 << 1;
const UPTIME: u16 = 1 << 2;
const CAUSE: u16 = 1 << 3;
const CONCURRENT: u16 = 1 << 4;
/// The first of the 10 size fields' bits (5..=14).
const SIZE_SHIFT: usize = 5;
const SIZES: usize = 10;

/// One of the size fields of a [`GcEvent`], to read from its column alone
/// ([`GcEvents::size`]) where a loop needs one figure of many events (a chart's series).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GcSize {
    HeapBefore,
    HeapAfter,
    HeapCapacity,
    YoungBefore,
    YoungAfter,
    OldBefore,
    OldAfter,
    HumongousAfter,
    MetaspaceBefore,
    MetaspaceAfter,
}

impl GcSize {
    /// The field's place in [`sizes_of`].
    fn index(self) -> usize {
        self as usize
    }
}

/// The size fields of an event, in [`GcSize`] order (bit `SIZE_SHIFT + k` for the k-th).
fn sizes_of(e: &GcEvent) -> [Option<u64>; SIZES] {
    [
        e.heap_before_bytes,
        e.heap_after_bytes,
        e.heap_capacity_bytes,
        e.young_before_bytes,
        e.young_after_bytes,
        e.old_before_bytes,
        e.old_after_bytes,
        e.humongous_after_bytes,
        e.metaspace_before_bytes,
        e.metaspace_after_bytes,
    ]
}

fn size_slots(e: &mut GcEvent) -> [&mut Option<u64>; SIZES] {
    [
        &mut e.heap_before_bytes,
        &mut e.heap_after_bytes,
        &mut e.heap_capacity_bytes,
        &mut e.young_before_bytes,
        &mut e.young_after_bytes,
        &mut e.old_before_bytes,
        &mut e.old_after_bytes,
        &mut e.humongous_after_bytes,
        &mut e.metaspace_before_bytes,
        &mut e.metaspace_after_bytes,
    ]
}

/// The source, name and cause strings, each held once.
#[derive(Debug, Clone, Default)]
struct Strings {
    all: Vec<Arc<str>>,
    ids: FxHashMap<Arc<str>, u32>,
}

impl Strings {
    fn id(&mut self, s: &Arc<str>) -> u32 {
        if let Some(id) = self.ids.get(&**s) {
            return *id;
        }
        let id = u32::try_from(self.all.len()).unwrap_or(u32::MAX);
        self.all.push(Arc::clone(s));
        self.ids.insert(Arc::clone(s), id);
        id
    }

    fn get(&self, id: u32) -> Arc<str> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.all.get(i))
            .map_or_else(|| Arc::from(""), Arc::clone)
    }
}

/// GC events in time order (as [`Timeline::gc_events`](super::Timeline::gc_events) keeps
/// them), packed. See the module documentation. The columns are boxed so that the store is
/// one pointer wide in a `Timeline` or an `Update`.
#[derive(Debug, Clone, Default)]
pub struct GcEvents(Box<Packed>);

/// The columns (reached through `Deref`: the methods read `self.present` and so on).
#[derive(Debug, Clone)]
pub struct Packed {
    strings: Strings,
    source: Column<SmallId>,
    name: Column<SmallId>,
    cause: Column<SmallId>,
    collector: Vec<Collector>,
    kind: Vec<GcKind>,
    line: Column<Whole>,
    gc_id: Column<Whole>,
    timestamp: Column<Millis>,
    uptime_s: Column<Decimal>,
    pause_ms: Column<Decimal>,
    concurrent_ms: Column<Decimal>,
    sizes: [Column<Whole>; SIZES],
    present: Vec<u16>,
}

impl std::ops::Deref for GcEvents {
    type Target = Packed;
    fn deref(&self) -> &Packed {
        &self.0
    }
}

impl std::ops::DerefMut for GcEvents {
    fn deref_mut(&mut self) -> &mut Packed {
        &mut self.0
    }
}

impl Default for Packed {
    fn default() -> Self {
        let ms = Decimal { scale: 1e4 };
        Packed {
            strings: Strings::default(),
            source: Column::new(SmallId),
            name: Column::new(SmallId),
            cause: Column::new(SmallId),
            collector: Vec::new(),
            kind: Vec::new(),
            line: Column::new(Whole { unit: 1 }),
            gc_id: Column::new(Whole { unit: 1 }),
            timestamp: Column::new(Millis::default()),
            uptime_s: Column::new(Decimal { scale: 1e3 }),
            pause_ms: Column::new(ms),
            concurrent_ms: Column::new(ms),
            sizes: std::array::from_fn(|_| Column::new(Whole { unit: 1024 })),
            present: Vec::new(),
        }
    }
}

impl GcEvents {
    pub fn new() -> Self {
        GcEvents::default()
    }

    pub fn len(&self) -> usize {
        self.present.len()
    }

    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }

    /// Appends one event.
    pub fn push(&mut self, e: GcEvent) {
        self.push_ref(&e);
    }

    /// Appends a copy of one event.
    pub fn push_ref(&mut self, e: &GcEvent) {
        let mut present = 0u16;
        let source = self.strings.id(&e.source);
        self.source.push(source);
        let name = self.strings.id(&e.name);
        self.name.push(name);
        match &e.cause {
            Some(c) => {
                present |= CAUSE;
                let id = self.strings.id(c);
                self.cause.push(id);
            }
            None => self.cause.push_absent(),
        }
        self.collector.push(e.collector);
        self.kind.push(e.kind);
        self.line.push(e.line);
        opt(&mut self.gc_id, e.gc_id, GC_ID, &mut present);
        opt(&mut self.timestamp, e.timestamp, TIMESTAMP, &mut present);
        opt(&mut self.uptime_s, e.uptime_s, UPTIME, &mut present);
        self.pause_ms.push(e.pause_ms);
        opt(
            &mut self.concurrent_ms,
            e.concurrent_ms,
            CONCURRENT,
            &mut present,
        );
        for (k, (column, v)) in self.sizes.iter_mut().zip(sizes_of(e)).enumerate() {
            opt(column, v, 1u16 << (SIZE_SHIFT + k), &mut present);
        }
        self.present.push(present);
    }

    /// Event `i`, rebuilt.
    pub fn get(&self, i: usize) -> Option<GcEvent> {
        let present = *self.present.get(i)?;
        let has = |bit: u16| present & bit != 0;
        let mut e = GcEvent::new(
            self.strings.get(self.source.get(i)),
            self.line.get(i),
            self.collector.get(i).copied().unwrap_or(Collector::Unknown),
            self.strings.get(self.name.get(i)),
        );
        e.kind = self.kind.get(i).copied().unwrap_or(GcKind::Other);
        e.gc_id = has(GC_ID).then(|| self.gc_id.get(i));
        e.timestamp = has(TIMESTAMP).then(|| self.timestamp.get(i));
        e.uptime_s = has(UPTIME).then(|| self.uptime_s.get(i));
        e.cause = has(CAUSE).then(|| self.strings.get(self.cause.get(i)));
        e.pause_ms = self.pause_ms.get(i);
        e.concurrent_ms = has(CONCURRENT).then(|| self.concurrent_ms.get(i));
        for (k, (slot, column)) in size_slots(&mut e).into_iter().zip(&self.sizes).enumerate() {
            *slot = has(1u16 << (SIZE_SHIFT + k)).then(|| column.get(i));
        }
        Some(e)
    }

    pub fn first(&self) -> Option<GcEvent> {
        self.get(0)
    }

    pub fn last(&self) -> Option<GcEvent> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Wall-clock time of event `i`, read from its column alone.
    pub fn timestamp(&self, i: usize) -> Option<DateTime<FixedOffset>> {
        self.has(i, TIMESTAMP).then(|| self.timestamp.get(i))
    }

    /// Uptime of event `i`, read from its column alone.
    pub fn uptime_s(&self, i: usize) -> Option<f64> {
        self.has(i, UPTIME).then(|| self.uptime_s.get(i))
    }

    /// A size of event `i`, read from its column alone.
    pub fn size(&self, i: usize, field: GcSize) -> Option<u64> {
        let k = field.index();
        self.has(i, 1u16 << (SIZE_SHIFT + k))
            .then(|| self.sizes.get(k).map(|c| c.get(i)))
            .flatten()
    }

    /// Pause of event `i`, read from its column alone.
    pub fn pause_ms(&self, i: usize) -> f64 {
        self.pause_ms.get(i)
    }

    /// Line of event `i`, read from its column alone.
    pub fn line(&self, i: usize) -> u64 {
        self.line.get(i)
    }

    /// The distinct sources of the events, in order of first appearance.
    pub fn sources(&self) -> Vec<Arc<str>> {
        let mut ids: Vec<u32> = Vec::new();
        for i in 0..self.len() {
            let id = self.source.get(i);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.into_iter().map(|id| self.strings.get(id)).collect()
    }

    /// True when every event has a wall-clock time (a timeline sorts, and the dashboard cuts,
    /// by it only then).
    pub fn all_timestamped(&self) -> bool {
        self.present.iter().all(|p| p & TIMESTAMP != 0)
    }

    /// True when every event has an uptime.
    pub fn all_have_uptime(&self) -> bool {
        self.present.iter().all(|p| p & UPTIME != 0)
    }

    /// Replaces event `i` (nothing when there is none).
    pub fn set(&mut self, i: usize, e: &GcEvent) {
        if i >= self.len() {
            return;
        }
        let mut present = 0u16;
        let source = self.strings.id(&e.source);
        self.source.set(i, source);
        let name = self.strings.id(&e.name);
        self.name.set(i, name);
        if let Some(c) = &e.cause {
            present |= CAUSE;
            let id = self.strings.id(c);
            self.cause.set(i, id);
        }
        if let Some(c) = self.collector.get_mut(i) {
            *c = e.collector;
        }
        if let Some(k) = self.kind.get_mut(i) {
            *k = e.kind;
        }
        self.line.set(i, e.line);
        set_opt(&mut self.gc_id, i, e.gc_id, GC_ID, &mut present);
        set_opt(&mut self.timestamp, i, e.timestamp, TIMESTAMP, &mut present);
        set_opt(&mut self.uptime_s, i, e.uptime_s, UPTIME, &mut present);
        self.pause_ms.set(i, e.pause_ms);
        set_opt(
            &mut self.concurrent_ms,
            i,
            e.concurrent_ms,
            CONCURRENT,
            &mut present,
        );
        for (k, (column, v)) in self.sizes.iter_mut().zip(sizes_of(e)).enumerate() {
            set_opt(column, i, v, 1u16 << (SIZE_SHIFT + k), &mut present);
        }
        if let Some(p) = self.present.get_mut(i) {
            *p = present;
        }
    }

    /// Gives every event the same collector (a log's first young collections look like
    /// Serial ones until the log shows CMS).
    pub fn set_collector(&mut self, collector: Collector) {
        self.collector.iter_mut().for_each(|c| *c = collector);
    }

    /// Bytes held by the columns (not spare capacity nor the string table): the figure the
    /// docs give per event.
    pub fn column_bytes(&self) -> usize {
        let sizes: usize = self.sizes.iter().map(Column::bytes).sum();
        sizes
            + self.source.bytes()
            + self.name.bytes()
            + self.cause.bytes()
            + self.collector.len()
            + self.kind.len()
            + self.line.bytes()
            + self.gc_id.bytes()
            + self.timestamp.bytes()
            + self.uptime_s.bytes()
            + self.pause_ms.bytes()
            + self.concurrent_ms.bytes()
            + std::mem::size_of_val(self.present.as_slice())
    }

    /// The events as plain structs (tests, small batches).
    pub fn to_vec(&self) -> Vec<GcEvent> {
        self.iter().collect()
    }

    /// Moves the events of `other` to the end of these.
    pub fn append(&mut self, other: GcEvents) {
        if self.is_empty() {
            *self = other;
        } else {
            other.iter().for_each(|e| self.push_ref(&e));
        }
    }

    /// Splits off the events from `at` on.
    pub fn split_off(&mut self, at: usize) -> GcEvents {
        let mut later = GcEvents::new();
        for e in self.slice(at..self.len()) {
            later.push_ref(&e);
        }
        self.truncate(at);
        later
    }

    pub fn truncate(&mut self, len: usize) {
        self.each_column(|c| c.truncate(len));
        self.collector.truncate(len);
        self.kind.truncate(len);
        self.present.truncate(len);
    }

    pub fn clear(&mut self) {
        *self = GcEvents::new();
    }

    /// Drops the first `n` events.
    pub fn drain_front(&mut self, n: usize) {
        let n = n.min(self.len());
        self.each_column(|c| c.drain_front(n));
        self.collector.drain(..n);
        self.kind.drain(..n);
        self.present.drain(..n);
    }

    /// Keeps the events `keep` says yes to, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&GcEvent) -> bool) {
        let kept: Vec<usize> = self
            .iter()
            .enumerate()
            .filter(|(_, e)| keep(e))
            .map(|(i, _)| i)
            .collect();
        if kept.len() < self.len() {
            self.permute(&kept);
        }
    }

    /// Gives back the memory the columns' growth left spare.
    pub fn shrink_to_fit(&mut self) {
        self.each_column(|c| c.shrink_to_fit());
        self.collector.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.present.shrink_to_fit();
    }

    /// Keeps the events at `order` (indices, each at most once), in that order.
    pub(super) fn permute(&mut self, order: &[usize]) {
        self.each_column(|c| c.permute(order));
        self.collector = pick(&self.collector, order, Collector::Unknown);
        self.kind = pick(&self.kind, order, GcKind::Other);
        self.present = pick(&self.present, order, 0);
    }

    fn has(&self, i: usize, bit: u16) -> bool {
        self.present.get(i).is_some_and(|p| p & bit != 0)
    }

    fn each_column(&mut self, mut f: impl FnMut(Columns<'_>)) {
        f(Columns::Id(&mut self.source));
        f(Columns::Id(&mut self.name));
        f(Columns::Id(&mut self.cause));
        f(Columns::Whole(&mut self.line));
        f(Columns::Whole(&mut self.gc_id));
        f(Columns::Time(&mut self.timestamp));
        f(Columns::Decimal(&mut self.uptime_s));
        f(Columns::Decimal(&mut self.pause_ms));
        f(Columns::Decimal(&mut self.concurrent_ms));
        for c in &mut self.sizes {
            f(Columns::Whole(c));
        }
    }
}

/// One column of any kind, for the operations every column shares.
enum Columns<'a> {
    Id(&'a mut Column<SmallId>),
    Whole(&'a mut Column<Whole>),
    Decimal(&'a mut Column<Decimal>),
    Time(&'a mut Column<Millis>),
}

macro_rules! each {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            Columns::Id($c) => $body,
            Columns::Whole($c) => $body,
            Columns::Decimal($c) => $body,
            Columns::Time($c) => $body,
        }
    };
}

impl Columns<'_> {
    fn truncate(self, len: usize) {
        each!(self, c => c.truncate(len))
    }
    fn drain_front(self, n: usize) {
        each!(self, c => c.drain_front(n))
    }
    fn permute(self, order: &[usize]) {
        each!(self, c => c.permute(order))
    }
    fn shrink_to_fit(self) {
        each!(self, c => c.shrink_to_fit())
    }
}

fn opt<C>(column: &mut Column<C>, v: Option<C::Value>, bit: u16, present: &mut u16)
where
    C: super::gc_columns::Codec,
{
    match v {
        Some(v) => {
            *present |= bit;
            column.push(v);
        }
        None => column.push_absent(),
    }
}

fn set_opt<C>(column: &mut Column<C>, i: usize, v: Option<C::Value>, bit: u16, present: &mut u16)
where
    C: super::gc_columns::Codec,
{
    if let Some(v) = v {
        *present |= bit;
        column.set(i, v);
    }
}

fn pick<T: Copy>(values: &[T], order: &[usize], default: T) -> Vec<T> {
    order
        .iter()
        .map(|&i| values.get(i).copied().unwrap_or(default))
        .collect()
}
