//! The GC part of the OpenMetrics exposition: collections and pause time by collector and
//! kind, the pause histogram, and what the last collection of each kind left (the figures
//! `jvmem fleet` rebuilds the GC series from).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::openmetrics::Sampler;
use crate::model::GcEvent;

/// Upper bounds of the pause histogram's buckets, in seconds: from a 1 ms young pause to a
/// multi-second full GC (G1's default pause goal is 200 ms, so it falls between buckets).
pub const PAUSE_BUCKETS_S: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// Collections of one collector and kind, added up as events arrive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindTotals {
    pub collections: u64,
    pub pause_sum_s: f64,
    pub pause_max_s: f64,
    /// Non-cumulative counts per bucket of [`PAUSE_BUCKETS_S`], the last one `+Inf`.
    pub buckets: [u64; PAUSE_BUCKETS_S.len() + 1],
    /// The heap figures of the last collection of this kind that printed them.
    pub last: LastFigures,
}

/// What one collection left, as the `jvm_gc_last_*` gauges expose it: `jvmem fleet` rebuilds
/// one GC event per scrape in which a kind's collection counter rose from these, so the
/// diagnosis' old-gen-after-GC series (how a heap leak shows when `-Xms = -Xmx` keeps the
/// committed heap flat) exists on the Prometheus side too, sampled at the scrape interval.
/// G1's `Pause Young (Prepare Mixed)` does not update them: the diagnosis leaves it out of
/// the young series too (it is taken before old memory is reclaimed).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LastFigures {
    pub heap_before_bytes: Option<u64>,
    pub heap_after_bytes: Option<u64>,
    pub heap_capacity_bytes: Option<u64>,
    pub old_after_bytes: Option<u64>,
    pub metaspace_after_bytes: Option<u64>,
}

/// One `jvm_gc_last_*` gauge: name, help, and the figure it exposes.
pub type LastGauge = (&'static str, &'static str, fn(&LastFigures) -> Option<u64>);

/// The `jvm_gc_last_*` gauges.
pub const LAST_GAUGES: [LastGauge; 5] = [
    (
        "jvm_gc_last_heap_before_bytes",
        "Heap used before the last collection of this kind.",
        |l| l.heap_before_bytes,
    ),
    (
        "jvm_gc_last_heap_after_bytes",
        "Heap used after the last collection of this kind.",
        |l| l.heap_after_bytes,
    ),
    (
        "jvm_gc_last_heap_capacity_bytes",
        "Heap capacity at the last collection of this kind.",
        |l| l.heap_capacity_bytes,
    ),
    (
        "jvm_gc_last_old_after_bytes",
        "Old generation used after the last collection of this kind.",
        |l| l.old_after_bytes,
    ),
    (
        "jvm_gc_last_metaspace_after_bytes",
        "Metaspace used after the last collection of this kind.",
        |l| l.metaspace_after_bytes,
    ),
];

/// GC totals over every event seen: counters never go down, even when a bounded window
/// (`jvmem serve`) has dropped the events themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GcTotals {
    pub by_kind: BTreeMap<(String, String), KindTotals>,
    pub heap_after_bytes: Option<u64>,
    pub heap_capacity_bytes: Option<u64>,
}

impl GcTotals {
    /// Totals of these events.
    pub fn of<E: std::borrow::Borrow<GcEvent>>(events: impl IntoIterator<Item = E>) -> Self {
        let mut totals = GcTotals::default();
        for e in events {
            totals.add(e.borrow());
        }
        totals
    }

    /// Counts one more event (in time order: its heap figures become the latest).
    pub fn add(&mut self, e: &GcEvent) {
        let pause = e.pause_ms.max(0.0) / 1000.0;
        let entry = self
            .by_kind
            .entry((
                e.collector.as_str().to_string(),
                e.kind.as_str().to_string(),
            ))
            .or_default();
        entry.collections += 1;
        entry.pause_sum_s += pause;
        entry.pause_max_s = entry.pause_max_s.max(pause);
        let bucket = PAUSE_BUCKETS_S
            .iter()
            .position(|&le| pause <= le)
            .unwrap_or(PAUSE_BUCKETS_S.len());
        entry.buckets[bucket] += 1;
        let has_figures = e.heap_after_bytes.is_some() || e.old_after_bytes.is_some();
        if has_figures && !e.name.contains("Prepare Mixed") {
            entry.last = LastFigures {
                heap_before_bytes: e.heap_before_bytes,
                heap_after_bytes: e.heap_after_bytes,
                heap_capacity_bytes: e.heap_capacity_bytes,
                old_after_bytes: e.old_after_bytes,
                metaspace_after_bytes: e.metaspace_after_bytes,
            };
        }
        if let Some(after) = e.heap_after_bytes {
            self.heap_after_bytes = Some(after);
            self.heap_capacity_bytes = e.heap_capacity_bytes;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_kind.is_empty()
    }
}

/// GC figures over the whole log: collections and pause time by collector and kind, and the
/// heap after the last collection.
pub(super) fn write_gc<W: Write>(
    s: &mut Sampler<W>,
    gc: &GcTotals,
    histogram: bool,
) -> io::Result<()> {
    if gc.is_empty() {
        return Ok(());
    }
    s.family(
        "jvm_gc_collections",
        "counter",
        None,
        "Collections in the GC log.",
    )?;
    for (k, v) in &gc.by_kind {
        let l = [("collector", k.0.as_str()), ("kind", k.1.as_str())];
        s.sample(
            "jvm_gc_collections_total",
            &l,
            &v.collections.to_string(),
            "",
        )?;
    }
    s.family(
        "jvm_gc_pause_seconds",
        "counter",
        Some("seconds"),
        "Stop-the-world pause time in the GC log.",
    )?;
    for (k, v) in &gc.by_kind {
        let l = [("collector", k.0.as_str()), ("kind", k.1.as_str())];
        s.sample(
            "jvm_gc_pause_seconds_total",
            &l,
            &v.pause_sum_s.to_string(),
            "",
        )?;
    }
    s.family(
        "jvm_gc_pause_max_seconds",
        "gauge",
        Some("seconds"),
        "Longest stop-the-world pause in the GC log.",
    )?;
    for (k, v) in &gc.by_kind {
        let l = [("collector", k.0.as_str()), ("kind", k.1.as_str())];
        s.sample(
            "jvm_gc_pause_max_seconds",
            &l,
            &v.pause_max_s.to_string(),
            "",
        )?;
    }
    if histogram {
        let name = "jvm_gc_pause_duration_seconds";
        s.family(
            name,
            "histogram",
            Some("seconds"),
            "Stop-the-world pauses per collection, by duration.",
        )?;
        for (k, v) in &gc.by_kind {
            let mut cumulative = 0;
            for (i, count) in v.buckets.iter().enumerate() {
                cumulative += count;
                let le = PAUSE_BUCKETS_S
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
                let l = [
                    ("collector", k.0.as_str()),
                    ("kind", k.1.as_str()),
                    ("le", &le),
                ];
                s.sample(&format!("{name}_bucket"), &l, &cumulative.to_string(), "")?;
            }
            let l = [("collector", k.0.as_str()), ("kind", k.1.as_str())];
            s.sample(&format!("{name}_count"), &l, &v.collections.to_string(), "")?;
            s.sample(&format!("{name}_sum"), &l, &v.pause_sum_s.to_string(), "")?;
        }
    }
    for (name, help, pick) in LAST_GAUGES {
        if !gc.by_kind.values().any(|v| pick(&v.last).is_some()) {
            continue;
        }
        s.family(name, "gauge", Some("bytes"), help)?;
        for (k, v) in &gc.by_kind {
            if let Some(bytes) = pick(&v.last) {
                let l = [("collector", k.0.as_str()), ("kind", k.1.as_str())];
                s.sample(name, &l, &bytes.to_string(), "")?;
            }
        }
    }
    if let Some(after) = gc.heap_after_bytes {
        s.family(
            "jvm_gc_heap_after_bytes",
            "gauge",
            Some("bytes"),
            "Heap used after the last collection.",
        )?;
        s.sample("jvm_gc_heap_after_bytes", &[], &after.to_string(), "")?;
        if let Some(cap) = gc.heap_capacity_bytes {
            s.family(
                "jvm_gc_heap_capacity_bytes",
                "gauge",
                Some("bytes"),
                "Heap capacity at the last collection.",
            )?;
            s.sample("jvm_gc_heap_capacity_bytes", &[], &cap.to_string(), "")?;
        }
    }
    Ok(())
}
