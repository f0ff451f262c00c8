//! One line of a session file: the header, or a record of one capture.
//!
//! Records are flat JSON objects so a future kind (or field) can be skipped by an older
//! reader instead of failing the whole line.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::ProcessSample;

/// The format version this build writes; readers accept it and warn on newer ones.
pub const FORMAT_VERSION: u32 = 1;

/// The first line of a session file: `{"jvmem_session":1,"created":…,"tool":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Format version ([`FORMAT_VERSION`] when written by this build).
    pub jvmem_session: u32,
    /// When the recording started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<FixedOffset>>,
    /// The program that wrote the file, e.g. `jvmem 0.1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Free text: what was recorded and how (`--pid 4242 --interval 5s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Header {
    /// A header for a new recording by this build.
    pub fn new(created: DateTime<FixedOffset>, note: Option<String>) -> Self {
        Header {
            jvmem_session: FORMAT_VERSION,
            created: Some(created),
            tool: Some(format!("jvmem {}", env!("CARGO_PKG_VERSION"))),
            note,
        }
    }
}

/// What a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// Raw jcmd / NMT text (normally one snapshot, a paste may hold several).
    Nmt,
    /// Raw GC log lines, in the order the log was read.
    Gc,
    /// A process memory sample (RSS, cgroup usage and limit).
    Process,
    /// Raw text of a drill-down jcmd answer (`GC.class_histogram`, `Thread.print`, …).
    Drill,
}

impl RecordKind {
    /// The `kind` string in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Nmt => "nmt",
            RecordKind::Gc => "gc",
            RecordKind::Process => "process",
            RecordKind::Drill => "drill",
        }
    }

    /// The kind for a `kind` string, `None` for kinds this build does not know.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "nmt" => Some(RecordKind::Nmt),
            "gc" => Some(RecordKind::Gc),
            "process" => Some(RecordKind::Process),
            "drill" => Some(RecordKind::Drill),
            _ => None,
        }
    }
}

/// One captured thing, as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Capture time; NMT text without a timestamp line of its own is dated with it.
    pub t: DateTime<FixedOffset>,
    /// Where it came from: `pid:4242`, `cmd`, a followed file's path, `-`, `paste`.
    pub source: Arc<str>,
    /// `nmt`, `gc` or `process` (kept as text so unknown kinds can be skipped).
    pub kind: String,
    /// The raw text (NMT and GC records), exactly as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Lines of `source` before `text` (a followed file), so snapshot line numbers survive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rss_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup_usage_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup_limit_bytes: Option<u64>,
}

impl Record {
    /// A record of raw NMT or GC text.
    pub fn text(
        kind: RecordKind,
        t: DateTime<FixedOffset>,
        source: &Arc<str>,
        first_line: u64,
        text: impl Into<String>,
    ) -> Self {
        Record {
            t,
            source: Arc::clone(source),
            kind: kind.as_str().to_string(),
            text: Some(text.into()),
            line: (first_line > 0).then_some(first_line),
            rss_bytes: None,
            cgroup_usage_bytes: None,
            cgroup_limit_bytes: None,
        }
    }

    /// A record of a process memory sample.
    pub fn process(source: &Arc<str>, sample: &ProcessSample) -> Self {
        Record {
            t: sample.timestamp,
            source: Arc::clone(source),
            kind: RecordKind::Process.as_str().to_string(),
            text: None,
            line: None,
            rss_bytes: sample.rss_bytes,
            cgroup_usage_bytes: sample.cgroup_usage_bytes,
            cgroup_limit_bytes: sample.cgroup_limit_bytes,
        }
    }

    /// The record's kind, `None` when written by a newer version with a kind unknown here.
    pub fn record_kind(&self) -> Option<RecordKind> {
        RecordKind::from_name(&self.kind)
    }

    /// The process sample a `process` record holds.
    pub fn process_sample(&self) -> ProcessSample {
        ProcessSample {
            timestamp: self.t,
            rss_bytes: self.rss_bytes,
            cgroup_usage_bytes: self.cgroup_usage_bytes,
            cgroup_limit_bytes: self.cgroup_limit_bytes,
        }
    }
}
