//! The JFR events jvmem reads, mapped onto the model. Field names are the JDK's
//! (`jfr metadata` lists them); string fields such as `when`, `name` and `cause` are constant-pool
//! references in the file, resolved here.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use jfrs::reader::event::Accessor;
use jfrs::reader::value_descriptor::{Primitive, ValueDescriptor};
use jfrs::reader::{Chunk, JfrReader};
use serde::Serialize;

use super::{ChunkClock, EventCounts, tick_time};
use crate::model::categories::names;
use crate::model::{
    Category, Collector, Diagnostic, Field, GcEvent, GcKind, ProcessSample, Scale, Snapshot,
    SnapshotKind, Timeline, Usage,
};

/// What a recording held, beside the timeline: for `--verbose` output and for checks against
/// the JDK's own reader.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JfrSummary {
    pub chunks: usize,
    /// Every event type seen, with its count (the types jvmem does not use are only counted).
    pub events: EventCounts,
    pub jvm_version: Option<String>,
    pub pid: Option<u32>,
    /// `jdk.ContainerConfiguration`'s memory limit, when the JVM ran under one.
    pub container_limit_bytes: Option<u64>,
}

/// One GC, assembled from the events that share its `gcId`.
#[derive(Debug, Default)]
struct PendingGc {
    time: Option<DateTime<FixedOffset>>,
    name: Option<String>,
    cause: Option<String>,
    pause_ms: f64,
    duration_ms: f64,
    heap_before: Option<u64>,
    heap_after: Option<u64>,
    capacity_after: Option<u64>,
    metaspace_before: Option<u64>,
    metaspace_after: Option<u64>,
    g1_type: Option<String>,
    seen_collection: bool,
}

/// Accumulates a recording's events into a timeline.
pub(super) struct Collect {
    source: Arc<str>,
    /// NMT categories by (event time, chunk): every category of one sample shares its
    /// startTime; the chunk keeps two concatenated recordings' samples apart.
    nmt: BTreeMap<(i64, usize), (Option<Usage>, Vec<Category>)>,
    names: BTreeMap<String, Arc<str>>,
    gcs: BTreeMap<i64, PendingGc>,
    /// (time in nanos, live threads) and (time, loaded − unloaded classes), in time order.
    threads: Vec<(i64, i64)>,
    classes: Vec<(i64, i64)>,
    process: Vec<ProcessSample>,
    young_collector: Option<String>,
    summary: JfrSummary,
}

fn string_of<'a>(chunk: &'a Chunk, a: Option<Accessor<'a>>) -> Option<String> {
    let a = a?.resolve()?;
    match a.value {
        ValueDescriptor::Primitive(Primitive::String(s)) => Some(s.clone()),
        ValueDescriptor::Primitive(Primitive::NullString) => None,
        // GCName, GCCause, GCWhen…: a constant with one string field.
        ValueDescriptor::Object(o) if o.fields.len() == 1 => {
            string_of(chunk, Some(Accessor::new(chunk, &o.fields[0])))
        }
        _ => None,
    }
}

fn long_of(a: Option<Accessor<'_>>) -> Option<i64> {
    let a = a?.resolve()?;
    match a.value {
        ValueDescriptor::Primitive(Primitive::Long(v)) => Some(*v),
        ValueDescriptor::Primitive(Primitive::Integer(v)) => Some(i64::from(*v)),
        ValueDescriptor::Primitive(Primitive::Short(v)) => Some(i64::from(*v)),
        ValueDescriptor::Primitive(Primitive::Byte(v)) => Some(i64::from(*v)),
        _ => None,
    }
}

fn bytes_of(a: Option<Accessor<'_>>) -> Option<u64> {
    long_of(a).and_then(|v| u64::try_from(v).ok())
}

/// The collector a JFR GC name belongs to, and what kind of collection it is.
fn classify(name: &str, g1_type: Option<&str>) -> (Collector, GcKind) {
    match name {
        "G1New" => match g1_type {
            Some("Mixed") => (Collector::G1, GcKind::Mixed),
            _ => (Collector::G1, GcKind::Young),
        },
        "G1Old" => (Collector::G1, GcKind::Concurrent),
        "G1Full" => (Collector::G1, GcKind::Full),
        "ParallelScavenge" | "PSMarkSweep" => {
            if name == "PSMarkSweep" {
                (Collector::Parallel, GcKind::Full)
            } else {
                (Collector::Parallel, GcKind::Young)
            }
        }
        "ParallelOld" => (Collector::Parallel, GcKind::Full),
        "DefNew" => (Collector::Serial, GcKind::Young),
        "SerialOld" => (Collector::Serial, GcKind::Full),
        "ParNew" => (Collector::Cms, GcKind::Young),
        "ConcurrentMarkSweep" => (Collector::Cms, GcKind::Concurrent),
        n if n.starts_with('Z') => (Collector::Zgc, GcKind::Concurrent),
        n if n.starts_with("Shenandoah") => (Collector::Shenandoah, GcKind::Concurrent),
        _ => (Collector::Unknown, GcKind::Other),
    }
}

impl Collect {
    pub(super) fn new(source: Arc<str>) -> Self {
        Collect {
            source,
            nmt: BTreeMap::new(),
            names: BTreeMap::new(),
            gcs: BTreeMap::new(),
            threads: Vec::new(),
            classes: Vec::new(),
            process: Vec::new(),
            young_collector: None,
            summary: JfrSummary::default(),
        }
    }

    fn name(&mut self, name: &str) -> Arc<str> {
        if let Some(n) = self.names.get(name) {
            return Arc::clone(n);
        }
        let n: Arc<str> = Arc::from(name);
        self.names.insert(name.to_string(), Arc::clone(&n));
        n
    }

    /// Reads one chunk (its whole bytes, framing already checked); `Err` carries a message
    /// for a chunk the reader could not decode (what it gave before the error is kept).
    pub(super) fn read_chunk(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut reader = JfrReader::new(std::io::Cursor::new(bytes));
        let Some(item) = reader.chunks().next() else {
            return Err("an empty chunk".into());
        };
        let (mut chunk_reader, chunk) = item.map_err(|e| e.to_string())?;
        self.summary.chunks += 1;
        let clock = ChunkClock {
            start_nanos: chunk.header.start_time_nanos,
            start_ticks: chunk.header.start_ticks,
            ticks_per_second: chunk.header.ticks_per_second,
        };
        for event in chunk_reader.events(&chunk) {
            let event = event.map_err(|e| e.to_string())?;
            let type_name = event.class.name().to_string();
            self.event(&type_name, event.value(), &chunk, &clock);
            *self.summary.events.entry(type_name).or_default() += 1;
        }
        Ok(())
    }

    fn event<'a>(
        &mut self,
        type_name: &str,
        v: Accessor<'a>,
        chunk: &'a Chunk,
        clock: &ChunkClock,
    ) {
        let ticks = long_of(v.get_field("startTime"));
        let nanos = ticks.and_then(|t| clock.nanos_at(t));
        let time = ticks.and_then(|t| tick_time(t, clock));
        match type_name {
            "jdk.NativeMemoryUsage" => {
                let (Some(nanos), Some(kind)) = (nanos, string_of(chunk, v.get_field("type")))
                else {
                    return;
                };
                let usage = Usage {
                    reserved_bytes: bytes_of(v.get_field("reserved")).unwrap_or(0),
                    committed_bytes: bytes_of(v.get_field("committed")).unwrap_or(0),
                    ..Usage::default()
                };
                let name = self.name(&kind);
                self.nmt
                    .entry((nanos, self.summary.chunks))
                    .or_default()
                    .1
                    .push(Category { name, usage });
            }
            "jdk.NativeMemoryUsageTotal" => {
                let Some(nanos) = nanos else {
                    return;
                };
                let usage = Usage {
                    reserved_bytes: bytes_of(v.get_field("reserved")).unwrap_or(0),
                    committed_bytes: bytes_of(v.get_field("committed")).unwrap_or(0),
                    ..Usage::default()
                };
                self.nmt.entry((nanos, self.summary.chunks)).or_default().0 = Some(usage);
            }
            "jdk.GarbageCollection" => {
                let Some(id) = long_of(v.get_field("gcId")) else {
                    return;
                };
                let gc = self.gcs.entry(id).or_default();
                gc.time = time;
                gc.name = string_of(chunk, v.get_field("name"));
                gc.cause = string_of(chunk, v.get_field("cause"));
                gc.pause_ms = clock.millis(long_of(v.get_field("sumOfPauses")).unwrap_or(0));
                gc.duration_ms = clock.millis(long_of(v.get_field("duration")).unwrap_or(0));
                gc.seen_collection = true;
            }
            "jdk.G1GarbageCollection" => {
                if let Some(id) = long_of(v.get_field("gcId")) {
                    self.gcs.entry(id).or_default().g1_type = string_of(chunk, v.get_field("type"));
                }
            }
            "jdk.GCHeapSummary" => {
                let Some(id) = long_of(v.get_field("gcId")) else {
                    return;
                };
                let used = bytes_of(v.get_field("heapUsed"));
                let capacity = v
                    .get_field("heapSpace")
                    .and_then(|s| bytes_of(s.get_field("committedSize")));
                let gc = self.gcs.entry(id).or_default();
                match string_of(chunk, v.get_field("when")).as_deref() {
                    Some("Before GC") => gc.heap_before = used,
                    Some("After GC") => {
                        gc.heap_after = used;
                        gc.capacity_after = capacity;
                    }
                    _ => {}
                }
            }
            "jdk.MetaspaceSummary" => {
                let Some(id) = long_of(v.get_field("gcId")) else {
                    return;
                };
                let used = v
                    .get_field("metaspace")
                    .and_then(|m| bytes_of(m.get_field("used")));
                let gc = self.gcs.entry(id).or_default();
                match string_of(chunk, v.get_field("when")).as_deref() {
                    Some("Before GC") => gc.metaspace_before = used,
                    Some("After GC") => gc.metaspace_after = used,
                    _ => {}
                }
            }
            "jdk.JavaThreadStatistics" => {
                if let (Some(n), Some(c)) = (nanos, long_of(v.get_field("activeCount"))) {
                    self.threads.push((n, c));
                }
            }
            "jdk.ClassLoadingStatistics" => {
                let loaded = long_of(v.get_field("loadedClassCount"));
                let unloaded = long_of(v.get_field("unloadedClassCount")).unwrap_or(0);
                if let (Some(n), Some(l)) = (nanos, loaded) {
                    self.classes.push((n, l - unloaded));
                }
            }
            "jdk.ContainerConfiguration" => {
                // -1 means no limit.
                if let Some(limit) = bytes_of(v.get_field("memoryLimit")).filter(|&l| l > 0) {
                    self.summary.container_limit_bytes = Some(limit);
                }
            }
            "jdk.ContainerMemoryUsage" => {
                if let Some(time) = time {
                    self.process.push(ProcessSample {
                        timestamp: time,
                        rss_bytes: None,
                        cgroup_usage_bytes: bytes_of(v.get_field("memoryUsage")),
                        cgroup_limit_bytes: self.summary.container_limit_bytes,
                    });
                }
            }
            "jdk.JVMInformation" => {
                self.summary.jvm_version = string_of(chunk, v.get_field("jvmVersion"));
                self.summary.pid = long_of(v.get_field("pid")).and_then(|p| u32::try_from(p).ok());
            }
            "jdk.GCConfiguration" => {
                self.young_collector = string_of(chunk, v.get_field("youngCollector"));
            }
            _ => {}
        }
    }

    /// The timeline: snapshots in time order, GC events in id order.
    pub(super) fn finish(mut self) -> (Timeline, JfrSummary) {
        let mut timeline = Timeline::default();
        let (threads, classes) = (
            std::mem::take(&mut self.threads),
            std::mem::take(&mut self.classes),
        );
        let latest = |series: &[(i64, i64)], at: i64| {
            series
                .iter()
                .take_while(|(t, _)| *t <= at)
                .last()
                .or(series.first())
                .map(|&(_, v)| v)
        };
        for ((nanos, _chunk), (total, mut categories)) in std::mem::take(&mut self.nmt) {
            let Some(total) = total.or_else(|| {
                // Without the Total event, the sum of the categories is the total.
                let mut t = Usage::default();
                for c in &categories {
                    t.reserved_bytes = t.reserved_bytes.saturating_add(c.usage.reserved_bytes);
                    t.committed_bytes = t.committed_bytes.saturating_add(c.usage.committed_bytes);
                }
                (!categories.is_empty()).then_some(t)
            }) else {
                continue;
            };
            for c in &mut categories {
                if &*c.name == names::THREAD
                    && let Some(n) = latest(&threads, nanos)
                {
                    c.usage.set_field(Field::ThreadCount, n, None);
                }
                if &*c.name == names::CLASS
                    && let Some(n) = latest(&classes, nanos)
                {
                    c.usage.set_field(Field::ClassCount, n, None);
                }
            }
            timeline.snapshots.push(Snapshot {
                source: Arc::clone(&self.source),
                line: 0,
                timestamp: Some(Utc.timestamp_nanos(nanos).fixed_offset()),
                pid: self.summary.pid,
                jvm_version: self.summary.jvm_version.as_deref().map(Arc::from),
                kind: SnapshotKind::Summary,
                scale: Scale::Bytes,
                total,
                categories,
                complete: true,
            });
        }
        let young = self.young_collector.clone().unwrap_or_default();
        for (id, gc) in std::mem::take(&mut self.gcs) {
            if !gc.seen_collection {
                continue;
            }
            let name = gc.name.clone().unwrap_or_else(|| young.clone());
            let (collector, kind) = classify(&name, gc.g1_type.as_deref());
            let mut e = GcEvent::new(Arc::clone(&self.source), 0, collector, self.name(&name));
            e.gc_id = u64::try_from(id).ok();
            e.timestamp = gc.time;
            e.kind = kind;
            e.cause = gc.cause.as_deref().map(Arc::from);
            if kind == GcKind::Concurrent {
                e.concurrent_ms = Some(gc.duration_ms);
                e.pause_ms = gc.pause_ms;
            } else {
                e.pause_ms = gc.pause_ms;
            }
            e.heap_before_bytes = gc.heap_before;
            e.heap_after_bytes = gc.heap_after;
            e.heap_capacity_bytes = gc.capacity_after;
            e.metaspace_before_bytes = gc.metaspace_before;
            e.metaspace_after_bytes = gc.metaspace_after;
            timeline.gc_events.push(e);
        }
        timeline.sort_gc_events();
        timeline.process = std::mem::take(&mut self.process);
        timeline.limit_bytes = self.summary.container_limit_bytes;
        if timeline.snapshots.is_empty() {
            timeline.diagnostics.push(Diagnostic::warning(
                &self.source,
                0,
                "no jdk.NativeMemoryUsage events: JDK 20+ records them when the JVM runs with \
                 -XX:NativeMemoryTracking=summary; only the GC data of this recording is used",
            ));
        }
        (timeline, self.summary)
    }
}
