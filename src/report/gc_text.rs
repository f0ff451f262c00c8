//! The GC summary as text for people (`jvmem gc LOG…`): one block of labelled lines, amounts in
//! IEC units, and with `--verbose` the unrecognized lines as `file:line: text`.

use std::fmt::Write as _;

use crate::analysis::gc_summary::GcSummary;
use crate::model::Diagnostic;
use crate::model::units::{format_bytes, format_minutes, format_rate_per_min};
use crate::num::u64_from_f64;

/// Renders `summary`; `diagnostics` are listed only when `verbose`.
pub fn render(summary: &GcSummary, diagnostics: &[Diagnostic], verbose: bool) -> String {
    let mut out = String::new();
    let s = summary;
    let sources = match s.sources.as_slice() {
        [] => "-".to_string(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
    };
    let _ = writeln!(out, "GC log       {sources}");
    let collector = s.collector.map_or("unknown", |c| c.as_str());
    let format = match s.format {
        Some(crate::model::GcLogFormat::Unified) => "unified logging",
        Some(crate::model::GcLogFormat::Legacy) => "legacy (JDK 8 or older)",
        None => "unknown format",
    };
    let version = s.jvm_version.as_deref().unwrap_or("version not in log");
    let _ = writeln!(out, "JVM          {collector} · {version} · {format}");
    if s.jvm_runs > 1 {
        let _ = writeln!(
            out,
            "warning      {} JVM runs in this log (a restart or logs joined): each run's collections are counted apart",
            s.jvm_runs
        );
    }
    if s.heap_initial_bytes.is_some() || s.heap_max_bytes.is_some() {
        let size = |b: Option<u64>| b.map_or("-".into(), crate::model::units::format_bytes);
        let _ = writeln!(
            out,
            "Heap         initial {} · max {}",
            size(s.heap_initial_bytes),
            size(s.heap_max_bytes)
        );
    }
    let span = s
        .elapsed_s
        .map(format_duration_s)
        .unwrap_or_else(|| "-".into());
    let _ = writeln!(
        out,
        "Read         {} lines, {} unrecognized · covers {span}",
        s.lines, s.unrecognized_lines
    );
    let kinds: Vec<String> = s
        .events_by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let kinds = if kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    let _ = writeln!(out, "Collections  {}{kinds}", s.events);
    if s.pauses > 0 {
        let _ = writeln!(
            out,
            "Pauses       {} total {} · max {} · p50 {} · p99 {}",
            s.pauses,
            format_ms(s.pause_total_ms),
            opt_ms(s.pause_max_ms),
            opt_ms(s.pause_p50_ms),
            opt_ms(s.pause_p99_ms)
        );
    } else {
        let _ = writeln!(out, "Pauses       none recorded");
    }
    if s.concurrent_total_ms > 0.0 {
        let _ = writeln!(out, "Concurrent   {}", format_ms(s.concurrent_total_ms));
    }
    if let Some(t) = s.throughput_percent {
        let _ = writeln!(out, "Throughput   {t:.2} % of the time not paused");
    }
    let rate = |r: Option<f64>| r.map(|v| format!("{}/s", format_bytes(u64_from_f64(v))));
    if let Some(a) = rate(s.allocation_rate_bytes_per_s) {
        let _ = writeln!(out, "Allocation   {a}");
    }
    if let Some(p) = rate(s.promotion_rate_bytes_per_s) {
        let _ = writeln!(out, "Promotion    {p}");
    }
    if let (Some(cap), Some(max)) = (s.heap_capacity_max_bytes, s.heap_after_max_bytes) {
        let _ = writeln!(
            out,
            "Heap         up to {} committed · up to {} left after a collection",
            format_bytes(cap),
            format_bytes(max)
        );
    }
    // The live-set line is the same judgement as `jvmem report`'s heap suspect.
    if let Some(l) = &s.live_set {
        let verdict = match (l.growing, l.confidence) {
            (true, Some(c)) if l.note.is_some() => format!("rising, not sure (confidence {c:.2})"),
            (true, Some(c)) => format!("growing (confidence {c:.2})"),
            (true, None) => "growing".to_string(),
            (false, _) => "not growing".to_string(),
        };
        let _ = writeln!(
            out,
            "Live set     {verdict}: {} → {} ({}, {}, {} points over {})",
            format_bytes(l.start_bytes),
            format_bytes(l.end_bytes),
            format_rate_per_min(l.rate_bytes_per_min),
            l.basis,
            l.points,
            format_minutes(l.span_min)
        );
        if let Some(n) = &l.note {
            let _ = writeln!(out, "             {n}");
        }
    }
    if s.live_set.is_none() && s.events > 0 {
        let _ = writeln!(
            out,
            "Live set     not visible yet: {} old-generation collection(s)",
            s.old_collections
        );
    }
    if let (Some(a), Some(b)) = (s.metaspace_after_first_bytes, s.metaspace_after_last_bytes) {
        let _ = writeln!(
            out,
            "Metaspace    {} → {}",
            format_bytes(a),
            format_bytes(b)
        );
    }
    if verbose && !diagnostics.is_empty() {
        let _ = writeln!(out, "\nUnrecognized lines (first {}):", diagnostics.len());
        for d in diagnostics {
            let _ = writeln!(out, "  {d}");
        }
    } else if s.unrecognized_lines > 0 {
        let _ = writeln!(
            out,
            "\n({} unrecognized lines: --verbose lists them)",
            s.unrecognized_lines
        );
    }
    out
}

fn format_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

fn opt_ms(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".into(), format_ms)
}

fn format_duration_s(s: f64) -> String {
    let total = u64_from_f64(s.round());
    let (h, m, sec) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}h {m:02}m {sec:02}s")
    } else if m > 0 {
        format!("{m}m {sec:02}s")
    } else {
        format!("{s:.1} s")
    }
}
