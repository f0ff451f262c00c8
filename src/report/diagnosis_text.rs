//! `jvmem report` for people at a terminal: the verdict first (suspects ranked, or "no growth
//! found"), then the evidence table, the container budget, and the hints.

use std::fmt::Write;

use crate::analysis::Diagnosis;
use crate::analysis::budget::Budget;
use crate::analysis::growth::{Metric, SeriesGrowth};
use crate::model::units::{format_bytes, format_delta, format_minutes, format_rate_per_min};
use crate::num::{i64_from_f64, u64_from_f64};

/// A series' growth and rate in its own unit (bytes or a count).
pub fn series_amounts(s: &SeriesGrowth) -> (String, String, String) {
    let t = &s.trend;
    if s.metric.is_count() {
        (
            format!("{:.0}", t.start_value),
            format!("{:+.0}", t.growth()),
            format!("{:+.1}/min", t.slope_per_min),
        )
    } else {
        (
            format_bytes(u64_from_f64(t.start_value)),
            format_delta(i64_from_f64(t.growth())),
            format_rate_per_min(t.slope_per_min),
        )
    }
}

/// Whether the service fits the limit, and the limit it needs (`resources.limits.memory`).
pub fn fit_verdict(b: &Budget) -> String {
    let needed = format!(
        "resources.limits.memory: {}Mi",
        b.needed_limit_bytes.div_ceil(1 << 20)
    );
    let threads = b
        .pids_limit
        .map(|n| format!(" Threads leak and no JVM flag caps them: a pids limit of {n} (pids.max / podPidsLimit: the {} threads seen + the launcher's) makes the leak end in `OutOfMemoryError: unable to create native thread`.", n - 1))
        .unwrap_or_default();
    if b.fits {
        format!(
            "Fits: the lines add up to the {} limit; the least limit that holds this service with its headroom is {} ({needed}).{threads}",
            format_bytes(b.limit_bytes),
            format_bytes(b.needed_limit_bytes)
        )
    } else {
        format!(
            "Does not fit: even with every leak capped at what was seen and -Xmx at the heap the service already uses, it needs {} more than the {} limit. No flags can make it fit: raise the limit to at least {} ({needed}), or shrink what the lines above show.",
            format_bytes(b.short_by_bytes),
            format_bytes(b.limit_bytes),
            format_bytes(b.needed_limit_bytes)
        )
    }
}

/// The budget's first sentence: headroom and when the limit is reached.
pub fn budget_verdict(b: &Budget) -> String {
    let used = match b.used_source {
        "rss" => "RSS",
        _ => "NMT committed",
    };
    let when = match b.minutes_to_limit {
        Some(m) if m <= 0.0 => "the limit is already reached".to_string(),
        Some(m) => format!(
            "at {} the limit is reached in about {}",
            format_rate_per_min(b.growth_rate_bytes_per_min),
            format_minutes(m)
        ),
        None if b.heap_exhaustion.is_some() => "nothing else grows toward it".to_string(),
        None => "nothing grows toward it".to_string(),
    };
    let heap = match &b.heap_exhaustion {
        Some(h) if h.fully_committed => format!(
            ". The heap is fully committed at {} (-Xmx): the heap leak fills it in about {} and \
             the JVM fails with OutOfMemoryError: Java heap space, before any OOM kill",
            format_bytes(h.max_heap_bytes),
            format_minutes(h.minutes)
        ),
        Some(h) => format!(
            ". The heap ({} live of {} max) is full in about {}",
            format_bytes(h.live_bytes),
            format_bytes(h.max_heap_bytes),
            format_minutes(h.minutes)
        ),
        None => String::new(),
    };
    format!(
        "limit {}: {used} {} now, headroom {}; {when}{heap}",
        format_bytes(b.limit_bytes),
        format_bytes(b.used_bytes),
        format_delta(b.headroom_bytes),
    )
}

/// Renders the whole diagnosis as text.
pub fn render(d: &Diagnosis) -> String {
    let mut out = String::new();
    if d.suspects.is_empty() {
        let _ = writeln!(out, "Verdict: no growth found ({}).", d.window.summary());
    } else {
        let _ = writeln!(
            out,
            "Verdict: {} suspect(s), biggest contributor first:",
            d.suspects.len()
        );
        for (i, s) in d.suspects.iter().enumerate() {
            let unsure = if s.confidence < crate::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE {
                " (not sure)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {}. {}{unsure}", i + 1, s.headline());
        }
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(out, "Container: {}.", budget_verdict(b));
    }
    for note in &d.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    for n in &d.not_leaks {
        let _ = writeln!(out, "Not a leak: {n}.");
    }

    for (i, s) in d.suspects.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n== Suspect {}: {} ({})",
            i + 1,
            s.category,
            s.kind.meaning()
        );
        let _ = writeln!(out, "{}", s.evidence);
        let _ = writeln!(
            out,
            "  {:<22} {:<30} {:>11} {:>12} {:>16} {:>6} {:>6}",
            "category", "series", "start", "growth", "rate", "tau", "points"
        );
        for row in &s.series {
            let (start, growth, rate) = series_amounts(row);
            let _ = writeln!(
                out,
                "  {:<22} {:<30} {:>11} {:>12} {:>16} {:>6.2} {:>6}",
                row.category,
                row.metric.label(),
                start,
                growth,
                rate,
                row.trend.tau,
                row.trend.points
            );
        }
        for h in d.hints_for(s) {
            let _ = writeln!(out, "  What to do: {}", h.title);
            for step in &h.steps {
                let _ = writeln!(out, "   - {step}");
            }
        }
    }

    let _ = writeln!(
        out,
        "\n== Committed memory by category (after warm-up), largest growth first"
    );
    let _ = writeln!(
        out,
        "  {:<24} {:>11} {:>12} {:>16} {:>6}",
        "category", "start", "growth", "rate", "tau"
    );
    for g in d
        .growth
        .iter()
        .filter(|g| g.metric == Metric::Committed)
        .take(12)
    {
        let (start, growth, rate) = series_amounts(g);
        let _ = writeln!(
            out,
            "  {:<24} {:>11} {:>12} {:>16} {:>6.2}",
            g.category, start, growth, rate, g.trend.tau
        );
    }

    if let Some(b) = &d.budget {
        let _ = writeln!(out, "\n== Container budget");
        let _ = writeln!(out, "{}.", budget_verdict(b));
        if let (Some(rss), Some(nmt), Some(gap)) =
            (b.rss_bytes, b.nmt_committed_bytes, b.rss_gap_bytes)
        {
            let _ = writeln!(
                out,
                "RSS {} − NMT committed {} = {} not tracked by NMT (glibc arenas, JNI libraries, mapped files).",
                format_bytes(rss),
                format_bytes(nmt),
                format_delta(gap)
            );
        }
        let _ = writeln!(out, "Suggested budget for this limit:");
        for l in &b.lines {
            let flag = l.flag.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "  {:<13} {:>10} (seen {:>10})  {:<32} {}",
                l.item,
                format_bytes(l.budget_bytes),
                format_bytes(l.observed_bytes),
                flag,
                l.why
            );
        }
        let _ = writeln!(out, "{}", fit_verdict(b));
        if !b.flags.is_empty() {
            let _ = writeln!(out, "Flags: {}", b.flags);
        }
    }
    out
}
