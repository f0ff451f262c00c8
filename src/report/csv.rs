//! CSV: one row per snapshot × category, and one row per GC event, for spreadsheets and
//! scripts.

use std::io::{self, Write};

use crate::model::{SnapshotKind, SnapshotTable, TableRow, Timeline};

/// The header row of [`write_snapshots`]. `complete` (as in JSON) is last, so scripts that
/// read the earlier columns by position keep working.
pub const HEADER: &str = "snapshot,source,line,timestamp,pid,kind,category,reserved_bytes,\
committed_bytes,reserved_delta_bytes,committed_delta_bytes,complete";

/// Writes every category of every snapshot (deltas empty unless the snapshot is a `.diff`).
pub fn write_snapshots<W: Write>(out: &mut W, timeline: &Timeline) -> io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for (index, s) in timeline.snapshots.iter().enumerate() {
        let head = RowHead {
            index: index + 1,
            source: s.source,
            line: s.line,
            timestamp: s.timestamp,
            pid: s.pid,
            kind: s.kind,
            complete: s.complete,
        };
        let rows = s.categories().map(|c| TableRow {
            name: c.name,
            reserved_bytes: c.usage.reserved_bytes,
            committed_bytes: c.usage.committed_bytes,
            reserved_delta_bytes: c.usage.reserved_delta_bytes,
            committed_delta_bytes: c.usage.committed_delta_bytes,
        });
        write_rows(out, &head, rows)?;
    }
    Ok(())
}

/// [`write_snapshots`] of a [`SnapshotTable`], its snapshots in `order` (indices into it).
pub fn write_table<W: Write>(
    out: &mut W,
    table: &SnapshotTable,
    order: &[usize],
) -> io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for (index, s) in order.iter().filter_map(|&i| table.get(i)).enumerate() {
        let head = RowHead {
            index: index + 1,
            source: s.source(),
            line: s.line(),
            timestamp: s.timestamp(),
            pid: s.pid(),
            kind: s.kind(),
            complete: s.complete(),
        };
        write_rows(out, &head, s.rows())?;
    }
    Ok(())
}

/// The columns a snapshot's rows share.
struct RowHead<'a> {
    /// 1-based, in timeline order.
    index: usize,
    source: &'a str,
    line: u64,
    timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    pid: Option<u32>,
    kind: SnapshotKind,
    complete: bool,
}

/// One snapshot's rows, one per category.
fn write_rows<'a, W: Write>(
    out: &mut W,
    s: &RowHead<'_>,
    rows: impl Iterator<Item = TableRow<'a>>,
) -> io::Result<()> {
    let timestamp = s.timestamp.map(|t| t.to_rfc3339()).unwrap_or_default();
    let pid = s.pid.map(|p| p.to_string()).unwrap_or_default();
    let source = quote(s.source);
    let complete: &[u8] = if s.complete { b",true\n" } else { b",false\n" };
    // Rows are written piece by piece with `itoa`: `write!` formatting was a fifth of the
    // time of `jvmem export --format csv` (docs/benchmarks.md).
    let mut numbers = itoa::Buffer::new();
    let prefix = format!(
        "{},{source},{},{timestamp},{pid},{},",
        s.index,
        s.line,
        s.kind.as_str()
    );
    for u in rows {
        out.write_all(prefix.as_bytes())?;
        out.write_all(quote(u.name).as_bytes())?;
        out.write_all(b",")?;
        out.write_all(numbers.format(u.reserved_bytes).as_bytes())?;
        out.write_all(b",")?;
        out.write_all(numbers.format(u.committed_bytes).as_bytes())?;
        out.write_all(b",")?;
        if let Some(d) = u.reserved_delta_bytes {
            out.write_all(numbers.format(d).as_bytes())?;
        }
        out.write_all(b",")?;
        if let Some(d) = u.committed_delta_bytes {
            out.write_all(numbers.format(d).as_bytes())?;
        }
        out.write_all(complete)?;
    }
    Ok(())
}

/// The header row of [`write_gc_events`]: one row per GC event, the JSON fields in order.
pub const GC_HEADER: &str = "source,line,gc_id,timestamp,uptime_s,collector,kind,name,cause,\
pause_ms,concurrent_ms,heap_before_bytes,heap_after_bytes,heap_capacity_bytes,\
young_before_bytes,young_after_bytes,old_before_bytes,old_after_bytes,\
metaspace_before_bytes,metaspace_after_bytes";

/// Writes every GC event (empty fields where the log did not say).
pub fn write_gc_events<W: Write>(out: &mut W, timeline: &Timeline) -> io::Result<()> {
    writeln!(out, "{GC_HEADER}")?;
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for e in &timeline.gc_events {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            quote(&e.source),
            e.line,
            n(e.gc_id),
            e.timestamp.map(|t| t.to_rfc3339()).unwrap_or_default(),
            f(e.uptime_s),
            e.collector.as_str(),
            e.kind.as_str(),
            quote(&e.name),
            e.cause.as_deref().map(quote).unwrap_or_default(),
            e.pause_ms,
            f(e.concurrent_ms),
            n(e.heap_before_bytes),
            n(e.heap_after_bytes),
            n(e.heap_capacity_bytes),
            n(e.young_before_bytes),
            n(e.young_after_bytes),
            n(e.old_before_bytes),
            n(e.old_after_bytes),
            n(e.metaspace_before_bytes),
            n(e.metaspace_after_bytes),
        )?;
    }
    Ok(())
}

/// RFC 4180 quoting, only when needed. Control characters other than line feed (and the
/// `\r` of CRLF is one) are shown as visible escapes first, so a CSV on a terminal is inert.
pub fn quote(field: &str) -> std::borrow::Cow<'_, str> {
    // Printable ASCII without `,` and `"` (every category name) is written as it is: one byte
    // loop instead of a char scan for controls and another for the quoting characters (once
    // per CSV row, 2.6% of `export --format csv`'s instructions).
    if field
        .bytes()
        .all(|b| matches!(b, b' '..=b'~') && b != b',' && b != b'"')
    {
        return field.into();
    }
    let field = super::sanitize::printable(field);
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field
    }
}

/// Drill-down captures, one row per captured row: `kind,source,line,timestamp,pid,name,bytes,
/// count,classes,category,note`.
pub fn write_drills<W: Write>(out: &mut W, timeline: &Timeline) -> io::Result<()> {
    writeln!(
        out,
        "kind,source,line,timestamp,pid,name,bytes,count,classes,category,note"
    )?;
    for d in &timeline.drills {
        let timestamp = d.timestamp.map(|t| t.to_rfc3339()).unwrap_or_default();
        let pid = d.pid.map(|p| p.to_string()).unwrap_or_default();
        for r in &d.rows {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                d.kind.command(),
                quote(&d.source),
                d.line,
                timestamp,
                pid,
                quote(&r.name),
                r.bytes,
                r.count,
                r.classes.map(|c| c.to_string()).unwrap_or_default(),
                quote(r.category.as_deref().unwrap_or("")),
                quote(r.note.as_deref().unwrap_or(""))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote("Java Heap"), "Java Heap");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("a\rb"), "a\\x0db");
        assert_eq!(quote("a\x1b[2J"), "a\\x1b[2J");
        assert_eq!(quote("Métaspace ~"), "Métaspace ~");
    }
}
