//! One garbage collection as read from a GC log, in any format and from any collector.
//!
//! Events are kept for whole multi-gigabyte logs, so they stay small: shared `Arc<str>`s for
//! the source, name and cause; plain numbers for everything else.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The collector that produced an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Collector {
    G1,
    Parallel,
    Serial,
    #[serde(rename = "CMS")]
    Cms,
    Shenandoah,
    #[serde(rename = "ZGC")]
    Zgc,
    /// The no-op collector (`-XX:+UseEpsilonGC`): a log with a header and no collection.
    Epsilon,
    /// The log did not say (e.g. a `-Xlog:gc` line without a header).
    Unknown,
}

impl Collector {
    /// The name used in JSON, CSV and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Collector::G1 => "G1",
            Collector::Parallel => "Parallel",
            Collector::Serial => "Serial",
            Collector::Cms => "CMS",
            Collector::Shenandoah => "Shenandoah",
            Collector::Zgc => "ZGC",
            Collector::Epsilon => "Epsilon",
            Collector::Unknown => "Unknown",
        }
    }
}

/// What kind of collection an event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum GcKind {
    Young,
    Mixed,
    Full,
    InitialMark,
    Remark,
    Cleanup,
    Concurrent,
    Other,
}

impl GcKind {
    /// Every kind, in declaration order (the order tables list them in): the one list of
    /// them, for looking a kind up by its [`as_str`](GcKind::as_str) name and counting by kind.
    pub const ALL: [GcKind; 8] = [
        GcKind::Young,
        GcKind::Mixed,
        GcKind::Full,
        GcKind::InitialMark,
        GcKind::Remark,
        GcKind::Cleanup,
        GcKind::Concurrent,
        GcKind::Other,
    ];

    /// The name used in JSON, CSV and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            GcKind::Young => "young",
            GcKind::Mixed => "mixed",
            GcKind::Full => "full",
            GcKind::InitialMark => "initial-mark",
            GcKind::Remark => "remark",
            GcKind::Cleanup => "cleanup",
            GcKind::Concurrent => "concurrent",
            GcKind::Other => "other",
        }
    }
}

/// One collection: in unified logs one `GC(N)` id, in legacy logs one collection record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GcEvent {
    pub source: Arc<str>,
    /// 1-based line where the event starts.
    pub line: u64,
    pub gc_id: Option<u64>,
    pub timestamp: Option<DateTime<FixedOffset>>,
    /// Seconds since JVM start.
    pub uptime_s: Option<f64>,
    pub collector: Collector,
    pub kind: GcKind,
    /// The log's own name for it: `Pause Young (Normal) (G1 Evacuation Pause)`.
    pub name: Arc<str>,
    pub cause: Option<Arc<str>>,
    /// Sum of all stop-the-world pauses of this collection; 0 if none.
    pub pause_ms: f64,
    /// Duration of the concurrent phases, when the collection had any.
    pub concurrent_ms: Option<f64>,
    pub heap_before_bytes: Option<u64>,
    pub heap_after_bytes: Option<u64>,
    pub heap_capacity_bytes: Option<u64>,
    pub young_before_bytes: Option<u64>,
    pub young_after_bytes: Option<u64>,
    pub old_before_bytes: Option<u64>,
    pub old_after_bytes: Option<u64>,
    /// G1: humongous regions after the collection (already counted in `old_after_bytes`).
    pub humongous_after_bytes: Option<u64>,
    pub metaspace_before_bytes: Option<u64>,
    pub metaspace_after_bytes: Option<u64>,
}

impl GcEvent {
    /// An event with only its identity set; parsers fill in the rest.
    pub fn new(source: Arc<str>, line: u64, collector: Collector, name: Arc<str>) -> Self {
        GcEvent {
            source,
            line,
            gc_id: None,
            timestamp: None,
            uptime_s: None,
            collector,
            kind: GcKind::Other,
            name,
            cause: None,
            pause_ms: 0.0,
            concurrent_ms: None,
            heap_before_bytes: None,
            heap_after_bytes: None,
            heap_capacity_bytes: None,
            young_before_bytes: None,
            young_after_bytes: None,
            old_before_bytes: None,
            old_after_bytes: None,
            humongous_after_bytes: None,
            metaspace_before_bytes: None,
            metaspace_after_bytes: None,
        }
    }
}
