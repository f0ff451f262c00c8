//! OpenMetrics text exposition (what Prometheus scrapes, the node-exporter textfile collector
//! reads and a Pushgateway accepts): NMT reserved/committed per category and GC figures.
//!
//! Decisions: metric names carry their unit (`_bytes`, `_seconds`) with a `# UNIT` line;
//! counters are `_total` samples of a family declared without the suffix, as OpenMetrics
//! requires. Timestamps, when every snapshot is written, are seconds since the epoch with
//! millisecond precision: OpenMetrics counts in seconds (Prometheus' older text format used
//! integer milliseconds, and a strict OpenMetrics parser would read those as seconds).

use std::collections::HashSet;
use std::io::{self, Write};

use crate::analysis::diagnosis::{Diagnosis, Suspect};
use crate::model::{ProcessSample, SnapshotRef, Timeline};

use super::openmetrics_gc::write_gc;
pub use super::openmetrics_gc::{
    GcTotals, KindTotals, LAST_GAUGES, LastFigures, LastGauge, PAUSE_BUCKETS_S,
};

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

fn stamp(s: &SnapshotRef<'_>, samples: Samples) -> String {
    match (samples, s.timestamp) {
        (Samples::All, Some(t)) => format!(" {:.3}", t.timestamp_millis() as f64 / 1000.0),
        _ => String::new(),
    }
}

/// What `jvmem serve` adds to the exposition: labels on every sample, the pause histogram,
/// process memory and the verdict.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    /// Labels of the JVM on every sample (`pid`, `jdk`, the user's `--label`s), in order.
    pub labels: Vec<(String, String)>,
    /// GC totals to write instead of the timeline's own events.
    pub gc: Option<&'a GcTotals>,
    /// Write `jvm_gc_pause_duration_seconds` as a histogram.
    pub pause_histogram: bool,
    /// The latest RSS / cgroup sample.
    pub process: Option<&'a ProcessSample>,
    /// The container limit used for the verdict.
    pub limit_bytes: Option<u64>,
    /// jvmem's verdict on the window.
    pub diagnosis: Option<&'a Diagnosis>,
}

/// Writes samples with the JVM's labels, once per label set (the first value wins: a
/// second sample for the same labels would make the whole scrape invalid).
pub(super) struct Sampler<'a, W: Write> {
    out: &'a mut W,
    base: String,
    seen: HashSet<String>,
}

impl<W: Write> Sampler<'_, W> {
    pub(super) fn family(
        &mut self,
        name: &str,
        kind: &str,
        unit: Option<&str>,
        help: &str,
    ) -> io::Result<()> {
        family(self.out, name, kind, unit, help)
    }

    pub(super) fn sample(
        &mut self,
        name: &str,
        labels: &[(&str, &str)],
        value: &str,
        t: &str,
    ) -> io::Result<()> {
        let mut all = self.base.clone();
        for (k, v) in labels {
            if !all.is_empty() {
                all.push(',');
            }
            all.push_str(&format!("{k}=\"{}\"", escape_label(v)));
        }
        let braces = if all.is_empty() {
            String::new()
        } else {
            format!("{{{all}}}")
        };
        let key = format!("{name}{braces}{t}");
        if !self.seen.insert(key) {
            return Ok(());
        }
        writeln!(self.out, "{name}{braces} {value}{t}")
    }
}

/// Writes the exposition, ending with `# EOF`.
pub fn write<W: Write>(out: &mut W, timeline: &Timeline, samples: Samples) -> io::Result<()> {
    write_with(out, timeline, samples, &Extras::default())
}

/// [`write()`] with `jvmem serve`'s additions.
pub fn write_with<W: Write>(
    out: &mut W,
    timeline: &Timeline,
    samples: Samples,
    extras: &Extras,
) -> io::Result<()> {
    let base = extras
        .labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
        .collect::<Vec<_>>()
        .join(",");
    let mut s = Sampler {
        out,
        base,
        seen: HashSet::new(),
    };
    let mut complete = timeline
        .snapshots
        .iter()
        .filter(|s| s.complete && !s.kind.is_diff());
    let snapshots: Vec<SnapshotRef<'_>> = match samples {
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
            s.family(name, "gauge", Some("bytes"), help)?;
            for snap in &snapshots {
                let t = stamp(snap, samples);
                for c in snap.categories() {
                    let v = if pick {
                        c.usage.committed_bytes
                    } else {
                        c.usage.reserved_bytes
                    };
                    s.sample(name, &[("category", c.name)], &v.to_string(), &t)?;
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
            s.family(name, "gauge", Some("bytes"), help)?;
            for snap in &snapshots {
                let v = if pick {
                    snap.total.committed_bytes
                } else {
                    snap.total.reserved_bytes
                };
                s.sample(name, &[], &v.to_string(), &stamp(snap, samples))?;
            }
        }
    }
    let own;
    let gc = match extras.gc {
        Some(gc) => gc,
        None => {
            own = GcTotals::of(&timeline.gc_events);
            &own
        }
    };
    write_gc(&mut s, gc, extras.pause_histogram)?;
    write_process(&mut s, extras)?;
    if let Some(d) = extras.diagnosis {
        write_verdict(&mut s, d)?;
    }
    writeln!(s.out, "# EOF")
}

/// RSS, cgroup usage and the limit.
fn write_process<W: Write>(s: &mut Sampler<W>, extras: &Extras) -> io::Result<()> {
    let p = extras.process;
    let limit = extras
        .limit_bytes
        .or_else(|| p.and_then(|p| p.cgroup_limit_bytes));
    for (name, help, value) in [
        (
            "jvm_process_resident_memory_bytes",
            "Resident set size of the JVM process (/proc/PID/status VmRSS).",
            p.and_then(|p| p.rss_bytes),
        ),
        (
            "jvm_cgroup_memory_usage_bytes",
            "Memory usage of the JVM's cgroup.",
            p.and_then(|p| p.cgroup_usage_bytes),
        ),
        (
            "jvm_cgroup_memory_limit_bytes",
            "The container memory limit (the cgroup's, or --limit).",
            limit,
        ),
    ] {
        if let Some(v) = value {
            s.family(name, "gauge", Some("bytes"), help)?;
            s.sample(name, &[], &v.to_string(), "")?;
        }
    }
    Ok(())
}

/// jvmem's verdict: suspects with growth rate and confidence, the time to the limit and to
/// the first failure.
/// Rates are per second and times in seconds, Prometheus' base units (`jvmem report`
/// shows the same figures per minute).
fn write_verdict<W: Write>(s: &mut Sampler<W>, d: &Diagnosis) -> io::Result<()> {
    s.family(
        "jvmem_suspects",
        "gauge",
        None,
        "Memories jvmem judges to keep growing in the window.",
    )?;
    s.sample("jvmem_suspects", &[], &d.suspects.len().to_string(), "")?;
    s.family(
        "jvmem_window_snapshots",
        "gauge",
        None,
        "NMT snapshots in the window the verdict is judged on.",
    )?;
    s.sample(
        "jvmem_window_snapshots",
        &[],
        &d.window.snapshots.to_string(),
        "",
    )?;
    if !d.suspects.is_empty() {
        let name = "jvmem_suspect_growth_bytes_per_second";
        s.family(
            name,
            "gauge",
            Some("bytes_per_second"),
            "Committed growth rate of a suspect (its marked NMT category and kind).",
        )?;
        for sus in &d.suspects {
            let kind = kind_label(sus);
            let l = [("category", sus.category.as_str()), ("kind", kind.as_str())];
            s.sample(name, &l, &(sus.rate_bytes_per_min / 60.0).to_string(), "")?;
        }
        let name = "jvmem_suspect_confidence";
        s.family(
            name,
            "gauge",
            None,
            "jvmem's confidence in a suspect, 0 to 1.",
        )?;
        for sus in &d.suspects {
            let kind = kind_label(sus);
            let l = [("category", sus.category.as_str()), ("kind", kind.as_str())];
            s.sample(name, &l, &sus.confidence.to_string(), "")?;
        }
    }
    if let Some(minutes) = d.budget.as_ref().and_then(|b| b.minutes_to_limit) {
        let name = "jvmem_time_to_limit_seconds";
        s.family(
            name,
            "gauge",
            Some("seconds"),
            "Time until the container limit at the suspects' growth rate.",
        )?;
        s.sample(name, &[], &(minutes * 60.0).to_string(), "")?;
    }
    // The earlier of the OOM kill and the heap's OutOfMemoryError: a heap leak under
    // -Xms = -Xmx has no time to the limit above but fails all the same.
    if let Some(first) = d.budget.as_ref().and_then(|b| b.first_failure()) {
        let name = "jvmem_time_to_failure_seconds";
        s.family(
            name,
            "gauge",
            Some("seconds"),
            "Time until the JVM first fails: label failure is oom_kill at the container limit, heap_oom when the heap reaches -Xmx (OutOfMemoryError).",
        )?;
        let l = [("failure", first.failure.label())];
        s.sample(name, &l, &(first.minutes * 60.0).to_string(), "")?;
    }
    Ok(())
}

/// The suspect kind as its JSON name (`direct-memory`).
fn kind_label(s: &Suspect) -> String {
    serde_json::to_value(s.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GcEvent;

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

    #[test]
    fn a_repeated_category_is_written_once_and_pauses_fill_cumulative_buckets() {
        use crate::model::{Category, Collector, Scale, Snapshot, SnapshotKind, Usage};
        use std::sync::Arc;
        let source: Arc<str> = Arc::from("t");
        let usage = |committed| Usage {
            committed_bytes: committed,
            ..Usage::default()
        };
        let mut snapshot = Snapshot {
            source: Arc::clone(&source),
            line: 1,
            timestamp: None,
            pid: None,
            jvm_version: None,
            kind: SnapshotKind::Summary,
            scale: Scale::default(),
            total: usage(30),
            categories: Vec::new(),
            complete: true,
        };
        for committed in [10, 20] {
            snapshot.categories.push(Category {
                name: Arc::from("Other"),
                usage: usage(committed),
            });
        }
        let mut events = Vec::new();
        for ms in [0.5, 3.0, 3.0, 700.0, 9000.0] {
            let mut e = GcEvent::new(Arc::clone(&source), 1, Collector::G1, Arc::from("Pause"));
            e.pause_ms = ms;
            events.push(e);
        }
        let totals = GcTotals::of(&events);
        let timeline = Timeline {
            snapshots: vec![snapshot].into(),
            ..Timeline::default()
        };
        let extras = Extras {
            labels: vec![("pod".into(), "a\"b".into())],
            gc: Some(&totals),
            pause_histogram: true,
            ..Extras::default()
        };
        let mut out = Vec::new();
        write_with(&mut out, &timeline, Samples::Latest, &extras).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.matches("jvm_nmt_committed_bytes{pod=\"a\\\"b\",category=\"Other\"} ")
                .count(),
            1,
            "{text}"
        );
        assert!(text.contains("category=\"Other\"} 10\n"), "{text}");
        let bucket = |le: &str| {
            let key = format!("le=\"{le}\"}} ");
            let line = text.lines().find(|l| l.contains(&key)).unwrap();
            line.rsplit(' ').next().unwrap().to_string()
        };
        assert_eq!(bucket("0.001"), "1");
        assert_eq!(bucket("0.005"), "3");
        assert_eq!(bucket("0.5"), "3");
        assert_eq!(bucket("1"), "4");
        assert_eq!(bucket("5"), "4");
        assert_eq!(bucket("+Inf"), "5");
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn last_figures_per_kind_skip_prepare_mixed_pauses() {
        use crate::model::{Collector, GcKind};
        use std::sync::Arc;
        let event = |name: &str, kind, old_mb: u64| {
            let mut e = GcEvent::new(Arc::from("t"), 1, Collector::G1, Arc::from(name));
            e.kind = kind;
            e.old_after_bytes = Some(old_mb << 20);
            e.heap_after_bytes = Some((old_mb + 2) << 20);
            e
        };
        let totals = GcTotals::of(&[
            event("Pause Young (Normal)", GcKind::Young, 10),
            event("Pause Young (Prepare Mixed)", GcKind::Young, 30),
            event("Pause Young (Mixed)", GcKind::Mixed, 7),
        ]);
        let extras = Extras {
            gc: Some(&totals),
            ..Extras::default()
        };
        let mut out = Vec::new();
        write_with(&mut out, &Timeline::default(), Samples::Latest, &extras).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                "jvm_gc_last_old_after_bytes{collector=\"G1\",kind=\"young\"} 10485760\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("jvm_gc_last_old_after_bytes{collector=\"G1\",kind=\"mixed\"} 7340032\n"),
            "{text}"
        );
        assert!(text.contains("jvm_gc_collections_total{collector=\"G1\",kind=\"young\"} 2\n"));
        assert!(!text.contains("jvm_gc_last_heap_before_bytes"), "{text}");
    }
}
