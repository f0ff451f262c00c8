//! JSON renderings: snapshots with every printed sub-field, the export document, diffs.
//!
//! Serialized through borrowing wrappers, straight to the writer, so exporting 100k
//! snapshots builds no intermediate JSON tree.

use std::io::Write;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::analysis::diff::SnapshotDiff;
use crate::model::{Categories, FieldUnit, FieldValue, SnapshotRef, Snapshots, Timeline, UsageRef};

/// A snapshot as JSON: `{"source", "line", "timestamp", "pid", "kind", "total", "categories"}`.
pub struct SnapshotJson<'a>(pub SnapshotRef<'a>);

/// A category or Total as JSON: amounts, deltas (`.diff` kinds only), every printed sub-field.
struct UsageJson<'a> {
    name: Option<&'a str>,
    usage: UsageRef<'a>,
    diff: bool,
}

impl Serialize for SnapshotJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        let diff = s.kind.is_diff();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("source", &**s.source)?;
        map.serialize_entry("line", &s.line)?;
        map.serialize_entry("timestamp", &s.timestamp.map(|t| t.to_rfc3339()))?;
        map.serialize_entry("pid", &s.pid)?;
        if let Some(version) = s.jvm_version {
            map.serialize_entry("jvm_version", &**version)?;
        }
        map.serialize_entry("kind", s.kind.as_str())?;
        map.serialize_entry("scale", &s.scale)?;
        map.serialize_entry("complete", &s.complete)?;
        map.serialize_entry(
            "total",
            &UsageJson {
                name: None,
                usage: s.total,
                diff,
            },
        )?;
        map.serialize_entry("categories", &CategoriesJson(s.categories(), diff))?;
        map.end()
    }
}

struct CategoriesJson<'a>(Categories<'a>, bool);

impl Serialize for CategoriesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for c in self.0.clone() {
            seq.serialize_element(&UsageJson {
                name: Some(c.name),
                usage: c.usage,
                diff: self.1,
            })?;
        }
        seq.end()
    }
}

impl Serialize for UsageJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let u = self.usage;
        let mut map = serializer.serialize_map(None)?;
        if let Some(name) = self.name {
            map.serialize_entry("name", name)?;
        }
        map.serialize_entry("reserved_bytes", &u.reserved_bytes)?;
        map.serialize_entry("committed_bytes", &u.committed_bytes)?;
        if self.diff {
            map.serialize_entry("reserved_delta_bytes", &u.reserved_delta_bytes.unwrap_or(0))?;
            map.serialize_entry(
                "committed_delta_bytes",
                &u.committed_delta_bytes.unwrap_or(0),
            )?;
        }
        for f in u.fields() {
            map.serialize_entry(f.field.key(), &FieldJson(f.value, f.field.unit()))?;
            if self.diff && f.field.unit() != FieldUnit::Flag {
                map.serialize_entry(
                    f.field.delta_key(),
                    &FieldJson(f.delta.unwrap_or(0), f.field.unit()),
                )?;
            }
        }
        if u.extra_count() > 0 {
            map.serialize_entry("unknown_sub_lines", &u.extras())?;
        }
        map.end()
    }
}

/// A field's integer as its JSON value: percentages as decimals, flags as `true`.
struct FieldJson(i64, FieldUnit);

impl Serialize for FieldJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            FieldUnit::CentiPercent => serializer.serialize_f64(self.0 as f64 / 100.0),
            FieldUnit::Flag => serializer.serialize_bool(self.0 != 0),
            FieldUnit::Bytes | FieldUnit::Count => serializer.serialize_i64(self.0),
        }
    }
}

/// Formats one sub-field for text output (`12.5%`, `yes`, or the plain number).
pub fn field_text(f: &FieldValue) -> String {
    match f.field.unit() {
        FieldUnit::CentiPercent => format!("{:.2}%", f.value as f64 / 100.0),
        FieldUnit::Flag => "yes".to_string(),
        FieldUnit::Bytes => crate::model::units::format_bytes(u64::try_from(f.value).unwrap_or(0)),
        FieldUnit::Count => f.value.to_string(),
    }
}

/// The `jvmem export --format json` document: `{"snapshots": […], "gc_events": […],
/// "gc_summary": {…}, "drills": […], "diagnostics": […]}` (GC keys only when GC logs were
/// read, `drills` only when drill-down captures were).
pub struct ExportJson<'a>(
    pub &'a Timeline,
    pub Option<&'a crate::analysis::gc_summary::GcSummary>,
);

impl Serialize for ExportJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("snapshots", &SnapshotsJson(&t.snapshots))?;
        if !t.gc_events.is_empty() {
            map.serialize_entry("gc_events", &t.gc_events)?;
            if let Some(summary) = self.1 {
                map.serialize_entry("gc_summary", summary)?;
            }
        }
        if !t.process.is_empty() {
            map.serialize_entry("process", &t.process)?;
        }
        if !t.drills.is_empty() {
            map.serialize_entry("drills", &t.drills)?;
        }
        map.serialize_entry("diagnostics", &t.diagnostics)?;
        map.end()
    }
}

struct SnapshotsJson<'a>(&'a Snapshots);

impl Serialize for SnapshotsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(SnapshotJson))
    }
}

/// `jvmem diff --format json`.
pub struct DiffJson<'a, 'b>(pub &'b SnapshotDiff<'a>);

impl Serialize for DiffJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Total {
            reserved_delta_bytes: i64,
            committed_delta_bytes: i64,
        }
        let d = self.0;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("old", &SnapshotJson(d.old))?;
        map.serialize_entry("new", &SnapshotJson(d.new))?;
        map.serialize_entry(
            "total",
            &Total {
                reserved_delta_bytes: d.reserved_delta_bytes,
                committed_delta_bytes: d.committed_delta_bytes,
            },
        )?;
        map.serialize_entry("categories", &d.categories)?;
        map.end()
    }
}

/// Writes `value` as pretty JSON followed by a newline.
pub fn write_pretty<W: Write, T: Serialize>(out: W, value: &T) -> std::io::Result<()> {
    let mut out = out;
    // `From` keeps an I/O error as it was (a closed pipe stays `BrokenPipe`).
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}
