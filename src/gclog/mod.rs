//! GC logs → [`GcEvent`]s: unified logging (JDK 9–25, any decorators) and legacy
//! `-XX:+PrintGCDetails` (JDK ≤ 8), every collector, rotated sets merged into one timeline.
//!
//! Reading streams: lines are split on bytes with `memchr`, uninteresting lines are skipped by a
//! byte check before anything else looks at them, and memory stays flat apart from the events
//! (or not even those, when a [`GcSink`] consumes them as they come, as `jvmem gc` does).
//!
//! - [`decorators`]: the `[…]` prefix of unified lines.
//! - [`unified`]: one event per `GC(N)` id, per collector family.
//! - [`legacy`]: one event per collection record, with interleaved concurrent lines.
//! - [`driver`]: format detection, line splitting, diagnostics.
//! - [`GcReader`]: the same reading, fed bytes as they arrive (a followed log, a session).
//! - [`rotation`]: files and directories, rotated sets in time order.

pub mod decorators;
mod driver;
mod fasthash;
pub(crate) mod find;
mod incremental;
mod intern;
pub mod legacy;
pub mod numbers;
mod plausible;
pub mod rotation;
pub mod unified;

use std::io::BufRead;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::model::{Collector, Diagnostic, GcEvent};

pub use driver::ParseOptions;
pub use incremental::GcReader;
pub use rotation::{
    GcFile, PathFile, load_files, load_files_with, load_paths, load_paths_with, order_paths,
};

/// At most this many unrecognized lines are kept as diagnostics per parse; the rest are counted.
pub const MAX_STORED_DIAGNOSTICS: usize = 1000;

/// Which family of log format a file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GcLogFormat {
    /// JDK 9+ `-Xlog:gc…`.
    Unified,
    /// JDK ≤ 8 `-XX:+PrintGC[Details]`.
    Legacy,
}

/// What was learnt about the log(s) besides the events.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GcLogInfo {
    /// From `Version: 17.0.15+6 (release)` (unified `gc,init`) or a legacy header line.
    pub jvm_version: Option<String>,
    /// From `Using G1` & co., or inferred from the events.
    pub collector: Option<Collector>,
    pub format: Option<GcLogFormat>,
    /// Lines read, over all inputs.
    pub lines: u64,
    pub bytes: u64,
    /// Non-blank lines that no rule understood (only the first [`MAX_STORED_DIAGNOSTICS`]
    /// become diagnostics).
    pub unrecognized_lines: u64,
    pub events: u64,
    /// G1 region size (`Heap region size: 1M`), which turns region counts into bytes.
    pub region_size_bytes: Option<u64>,
    /// `Heap Initial Capacity:` / `Heap Max Capacity:` of the `gc,init` header (JDK 17+).
    pub heap_initial_bytes: Option<u64>,
    pub heap_max_bytes: Option<u64>,
    /// JVM runs seen in the input when it held more than one (a restart appended to the same
    /// file, two logs `cat` together); 0 when it held one.
    pub jvm_runs: u64,
    /// Inputs read, in the order they were read.
    pub sources: Vec<Arc<str>>,
    /// First and last instant seen in the log(s): uptime of the first decorated line and end of
    /// the last event; used for throughput.
    pub start_uptime_s: Option<f64>,
    pub end_uptime_s: Option<f64>,
    pub start_timestamp: Option<DateTime<FixedOffset>>,
    pub end_timestamp: Option<DateTime<FixedOffset>>,
}

impl GcLogInfo {
    /// Folds another input's info into this one (rotated files of one JVM).
    /// True when the input was recognisably a GC log even if it held no collection: an
    /// Epsilon log, a rotated file with only the `gc,init` header. Its format was seen, and it
    /// named its JVM, collector or heap.
    pub fn is_gc_log(&self) -> bool {
        self.format.is_some()
            && (self.events > 0
                || self.jvm_version.is_some()
                || self.collector.is_some_and(|c| c != Collector::Unknown)
                || self.heap_max_bytes.is_some())
    }

    pub fn merge(&mut self, other: GcLogInfo) {
        self.jvm_version = self.jvm_version.take().or(other.jvm_version);
        self.collector = match (self.collector, other.collector) {
            (Some(Collector::Unknown) | None, c) => c.or(self.collector),
            (c, _) => c,
        };
        self.format = self.format.or(other.format);
        self.region_size_bytes = self.region_size_bytes.or(other.region_size_bytes);
        self.heap_initial_bytes = self.heap_initial_bytes.or(other.heap_initial_bytes);
        self.heap_max_bytes = self.heap_max_bytes.or(other.heap_max_bytes);
        self.jvm_runs += other.jvm_runs;
        self.lines += other.lines;
        self.bytes += other.bytes;
        self.unrecognized_lines += other.unrecognized_lines;
        self.events += other.events;
        self.sources.extend(other.sources);
        self.start_uptime_s = min_opt(self.start_uptime_s, other.start_uptime_s);
        self.end_uptime_s = max_opt(self.end_uptime_s, other.end_uptime_s);
        self.start_timestamp = match (self.start_timestamp, other.start_timestamp) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.end_timestamp = match (self.end_timestamp, other.end_timestamp) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Everything read from one or more GC logs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcParse {
    /// In time order (by timestamp, else uptime, else input order).
    pub events: Vec<GcEvent>,
    pub info: GcLogInfo,
    /// Unrecognized lines (capped) and input errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Receives events as soon as they are complete, so a caller can summarise a log of any size
/// without keeping its events.
pub trait GcSink {
    fn event(&mut self, event: GcEvent);
}

impl GcSink for Vec<GcEvent> {
    fn event(&mut self, event: GcEvent) {
        self.push(event);
    }
}

impl<S: GcSink + ?Sized> GcSink for &mut S {
    fn event(&mut self, event: GcEvent) {
        (**self).event(event);
    }
}

/// A [`GcSink`] calling a closure.
pub struct FnSink<F: FnMut(GcEvent)>(pub F);

impl<F: FnMut(GcEvent)> GcSink for FnSink<F> {
    fn event(&mut self, event: GcEvent) {
        (self.0)(event);
    }
}

/// Reads one GC log from a stream, keeping its events.
pub fn parse_reader<R: BufRead>(source: Arc<str>, reader: R) -> GcParse {
    let mut events = Vec::new();
    let (info, diagnostics) = parse_reader_with(source, reader, &mut events);
    let mut parse = GcParse {
        events,
        info,
        diagnostics,
    };
    finish_events(&mut parse);
    parse
}

/// Reads one GC log from a stream, handing each event to `sink` as soon as it is complete.
/// Events arrive roughly in order (a concurrent cycle arrives when it ends).
pub fn parse_reader_with<R: BufRead, S: GcSink>(
    source: Arc<str>,
    reader: R,
    sink: &mut S,
) -> (GcLogInfo, Vec<Diagnostic>) {
    driver::run(source, reader, sink, &ParseOptions::default())
}

/// [`parse_reader_with`] with options (a G1 region size known from an earlier file).
pub fn parse_reader_opts<R: BufRead, S: GcSink>(
    source: Arc<str>,
    reader: R,
    sink: &mut S,
    options: &ParseOptions,
) -> (GcLogInfo, Vec<Diagnostic>) {
    driver::run(source, reader, sink, options)
}

/// Reads one GC log held in memory.
pub fn parse_str(source: Arc<str>, text: &str) -> GcParse {
    parse_reader(source, text.as_bytes())
}

/// Puts events in line order within a source and gives every event the collector the log as a
/// whole showed (a legacy CMS log's first young collections look like Serial ones).
pub(crate) fn finish_events(parse: &mut GcParse) {
    parse.events.sort_by_key(|e| e.line);
    if let Some(c) = parse.info.collector.filter(|c| *c != Collector::Unknown) {
        for e in parse.events.iter_mut() {
            e.collector = c;
        }
    }
}

/// True when the first bytes of an input look like a GC log rather than NMT output (or anything
/// else): a unified line with decorators or a `GC(N)` id, or a legacy collection record. Every
/// line of `head` is looked at (the caller bounds it): `-Xlog:gc` on stdout follows whatever
/// the application printed first.
pub fn looks_like_gc_log(head: &str) -> bool {
    head.lines().any(|l| {
        let b = l.as_bytes();
        let (prefix, msg) = decorators::split(b);
        let tagged_gc = memchr::memmem::find(prefix, b"[gc").is_some();
        let unified = (!prefix.is_empty() && decorators::has_decorators(b))
            && (tagged_gc
                || msg.starts_with(b"GC(")
                || msg.starts_with(b"Using ")
                || msg.starts_with(b"Version:"));
        unified
            || msg.starts_with(b"GC(")
            || (prefix.is_empty() && msg.starts_with(b"Using ") && l.contains("Collector"))
            || matches!(
                l,
                "Using G1"
                    | "Using Parallel"
                    | "Using Serial"
                    | "Using Shenandoah"
                    | "Using Concurrent Mark Sweep"
            )
            || legacy::is_record_start(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_gc_logs_and_not_nmt() {
        let nmt = "12345:\n\nNative Memory Tracking:\n\n(Omitting categories weighting less than 1KB)\n\nTotal: reserved=1KB, committed=1KB\n-                 Java Heap (reserved=1KB, committed=1KB)\n                            (mmap: reserved=1KB, committed=1KB)\n";
        assert!(!looks_like_gc_log(nmt));
        assert!(looks_like_gc_log("[0.018s][info][gc] Using G1\n"));
        assert!(looks_like_gc_log(
            "Using G1\nGC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->1M(34M) 5.696ms\n"
        ));
        assert!(looks_like_gc_log(
            "0.294: [GC 0.294: [ParNew: 104960K->13042K(118016K), 0.0284337 secs] 104960K->34501K(249088K), 0.0285898 secs]\n"
        ));
        assert!(looks_like_gc_log(
            "2014-07-24T13:49:45.090+0400: 1.5: [Full GC (System.gc()) 100K->10K(1000K), 0.1 secs]\n"
        ));
        assert!(looks_like_gc_log("[GC 1234K->100K(5000K), 0.0123 secs]\n"));
        assert!(!looks_like_gc_log("hello\nworld\n"));
    }
}
