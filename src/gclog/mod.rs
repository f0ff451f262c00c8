//! GC logs → [`GcEvent`]s: unified logging (JDK 9–25, any decorators) and legacy
//! `-XX:+PrintGCDetails` (JDK ≤ 8), every collector, rotated sets merged into one timeline.
//!
//! Reading streams: lines are split on bytes with `memchr`, uninteresting lines are skipped by a
//! byte check before anything else looks at them, and memory stays flat apart from the events
//! (or not even those, when a [`GcSink`] consumes them as they come, as `jvmem gc` does).
//!
//! Inside (crate-private):
//! - `decorators`: the `[…]` prefix of unified lines.
//! - `unified`: one event per `GC(N)` id, per collector family.
//! - `legacy`: one event per collection record, with interleaved concurrent lines.
//! - `driver`: format detection, line splitting, diagnostics (one thread: see
//!   `ParseOptions` for why).
//! - `GcReader` (`incremental`): the same reading, fed bytes as they arrive (a followed log,
//!   a session).
//! - `rotation`: files and directories, rotated sets in time order.

pub(crate) mod decorators;
mod driver;
pub(crate) mod find;
mod incremental;
pub(crate) mod legacy;
pub(crate) mod numbers;
mod plausible;
pub(crate) mod rotation;
pub(crate) mod unified;

use std::io::BufRead;
use std::sync::Arc;

use serde::Serialize;

// The parsers below fill these in (`super::GcLogInfo`); they live in the model.
use crate::model::{Collector, Diagnostic, GcEvent, GcEvents, GcLogFormat, GcLogInfo};

pub use driver::ParseOptions;
pub use incremental::GcReader;
pub(crate) use rotation::load_files;
pub use rotation::{GcFile, load_files_with, load_paths, load_paths_with};

/// At most this many unrecognized lines are kept as diagnostics per parse; the rest are counted.
pub(crate) const MAX_STORED_DIAGNOSTICS: usize = 1000;

/// Everything read from one or more GC logs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcParse {
    /// In time order (by timestamp, else uptime, else input order), packed.
    pub events: GcEvents,
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

impl GcSink for GcEvents {
    fn event(&mut self, event: GcEvent) {
        self.push(event);
    }
}

impl<S: GcSink + ?Sized> GcSink for &mut S {
    #[inline]
    fn event(&mut self, event: GcEvent) {
        (**self).event(event);
    }
}

/// A [`GcSink`] calling a closure.
pub struct FnSink<F: FnMut(GcEvent)>(pub F);

impl<F: FnMut(GcEvent)> GcSink for FnSink<F> {
    #[inline]
    fn event(&mut self, event: GcEvent) {
        (self.0)(event);
    }
}

/// Reads one GC log from a stream, keeping its events.
pub fn parse_reader<R: BufRead>(source: Arc<str>, reader: R) -> GcParse {
    let mut events = GcEvents::new();
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
    parse.events.sort_by_line();
    if let Some(c) = parse.info.collector.filter(|c| *c != Collector::Unknown) {
        parse.events.set_collector(c);
    }
}

/// True when the first bytes of an input look like a GC log rather than NMT output (or anything
/// else): a unified line with decorators or a `GC(N)` id, or a legacy collection record. Every
/// line of `head` is looked at (the caller bounds it): `-Xlog:gc` on stdout follows whatever
/// the application printed first.
pub(crate) fn looks_like_gc_log(head: &str) -> bool {
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
