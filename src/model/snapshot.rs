//! One NMT snapshot: what `jcmd <pid> VM.native_memory summary|detail[.diff]` or
//! `-XX:+PrintNMTStatistics` printed at one instant, with every amount in bytes.
//!
//! The model is compact on purpose (a session can hold 100k snapshots): category names are
//! shared `Arc<str>`s and the optional sub-fields a JVM printed are a sparse list of
//! [`FieldValue`]s rather than a struct of sixty `Option`s.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// Which jcmd command (or JVM flag) produced a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SnapshotKind {
    #[serde(rename = "summary")]
    Summary,
    #[serde(rename = "summary.diff")]
    SummaryDiff,
    #[serde(rename = "detail")]
    Detail,
    #[serde(rename = "detail.diff")]
    DetailDiff,
    /// `-XX:+PrintNMTStatistics`, printed when the JVM exits.
    #[serde(rename = "exit-statistics")]
    ExitStatistics,
}

impl SnapshotKind {
    /// True for the `.diff` kinds, whose amounts carry deltas against a jcmd baseline.
    pub fn is_diff(self) -> bool {
        matches!(self, SnapshotKind::SummaryDiff | SnapshotKind::DetailDiff)
    }

    /// The name used in JSON, CSV and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotKind::Summary => "summary",
            SnapshotKind::SummaryDiff => "summary.diff",
            SnapshotKind::Detail => "detail",
            SnapshotKind::DetailDiff => "detail.diff",
            SnapshotKind::ExitStatistics => "exit-statistics",
        }
    }
}

/// The unit the JVM printed amounts in (`scale=`); unit-less numbers are in this scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// No unit: `-XX:+PrintNMTStatistics` on JDK 17+.
    Bytes,
    #[default]
    #[serde(rename = "KB")]
    Kb,
    #[serde(rename = "MB")]
    Mb,
    #[serde(rename = "GB")]
    Gb,
}

impl Scale {
    /// Bytes in one unit of this scale.
    pub fn bytes(self) -> u64 {
        match self {
            Scale::Bytes => 1,
            Scale::Kb => 1 << 10,
            Scale::Mb => 1 << 20,
            Scale::Gb => 1 << 30,
        }
    }
}

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident => $key:literal, $delta_key:literal, $unit:ident; )*) => {
        /// A sub-field a JVM may print under a category (or under `Total`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Field { $( $(#[$doc])* $variant, )* }

        impl Field {
            /// Every field, in the order they are reported.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The JSON/CSV key of the value, e.g. `malloc_bytes`.
            pub fn key(self) -> &'static str {
                match self { $( Field::$variant => $key, )* }
            }

            /// The JSON/CSV key of the delta (in `.diff` snapshots), e.g. `malloc_delta_bytes`.
            pub fn delta_key(self) -> &'static str {
                match self { $( Field::$variant => $delta_key, )* }
            }

            /// What the stored integer means.
            pub fn unit(self) -> FieldUnit {
                match self { $( Field::$variant => FieldUnit::$unit, )* }
            }
        }
    };
}

/// What a [`FieldValue`]'s integer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldUnit {
    Bytes,
    Count,
    /// Hundredths of a percent (`waste=… =6,66%` is stored as 666).
    CentiPercent,
    /// A marker the JVM prints without a number (`at peak`); stored as 1.
    Flag,
}

fields! {
    /// `(malloc=NKB #N)` or the Total's `malloc: NKB #N`.
    MallocBytes => "malloc_bytes", "malloc_delta_bytes", Bytes;
    MallocCount => "malloc_count", "malloc_delta_count", Count;
    /// `(peak=NKB #N)` after a malloc group, or `, peak=` on the Total's malloc line (JDK 23+).
    MallocPeakBytes => "malloc_peak_bytes", "malloc_peak_delta_bytes", Bytes;
    MallocPeakCount => "malloc_peak_count", "malloc_peak_delta_count", Count;
    /// `(at peak)` after a malloc group.
    MallocAtPeak => "malloc_at_peak", "malloc_at_peak_delta", Flag;
    MmapReservedBytes => "mmap_reserved_bytes", "mmap_reserved_delta_bytes", Bytes;
    MmapCommittedBytes => "mmap_committed_bytes", "mmap_committed_delta_bytes", Bytes;
    MmapPeakBytes => "mmap_peak_bytes", "mmap_peak_delta_bytes", Bytes;
    MmapAtPeak => "mmap_at_peak", "mmap_at_peak_delta", Flag;
    ArenaBytes => "arena_bytes", "arena_delta_bytes", Bytes;
    ArenaCount => "arena_count", "arena_delta_count", Count;
    ArenaPeakBytes => "arena_peak_bytes", "arena_peak_delta_bytes", Bytes;
    ArenaPeakCount => "arena_peak_count", "arena_peak_delta_count", Count;
    ArenaAtPeak => "arena_at_peak", "arena_at_peak_delta", Flag;
    /// `(classes #N)` under `Class`.
    ClassCount => "class_count", "class_delta_count", Count;
    InstanceClassCount => "instance_class_count", "instance_class_delta_count", Count;
    ArrayClassCount => "array_class_count", "array_class_delta_count", Count;
    /// `(thread #N)` (JDK 8–11) or `(threads #N)` under `Thread`.
    ThreadCount => "thread_count", "thread_delta_count", Count;
    StackReservedBytes => "stack_reserved_bytes", "stack_reserved_delta_bytes", Bytes;
    StackCommittedBytes => "stack_committed_bytes", "stack_committed_delta_bytes", Bytes;
    StackPeakBytes => "stack_peak_bytes", "stack_peak_delta_bytes", Bytes;
    StackAtPeak => "stack_at_peak", "stack_at_peak_delta", Flag;
    /// Metaspace `Metadata` block under `Class` (JDK 10+).
    MetadataReservedBytes => "metadata_reserved_bytes", "metadata_reserved_delta_bytes", Bytes;
    MetadataCommittedBytes => "metadata_committed_bytes", "metadata_committed_delta_bytes", Bytes;
    MetadataUsedBytes => "metadata_used_bytes", "metadata_used_delta_bytes", Bytes;
    MetadataFreeBytes => "metadata_free_bytes", "metadata_free_delta_bytes", Bytes;
    MetadataWasteBytes => "metadata_waste_bytes", "metadata_waste_delta_bytes", Bytes;
    MetadataWastePercent => "metadata_waste_percent", "metadata_waste_delta_percent", CentiPercent;
    /// Metaspace `Class space` block under `Class` (JDK 10+).
    ClassSpaceReservedBytes => "class_space_reserved_bytes", "class_space_reserved_delta_bytes", Bytes;
    ClassSpaceCommittedBytes => "class_space_committed_bytes", "class_space_committed_delta_bytes", Bytes;
    ClassSpaceUsedBytes => "class_space_used_bytes", "class_space_used_delta_bytes", Bytes;
    ClassSpaceFreeBytes => "class_space_free_bytes", "class_space_free_delta_bytes", Bytes;
    ClassSpaceWasteBytes => "class_space_waste_bytes", "class_space_waste_delta_bytes", Bytes;
    ClassSpaceWastePercent => "class_space_waste_percent", "class_space_waste_delta_percent", CentiPercent;
    /// `(tracking overhead=NKB)` under `Native Memory Tracking`.
    TrackingOverheadBytes => "tracking_overhead_bytes", "tracking_overhead_delta_bytes", Bytes;
    /// `readonly=NKB` on `Shared class space`.
    ReadonlyBytes => "readonly_bytes", "readonly_delta_bytes", Bytes;
}

/// One printed sub-field value; `delta` is set only in `.diff` snapshots when the JVM printed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldValue {
    pub field: Field,
    pub value: i64,
    pub delta: Option<i64>,
}

/// A sub-line the parser did not know, kept so a future JDK loses nothing: its label and the
/// reserved/committed (or first) amount it carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraLine {
    pub name: Box<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_bytes: Option<u64>,
}

/// Reserved/committed amounts with their printed sub-fields: a category's, or the Total's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub reserved_bytes: u64,
    pub committed_bytes: u64,
    /// Delta against the jcmd baseline (`.diff` kinds only; 0 when the JVM printed none).
    pub reserved_delta_bytes: Option<i64>,
    pub committed_delta_bytes: Option<i64>,
    /// The sub-fields printed, in the order first seen.
    pub fields: Vec<FieldValue>,
    /// Sub-lines not understood (each also reported as a diagnostic).
    pub extras: Vec<ExtraLine>,
}

impl Usage {
    /// The value of one sub-field, if printed.
    pub fn field(&self, field: Field) -> Option<i64> {
        self.field_value(field).map(|f| f.value)
    }

    /// The full printed value (with delta) of one sub-field.
    pub fn field_value(&self, field: Field) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// Sets a sub-field, replacing an earlier value of the same field.
    pub fn set_field(&mut self, field: Field, value: i64, delta: Option<i64>) {
        let new = FieldValue {
            field,
            value,
            delta,
        };
        match self.fields.iter_mut().find(|f| f.field == field) {
            Some(existing) => *existing = new,
            None => self.fields.push(new),
        }
    }
}

/// One NMT category line (`-  Java Heap (reserved=…, committed=…)`) and its sub-lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Exactly the JVM's name, trimmed: `Java Heap`, `Class`, `Other`, `Shared class space`.
    pub name: Arc<str>,
    pub usage: Usage,
}

/// One snapshot as read from its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// File name, `-` for stdin, `paste`, or a session record's source.
    pub source: Arc<str>,
    /// 1-based line of the snapshot's first line in `source`.
    pub line: u64,
    /// From a timestamp line just before the snapshot, the paste time, or the recording time.
    pub timestamp: Option<DateTime<FixedOffset>>,
    /// From jcmd's `<pid>:` header, when present.
    pub pid: Option<u32>,
    /// The JVM's version when the input says it near the snapshot (a `jcmd PID VM.version`
    /// answer, a flight recording's JVM information); see [`crate::model::JvmIdentity`].
    pub jvm_version: Option<Arc<str>>,
    pub kind: SnapshotKind,
    pub scale: Scale,
    pub total: Usage,
    pub categories: Vec<Category>,
    /// False when the text ended or broke off before the snapshot looked whole.
    pub complete: bool,
}

impl Snapshot {
    /// The category with exactly this name.
    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| &*c.name == name)
    }

    /// Committed bytes of a category, 0 when absent (NMT omits tiny categories).
    pub fn committed(&self, name: &str) -> u64 {
        self.category(name).map_or(0, |c| c.usage.committed_bytes)
    }

    /// The JVM this snapshot came from, as far as its text says.
    pub fn identity(&self) -> crate::model::JvmIdentity {
        crate::model::JvmIdentity::of(self.view())
    }

    /// `source:line`, for messages.
    pub fn location(&self) -> String {
        format!("{}:{}", self.source, self.line)
    }
}
