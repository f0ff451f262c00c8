//! Time series out of a [`Timeline`] and their trends: per NMT category its committed bytes and
//! sub-fields (malloc, mmap, arena, class count, thread count, metaspace used, stack), and from
//! GC events the heap after GC (old gen after full/mixed collections, the floor of heap after
//! young collections) and metaspace after GC.
//!
//! Times are minutes since the first point. Snapshots without timestamps are spaced by an
//! assumed interval; the caller is told so through [`SeriesTime::Assumed`].

use serde::Serialize;

use super::trend::{Trend, trend, trim_warmup};
use chrono::{DateTime, FixedOffset};

use crate::model::{Field, Timeline};

/// What one series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Committed,
    Malloc,
    MmapCommitted,
    Arena,
    StackCommitted,
    MetaspaceUsed,
    ClassCount,
    ThreadCount,
    /// Old gen (else whole heap) after full and mixed collections (ZGC, Shenandoah: after
    /// every cycle; G1: also after a completed marking that no mixed collection followed).
    OldAfterFullOrMixedGc,
    /// Rolling minimum of the heap after young collections (logs without old-gen figures
    /// and with too few old-generation cycles).
    HeapAfterYoungGcFloor,
    MetaspaceAfterGc,
    /// Old gen after every young pause, when no collection in the window reclaimed old memory
    /// (G1 old + humongous regions after each pause).
    OldAfterEveryGc,
    /// Old gen after full/mixed collections up to the moment the old generation saturated
    /// (back-to-back collections that reclaim almost nothing).
    OldAfterGcUntilSaturated,
}

impl Metric {
    /// True for counts (classes, threads), false for bytes.
    pub fn is_count(self) -> bool {
        matches!(self, Metric::ClassCount | Metric::ThreadCount)
    }

    /// What a count series counts, for rates (`classes/min`).
    pub fn count_unit(self) -> &'static str {
        match self {
            Metric::ClassCount => "classes",
            Metric::ThreadCount => "threads",
            _ => "",
        }
    }

    /// True for series read from GC events rather than NMT snapshots.
    pub fn is_gc(self) -> bool {
        matches!(
            self,
            Metric::OldAfterFullOrMixedGc
                | Metric::HeapAfterYoungGcFloor
                | Metric::MetaspaceAfterGc
                | Metric::OldAfterEveryGc
                | Metric::OldAfterGcUntilSaturated
        )
    }

    /// Words for people: `committed`, `class count`, `old gen after full/mixed GC`.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Committed => "committed",
            Metric::Malloc => "malloc",
            Metric::MmapCommitted => "mmap committed",
            Metric::Arena => "arena",
            Metric::StackCommitted => "stack committed",
            Metric::MetaspaceUsed => "metaspace used",
            Metric::ClassCount => "class count",
            Metric::ThreadCount => "thread count",
            Metric::OldAfterFullOrMixedGc => "old gen after full/mixed GC",
            Metric::HeapAfterYoungGcFloor => "floor of heap after young GC",
            Metric::MetaspaceAfterGc => "metaspace after GC",
            Metric::OldAfterEveryGc => "old gen after every young GC (nothing reclaimed it)",
            Metric::OldAfterGcUntilSaturated => "old gen after full/mixed GC until it saturated",
        }
    }

    fn field(self) -> Option<Field> {
        match self {
            Metric::Malloc => Some(Field::MallocBytes),
            Metric::MmapCommitted => Some(Field::MmapCommittedBytes),
            Metric::Arena => Some(Field::ArenaBytes),
            Metric::StackCommitted => Some(Field::StackCommittedBytes),
            Metric::MetaspaceUsed => Some(Field::MetadataUsedBytes),
            Metric::ClassCount => Some(Field::ClassCount),
            Metric::ThreadCount => Some(Field::ThreadCount),
            _ => None,
        }
    }
}

/// NMT sub-fields followed per category, besides committed bytes.
pub const NMT_FIELDS: &[Metric] = &[
    Metric::Malloc,
    Metric::MmapCommitted,
    Metric::Arena,
    Metric::StackCommitted,
    Metric::MetaspaceUsed,
    Metric::ClassCount,
    Metric::ThreadCount,
];

/// How the times of a series were known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesTime {
    /// From timestamps (or GC uptimes).
    Measured,
    /// No timestamps: points spaced by this many seconds.
    Assumed { interval_s: f64 },
}

/// The trend of one series of one category (GC series use `Java Heap` / `Metaspace`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesGrowth {
    pub category: String,
    pub metric: Metric,
    pub time: SeriesTime,
    pub trend: Trend,
}

/// Minutes since the first snapshot for every snapshot (given by its timestamp), or index ×
/// interval when any snapshot lacks a timestamp.
pub fn snapshot_times(
    timestamps: &[Option<DateTime<FixedOffset>>],
    assumed_interval_s: f64,
) -> (Vec<f64>, SeriesTime) {
    let first = timestamps.first().copied().flatten();
    let measured: Option<Vec<f64>> = timestamps
        .iter()
        .map(|&t| {
            let (t, f) = (t?, first?);
            Some((t - f).num_milliseconds() as f64 / 60_000.0)
        })
        .collect();
    match measured {
        Some(times) if times.last().is_some_and(|&t| t > 0.0) => (times, SeriesTime::Measured),
        _ => {
            let step = assumed_interval_s / 60.0;
            let times = (0..timestamps.len()).map(|i| i as f64 * step).collect();
            (
                times,
                SeriesTime::Assumed {
                    interval_s: assumed_interval_s,
                },
            )
        }
    }
}

/// Trends of every category's committed bytes and sub-fields, warm-up trimmed.
pub fn nmt_growth(
    timeline: &Timeline,
    warmup_fraction: f64,
    min_points: usize,
    assumed_interval_s: f64,
) -> Vec<SeriesGrowth> {
    let metrics: Vec<Metric> = std::iter::once(Metric::Committed)
        .chain(NMT_FIELDS.iter().copied())
        .collect();
    let columns = nmt::Columns::of(timeline, &metrics, assumed_interval_s);
    let mut out = Vec::new();
    for (name, metric, points) in columns.series() {
        if let Some(trend) = trend(trim_warmup(&points, warmup_fraction, min_points)) {
            out.push(SeriesGrowth {
                category: name.to_string(),
                metric,
                time: columns.time,
                trend,
            });
        }
    }
    out
}

mod gc;
mod nmt;
#[cfg(test)]
mod tests;

pub use gc::{
    GcPoint, MIN_CYCLES, SATURATED_FREED_SHARE, SATURATED_GAP_MIN, SATURATED_RUN, gc_growth,
    gc_growth_of_points, gc_points,
};
