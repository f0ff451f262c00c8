//! OpenMetrics text exposition (what Prometheus scrapes, the node-exporter textfile collector
//! reads and a Pushgateway accepts): NMT reserved/committed per category and GC figures.
//!
//! Decisions: metric names carry their unit (`_bytes`, `_seconds`) with a `# UNIT` line;
//! counters are `_total` samples of a family declared without the suffix, as OpenMetrics
//! requires. Timestamps, when every snapshot is written, are seconds since the epoch with
//! millisecond precision: OpenMetrics counts in seconds (Prometheus' older text format used
//! integer milliseconds, and a strict OpenMetrics parser would read those as seconds).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::model::{Snapshot, Timeline};

/// Which snapshots to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Samples {
    /// The last complete snapshot, without a timestamp (the scrape time is its time).
    Latest,
    /// Every complete snapshot that has a timestamp, each sample stamped.
    All,
}

/// Escapes a label value: backslash, double quote and line feed.
/// Other control characters are shown as visible escapes first (see
/// [`printable`](super::sanitize::printable)), so a scrape printed on a terminal is inert.
pub fn escape_label(value: &str) -> String {
    let value = super::sanitize::printable(value);
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn family<W: Write>(
    out: &mut W,
    name: &str,
    kind: &str,
    unit: Option<&str>,
    help: &str,
) -> io::Result<()> {
    writeln!(out, "# TYPE {name} {kind}")?;
    if let Some(unit) = unit {
        writeln!(out, "# UNIT {name} {unit}")?;
    }
    writeln!(out, "# HELP {name} {help}")
}

fn stamp(s: &Snapshot, samples: Samples) -> String {
    match (samples, s.timestamp) {
        (Samples::All, Some(t)) => format!(" {:.3}", t.timestamp_millis() as f64 / 1000.0),
        _ => String::new(),
    }
}

/// Writes the exposition, ending with `# EOF`.
pub fn write<W: Write>(out: &mut W, timeline: &Timeline, samples: Samples) -> io::Result<()> {
    let mut complete = timeline
        .snapshots
        .iter()
        .filter(|s| s.complete && !s.kind.is_diff());
    let snapshots: Vec<&Snapshot> = match samples {
        Samples::Latest => complete.next_back().into_iter().collect(),
        Samples::All => complete.filter(|s| s.timestamp.is_some()).collect(),
    };
    if !snapshots.is_empty() {
        for (name, help, pick) in [
            (
                "jvm_nmt_committed_bytes",
                "Memory committed per NMT category (jcmd VM.native_memory).",
                true,
            ),
            (
                "jvm_nmt_reserved_bytes",
                "Memory reserved per NMT category (jcmd VM.native_memory).",
                false,
            ),
        ] {
            family(out, name, "gauge", Some("bytes"), help)?;
            for s in &snapshots {
                let t = stamp(s, samples);
                for c in &s.categories {
                    let v = if pick {
                        c.usage.committed_bytes
                    } else {
                        c.usage.reserved_bytes
                    };
                    writeln!(
                        out,
                        "{name}{{category=\"{}\"}} {v}{t}",
                        escape_label(&c.name)
                    )?;
                }
            }
        }
        for (name, help, pick) in [
            (
                "jvm_nmt_total_committed_bytes",
                "Total memory committed as NMT counts it.",
                true,
            ),
            (
                "jvm_nmt_total_reserved_bytes",
                "Total memory reserved as NMT counts it.",
                false,
            ),
        ] {
            family(out, name, "gauge", Some("bytes"), help)?;
            for s in &snapshots {
                let v = if pick {
                    s.total.committed_bytes
                } else {
                    s.total.reserved_bytes
                };
                writeln!(out, "{name} {v}{}", stamp(s, samples))?;
            }
        }
    }
    write_gc(out, timeline)?;
    writeln!(out, "# EOF")
}

/// GC figures over the whole log: collections and pause time by collector and kind, and the
/// heap after the last collection.
fn write_gc<W: Write>(out: &mut W, timeline: &Timeline) -> io::Result<()> {
    if timeline.gc_events.is_empty() {
        return Ok(());
    }
    let mut by_kind: BTreeMap<(&str, &str), (u64, f64, f64)> = BTreeMap::new();
    for e in &timeline.gc_events {
        let entry = by_kind
            .entry((e.collector.as_str(), e.kind.as_str()))
            .or_default();
        entry.0 += 1;
        entry.1 += e.pause_ms.max(0.0) / 1000.0;
        entry.2 = entry.2.max(e.pause_ms.max(0.0) / 1000.0);
    }
    let labels = |(collector, kind): (&str, &str)| {
        format!(
            "collector=\"{}\",kind=\"{}\"",
            escape_label(collector),
            escape_label(kind)
        )
    };
    family(
        out,
        "jvm_gc_collections",
        "counter",
        None,
        "Collections in the GC log.",
    )?;
    for (k, v) in &by_kind {
        writeln!(out, "jvm_gc_collections_total{{{}}} {}", labels(*k), v.0)?;
    }
    family(
        out,
        "jvm_gc_pause_seconds",
        "counter",
        Some("seconds"),
        "Stop-the-world pause time in the GC log.",
    )?;
    for (k, v) in &by_kind {
        writeln!(out, "jvm_gc_pause_seconds_total{{{}}} {}", labels(*k), v.1)?;
    }
    family(
        out,
        "jvm_gc_pause_max_seconds",
        "gauge",
        Some("seconds"),
        "Longest stop-the-world pause in the GC log.",
    )?;
    for (k, v) in &by_kind {
        writeln!(out, "jvm_gc_pause_max_seconds{{{}}} {}", labels(*k), v.2)?;
    }
    if let Some(e) = timeline
        .gc_events
        .iter()
        .rev()
        .find(|e| e.heap_after_bytes.is_some())
    {
        family(
            out,
            "jvm_gc_heap_after_bytes",
            "gauge",
            Some("bytes"),
            "Heap used after the last collection.",
        )?;
        writeln!(
            out,
            "jvm_gc_heap_after_bytes {}",
            e.heap_after_bytes.unwrap_or(0)
        )?;
        if let Some(cap) = e.heap_capacity_bytes {
            family(
                out,
                "jvm_gc_heap_capacity_bytes",
                "gauge",
                Some("bytes"),
                "Heap capacity at the last collection.",
            )?;
            writeln!(out, "jvm_gc_heap_capacity_bytes {cap}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape_label(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape_label("x\ny"), "x\\ny");
        assert_eq!(escape_label("Java Heap"), "Java Heap");
    }

    #[test]
    fn empty_timeline_is_still_valid() {
        let mut out = Vec::new();
        write(&mut out, &Timeline::default(), Samples::Latest).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "# EOF\n");
    }
}
