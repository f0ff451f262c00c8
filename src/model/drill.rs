//! Drill-down captures: what grows *inside* a category, as the JVM prints it through jcmd —
//! class histograms, class loader statistics, metaspace totals, thread dumps and NMT detail
//! call sites. Each capture is one jcmd answer at one instant, reduced to named rows (a class,
//! a loader type, a thread group, a call site) with bytes and a count, so one analysis can
//! follow any of them over time.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Which jcmd command a capture is the answer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillKind {
    /// `GC.class_histogram`: rows are classes (bytes, instances).
    ClassHistogram,
    /// `VM.classloader_stats`: rows are loader types (chunk bytes, loaders; classes), and the
    /// hidden / anonymous classes of each type.
    ClassLoaderStats,
    /// `VM.metaspace`: rows are space types (`Non-Class`, `Class`, `Both`: used bytes, chunks).
    Metaspace,
    /// `VM.metaspace show-loaders`: rows are loader types (committed bytes — used on JDK 11–15 —,
    /// loaders; classes), and each type's hidden / anonymous classes, as for loader stats.
    MetaspaceLoaders,
    /// `Thread.print`: rows are thread-name groups (no bytes, threads).
    ThreadDump,
    /// `VM.native_memory detail`: rows are call sites (malloc + mmap committed bytes, mallocs).
    NmtDetail,
}

impl DrillKind {
    /// Every kind, in report order.
    pub const ALL: [DrillKind; 6] = [
        DrillKind::ClassHistogram,
        DrillKind::ClassLoaderStats,
        DrillKind::Metaspace,
        DrillKind::MetaspaceLoaders,
        DrillKind::ThreadDump,
        DrillKind::NmtDetail,
    ];

    /// The jcmd command that prints this kind.
    pub fn command(self) -> &'static str {
        match self {
            DrillKind::ClassHistogram => "GC.class_histogram",
            DrillKind::ClassLoaderStats => "VM.classloader_stats",
            DrillKind::Metaspace => "VM.metaspace",
            DrillKind::MetaspaceLoaders => "VM.metaspace show-loaders",
            DrillKind::ThreadDump => "Thread.print",
            DrillKind::NmtDetail => "VM.native_memory detail",
        }
    }

    /// What one row of this kind is, for people: `class`, `loader type`, `thread group`…
    pub fn row_noun(self) -> &'static str {
        match self {
            DrillKind::ClassHistogram => "class",
            DrillKind::ClassLoaderStats | DrillKind::MetaspaceLoaders => "loader type",
            DrillKind::Metaspace => "space type",
            DrillKind::ThreadDump => "thread group",
            DrillKind::NmtDetail => "call site",
        }
    }

    /// What a row's count counts: `instances`, `loaders`, `threads`, `mallocs`.
    pub fn count_noun(self) -> &'static str {
        match self {
            DrillKind::ClassHistogram => "instances",
            DrillKind::ClassLoaderStats | DrillKind::MetaspaceLoaders => "loaders",
            DrillKind::Metaspace => "chunks",
            DrillKind::ThreadDump => "threads",
            DrillKind::NmtDetail => "mallocs",
        }
    }

    /// True when rows carry bytes (a thread dump only counts).
    pub fn has_bytes(self) -> bool {
        !matches!(self, DrillKind::ThreadDump)
    }
}

/// One named row of a capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrillRow {
    /// Class name (hidden-class addresses stripped), loader type, thread group (`job-runner-%d`),
    /// space type, or a call site's frames joined by ` <- ` (innermost first).
    pub name: Arc<str>,
    pub bytes: u64,
    pub count: u64,
    /// Classes held, for loader types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<u64>,
    /// The NMT category a call site is charged to (`Other`, `Thread`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Arc<str>>,
    /// A word on the row: a thread group's most common top frame, a histogram row's module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Arc<str>>,
}

impl DrillRow {
    /// A row with a name, bytes and a count and nothing else.
    pub fn new(name: Arc<str>, bytes: u64, count: u64) -> DrillRow {
        DrillRow {
            name,
            bytes,
            count,
            classes: None,
            category: None,
            note: None,
        }
    }
}

/// One jcmd answer of a drill-down kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillCapture {
    pub kind: DrillKind,
    pub source: Arc<str>,
    /// 1-based line of the capture's first line in its source.
    pub line: u64,
    /// From a timestamp line just before the capture (`date -Is; jcmd …`), as for NMT.
    pub timestamp: Option<DateTime<FixedOffset>>,
    /// From jcmd's `<pid>:` header.
    pub pid: Option<u32>,
    /// Rows by name, each name once, in the order first printed.
    pub rows: Vec<DrillRow>,
    /// The printed totals when there are some (histogram `Total`, loader stats `Total =`).
    pub total_bytes: Option<u64>,
    pub total_count: Option<u64>,
    /// The raw text of the capture (kept so sessions and exports can give it back).
    #[serde(skip)]
    pub text: Arc<str>,
}

impl DrillCapture {
    /// The row with this name, if printed.
    pub fn row(&self, name: &str) -> Option<&DrillRow> {
        self.rows.iter().find(|r| &*r.name == name)
    }
}
