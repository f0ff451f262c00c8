//! What a GC log said about itself besides its events: format, JVM version, collector, heap
//! sizes, lines read, the span it covers. The GC parsers fill it in; the GC summary, `jvmem
//! gc` and `export` read it from [`Timeline::gc_log`](super::Timeline::gc_log).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::Collector;

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
    /// Non-blank lines that no rule understood (only the first 1,000 of a parse become
    /// diagnostics).
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

    /// Folds another input's info into this one (rotated files of one JVM).
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

#[cfg(test)]
mod tests {
    use crate::model::{Collector, GcLogFormat, GcLogInfo, Timeline, Update};

    #[test]
    fn gc_log_updates_fold_into_the_timeline() {
        let mut t = Timeline::default();
        assert!(t.gc_log.is_none());
        t.apply(Update::GcLog(GcLogInfo {
            format: Some(GcLogFormat::Unified),
            collector: Some(Collector::Unknown),
            lines: 10,
            events: 2,
            start_uptime_s: Some(5.0),
            ..GcLogInfo::default()
        }));
        t.apply(Update::GcLog(GcLogInfo {
            collector: Some(Collector::G1),
            jvm_version: Some("17.0.15+6".into()),
            lines: 7,
            events: 1,
            start_uptime_s: Some(1.0),
            ..GcLogInfo::default()
        }));
        let info = t.gc_log.expect("folded");
        assert_eq!((info.lines, info.events), (17, 3));
        assert_eq!(
            info.collector,
            Some(Collector::G1),
            "a known collector beats Unknown"
        );
        assert_eq!(info.format, Some(GcLogFormat::Unified));
        assert_eq!(info.jvm_version.as_deref(), Some("17.0.15+6"));
        assert_eq!(info.start_uptime_s, Some(1.0));
        assert!(info.is_gc_log());
    }
}
